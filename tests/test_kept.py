"""The canned queries' answers kept per plan beside the store (kg.query.kept): read instead
of evaluated over every plan, the same answer as the engine's, never stale."""

from __future__ import annotations

import sqlite3

import pytest
from synth import para, render

from kg.query import canned, disk, kept
from kg.query.sparql import LocalStore, run_query
from kg.rdf.vocab import GRAPH_BASE
from kg.shells.batch import build_corpus


def plan(city: str, chapters: int = 2, extra: str = "") -> str:
    lines = [f"{city}市国民经济和社会发展第十五个五年规划纲要"]
    for c in range(1, chapters + 1):
        heading = f"第{'一二三四五'[c - 1]}章 推进{city}第{c}项任务"
        lines += [heading, *para(f"建设{city}湿地公园。完善第{c}项机制。{extra}")]
    return render(lines, page_every=40)


@pytest.fixture
def two(tmp_path):
    src, out = tmp_path / "plans", tmp_path / "build"
    src.mkdir()
    for city in ("东", "西"):
        (src / f"{city}.txt").write_text(plan(city), encoding="utf-8")
    assert all(o.ok for o in build_corpus(sorted(src.glob("*.txt")), out, workers=1))
    return src, out


def engine(out, name: str, params: dict | None = None):
    """The answer evaluated by the engine (no kept answers read)."""
    return run_query(name, LocalStore(LocalStore.of(out).store, data=None), params)


def test_every_per_plan_query_can_be_kept():
    # A '# per: plan' line on a query whose order cannot be put together would be ignored.
    declared = [q.name for q in canned.canned() if q.per_plan]
    assert declared and sorted(declared) == sorted(kept.keepable())


def test_the_order_of_a_query():
    assert kept.order_of("SELECT ?a WHERE {}\nORDER BY ?plan DESC(?n) ?x  # ties by line\n") == kept.Order(
        (("plan", False), ("n", True), ("x", False)), None
    )
    assert kept.order_of("SELECT ?a WHERE {}\nORDER BY DESC(?score) ?plan\nLIMIT 25\n") == kept.Order(
        (("score", True), ("plan", False)), 25
    )
    assert kept.order_of("SELECT ?a WHERE {}\nORDER BY DESC(BOUND(?v)) ?plan\n") is None
    assert kept.order_of("SELECT ?a WHERE {}\n") is None


def test_a_corpus_query_reads_the_kept_answers_and_they_are_the_engines(two):
    _, out = two
    source = LocalStore.of(out)
    for name in ("outline", "box-projects", "mentions", "top-links"):
        assert source.kept(name) is not None, name
    got = run_query("outline", source)
    assert got.values() == engine(out, "outline").values()
    assert {r[0] for r in got.values()} == {"东", "西"} and len(got.rows) == 4


def test_a_rebuilt_plan_replaces_its_kept_answers(two):
    src, out = two
    (src / "东.txt").write_text(plan("东", chapters=3, extra="推进东湖湿地保护。"), encoding="utf-8")
    assert build_corpus([src / "东.txt"], out, workers=1)[0].ok  # in place: one plan of two
    source = LocalStore.of(out)
    assert source.kept("outline") is not None
    got = run_query("outline", source).values()
    assert [r[0] for r in got].count("东") == 3 and [r[0] for r in got].count("西") == 2
    assert got == engine(out, "outline").values()
    # mentions (default term 湿地) finds the new sentence through the kept answers too
    assert run_query("mentions", source).values() == engine(out, "mentions").values()


def test_without_current_answers_for_every_plan_the_engine_answers(two):
    _, out = two
    version = disk.current(out)
    assert version is not None
    with sqlite3.connect(version / kept.FILE) as db:
        db.execute("DELETE FROM answers WHERE graph = ? AND query = 'outline'", (GRAPH_BASE + "西",))
        db.execute("UPDATE answers SET digest = 'stale' WHERE query = 'box-projects'")
    source = LocalStore.of(out)
    assert source.kept("outline") is None and source.kept("box-projects") is None
    assert source.kept("measures-of-chapter") is not None
    assert run_query("outline", source).values() == engine(out, "outline").values()
    assert len(run_query("outline", source).rows) == 4


def test_parameters_and_plain_sparql_go_to_the_engine(two):
    _, out = two
    source = LocalStore.of(out)
    one = run_query("outline", source, {"plan": "东"})
    assert {r[0] for r in one.values()} == {"东"}
    text = canned.get("outline").text  # the same text given as SPARQL is evaluated
    assert run_query(text, source).values() == engine(out, "outline").values()
