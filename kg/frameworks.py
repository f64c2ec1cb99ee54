"""Beyond the plan: the UN SDGs and the national 14th FYP's main indicators as SKOS
schemes, and the plan's indicators mapped to the national ones (same, narrower, none)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .graph import new_graph, zh
from .model import Indicator
from .reference import NationalIndicator, national_indicators, sdgs
from .vocab import PK

SDG_BASE = "https://w3id.org/plankg/sdg/"
NATIONAL_BASE = "https://w3id.org/plankg/national-14th/indicator/"

# The genre's names for the same quantity at national and at local level.
_LEVEL_TERMS = [("国内生产总值（GDP）", "GDP"), ("国内生产总值", "GDP"), ("地区生产总值", "GDP")]
_SAME_TERMS = [("每万人口", "每万人"), ("每千人口", "每千人"), ("亿吨标准煤", "亿吨标煤")]


def sdg_iri(number: int) -> URIRef:
    return URIRef(f"{SDG_BASE}{number}")


def national_iri(number: int) -> URIRef:
    return URIRef(f"{NATIONAL_BASE}{number}")


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
    for n in national_indicators():
        c = national_iri(n.number)
        _concept(g, c, PK.NationalIndicatorScheme, n.number, n.name)
        g.add((c, PK.unit, Literal(n.unit)))
        g.add((c, PK.nature, PK.Binding if n.nature == "约束性" else PK.Anticipatory))
        notes = (("类别", n.category), ("2025年目标", n.target_2025), ("年均/累计", n.annual_or_cumulative))
        for label, raw in notes:
            if raw:
                g.add((c, SKOS.note, zh(f"{label}：{raw}")))
    return g


@dataclass(frozen=True)
class NationalMatch:
    indicator: str
    national: int | None
    relation: str  # same | narrower | none


def _norm(name: str, level: bool) -> str:
    name = name.replace(" ", "")
    for a, b in _SAME_TERMS:
        name = name.replace(a, b)
    if level:
        for a, b in _LEVEL_TERMS:
            name = name.replace(a, b)
    return re.sub(r"[（(][^）)]*[）)]", "", name) if level else name


def _dice(a: str, b: str) -> float:
    x = {a[i:i + 2] for i in range(len(a) - 1)}
    y = {b[i:i + 2] for i in range(len(b) - 1)}
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def map_to_national(indicators: list[Indicator], national: list[NationalIndicator] | None = None) -> list[NationalMatch]:
    """same: the same name (modulo the genre's spelling variants); narrower: the local
    counterpart of a national indicator ('地区生产总值' for '国内生产总值') or a close variant
    of it; none otherwise."""
    national = national if national is not None else national_indicators()
    out = []
    for ind in indicators:
        best, relation, best_score = None, "none", 0.0
        for n in national:
            if _norm(ind.title, False) == _norm(n.name, False):
                best, relation, best_score = n.number, "same", 2.0
                break
            if _norm(ind.title, True) == _norm(n.name, True):
                score = 1.5
            else:
                score = _dice(_norm(ind.title, True), _norm(n.name, True))
            if score > best_score and score >= 0.6:
                best, relation, best_score = n.number, "narrower", score
        out.append(NationalMatch(ind.id, best, relation))
    return out
