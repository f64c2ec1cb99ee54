"""Stage 4e: analysis of the extracted plan — alignment links, places, stated targets
against the table, and the mapping to national indicators — ready for the graph."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.analyse.alignment import Alignment, Link, align, kept, vocabulary_lexicon
from kg.analyse.consistency import TargetCheck, check_targets
from kg.analyse.frameworks import NationalMatch, map_to_national
from kg.analyse.nlp import lexicon_of
from kg.analyse.themes import key_terms
from kg.analyse.vertical import align_national
from kg.model import Plan

# Links kept in the graph as pk:Alignment nodes: those scoring at least this floor. The
# direct-link thresholds are higher (kg.analyse.alignment.THRESHOLDS); the links between floor and
# threshold are the near misses a reader checks. Weaker ones are noise no reader queries,
# and keeping each item's best link however weak would add a seventh of every graph.
LINK_FLOOR = 0.2


@dataclass
class Analysis:
    alignment: Alignment
    places: dict[str, list[str]]  # entity id -> places its text names
    checks: list[TargetCheck]
    national: list[NationalMatch]
    kept: list[Link] = field(default_factory=list)
    themes: dict[str, list[str]] = field(default_factory=dict)  # box/project id -> its title's specific words
    vertical: list[Link] = field(default_factory=list)  # items against the national plan's chapters (all kept)
    place_names: dict[str, list[str]] = field(default_factory=dict)  # a place -> its names, the main one first


def analyse(plan: Plan, nlp=None) -> Analysis:
    """``nlp``: the plan's pipeline from ``kg.analyse.nlp.build_nlp``, if one is at hand; the
    analysis needs only its lexicon (with the vocabulary of what moves its indicators and
    serves the SDGs), and makes that alone otherwise."""

    lexicon = lexicon_of(nlp) if nlp is not None else vocabulary_lexicon(plan)
    alignment = align(plan, lexicon)
    places = {}
    for e in plan.entities():
        found = sorted(lexicon.find_places(f"{e.title}。{e.text}"))
        if found:
            places[e.id] = found
    names = {name: lexicon.places.names_of(name) for found in places.values() for name in found}
    vertical = align_national(plan, lexicon)
    return Analysis(
        alignment,
        places,
        check_targets(plan),
        map_to_national(plan.indicators),
        kept_links(alignment) + vertical,
        key_terms(plan, lexicon),
        vertical,
        names,
    )


def kept_links(alignment: Alignment) -> list[Link]:
    """Links from ``LINK_FLOOR`` up, and every item's best positioning and goal."""
    return kept(alignment, LINK_FLOOR)
