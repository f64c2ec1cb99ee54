"""NLP components, alignment quality against the labelled sample, text-vs-table checks,
national and SDG frameworks, and the rule that no code names the bundled plan's content."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS
from synth import para, render

import kg
from kg.analyse.alignment import THRESHOLDS, align
from kg.analyse.consistency import check_targets
from kg.analyse.evaluation import load_sample, top1_precision
from kg.analyse.frameworks import map_to_national
from kg.analyse.nlp import build_nlp, plan_places, quantities
from kg.rdf.schemes import reference_graph
from kg.rdf.vocab import PK, national_iri
from kg.reference import alignment_figures, national_indicators, sdgs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def nlp(bundled):
    return build_nlp(bundled)


@pytest.fixture(scope="module")
def alignment(bundled, nlp):
    return align(bundled, nlp)


@pytest.fixture(scope="module")
def sample():
    return load_sample(DATA / "alignment-sample.csv")


# --- NLP ------------------------------------------------------------------------


def test_quantities_in_running_text():
    got = [
        (q.term, q.number, q.unit, q.comparator, q.qualifier)
        for q in quantities(
            "森林覆盖率达到25%、草原植被盖度稳定在60%左右，粮食产量稳定在50亿斤以上，研发投入强度超过2.5%。"
        )
    ]
    assert got == [
        ("森林覆盖率", 25.0, "%", None, None),
        ("草原植被盖度", 60.0, "%", None, "左右"),
        ("粮食产量", 50.0, "亿斤", None, "以上"),
        ("研发投入强度", 2.5, "%", ">", None),
    ]


SYNTH_PLACES = [
    "第一章 推进生态保护",
    *para("加强青湖治理。推进青湖生态补水，实施白沙县、石门县湿地保护，建设青湖流域生态廊道。"),
    *para("治理红柳沙漠。在白沙县和石门县推进红柳沙漠综合治理，建设防沙治沙示范区。"),
    *para("建设金川口岸。推进金川口岸通关设施建设，扩大金川口岸进出口贸易，建设旅游区和示范区。"),
    *para("保护青湖湿地。加强青湖湿地和红柳沙漠周边生态保护，提升旅游区服务。"),
]


def test_places_come_from_the_plan_itself():
    plan = kg.extract_text(render(SYNTH_PLACES, page_every=50))
    places = plan_places([e.title + "。" + e.text for e in plan.entities()])
    assert {"青湖", "白沙县", "石门县", "红柳沙漠", "金川口岸"} <= places
    assert not places & {"旅游区", "示范区", "湿地", "口岸"}


def test_pipeline_marks_places_indicators_and_quantities(bundled, nlp):
    name = bundled.indicators[17].title
    doc = nlp(f"到规划期末，{name}达到25%，生态持续改善。")
    assert (name, "INDICATOR") in {(e.text, e.label_) for e in doc.ents}
    assert [(q.term, q.number) for q in doc._.quantities] == [(name, 25.0)]
    some_place = sorted(nlp.meta["plankg"]["places"])[0]
    assert (some_place, "PLACE") in {(e.text, e.label_) for e in nlp(f"推进{some_place}建设。").ents}


# --- quality against the labelled sample ------------------------------------------


def test_top_ranked_positioning_of_projects_is_right_at_least_80_percent(alignment, sample):
    precision, n = top1_precision(alignment, sample, "positioning", "project")
    assert n >= 80 and precision >= 0.8


def test_held_out_figures_do_not_drop_below_the_recorded_ones():
    # Both labelled plans, the half the model was fitted on and the half it was not.
    from bench_alignment import figures

    recorded = alignment_figures()
    got = figures()
    dropped = {k: (got[k], v) for k, v in recorded.items() if got.get(k, 0.0) < v - 1e-9}
    assert not dropped, dropped


def test_the_committed_model_is_what_the_labels_give():
    from bench_alignment import fitted_model

    from kg.analyse import fitted

    model, thresholds = fitted_model()
    assert thresholds == fitted.THRESHOLDS
    for kind, m in model.items():
        assert m["intercept"] == pytest.approx(fitted.MODEL[kind]["intercept"], abs=1e-3), kind
        for f, w in m["weights"].items():
            assert w == pytest.approx(fitted.MODEL[kind]["weights"][f], abs=1e-3), (kind, f)


def test_scores_are_calibrated_on_the_held_out_half():
    # A score of 0.8 should be right about eight times in ten: within each band of scores
    # of the half not fitted on, the share right is close to the mean score.
    from bench_alignment import training_rows

    from kg.analyse.alignment import probability

    bands: dict[int, list[tuple[float, bool]]] = {}
    for kind, _, values, right, half, _ in training_rows():
        if half == 1:
            p, _ = probability(kind, values)
            bands.setdefault(min(int(p * 5), 4), []).append((p, right))
    for band, rows in bands.items():
        if len(rows) >= 30:
            mean_p = sum(p for p, _ in rows) / len(rows)
            share = sum(r for _, r in rows) / len(rows)
            assert abs(mean_p - share) < 0.15, (band, mean_p, share, len(rows))


def test_links_carry_scores_in_range_and_evidence(alignment):
    assert all(0.0 <= link.score <= 1.0 for link in alignment.links)
    top = alignment.top("box/4-1/project/1", "positioning")
    assert top.target == "positioning/1" and top.evidence  # ecological barrier, with shared words


# --- text against table ----------------------------------------------------------


def test_targets_in_the_text_are_checked_against_the_table(bundled):
    checks = {(c.entity, c.quantity.term): c for c in check_targets(bundled)}
    forest = checks[("goal/2", "森林覆盖率")]  # '森林覆盖率达到9%' in the goals; the table: 9
    assert (forest.status, forest.indicator, forest.table_value) == ("agrees", "indicator/18", "9")
    grass = checks[("goal/2", "草原植被盖度")]  # '稳定在28%左右'; the table: 28左右
    assert grass.status == "agrees" and grass.quantity.qualifier == "左右"
    assert checks[("goal/1", "人均地区生产总值")].status == "not-in-table"  # 1万美元: no such row


def test_a_conflict_shows_both_values():
    lines = [
        "第一章 主要目标",
        *para("——生态文明实现新进步。森林覆盖率达到30%，生态环境持续改善。"),
        "主要指标",
        "类别 指标 单位 2020年 2025年 年均/累计 属性",
        "绿色生态",
        "1、森林覆盖率 % 23.5 25 [1.5] 约束性",
    ]
    plan = kg.extract_text(render(lines, page_every=50))
    [check] = check_targets(plan)
    assert (check.status, check.quantity.number, check.table_value) == ("conflicts", 30.0, "25")


# --- frameworks --------------------------------------------------------------------


def test_reference_schemes_hold_17_sdgs_and_20_national_indicators():
    g = reference_graph()
    assert len(set(g.subjects(SKOS.inScheme, PK.SDGScheme))) == 17 == len(sdgs())
    assert len(set(g.subjects(SKOS.inScheme, PK.NationalIndicatorScheme))) == 20 == len(national_indicators())
    assert (national_iri(18), SKOS.prefLabel, Literal("森林覆盖率", lang="zh")) in g


def test_plan_indicators_map_to_the_national_ones(bundled):
    rel = {i.title: (m.relation, m.national) for i, m in zip(bundled.indicators, map_to_national(bundled.indicators))}
    assert rel["森林覆盖率"] == ("same", 18)
    assert rel["地区生产总值增长"] == ("narrower", 1)  # the regional counterpart of GDP growth
    assert rel["每万人高价值发明专利拥有量"] == ("same", 5)  # 每万人 / 每万人口 spelled two ways
    assert rel["草原植被盖度"] == ("none", None) and rel["建成区绿地率"] == ("none", None)


# --- the graph -----------------------------------------------------------------------


def test_alignment_in_the_graph(bundled_build):
    g = bundled_build[0].graph
    base = "https://w3id.org/plankg/id/bayannur-14th-fyp/"
    a = URIRef(base + "box/4-1/project/1/alignment/positioning/1")
    assert (a, RDF.type, PK.Alignment) in g
    assert (a, PK.source, URIRef(base + "box/4-1/project/1")) in g and (a, PK.rank, Literal(1)) in g
    assert (URIRef(base + "box/4-1/project/1"), PK.supports, URIRef(base + "positioning/1")) in g
    for link in g.subjects(RDF.type, PK.Alignment):
        score = float(g.value(link, PK.score))
        assert 0 <= score <= 1
        source, target = g.value(link, PK.source), g.value(link, PK.target)
        direct = {PK.supports, PK.affectsIndicator, PK.contributesToSDG}
        has_direct = any((source, p, target) in g for p in direct)
        kind = str(target).split("/")[-2]
        threshold = THRESHOLDS["sdg" if "/sdg/" in str(target) else kind]
        assert has_direct == (score >= threshold), link
        assert str(g.value(link, PK.evidence)).strip(), link  # no alignment without its why
    assert (URIRef(base + "indicator/18"), SKOS.exactMatch, national_iri(18)) in g


def test_every_item_has_its_best_goal_and_positioning_in_the_graph(bundled_build):
    g = bundled_build[0].graph
    plan = bundled_build[0].plan
    best = {
        (str(g.value(a, PK.source)), str(g.value(a, PK.target)).split("/")[-2])
        for a in g.subjects(RDF.type, PK.Alignment)
        if int(g.value(a, PK.rank)) == 1
    }
    base = "https://w3id.org/plankg/id/bayannur-14th-fyp/"
    for item in plan.measures + plan.projects:
        assert (base + item.id, "goal") in best and (base + item.id, "positioning") in best, item.id


def test_evidence_says_first_what_weighed_most(alignment):
    link = alignment.top("box/4-1/project/1", "positioning")
    weights = [r.weight for r in link.reasons]
    # What the plan's outline says comes first: the chapter it is filed under, or the words it
    # shares with the items filed under the parts and chapters naming the positioning.
    assert weights == sorted(weights, reverse=True) and link.reasons[0].group in ("outline", "usage")
    assert link.evidence.startswith("章节") and "章节：" in link.evidence  # the chapter, named


def test_a_word_common_in_the_plan_is_no_evidence_alone():
    # '网络' is in most of these items: it says nothing of 5G coverage; '基站' does.
    lines = [
        "第一章 主要目标",
        *para("——数字经济取得新成效。信息基础设施更加完善。"),
        "主要指标",
        "类别 指标 单位 2020年 2025年 年均/累计 属性",
        "创新驱动",
        "1 使用5G网络人口占比 % 20 50 — 预期性",
        "第二章 建设数字城市",
    ]
    for k in range(1, 25):
        lines += [
            f"第{k}节 任务{k}",
            *para(f"（一）完善第{k}类服务网络。健全网络体系，推进网络化管理，提升网络服务水平。"),
        ]
    lines += ["第二十五节 新型基础设施", *para("（一）加快5G基站建设。新建5G基站三千个，实现城乡5G网络全覆盖。")]
    plan = kg.extract_text(render(lines, page_every=80))
    alignment = align(plan)
    by_title = {m.title: m.id for m in plan.measures}
    towers = alignment.top(by_title["加快5G基站建设"], "indicator")
    generic = alignment.top(by_title["完善第3类服务网络"], "indicator")
    assert towers.score > 3 * generic.score
    assert "基站" in towers.evidence and "基站" not in generic.evidence


def test_a_place_named_short_and_in_full_is_one_place(bundled_build):
    g = bundled_build[0].graph
    labels = {str(o) for p in g.subjects(RDF.type, PK.Place) for o in g.objects(p, RDFS.label)}
    full = [p for p in g.subjects(RDF.type, PK.Place) if str(g.value(p, RDFS.label)) == "临河区"]
    assert "临河" not in labels and full
    assert "临河" in {str(o) for o in g.objects(full[0], SKOS.altLabel)}


# --- nothing of the bundled plan in the code ---------------------------------------------


def test_no_code_names_the_bundled_plans_places_projects_or_measures(bundled):
    names = set(build_nlp(bundled).meta["plankg"]["places"])
    names |= {e.title for e in bundled.projects + bundled.measures + bundled.boxes if len(e.title) >= 5}
    code = [p for p in (ROOT / "kg").rglob("*") if p.suffix in (".py", ".rq") and "corpus" not in p.parts]
    code += [p for p in (ROOT / "viz").rglob("*") if p.suffix in (".py", ".html")]
    code += list((ROOT / "ontology").glob("*.ttl"))
    for path in code:
        text = path.read_text(encoding="utf-8")
        hits = sorted(n for n in names if n in text)
        assert not hits, f"{path.relative_to(ROOT)} names the bundled plan's {hits[:5]}"


def test_a_plans_dictionary_does_not_leak_into_the_next_plan(bundled):
    """jieba's global dictionary stays as shipped: the results for a plan do not depend on
    which plans the same process handled before it."""
    import jieba

    plan = kg.extract_text(render(SYNTH_PLACES, page_every=50))
    before = align(plan)
    probe = "推进青湖生态补水和白沙县湿地保护"
    cut_before = jieba.lcut(probe)
    build_nlp(bundled)  # another plan, with words of its own
    after = align(plan)
    assert jieba.lcut(probe) == cut_before
    assert [(k.source, k.target, k.score) for k in before.links] == [(k.source, k.target, k.score) for k in after.links]


def test_the_plan_segmenter_cuts_as_jieba_does(bundled):
    """plankg's segmenter remembers each block's cut and finds it in one pass; jieba's own
    tokenizer, given the same dictionary, must give the same words for every text."""
    import jieba

    from kg.analyse.nlp import plan_lexicon, plan_segmenter

    words = sorted(plan_lexicon(bundled).places.names)[:20] + [i.title for i in bundled.indicators]
    reference = jieba.Tokenizer()
    reference.FREQ, reference.total, reference.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    for w in words:
        reference.add_word(w, freq=2000)
    plain = plan_segmenter([])
    ours = plan_segmenter(words)
    texts = [f"{e.title}。{e.text}" for e in bundled.entities()] + ["建设5G基站和PM2.5监测站，GDP年均增长6%。"]
    for text in texts:
        assert ours.lcut(text, HMM=False) == reference.lcut(text, HMM=False)
        assert plain.lcut(text, HMM=False) == jieba.dt.lcut(text, HMM=False)
    assert ours.lcut(texts[-1], HMM=False) == ours.lcut(texts[-1], HMM=False)  # remembered blocks, same words
