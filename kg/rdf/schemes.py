"""The reference frameworks a plan is aligned with and compared by, as SKOS schemes: the
17 UN SDGs, the national 14th FYP's 20 main indicators, and the indicator concepts plans
share (data in ``kg/reference/``)."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.analyse.concepts import match
from kg.analyse.values import of_figure
from kg.rdf.graph import VALUE_KINDS, comparable_triples, new_graph, value_triples, zh
from kg.rdf.vocab import PK, SDG_BASE, concept_iri, national_iri, sdg_iri
from kg.read.indicators import parse_value
from kg.reference import IndicatorConcept, NationalIndicator, indicator_concepts, national_indicators, sdgs


def _concept(g: Graph, c: URIRef, scheme: URIRef, number: int, name_zh: str) -> None:
    g.add((c, RDF.type, SKOS.Concept))
    g.add((c, SKOS.inScheme, scheme))
    g.add((c, SKOS.notation, Literal(str(number))))
    g.add((c, SKOS.prefLabel, zh(name_zh)))


def reference_graph() -> Graph:
    """SKOS schemes for the 17 SDGs and the national 14th FYP's 20 main indicators."""
    g = new_graph()
    g.bind("sdg", SDG_BASE)
    for scheme in (PK.SDGScheme, PK.NationalIndicatorScheme):
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for s in sdgs():
        c = sdg_iri(s.number)
        _concept(g, c, PK.SDGScheme, s.number, s.name_zh)
        g.add((c, SKOS.topConceptOf, PK.SDGScheme))
        g.add((c, SKOS.prefLabel, Literal(s.name_en, lang="en")))
        g.add((c, SKOS.definition, zh(s.statement_zh)))
    concepts = {concept.slug: concept for concept in indicator_concepts()}
    for n in national_indicators():
        c = national_iri(n.number)
        _concept(g, c, PK.NationalIndicatorScheme, n.number, n.name)
        g.add((c, PK.unit, Literal(n.unit)))
        g.add((c, PK.nature, PK.Binding if n.nature == "约束性" else PK.Anticipatory))
        notes = (("类别", n.category), ("2025年目标", n.target_2025), ("年均/累计", n.annual_or_cumulative))
        for label, raw in notes:
            if raw:
                g.add((c, SKOS.note, zh(f"{label}：{raw}")))
        found = match(f"indicator/{n.number}", n.name, n.unit)
        if found:
            relation = SKOS.exactMatch if found.relation == "exact" else SKOS.closeMatch
            g.add((c, relation, concept_iri(found.concept)))
        _national_values(g, c, n, concepts.get(found.concept) if found else None)
    _concept_scheme(g)
    return g


def _national_values(g: Graph, c: URIRef, n: NationalIndicator, concept: IndicatorConcept | None) -> None:
    """The national indicator's 2025 target and its annual or five-year figure, as values a
    14th plan's targets compare with."""
    for column, prop, raw in (
        ("target", PK.targetValue, n.target_2025),
        ("annual", PK.annualValue, n.annual_or_cumulative),
    ):
        if not raw:
            continue
        node, value = URIRef(f"{c}/value/{column}"), parse_value(raw)
        g.add((c, prop, node))
        value_triples(g, node, value)
        figure = of_figure(str(node), value, n.unit, concept, 2025) if concept else None
        if figure is not None:
            comparable_triples(g, node, figure)


def _concept_scheme(g: Graph) -> None:
    g.add((PK.IndicatorConceptScheme, RDF.type, SKOS.ConceptScheme))
    for concept in indicator_concepts():
        c = concept_iri(concept.slug)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, PK.IndicatorConceptScheme))
        g.add((c, SKOS.topConceptOf, PK.IndicatorConceptScheme))
        g.add((c, SKOS.notation, Literal(concept.slug)))
        g.add((c, SKOS.prefLabel, zh(concept.label_zh)))
        g.add((c, SKOS.prefLabel, Literal(concept.label_en, lang="en")))
        g.add((c, SKOS.definition, Literal(concept.definition_en, lang="en")))
        for label in concept.alt_labels:
            g.add((c, SKOS.altLabel, zh(label)))
        for term in concept.drivers:
            g.add((c, PK.driverTerm, zh(term)))
        g.add((c, PK.quantityKind, Literal(concept.quantity)))
        g.add((c, PK.theme, Literal(concept.category)))
        if concept.unit:
            g.add((c, PK.unit, Literal(concept.unit)))
        if concept.target_kind in VALUE_KINDS:
            g.add((c, PK.valueKind, VALUE_KINDS[concept.target_kind]))
