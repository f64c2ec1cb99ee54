"""Canned queries answer from the plan text; the query command behaves as a user expects."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_bundled import EXPECTED_INDICATORS
from typer.testing import CliRunner

from kg.query import canned as queries
from kg.query.sparql import LocalStore, run_query
from kg.query.store import Result, load_store
from kg.shells.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def store(bundled_build):
    return load_store(bundled_build[1])


def rows(store, name: str, **params) -> list[dict]:
    from kg.query.store import query as run

    text = queries.with_params(queries.get(name).text, params)
    res = run(store, text)
    assert isinstance(res, Result)
    return [dict(zip(res.columns, r)) for r in res.values()]


def test_at_least_twelve_canned_queries_each_with_a_question():
    canned = queries.canned()
    assert len(canned) >= 12
    assert all(q.question.endswith("?") for q in canned)


def test_binding_indicators(store):
    got = [(r["indicator"], r["base"], r["target"], r["annual"]) for r in rows(store, "binding-indicators")]
    expected = [
        (name, base, target, annual)
        for _, name, _, base, target, annual, nature in EXPECTED_INDICATORS
        if nature == "约束性"
    ]
    assert got == expected and len(got) == 8


def test_chapters_with_the_most_projects(store):
    # Boxes 5-1 (9) and 5-2 (13) stand in chapter 14; 8-1…8-4 (4+5+2+9) in chapter 27;
    # 4-2…4-5 (5+9+3+2) in chapter 10.
    top = [(r["chapter"], r["projects"]) for r in rows(store, "chapters-by-projects")[:3]]
    assert top == [("14", "22"), ("27", "20"), ("10", "19")]


def test_projects_of_each_box(store):
    got = rows(store, "box-projects")
    assert len(got) == 148
    first = got[0]
    assert (first["box"], first["chapter"], first["project"], first["page"]) == (
        "4-1",
        "9",
        "内蒙古乌梁素海生态修复补水专用通道工程",
        "30",
    )


def test_mentions_of_a_term(store):
    got = rows(store, "mentions")
    titles = {r["title"] for r in got}
    assert "内蒙古乌梁素海生态修复补水专用通道工程" in titles  # a project named after the lake
    assert "加强湖区内源治理" in titles  # a section whose text names the lake
    assert "巴彦淖尔市垃圾综合利用项目" not in titles
    yellow = {r["title"] for r in rows(store, "mentions", term="黄河生态廊道")}
    assert yellow == {"黄河生态廊道建设项目"}


def test_positionings_goals_and_vision(store):
    got = rows(store, "positionings-and-goals")
    assert [r["kind"] for r in got] == ["positioning"] * 5 + ["vision"] + ["goal"] * 6
    assert got[3]["title"] == "国家清洁能源基地" and got[3]["page"] == "15"


def test_textual_targets(store):
    got = {(r["indicator"], r["value"]) for r in rows(store, "textual-targets")}
    expected = set()
    for _, name, _, base, target, annual, _ in EXPECTED_INDICATORS:
        for value in (base, target, annual):
            if not any(ch.isdigit() for ch in value) and value != "—":
                expected.add((name, value))
    assert got == expected


def test_shared_box_labels_and_cumulative_indicators(store):
    assert [(r["label"], r["title"]) for r in rows(store, "shared-box-labels")] == [
        ("6-5", "农文旅融合发展重大工程"),
        ("6-5", "新型园区重大工程"),
    ]
    got = [(r["indicator"], r["raw"]) for r in rows(store, "cumulative-indicators")]
    expected = [(name, v) for _, name, _, b, t, a, _ in EXPECTED_INDICATORS for v in (b, t, a) if v.startswith("[")]
    assert got == expected


def test_every_canned_query_answers_with_rows_on_the_bundled_plan(store):
    # Each canned query asks about something the bundled plan has: an empty answer means
    # the query (or the graph it reads) broke.
    # A query across plans answers nothing over one (tests/test_compare.py asks them of several).
    for q in queries.canned():
        answer = run_query(q.name, LocalStore(store))
        assert isinstance(answer, Result) and (bool(answer.rows) != q.across_plans), q.name
    assert {q.name for q in queries.canned() if q.across_plans} == {
        "concept-coverage",
        "generations",
        "national-chapter-items",
        "shared-themes",
    }


def test_query_cli_formats(bundled_build):
    data = str(bundled_build[1])
    result = runner.invoke(app, ["query", "binding-indicators", "--data", data, "--format", "csv"])
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert table[0]["indicator"] == "劳动年龄人口平均受教育年限" and table[0]["target"] == ">11"
    result = runner.invoke(app, ["query", "binding-indicators", "--data", data, "--format", "json"])
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 8
    result = runner.invoke(app, ["query", "binding-indicators", "--data", data, "--format", "tsv"])
    assert result.stdout.splitlines()[0].startswith("?plan\t?number\t?indicator")
    result = runner.invoke(
        app,
        [
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/plankg/ontology#Box> }",
            "--data",
            data,
            "--format",
            "csv",
        ],
    )
    assert result.stdout.splitlines()[1] == "28"


def test_query_list(bundled_build):
    result = runner.invoke(app, ["query", "--list"])
    assert result.exit_code == 0 and "binding-indicators" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["SELEC ?x WHERE { ?x ?p ?o }"], "malformed SPARQL: error at 1:"),
        (["no-such-query"], "no canned query named"),
        (["mentions", "--param", "place=黄河"], "no parameter ?place"),
        (["missing.rq"], "no such query file"),
    ],
)
def test_query_errors_are_one_line(bundled_build, args, message):
    result = runner.invoke(app, ["query", *args, "--data", str(bundled_build[1])])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


def test_query_without_data_says_to_build(tmp_path):
    result = runner.invoke(app, ["query", "counts", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "run 'plankg build' first" in result.output


def test_validate_command(bundled_build, tmp_path):
    ttl = bundled_build[1] / "bayannur-14th-fyp.ttl"
    ok = runner.invoke(app, ["validate", str(ttl)])
    assert ok.exit_code == 0 and "conforms" in ok.stdout
    broken = tmp_path / "broken.ttl"
    broken.write_text(ttl.read_text(encoding="utf-8").replace('pk:boxLabel "4-1" ;', ""), encoding="utf-8")
    bad = runner.invoke(app, ["validate", str(broken)])
    assert bad.exit_code == 1 and "box/4-1" in bad.stdout and "boxLabel" in bad.stdout
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    err = runner.invoke(app, ["validate", str(garbage)])
    assert err.exit_code == 2 and err.output.startswith("error: cannot parse")


def test_counts_read_from_the_statistics_equal_a_recount(store):
    """The counts query reads the build's VoID statistics; counting the entities of the
    graph itself must give the same numbers (and the outline's, from the text)."""
    from kg.query.store import query as run

    recount = run(
        store,
        """
        PREFIX pk: <https://w3id.org/plankg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?plan ?class (COUNT(?e) AS ?count) WHERE {
          ?e pk:inPlan ?p ; a ?c . ?p dcterms:identifier ?plan .
          ?c rdfs:label ?class . FILTER(LANG(?class) = "en")
        } GROUP BY ?plan ?class""",
    )
    expected = {(r[0], r[1]): r[2] for r in recount.values()}
    got = {(r["plan"], r["class"]): r["count"] for r in rows(store, "counts")}
    assert got == expected
    assert got[("bayannur-14th-fyp", "chapter")] == "39" and got[("bayannur-14th-fyp", "project")] == "148"


def test_the_table_puts_a_single_plan_in_the_caption(bundled_build):
    result = runner.invoke(app, ["query", "binding-indicators", "--data", str(bundled_build[1])])
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if "indicator" in line)
    assert "plan" not in header and "plan bayannur-14th-fyp: 8 row(s)" in result.stdout


