"""Stage 5: the plan model -> an RDF graph (ontology in ontology/, terms in kg.rdf.vocab).

Pure: no I/O. IRIs come from the entities' outline ids, every value is an IRI or a
literal (no blank nodes), and no timestamp goes in, so the same input gives the same
graph and the same Turtle bytes.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, VOID
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from kg.analyse import vertical
from kg.analyse.alignment import KINDS, method_text
from kg.analyse.analysis import Analysis
from kg.analyse.concepts import PlanConcepts
from kg.analyse.values import Comparable
from kg.kinds import ENTITY_KINDS
from kg.model import Box, Entity, Indicator, Measure, Plan, Project, Value
from kg.rdf.vocab import PK, PREFIXES, concept_iri, entity_iri, graph_iri, national_iri, plan_iri, sdg_iri
from kg.version import __version__

CLASSES = {k.name: getattr(PK, k.pk) for k in ENTITY_KINDS}  # an entity's kind -> its class
LEVELS = {
    "national": PK.NationalLevel,
    "province": PK.ProvincialLevel,
    "city": PK.CityLevel,
    "district": PK.DistrictLevel,
}
MEASURE_UNITS = {
    "lead-phrase": PK.LeadPhraseMeasure,
    "subheading": PK.SubheadingMeasure,
    "section": PK.SectionMeasure,
    "chapter": PK.ChapterMeasure,
}
NATURES = {"预期性": PK.Anticipatory, "约束性": PK.Binding}
VALUE_KINDS = {"level": PK.LevelValue, "annual": PK.AnnualRate, "cumulative": PK.CumulativeChange}
NATIONAL_CATEGORIES = {
    "经济发展": PK.EconomicDevelopment,
    "创新驱动": PK.InnovationDriven,
    "民生福祉": PK.PeoplesWellbeing,
    "绿色生态": PK.GreenEcology,
    "安全保障": PK.SecurityAssurance,
}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


# Literals are immutable and a plan repeats the same small numbers thousands of times
# (pages, lines, scores): building each once halves the cost of the graph.
@lru_cache(maxsize=4096)
def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=8192)
def decimal(x: float) -> Literal:
    """xsd:decimal in canonical form from the printed digits: 0.047 stays 0.047 (not a
    binary float), 25 is written 25.0 so it reads back as the same literal."""
    lexical = format(Decimal(repr(x)).normalize(), "f")
    return Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)


def new_graph() -> Graph:
    g = Graph()
    # Not sdg: its local names begin with a digit (sdg:16), which older Turtle readers refuse.
    for prefix in ("pk", "dcterms", "prov", "skos", "void"):
        g.bind(prefix, PREFIXES[prefix])
    return g


def release(g: Graph) -> None:
    """Empty a graph built here, freeing its triples at once.

    rdflib's memory store keys its indexes by the graph object, so graph and store form a
    reference cycle that only the cyclic garbage collector frees, walking every index
    entry to do it (a tenth of a plan's build in a corpus). Resetting the store breaks the
    cycle, and reference counting frees the triples."""
    g.store.__init__()  # type: ignore[misc]  # rdflib's Memory store, reset in place


def plan_graph(plan: Plan, analysis: Analysis | None = None, concepts: PlanConcepts | None = None) -> Graph:
    """The plan's graph; with an ``Analysis`` (kg.analyse.analysis) also its alignment links,
    places, stated targets and national-indicator mappings; with ``PlanConcepts``
    (kg.analyse.concepts) its indicators' concepts and the figures that compare."""

    graph = new_graph()
    graph.bind("plan", URIRef(plan_iri(plan.id) + "/"))
    g = Triples()  # the triples that need no reading back, put into the graph at once
    p = plan_iri(plan.id)
    src = entity_iri(plan.id, "source")
    g.add((p, RDF.type, PK.Plan))
    g.add((p, RDFS.label, zh(plan.title or plan.id)))
    if plan.title:
        g.add((p, DCTERMS.title, zh(plan.title)))
    g.add((p, DCTERMS.identifier, Literal(plan.id)))
    g.add((p, PK.plankgVersion, Literal(__version__)))
    for prop, value in (
        (PK.planNumber, plan.plan_number),
        (PK.periodStart, plan.period_start),
        (PK.periodEnd, plan.period_end),
        (PK.horizon, plan.horizon),
    ):
        if value is not None:
            g.add((p, prop, integer(value)))
    if plan.level in LEVELS:
        g.add((p, PK.planLevel, LEVELS[plan.level]))
    _add_present(
        g,
        p,
        (PK.region, plan.region, zh),
        (PK.regionCode, plan.region_code, Literal),
        (PK.adoption, plan.adopted, zh),
        (PK.documentNumber, plan.document_number, Literal),
    )
    g.add((p, PK.truncated, Literal(plan.truncated)))
    g.add((p, PK.sourceDocument, src))
    g.add((src, RDF.type, PK.SourceDocument))
    g.add((src, PK.fileName, Literal(plan.source_name)))
    g.add((src, PK.sha256, Literal(plan.sha256)))
    g.add((src, PK.encoding, Literal(plan.encoding)))

    def iri(entity_id: str | None) -> URIRef:
        return entity_iri(plan.id, entity_id) if entity_id else p

    for e in plan.entities():
        _entity(g, e, iri, p, src)
    categories: dict[str, URIRef] = {}
    for ind in plan.indicators + plan.previous_indicators:
        _indicator(g, ind, iri, categories, plan)
    for goal in plan.goals:
        for k, t in enumerate(goal.targets, start=1):
            node = iri(f"{goal.id}/stated-target/{k}")
            g.add((iri(goal.id), PK.statesTarget, node))
            g.add((node, RDF.type, PK.StatedTarget))
            g.add((node, RDFS.label, zh(t.term + t.text if not t.text.startswith(t.term) else t.text)))
            g.add((node, PK.numericValue, decimal(t.number)))
            _add_present(
                g,
                node,
                (PK.term, t.term, Literal),
                (PK.upperValue, t.upper, decimal),
                (PK.unit, t.unit, Literal),
                (PK.comparator, t.comparator, Literal),
                (PK.qualifier, t.qualifier, Literal),
            )
    for table in plan.indicator_tables:
        _table(g, plan, table, iri, p, src)
    if analysis is not None:
        _analysis(g, plan, analysis, iri, p)
    g.fill(graph)
    if concepts is not None:
        _concepts(graph, concepts, iri)
    _statistics(graph, plan.id, p)
    return graph


class Adds(Protocol):
    """Where triples go: a Graph, or the ``Triples`` of one in the making."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


class Triples:
    """A graph's triples while they are made: each once, in the order first added.

    ``fill`` puts them into the graph's empty memory store in one pass, leaving the store
    as adding them one by one would (its indexes, in the same order): rdflib's ``add``
    also raises an event, finds the triple's contexts and checks each term, per triple,
    which is most of the cost of a plan's graph."""

    def __init__(self) -> None:
        self.triples: dict[tuple[Node, Node, Node], None] = {}

    def add(self, triple: tuple[Node, Node, Node], /) -> None:
        self.triples[triple] = None

    def fill(self, g: Graph) -> None:
        triples = list(self.triples)
        for triple in triples:  # as Graph.add checks them (isinstance of Node is slow: an ABC)
            if not (type(triple[0]) in _TERMS and type(triple[1]) in _TERMS and type(triple[2]) in _TERMS):
                assert all(isinstance(t, Node) for t in triple), triple
        store = g.store
        if not triples or not _fillable(store):
            for triple in triples:
                g.add(triple)
            return
        # As Memory.add of each triple with the graph as its context (rdflib 7).
        ctx = f"{g.identifier.__class__.__name__}:{g.identifier}"
        spo, pos, osp = store._Memory__spo, store._Memory__pos, store._Memory__osp  # type: ignore[attr-defined]
        for s, p, o in triples:
            spo.setdefault(s, {}).setdefault(p, {})[o] = 1
            pos.setdefault(p, {}).setdefault(o, {})[s] = 1
            osp.setdefault(o, {}).setdefault(s, {})[p] = 1
        in_default, in_graph = set(), set()
        for triple in triples:  # one by one, as add builds them: a set's order follows its history
            in_default.add(triple)
            in_graph.add(triple)
        store._Memory__contextTriples = {None: in_default, ctx: in_graph}  # type: ignore[attr-defined]
        store._Memory__defaultContexts = {ctx: False, None: False}  # type: ignore[attr-defined]
        store._Memory__context_obj_map[ctx] = g  # type: ignore[attr-defined]
        store._Memory__all_contexts.add(g)  # type: ignore[attr-defined]


_TERMS = frozenset({URIRef, Literal, BNode})


def _fillable(store) -> bool:
    """An empty rdflib Memory store of the layout ``Triples.fill`` knows, no one listening
    to its events."""
    return (
        type(store) is Memory
        and store.dispatcher.get_map() is None
        and getattr(store, "_Memory__defaultContexts", 0) is None
        and getattr(store, "_Memory__contextTriples", None) == {None: set()}
        and not any(getattr(store, f"_Memory__{index}", 1) for index in ("spo", "pos", "osp", "tripleContexts"))
        and not getattr(store, "_Memory__all_contexts", 1)
    )


def _statistics(g: Graph, plan_id: str, p: URIRef) -> None:
    """VoID statistics of the plan's named graph: its entities per class and its size.

    Written last, so they count everything. A corpus-wide count then reads a few numbers
    per plan instead of visiting every entity of every plan (seconds at 300 plans)."""
    from collections import Counter

    d = graph_iri(plan_id)
    members = set(g.subjects(PK.inPlan, p))
    per_class = Counter(o for s in members for o in g.objects(s, RDF.type) if str(o).startswith(str(PK._NS)))
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, VOID.rootResource, p))
    g.add((d, VOID.entities, integer(len(members))))
    for cls, n in sorted(per_class.items()):
        part = URIRef(f"{d}/class/{str(cls)[len(str(PK._NS)) :]}")
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, integer(n)))
    g.add((d, VOID.triples, integer(len(g) + 1)))  # this triple included


