"""Full-text search over every plan's entities: an SQLite FTS5 index beside the store.

The trigram tokenizer indexes every run of three characters, so Chinese needs no word list
and no segmenter: 低空经济 is found inside 推动低空经济产业发展. A term of one or two
characters cannot use the trigrams and is matched by scanning the rows (LIKE), still
within the index.

The index agrees with the store. Its rows are made from the same Turtle as the plan's
named graph, and each plan's rows carry the digest of that Turtle; the store records the
digest of the graph it holds (in the graph ``STAMP_GRAPH``) in the same transaction that
replaces the graph. A search keeps only rows whose digest the store holds, so a build
killed between writing the index and the store answers from the old rows, and after the
store from the new ones. A fresh store version gets its own index, written before its
manifest.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError, QueryError, first_line
from kg.kinds import KINDS
from kg.rdf.vocab import GRAPH_BASE

INDEX = "search.sqlite"
STAMP_GRAPH = GRAPH_BASE + "plankg-search"
_PK = "https://w3id.org/plankg/ontology#"
_DIGEST = _PK + "contentDigest"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_FIELDS = {_PK + "text": "text", _PK + "page": "page", _PK + "lineStart": "line", _PK + "attribute": "attribute"}
# The kinds a search can return: those of the text (with provenance), by their class.
KIND_OF_CLASS = {_PK + k.pk: k.name for k in KINDS if k.entity}
KIND_OF_CLASS[_PK + "Indicator"] = "indicator"
SEARCH_KINDS = tuple(sorted(set(KIND_OF_CLASS.values())))
SNIPPET = 36  # characters of context either side of a match
_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS entries USING fts5(
    title, body, plan UNINDEXED, graph UNINDEXED, digest UNINDEXED, kind UNINDEXED, iri UNINDEXED,
    page UNINDEXED, line UNINDEXED, tokenize = 'trigram'
);
"""


@dataclass(frozen=True)
class Entry:
    """One entity as the index holds it."""

    plan: str
    kind: str
    iri: str
    title: str
    body: str
    page: int | None
    line: int | None


@dataclass(frozen=True)
class Hit:
    plan: str
    kind: str
    title: str
    snippet: str  # the text around the first match, the terms between 【 】
    page: int | None
    line: int | None
    iri: str
    score: float  # higher is better: matches in the title count most


def digest(turtle: bytes) -> str:
    return hashlib.sha256(turtle).hexdigest()


def entries(plan: str, turtle: bytes) -> list[Entry]:
    """Every entity of a plan's Turtle that has a kind, a label and a line of the text."""
    found: dict[str, dict] = {}
    for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
        if not isinstance(t.subject, ox.NamedNode):
            continue
        s, p, o = t.subject.value, t.predicate.value, t.object
        row = found.setdefault(s, {"attribute": []})
        if p == _RDF_TYPE and o.value in KIND_OF_CLASS:
            row["kind"] = KIND_OF_CLASS[o.value]
        elif p == _LABEL:
            row["title"] = o.value
        elif p in _FIELDS:
            name = _FIELDS[p]
            if name == "attribute":
                row["attribute"].append(o.value)
            else:
                row[name] = int(o.value) if name in ("page", "line") else o.value
    out = []
    for iri, row in found.items():
        if "kind" in row and "title" in row and "line" in row:
            body = "\n".join([row.get("text", ""), *sorted(row["attribute"])]).strip()
            out.append(Entry(plan, row["kind"], iri, row["title"], body, row.get("page"), row["line"]))
    return sorted(out, key=lambda e: (e.line or 0, e.iri))


