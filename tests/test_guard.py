"""The query guard (kg.query.guard): SERVICE refused unless allowed, nesting and operator
limits, told apart from comments, literals and IRIs; and the CLI path that uses it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.errors import QueryError
from kg.query import canned
from kg.query.guard import MAX_DEPTH, QueryRefused, ServiceRefused, check, is_update, tokens
from kg.shells.cli import app

URL = "http://127.0.0.1:9/sparql"


def test_the_canned_queries_pass():
    for q in canned.canned():
        check(q.text)
        assert not is_update(q.text), q.name


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?a ?b ?c }} }}",
        f"select * where {{ service silent <{URL}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE\tSILENT<{URL}>{{ ?a ?b ?c }} }}",
        # The engine reads keywords without word boundaries: both of these call the service.
        f"SELECT * WHERE {{ ?s ?p trueSERVICE <{URL}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICESILENT<{URL}>{{ ?a ?b ?c }} }}",
        # ... and SERVICE:x as the keyword and the name :x.
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:sparql { ?a ?b ?c } }",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:sparql { ?a ?b ?c } }",
        "BASE <http://127.0.0.1:9/> SELECT * WHERE { SERVICE <sparql> { ?a ?b ?c } }",
        "SELECT * WHERE { SERVICE <http:\\u002F/127.0.0.1:9/sparql> { ?a ?b ?c } }",  # escapes undone
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/sparql> AS ?s) SERVICE ?s { ?a ?b ?c } }",
        f"# a comment first\nASK {{ SERVICE <{URL}> {{ }} }}",
    ],
)
def test_service_is_refused(text):
    with pytest.raises(ServiceRefused) as err:
        check(text)
    assert isinstance(err.value, QueryError) and "\n" not in err.value.one_line()


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?a ?b ?c }} }}",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:sparql { ?a ?b ?c } }",
        "BASE <http://127.0.0.1:9/> SELECT * WHERE { SERVICE <sparql> { ?a ?b ?c } }",
        "SELECT * WHERE { SERVICE <http:\\u002F/127.0.0.1:9/sparql> { ?a ?b ?c } }",
    ],
)
def test_an_allowed_service_passes(text):
    check(text, [URL])
    with pytest.raises(ServiceRefused, match="not an allowed service"):
        check(text.replace("9/", "10/").replace("/sparql>", "/other>"), [URL])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> { ?a ?b ?c }' }  # SERVICE <http://x/> {",
        "SELECT * WHERE { ?s ?p '''one\nSERVICE <http://x/> { ''' . ?s <http://e/SERVICE> ?service }",
        'SELECT * WHERE { ?s ?p """a "" " SERVICE <http://x/> {""" }',
        'SELECT * WHERE { ?s ?p "say \\"SERVICE\\"" }',
        "PREFIX ex: <http://e/> SELECT ?service WHERE { ?service ex:service ?o }",
        "SELECT * WHERE { ?s ?p '" + "{" * 500 + "' }",  # braces in a literal are no nesting
    ],
)
def test_comments_literals_iris_and_names_are_not_the_keyword(text):
    check(text)


def test_nesting_and_operator_limits():
    check("SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH)
    for deep in (
        "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1),
        "SELECT * WHERE { FILTER(" + "(" * 200 + "1" + ")" * 200 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "1" + "]" * 200 + " }",
    ):
        with pytest.raises(QueryRefused, match="nests deeper than 100"):
            check(deep)
    # Flat, but a chain of some 8,000 operators crashes the engine all the same.
    with pytest.raises(QueryRefused, match="more than 1000 operators"):
        check("SELECT * WHERE { FILTER(" + "true || " * 5000 + "true) }")
    with pytest.raises(QueryRefused, match="more than 1000 operators"):
        check("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 5000) + " }")


def test_tokens_tell_iris_from_comparisons():
    kinds = [(t.kind, t.text) for t in tokens("FILTER(?a<?b && ?c > 3) <http://a#b> 'it' @en-GB ex:a.b .")]
    assert kinds == [
        ("keyword", "FILTER"),
        ("punct", "("),
        ("var", "?a"),
        ("punct", "<"),
        ("var", "?b"),
        ("punct", "&&"),
        ("var", "?c"),
        ("punct", ">"),
        ("number", "3"),
        ("punct", ")"),
        ("iri", "<http://a#b>"),
        ("string", "'it'"),
        ("langtag", "@en-GB"),
        ("pname", "ex:a.b"),
        ("punct", "."),
    ]


def test_updates_are_told_apart():
    assert is_update("PREFIX a: <x:> # INSERT is only a comment here\n insert data { }")
    assert is_update("BASE <http://e/> DROP ALL")
    assert not is_update("PREFIX a: <http://e/insert#> SELECT * { }")


def test_plankg_query_refuses_in_one_line(bundled_build):
    runner = CliRunner()
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000  # segfaulted (exit 139) before
    result = runner.invoke(app, ["query", deep, "--data", str(bundled_build[1])])
    assert result.exit_code == 2, result.output
    assert "nests deeper than 100 levels" in result.output and len(result.output.strip().splitlines()) == 1
    result = runner.invoke(
        app, ["query", f"SELECT * WHERE {{ SERVICE <{URL}> {{ ?a ?b ?c }} }}", "--data", str(bundled_build[1])]
    )
    assert result.exit_code == 2 and "SERVICE" in result.output and "refused" in result.output
    assert len(result.output.strip().splitlines()) == 1
