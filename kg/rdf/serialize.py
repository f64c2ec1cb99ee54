"""Graph -> files: Turtle (always), TriG / N-Quads / JSON-LD with the plan's named graph.

Outputs are byte-identical for the same input: rdflib's Turtle writer sorts, and the
line-based formats are sorted here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import cast

from rdflib import BNode, Dataset, Graph, Literal
from rdflib.plugins.stores.memory import Memory

from kg.rdf.vocab import PREFIXES, graph_iri


@dataclass(frozen=True)
class GraphFormat:
    """An RDF file format plankg writes or reads: the one table of them."""

    name: str  # as --format names it
    suffix: str
    rdflib: str  # rdflib's parser name
    oxigraph: str | None  # pyoxigraph's RdfFormat member, where the store loads it
    written: bool  # plankg build writes it


GRAPH_FORMATS = (
    GraphFormat("ttl", ".ttl", "turtle", "TURTLE", True),
    GraphFormat("trig", ".trig", "trig", "TRIG", True),
    GraphFormat("nq", ".nq", "nquads", "N_QUADS", True),
    GraphFormat("jsonld", ".jsonld", "json-ld", None, True),
    GraphFormat("nt", ".nt", "nt", "N_TRIPLES", False),
)
FORMATS = tuple(f.name for f in GRAPH_FORMATS if f.written)  # what plankg build can write


def by_suffix(suffix: str) -> GraphFormat | None:
    return next((f for f in GRAPH_FORMATS if f.suffix == suffix), None)


def one_of(words: list[str]) -> str:
    """'a, b or c': the formats a message offers."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def to_turtle(g: Graph) -> str:
    """Turtle, subjects in IRI order. Written by pyoxigraph from sorted N-Triples: four
    times faster than rdflib's writer and as stable."""
    import pyoxigraph as ox

    lines = sorted(set(nt_lines(g)))
    triples = ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(ns) for prefix, ns in g.namespaces() if prefix in _PREFIXES}
    turtle = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))  # no output file
    return turtle.decode("utf-8")


def nt_lines(g: Graph) -> list[str]:
    """The graph as N-Triples lines (unsorted). rdflib's writer checks every IRI each
    time it appears; a plan names each a dozen times, so each term is written once."""
    written: dict = {}

    def term(t) -> str:
        out = written.get(t)
        if out is None:
            out = written[t] = _nt_term(t)
        return out

    return [f"{term(s)} {term(p)} {term(o)} ." for s, p, o in _triples(g)]


def _triples(g: Graph):
    """The graph's triples, unordered. Read from the subject index where the graph is its
    memory store's only one (a plan's graph): iterating the graph finds each triple's
    contexts as well, a third of writing the Turtle."""
    store = g.store
    if type(store) is Memory and getattr(store, "_Memory__all_contexts", None) == {g}:
        index = getattr(store, "_Memory__spo", None)
        contexts = getattr(store, "_Memory__contextTriples", {})
        if isinstance(index, dict) and set(contexts) <= {None, f"{g.identifier.__class__.__name__}:{g.identifier}"}:
            return [(s, p, o) for s, po in index.items() for p, objects in po.items() for o in objects]
    return list(g)


def _nt_term(t) -> str:
    if isinstance(t, Literal):
        lexical = '"' + str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if t.language:
            return f"{lexical}@{t.language}"
        return f"{lexical}^^<{t.datatype}>" if t.datatype else lexical
    if isinstance(t, BNode):
        return f"_:{t}"
    return f"<{t}>"


_PREFIXES = tuple(PREFIXES)


def _dataset(g: Graph, plan_id: str) -> Dataset:
    ds = Dataset()
    for prefix, ns in g.namespaces():
        ds.bind(prefix, ns)
    named = ds.graph(graph_iri(plan_id))
    for triple in g:
        named.add(triple)
    return ds


def serialize(g: Graph, plan_id: str, fmt: str) -> str:
    if fmt == "ttl":
        return to_turtle(g)
    if fmt == "nq":
        nq = _dataset(g, plan_id).serialize(format="nquads")
        return "".join(sorted(line + "\n" for line in nq.splitlines() if line.strip()))
    if fmt == "trig":
        return _dataset(g, plan_id).serialize(format="trig")
    if fmt == "jsonld":
        data = json.loads(_dataset(g, plan_id).serialize(format="json-ld"))
        return json.dumps(_sorted_jsonld(data), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(fmt)


def _sorted_jsonld(data):
    """JSON-LD with nodes and value lists in a stable order."""
    if isinstance(data, list):
        items = [_sorted_jsonld(x) for x in data]
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    if isinstance(data, dict):
        return {k: _sorted_jsonld(v) for k, v in sorted(data.items())}
    return data
