"""Mutated plan text: the extractor returns a model or raises its own error, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.errors import PlanError
from kg.read.source import bundled_plan_path

BUNDLED = bundled_plan_path().read_text(encoding="utf-8").split("\n")
# A window of the bundled plan with headings, positionings, the table and boxes in it.
EXCERPT = BUNDLED[500:1300]
JUNK = st.sampled_from(
    [
        "",
        " ",
        "－ 9 －",
        "— 13 —",
        "专栏",
        "专栏 4-",
        "第",
        "第十章",
        "第一节",
        "（一）",
        "1.",
        "1、",
        "——",
        "注：",
        "类别 指标 单位 2020年",
        "经济发展",
        "% — — 预期性",
        "\x0c",
        "\ufeff",
        "。。。",
        "（",
        "]",
        "2035 年远景目标。",
        "目 录",
        "第一章 发展成就 ..... 3",
    ]
)


def _check(lines: list[str]) -> None:
    try:
        plan = kg.extract_text("\n".join(lines))
    except PlanError:
        return
    assert plan.counts()["chapters"] + plan.counts()["parts"] > 0
    for e in plan.entities():
        assert e.provenance.line_start <= e.provenance.line_end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(EXCERPT)), st.integers(0, len(EXCERPT)))
def test_cut_anywhere(a, b):
    _check(EXCERPT[min(a, b) : max(a, b)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["delete", "duplicate", "junk"]), st.integers(0, len(EXCERPT) - 1), JUNK), max_size=25
    )
)
def test_delete_duplicate_and_insert_junk(edits):
    lines = list(EXCERPT)
    for op, at, junk in edits:
        at = min(at, len(lines) - 1)
        if not lines:
            break
        if op == "delete":
            del lines[at]
        elif op == "duplicate":
            lines.insert(at, lines[at])
        else:
            lines.insert(at, junk)
    _check(lines)


@settings(max_examples=80, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("第一二三十篇章节专栏（）1.、—－ 。，%[]注\n预期性约束性2035年远景目标")),
        max_size=400,
    )
)
def test_random_genre_characters(text):
    try:
        kg.extract_text(text)
    except PlanError:
        pass


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 11, 29])
def test_variants_of_the_bundled_plan_build_valid_graphs(seed):
    """Another city's plan differs in its figures: the whole build still passes the shapes."""
    import random

    from kg.analyse.analysis import analyse
    from kg.rdf.graph import plan_graph
    from kg.rdf.validate import validate

    rnd = random.Random(seed)
    text = "\n".join(BUNDLED)
    text = "".join(str(rnd.randint(0, 9)) if c.isdigit() and rnd.random() < 0.2 else c for c in text)
    plan = kg.extract_text(text, name=f"variant-{seed}.txt")
    report = validate(plan_graph(plan, analyse(plan)))
    assert report.conforms, report.summary()