def _target_iri(target: str, iri) -> URIRef:
    if target.startswith("sdg/"):
        return sdg_iri(int(target.split("/")[1]))
    if ":" in target:  # an entity of another plan: '<plan-id>:<entity-id>'
        plan_id, _, entity_id = target.partition(":")
        return entity_iri(plan_id, entity_id)
    return iri(target)


DIRECT = {
    "positioning": PK.supports,
    "goal": PK.supports,
    "indicator": PK.affectsIndicator,
    "sdg": PK.contributesToSDG,
    vertical.KIND: PK.implements,
}
CHECK_STATUS = {
    "agrees": PK.Agrees,
    "conflicts": PK.Conflicts,
    "not-in-table": PK.NotInTable,
    "no-number-in-table": PK.NoNumberInTable,
}


def _analysis(g: Adds, plan: Plan, analysis, iri, p: URIRef) -> None:
    ranks: dict[tuple[str, str], list] = {}
    for link in analysis.alignment.links + analysis.vertical:
        ranks.setdefault((link.source, link.kind), []).append(link)
    rank_of = {}
    for group in ranks.values():
        for r, link in enumerate(sorted(group, key=lambda k: (-k.score, k.target)), start=1):
            rank_of[id(link)] = r
    methods = {kind: Literal(method_text(kind)) for kind in KINDS}
    methods[vertical.KIND] = Literal(vertical.method_text())
    for link in analysis.kept:
        a = URIRef(f"{iri(link.source)}/alignment/{link.target.replace(':', '/')}")
        target = _target_iri(link.target, iri)
        g.add((a, RDF.type, PK.Alignment))
        g.add((a, PK.source, iri(link.source)))
        g.add((a, PK.target, target))
        g.add((a, PK.score, decimal(link.score)))
        g.add((a, PK.rank, integer(rank_of[id(link)])))
        g.add((a, PK.method, methods[link.kind]))
        g.add((a, PK.evidence, zh(link.evidence or "（无共同词语）")))  # never a node without its why
        g.add((a, PK.textScore, decimal(link.text)))
        g.add((a, PK.outlineScore, decimal(link.outline)))
        if link.kind in ("indicator", "sdg"):
            g.add((a, PK.termScore, decimal(link.terms)))
        if link.above_threshold:
            g.add((iri(link.source), DIRECT[link.kind], target))
    for entity_id, terms in sorted(analysis.themes.items()):
        for term in terms:
            g.add((iri(entity_id), PK.keyTerm, zh(term)))
    for entity_id, names in sorted(analysis.places.items()):
        for name in names:
            place = iri(f"place/{name}")
            g.add((place, RDF.type, PK.Place))
            g.add((place, RDFS.label, zh(name)))
            for short in analysis.place_names.get(name, [name])[1:]:
                g.add((place, SKOS.altLabel, zh(short)))
            g.add((place, PK.inPlan, p))
            g.add((iri(entity_id), PK.mentionsPlace, place))
    for check in analysis.checks:
        t = URIRef(f"{iri(check.entity)}/target/{check.number}")
        q = check.quantity
        g.add((t, RDF.type, PK.TargetStatement))
        g.add((t, RDFS.label, zh(q.text)))
        g.add((t, PK.statedIn, iri(check.entity)))
        g.add((t, PK.term, Literal(q.term)))
        g.add((t, PK.numericValue, decimal(q.number)))
        _add_present(
            g,
            t,
            (PK.unit, q.unit, Literal),
            (PK.comparator, q.comparator, Literal),
            (PK.qualifier, q.qualifier, Literal),
            (PK.matchesIndicator, check.indicator, iri),
            (PK.tableValue, check.table_value, Literal),
        )
        g.add((t, PK.checkStatus, CHECK_STATUS[check.status]))
    for match in analysis.national:
        if match.national is not None:
            relation = SKOS.exactMatch if match.relation == "same" else SKOS.broadMatch
            g.add((iri(match.indicator), relation, national_iri(match.national)))


