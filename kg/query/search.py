"""Full-text search over every plan's entities: an SQLite FTS5 index beside the store.

Chinese is indexed as overlapping pairs of characters (as Lucene's CJK analyzer does), in
an FTS5 table that holds the index alone (the text is stored once, beside it): a term is
the phrase of its pairs, so 湿地 and 低空经济 are found inside any sentence with no word
list and no segmenter. FTS5's trigram tokenizer was measured and set aside: it cannot find
a term of two characters, the commonest length of a Chinese word, and it indexed a third
slower. A Latin word or number is a token of its own, found whole (5G, not G); a term of
one character is matched by scanning the rows (LIKE).

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
RANKED = 2000  # matches ranked by bm25 at most
SCHEMA_VERSION = 2  # the index's layout (PRAGMA user_version); another one is rebuilt, not read
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY, title TEXT, body TEXT, plan TEXT, graph TEXT, digest TEXT, kind TEXT, iri TEXT,
    page INTEGER, line INTEGER
);
CREATE INDEX IF NOT EXISTS entries_of_graph ON entries (graph, digest);
CREATE VIRTUAL TABLE IF NOT EXISTS pairs USING fts5(title, body, content = '', tokenize = 'unicode61');
"""
_CJK_OR_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_\u3400-\u9fff\uf900-\ufaff]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if create and version == 0:
                self.db.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
            elif version != SCHEMA_VERSION:
                raise DataError(
                    f"the search index {self.path} was made by another version of plankg",
                    "run 'plankg build' into the folder again",
                )
        except sqlite3.Error as err:
            raise DataError(f"cannot open the search index {self.path}: {err}", "run 'plankg build' again") from None

    def plans(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT plan FROM entries ORDER BY plan")]

    def close(self) -> None:
        self.db.close()

    def add(self, graph: str, stamp: str, rows: list[Entry]) -> None:
        """A plan's rows under ``stamp`` (rows of its other stamps stay until ``prune``)."""
        with self.db:
            self._delete("graph = ? AND digest = ?", (graph, stamp))
            first = (self.db.execute("SELECT max(id) FROM entries").fetchone()[0] or 0) + 1
            numbered = list(enumerate(rows, start=first))
            self.db.executemany(
                "INSERT INTO entries (id, title, body, plan, graph, digest, kind, iri, page, line) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(k, e.title, e.body, e.plan, graph, stamp, e.kind, e.iri, e.page, e.line) for k, e in numbered],
            )
            self.db.executemany(
                "INSERT INTO pairs (rowid, title, body) VALUES (?, ?, ?)",
                [(k, grams(e.title), grams(e.body)) for k, e in numbered],
            )

    def prune(self, graph: str, keep: str) -> None:
        with self.db:
            self._delete("graph = ? AND digest != ?", (graph, keep))

    def _delete(self, where: str, args: tuple) -> None:
        # An index without its text forgets a row only when told what the row held.
        old = self.db.execute(f"SELECT id, title, body FROM entries WHERE {where}", args).fetchall()
        self.db.executemany(
            "INSERT INTO pairs (pairs, rowid, title, body) VALUES ('delete', ?, ?, ?)",
            [(k, grams(title), grams(body)) for k, title, body in old],
        )
        self.db.execute(f"DELETE FROM entries WHERE {where}", args)

    def optimize(self) -> None:
        with self.db:
            self.db.execute("INSERT INTO pairs (pairs) VALUES ('optimize')")

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
        terms = [w for t in terms for w in t.split()]
        if not terms:
            raise QueryError("nothing to search for", "give a term, e.g. plankg search 低空经济")
        indexed = [t for t in terms if grams(t) and (len(t) >= 2 or not _CJK.search(t))]
        where, args = [], []
        if indexed:
            where.append("pairs MATCH ?")
            args.append(" AND ".join(_phrase(grams(t)) for t in indexed))
        for t in terms:
            if t not in indexed:
                where.append("(e.title LIKE ? ESCAPE '\\' OR e.body LIKE ? ESCAPE '\\')")
                pattern = "%" + re.sub(r"([%_\\])", r"\\\1", t) + "%"
                args += [pattern, pattern]
        if plan:
            where.append("e.plan = ?")
            args.append(plan)
        if kind:
            where.append("e.kind = ?")
            args.append(kind)
        # A title holding the terms comes first, then bm25 (negative: lower is better).
        in_title = " + ".join("(instr(e.title, ?) > 0)" for _ in terms)
        if indexed:
            # bm25 reads every match's positions: past RANKED matches (生态 in 300 plans) the
            # title alone ranks them, then reading order, to answer in a tenth of a second.
            ranked = f"SELECT e.id, ({in_title}) * 10.0{{weigh}} AS score FROM pairs "
            ranked += "JOIN entries AS e ON e.id = pairs.rowid "
        else:
            ranked = f"SELECT e.id, ({in_title}) * 10.0 AS score FROM entries AS e "
        try:
            if indexed:
                n = self.db.execute("SELECT count(*) FROM pairs WHERE pairs MATCH ?", (args[0],)).fetchone()[0]
                ranked = ranked.format(weigh=" - bm25(pairs, 10.0, 1.0)" if n <= RANKED else "")
            sql = (
                ranked + f"WHERE {' AND '.join(where)} AND e.digest IN (SELECT digest FROM temp.current) "
                "ORDER BY score DESC, e.id LIMIT ?"
            )
            self._current(current)
            hits = []
            for k, value in self.db.execute(sql, [*terms, *args, limit]).fetchall():
                title, body, plan_id, kind_name, iri, page, line = self.db.execute(
                    "SELECT title, body, plan, kind, iri, page, line FROM entries WHERE id = ?", (k,)
                ).fetchone()
                hits.append(
                    Hit(plan_id, kind_name, title, snippet(body or title, terms), page, line, iri, round(value, 4))
                )
        except sqlite3.Error as err:
            raise QueryError(f"the search failed: {first_line(err)}", "try simpler terms") from None
        return hits

    def iris(self, term: str, current: dict[str, str], plan: str | None, kinds: tuple[str, ...]) -> list[str]:
        """The IRIs of the entities of ``kinds`` (all, if none) holding ``term`` (an indexed one:
        see ``exact``), in no order: what a query narrows its text scan to. No ranking and no
        snippets, which cost seconds for the 40,000 entities that hold 生态 in 300 plans."""
        sql = "SELECT e.iri FROM pairs JOIN entries AS e ON e.id = pairs.rowid WHERE pairs MATCH ?"
        args: list = [_phrase(grams(term))]
        if plan:
            sql += " AND e.plan = ?"
            args.append(plan)
        if kinds:
            sql += f" AND e.kind IN ({', '.join('?' for _ in kinds)})"
            args += list(kinds)
        try:
            self._current(current)
            sql += " AND e.digest IN (SELECT digest FROM temp.current)"
            return [r[0] for r in self.db.execute(sql, args)]
        except sqlite3.Error as err:
            raise QueryError(f"the search failed: {first_line(err)}", "try simpler terms") from None

    def _current(self, current: dict[str, str]) -> None:
        """The digests the store holds, as a table the search reads."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS current (digest TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM temp.current")
        self.db.executemany("INSERT OR IGNORE INTO temp.current VALUES (?)", [(d,) for d in current.values()])


def exact(term: str) -> bool:
    """Whether the index finds ``term`` wherever it is a substring (a run of Chinese of two
    characters or more; a Latin word is found only whole)."""
    return len(term) >= 2 and all(_CJK.match(c) for c in term)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def grams(text: str) -> str:
    """The text as the index reads it: each run of Chinese as its overlapping pairs of
    characters (a lone character as itself), other words whole."""
    out = []
    for run in _CJK_OR_WORD.findall(text):
        if _CJK.match(run):
            out += [run[k : k + 2] for k in range(len(run) - 1)] or [run]
        else:
            out.append(run)
    return " ".join(out)


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


def usable(path: Path) -> bool:
    """Whether ``path`` is an index this plankg reads (else a build makes a new one)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return bool(db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION)
    except sqlite3.Error:
        return False