class Index:
    """The index file: rows of entities, each plan's rows under the digest of its Turtle."""

    def __init__(self, path: str | Path | None, create: bool = False) -> None:
        """``path`` None: an index in memory (for graphs loaded from files)."""
        self.path = Path(path) if path else Path(":memory:")
        if path and not create and not self.path.exists():
            raise DataError(
                f"the build in {self.path.parent.parent} has no search index",
                "run 'plankg build' into it again (builds of older plankg versions made none)",
            )
        uri = f"file:{self.path}" + ("" if create else "?mode=ro") if path else ":memory:"
        try:
            self.db = sqlite3.connect(uri, uri=True, timeout=30)
            if create:
                self.db.executescript(_SCHEMA)
        except sqlite3.Error as err:
            raise DataError(f"cannot open the search index {self.path}: {err}", "run 'plankg build' again") from None

    def plans(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT plan FROM entries ORDER BY plan")]

    def close(self) -> None:
        self.db.close()

    def add(self, graph: str, stamp: str, rows: list[Entry]) -> None:
        """A plan's rows under ``stamp`` (rows of its other stamps stay until ``prune``)."""
        with self.db:
            self.db.execute("DELETE FROM entries WHERE graph = ? AND digest = ?", (graph, stamp))
            self.db.executemany(
                "INSERT INTO entries (title, body, plan, graph, digest, kind, iri, page, line) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.title, e.body, e.plan, graph, stamp, e.kind, e.iri, e.page, e.line) for e in rows],
            )

    def prune(self, graph: str, keep: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM entries WHERE graph = ? AND digest != ?", (graph, keep))

    def optimize(self) -> None:
        with self.db:
            self.db.execute("INSERT INTO entries (entries) VALUES ('optimize')")

    def search(
        self,
        terms: list[str],
        current: dict[str, str],
        plan: str | None = None,
        kind: str | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Entities holding every term, best first; ``current`` maps a graph to the digest
        the store holds (rows of any other digest are a build's leftovers and are skipped)."""
        terms = [t for t in (t.strip() for t in terms) if t]
        if not terms:
            raise QueryError("nothing to search for", "give a term, e.g. plankg search 低空经济")
        long = [t for t in terms if len(t) >= 3]
        where, args = [], []
        if long:
            where.append("entries MATCH ?")
            args.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long))
        for t in terms:
            if len(t) < 3:
                where.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
                pattern = "%" + re.sub(r"([%_\\])", r"\\\1", t) + "%"
                args += [pattern, pattern]
        if plan:
            where.append("plan = ?")
            args.append(plan)
        if kind:
            where.append("kind = ?")
            args.append(kind)
        rank = "bm25(entries, 10.0, 1.0)" if long else "0.0"
        sql = (
            f"SELECT title, body, plan, graph, digest, kind, iri, page, line, {rank} FROM entries "
            f"WHERE {' AND '.join(where)}"
        )
        try:
            rows = self.db.execute(sql, args).fetchall()
        except sqlite3.Error as err:
            raise QueryError(f"the search failed: {first_line(err)}", "try simpler terms") from None
        hits = []
        for title, body, plan_id, graph, stamp, kind_name, iri, page, line, bm25 in rows:
            if current.get(graph) != stamp:
                continue
            in_title = sum(t in title for t in terms)
            # bm25 is negative, lower is better; a title holding the terms comes first.
            score = round(in_title * 10.0 - float(bm25), 4)
            hits.append(Hit(plan_id, kind_name, title, snippet(body or title, terms), page, line, iri, score))
        hits.sort(key=lambda h: (-h.score, h.plan, h.line or 0, h.iri))
        return hits[:limit]


def snippet(text: str, terms: list[str], width: int = SNIPPET) -> str:
    """The text around the first match of a term, every term marked 【term】."""
    flat = re.sub(r"\s+", " ", text)
    starts = [i for i in (flat.find(t) for t in terms) if i >= 0]
    at = min(starts) if starts else 0
    lo, hi = max(0, at - width), min(len(flat), at + width + max(map(len, terms)))
    piece = ("…" if lo else "") + flat[lo:hi] + ("…" if hi < len(flat) else "")
    for t in sorted(set(terms), key=len, reverse=True):
        piece = piece.replace(t, f"【{t}】")
    return piece


def stamp_update(graph: str, stamp: str) -> str:
    """The SPARQL update that records, in the store, which rows of the index are its graph's."""
    return (
        f"DELETE WHERE {{ GRAPH <{STAMP_GRAPH}> {{ <{graph}> <{_DIGEST}> ?d }} }} ;\n"
        f'INSERT DATA {{ GRAPH <{STAMP_GRAPH}> {{ <{graph}> <{_DIGEST}> "{stamp}" }} }}'
    )


def stamps_turtle(stamps: dict[str, str]) -> bytes:
    return "".join(f'<{g}> <{_DIGEST}> "{d}" .\n' for g, d in sorted(stamps.items())).encode("utf-8")


def current_stamps(store: ox.Store) -> dict[str, str]:
    """Graph → the digest of the Turtle the store holds for it."""
    found = store.quads_for_pattern(None, ox.NamedNode(_DIGEST), None, ox.NamedNode(STAMP_GRAPH))
    return {str(getattr(q.subject, "value", "")): str(getattr(q.object, "value", "")) for q in found}
