"""Answers kept beside the store: each canned query's answer for each plan, worked out when
the plan is built, so that a question over every plan of a large corpus is read, not
evaluated.

Most canned questions ask the same thing of every plan (its boxes, outline, citations):
their answer over all plans is the answers for each plan put together in the order the
query sorts by. Evaluated over 300 plans in the on-disk store they take seconds (the store
reads each triple of a join from disk; listing the 44,400 projects of 300 plans takes
6.6 s); a plan's answer is worked out in milliseconds from its graph in memory while it is
built. Such a query says so (``# per: plan``), has a ``plan`` parameter and an ``ORDER BY``
of projected variables (then perhaps a ``LIMIT``); a test checks of every one that its
answer over the bundled plans is theirs put together.

The kept answers agree with the store as the search index does (``kg.query.search``): a
plan's answers carry the digest of the Turtle they were worked out from and that of the
reference graphs, and a question uses them only when every plan the store holds has
answers under the digests the store records; otherwise the engine answers. A query whose
text changed (another plankg version) is answered by the engine until the next build.
Only the canned query as it stands, with its default parameters, is read this way;
``--param`` and any other SPARQL go to the engine.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, total_ordering
from heapq import merge
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.query import canned
from kg.query.engine import Result, plan_dataset, query
from kg.rdf.vocab import GRAPH_BASE, ONTOLOGY_GRAPH

FILE = "answers.sqlite"
SCHEMA_VERSION = 1
# The graphs besides its own that a plan's answers are worked out with.
EXTRA_GRAPHS = (GRAPH_BASE + "reference", ONTOLOGY_GRAPH)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    graph TEXT, digest TEXT, extras TEXT, query TEXT, text TEXT, columns TEXT, rows TEXT,
    PRIMARY KEY (graph, digest, extras, query)
);
"""
_ORDER = re.compile(r"^ORDER BY ([^#\n]+?)\s*(?:#[^\n]*)?\n(?:LIMIT (\d+)\s*)?\Z", re.M)
_KEY = re.compile(r"\?(\w+)|(ASC|DESC)\(\s*\?(\w+)\s*\)")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = _XSD + "string"
_NUMERIC = {
    _XSD + t for t in "integer decimal double float int long short byte nonNegativeInteger positiveInteger".split()
}


@dataclass(frozen=True)
class Order:
    """How a query sorts its answer: (column, descending) keys, then at most ``limit`` rows."""

    keys: tuple[tuple[str, bool], ...]
    limit: int | None


def order_of(text: str) -> Order | None:
    """The query's final ``ORDER BY`` if it sorts by variables only, else None."""
    m = _ORDER.search(text.rstrip() + "\n")
    if not m:
        return None
    keys, rest = [], m.group(1)
    for k in _KEY.finditer(rest):
        keys.append((k.group(1) or k.group(3), k.group(2) == "DESC"))
    if _KEY.sub("", rest).strip():
        return None  # an expression: not read this way
    return Order(tuple(keys), int(m.group(2)) if m.group(2) else None)


@lru_cache(maxsize=1)
def keepable() -> dict[str, canned.CannedQuery]:
    """The canned queries whose answer over every plan is made of their answers per plan."""
    return {q.name: q for q in canned.canned() if q.per_plan and "plan" in q.params and order_of(q.text) is not None}


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extras_digest(stamps: dict[str, str]) -> str:
    """One digest of the reference graphs' digests (as the store's stamps record them)."""
    return text_digest("\n".join(f"{g} {stamps.get(g, '')}" for g in EXTRA_GRAPHS))


@dataclass(frozen=True)
class PlanAnswers:
    """A plan's kept answers: query name → (query text digest, columns, rows as JSON)."""

    graph: str
    digest: str  # of the plan's Turtle
    extras: str  # extras_digest of the reference graphs
    answers: dict[str, tuple[str, str, str]]