def _concepts(g: Graph, concepts: PlanConcepts, iri) -> None:
    for m in concepts.matches:
        source, concept, node = iri(m.source), concept_iri(m.concept), iri(f"{m.source}/concept")
        g.add((source, SKOS.exactMatch if m.relation == "exact" else SKOS.closeMatch, concept))
        g.add((node, RDF.type, PK.ConceptMatch))
        g.add((node, PK.source, source))
        g.add((node, PK.target, concept))
        g.add((node, PK.score, decimal(m.score)))
        g.add((node, PK.method, Literal(m.method)))
        g.add((node, PK.evidence, zh(m.evidence)))
    for v in concepts.values:
        comparable_triples(g, iri(v.node), v)


def comparable_triples(g: Graph, node: URIRef, v: Comparable) -> None:
    g.add((node, PK.comparableValue, decimal(v.number)))
    g.add((node, PK.comparableUnit, Literal(v.unit)))
    g.add((node, PK.valueKind, VALUE_KINDS[v.kind]))
    if v.upper is not None:
        g.add((node, PK.comparableUpper, decimal(v.upper)))
    if v.year is not None and g.value(node, PK.year) is None:
        g.add((node, PK.year, integer(v.year)))


def _entity(g: Adds, e: Entity, iri, plan: URIRef, src: URIRef) -> None:
    s = iri(e.id)
    g.add((s, RDF.type, CLASSES[e.kind]))
    g.add((s, RDFS.label, zh(e.title)))
    if e.text:
        g.add((s, PK.text, zh(e.text)))
    if e.number is not None:
        g.add((s, PK.number, integer(e.number)))
    g.add((s, DCTERMS.isPartOf, iri(e.parent)))
    g.add((s, PK.inPlan, plan))
    for prop, container in ((PK.inPart, e.part), (PK.inChapter, e.chapter), (PK.inSection, e.section)):
        if container:
            g.add((s, prop, iri(container)))
    prov = e.provenance
    if prov.page_start is not None:
        g.add((s, PK.page, integer(prov.page_start)))
    if prov.page_end is not None:
        g.add((s, PK.pageEnd, integer(prov.page_end)))
    g.add((s, PK.lineStart, integer(prov.line_start)))
    g.add((s, PK.lineEnd, integer(prov.line_end)))
    g.add((s, PK.sourceText, Literal(prov.source)))
    g.add((s, PROV.wasDerivedFrom, src))
    if isinstance(e, Measure):
        g.add((s, PK.measureUnit, MEASURE_UNITS[e.unit]))
    if isinstance(e, Box):
        g.add((s, PK.boxLabel, Literal(e.label)))
        g.add((s, PK.occurrence, integer(e.occurrence)))
    if e.marker:
        g.add((s, PK.marker, Literal(e.marker)))
    if isinstance(e, Project):
        g.add((s, PK.inBox, iri(e.box)))
        for column, value in sorted(e.attributes.items()):
            g.add((s, PK.attribute, zh(f"{column}：{value}")))


