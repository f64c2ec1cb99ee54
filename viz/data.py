"""RDF graph -> plain nodes and edges, with the layout precomputed (``kg.viz.layout``).

Testable without a browser: everything the page shows is decided here — each node's
title, text, page and lines to cite, where it stands, how much room its label has and how
much the label matters (its tier: 0 is drawn first and read on load, 3 only close up).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.kinds import KINDS
from kg.rdf.vocab import PK
from kg.viz.layout import DETAIL_TIER, layout

STYLE = {k.pk: k.style for k in KINDS if k.style}  # class -> how it is drawn (kg.kinds)
LINK_PROPS = {  # alignment links, drawn for the selected node
    str(PK._NS) + "supports": "supports",
    str(PK._NS) + "affectsIndicator": "affects indicator",
}
# How much a label matters: 0 is drawn first and is readable on load, 3 only close up.
TIER = {
    "Plan": 0,
    "Part": 0,
    "StrategicPositioning": 0,
    "Vision": 0,
    "Goal": 0,
    "Chapter": 1,
    "IndicatorTable": 1,
    "Section": 2,
    "Box": 2,
    "Indicator": 2,
    "Principle": 2,
    "Achievement": 2,
    "Preface": 2,
}
# vis-network sizes a box or an ellipse by the label inside it; the page draws labels beside
# markers, so those become markers of a fixed size.
SHAPE = {"box": "square", "ellipse": "dot"}


@dataclass
class VizData:
    plan_ids: list[str]
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)  # shaded boxes behind the frame, parts, chapters
    captions: list[dict] = field(default_factory=list)  # headings drawn without a node (a category)

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
    y_offset = 0.0
    for plan in plans:
        entities = sorted(set(g.subjects(PK.inPlan, plan)), key=lambda s: (_int(g, s, PK.lineStart) or 0, str(s)))
        nodes = {plan: _node(g, plan, "Plan")}
        for s in entities:
            cls = _cls(g, s)
            if cls:
                nodes[s] = _node(g, s, cls)
        parent = {s: g.value(s, DCTERMS.isPartOf) for s in nodes}
        placed = layout(nodes, parent, plan, y_offset)
        data.blocks += placed.blocks
        data.captions += placed.captions
        y_offset += placed.height + 2000
        data.nodes += list(nodes.values())
        for s in nodes:
            if parent[s] in nodes:
                data.edges.append({"from": str(s), "to": str(parent[s]), "kind": "contains"})
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
        "shape": SHAPE.get(style.shape, style.shape),
        "size": style.size,
        "tier": TIER.get(cls, DETAIL_TIER),
        "x": 0,
        "y": 0,
        "room": 0,  # canvas units right of the marker its label may take
        "rowh": 0,  # canvas units to the nearest row above or below as important as it
    }
