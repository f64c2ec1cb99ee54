"""Indicator concepts: plans' indicators linked to the shared concepts, their figures made
comparable, both in the graph. Checked against the hand labelling of the bundled plans and
on synthetic names for each rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import SKOS

from kg.analyse.concepts import link_plan, match, normal
from kg.analyse.values import of_target
from kg.model import Target
from kg.rdf.graph import plan_graph
from kg.rdf.schemes import reference_graph
from kg.rdf.vocab import PK, concept_iri, national_iri
from kg.reference import indicator_concepts
from kg.units import parse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def concept(name: str, unit: str | None = None, verb: str = "") -> str | None:
    found = match("indicator/1", name, unit, verb)
    return found.concept if found else None


def test_linking_holds_its_recorded_precision_and_recall():
    from bench_concepts import figures

    recorded = json.loads((ROOT / "tests" / "data" / "concept-figures.json").read_text(encoding="utf-8"))
    got = figures()
    assert got["precision"] >= max(0.95, recorded["precision"] - 0.005), got
    assert got["recall"] >= max(0.9, recorded["recall"] - 0.005), got


@pytest.mark.parametrize(
    ("name", "unit", "slug"),
    [
        ("地区生产总值年均增长", "%", "gdp-growth"),
        ("地区生产总值（GDP）年均增长率", "%", "gdp-growth"),
        ("GDP增速", "%", "gdp-growth"),
        ("地区生产总值", "亿元", "gdp"),  # a level in money is no growth rate
        ("全社会研究与试验发展经费支出占地区生产总值比重", "%", "rd-intensity"),
        ("研发经费投入年均增长", "%", "rd-spending-growth"),  # the growth, not the intensity
        ("森林覆盖率", "%", "forest-coverage"),
        ("细颗粒物（PM2.5）年均浓度", "微克/立方米", "pm25-concentration"),
        ("单位地区生产总值能源消耗降幅", "%", "energy-intensity-reduction"),
        ("每万人口高价值发明专利拥有量", "件", "high-value-invention-patents-per-10k"),
        ("粮食综合生产能力", "万吨", "grain-production-capacity"),  # any mass
    ],
)
def test_names_spelled_the_genre_s_ways_reach_one_concept(name, unit, slug):
    assert concept(name, unit) == slug


def test_the_kind_of_quantity_and_the_unit_rule_concepts_out():
    assert concept("城镇化率", "亿元") is None  # a share is never counted in money
    assert concept("森林覆盖率增长", "%") != "forest-coverage"  # a growth is no level
    assert concept("全社会研发经费投入", "%", "增长7%以上") == "rd-spending-growth"  # the verb says growth


def test_a_name_like_no_concept_stays_unmatched():
    for name, unit in (
        ("使用5G网络人口占比", "%"),
        ("彩化率", "%"),
        ("金融市场交易总额", "万亿元"),
        ("“15+8”产业增加值占地区生产总值比重", "%"),
    ):
        assert concept(name, unit) is None, name


def test_a_row_printing_two_quantities_is_matched_by_its_first():
    assert concept("机场旅客/货邮吞吐量", "万人次/万吨") == "airport-passenger-throughput"
    assert concept("全员劳动生产率", "万元/人") == "labour-productivity"  # a ratio unit is one quantity


def test_spelled_alike_names_are_exact_others_close():
    assert match("i", "森林覆盖率", "%").relation == "exact"
    assert match("i", "城市副中心和平原新城地区生产总值年均增速", "%").relation == "close"
    assert normal("地区生产总值（GDP）年均增长率") == normal("国内生产总值增速") == "GDP增长"


def test_units_convert_within_what_they_measure_only():
    assert parse("亿斤").convert(55.2, parse("亿吨")) == pytest.approx(0.0276)
    assert parse("人/百亿元").convert(0.6, parse("人/亿元")) == pytest.approx(0.006)
    assert parse("%").convert(3, parse("亿元")) is None
    assert parse("万美元").convert(1, parse("万元")) is None  # currencies are not converted
    assert parse("万套（间）").dimension == parse("套").dimension


def test_a_stated_target_becomes_a_comparable_value():
    concepts = {c.slug: c for c in indicator_concepts()}

    class P:  # what of_target reads of a plan
        period_end = 2030

    grain = of_target(
        "goal/7/stated-target/1",
        Target("达到1.45万亿斤左右", "粮食综合生产能力", 1.45, unit="万亿斤"),
        concepts["grain-production-capacity"],
        P(),
    )  # type: ignore[arg-type]
    assert grain and grain.number == pytest.approx(7.25) and grain.unit == "亿吨" and grain.kind == "level"
    carbon = of_target(
        "goal/6/stated-target/1",
        Target("降低17%", "单位国内生产总值二氧化碳排放", 17, unit="%"),
        concepts["carbon-intensity-reduction"],
        P(),
    )  # type: ignore[arg-type]
    assert carbon and carbon.kind == "cumulative" and carbon.year == 2030
    money = of_target("x", Target("达到5%", "城镇化率", 5, unit="亿元"), concepts["urbanisation-rate"], P())  # type: ignore[arg-type]
    assert money is None  # never converted across what units measure


def test_the_bundled_plan_s_graph_links_its_indicators_and_compares_their_figures(bundled):
    concepts = link_plan(bundled)
    g = plan_graph(bundled, concepts=concepts)
    forest = next(s for s in g.subjects(RDF.type, PK.Indicator) if str(g.value(s, PK.number)) == "18")
    assert (forest, SKOS.exactMatch, concept_iri("forest-coverage")) in g
    node = next(g.subjects(PK.source, forest))
    assert g.value(node, RDF.type) == PK.ConceptMatch and g.value(node, PK.score) is not None
    assert "≈" in str(g.value(node, PK.evidence)) and str(g.value(node, PK.method)).startswith("plankg-concept")
    grain = next(s for s in g.subjects(RDF.type, PK.Indicator) if str(g.value(s, PK.number)) == "21")
    target = g.value(grain, PK.targetValue)
    assert g.value(target, PK.rawText) == Literal(">50")  # as printed, kept
    assert float(g.value(target, PK.comparableValue)) == pytest.approx(0.025)  # 50 亿斤 in 亿吨
    assert str(g.value(target, PK.comparableUnit)) == "亿吨" and g.value(target, PK.valueKind) == PK.LevelValue


def test_the_reference_graph_holds_the_concepts_and_links_the_national_indicators():
    g = reference_graph()
    c = concept_iri("forest-coverage")
    assert (c, SKOS.inScheme, PK.IndicatorConceptScheme) in g
    assert {str(o) for o in g.objects(c, SKOS.prefLabel)} == {"森林覆盖率", "Forest coverage"}
    assert "造林" in {str(o) for o in g.objects(c, PK.driverTerm)}
    assert (national_iri(18), SKOS.exactMatch, c) in g
    assert len(set(g.subjects(SKOS.inScheme, PK.IndicatorConceptScheme))) == len(indicator_concepts())


# --- vertical alignment ----------------------------------------------------------------------


def test_vertical_alignment_holds_its_recorded_figures():
    from bench_vertical import figures

    recorded = json.loads((ROOT / "tests" / "data" / "vertical-figures.json").read_text(encoding="utf-8"))
    got = figures()
    for sample in ("all", "odd", "even"):
        for key in ("top1", "precision", "recall"):
            assert got[sample][key] >= recorded[sample][key] - 0.005, (sample, key, got[sample])
    assert got["all"]["top1"] >= 0.85


def test_a_local_plan_s_items_implement_national_chapters_in_the_graph():
    import kg
    from kg.analyse.analysis import analyse
    from kg.rdf.vocab import entity_iri
    from kg.read.source import bundled_plans

    plan = kg.extract(bundled_plans()["shenzhen-15th-fyp"])
    g = plan_graph(plan, analyse(plan))
    implemented = set(g.objects(None, PK.implements))
    assert implemented and all(str(c).startswith(str(entity_iri("national-15th-fyp", "chapter/"))) for c in implemented)
    a = next(s for s in g.subjects(RDF.type, PK.Alignment) if g.value(s, PK.target) in implemented)
    assert str(g.value(a, PK.method)).startswith("plankg-vertical") and g.value(a, PK.evidence) is not None
    # The national plan itself, and a generation without a bundled national text, get none.
    national = kg.extract(bundled_plans()["national-15th-fyp"])
    assert not analyse(national).vertical
    assert not analyse(kg.extract(bundled_plans()["bayannur-14th-fyp"])).vertical