def test_an_indicator_across_plans(store):
    got = rows(store, "indicator-across-plans", indicator="城镇化率")
    expected = [
        (name, unit, base, target, annual, nature)
        for _, name, unit, base, target, annual, nature in EXPECTED_INDICATORS
        if "城镇化率" in name
    ]
    assert [(r["name"], r["unit"], r["base"], r["target"], r["annual"], r["nature"]) for r in got] == expected
    assert len(expected) == 1 and got[0]["plan"] == "bayannur-14th-fyp" and got[0]["periodEnd"] == "2025"


def test_a_query_needs_no_prefix_lines(bundled_build):
    # The one-liner a researcher types: pk: and rdfs: are declared for it.
    data = str(bundled_build[1])
    one_line = "SELECT (COUNT(?b) AS ?n) WHERE { ?b a pk:Box ; rdfs:label ?t }"
    result = runner.invoke(app, ["query", one_line, "--data", data, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "28"


def test_prefixes_are_added_only_where_used_and_missing():
    from kg.query.sparql import with_prefixes

    got = with_prefixes(
        'PREFIX pk: <urn:x#> SELECT * { ?s pk:a "skos:q" ; rdfs:label ?l . ?s ?p <http://e.org/a:b> } # owl:x'
    )
    assert got.splitlines()[0] == "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
    assert "PREFIX pk: <https" not in got and "skos" not in got.splitlines()[0] and "owl:" not in got.split("\n")[0]
    assert got.count("PREFIX") == 2


def test_a_mistyped_query_name_gets_a_suggestion_before_any_store_is_opened(tmp_path):
    result = runner.invoke(app, ["query", "outlin", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "did you mean 'outline'?" in result.output and "build" not in result.output.split(";")[0]
