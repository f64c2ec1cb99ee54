"""The kinds of node a plan's graph holds: one table, from which the rest is derived.

Derived from it: the plan model's entity fields and counts (``kg.model``), the JSON Schema
(``kg.schema``), the graph's classes (``kg.rdf.graph``), the build summary
(``kg.shells.build``) and the browser's legend and styles (``kg.viz``). Checked against
it by the tests: the ontology declares each class with its labels and definition
(``ontology/plankg.ttl``, the one home of those), the model has each field and class.

Adding a kind: a row here, its class in the ontology, its field on ``Plan``, and the code
that reads it from the text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """How the graph browser draws a kind."""

    zh: str  # the legend's short name
    en: str
    colour: str
    shape: str  # a vis-network shape
    size: int
    overview: bool  # shown in the overview (before a chapter is expanded)


@dataclass(frozen=True)
class Kind:
    name: str  # the model's ``kind``, and the segment of an entity's id: 'chapter/9'
    field: str | None  # the Plan field holding them (a list, or one); None for the plan itself
    model: str  # the kg.model class of one
    pk: str  # the ontology class (pk:Chapter), declared with its labels in ontology/plankg.ttl
    entity: bool  # an entity of the text, with provenance: in Plan.entities() and counted
    summary: bool  # counted in the build summary
    style: Style | None = None  # drawn by the graph browser


# One row a kind, in reading order (the order of the model's fields and of the legend).
# fmt: off
KINDS = (
    Kind("plan", None, "Plan", "Plan", False, True, Style("规划", "plan", "#1f2937", "star", 40, True)),
    Kind("preface", "preface", "Entity", "Preface", True, False, Style("序言", "preface", "#9ca3af", "dot", 10, False)),
    Kind("part", "parts", "Entity", "Part", True, True, Style("篇", "part", "#1d4ed8", "box", 22, True)),
    Kind("chapter", "chapters", "Entity", "Chapter", True, True, Style("章", "chapter", "#2563eb", "box", 18, True)),
    Kind("section", "sections", "Entity", "Section", True, True,
         Style("节", "section", "#93c5fd", "ellipse", 12, False)),
    Kind("positioning", "positionings", "Entity", "StrategicPositioning", True, True,
         Style("战略定位", "positioning", "#dc2626", "diamond", 26, True)),
    Kind("vision", "vision", "Entity", "Vision", True, True, Style("远景目标", "vision", "#9333ea", "star", 26, True)),
    Kind("goal", "goals", "Goal", "Goal", True, True, Style("主要目标", "goal", "#ea580c", "triangle", 24, True)),
    Kind("principle", "principles", "Entity", "Principle", True, True,
         Style("基本原则", "principle", "#6b7280", "dot", 10, False)),
    Kind("achievement", "achievements", "Entity", "Achievement", True, True,
         Style("发展成就", "achievement", "#9ca3af", "dot", 10, False)),
    Kind("measure", "measures", "Measure", "Measure", True, True, Style("举措", "measure", "#86efac", "box", 9, False)),
    Kind("box", "boxes", "Box", "Box", True, True, Style("专栏", "box", "#92400e", "box", 14, True)),
    Kind("project", "projects", "Project", "Project", True, True,
         Style("重大工程", "project", "#fcd34d", "box", 8, False)),
    Kind("indicator", "indicators", "Indicator", "Indicator", True, True,
         Style("主要指标", "indicator", "#0891b2", "triangleDown", 16, True)),
    Kind("previous-indicator", "previous_indicators", "Indicator", "PreviousPlanIndicator", True, False),
    Kind("indicator-table", "indicator_tables", "IndicatorTable", "IndicatorTable", False, False,
         Style("主要指标表", "indicator table", "#0e7490", "square", 14, True)),
)
# fmt: on
BY_NAME = {k.name: k for k in KINDS}
ENTITY_KINDS = tuple(k for k in KINDS if k.entity)
