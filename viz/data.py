"""RDF graph -> plain nodes and edges, with the structural layout precomputed.

Testable without a browser: everything the page shows is decided here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.kinds import KINDS
from kg.rdf.vocab import PK

STYLE = {k.pk: k.style for k in KINDS if k.style}  # class -> how it is drawn (kg.kinds)
LINK_PROPS = {  # alignment links, drawn when the graph has them
    str(PK._NS) + "supports": "supports",
    str(PK._NS) + "affectsIndicator": "affects indicator",
}
COLUMN = 400  # width of one chapter's column on the canvas
ROW = 34  # vertical step between stacked nodes


@dataclass
class VizData:
    plan_ids: list[str]
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    def by_class(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for n in self.nodes:
            counts[n["cls"]] += 1
        return dict(counts)


def short(title: str, limit: int = 12) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


class _Index:
    """The graph's triples by subject and by predicate, read in one pass: laying out a
    plan asks some fourteen thousand questions of it, and each costs rdflib more."""

    def __init__(self, g: Graph) -> None:
        self.by_subject: dict = {}
        self.by_predicate: dict = {}
        for s, p, o in g:
            self.by_subject.setdefault(s, {}).setdefault(p, []).append(o)
            self.by_predicate.setdefault(p, []).append((s, o))

    def value(self, s, p):
        values = self.by_subject.get(s, {}).get(p)
        return values[0] if values else None

    def objects(self, s, p) -> list:
        return self.by_subject.get(s, {}).get(p, [])

    def subjects(self, p, o) -> list:
        return [s for s, v in self.by_predicate.get(p, []) if v == o]

    def subject_objects(self, p) -> list:
        return self.by_predicate.get(p, [])


def _cls(g: _Index, s: URIRef) -> str | None:
    for o in g.objects(s, RDF.type):
        name = str(o)[len(str(PK._NS)) :] if str(o).startswith(str(PK._NS)) else None
        if name in STYLE:
            return name
    return None


def _int(g: _Index, s, p) -> int | None:
    v = g.value(s, p)
    return int(v) if v is not None else None


def graph_data(graph: Graph) -> VizData:
    """Nodes for the plan and every entity in it, edges for containment and alignment."""
    g = _Index(graph)
    plans = sorted(g.subjects(RDF.type, PK.Plan), key=str)
    data = VizData(plan_ids=[str(g.value(p, DCTERMS.identifier) or p) for p in plans])
    y_offset = 0
    for plan in plans:
        entities = sorted(set(g.subjects(PK.inPlan, plan)), key=lambda s: (_int(g, s, PK.lineStart) or 0, str(s)))
        nodes = {plan: _node(g, plan, "Plan")}
        for s in entities:
            cls = _cls(g, s)
            if cls:
                nodes[s] = _node(g, s, cls)
        _layout(g, plan, nodes, y_offset)
        y_offset = max(n["y"] for n in nodes.values()) + 2000
        data.nodes += list(nodes.values())
        for s in nodes:
            parent = g.value(s, DCTERMS.isPartOf)
            if parent in nodes:
                data.edges.append({"from": str(s), "to": str(parent), "kind": "contains"})
    known = {n["id"] for n in data.nodes}
    scores = {
        (str(g.value(a, PK.source)), str(g.value(a, PK.target))): float(g.value(a, PK.score))
        for a in g.subjects(RDF.type, PK.Alignment)
        if g.value(a, PK.score) is not None
    }
    for prop, kind in LINK_PROPS.items():
        for s, o in g.subject_objects(URIRef(prop)):
            if str(s) in known and str(o) in known:
                edge: dict[str, str | float] = {"from": str(s), "to": str(o), "kind": kind}
                if (str(s), str(o)) in scores:
                    edge["score"] = round(scores[(str(s), str(o))], 2)
                data.edges.append(edge)
    data.edges.sort(key=lambda e: (e["kind"], e["from"], e["to"]))
    return data


def _node(g: _Index, s: URIRef, cls: str) -> dict:
    title = str(g.value(s, RDFS.label) or s)
    style = STYLE[cls]
    text = g.value(s, PK.text)
    category = g.value(g.value(s, PK.category), SKOS.prefLabel) if cls == "Indicator" else None
    chapter = g.value(s, PK.inChapter)
    return {
        "id": str(s),
        "cls": cls,
        "kind": f"{style.zh} {style.en}",
        "label": short(title),
        "full": title,
        "text": str(text) if text else "",
        "page": _int(g, s, PK.page),
        "pageEnd": _int(g, s, PK.pageEnd),
        "lineStart": _int(g, s, PK.lineStart),
        "lineEnd": _int(g, s, PK.lineEnd),
        "number": _int(g, s, PK.number),
        "chapter": str(chapter) if chapter else (str(s) if cls == "Chapter" else ""),
        "category": str(category) if category else "",
        "overview": style.overview,
        "color": style.colour,
        "shape": style.shape,
        "size": style.size,
        "x": 0,
        "y": 0,
    }


def _layout(g: _Index, plan: URIRef, nodes: dict[URIRef, dict], y0: int) -> None:
    """Structure, not a hairball: a band of positionings, vision and goals on top,
    indicators by category beside it, parts over their chapters in reading order,
    and under each chapter its sections and measures (left) and boxes with their
    projects (right)."""
    by_cls: dict[str, list[URIRef]] = defaultdict(list)
    for s, n in nodes.items():
        by_cls[n["cls"]].append(s)
    line = {s: (n["lineStart"] or 0) for s, n in nodes.items()}
    for group in by_cls.values():
        group.sort(key=lambda s: line[s])

    chapters = by_cls["Chapter"]
    # Chapters flow in reading order through a grid of columns, wrapping to new rows,
    # so the whole plan is about as wide as it is tall.
    per_row = max(1, min(len(chapters), math.ceil(math.sqrt(max(len(chapters), 1)) * 2)))
    cell = {c: divmod(i, per_row) for i, c in enumerate(chapters)}  # chapter -> (row, column)
    width = per_row * COLUMN
    placed: set[URIRef] = set()

    def put(s, x, y):
        nodes[s]["x"], nodes[s]["y"] = round(x), round(y0 + y)
        placed.add(s)

    # The band: plan in the middle, positionings, vision and goals in a row below it.
    put(plan, width / 2, -900)
    band = by_cls["StrategicPositioning"] + by_cls["Vision"] + by_cls["Goal"]
    step = width / (len(band) + 1) if band else 0
    for i, s in enumerate(band):
        put(s, step * (i + 1), -700)
    for i, s in enumerate(by_cls["Preface"] + by_cls["Principle"] + by_cls["Achievement"]):
        put(s, -500 - (i // 20) * 160, -900 + (i % 20) * ROW)
    # Indicators: one column per category, right of the chapters.
    cats: dict[str, list[URIRef]] = defaultdict(list)
    for s in by_cls["Indicator"]:
        cats[nodes[s]["category"]].append(s)
    for t in by_cls["IndicatorTable"]:
        put(t, width + 300, -900)
    for k, members in enumerate(cats.values()):
        for i, s in enumerate(members):
            put(s, width + 200 + k * 220, -780 + i * ROW * 1.5)
    # Each chapter's column: sections and measures left, boxes and projects right.
    left: dict[URIRef, float] = defaultdict(float)
    right: dict[URIRef, float] = defaultdict(float)
    stacked: dict[URIRef, list[tuple[URIRef, bool]]] = defaultdict(list)
    items = by_cls["Section"] + by_cls["Measure"] + by_cls["Box"] + by_cls["Project"]
    items.sort(key=lambda s: line[s])
    for s in items:
        c = g.value(s, PK.inChapter)
        if c in cell:
            is_left = nodes[s]["cls"] in ("Section", "Measure")
            stacked[c].append((s, is_left))
            if is_left:
                left[c] += ROW
            else:
                right[c] += ROW
    rows = max((r for r, _ in cell.values()), default=-1) + 1
    row_top, y = [], 0.0
    for r in range(rows):
        row_top.append(y)
        tallest = max((max(left[c], right[c]) for c in chapters if cell[c][0] == r), default=0)
        y += tallest + 450
    for c in chapters:
        r, k = cell[c]
        x, top = k * COLUMN, row_top[r]
        put(c, x, top - 150)
        lefty, righty = top, top
        for s, is_left in stacked[c]:
            indent = 0 if nodes[s]["cls"] in ("Section", "Box") else 20
            if is_left:
                put(s, x - 95 + indent, lefty)
                lefty += ROW
            else:
                put(s, x + 95 + indent, righty)
                righty += ROW
    # Parts just above their first chapter.
    for p in by_cls["Part"]:
        own = [c for c in chapters if g.value(c, PK.inPart) == p]
        if own:
            put(p, nodes[own[0]]["x"] - 40, nodes[own[0]]["y"] - 110)
    # Whatever stands outside any chapter (a box printed under a part) goes in a row below.
    bottom = max((n["y"] for n in nodes.values()), default=0) - y0 + 400
    for i, s in enumerate([s for s in nodes if s not in placed]):
        put(s, i * 120, bottom)
