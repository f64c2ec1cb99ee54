"""The plan model: plain dataclasses, every entity with its provenance.

Entities are kept in flat lists and point to their containers by id; ids are paths
derived from the outline (``chapter/9/section/1``), stable across builds, and are
what the graph stage turns into IRIs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1"


@dataclass
class Provenance:
    page_start: int
    page_end: int
    line_start: int  # 1-based, in the source file
    line_end: int
    source: str  # the entity's own source lines, verbatim, joined with "\n"


@dataclass
class Entity:
    id: str
    kind: str
    title: str
    text: str
    provenance: Provenance
    number: int | None = None
    parent: str | None = None  # id of the direct container
    part: str | None = None
    chapter: str | None = None
    section: str | None = None


@dataclass
class Measure(Entity):
    # 'lead-phrase': a paragraph opening with a lead phrase; 'section' / 'chapter': a
    # container with no lead phrases, itself the unit of action.
    unit: str = "lead-phrase"


@dataclass
class Value:
    """One cell of the indicator table, raw and parsed."""

    raw: str
    year: int | None = None
    number: float | None = None
    comparator: str | None = None  # '>', '≥', '<', '≤'
    qualifier: str | None = None  # '左右', '以上', …
    cumulative: bool = False  # printed in [ ]: a five-year cumulative figure
    text: str | None = None  # a textual target ('达到自治区要求')
    empty: bool = False  # '—': no value


@dataclass
class Indicator(Entity):
    category: str | None = None
    unit: str | None = None
    base: Value | None = None
    target: Value | None = None
    annual: Value | None = None  # 年均/累计 column
    nature: str | None = None  # 预期性 | 约束性
    extra: dict[str, Value] = field(default_factory=dict)  # columns beyond the usual ones


@dataclass
class Box(Entity):
    label: str = ""
    occurrence: int = 1  # 2 for the second box printed with the same label


@dataclass
class Project(Entity):
    marker: str = ""
    box: str | None = None


@dataclass
class IndicatorTable:
    title: str
    columns: list[str]
    base_year: int | None
    target_year: int | None
    notes: list[str]
    provenance: Provenance | None
    box_label: str | None = None


@dataclass
class Plan:
    id: str
    title: str | None
    source_name: str
    sha256: str
    encoding: str
    period_start: int | None
    period_end: int | None
    horizon: int | None
    plan_number: int | None  # 14 for a 14th five-year plan
    preface: Entity | None
    parts: list[Entity] = field(default_factory=list)
    chapters: list[Entity] = field(default_factory=list)
    sections: list[Entity] = field(default_factory=list)
    positionings: list[Entity] = field(default_factory=list)
    vision: Entity | None = None
    goals: list[Entity] = field(default_factory=list)
    principles: list[Entity] = field(default_factory=list)
    achievements: list[Entity] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_table: IndicatorTable | None = None
    warnings: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def entities(self) -> list[Entity]:
        """Every entity, in a stable order."""
        out: list[Entity] = [self.preface] if self.preface else []
        out += self.parts + self.chapters + self.sections + self.positionings
        out += [self.vision] if self.vision else []
        out += self.goals + self.principles + self.achievements + self.measures
        out += self.boxes + self.projects + self.indicators
        return out

    def counts(self) -> dict[str, int]:
        return {
            "parts": len(self.parts),
            "chapters": len(self.chapters),
            "sections": len(self.sections),
            "positionings": len(self.positionings),
            "vision": 1 if self.vision else 0,
            "goals": len(self.goals),
            "principles": len(self.principles),
            "achievements": len(self.achievements),
            "measures": len(self.measures),
            "boxes": len(self.boxes),
            "projects": len(self.projects),
            "indicators": len(self.indicators),
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
