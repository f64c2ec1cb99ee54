"""Comparing plans: the canned queries over concepts, on the six bundled plans and on a
synthetic pair of one region's two generations."""

from __future__ import annotations

import pytest
from synth import web

from kg.query.sparql import LocalStore, run_query
from kg.query.store import Result
from kg.shells.batch import build_corpus, expand_inputs


def rows(answer) -> list[dict]:
    assert isinstance(answer, Result)
    return [dict(zip(answer.columns, r, strict=True)) for r in answer.values()]


def table_plan(number: str, years: tuple[str, str], cells: list[str]) -> str:
    """A web-page plan of 苏州市 with an indicator table printed a cell a line."""
    long = "完善体制机制，强化要素保障，推动重点任务落地见效，确保规划目标如期实现，不断增强人民群众获得感、幸福感。"
    return web(
        [
            f"苏州市国民经济和社会发展第{number}个五年规划纲要",
            long,  # a web page prints a paragraph a line: long lines, no hard wrap
            "第一章 主要目标",
            "——经济发展取得新成效。经济结构持续优化，创新能力显著增强，现代化产业体系基本形成，发展质量和效益明显提升。",
            "——生态文明实现新进步。生态环境持续改善，绿色低碳发展方式基本形成，城乡人居环境更加优美，生态安全屏障更加牢固。",
            "表1 主要指标",
            "序号",
            "指标",
            "单位",
            years[0],
            years[1],
            "年均［累计］",
            "属性",
            *cells,
            "第二章 推动绿色发展",
            "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。" + long,
        ],
        head=[],
        tail=[],
    )


OLDER = table_plan(
    "十四",
    ("2020年", "2025年"),
    [
        "1",
        "地区生产总值增长",
        "%",
        "5.2",
        "—",
        "6左右",
        "预期性",
        "2",
        "森林覆盖率",
        "%",
        "20",
        "22",
        "［2］",
        "约束性",
        "3",
        "常住人口城镇化率",
        "%",
        "76",
        "80",
        "—",
        "预期性",
    ],
)
NEWER = table_plan(
    "十五",
    ("2025年", "2030年"),
    [
        "1",
        "地区生产总值年均增速",
        "%",
        "5.5",
        "—",
        "5左右",
        "预期性",
        "2",
        "森林覆盖率",
        "%",
        "22",
        "23",
        "［1］",
        "约束性",
        "3",
        "细颗粒物（PM2.5）年均浓度",
        "微克/立方米",
        "30",
        "25",
        "—",
        "约束性",
    ],
)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    (folder / "suzhou-14th.txt").write_text(OLDER, encoding="utf-8")
    (folder / "suzhou-15th.txt").write_text(NEWER, encoding="utf-8")
    out = folder / "build"
    outcomes = build_corpus(expand_inputs([str(folder)]), out, workers=1)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return LocalStore.of(out)


def test_two_generations_of_one_region_show_what_is_kept_dropped_and_added(pair):
    got = {r["concept"]: r for r in rows(run_query("generations", pair))}
    assert {r["older"] for r in got.values()} == {"suzhou-14th"} and {r["region"] for r in got.values()} == {"苏州市"}
    assert got["forest-coverage"]["status"] == "kept" and float(got["forest-coverage"]["change"]) == 1
    assert (got["forest-coverage"]["olderTarget"], got["forest-coverage"]["newerTarget"]) == ("22", "23")
    assert got["gdp-growth"]["status"] == "kept" and float(got["gdp-growth"]["change"]) == -1
    assert got["urbanisation-rate"]["status"] == "dropped" and got["pm25-concentration"]["status"] == "added"


def test_the_matrix_has_a_row_a_concept_and_a_column_a_plan(pair):
    answer = run_query("indicator-matrix", pair)
    assert isinstance(answer, Result) and answer.columns[-2:] == ["suzhou-14th", "suzhou-15th"]
    got = {r["concept"]: r for r in rows(answer)}
    assert len(got) == len(answer.rows)  # one row a concept
    assert got["forest-coverage"]["suzhou-15th"] == "22 -> 23% (约束性)"
    assert got["pm25-concentration"]["suzhou-14th"] is None


def test_one_concept_across_plans_is_ranked_by_its_comparable_value(pair):
    got = rows(run_query("concept-across-plans", pair, {"concept": "forest-coverage"}))
    levels = [(r["plan"], r["value"]) for r in got if r["kind"] == "level"]
    assert levels == [("suzhou-15th", "23"), ("suzhou-14th", "22")]


