"""Checks on a SPARQL query before the engine sees it. Pure: no I/O, no engine.

Three things the embedded engine (pyoxigraph) does not bound by itself:

- ``SERVICE <url>``: the engine answers it by making an HTTP request from the process that
  runs the query (a server-side request forgery from any client of ``plankg serve``). The
  keyword is refused unless the service's IRI is in an allow-list.
- Nesting: the parser and the evaluator recurse, and a few thousand nested ``{``/``(``/``[``
  overflow the stack (a segfault, not an error). At most ``MAX_DEPTH`` levels.
- Operators: a chain of some 8,000 ``+``, ``||``, ``!`` or ``UNION`` crashes the same way,
  however flat. At most ``MAX_OPERATORS`` in a query.

The checks read the query's tokens (comments, string literals short and long, IRIs,
variables and prefixed names are told apart), so a ``SERVICE`` in a comment, a string or an
IRI is no keyword, and a ``{`` in a literal no nesting. Codepoint escapes (``\\u002F``) and a
prefixed name's escapes are undone, as the engine does, before an IRI is compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from kg.errors import QueryError

MAX_DEPTH = 100
MAX_OPERATORS = 1000


class QueryRefused(QueryError):
    """A query the guard refuses; ``status`` is the HTTP status a service answers with."""

    status = 400


class ServiceRefused(QueryRefused):
    """A ``SERVICE`` call to an IRI that is not allowed."""

    status = 403


@dataclass(frozen=True)
class Token:
    kind: str  # iri, pname, var, bnode, string, keyword, number, langtag, punct, other
    text: str
    at: int  # offset in the query text


_PN_CHARS = r"[^\W_]|[_\-\u00B7]|\d"  # approximately SPARQL's PN_CHARS (letters, digits, _ - ·)
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$](?:\w|\u00B7)+)
  | (?P<bnode>_:(?:\w|[.\-\u00B7])*)
  | (?P<pname>(?:[^\W\d_](?:(?:\w|[.\-\u00B7])*(?:\w|[\-\u00B7]))?)?
              :(?:(?:\w|[:%\-\u00B7])|\\.|\.(?=(?:\w|[:%\-\u00B7.]|\\.)*(?:\w|[:%\-\u00B7]|\\.)))*)
  | (?P<keyword>[A-Za-z][A-Za-z0-9_]*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<punct>\|\||&&|!=|<=|>=|\^\^|[{}()\[\];,.=<>!+\-*/|^?])
  | (?P<other>.)
    """,
    re.X | re.S,
)
_OPEN, _CLOSE = "{([", "})]"
_OPERATORS = {"||", "&&", "!", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"}
_OPERATOR_KEYWORDS = {"UNION", "MINUS", "OPTIONAL"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def tokens(text: str) -> list[Token]:
    """The query's tokens, without whitespace and comments."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start()))
    return out


def _unescape(text: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL Update (its first keyword after the prologue)."""
    for tok in _after_prologue(tokens(text)):
        return tok.kind == "keyword" and tok.text.upper() in _UPDATES
    return False


def _after_prologue(toks: list[Token]) -> list[Token]:
    i = 0
    while i < len(toks) and toks[i].kind == "keyword" and toks[i].text.upper() in ("BASE", "PREFIX"):
        i += 3 if toks[i].text.upper() == "PREFIX" else 2
    return toks[i:]


def check(text: str, allow_services: tuple[str, ...] | list[str] = (), max_depth: int = MAX_DEPTH) -> None:
    """Raise ``QueryRefused`` (a ``QueryError``) when the query nests deeper than
    ``max_depth``, has more than ``MAX_OPERATORS`` operators, or calls a ``SERVICE`` whose
    IRI is not in ``allow_services``."""
    toks = tokens(text)
    depth = operators = 0
    base: str | None = None
    prefixes: dict[str, str] = {}
    for i, tok in enumerate(toks):
        if tok.kind == "punct":
            if tok.text in _OPEN:
                depth += 1
                if depth > max_depth:
                    raise QueryRefused(
                        f"the query nests deeper than {max_depth} levels of {{ ( [ (at offset {tok.at})",
                        "flatten it: fewer nested groups, subqueries or parentheses",
                    )
            elif tok.text in _CLOSE:
                depth = max(depth - 1, 0)
            elif tok.text in _OPERATORS:
                operators += 1
        elif tok.kind == "keyword":
            word = tok.text.upper()
            if word in _OPERATOR_KEYWORDS:
                operators += 1
            elif word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
                base = _resolve(_unescape(toks[i + 1].text[1:-1]), base)
            elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
                prefixes[toks[i + 1].text.rstrip(":")] = _resolve(_unescape(toks[i + 2].text[1:-1]), base) or ""
            elif "SERVICE" in word:
                # The engine reads keywords without word boundaries: trueSERVICE<…> and
                # SERVICESILENT<…> both call the service.
                rest = word[word.rfind("SERVICE") + len("SERVICE") :]
                if rest not in ("", "SILENT"):
                    raise ServiceRefused(
                        f"{tok.text!r} reads as the SERVICE keyword glued to a word",
                        "put a space around the word",
                    )
                following = toks[i + 1 :]
                if rest:
                    following = [Token("keyword", rest, tok.at), *following]
                _check_service(following, base, prefixes, tuple(allow_services))
        elif tok.kind in ("pname", "langtag") and "SERVICE" in tok.text.partition(":")[0].upper():
            # The engine reads SERVICE:x as the SERVICE keyword and the name :x.
            raise ServiceRefused(
                f"{tok.text!r} reads as the SERVICE keyword to the engine",
                "rename the prefix (or language tag) so that it does not contain 'service'",
            )
        if operators > MAX_OPERATORS:
            raise QueryRefused(
                f"the query has more than {MAX_OPERATORS} operators (||, &&, +, UNION, …)",
                "split it into smaller queries, or list values with VALUES instead of a chain of ||",
            )


def _resolve(iri: str, base: str | None) -> str | None:
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        return iri
    return urljoin(base, iri) if base else None


def _check_service(rest: list[Token], base: str | None, prefixes: dict[str, str], allowed: tuple[str, ...]) -> None:
    if rest and rest[0].kind == "keyword" and rest[0].text.upper() == "SILENT":
        rest = rest[1:]
    target = rest[0] if rest else None
    iri: str | None = None
    if target is not None and target.kind == "iri":
        iri = _resolve(_unescape(target.text[1:-1]), base)
    elif target is not None and target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", _unescape(local))
    if iri is not None and iri in allowed:
        return
    shown = iri or (target.text if target is not None else "")
    if not allowed:
        raise ServiceRefused(
            f"SERVICE {shown} refused: this store makes no requests to other endpoints",
            "query that endpoint directly (plankg query --endpoint URL); plankg serve calls only the "
            "services given with --allow-service",
        )
    raise ServiceRefused(
        f"SERVICE {shown} refused: not an allowed service",
        "allowed: " + ", ".join(allowed),
    )
