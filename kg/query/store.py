"""The embedded SPARQL store (pyoxigraph): load built graphs, run queries.

Each plan's Turtle goes into its own named graph; queries see the union of all
graphs as their default graph, so simple queries need no GRAPH clause and a
``GRAPH ?g`` pattern still tells plans apart.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError, QueryError, first_line
from kg.query import search
from kg.query.disk import STORE, current, open_read_only
from kg.query.engine import Answer, Result, plan_dataset, query, run, term_text
from kg.rdf.serialize import GRAPH_FORMATS, one_of
from kg.rdf.vocab import GRAPH_BASE, ONTOLOGY_FILES, ONTOLOGY_GRAPH, ontology_text

__all__ = ["Answer", "Result", "find", "candidates", "load_store", "plan_dataset", "query", "run", "term_text"]

# The graph files the store loads, by suffix.
_FORMATS = {f.suffix: getattr(ox.RdfFormat, f.oxigraph) for f in GRAPH_FORMATS if f.oxigraph}


def graph_files(data: Path) -> list[Path]:
    """The graph files to load: one file, or every plan's .ttl in a build folder."""
    if not data.exists():
        raise DataError(f"no such file or folder: {data}", "run 'plankg build' first, or give --data")
    if data.is_file():
        if data.suffix not in _FORMATS:
            raise DataError(f"cannot load {data.name}", f"give a {one_of(list(_FORMATS))} file")
        return [data]
    files = sorted(data.glob("*.ttl"))
    if not files:
        raise DataError(f"no plan graphs (*.ttl) in {data}", "run 'plankg build' first, or give --data")
    return files


def load_store(data: str | Path = "build", with_ontology: bool = True) -> ox.Store:
    """The graphs to query: a build folder's on-disk store (``store/``, written by
    ``plankg build``) opened read-only, else its Turtle files loaded in memory."""
    data = Path(data)
    if data.is_dir() and (data / STORE).exists():
        return open_read_only(data)
    store = ox.Store()
    for path in graph_files(data):
        fmt = _FORMATS[path.suffix]
        graph = ox.NamedNode(GRAPH_BASE + path.stem) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES) else None
        try:
            store.load(path=str(path), format=fmt, to_graph=graph)
        except (SyntaxError, ValueError, OSError) as err:
            raise DataError(f"cannot load {path}: {first_line(err)}", "rebuild it with 'plankg build'") from None
    if with_ontology:
        for name in ONTOLOGY_FILES:
            store.load(ontology_text(name), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    return store


def find(
    data: str | Path, terms: list[str], plan: str | None = None, kind: str | None = None, limit: int = 20
) -> list[search.Hit]:
    """The entities of a build (or of graph files) holding every term, best first."""
    data = Path(data)
    if kind and kind not in search.SEARCH_KINDS:
        close = difflib.get_close_matches(kind, search.SEARCH_KINDS, n=1)
        raise QueryError(
            f"no kind {kind!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
            f"give one of: {', '.join(search.SEARCH_KINDS)}",
        )
    if data.is_dir() and (data / STORE).exists():
        stamps = search.current_stamps(open_read_only(data))
        version = current(data)
        index = search.Index(version / search.INDEX if version else data / STORE / search.INDEX)
    else:
        index, stamps = search.Index(None, create=True), {}
        for path in graph_files(data):
            if path.suffix == ".ttl":
                turtle, graph = path.read_bytes(), GRAPH_BASE + path.stem
                stamps[graph] = search.digest(turtle)
                index.add(graph, stamps[graph], search.entries(path.stem, turtle))
    try:
        hits = index.search(terms, stamps, plan, kind, limit)
        if plan and not hits and plan not in (known := index.plans()):
            close = difflib.get_close_matches(plan, known, n=1)
            raise QueryError(
                f"no plan {plan!r} in {data}" + (f" (did you mean {close[0]!r}?)" if close else ""),
                "the plans: " + ", ".join(known[:12]) + (" …" if len(known) > 12 else ""),
            )
        return hits
    finally:
        index.close()


def candidates(data: str | Path, term: str, plan: str | None = None, kinds: tuple[str, ...] = ()) -> list[str]:
    """The IRIs of a build's entities (of ``kinds``, if given) that hold ``term``, from its
    text index: every one that does, for a term ``search.exact`` says the index finds."""
    version = current(data)
    index = search.Index(version / search.INDEX if version else Path(data) / STORE / search.INDEX)
    try:
        return index.iris(term, search.current_stamps(open_read_only(data)), plan, kinds)
    finally:
        index.close()
