"""Graph -> files: Turtle (always), TriG / N-Quads / JSON-LD with the plan's named graph.

Outputs are byte-identical for the same input: rdflib's Turtle writer sorts, and the
line-based formats are sorted here.
"""

from __future__ import annotations

import json

from rdflib import BNode, Dataset, Graph, Literal

from .vocab import graph_iri

FORMATS = ("ttl", "trig", "nq", "jsonld")


def to_turtle(g: Graph) -> str:
    """Turtle, subjects in IRI order. Written by pyoxigraph from sorted N-Triples: four
    times faster than rdflib's writer and as stable."""
    import pyoxigraph as ox

    lines = sorted(set(nt_lines(g)))
    triples = ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(ns) for prefix, ns in g.namespaces() if prefix in _PREFIXES}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def nt_lines(g: Graph) -> list[str]:
    """The graph as N-Triples lines (unsorted). rdflib's writer checks every IRI each
    time it appears; a plan names each a dozen times, so each term is written once."""
    written: dict = {}

    def term(t) -> str:
        out = written.get(t)
        if out is None:
            out = written[t] = _nt_term(t)
        return out

    return [f"{term(s)} {term(p)} {term(o)} ." for s, p, o in g]


def _nt_term(t) -> str:
    if isinstance(t, Literal):
        lexical = '"' + str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if t.language:
            return f"{lexical}@{t.language}"
        return f"{lexical}^^<{t.datatype}>" if t.datatype else lexical
    if isinstance(t, BNode):
        return f"_:{t}"
    return f"<{t}>"


_PREFIXES = ("pk", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "owl", "sdg", "void")


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
