"""A question in SPARQL: resolve it (canned name, .rq file or text), set its parameters,
and run it on the build's store or on any endpoint. Answers are plain results
(``Result``, a boolean, or triples); shells decide how to show them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.errors import QueryError
from kg.query import canned, guard, kept
from kg.query.disk import STORE, current
from kg.query.remote import remote_query
from kg.query.search import current_stamps, exact
from kg.query.store import Answer, Result, candidates, load_store, plan_dataset, query
from kg.rdf.vocab import PREFIXES


def resolve(sparql: str) -> str:
    """The SPARQL text of a canned query name, a .rq file, or the string itself."""
    known = canned.get(sparql)
    if known:
        return known.text
    if sparql.endswith(".rq") or (len(sparql) < 200 and "\n" not in sparql and Path(sparql).suffix == ".rq"):
        p = Path(sparql)
        if not p.is_file():
            raise QueryError(f"no such query file: {p}", "plankg query --list shows the canned queries")
        return p.read_text(encoding="utf-8")
    if " " not in sparql.strip() and "{" not in sparql:
        close = difflib.get_close_matches(sparql.strip(), [q.name for q in canned.canned()], n=1)
        raise QueryError(
            f"no canned query named {sparql!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
            "plankg query --list shows the canned queries",
        )
    return sparql


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.I)
# IRIs, strings and comments hold no prefixed names: matched first and skipped.
_TOKENS = re.compile(
    r"<[^<>\s]*>"
    r'|"""(?:.|\n)*?"""'
    r"|'''(?:.|\n)*?'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|#[^\n]*"
    r"|(?<![\w?$:-])([A-Za-z][\w-]*):(?=[\w%])"
)


def with_prefixes(text: str) -> str:
    """The query with a PREFIX line for each of plankg's prefixes (pk:, rdfs:, skos: …) it
    uses but does not declare, so a one-line query needs none."""
    declared = set(_DECLARED.findall(text))
    used = {m.group(1) for m in _TOKENS.finditer(text) if m.group(1)}
    missing = sorted(p for p in used - declared if p in PREFIXES)
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing) + text


class Source(Protocol):
    """Where a question is answered: the build's store, or a SPARQL endpoint."""

    def answer(self, text: str, graphs: list[str] | None) -> Answer: ...


@dataclass
class LocalStore:
    """The build's store (``build/store``, or its Turtle files loaded in memory). A query
    calls no ``SERVICE`` but those in ``allow_services`` (none by default), and nests no
    deeper than the guard allows (the engine would crash the process)."""

    store: ox.Store
    allow_services: tuple[str, ...] = ()
    data: Path | None = None  # the build folder, when it has a store (and so a text index)

    @classmethod
    def of(cls, data: str | Path = "build") -> LocalStore:
        folder = Path(data)
        return cls(load_store(data), data=folder if (folder / STORE).exists() else None)

    def candidates(self, term: str, plan: str | None, kinds: tuple[str, ...] = ()) -> list[str] | None:
        """The IRIs of entities (of ``kinds``) whose title or text may hold ``term`` (every one
        that does), from the build's text index; None without one, or for a term it finds only whole."""
        if self.data is None or not exact(term):
            return None
        return candidates(self.data, term, plan, kinds)

    def kept(self, name: str) -> Result | None:
        """The canned query's answer over every plan put together from the answers the build
        kept for each (``kg.query.kept``); None where they are not all there and current."""
        version = current(self.data) if self.data else None
        if version is None or name not in kept.keepable() or not kept.usable(version / kept.FILE):
            return None
        stamps = current_stamps(self.store)
        answers = kept.Answers(version / kept.FILE)
        try:
            return answers.answer(name, stamps, [g for g in stamps if g not in kept.EXTRA_GRAPHS])
        finally:
            answers.close()

    def answer(self, text: str, graphs: list[str] | None) -> Answer:
        guard.check(text, self.allow_services)
        if graphs and not self.store.contains_named_graph(ox.NamedNode(graphs[0])):
            plan = graphs[0].rsplit("/", 1)[-1]
            raise QueryError(
                f"no plan {plan!r} in the store", "plankg query plans lists the plans built; give one of their ids"
            )
        return query(self.store, text, graphs)


@dataclass
class Endpoint:
    """Any SPARQL 1.1 endpoint (``plankg serve``, Oxigraph server, Virtuoso …)."""

    url: str
    auth: dict = field(default_factory=dict)  # user, password, auth (digest|basic)

    def answer(self, text: str, graphs: list[str] | None) -> Answer:

        return remote_query(self.url, text, graphs=graphs, **self.auth)


def run_query(sparql: str, source: Source, params: dict[str, str] | None = None) -> Answer:
    """Answer a canned query, a .rq file or a SPARQL string; ``params`` set its VALUES
    parameters, and ``plan`` also narrows the dataset to that plan's graph; plankg's prefixes
    are declared where the query lacks them. A query that declares ``# pivot:`` is answered
    in its wide form. A canned query asked as it stands of the build's store is read from the
    answers kept for each plan, where the build kept them."""
    ready = source.kept(sparql) if isinstance(source, LocalStore) and not params else None
    if ready is not None:
        return _shown(ready, canned.pivot_of(resolve(sparql)))
    text = with_prefixes(canned.with_params(resolve(sparql), params or {}))
    # A question about one plan reads that plan's graph (and the shared ones) alone.
    graphs = plan_dataset(params["plan"]) if params and "plan" in params else None
    text = _narrowed(text, source, (params or {}).get("plan"))
    return _shown(source.answer(text, graphs), canned.pivot_of(text))


def _shown(answer: Answer, wide: tuple[str, str] | None) -> Answer:
    if wide and isinstance(answer, Result) and set(wide) <= set(answer.columns):
        return pivot(answer, *wide)
    return answer


def _narrowed(text: str, source: Source, plan: str | None) -> str:
    """A text-finding query (``# search:``) with its candidates bound from the text index."""
    search = canned.search_of(text)
    if not search or not isinstance(source, LocalStore):
        return text
    term = canned.param_value(text, search[0])
    iris = source.candidates(term, plan, canned.search_kinds(text)) if term else None
    return text if iris is None else canned.narrowed(text, *search, iris)


def pivot(result: Result, column: str, value: str) -> Result:
    """Long to wide: the distinct values of ``column`` become columns (in sorted order),
    ``value`` fills them, the other columns key the rows (in the order they first come)."""
    at, cell = result.columns.index(column), result.columns.index(value)
    keys = [i for i, c in enumerate(result.columns) if i not in (at, cell)]
    text = [[None if term is None else term.value for term in row] for row in result.rows]
    heads: list[str] = sorted({v for row in text if (v := row[at]) is not None})
    keyed: dict[tuple, list] = {}  # row key -> the key's terms, then one cell a head
    for row, values in zip(result.rows, text):
        line = keyed.setdefault(tuple(values[i] for i in keys), [row[i] for i in keys] + [None] * len(heads))
        head = values[at]
        if head is not None:
            line[len(keys) + heads.index(head)] = row[cell]
    return Result([result.columns[i] for i in keys] + heads, list(keyed.values()))
