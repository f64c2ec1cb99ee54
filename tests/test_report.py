"""The alignment notebook runs clean in a fresh kernel, its charts in Chinese whatever fonts and
font cache the machine has; the report opens offline, results first."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from kg.shells.cli import app
from kg.shells.report import NO_CJK_FONT, execute_notebook, find_cjk_font, notebook_path

CJK = re.compile(r"[\u4e00-\u9fff]")


def outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def charts(outs) -> list[str]:
    """Every chart of some outputs, as SVG: inline in HTML (the alignment notebook, a table of
    titles beside it) or an image/svg+xml output (the comparison notebook)."""
    found = []
    for o in outs:
        data = o.get("data", {})
        found += re.findall(r"<svg\b.*?</svg>", str(data.get("text/html", "")), flags=re.S)
        if "image/svg+xml" in data:
            found.append(data["image/svg+xml"])
    return found


def svg_text(svg: str) -> str:
    """The text a chart's <text> elements hold, in order: what the browser draws."""
    return "".join(re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S))


def assert_charts_in_chinese(nb, at_least: int) -> None:
    """Charts whose labels are Chinese characters the browser draws, and nothing about missing
    glyphs (or any other stderr) pushed into the page."""
    outs = outputs(nb)
    assert not [o for o in outs if o.get("output_type") == "error"]
    assert not [o for o in outs if o.get("output_type") == "stream" and o.get("name") == "stderr"], [
        o["text"][:300] for o in outs if o.get("output_type") == "stream"
    ]
    assert "Glyph" not in json.dumps([o for o in outs], ensure_ascii=False)
    svgs = charts(outs)
    assert len(svgs) >= at_least
    for svg in svgs:
        assert CJK.search(svg_text(svg)), svg_text(svg)[:200]  # Chinese as text, not tofu outlines


def notes(outs) -> str:
    return "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outs)


def found_cjk_font() -> tuple[str, str]:
    found = find_cjk_font()
    assert found, "no CJK font on this machine: ./dev test installs fonts-wqy-zenhei"
    return found


@pytest.fixture(scope="module")
def executed(bundled_build):
    return execute_notebook(bundled_build[1])


def test_notebook_runs_clean_in_a_fresh_kernel(executed):
    assert_charts_in_chinese(executed, 4)  # two heatmaps, places, SDGs
    assert NO_CJK_FONT not in notes(outputs(executed))  # this machine has one


def test_every_figure_has_a_title_and_a_reading_note(executed):
    figures = 0
    for cell in executed.cells:
        outs = cell.get("outputs", []) if cell.cell_type == "code" else []
        if not charts(outs):
            continue
        figures += 1
        assert "set_title" in cell.source or "heatmap(m" in cell.source  # heatmap() sets the title
        assert "How to read it" in notes(outs), cell.source[:80]
    assert figures >= 4


def test_every_chart_on_alignment_links_says_how_far_to_trust_them(executed):
    linked = 0
    for cell in executed.cells:
        outs = cell.get("outputs", []) if cell.cell_type == "code" else []
        if charts(outs) and re.search(r"pk:(supports|affectsIndicator|contributesToSDG)\b", cell.source):
            linked += 1
            assert "*How far to trust it:*" in notes(outs) and "right " in notes(outs), cell.source[:80]
    assert linked >= 3  # positionings × parts, indicators × goals, SDGs


def test_heatmaps_show_full_titles(executed, bundled_build):
    from kg.query.store import load_store, query

    store = load_store(bundled_build[1])

    def labels(kind: str) -> list[str]:
        q = f"""PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?t WHERE {{ ?x a pk:{kind} ; rdfs:label ?t }}"""
        return [str(r[0]) for r in query(store, q).values()]

    outs = outputs(executed)
    drawn = "".join(svg_text(s) for s in charts(outs))
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outs)
    # Rows carry their whole titles (over lines, never cut); numbered columns' titles stand in
    # the table beside the chart.
    for title in labels("Indicator"):
        assert title in drawn, title
    parts = [t for t in labels("Part") if t[:6] in drawn]
    assert any(len(t) > 14 for t in parts)
    for title in parts:
        assert title in drawn, title
    for title in labels("StrategicPositioning") + labels("Goal"):
        assert f"<td>{title}</td>" in html, title


def test_charts_are_chinese_with_an_empty_font_cache(bundled_build, tmp_path, monkeypatch):
    """A first run: matplotlib builds its font list in an empty cache folder."""
    found_cjk_font()
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    nb = execute_notebook(bundled_build[1])
    assert_charts_in_chinese(nb, 4)
    assert NO_CJK_FONT not in notes(outputs(nb))  # the font was found


def stale_font_cache(folder):
    """A matplotlib font list written when no CJK font was visible (matplotlib's own fonts
    only), as on a machine where one was installed after matplotlib first ran."""
    import matplotlib
    import matplotlib.font_manager as fm

    manager = fm.FontManager()
    manager.ttflist = [f for f in manager.ttflist if f.fname.startswith(matplotlib.get_data_path())]
    folder.mkdir()
    path = folder / f"fontlist-v{fm.FontManager.__version__}.json"
    fm.json_dump(manager, str(path))
    return path


