"""Reference data beyond the plan: the UN SDGs, the national 14th FYP's main indicators, the
indicator concepts plans share (with what moves them), and the administrative divisions."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class SDG:
    number: int
    name_zh: str
    name_en: str
    statement_zh: str

    @property
    def id(self) -> str:
        return f"sdg/{self.number}"


@dataclass(frozen=True)
class NationalIndicator:
    number: int
    category: str
    name: str
    unit: str
    target_2025: str
    annual_or_cumulative: str
    nature: str


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files(__name__) / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def sdgs() -> list[SDG]:
    statements = {int(r["number"]): r["statement_zh"] for r in _rows("sdg-statements.csv")}
    return [SDG(int(r["number"]), r["name_zh"], r["name_en"], statements[int(r["number"])]) for r in _rows("sdgs.csv")]


def national_indicators() -> list[NationalIndicator]:
    return [
        NationalIndicator(
            int(r["number"]),
            r["category"],
            r["name"],
            r["unit"],
            r["target_2025"],
            r["annual_or_cumulative"],
            r["nature"],
        )
        for r in _rows("national-14th-fyp-main-indicators.csv")
    ]


@dataclass(frozen=True)
class IndicatorConcept:
    """A quantity plans measure, shared by all plans (``indicator-concepts.csv``)."""

    slug: str
    label_zh: str
    label_en: str
    definition_en: str
    quantity: str  # growth-rate | change | share | per-capita | density | amount | years | concentration | other
    unit: str  # the canonical unit
    target_kind: str  # level | annual | cumulative: how its targets are usually stated
    category: str
    alt_labels: tuple[str, ...]
    drivers: tuple[str, ...]  # what moves it: outputs and activities (indicator-drivers.csv)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label_zh, *self.alt_labels)


def _terms(cell: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in cell.split(";") if t.strip())


def indicator_concepts() -> list[IndicatorConcept]:
    drivers = {r["slug"]: _terms(r["terms"]) for r in _rows("indicator-drivers.csv")}
    return [
        IndicatorConcept(
            r["slug"],
            r["label_zh"],
            r["label_en"],
            r["definition_en"],
            r["quantity"],
            r["unit"],
            r["target_kind"],
            r["category"],
            _terms(r["alt_labels"]),
            drivers.get(r["slug"], ()),
        )
        for r in _rows("indicator-concepts.csv")
    ]


def sdg_terms() -> dict[int, tuple[str, ...]]:
    """What serves each SDG, as words plans use (``sdg-terms.csv``)."""
    return {int(r["number"]): _terms(r["terms"]) for r in _rows("sdg-terms.csv")}


@dataclass(frozen=True)
class Region:
    """An administrative division (GB/T 2260 code) a plan may be for (``regions.csv``)."""

    code: str
    name: str  # full: 锡林郭勒盟
    short: str  # as plans also print it: 锡林郭勒
    level: str  # national | province | city
    parent: str  # the province's code, for a city


def regions() -> list[Region]:
    return [Region(r["code"], r["name"], r["short"], r["level"], r["parent"]) for r in _rows("regions.csv")]


def alignment_figures() -> dict[str, float]:
    """The alignment's measured quality ('<plan>/<kind>/<fit|held>/<top1|precision|recall>'),
    as ``bench/bench_alignment.py --record`` wrote it: what a report tells a reader to trust."""
    return json.loads((resources.files(__name__) / "alignment-figures.json").read_text(encoding="utf-8"))
