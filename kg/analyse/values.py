"""Values that compare across plans: a figure in its concept's unit, with what kind of
figure it is (a level reached, an average annual rate, a change over the period) and the
year it is for.

'>50 亿斤' (Bayannur's grain capacity) and '1.45万亿斤左右' (the national plan's) become
0.0276 and 7.25 亿吨, both levels for their plans' end years. A unit that measures
something else than the concept's (亿元 against %), or that plankg does not know, gives no
comparable number: the raw text stays, and nothing is converted that is not safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import Indicator, IndicatorTable, Plan, Target, Value
from kg.reference import IndicatorConcept
from kg.units import parse

LEVEL, ANNUAL, CUMULATIVE = "level", "annual", "cumulative"


@dataclass(frozen=True)
class Comparable:
    node: str  # the value's id: 'indicator/3/value/target', 'goal/2/stated-target/1'
    number: float  # in the concept's unit
    upper: float | None  # the range's upper end, in the concept's unit
    unit: str  # the concept's unit
    kind: str  # level | annual | cumulative
    year: int | None  # the year it is for (a level's year, a period's end)


def _kind(concept: IndicatorConcept, cumulative: bool) -> str:
    if cumulative:
        return CUMULATIVE
    if concept.quantity == "growth-rate":
        return ANNUAL  # a growth rate is an average over the period, wherever it is printed
    if concept.quantity == "change":
        return CUMULATIVE if concept.target_kind == CUMULATIVE else LEVEL
    # A level, also in a 年均/累计 column without brackets ('<5.5' unemployment every year).
    return LEVEL


def _converted(number: float | None, unit: str | None, concept: IndicatorConcept) -> float | None:
    if number is None:
        return None
    if (unit or "") == concept.unit:
        return number
    source, target = parse(unit), parse(concept.unit)
    if source is None or target is None:
        return None
    converted = source.convert(number, target)
    return None if converted is None else float(f"{converted:.6g}")


def of_indicator(
    ind: Indicator, concept: IndicatorConcept, table: IndicatorTable | None, plan: Plan
) -> list[Comparable]:
    """The indicator's base, target and annual figures that compare, in the concept's unit."""
    base_year = table.base_year if table else None
    target_year = (table.target_year if table else None) or plan.period_end
    out = []
    for column, value, year in (
        ("base", ind.base, base_year),
        ("target", ind.target, target_year),
        ("annual", ind.annual, target_year),
    ):
        c = of_figure(f"{ind.id}/value/{column}", value, ind.unit, concept, year)
        if c is not None:
            out.append(c)
    return out


def of_figure(
    node: str, value: Value | None, unit: str | None, concept: IndicatorConcept, year: int | None
) -> Comparable | None:
    if value is None or value.number is None:
        return None
    number = _converted(value.number, unit, concept)
    if number is None:
        return None
    kind = _kind(concept, value.cumulative)
    return Comparable(node, number, _converted(value.upper, unit, concept), concept.unit, kind, value.year or year)


def of_target(node: str, target: Target, concept: IndicatorConcept, plan: Plan) -> Comparable | None:
    """A figure a goal states ('降低17%', '达到25.8%'), in the concept's unit."""
    number = _converted(target.number, target.unit, concept)
    if number is None:
        return None
    # A goal states a five-year figure as the concept's targets are usually stated ('新增…25—27万套').
    kind = _kind(concept, concept.target_kind == CUMULATIVE and concept.quantity != "growth-rate")
    return Comparable(node, number, _converted(target.upper, target.unit, concept), concept.unit, kind, plan.period_end)
