"""The graph browser: its data without a browser, then the page in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from kg.rdf.vocab import ONTOLOGY_FILES, PK, ontology_text
from kg.viz import graph_data, render_html, write_pages
from kg.viz.data import COLUMN

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph(bundled_build) -> Graph:
    return bundled_build[0].graph


@pytest.fixture(scope="module")
def data(graph):
    return graph_data(graph)


def entities(graph: Graph) -> set[URIRef]:
    """Entities as the ontology defines them: plans, and instances of pk:PlanEntity's subclasses."""
    onto = Graph()
    for name in ONTOLOGY_FILES:
        onto.parse(data=ontology_text(name), format="turtle")
    classes = set(onto.transitive_subjects(RDFS.subClassOf, PK.PlanEntity))
    return set(graph.subjects(RDF.type, PK.Plan)) | {s for c in classes for s in graph.subjects(RDF.type, c)}


def test_one_node_per_entity_and_containment_edges(graph, data):
    assert {n["id"] for n in data.nodes} == {str(e) for e in entities(graph)}
    contains = [e for e in data.edges if e["kind"] == "contains"]
    # Every entity but the plan has one container (the indicator table is an entity too).
    assert len(contains) == len(data.nodes) - 1
    by_id = {n["id"]: n for n in data.nodes}
    project = by_id["https://w3id.org/plankg/id/bayannur-14th-fyp/box/4-1/project/1"]
    assert project["full"] == "内蒙古乌梁素海生态修复补水专用通道工程" and project["page"] == 30
    assert len(project["label"]) <= 12 and project["label"].endswith("…")


def test_layout_shows_the_structure(data):
    by_cls: dict[str, list[dict]] = {}
    for n in data.nodes:
        by_cls.setdefault(n["cls"], []).append(n)
    chapters = sorted(by_cls["Chapter"], key=lambda n: n["number"])
    # Reading order: row by row, left to right.
    assert [(c["y"], c["x"]) for c in chapters] == sorted((c["y"], c["x"]) for c in chapters)
    band_y = {n["y"] for cls in ("StrategicPositioning", "Goal", "Vision") for n in by_cls[cls]}
    assert len(band_y) == 1 and max(band_y) < min(c["y"] for c in chapters)
    # Each chapter's measures and projects stand in its column, below it.
    chapter_at = {c["id"]: c for c in chapters}
    for n in by_cls["Measure"] + by_cls["Project"]:
        c = chapter_at[n["chapter"]]
        assert abs(n["x"] - c["x"]) < COLUMN / 2 and n["y"] > c["y"]
    # Indicators grouped by category: one x per category.
    xs = {}
    for n in by_cls["Indicator"]:
        xs.setdefault(n["category"], set()).add(n["x"])
    assert all(len(v) == 1 for v in xs.values()) and len(xs) == 5


def test_alignment_links_are_drawn(graph, data):
    """Every direct pk:supports / pk:affectsIndicator triple between drawn nodes is an edge."""
    drawn = {n["id"] for n in data.nodes}
    for prop, kind in ((PK.supports, "supports"), (PK.affectsIndicator, "affects indicator")):
        expected = {(str(s), str(o)) for s, o in graph.subject_objects(prop) if str(s) in drawn and str(o) in drawn}
        got = {(e["from"], e["to"]) for e in data.edges if e["kind"] == kind}
        assert got == expected and expected
    base = "https://w3id.org/plankg/id/bayannur-14th-fyp/"
    edge = next(e for e in data.edges if (e["from"], e["to"]) == (base + "box/4-1/project/1", base + "positioning/1"))
    assert edge["kind"] == "supports" and 0 < edge["score"] <= 1  # the alignment's score, shown on hover


def test_page_is_self_contained(data):
    html = render_html(data, "测试")
    assert "<script src" not in html and "<link" not in html
    assert "cdn." not in html and "bootstrap" not in html.lower()
    assert "vis.Network" in html and "测试" in html


# --- in a real browser -------------------------------------------------------