def _indicator(g: Adds, ind: Indicator, iri, categories: dict[str, URIRef], plan: Plan) -> None:
    s = iri(ind.id)
    g.add((s, PK.inTable, iri(ind.table)))
    _add_present(g, s, (PK.indicatorGroup, ind.group, zh), (SKOS.note, ind.note, zh))
    if ind.unit:
        g.add((s, PK.unit, Literal(ind.unit)))
    if ind.nature in NATURES:
        g.add((s, PK.nature, NATURES[ind.nature]))
    if ind.category:
        if ind.category not in categories:
            c = iri(f"category/{len(categories) + 1}")
            categories[ind.category] = c
            g.add((c, RDF.type, SKOS.Concept))
            g.add((c, SKOS.prefLabel, zh(ind.category)))
            g.add((c, SKOS.inScheme, PK.IndicatorCategoryScheme))
            if ind.category in NATIONAL_CATEGORIES:
                g.add((c, SKOS.exactMatch, NATIONAL_CATEGORIES[ind.category]))
        g.add((s, PK.category, categories[ind.category]))
    values = [
        ("base", PK.baseValue, ind.base),
        ("target", PK.targetValue, ind.target),
        ("annual", PK.annualValue, ind.annual),
    ]
    values += [(name, PK.otherValue, v) for name, v in sorted(ind.extra.items())]
    for name, prop, value in values:
        if value is not None:
            v = iri(f"{ind.id}/value/{name}")
            g.add((s, prop, v))
            value_triples(g, v, value)


