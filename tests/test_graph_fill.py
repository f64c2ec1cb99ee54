"""A plan's graph is put into rdflib's memory store in one pass (``kg.rdf.graph.Triples``):
the store must be the one adding each triple would make, down to the order of its indexes."""

from __future__ import annotations

import pytest

from kg.analyse.analysis import analyse
from kg.analyse.concepts import link_plan
from kg.rdf import graph as graph_module
from kg.rdf.graph import Triples, plan_graph


def _ordered(index):
    """A nested index of dicts as nested lists of items, so that order counts."""
    return [(k, _ordered(v)) for k, v in index.items()] if isinstance(index, dict) else index


def _state(g) -> dict:
    store = g.store
    own = f"{g.identifier.__class__.__name__}:{g.identifier}"  # a blank node's: each graph its own

    def name(ctx):
        return "the graph" if ctx == own else ctx

    return {
        "spo": _ordered(store._Memory__spo),
        "pos": _ordered(store._Memory__pos),
        "osp": _ordered(store._Memory__osp),
        "contexts": [(name(k), list(v)) for k, v in store._Memory__contextTriples.items()],
        "default": [(name(k), v) for k, v in store._Memory__defaultContexts.items()],
        "triple contexts": store._Memory__tripleContexts,
        "context names": [name(k) for k in store._Memory__context_obj_map],
        "graphs": len(store._Memory__all_contexts),
    }


@pytest.fixture(scope="module")
def analysed(bundled):
    return analyse(bundled), link_plan(bundled)


def test_the_filled_store_is_the_one_adds_make(bundled, analysed, monkeypatch):
    fast = plan_graph(bundled, *analysed)
    monkeypatch.setattr(graph_module, "_fillable", lambda store: False)  # one add a triple
    slow = plan_graph(bundled, *analysed)
    assert len(fast) == len(slow) > 10_000
    assert _state(fast) == _state(slow)
    assert list(fast) == list(slow)
    assert list(fast.namespaces()) == list(slow.namespaces())


def test_a_store_in_use_is_added_to_one_triple_at_a_time(bundled):
    g = graph_module.new_graph()
    first = next(iter(plan_graph(bundled)))
    g.add(first)
    triples = Triples()
    for t in plan_graph(bundled):
        triples.add(t)
    triples.fill(g)
    assert len(g) == len(triples.triples)


def test_a_triple_of_no_rdf_terms_is_refused():
    triples = Triples()
    triples.add(("not", "rdf", "terms"))  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        triples.fill(graph_module.new_graph())


def test_turtle_reads_the_triples_of_the_graph_alone(bundled):
    from rdflib import Dataset, URIRef

    from kg.rdf.serialize import _triples

    g = plan_graph(bundled)
    assert sorted(_triples(g)) == sorted(g)
    ds = Dataset()
    named = ds.graph(URIRef("https://example.org/g"))
    first, second = list(g)[:2]
    named.add(first)
    ds.graph(URIRef("https://example.org/other")).add(second)  # the store holds another graph's triple
    assert _triples(named) == [first]
