"""The table of kinds (kg/kinds.py) against what it is the source of: the ontology declares
each class, the model holds each field, the graph types each entity with its class."""

from __future__ import annotations

import typing

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV, SKOS

from kg import model as M
from kg.kinds import ENTITY_KINDS, KINDS
from kg.rdf.graph import plan_graph
from kg.rdf.vocab import ONTOLOGY_FILES, PK, ontology_text
from kg.shells.build import SUMMARY_CLASSES
from kg.viz.data import STYLE


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for name in ONTOLOGY_FILES:
        g.parse(data=ontology_text(name), format="turtle")
    return g


def test_names_are_unique():
    for attribute in ("name", "field", "pk"):
        values = [getattr(k, attribute) for k in KINDS if getattr(k, attribute)]
        assert len(values) == len(set(values)), attribute


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_ontology_declares_the_class_with_labels_and_a_definition(ontology, kind):
    c = URIRef(str(PK._NS) + kind.pk)
    assert (c, RDF.type, OWL.Class) in ontology
    for predicate in (RDFS.label, SKOS.definition):
        assert {o.language for o in ontology.objects(c, predicate)} >= {"zh", "en"}, (kind.pk, predicate)
    if kind.entity:
        parents = set(ontology.transitive_objects(c, RDFS.subClassOf))
        assert PK.PlanEntity in parents, f"{kind.pk} is no pk:PlanEntity"


@pytest.mark.parametrize("kind", [k for k in KINDS if k.field], ids=lambda k: k.name)
def test_the_model_holds_each_kind_in_its_field(kind):
    cls = getattr(M, kind.model)
    hint = typing.get_type_hints(M.Plan)[kind.field]
    held = typing.get_args(hint)
    assert cls in held, f"Plan.{kind.field} is {hint}, not of {kind.model}"
    if kind.entity:
        assert issubclass(cls, M.Entity)


def test_every_entity_field_of_the_model_is_a_kind():
    kinds = {k.field for k in ENTITY_KINDS}
    for name, hint in typing.get_type_hints(M.Plan).items():
        held = [a for a in typing.get_args(hint) if isinstance(a, type)]
        if any(issubclass(a, M.Entity) for a in held):
            assert name in kinds, f"Plan.{name} holds entities but kg/kinds.py has no kind for it"


def test_every_entity_of_the_graph_has_its_kind_s_class(bundled):
    g = plan_graph(bundled)
    classes = {getattr(PK, k.pk) for k in KINDS}
    derived = set(g.subjects(PROV.wasDerivedFrom, None))
    assert len(derived) == len(bundled.entities()) + len([t for t in bundled.indicator_tables if t.provenance])
    for s in derived:
        assert set(g.objects(s, RDF.type)) & classes, s


def test_derived_tables_follow_the_kinds():
    assert M.ENTITY_FIELDS["chapters"] == "chapter" and list(M.ENTITY_FIELDS)[0] == "preface"
    assert SUMMARY_CLASSES[:4] == ("Plan", "Part", "Chapter", "Section") and "Preface" not in SUMMARY_CLASSES
    assert set(STYLE) == {k.pk for k in KINDS if k.style} and "PreviousPlanIndicator" not in STYLE


def test_the_model_documentation_names_every_kind_and_field():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
    kind_row = next(line for line in doc.splitlines() if line.startswith("| `kind` |"))
    for kind in ENTITY_KINDS:
        assert f"`{kind.name}`" in kind_row, kind.name
        assert f"`{kind.field}`" in doc, kind.field
