"""The comparison page (compare.html): its escaping without a browser, then the page of the
six bundled plans in headless Chromium — matrix, filters, sorting, the chart of one concept
and the link from a cell to the plan's own page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from kg.read.source import bundled_plans
from kg.shells.batch import build_corpus
from kg.viz.compare import TEMPLATES, render_compare

DATA = re.compile(r'<script type="application/json" id="plankg-data">(.*?)</script>', re.S)
FOREST = "https://w3id.org/plankg/id/bayannur-14th-fyp/indicator/18"


def embedded(html: str) -> dict:
    found = DATA.search(html)
    assert found, "no plankg-data script"
    return json.loads(found.group(1))


def figure(**fields) -> dict:
    base = {
        "plan": "p1",
        "concept": "c1",
        "entity": "https://example.org/p1/indicator/1",
        "name": "名称",
        "column": "target",
        "printed": "9",
        "value": 9,
        "upper": None,
        "unit": "%",
        "kind": "level",
        "year": 2030,
        "nature": "约束性",
        "number": 1,
        "page": 3,
        "line": 10,
    }
    return base | fields


def test_render_compare_keeps_the_data_inside_its_script():
    evil = "</script><script>alert('x')</script><!-- </SCRIPT "
    data = {
        "plans": [
            {
                "id": "p1",
                "title": evil,
                "level": "city",
                "region": "甲市" + evil,
                "code": "1",
                "generation": 15,
                "period": [2026, 2030],
                "page": "p1.html",
            }
        ],
        "concepts": [
            {
                "slug": "c1",
                "label": "<b>森林</b>" + evil,
                "english": "x & y",
                "theme": "green",
                "quantity": "share",
                "unit": "%",
                "plans": 1,
            }
        ],
        "figures": [figure(printed=evil, name="</script>")],
        "version": "0",
    }
    html = render_compare(data)
    # Only the template's two script elements close: every '<' of the data is written
    # '\u003c', and the embedded JSON reads back as it went in.
    assert len(re.findall(r"</script", html, re.I)) == 2
    assert embedded(html) == data
    head, _, rest = html.partition('id="plankg-data">')
    assert evil not in head and "<b>森林</b>" not in head  # nothing of the data in the markup itself
    assert "\\u003c/script>" in rest


def test_render_compare_survives_a_comment_opener_in_the_data():
    data = {"plans": [], "concepts": [], "figures": [], "version": "<!--<script>"}
    html = render_compare(data)
    assert "<!--" not in html.partition('id="plankg-data">')[2].partition("</script>")[0]


def test_template_fetches_nothing():
    text = (TEMPLATES / "compare.html").read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "@import" not in text and "url(" not in text
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)
    assert "innerHTML" not in text  # data goes in as text (textContent, createElement) only


# --- in a real browser -------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare")
    outcomes = build_corpus(list(bundled_plans().values()), out, workers=2, pages=True)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    return out


@pytest.fixture(scope="module")
def data(built) -> dict:
    return embedded((built / "compare.html").read_text(encoding="utf-8"))


def watch(pg) -> None:
    pg.problems, pg.requests = [], []
    pg.on("console", lambda m: pg.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on("request", lambda r: pg.requests.append(r.url))


@pytest.fixture
def page(browser, built):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    watch(pg)
    pg.goto((built / "compare.html").as_uri())
    pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
    yield pg
    context.close()


SHOWN = "#matrix tbody tr:not([hidden])"


def shown(page) -> list[str]:
    return page.eval_on_selector_all(SHOWN, "trs => trs.map(tr => tr.dataset.concept)")


def count(page) -> int:
    return int(page.get_attribute("#count", "data-shown"))


def names(data: dict, slug: str) -> set[str]:
    return {f["name"] for f in data["figures"] if f["concept"] == slug}


@pytest.mark.slow
def test_page_opens_offline_without_errors(page, data):
    assert page.problems == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    assert page.inner_text("#n-plans") == str(len(data["plans"])) == "6"
    assert page.inner_text("#n-concepts") == str(len(data["concepts"]))
    assert "精确率 1.00" in page.inner_text("header")


@pytest.mark.slow
def test_matrix_has_a_row_per_concept_and_a_column_per_plan(page, data):
    assert sorted(shown(page)) == sorted(c["slug"] for c in data["concepts"])
    assert count(page) == len(data["concepts"])
    columns = page.eval_on_selector_all("#matrix thead th[data-plan]", "ths => ths.map(th => th.dataset.plan)")
    assert columns == [p["id"] for p in data["plans"]]
    header = page.locator("#matrix thead th[data-plan='guangzhou-15th-fyp']")
    assert "广州市 十五五" in header.inner_text()
    assert header.get_attribute("title").startswith("广州市国民经济和社会发展第十五个五年规划纲要")
    # Every row holds a cell per plan; a plan without a figure for the concept leaves it empty.
    cells = page.eval_on_selector_all(SHOWN, "trs => trs.map(tr => tr.querySelectorAll('td').length)")
    assert set(cells) == {len(data["plans"])}
    reported = {(f["concept"], f["plan"]) for f in data["figures"]}
    empty = page.eval_on_selector_all(
        "#matrix tbody td:not(:has(a))", "tds => tds.map(td => [td.closest('tr').dataset.concept, td.dataset.plan])"
    )
    assert empty and not {tuple(e) for e in empty} & reported
    cell = page.locator("tr[data-concept='forest-coverage'] td[data-plan='bayannur-14th-fyp']")
    assert cell.locator(".target").inner_text() == "9"
    assert cell.locator(".base").inner_text().startswith("8.53")
    assert "binding" in cell.get_attribute("class") and "约束" in cell.inner_text()
    tip = cell.locator("a").get_attribute("title")
    assert tip.startswith("森林覆盖率 · 表中第18行 · 第20页"), tip
    # A web page prints no pages: the cell cites the source line.
    web = page.locator("tr[data-concept='forest-coverage'] td[data-plan='guangzhou-15th-fyp'] a")
    assert "源文第" in web.get_attribute("title") and "页" not in web.get_attribute("title").split("\n")[0]


@pytest.mark.slow
def test_search_and_filters_reduce_the_rows(page, data):
    concepts = data["concepts"]
    page.fill("#search", "森林")
    expected = {c["slug"] for c in concepts if "森林" in c["label"] or any("森林" in n for n in names(data, c["slug"]))}
    assert set(shown(page)) == expected and "forest-coverage" in expected
    assert count(page) == len(expected) < len(concepts)
    assert f"显示 {len(expected)} / {len(concepts)}" in page.inner_text("#count")
    page.fill("#search", "GDP growth")  # English labels too, in any case
    assert "gdp-growth" in shown(page)
    page.fill("#search", "")
    assert count(page) == len(concepts)

    page.select_option("#theme", "green")
    green = {c["slug"] for c in concepts if c["theme"] == "green"}
    assert set(shown(page)) == green and 0 < len(green) < len(concepts)
    page.select_option("#theme", "")

    page.select_option("#nature", "约束性")
    binding = {f["concept"] for f in data["figures"] if f["nature"] == "约束性"}
    assert set(shown(page)) == binding and 0 < len(binding) < len(concepts)
    page.select_option("#theme", "green")  # filters add up
    assert set(shown(page)) == binding & green
    page.select_option("#theme", "")
    page.select_option("#nature", "预期性")
    expected_nature = {f["concept"] for f in data["figures"] if f["nature"] == "预期性"}
    assert set(shown(page)) == expected_nature
    page.select_option("#nature", "")

    page.check("#several")
    several = {
        c["slug"] for c in concepts if len({f["plan"] for f in data["figures"] if f["concept"] == c["slug"]}) > 1
    }
    assert set(shown(page)) == several and 0 < len(several) < len(concepts)


@pytest.mark.slow
def test_default_order_then_a_plan_s_header_sorts_by_its_values(page, data):
    plans_of = {c["slug"]: c["plans"] for c in data["concepts"]}
    default = [plans_of[s] for s in shown(page)]
    assert default == sorted(default, reverse=True)

    plan = "bayannur-14th-fyp"
    script = f"trs => trs.map(tr => tr.querySelector('td[data-plan=\"{plan}\"]').dataset.value ?? null)"

    def values() -> list[float | None]:
        return [None if v is None else float(v) for v in page.eval_on_selector_all(SHOWN, script)]

    page.click(f"#matrix thead th[data-plan='{plan}'] button.sort")
    got = values()
    numbers = [v for v in got if v is not None]
    assert len(numbers) >= 5 and got[: len(numbers)] == numbers  # numbers first
    assert numbers == sorted(numbers, reverse=True)
    assert page.get_attribute(f"th[data-plan='{plan}']", "aria-sort") == "descending"
    page.click(f"#matrix thead th[data-plan='{plan}'] button.sort")
    got = values()
    assert got[: len(numbers)] == sorted(numbers)
    assert page.get_attribute(f"th[data-plan='{plan}']", "aria-sort") == "ascending"
    page.click("#reset")
    assert [plans_of[s] for s in shown(page)] == default


@pytest.mark.slow
def test_a_concept_s_chart_draws_a_bar_per_plan_with_a_number(page, data):
    figures = [f for f in data["figures"] if f["concept"] == "gdp-growth" and f["column"] != "base"]
    numeric = {f["plan"] for f in figures if f["value"] is not None}
    kinds = {(f["plan"], f["kind"]) for f in figures if f["value"] is not None}
    assert len(numeric) == len(kinds) >= 4  # one kind (an annual rate) for every plan
    page.click("tr[data-concept='gdp-growth'] button.concept")
    page.wait_for_selector("#detail svg rect.bar")
    assert page.locator("#detail svg rect.bar").count() == len(numeric)
    bar_plans = page.eval_on_selector_all("#detail svg rect.bar", "rs => rs.map(r => r.dataset.plan)")
    assert set(bar_plans) == numeric
    texts = page.eval_on_selector_all("#detail svg text", "ts => ts.map(t => t.textContent)")
    regions = {p["region"] for p in data["plans"] if p["id"] in numeric}
    assert any(region in t for t in texts for region in regions)
    assert any("北京市" in t for t in texts)
    assert "年均" in page.inner_text("#detail h3") and "%" in page.inner_text("#detail h3")
    # The small table lists every figure of the concept.
    assert page.locator("#detail table.figures tbody tr").count() == sum(
        f["concept"] == "gdp-growth" for f in data["figures"]
    )
    assert "selected" in page.get_attribute("tr[data-concept='gdp-growth']", "class")

    # Forest coverage: Guangzhou's target is words (完成省下达目标): listed, not a zero bar.
    page.click("tr[data-concept='forest-coverage'] button.concept")
    assert page.locator("#detail svg rect.bar[data-plan='guangzhou-15th-fyp']").count() == 0
    assert "完成省下达目标" in page.inner_text("#detail ul.textual li[data-plan='guangzhou-15th-fyp']")
    level = page.eval_on_selector_all("#detail svg[data-kind='level'] rect.bar", "rs => rs.map(r => r.dataset.plan)")
    assert set(level) == {"bayannur-14th-fyp", "national-15th-fyp"}
    assert page.problems == []


@pytest.mark.slow
def test_a_cell_links_to_its_node_on_the_plan_s_page(page):
    link = page.locator("tr[data-concept='forest-coverage'] td[data-plan='bayannur-14th-fyp'] a")
    href = link.get_attribute("href")
    assert href.startswith("bayannur-14th-fyp.html#") and "indicator/18" in unquote(href), href
    assert unquote(href.partition("#")[2]) == FOREST
    link.click()
    page.wait_for_url("**/bayannur-14th-fyp.html#*")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    assert page.evaluate("plankg.network.getSelectedNodes()") == [FOREST]
    assert page.inner_text("#panel-title") == "森林覆盖率"
    assert "第 20 页" in page.inner_text("#panel-page")
    assert page.problems == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
