"""Vocabulary: the ontology's terms as a namespace that fails on unknown names,
and the IRI scheme for plan entities.

A typo such as ``PK.Chaptr`` raises AttributeError at import-time use instead of
emitting an undeclared term; a test checks this list against ``ontology/*.ttl``.
"""

from __future__ import annotations

from importlib import resources

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.kinds import KINDS

SITE = "https://w3id.org/plankg"  # every plankg IRI starts here
ONTOLOGY_IRI = SITE + "/ontology"
ID_BASE = SITE + "/id/"
GRAPH_BASE = SITE + "/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"  # the ontology's own named graph in a store
SDG_BASE = SITE + "/sdg/"
NATIONAL_BASE = SITE + "/national-14th/indicator/"
CONCEPT_BASE = SITE + "/indicator/"
# The IRIs that name something a page can show (plankg serve answers each at its path
# below SITE, /id/<plan>/…; the graph page links its nodes there).
PAGE_BASES = (ID_BASE, SDG_BASE, CONCEPT_BASE, NATIONAL_BASE)
# The prefixes of plankg's graphs and queries: graphs are written with them, and a query
# that uses one without declaring it gets its PREFIX line (kg.query.sparql).
PREFIXES = {
    "pk": ONTOLOGY_IRI + "#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "void": "http://rdfs.org/ns/void#",
    "sdg": SDG_BASE,
}


class PK(DefinedNamespace):
    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes (those of the kinds of node are added below, from kg.kinds)
    PlanEntity: URIRef
    SourceDocument: URIRef
    Division: URIRef
    IndicatorValue: URIRef
    StatedTarget: URIRef
    ConceptMatch: URIRef
    ScoredLink: URIRef
    # containment shortcuts
    inPlan: URIRef
    inPart: URIRef
    inChapter: URIRef
    inSection: URIRef
    inBox: URIRef
    inTable: URIRef
    # numbers, text, provenance
    number: URIRef
    boxLabel: URIRef
    occurrence: URIRef
    marker: URIRef
    text: URIRef
    measureUnit: URIRef
    page: URIRef
    pageEnd: URIRef
    lineStart: URIRef
    lineEnd: URIRef
    sourceText: URIRef
    # plan metadata
    planNumber: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    horizon: URIRef
    sourceDocument: URIRef
    fileName: URIRef
    sha256: URIRef
    encoding: URIRef
    plankgVersion: URIRef
    planLevel: URIRef
    region: URIRef
    regionCode: URIRef
    adoption: URIRef
    documentNumber: URIRef
    truncated: URIRef
    # indicators
    category: URIRef
    nature: URIRef
    unit: URIRef
    baseValue: URIRef
    targetValue: URIRef
    annualValue: URIRef
    otherValue: URIRef
    rawText: URIRef
    numericValue: URIRef
    comparator: URIRef
    qualifier: URIRef
    cumulative: URIRef
    textValue: URIRef
    isEmpty: URIRef
    year: URIRef
    baseYear: URIRef
    targetYear: URIRef
    note: URIRef
    column: URIRef
    upperValue: URIRef
    footnoteMark: URIRef
    indicatorGroup: URIRef
    ownTargets: URIRef
    statesTarget: URIRef
    attribute: URIRef
    # comparing plans
    quantityKind: URIRef
    theme: URIRef
    driverTerm: URIRef
    keyTerm: URIRef
    comparableValue: URIRef
    comparableUpper: URIRef
    comparableUnit: URIRef
    valueKind: URIRef
    IndicatorConceptScheme: URIRef
    ValueKindScheme: URIRef
    LevelValue: URIRef
    AnnualRate: URIRef
    CumulativeChange: URIRef
    # alignment
    Alignment: URIRef
    source: URIRef
    target: URIRef
    score: URIRef
    rank: URIRef
    method: URIRef
    evidence: URIRef
    textScore: URIRef
    outlineScore: URIRef
    placeScore: URIRef
    termScore: URIRef
    supports: URIRef
    affectsIndicator: URIRef
    contributesToSDG: URIRef
    implements: URIRef
    # places and stated targets
    Place: URIRef
    mentionsPlace: URIRef
    TargetStatement: URIRef
    statedIn: URIRef
    term: URIRef
    matchesIndicator: URIRef
    tableValue: URIRef
    checkStatus: URIRef
    # concepts (ontology/schemes.ttl)
    IndicatorNatureScheme: URIRef
    Anticipatory: URIRef
    Binding: URIRef
    IndicatorCategoryScheme: URIRef
    EconomicDevelopment: URIRef
    InnovationDriven: URIRef
    PeoplesWellbeing: URIRef
    GreenEcology: URIRef
    SecurityAssurance: URIRef
    MeasureUnitScheme: URIRef
    LeadPhraseMeasure: URIRef
    SubheadingMeasure: URIRef
    SectionMeasure: URIRef
    ChapterMeasure: URIRef
    EntityKindScheme: URIRef
    KindPart: URIRef
    KindChapter: URIRef
    KindSection: URIRef
    KindPositioning: URIRef
    KindVision: URIRef
    KindGoal: URIRef
    KindPrinciple: URIRef
    KindAchievement: URIRef
    KindMeasure: URIRef
    KindBox: URIRef
    KindProject: URIRef
    KindIndicator: URIRef
    TargetCheckScheme: URIRef
    Agrees: URIRef
    Conflicts: URIRef
    NotInTable: URIRef
    NoNumberInTable: URIRef
    PlanLevelScheme: URIRef
    NationalLevel: URIRef
    ProvincialLevel: URIRef
    CityLevel: URIRef
    DistrictLevel: URIRef
    SDGScheme: URIRef
    NationalIndicatorScheme: URIRef


# The class of each kind of node (pk:Chapter …) is a term as well: declared in kg.kinds, so
# a new kind needs no line here.
for _kind in KINDS:
    PK.__annotations__[_kind.pk] = URIRef

# Each declared term made once, as a plain class attribute: rdflib finds a term anew on
# every ``PK.x`` (its checks, then a cache), a few microseconds a time and tens of
# thousands of times a plan's graph. An undeclared name still reaches rdflib and fails.
for _name in PK.__annotations__:
    type.__setattr__(PK, _name, PK[_name])

ONTOLOGY_FILES = ("plankg.ttl", "schemes.ttl")
SHAPES_FILE = "shapes.ttl"


def ontology_text(name: str) -> str:
    return (resources.files("kg.ontology") / name).read_text(encoding="utf-8")


# Plan ids are checked against PLAN_ID (kg.read.pipeline) and entity ids are built from
# digits and ASCII words, so IRIs need no escaping and stay readable.


def plan_iri(plan_id: str) -> URIRef:
    return URIRef(ID_BASE + plan_id)


def entity_iri(plan_id: str, entity_id: str) -> URIRef:
    """``chapter/9/section/1`` of plan ``p`` -> https://w3id.org/plankg/id/p/chapter/9/section/1"""
    return URIRef(f"{ID_BASE}{plan_id}/{entity_id}")


def graph_iri(plan_id: str) -> URIRef:
    return URIRef(GRAPH_BASE + plan_id)


def sdg_iri(number: int) -> URIRef:
    return URIRef(f"{SDG_BASE}{number}")


def national_iri(number: int) -> URIRef:
    """One of the national 14th FYP's main indicators (``kg/reference/``)."""
    return URIRef(f"{NATIONAL_BASE}{number}")


def concept_iri(slug: str) -> URIRef:
    """One of the indicator concepts plans share (``kg/reference/indicator-concepts.csv``)."""
    return URIRef(CONCEPT_BASE + slug)
