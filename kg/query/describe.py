"""What the store says about one IRI, as plain data: for a page about an entity.

``describe`` reads an entity's own statements, its place in the outline (container,
ancestors, children), the scored links from and to it (``pk:Alignment`` and
``pk:ConceptMatch`` nodes, with the direct link each one implies), and what else points at
it, each related node with its label, class and page; ``citation`` turns that into the line
a reader cites. ``statements`` is the entity's own triples, as the plan's Turtle file holds
them, for Turtle or JSON-LD.

Every list is capped (``limit``) and says how many there were: a positioning of a large
plan is the target of hundreds of links, a national chapter of thousands across a corpus.
Lookups go by the IRI (the store's subject and object indexes) over the union of graphs,
so links from other plans are found and the work grows with the entity's neighbourhood,
not with the store. Nothing here is bounded in time or memory by itself: ``plankg serve``
calls it in its query workers, under their limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pyoxigraph as ox

from kg.rdf.vocab import ID_BASE, PREFIXES

PK = PREFIXES["pk"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_PREF = PREFIXES["skos"] + "prefLabel"
TITLE = PREFIXES["dcterms"] + "title"
SKOS_SCHEME = PREFIXES["skos"] + "inScheme"
SKOS_CONCEPT = PREFIXES["skos"] + "Concept"
DEFINITION = PREFIXES["skos"] + "definition"
# What names a node, best first (a source document has its file name only).
_LABELS = (RDFS_LABEL, SKOS_PREF, TITLE, PREFIXES["pk"] + "fileName", PREFIXES["pk"] + "rawText")
PART_OF = PREFIXES["dcterms"] + "isPartOf"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
# The outline's shortcuts, outermost first: the ancestors of an entity.
SHORTCUTS = ("inPlan", "inPart", "inChapter", "inSection", "inBox", "inTable")
# The direct triple a scored link above its threshold adds (kg.rdf.graph.DIRECT).
DIRECT = ("supports", "affectsIndicator", "contributesToSDG", "implements")
SCORED = ("Alignment", "ConceptMatch")
# Incoming statements shown elsewhere on the page (outline, links), or too many to list.
_NOT_REFERENCES = {PART_OF, PK + "source", PK + "target", *(PK + s for s in SHORTCUTS), *(PK + d for d in DIRECT)}


@dataclass(frozen=True)
class Node:
    """A node the page links to: its IRI, label, class and where it is printed."""

    iri: str
    label: str | None = None
    cls: str | None = None  # the class IRI (its pk: class where it has one)
    cls_label: str | None = None  # the class's Chinese label (重大工程项目)
    number: int | None = None
    marker: str | None = None  # as printed: 第十章, （一）
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Link:
    """A scored link (an Alignment or a ConceptMatch) seen from one of its ends."""

    node: str  # the link's own IRI
    cls_label: str | None  # 对齐关系, 概念匹配
    other: Node  # the target (links from the entity) or the source (links to it)
    score: float | None
    rank: int | None
    evidence: str
    direct: str | None  # the direct property it implies where the triple is there: supports …


@dataclass(frozen=True)
class Statement:
    """One triple of the entity, object first resolved."""

    prop: str
    prop_label: str | None
    value: str  # the literal's text, or the IRI
    iri: bool
    language: str | None = None
    datatype: str | None = None
    node: Node | None = None  # for an IRI: what it is


@dataclass
class Description:
    iri: str
    node: Node  # the entity itself: label, class, number, page, line
    plan: Node | None  # the plan it belongs to (itself, for a plan)
    text: str | None
    page_end: int | None
    line_end: int | None
    source_text: str | None
    source_file: str | None
    classes: list[Node] = field(default_factory=list)
    ancestors: list[Node] = field(default_factory=list)  # plan → part → chapter → section → box
    container: Node | None = None
    children: list[Node] = field(default_factory=list)
    children_total: int = 0
    links_from: list[Link] = field(default_factory=list)  # the entity is the link's source
    links_from_total: int = 0
    links_to: list[Link] = field(default_factory=list)  # the entity is the link's target
    links_to_total: int = 0
    references: list[tuple[Statement, Node]] = field(default_factory=list)  # (property, the node pointing here)
    references_total: int = 0
    statements: list[Statement] = field(default_factory=list)
    statements_total: int = 0

    @property
    def plan_id(self) -> str | None:
        return plan_of(self.plan.iri) if self.plan is not None else None

    def chapter(self) -> Node | None:
        if self.node.cls == PK + "Chapter":
            return self.node
        return next((a for a in self.ancestors if a.cls == PK + "Chapter"), None)

    def citation(self) -> str:
        """The line to cite: the entity's title, the plan, the chapter and the page (or the
        lines of the text, where the copy prints no pages)."""
        parts = []
        title = self.node.label or self.iri
        chapter = self.chapter()
        is_plan = self.node.cls == PK + "Plan"
        if not is_plan and self.node is not chapter:
            parts.append(f"“{title}”")
        plan = f"《{self.plan.label}》" if self.plan and self.plan.label else ""
        if chapter is not None:
            where = chapter.marker if chapter.marker and chapter.marker.startswith("第") else ""
            if not where and chapter.number is not None and chapter.cls == PK + "Chapter" and not chapter.marker:
                where = f"第{chapter.number}章"
            parts.append(f"{plan}{where}“{chapter.label}”" if chapter.label else plan + where)
        elif plan:
            parts.append(plan)
        if not is_plan:
            start, end = self.node.page, self.page_end
            if start is not None:
                parts.append(f"第{start}页" if end in (None, start) else f"第{start}–{end}页")
            elif self.node.line is not None:
                start_line, end_line = self.node.line, self.line_end
                lines = start_line if end_line in (None, start_line) else f"{start_line}–{end_line}"
                parts.append(f"原文第{lines}行" + (f"（{self.source_file}）" if self.source_file else ""))
        return "，".join(p for p in parts if p) + "。"


def plan_of(iri: str) -> str | None:
    """The id of the plan an entity's IRI belongs to (``…/id/<plan>/…``), or None."""
    if not iri.startswith(ID_BASE):
        return None
    return iri[len(ID_BASE) :].split("/", 1)[0] or None


