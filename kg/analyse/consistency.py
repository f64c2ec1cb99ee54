"""Text against table: every quantity target stated in the plan's text, matched to the
main-indicator table — agrees, conflicts (both shown), or is not in the table."""

from __future__ import annotations

from dataclasses import dataclass

from kg.analyse.nlp import Quantity, quantities
from kg.analyse.similarity import bigram_dice
from kg.model import Entity, Indicator, Plan

# Past achievements and the preface state where things stand, not targets.
_SKIP_KINDS = {"achievement", "preface", "indicator", "part", "chapter"}


@dataclass(frozen=True)
class TargetCheck:
    entity: str  # id of the entity whose text states the target
    number: int  # ordinal of the statement within the entity
    quantity: Quantity
    indicator: str | None  # matching indicator id
    table_value: str | None  # the table's raw cell compared with
    status: str  # agrees | conflicts | not-in-table | no-number-in-table


def match_indicator(term: str, indicators: list[Indicator]) -> Indicator | None:
    """The indicator a text term names: contained one in the other, or close in characters."""
    best, best_score = None, 0.0
    for ind in indicators:
        name = ind.title
        if term == name or term in name or name in term:
            score = 1.0 + min(len(term), len(name)) / max(len(term), len(name))
        else:
            score = bigram_dice(term, name)
        if score > best_score:
            best, best_score = ind, score
    return best if best_score >= 0.6 else None


def _compare(q: Quantity, ind: Indicator) -> tuple[str | None, str]:
    for value in (ind.target, ind.annual):
        if value is not None and value.number is not None:
            same = abs(value.number - q.number) < 1e-9
            return value.raw, "agrees" if same else "conflicts"
    raw = ind.target.raw if ind.target else None
    return raw, "no-number-in-table"


def check_targets(plan: Plan) -> list[TargetCheck]:
    checks: list[TargetCheck] = []
    entities: list[Entity] = [e for e in plan.entities() if e.kind not in _SKIP_KINDS]
    for e in entities:
        for n, q in enumerate(quantities(e.text), start=1):
            ind = match_indicator(q.term, plan.indicators)
            if ind is not None and q.unit and ind.unit and q.unit != ind.unit:
                ind = None  # '人均地区生产总值突破1万美元' is no growth rate in %
            if ind is None:
                checks.append(TargetCheck(e.id, n, q, None, None, "not-in-table"))
                continue
            raw, status = _compare(q, ind)
            checks.append(TargetCheck(e.id, n, q, ind.id, raw, status))
    return checks