def test_charts_are_chinese_with_a_font_cache_made_before_the_cjk_font(bundled_build, tmp_path, monkeypatch):
    family, file = found_cjk_font()
    cache = stale_font_cache(tmp_path / "mpl")
    assert not CJK.search(cache.read_text(encoding="utf-8")) and file not in cache.read_text(encoding="utf-8")
    monkeypatch.setenv("MPLCONFIGDIR", str(cache.parent))
    nb = execute_notebook(bundled_build[1])
    assert file not in cache.read_text(encoding="utf-8")  # still stale: the kernel read it as it was
    assert_charts_in_chinese(nb, 4)
    assert NO_CJK_FONT not in notes(outputs(nb))  # found from the font files, not the cache
    assert all(f"font-family: '{family}'" in svg for svg in charts(outputs(nb)))  # and measured with


def test_without_any_cjk_font_the_report_says_so_and_the_browser_draws_the_text(
    bundled_build, tmp_path, monkeypatch, capsys
):
    from kg.shells.report import report

    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    monkeypatch.setenv("MPL_IGNORE_SYSTEM_FONTS", "1")  # matplotlib sees its own fonts only
    out = report(bundled_build[1], tmp_path / "alignment.html")
    assert "warning: No font that draws Chinese was found" in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert "No font that draws Chinese was found" in html  # a visible line in the page
    assert "Glyph" not in html and "UserWarning" not in html
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 4 and all(CJK.search(svg_text(s)) for s in svgs)


def test_the_notebook_reads_the_graph_through_sparql():
    source = notebook_path().read_text(encoding="utf-8")
    assert source.count("SELECT") >= 8 and "kg.analyse.alignment import THRESHOLDS" in source
    assert "extract(" not in source  # the graph, not the extractor's model


@pytest.mark.slow
def test_report_writes_an_offline_page(bundled_build, tmp_path, browser):
    out = tmp_path / "alignment.html"
    result = CliRunner().invoke(app, ["report", "--data", str(bundled_build[1]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "How to read it" in html and html.count("<svg") >= 4
    assert '<script src="http' not in html and '<link href="http' not in html
    assert "Glyph" not in html
    page = browser.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert page.locator("svg text").count() > 100
    # Results first: the code is folded (under its result), every fold closed on load.
    assert page.locator("details.plankg-code").count() >= 8
    assert page.locator("details.plankg-code[open]").count() == 0
    assert not page.locator(".jp-CodeMirrorEditor").first.is_visible()
    first_table = page.locator("table").first.bounding_box()
    first_fold = page.locator("details.plankg-code").first.bounding_box()
    assert first_table and first_fold and first_table["y"] < first_fold["y"] < 1000
    page.close()
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    assert problems == []


def test_report_without_a_build_says_what_to_do(tmp_path):
    result = CliRunner().invoke(app, ["report", "--data", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "run 'plankg build' first" in result.output


def test_a_build_of_several_plans_needs_the_plan_named(tmp_path):
    from synth import para, render

    from kg.errors import DataError
    from kg.shells.batch import build_corpus, expand_inputs
    from kg.shells.report import choose_plan

    for name in ("east", "west"):
        (tmp_path / f"{name}.txt").write_text(
            render(["第一章 推进生态保护", *para("治理河道。实施清淤工程。")]), encoding="utf-8"
        )
    out = tmp_path / "build"
    build_corpus(expand_inputs([str(tmp_path / "east.txt"), str(tmp_path / "west.txt")]), out, workers=1)
    assert choose_plan(out, "west") == "west"
    with pytest.raises(DataError, match="2 plans in"):
        choose_plan(out, None)
    result = CliRunner().invoke(app, ["report", "--data", str(out), "--plan", "north"])
    assert result.exit_code == 2 and "no plan 'north'" in result.output and "east, west" in result.output


# --- the comparison notebook -------------------------------------------------------------------


@pytest.fixture(scope="module")
def six_build(tmp_path_factory):
    from kg.read.source import bundled_plans
    from kg.shells.batch import build_corpus

    out = tmp_path_factory.mktemp("six")
    assert all(o.ok for o in build_corpus(list(bundled_plans().values()), out, workers=2))
    return out


def test_the_comparison_notebook_runs_clean_with_charts_the_browser_labels(six_build):
    from kg.shells.report import COMPARE_NOTEBOOK

    nb = execute_notebook(six_build, name=COMPARE_NOTEBOOK)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    svgs = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= 5  # three concepts, the national reference, the national parts
    # Text the browser draws (no glyph outlines): Chinese labels need no font where it ran.
    assert all("<text" in s for s in svgs) and any("广州市" in s for s in svgs)
    notes = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert notes.count("How to read it") >= 5 and "right 100%" in notes


def test_report_compare_writes_the_comparison_without_code(six_build, tmp_path):
    out = tmp_path / "compare-report.html"
    result = CliRunner().invoke(app, ["report", "--data", str(six_build), "--compare", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Plans compared" in html and "ask(" not in html  # results, not code
    assert '<script src="http' not in html


def test_report_compare_of_one_plan_says_there_is_nothing_to_compare(bundled_build):
    result = CliRunner().invoke(app, ["report", "--data", str(bundled_build[1]), "--compare"])
    assert result.exit_code == 2 and "nothing to compare" in result.output