def _zh(terms: list):
    """The Chinese one of some literals, else the first."""
    return next((t for t in terms if getattr(t, "language", None) == "zh"), terms[0] if terms else None)


def _value(term) -> str:
    return str(getattr(term, "value", term))


def _int(term) -> int | None:
    try:
        return int(_value(term))
    except (TypeError, ValueError):
        return None


def _float(term) -> float | None:
    try:
        return float(_value(term))
    except (TypeError, ValueError):
        return None


def statements(store: ox.Store, iri: str, limit: int | None = None) -> list[ox.Triple]:
    """The entity's own triples (those whose subject it is), once each whatever graph holds
    them, sorted; at most ``limit``."""
    seen: dict[str, ox.Triple] = {}
    for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
        t = ox.Triple(q.subject, q.predicate, q.object)
        seen.setdefault(str(t), t)
        if limit is not None and len(seen) > limit:
            break
    return [seen[k] for k in sorted(seen)][:limit]


class _Reader:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._nodes: dict[str, Node] = {}
        self._labels: dict[str, str | None] = {}

    def objects(self, s: str, p: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None)]

    def subjects(self, p: str | None, o: str) -> list[tuple[str, str]]:
        """(subject, predicate) of the quads pointing at ``o``, once each."""
        pred = ox.NamedNode(p) if p else None
        found = {
            (q.subject.value, q.predicate.value)
            for q in self.store.quads_for_pattern(None, pred, ox.NamedNode(o), None)
            if isinstance(q.subject, ox.NamedNode)
        }
        return sorted(found)

    def node(self, iri: str) -> Node:
        """What a page shows of a node it links to (read once per description)."""
        if iri in self._nodes:
            return self._nodes[iri]
        label = cls = marker = None
        number = page = line = None
        labels: dict[tuple[int, int], str] = {}
        classes: list[str] = []
        scheme = None
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            p, o = q.predicate.value, q.object
            if p in _LABELS and isinstance(o, ox.Literal):
                # Chinese first, then a label without a language, then any; rdfs:label first.
                lang = 0 if o.language == "zh" else 1 if not o.language else 2
                labels.setdefault((lang, _LABELS.index(p)), o.value)
            elif p == RDF_TYPE and isinstance(o, ox.NamedNode):
                classes.append(o.value)
            elif p == SKOS_SCHEME and isinstance(o, ox.NamedNode):
                scheme = o.value
            elif p == PK + "number":
                number = _int(o)
            elif p == PK + "marker":
                marker = _value(o)
            elif p == PK + "page":
                page = _int(o)
            elif p == PK + "lineStart":
                line = _int(o)
        if labels:
            label = labels[min(labels)]
        if classes:
            cls = sorted(classes, key=lambda c: (not c.startswith(PK), c))[0]  # its pk: class first
        cls_label = self.label_of(cls) if cls else None
        if scheme and (cls_label is None or cls == SKOS_CONCEPT):  # an SDG, a concept: its scheme says what it is
            cls_label = self.label_of(scheme) or cls_label
        found = Node(iri, label, cls, cls_label, number, marker, page, line)
        self._nodes[iri] = found
        return found

    def label_of(self, iri: str) -> str | None:
        """A class's, property's or scheme's Chinese label (the ontology's own graph holds
        them), else its label in any language."""
        if iri not in self._labels:
            best = None
            for p in (RDFS_LABEL, SKOS_PREF):
                for o in self.objects(iri, p):
                    if isinstance(o, ox.Literal) and (best is None or o.language == "zh"):
                        best = o.value
                        if o.language == "zh":
                            break
                if best is not None:
                    break
            self._labels[iri] = best
        return self._labels[iri]

    def link(self, node: str, other_end: str) -> Link:
        values: dict[str, Any] = {}
        cls = None
        for q in self.store.quads_for_pattern(ox.NamedNode(node), None, None, None):
            p = q.predicate.value
            if p == RDF_TYPE:
                cls = _value(q.object)
            elif p.startswith(PK):
                values.setdefault(p[len(PK) :], q.object)
        other = values.get(other_end)
        return Link(
            node,
            self.label_of(cls) if cls else None,
            self.node(other.value) if other is not None else Node(""),
            _float(values.get("score")),
            _int(values.get("rank")),
            _value(values["evidence"]) if "evidence" in values else "",
            None,
        )


