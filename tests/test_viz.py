"""The graph browser: its data without a browser, then the page in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from kg.rdf.vocab import ONTOLOGY_FILES, PK, ontology_text
from kg.viz import graph_data, render_html, write_pages

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
    # Reading order: down each column, then the next column to the right.
    assert [(c["x"], c["y"]) for c in chapters] == sorted((c["x"], c["y"]) for c in chapters)
    assert len({c["x"] for c in chapters}) > 1  # columns, not one long list
    # The frame: positionings, vision and goals one under the other, in reading order,
    # inside the frame's block, above everything of the text's outline in that column.
    frame = next(b for b in data.blocks if b["kind"] == "frame")
    band = by_cls["StrategicPositioning"] + by_cls["Vision"] + by_cls["Goal"]
    assert [n["y"] for n in band] == sorted(n["y"] for n in band) and len({n["y"] for n in band}) == len(band)
    assert all(inside(n, frame) for n in band + by_cls["Indicator"])
    # Each chapter's sections, measures, boxes and projects stand in its block, below its title.
    block = {b["id"]: b for b in data.blocks if b["kind"] == "chapter"}
    chapter_at = {c["id"]: c for c in chapters}
    for n in by_cls["Section"] + by_cls["Measure"] + by_cls["Box"] + by_cls["Project"]:
        assert inside(n, block[n["chapter"]]) and n["y"] > chapter_at[n["chapter"]]["y"], n["full"]
    # A part's title row on top of its first chapter's block.
    parts = {b["id"]: b for b in data.blocks if b["kind"] == "part"}
    assert set(parts) == {p["id"] for p in by_cls["Part"]}
    # Indicators grouped by category: each category's rows apart from the others'.
    spans = {}
    for n in by_cls["Indicator"]:
        lo, hi = spans.get(n["category"], (n["y"], n["y"]))
        spans[n["category"]] = (min(lo, n["y"]), max(hi, n["y"]))
    assert len(spans) == 5
    ordered = sorted(spans.values())
    assert all(a[1] < b[0] for a, b in zip(ordered, ordered[1:]))
    # No two markers on one spot; every label has some room beside and around it.
    assert len({(n["x"], n["y"]) for n in data.nodes}) == len(data.nodes)
    assert all(n["room"] > 0 and n["rowh"] > 0 for n in data.nodes)


def test_layout_fits_a_screen_shaped_canvas(data):
    """Neither a ribbon nor a tower: the whole plan fills a window beside the panel."""
    x0, x1, y0, y1 = extent(data)
    assert 1.2 <= (x1 - x0) / (y1 - y0) <= 1.8


def test_titles_read_on_load_have_rows_of_their_own(data):
    """The rows of the titles one reads on load (parts, chapters, positionings, goals) are
    apart by a line of text at the scale that fits the plan into a window-sized canvas,
    and their labels have the width of several characters."""
    x0, x1, y0, y1 = extent(data)
    scale = min(1200 / (x1 - x0), 860 / (y1 - y0))
    for n in data.nodes:
        if n["tier"] <= 1:
            assert n["rowh"] * scale >= 17, (n["full"], n["rowh"] * scale)
            assert n["room"] * scale >= 8 * 13, (n["full"], n["room"] * scale)


def inside(n: dict, b: dict) -> bool:
    return b["x"] <= n["x"] <= b["x"] + b["w"] and b["y"] <= n["y"] <= b["y"] + b["h"]


def extent(data) -> tuple[float, float, float, float]:
    xs = [b["x"] for b in data.blocks] + [b["x"] + b["w"] for b in data.blocks]
    ys = [b["y"] for b in data.blocks] + [b["y"] + b["h"] for b in data.blocks]
    return min(xs), max(xs), min(ys), max(ys)


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


CANVAS = "document.querySelector('#network canvas')"


def canvas_box(page) -> dict:
    return page.locator("#network").bounding_box()


def move_to(page, x: float, y: float, scale: float) -> None:
    page.evaluate(
        "a => plankg.network.moveTo({position: {x: a[0], y: a[1]}, scale: a[2], animation: false})", [x, y, scale]
    )
    page.evaluate("plankg.network.redraw()")  # drawn at once, not at the next animation frame


def labels(page) -> list[dict]:
    """The titles the page draws in a frame drawn now, in canvas (CSS pixel) coordinates."""
    return page.evaluate("plankg.labels()")


def ink(page, box: dict) -> int:
    """Dark pixels the canvas holds inside ``box``: text actually painted there."""
    return page.evaluate(
        f"""b => {{
          const c = {CANVAS}, r = c.width / c.clientWidth;
          const d = c.getContext("2d").getImageData(b.x * r, b.y * r, Math.max(1, b.w * r), Math.max(1, b.h * r)).data;
          let dark = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 330 && d[i + 3] > 200) dark++;
          return dark;
        }}""",
        box,
    )


@pytest.mark.slow
def test_titles_are_readable_on_load(page, data):
    """The first view names the plan's frame, its parts and its chapters, in type one reads
    at normal size, each title whole or cut after several characters, none over another,
    spread over the whole canvas; measures and projects wait for a zoom."""
    box = canvas_box(page)
    drawn = labels(page)
    on_screen = [
        label
        for label in drawn
        if label["x"] >= 0
        and label["y"] >= 0
        and label["x"] + label["w"] <= box["width"] + 1
        and label["y"] + label["h"] <= box["height"] + 1
    ]
    assert len(on_screen) == len(drawn) >= 60
    by_id = {n["id"]: n for n in data.nodes}
    named = {label["id"] for label in drawn if label["id"]}
    must = [n for n in data.nodes if n["cls"] in ("StrategicPositioning", "Vision", "Goal", "Part", "Chapter")]
    assert {n["id"] for n in must} <= named, sorted(n["full"] for n in must if n["id"] not in named)
    for label in drawn:
        assert label["px"] >= 12
        if label["id"]:
            full = by_id[label["id"]]["full"]
            assert label["text"] == full or (label["text"].endswith("…") and full.startswith(label["text"][:-1]))
            assert len(label["text"]) >= min(7, len(full))
    assert not [label for label in drawn if label["tier"] >= 3]  # no measure, no project yet
    # None over another.
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            assert not (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ), (a["text"], b["text"])
    # Every quarter of the canvas holds titles.
    quarters = {
        (label["x"] + label["w"] / 2 > box["width"] / 2, label["y"] + label["h"] / 2 > box["height"] / 2)
        for label in drawn
    }
    assert len(quarters) == 4
    # And the text is on the canvas: dark pixels inside the titles' boxes.
    for label in drawn[:: max(1, len(drawn) // 12)]:
        assert ink(page, label) > 20, label["text"]


@pytest.mark.slow
def test_zooming_in_names_the_details(page, data):
    chapter = max(
        (n for n in data.nodes if n["cls"] == "Chapter"),
        key=lambda c: sum(m["chapter"] == c["id"] and m["cls"] == "Project" for m in data.nodes),
    )
    move_to(page, chapter["x"] + 400, chapter["y"] + 200, 1)
    drawn = labels(page)
    details = [label for label in drawn if label["tier"] >= 3]
    assert len(details) >= 15
    kinds = {next(n["cls"] for n in data.nodes if n["id"] == label["id"]) for label in details}
    assert {"Measure", "Project"} <= kinds


@pytest.mark.slow
def test_search_lists_the_matches_and_a_click_goes_to_one(page, graph, data):
    page.fill("#search", "乌梁素海")
    page.wait_for_selector("#results li")
    expected = [n["id"] for n in data.nodes if "乌梁素海" in n["full"]]
    expected += [n["id"] for n in data.nodes if "乌梁素海" not in n["full"] and "乌梁素海" in n["text"]]
    items = page.eval_on_selector_all("#results li", "lis => lis.map(li => li.dataset.id)")
    assert items == expected and len(items) > 10
    assert str(len(expected)) in page.inner_text("#results-count")
    # Each result says what it is and where; the word is marked.
    first = page.inner_text("#results li >> nth=0")
    assert "乌梁素海" in first and "第" in first
    assert page.locator("#results li >> nth=0").locator("mark").count() >= 1
    # A click goes to it: selected, its title in the panel, drawn on the canvas.
    page.click("#results li >> nth=3")
    assert page.evaluate("plankg.network.getSelectedNodes()") == [expected[3]]
    node = URIRef(expected[3])
    assert page.inner_text("#panel-title") == str(graph.value(node, RDFS.label))
    assert f"第 {int(graph.value(node, PK.page))}" in page.inner_text("#panel-page")
    top = [label for label in labels(page) if label["id"] == expected[3]]
    assert top and top[0]["text"] == str(graph.value(node, RDFS.label))
    # The other matches are marked on the canvas too, where they are in view.
    assert page.evaluate("plankg.state.matchSet.size") == len(expected)
    assert page.inner_text("#matches") == f"4 / {len(expected)}"
    # Enter still steps to the next match.
    page.press("#search", "Enter")
    assert page.evaluate("plankg.network.getSelectedNodes()") == [expected[4]]
    assert "current" in page.get_attribute("#results li >> nth=4", "class")


@pytest.mark.slow
def test_alignment_links_are_drawn_for_the_selection_only(page, data):
    in_network = "plankg.edges.get().map(e => [e.from, e.to])"
    assert page.evaluate(in_network) == []  # no selection, no edge: no hairball
    project = "https://w3id.org/plankg/id/bayannur-14th-fyp/box/4-1/project/1"
    page.evaluate(f"plankg.focusNode('{project}')")
    shown = {tuple(e) for e in page.evaluate(in_network)}
    own = {(e["from"], e["to"]) for e in data.edges if project in (e["from"], e["to"])}
    assert shown == own
    assert {(e["from"], e["to"]) for e in data.edges if e["kind"] != "contains" and project in (e["from"], e["to"])}
    # What it links to is named on the canvas.
    targets = {e["to"] for e in data.edges if e["from"] == project and e["kind"] != "contains"}
    page.evaluate("plankg.fitSelection()")
    named = {label["id"] for label in labels(page)}
    assert targets <= named
    # The checkbox drops the alignment links, keeping its container.
    page.click("#links")
    contains = {(e["from"], e["to"]) for e in data.edges if e["kind"] == "contains" and project in (e["from"], e["to"])}
    assert {tuple(e) for e in page.evaluate(in_network)} == contains
    page.click("#links")
    # A click on the empty canvas lets go of the selection and of its edges.
    move_to(page, -5000, -5000, 1)
    box = canvas_box(page)
    page.mouse.click(box["x"] + 50, box["y"] + 50)
    assert page.evaluate(in_network) == [] and page.evaluate("plankg.network.getSelectedNodes()") == []


@pytest.mark.slow
def test_hover_and_selection_keep_a_node_s_colour_and_its_title_dark_on_light(page, data):
    chapter = next(n for n in data.nodes if n["cls"] == "Chapter" and n["number"] == 9)
    move_to(page, chapter["x"], chapter["y"], 1)
    pos = page.evaluate(f"plankg.network.canvasToDOM(plankg.network.getPosition('{chapter['id']}'))")
    box = canvas_box(page)

    def colour_at() -> list[int]:
        return page.evaluate(
            f"""p => {{ const c = {CANVAS}, r = c.width / c.clientWidth;
                return Array.from(c.getContext("2d").getImageData(p.x * r, p.y * r, 1, 1).data).slice(0, 3); }}""",
            pos,
        )

    expected = [int(chapter["color"][i : i + 2], 16) for i in (1, 3, 5)]
    assert colour_at() == expected
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_function(f"plankg.state.hovered === '{chapter['id']}'")
    assert colour_at() == expected  # not vis-network's light blue
    hovered = [label for label in labels(page) if label["id"] == chapter["id"]]
    assert hovered and hovered[0]["top"] and hovered[0]["text"] == chapter["full"]
    assert ink(page, hovered[0]) > 20  # dark text on the light label
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert page.evaluate("plankg.network.getSelectedNodes()") == [chapter["id"]]
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    assert colour_at() == expected


@pytest.mark.slow
def test_a_click_on_a_title_selects_its_node(page, data):
    label = next(label for label in labels(page) if label["id"] and label["tier"] == 1)
    box = canvas_box(page)
    page.mouse.click(box["x"] + label["x"] + label["w"] - 4, box["y"] + label["y"] + label["h"] / 2)
    assert page.evaluate("plankg.network.getSelectedNodes()") == [label["id"]]
    assert page.inner_text("#panel-title") == label["full"]


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
    assert page.locator("#panel-entity").count() == 0  # from file:// no server has the entity's page
    page.click("#panel a[data-id$='box/4-1/project/2']")
    assert page.inner_text("#panel-title") == "乌梁素海水生态治理和保护修复工程"


@pytest.mark.slow
@pytest.mark.parametrize("plan", ["national-15th-fyp", "guangzhou-15th-fyp"])
def test_the_large_plans_open_fast_and_read_on_load(browser, plan, tmp_path):
    """The big plans: written, opened and drawn within seconds, their chapters named."""
    import time

    from kg.read.source import bundled_plans
    from kg.shells.build import build

    result = build(bundled_plans()[plan], tmp_path, pages=True)
    started = time.perf_counter()
    page_file = tmp_path / f"{plan}.html"
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    pg.goto(page_file.as_uri())
    pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
    opened = time.perf_counter() - started
    chapters = {str(c) for c in result.graph.subjects(RDF.type, PK.Chapter)}
    named = {label["id"] for label in pg.evaluate("plankg.labels()")}
    # One frame, drawn at once by network.redraw.
    frame_ms = pg.evaluate(
        "(() => { const t = performance.now(); plankg.network.redraw(); return performance.now() - t; })()"
    )
    context.close()
    assert chapters <= named
    assert opened < 10 and frame_ms < 200, (opened, frame_ms)


def test_viz_command_writes_the_page(tmp_path, bundled_build):
    from typer.testing import CliRunner

    from kg.shells.cli import app

    shutil.copy(bundled_build[1] / "bayannur-14th-fyp.ttl", tmp_path)
    result = CliRunner().invoke(app, ["viz", "--data", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bayannur-14th-fyp.html").stat().st_size > 100_000
    empty = CliRunner().invoke(app, ["viz", "--data", str(tmp_path / "none")])
    assert empty.exit_code == 2 and "run 'plankg build' first" in empty.output
