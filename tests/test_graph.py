"""The knowledge graph: shapes, the ontology contract, determinism, a golden graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV
from synth import box, para, render

import kg
from kg.rdf.graph import plan_graph
from kg.rdf.validate import validate
from kg.rdf.vocab import ONTOLOGY_FILES, PK, ontology_text
from kg.shells.build import build, class_counts

GOLDEN = Path(__file__).parent / "golden" / "mini-plan.ttl"

MINI_PLAN = [
    *para("青河市国民经济和社会发展第十四个五年规划纲要（2021—2025年），是全市的行动纲领。"),
    "第一篇 总体要求",
    "第一章 战略定位",
    *para("——生态屏障示范区。统筹山水林田湖草沙系统治理，筑牢生态安全屏障。"),
    "第二章 主要目标",
    *para("2035年远景目标。展望2035年，全市基本实现社会主义现代化。"),
    *para("——生态文明实现新进步。森林覆盖率达到25%。"),
    "“十四五”时期主要指标",
    "类别 指标 单位 2020年 2025年 年均/累计 属性",
    "绿色生态",
    "1、森林覆盖率 % 23.5 25 [1.5] 约束性",
    "2、空气质量优良天数比率 % 85 — 达到省要求 约束性",
    "第二篇 推动绿色发展",
    "第三章 推进生态保护",
    "第一节 加强水系治理",
    *para("治理青河干流。实施河道清淤和生态补水工程，建设滨河生态廊道。"),
    *box("3-1", "生态保护重大工程", [("（一）", "青河干流综合治理工程", "实施河道清淤、堤防加固和生态补水。")]),
]


@pytest.fixture(scope="module")
def mini():
    return kg.extract_text(render(MINI_PLAN, page_every=8), name="mini-plan.txt")


def test_bundled_graph_passes_the_shapes_and_counts_equal_the_model(bundled_build):
    result, _ = bundled_build
    assert result.report.conforms, result.report.summary()
    counts = result.class_counts()
    model = result.plan.counts()
    assert counts["Part"] == model["parts"] == 12
    assert counts["Chapter"] == model["chapters"] and counts["Section"] == model["sections"]
    assert counts["StrategicPositioning"] == model["positionings"] and counts["Goal"] == model["goals"]
    assert counts["Measure"] == model["measures"] and counts["Box"] == model["boxes"]
    assert counts["Project"] == model["projects"] == 148 and counts["Indicator"] == model["indicators"] == 22


def test_shapes_catch_a_broken_graph(mini):
    g = plan_graph(mini)
    chapter = next(g.subjects(RDF.type, PK.Chapter))
    g.remove((chapter, RDFS.label, None))
    project = next(g.subjects(RDF.type, PK.Project))
    g.remove((project, PK.inBox, None))
    g.add((project, PK.page, Literal("thirty")))
    report = validate(g)
    assert not report.conforms
    focus = {v.focus for v in report.violations}
    assert str(chapter) in focus and str(project) in focus
    assert "rdfs:label @zh" in report.summary()


def test_shapes_need_lines_and_source_of_every_entity_whatever_its_class(mini):
    # The entity shapes name no class: they hold for any node derived from the text, and
    # the lines and the derivation each need the other.
    g = plan_graph(mini)
    section, measure = next(g.subjects(RDF.type, PK.Section)), next(g.subjects(RDF.type, PK.Measure))
    g.remove((section, PK.lineStart, None))
    g.remove((measure, PROV.wasDerivedFrom, None))
    paths = {(v.focus, v.path) for v in validate(g).violations}
    assert (str(section), str(PK.lineStart)) in paths
    assert (str(measure), str(PROV.wasDerivedFrom)) in paths


def test_every_emitted_term_is_declared_with_zh_and_en_labels(bundled_build, mini):
    onto = Graph()
    for name in ONTOLOGY_FILES:
        onto.parse(data=ontology_text(name), format="turtle")
    g = bundled_build[0].graph + plan_graph(mini)
    used = {p for p in g.predicates() if str(p).startswith(str(PK._NS))}
    used |= {o for o in g.objects(None, RDF.type) if str(o).startswith(str(PK._NS))}
    used |= {o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(str(PK._NS))}
    assert PK.Plan in used and PK.targetValue in used
    for term in used:
        labels = {lit.language for lit in onto.objects(term, RDFS.label)} | {
            lit.language for lit in onto.objects(term, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
        }
        assert {"zh", "en"} <= labels, term


def test_namespace_class_matches_the_ontology_both_ways():
    onto = Graph()
    for name in ONTOLOGY_FILES:
        onto.parse(data=ontology_text(name), format="turtle")
    declared = {s for s in onto.subjects(RDF.type, None) if str(s).startswith(str(PK._NS))}
    listed = {PK[name] for name in PK.__annotations__}
    assert declared == listed
    with pytest.raises(AttributeError):
        PK.Chaptr  # noqa: B018 - a typo must fail, not mint a term


def test_same_input_gives_byte_identical_files(tmp_path):
    """Two builds in fresh processes with different hash seeds write the same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "kg", "build", "--out", str(out), "--format", "ttl,trig,nq,jsonld"],
            check=True,
            env=env,
            capture_output=True,
        )
        outs.append(out)
    for name in (
        "bayannur-14th-fyp.ttl",
        "bayannur-14th-fyp.trig",
        "bayannur-14th-fyp.nq",
        "bayannur-14th-fyp.jsonld",
        "bayannur-14th-fyp.json",
    ):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    text = (outs[0] / "bayannur-14th-fyp.ttl").read_text(encoding="utf-8")
    assert "dateTime" not in text and "_:" not in text  # no timestamps, no blank nodes