@pytest.fixture(scope="module")
def page_file(graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("viz")
    return write_pages(graph, out)[0]


@pytest.fixture
def page(browser, page_file):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    pg.problems, pg.requests = [], []
    pg.on("console", lambda m: pg.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(page_file.as_uri())
    pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
    yield pg
    context.close()


@pytest.mark.slow
def test_page_loads_offline_without_errors(page, graph, tmp_path):
    assert page.problems == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    drawn = page.evaluate("plankg.network.body.nodeIndices.length")
    assert drawn == len(entities(graph)) == 600
    page.screenshot(path=str(tmp_path / "viz.png"))  # to look at when it fails; never into build/


@pytest.mark.slow
def test_search_focuses_a_node_and_the_panel_cites_its_page(page, graph, tmp_path):
    page.fill("#search", "乌梁素海")
    page.press("#search", "Enter")
    selected = page.evaluate("plankg.network.getSelectedNodes()")
    assert len(selected) == 1
    node = URIRef(selected[0])
    assert "乌梁素海" in str(graph.value(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    page_no = int(graph.value(node, PK.page))
    assert f"第 {page_no}" in page.inner_text("#panel-page")
    assert page.inner_text("#matches").startswith("1 / ")
    page.press("#search", "Enter")  # the next match
    assert page.evaluate("plankg.network.getSelectedNodes()")[0] != selected[0]
    page.screenshot(path=str(tmp_path / "viz-search.png"))


@pytest.mark.slow
def test_class_filter_hides_that_class(page):
    count = "cls => plankg.NODES.filter(n => n.cls === cls && plankg.network.body.nodeIndices.includes(n.id)).length"
    assert page.evaluate(f"({count})('Project')") == 148
    page.click("#legend input[value=Project]")
    assert page.evaluate(f"({count})('Project')") == 0
    assert page.evaluate(f"({count})('Measure')") == 205


@pytest.mark.slow
def test_overview_and_double_click_expands_a_chapter(page):
    page.click("#view-overview")
    visible = "plankg.network.body.nodeIndices"
    assert page.evaluate(f"{visible}.length") == 115  # plan, band, indicators, parts, chapters, boxes, table
    chapter = "https://w3id.org/plankg/id/bayannur-14th-fyp/chapter/9"
    page.evaluate(f"plankg.network.focus('{chapter}', {{scale: 1.0, animation: false}})")
    pos = page.evaluate(
        f"(() => {{ const p = plankg.network.getPosition('{chapter}'); return plankg.network.canvasToDOM(p); }})()"
    )
    box = page.locator("#network").bounding_box()
    page.mouse.dblclick(box["x"] + pos["x"], box["y"] + pos["y"])
    # Chapter 9: 3 sections, 5 measures, 9 projects (its box was already shown).
    assert page.evaluate(f"{visible}.length") == 115 + 3 + 5 + 9
    page.mouse.dblclick(box["x"] + pos["x"], box["y"] + pos["y"])
    assert page.evaluate(f"{visible}.length") == 115


@pytest.mark.slow
def test_panel_neighbours_are_links(page):
    page.evaluate("plankg.focusNode('https://w3id.org/plankg/id/bayannur-14th-fyp/box/4-1')")
    assert "乌梁素海流域综合治理重大工程" in page.inner_text("#panel-title")
    page.click("#panel a[data-id$='box/4-1/project/2']")
    assert page.inner_text("#panel-title") == "乌梁素海水生态治理和保护修复工程"


def test_viz_command_writes_the_page(tmp_path, bundled_build):
    from typer.testing import CliRunner

    from kg.shells.cli import app

    shutil.copy(bundled_build[1] / "bayannur-14th-fyp.ttl", tmp_path)
    result = CliRunner().invoke(app, ["viz", "--data", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bayannur-14th-fyp.html").stat().st_size > 100_000
    empty = CliRunner().invoke(app, ["viz", "--data", str(tmp_path / "none")])
    assert empty.exit_code == 2 and "run 'plankg build' first" in empty.output
