"""Reference frameworks beyond the plan: the UN SDGs and the national 14th FYP's main indicators."""

from __future__ import annotations

import csv
import io
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