def value_triples(g: Adds, v: URIRef, value: Value) -> None:
    g.add((v, RDF.type, PK.IndicatorValue))
    g.add((v, PK.rawText, Literal(value.raw)))
    g.add((v, PK.cumulative, Literal(value.cumulative)))
    g.add((v, PK.isEmpty, Literal(value.empty)))
    _add_present(
        g,
        v,
        (PK.numericValue, value.number, decimal),
        (PK.comparator, value.comparator, Literal),
        (PK.qualifier, value.qualifier, Literal),
        (PK.textValue, value.text, zh),
        (PK.year, value.year, integer),
        (PK.upperValue, value.upper, decimal),
        (PK.footnoteMark, value.mark, Literal),
    )


def _add_present(g: Adds, s: URIRef, *fields) -> None:
    """(property, value, term maker): add the ones whose value is present."""
    for prop, value, make in fields:
        if value is not None and value != "":
            g.add((s, prop, make(value)))


def _table(g: Adds, plan: Plan, table, iri, p: URIRef, src: URIRef) -> None:
    if table.provenance is None:
        return
    t = iri(table.id)
    g.add((t, RDF.type, PK.IndicatorTable))
    g.add((t, RDFS.label, zh(table.title or "主要指标")))
    rows = [i for i in plan.indicators + plan.previous_indicators if i.table == table.id]
    first = rows[0] if rows else None
    g.add((t, DCTERMS.isPartOf, iri(first.parent) if first else p))
    g.add((t, PK.inPlan, p))
    if first and first.chapter:
        g.add((t, PK.inChapter, iri(first.chapter)))
    prov = table.provenance
    for prop, value in (
        (PK.page, prov.page_start),
        (PK.pageEnd, prov.page_end),
        (PK.lineStart, prov.line_start),
        (PK.lineEnd, prov.line_end),
    ):
        if value is not None:
            g.add((t, prop, integer(value)))
    g.add((t, PK.sourceText, Literal(prov.source)))
    g.add((t, PROV.wasDerivedFrom, src))
    g.add((t, PK.column, Literal("|".join(table.columns))))
    if not table.own:
        g.add((t, PK.ownTargets, Literal(False)))
    if table.base_year:
        g.add((t, PK.baseYear, integer(table.base_year)))
    if table.target_year:
        g.add((t, PK.targetYear, integer(table.target_year)))
    for note in table.notes:
        g.add((t, PK.note, Literal(note)))