def work_out(plan_id: str, turtle: bytes, extras: list[tuple[str, bytes]]) -> PlanAnswers:
    """Every keepable query's answer for one plan, from its Turtle and the reference graphs
    (graph IRI, Turtle) loaded in memory."""
    store = ox.Store()
    graph = GRAPH_BASE + plan_id
    store.load(turtle, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    stamps = {}
    for iri, data in extras:
        store.load(data, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
        stamps[iri] = hashlib.sha256(data).hexdigest()
    answers = {}
    for name, q in keepable().items():
        try:
            result = query(store, canned.with_params(q.text, {"plan": plan_id}), plan_dataset(plan_id))
        except QueryError:
            continue  # the engine answers it
        if isinstance(result, Result):
            rows = json.dumps([[_encoded(t) for t in row] for row in result.rows], ensure_ascii=False)
            answers[name] = (text_digest(q.text), json.dumps(result.columns), rows)
    return PlanAnswers(graph, hashlib.sha256(turtle).hexdigest(), extras_digest(stamps), answers)


class Answers:
    """The file of kept answers in a store version."""

    def __init__(self, path: Path, create: bool = False) -> None:
        self.db = sqlite3.connect(f"file:{path}" + ("" if create else "?mode=ro"), uri=True, timeout=30)
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if create and version == 0:
            self.db.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"{path} was written by another plankg")

    def close(self) -> None:
        self.db.close()

    def add(self, kept: PlanAnswers) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(kept.graph, kept.digest, kept.extras, q, t, c, r) for q, (t, c, r) in kept.answers.items()],
            )

    def prune(self, graph: str, digest: str) -> None:
        """Only the answers of a graph's current Turtle stay."""
        with self.db:
            self.db.execute("DELETE FROM answers WHERE graph = ? AND digest != ?", (graph, digest))

    def answer(self, name: str, stamps: dict[str, str], plans: list[str]) -> Result | None:
        """The answer over ``plans`` (graph IRIs) of the canned query ``name``, put together from
        the answers kept under the digests in ``stamps``; None if any plan lacks one."""
        q = keepable().get(name)
        order = order_of(q.text) if q else None
        if q is None or order is None:
            return None
        extras, wanted = extras_digest(stamps), text_digest(q.text)
        found = self.db.execute(
            "SELECT graph, digest, columns, rows FROM answers WHERE query = ? AND extras = ? AND text = ?",
            (name, extras, wanted),
        ).fetchall()
        by_graph = {g: (columns, rows) for g, d, columns, rows in found if stamps.get(g) == d}
        if any(g not in by_graph for g in plans):
            return None
        columns = json.loads(by_graph[plans[0]][0]) if plans else []
        # By plan id, as ?plan sorts (a plan's graph is named by its id).
        decoded = _decoder()
        parts = [[[decoded(t) for t in row] for row in json.loads(by_graph[g][1])] for g in sorted(plans)]
        rows = _together(parts, columns, order)
        return None if rows is None else Result(columns, rows)


def _together(parts: list[list[list]], columns: list[str], order: Order) -> list[list] | None:
    """Rows of each plan (each part sorted by ``order``) in the order of the whole answer."""
    if order.keys and order.keys[0] == ("plan", False):
        rows = [row for part in parts for row in part]  # already in order
        return rows[: order.limit] if order.limit is not None else rows
    if not all(c in columns for c, _ in order.keys):
        return None  # sorted by what it does not show: only the engine can
    at = [(columns.index(c), desc) for c, desc in order.keys]

    def key(row: list) -> tuple:
        return tuple(_Descending(_rank(row[i])) if desc else _rank(row[i]) for i, desc in at)

    return list(islice(merge(*parts, key=key), order.limit))


@total_ordering
class _Descending:
    """A sort key in reverse."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.key == other.key

    def __lt__(self, other: _Descending) -> bool:
        return other.key < self.key


def _rank(term) -> tuple:
    """SPARQL's order of terms: unbound, blank nodes, IRIs, then literals (numbers by value)."""
    if term is None:
        return (0, "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    if term.datatype.value in _NUMERIC:
        try:
            return (3, float(term.value))
        except ValueError:
            pass
    return (4, term.value)


# A term as a string: its kind in the first character. Strings decode through a memo: the
# same literals (plan ids, labels, numbers) recur across plans and rows.
def _encoded(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return "<" + term.value
    if isinstance(term, ox.BlankNode):
        return "_" + term.value
    if term.language:
        return "@" + term.language + " " + term.value
    if term.datatype.value == _STRING:
        return '"' + term.value
    return "^" + term.datatype.value + " " + term.value


def _decoder() -> Callable[[str | None], object]:
    memo: dict[str | None, object] = {None: None}

    def decoded(cell: str | None):
        term = memo.get(cell)
        if term is None and cell is not None:
            term = memo[cell] = _term(cell)
        return term

    return decoded


def _term(cell: str):
    kind, rest = cell[0], cell[1:]
    if kind == "<":
        return ox.NamedNode(rest)
    if kind == "_":
        return ox.BlankNode(rest)
    if kind == '"':
        return ox.Literal(rest)
    tag, value = rest.split(" ", 1)
    if kind == "@":
        return ox.Literal(value, language=tag)
    return ox.Literal(value, datatype=ox.NamedNode(tag))


def usable(path: Path) -> bool:
    """Whether ``path`` is a file of kept answers this plankg reads."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return bool(db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION)
    except sqlite3.Error:
        return False
