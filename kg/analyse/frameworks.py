"""Beyond the plan: its indicators mapped to the national 14th FYP's main indicators
(same, narrower, none). The schemes themselves are RDF: ``kg.rdf.schemes``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.analyse.similarity import bigram_dice
from kg.model import Indicator
from kg.reference import NationalIndicator, national_indicators

# The genre's names for the same quantity at national and at local level.
_LEVEL_TERMS = [("国内生产总值（GDP）", "GDP"), ("国内生产总值", "GDP"), ("地区生产总值", "GDP")]
_SAME_TERMS = [("每万人口", "每万人"), ("每千人口", "每千人"), ("亿吨标准煤", "亿吨标煤")]


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


def map_to_national(
    indicators: list[Indicator], national: list[NationalIndicator] | None = None
) -> list[NationalMatch]:
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
                score = bigram_dice(_norm(ind.title, True), _norm(n.name, True))
            if score > best_score and score >= 0.6:
                best, relation, best_score = n.number, "narrower", score
        out.append(NationalMatch(ind.id, best, relation))
    return out