def _scored(reader: _Reader, iri: str, end: str, other_end: str, limit: int) -> tuple[list[Link], int]:
    """The scored links with ``iri`` at their ``end`` (source or target), best first, and
    how many there are."""
    nodes = [s for s, _ in reader.subjects(PK + end, iri)]
    total = len(nodes)
    if total > limit:
        # Many (a positioning, a national chapter): read every score, then the best in full.
        scores = {n: max((_float(o) or 0.0 for o in reader.objects(n, PK + "score")), default=0.0) for n in nodes}
        nodes = sorted(nodes, key=lambda n: (-scores[n], n))[:limit]
    links = [reader.link(n, other_end) for n in nodes]
    links.sort(key=lambda k: (-(k.score or 0.0), k.rank or 0, k.other.iri))
    return links, total


def describe(store: ox.Store, iri: str, limit: int = 200) -> Description | None:
    """What the store says about ``iri``; None when it says nothing (no triple has it as
    subject)."""
    reader = _Reader(store)
    own = statements(store, iri, limit=limit * 5)
    if not own:
        return None
    node = reader.node(iri)
    by: dict[str, list] = {}
    for t in own:
        by.setdefault(t.predicate.value, []).append(t.object)
    ends = [by.get(PK + e, [None])[0] for e in ("source", "target")]
    if node.label is None and all(isinstance(e, ox.NamedNode) for e in ends):  # a scored link: its two ends
        names = [reader.node(e.value).label or e.value for e in ends if isinstance(e, ox.NamedNode)]
        node = replace(node, label=" → ".join(names))

    def first(p: str):
        return by[p][0] if p in by else None

    plan_iri = first(PK + "inPlan")
    if plan_iri is None and PK + "Plan" in {_value(c) for c in by.get(RDF_TYPE, [])}:
        plan_iri = ox.NamedNode(iri)
    own_plan = plan_of(iri)
    if plan_iri is None and own_plan:  # a node of the plan without the shortcut: a link, a value
        plan_iri = ox.NamedNode(ID_BASE + own_plan)
    source = first(DERIVED)
    source_file = None
    if isinstance(source, ox.NamedNode):
        names = reader.objects(source.value, PK + "fileName")
        source_file = _value(names[0]) if names else None
    text = first(PK + "text") or _zh(by.get(DEFINITION, []))
    source_text = first(PK + "sourceText")
    d = Description(
        iri=iri,
        node=node,
        plan=reader.node(plan_iri.value) if isinstance(plan_iri, ox.NamedNode) else None,
        text=text.value if text is not None else None,
        page_end=_int(first(PK + "pageEnd")),
        line_end=_int(first(PK + "lineEnd")),
        source_text=source_text.value if source_text is not None else None,
        source_file=source_file,
    )
    d.classes = [Node(c.value, reader.label_of(c.value)) for c in by.get(RDF_TYPE, []) if isinstance(c, ox.NamedNode)]
    d.ancestors = [reader.node(o.value) for s in SHORTCUTS for o in by.get(PK + s, []) if isinstance(o, ox.NamedNode)]
    container = first(PART_OF)
    d.container = reader.node(container.value) if isinstance(container, ox.NamedNode) else None
    children = [s for s, _ in reader.subjects(PART_OF, iri)]
    d.children_total = len(children)
    d.children = sorted(
        (reader.node(c) for c in children[: limit * 5]),
        key=lambda n: (n.line if n.line is not None else 10**9, n.number or 0, n.iri),
    )[:limit]
    d.links_from, d.links_from_total = _scored(reader, iri, "source", "target", limit)
    d.links_to, d.links_to_total = _scored(reader, iri, "target", "source", limit)
    # Which links carry their direct triple (above the threshold of their kind).
    direct_out = {(p, _value(o)) for p in (PK + x for x in DIRECT) for o in by.get(p, [])}
    d.links_from = [_with_direct(k, iri, k.other.iri, direct_out, reader) for k in d.links_from]
    d.links_to = [_with_direct(k, k.other.iri, iri, None, reader) for k in d.links_to]
    refs = [(s, p) for s, p in reader.subjects(None, iri) if p not in _NOT_REFERENCES]
    d.references_total = len(refs)
    d.references = [(_statement(reader, p, ox.NamedNode(iri)), reader.node(s)) for s, p in refs[:limit]]
    d.statements_total = sum(len(v) for v in by.values())
    d.statements = [_statement(reader, t.predicate.value, t.object) for t in own]
    return d


def _with_direct(link: Link, source: str, target: str, known: set | None, reader: _Reader) -> Link:
    for p in (PK + x for x in DIRECT):
        if known is not None:
            hit = (p, target) in known
        else:
            found = reader.store.quads_for_pattern(ox.NamedNode(source), ox.NamedNode(p), ox.NamedNode(target))
            hit = next(iter(found), None) is not None
        if hit:
            return Link(link.node, link.cls_label, link.other, link.score, link.rank, link.evidence, p)
    return link


def _statement(reader: _Reader, prop: str, obj) -> Statement:
    label = reader.label_of(prop)
    if isinstance(obj, ox.NamedNode):
        return Statement(prop, label, obj.value, True, node=reader.node(obj.value))
    if isinstance(obj, ox.Literal):
        datatype = obj.datatype.value if obj.datatype is not None else None
        return Statement(prop, label, obj.value, False, obj.language, datatype)
    return Statement(prop, label, str(obj), False)
