"""The plan model: plain dataclasses, every entity with its provenance.

Entities are kept in flat lists and point to their containers by id; ids are paths
derived from the outline (``chapter/9/section/1``), stable across builds, and are
what the graph stage turns into IRIs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kg.kinds import ENTITY_KINDS

SCHEMA_VERSION = "3"  # 3: region_code; 2: pages may be null (a web page), marker, goals' targets, plan level …


@dataclass
class Provenance:
    page_start: int | None  # None where the text prints no page numbers (a web page)
    page_end: int | None
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
    marker: str | None = None  # the number as printed: '第九章', '一、', '1.1', '（三）', '01'


@dataclass
class Target:
    """A figure a text states as a target ('研发经费投入年均增长7%以上')."""

    text: str  # the figure as printed, with its verb and qualifier
    term: str  # what it is about, as printed before it
    number: float
    upper: float | None = None
    unit: str | None = None
    comparator: str | None = None
    qualifier: str | None = None


@dataclass
class Goal(Entity):
    targets: list[Target] = field(default_factory=list)  # figures its text states


@dataclass
class Measure(Entity):
    # 'lead-phrase': a paragraph opening with a lead phrase; 'subheading': a numbered heading
    # below the section level with its paragraphs; 'section' / 'chapter': a container with
    # neither, itself the unit of action.
    unit: str = "lead-phrase"


@dataclass
class Value:
    """One cell of the indicator table, raw and parsed."""

    raw: str
    year: int | None = None
    number: float | None = None
    upper: float | None = None  # the upper end of a range ('4.5-5', '［25—27］')
    comparator: str | None = None  # '>', '≥', '<', '≤'
    qualifier: str | None = None  # '左右', '以上', …
    cumulative: bool = False  # printed in [ ]: a five-year cumulative figure
    text: str | None = None  # a textual target ('达到自治区要求')
    empty: bool = False  # '—': no value
    mark: str | None = None  # a footnote mark after the figure ('6左右∗': an estimate)


@dataclass
class Indicator(Entity):
    category: str | None = None
    unit: str | None = None
    base: Value | None = None
    target: Value | None = None
    annual: Value | None = None  # 年均/累计 column
    nature: str | None = None  # 预期性 | 约束性
    group: str | None = None  # a sub-row's group ('其中' rows, rows printed under a group name)
    note: str | None = None  # the row's 备注 cell
    extra: dict[str, Value] = field(default_factory=dict)  # columns beyond the usual ones
    table: str = "indicator-table"  # id of the table it was read from


@dataclass
class Box(Entity):
    label: str = ""
    occurrence: int = 1  # 2 for the second box printed with the same label


@dataclass
class Project(Entity):
    box: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)  # the other columns of a box printed as a table


@dataclass
class IndicatorTable:
    id: str
    title: str
    columns: list[str]
    base_year: int | None
    target_year: int | None
    notes: list[str]
    provenance: Provenance | None
    box_label: str | None = None
    own: bool = True  # False: a table of how the previous plan's targets were met (…完成情况)


# The plan's entity fields and the kind of entity each holds, in reading order (kg.kinds).
ENTITY_FIELDS = {k.field: k.name for k in ENTITY_KINDS if k.field}


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
    level: str | None = None  # national | province | city | district
    region: str | None = None  # the place the plan is for, as printed ('广州市')
    region_code: str | None = None  # its administrative division code (GB/T 2260: '440100'), where known
    adopted: str | None = None  # the adoption statement as printed ('…人民代表大会第四次会议批准')
    document_number: str | None = None  # e.g. '穗府〔2026〕4号'
    truncated: bool = False  # the text stops before the plan's end
    body_lines: int = 0  # lines of the plan's text (no navigation, contents or page markers)
    unread_lines: list[int] = field(default_factory=list)  # body lines that ended in no entity
    suspect_empty: list[str] = field(default_factory=list)  # classes empty though the text suggests them
    parts: list[Entity] = field(default_factory=list)
    chapters: list[Entity] = field(default_factory=list)
    sections: list[Entity] = field(default_factory=list)
    positionings: list[Entity] = field(default_factory=list)
    vision: Entity | None = None
    goals: list[Goal] = field(default_factory=list)
    principles: list[Entity] = field(default_factory=list)
    achievements: list[Entity] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_table: IndicatorTable | None = None  # the first table of the plan's own indicators
    indicator_tables: list[IndicatorTable] = field(default_factory=list)
    previous_indicators: list[Indicator] = field(default_factory=list)  # from a …完成情况 table
    warnings: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def entities(self) -> list[Entity]:
        """Every entity, in a stable order (that of kg.kinds)."""
        out: list[Entity] = []
        for name in ENTITY_FIELDS:
            value = getattr(self, name)
            out += value if isinstance(value, list) else [value] if value is not None else []
        return out

    def counts(self) -> dict[str, int]:
        out = {}
        for name in ENTITY_FIELDS:
            value = getattr(self, name)
            out[name] = len(value) if isinstance(value, list) else int(value is not None)
        del out["preface"]
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