def test_iris_are_readable_and_derived_from_the_outline(bundled_build):
    g = bundled_build[0].graph
    base = "https://w3id.org/plankg/id/bayannur-14th-fyp/"
    section = URIRef(base + "chapter/9/section/1")
    assert (section, RDF.type, PK.Section) in g
    assert (section, URIRef("http://purl.org/dc/terms/isPartOf"), URIRef(base + "chapter/9")) in g
    assert (URIRef(base + "box/6-5_2"), PK.boxLabel, Literal("6-5")) in g
    assert (URIRef(base + "box/4-1/project/1"), PK.inBox, URIRef(base + "box/4-1")) in g


def test_a_small_edit_changes_only_the_iris_it_must(mini):
    """Editing one project's description changes that project's triples only."""
    edited = [line.replace("堤防加固", "堤防加高") for line in MINI_PLAN]
    other = kg.extract_text(render(edited, page_every=8), name="mini-plan.txt")
    _, only_a, only_b = graph_diff(to_isomorphic(plan_graph(mini)), to_isomorphic(plan_graph(other)))
    changed = {s for s, _, _ in only_a} | {s for s, _, _ in only_b}
    base = "https://w3id.org/plankg/id/mini-plan/"
    # The project's own text and source lines, and the source file's checksum.
    assert changed == {URIRef(base + "box/3-1/project/1"), URIRef(base + "source")}


def test_golden_graph_of_a_small_synthetic_plan(mini, regen_golden):
    g = plan_graph(mini)
    g.remove((None, PK.plankgVersion, None))  # the version moves on; the graph should not
    if regen_golden or not GOLDEN.exists():
        GOLDEN.write_text(g.serialize(format="turtle"), encoding="utf-8")
        if not regen_golden:
            pytest.fail(f"wrote a new golden file {GOLDEN}: review it and run again")
    expected = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(g, expected):
        _, only_now, only_golden = graph_diff(to_isomorphic(g), to_isomorphic(expected))
        lines = [f"+ {t}" for t in sorted(only_now)[:10]] + [f"- {t}" for t in sorted(only_golden)[:10]]
        pytest.fail(
            "graph differs from tests/golden/mini-plan.ttl (pytest --regen-golden after review):\n" + "\n".join(lines)
        )


def test_mini_plan_content(mini):
    g = plan_graph(mini)
    base = "https://w3id.org/plankg/id/mini-plan/"
    plan = URIRef("https://w3id.org/plankg/id/mini-plan")
    assert (plan, PK.periodStart, Literal(2021)) in g and (plan, PK.horizon, Literal(2035)) in g
    target = URIRef(base + "indicator/2/value/annual")
    assert (target, PK.textValue, Literal("达到省要求", lang="zh")) in g
    assert (URIRef(base + "indicator/1"), PK.nature, PK.Binding) in g


def test_build_writes_requested_formats(tmp_path):
    result = build(None, tmp_path, formats=("ttl", "trig", "nq", "jsonld"))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"bayannur-14th-fyp.{ext}" for ext in ("json", "jsonld", "nq", "trig", "ttl")] + ["reference.ttl"]
    nq = (tmp_path / "bayannur-14th-fyp.nq").read_text(encoding="utf-8").splitlines()
    assert len(nq) == len(result.graph)
    assert all(line.endswith("<https://w3id.org/plankg/graph/bayannur-14th-fyp> .") for line in nq)
    assert class_counts(Graph().parse(tmp_path / "bayannur-14th-fyp.ttl")) == result.class_counts()


def test_the_ontology_carries_the_package_version():
    # Declared once in kg/version.py; the ontology's own copy must follow it.
    onto = Graph().parse(data=ontology_text("plankg.ttl"), format="turtle")
    assert str(onto.value(URIRef("https://w3id.org/plankg/ontology"), OWL.versionInfo)) == kg.__version__
