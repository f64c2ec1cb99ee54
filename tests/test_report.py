"""The alignment notebook runs clean in a fresh kernel; the report opens offline."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.shells.cli import app
from kg.shells.report import execute_notebook, notebook_path


@pytest.fixture(scope="module")
def executed(bundled_build):
    return execute_notebook(bundled_build[1])


def test_notebook_runs_clean_in_a_fresh_kernel(executed):
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # two heatmaps, places, SDGs


def test_every_figure_has_a_title_and_a_reading_note(executed):
    figures = 0
    for cell in executed.cells:
        outputs = cell.get("outputs", []) if cell.cell_type == "code" else []
        if not any("image/png" in o.get("data", {}) for o in outputs):
            continue
        figures += 1
        assert "set_title" in cell.source or "heatmap(m" in cell.source  # heatmap() sets the title
        notes = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
        assert "How to read it" in notes, cell.source[:80]
    assert figures >= 4


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
    assert "How to read it" in html and "data:image/png;base64" in html
    assert '<script src="http' not in html and '<link href="http' not in html
    page = browser.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert page.locator("img").count() >= 4
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