# --- the six bundled plans ------------------------------------------------------------------


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    out = tmp_path_factory.mktemp("six")
    from kg.read.source import bundled_plans

    outcomes = build_corpus([p for p in bundled_plans().values()], out, workers=2)
    assert all(o.ok for o in outcomes)
    return LocalStore.of(out)


def test_every_kept_answer_over_the_six_plans_is_the_engines(six):
    # Each '# per: plan' query, as plankg query reads it (the answers kept per plan), against
    # the engine over the whole store: the same rows in the same order.
    from kg.query import kept

    evaluated = LocalStore(six.store, data=None)
    for name in kept.keepable():
        assert six.kept(name) is not None, name
        got, expected = run_query(name, six), run_query(name, evaluated)
        assert isinstance(got, Result) and isinstance(expected, Result)
        assert got.columns == expected.columns and got.values() == expected.values(), name
        assert [[t.datatype.value if hasattr(t, "datatype") else None for t in r] for r in got.rows] == [
            [t.datatype.value if hasattr(t, "datatype") else None for t in r] for r in expected.rows
        ], name


def test_gdp_growth_rd_intensity_and_forest_coverage_link_the_plans_that_report_them(six):
    # Read off the texts: which plans state each (table or goals).
    expected = {
        "gdp-growth": {
            "bayannur-14th-fyp",
            "beijing-15th-fyp",
            "guangzhou-15th-fyp",
            "shanghai-15th-fyp",
            "shenzhen-15th-fyp",
        },
        "rd-intensity": {"beijing-15th-fyp", "guangzhou-15th-fyp", "shanghai-15th-fyp", "shenzhen-15th-fyp"},
        "forest-coverage": {"bayannur-14th-fyp", "guangzhou-15th-fyp", "national-15th-fyp"},
    }
    for concept, plans in expected.items():
        got = {r["plan"] for r in rows(run_query("concept-across-plans", six, {"concept": concept}))}
        assert got == plans, concept


def test_the_six_plan_matrix_has_a_column_a_plan_and_a_row_a_concept(six):
    answer = run_query("indicator-matrix", six)
    assert isinstance(answer, Result)
    assert answer.columns[3:] == [
        "bayannur-14th-fyp",
        "beijing-15th-fyp",
        "guangzhou-15th-fyp",
        "national-15th-fyp",
        "shanghai-15th-fyp",
        "shenzhen-15th-fyp",
    ]
    concepts = [r["concept"] for r in rows(answer)]
    assert len(concepts) == len(set(concepts)) >= 40


def test_targets_stand_against_the_national_plan_of_their_generation(six):
    got = {(r["plan"], r["concept"]): r for r in rows(run_query("against-national", six))}
    # Guangzhou: life expectancy 85 against the national plan's 80 (both in their goals' text).
    life = got[("guangzhou-15th-fyp", "life-expectancy")]
    assert (life["value"], life["reference"], life["position"]) == ("85", "80", "above")
    # Bayannur (14th): forest coverage 9% against the national 14th plan's 24.1%.
    forest = got[("bayannur-14th-fyp", "forest-coverage")]
    assert forest["referencePlan"].startswith("national-14th") and forest["position"] == "below"
    assert not any(r["concept"] in ("gdp", "grain-production-capacity") for r in got.values())  # amounts


def test_concepts_only_some_plans_have_and_themes_they_share(six):
    coverage = {r["concept"]: r for r in rows(run_query("concept-coverage", six))}
    assert (
        coverage["rd-intensity"]["plans"] == "4" and "bayannur-14th-fyp" not in coverage["rd-intensity"]["reportedBy"]
    )
    themes = {r["term"]: r for r in rows(run_query("shared-themes", six))}
    assert "生物医药" in themes and int(themes["生物医药"]["plans"]) >= 2
    assert not {"建设", "工程", "重点", "发展"} & set(themes)  # generic words are no theme


def test_city_items_that_carry_a_part_of_the_national_plan(six):
    got = rows(run_query("national-chapter-items", six))
    assert {r["plan"] for r in got} >= {"beijing-15th-fyp", "guangzhou-15th-fyp", "shanghai-15th-fyp"}
    assert all("数字中国" in r["partTitle"] for r in got) and "national-15th-fyp" not in {r["plan"] for r in got}
    ai = [r for r in got if "人工智能" in r["title"]]
    assert ai and all(r["partTitle"] for r in ai)
