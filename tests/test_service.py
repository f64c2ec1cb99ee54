"""Corpus builds, the SPARQL service, and external triple stores — real servers on loopback."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from servers import oxigraph_server, plankg_server, virtuoso_server
from synth import para, render
from typer.testing import CliRunner

from kg.query import canned as queries
from kg.query.remote import push, remote_query
from kg.query.store import load_store, plan_dataset, query
from kg.rdf.vocab import GRAPH_BASE
from kg.shells.batch import build_corpus, expand_inputs
from kg.shells.cli import app


def small_plan(city: str, extra: str = "") -> str:
    lines = [
        "第一章 推进生态保护",
        "第一节 加强水系治理",
        *para(f"治理{city}河。实施河道清淤和生态补水工程，建设{city}滨河生态廊道。{extra}"),
        "第二章 发展现代农业",
        *para("稳定粮食生产。严守耕地红线，建设高标准农田，提高粮食综合生产能力。"),
    ]
    return render(lines, page_every=50)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    src = tmp_path_factory.mktemp("plans")
    (src / "east.txt").write_text(small_plan("东"), encoding="utf-8")
    (src / "west.txt").write_text(small_plan("西"), encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\x00\x01binary")
    return src


def rows(result) -> list[tuple]:
    return sorted(tuple("" if v is None else v for v in r) for r in result.values())


# --- corpus builds ---------------------------------------------------------------------


def test_corpus_build_in_parallel_skips_a_failing_plan(corpus, tmp_path):
    out = tmp_path / "build"
    outcomes = build_corpus(expand_inputs([str(corpus)]), out, workers=2)
    assert [(Path(o.source).name, o.ok) for o in outcomes] == [
        ("broken.txt", False),
        ("east.txt", True),
        ("west.txt", True),
    ]
    assert "binary" in outcomes[0].error
    store = ox.Store.read_only(str(out / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert {GRAPH_BASE + "east", GRAPH_BASE + "west", GRAPH_BASE + "reference"} <= graphs


def test_rebuilding_one_plan_replaces_only_its_graph(corpus, tmp_path):
    out = tmp_path / "build"
    paths = expand_inputs([str(corpus / "east.txt"), str(corpus / "west.txt")])
    build_corpus(paths, out, workers=1)

    def graph_quads(name):
        store = ox.Store.read_only(str(out / "store"))
        return sorted(str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH_BASE + name)))

    west_before, east_before = graph_quads("west"), graph_quads("east")
    (corpus / "east.txt").write_text(small_plan("东", "推进东湖湿地保护。"), encoding="utf-8")
    try:
        build_corpus([paths[0]], out, workers=1)
        assert graph_quads("west") == west_before
        east_after = graph_quads("east")
        assert east_after != east_before and any("东湖湿地" in q for q in east_after)
    finally:
        (corpus / "east.txt").write_text(small_plan("东"), encoding="utf-8")


def test_build_command_on_a_folder_reports_failures_and_exits_1(corpus, tmp_path):
    result = CliRunner().invoke(
        app, ["build", str(corpus), "--out", str(tmp_path / "b"), "--workers", "2", "--no-html"]
    )
    assert result.exit_code == 1
    assert "2 of 3 plans built" in result.stdout
    assert "broken.txt" in result.output and "binary" in result.output


def test_query_reads_the_on_disk_store(corpus, tmp_path):
    out = tmp_path / "build"
    build_corpus(expand_inputs([str(corpus / "east.txt"), str(corpus / "west.txt")]), out, workers=1)
    result = query(
        load_store(out),
        "PREFIX pk: <https://w3id.org/plankg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a pk:Plan }",
    )
    assert result.values() == [["2"]]


def test_a_question_about_one_plan_answers_for_that_plan_alone(corpus, tmp_path):
    out = tmp_path / "build"
    build_corpus(expand_inputs([str(corpus / "east.txt"), str(corpus / "west.txt")]), out, workers=1)
    runner = CliRunner()

    def outline(*extra):
        result = runner.invoke(app, ["query", "outline", "--data", str(out), "--format", "csv", *extra])
        assert result.exit_code == 0, result.output
        return [(r["plan"], r["chapter"], r["measures"]) for r in csv.DictReader(io.StringIO(result.stdout))]

    # Each small plan: chapter 1 (a section with one lead-phrase measure), chapter 2 (one measure).
    assert outline() == [("east", "1", "1"), ("east", "2", "1"), ("west", "1", "1"), ("west", "2", "1")]
    assert outline("--param", "plan=west") == [("west", "1", "1"), ("west", "2", "1")]
    table = runner.invoke(app, ["query", "outline", "--data", str(out)]).stdout
    assert "east" in table and "west" in table and "4 row(s)" in table  # two plans: the column stays
    missing = runner.invoke(app, ["query", "outline", "--data", str(out), "--param", "plan=north"])
    assert missing.exit_code == 2 and "no plan 'north' in the store" in missing.output
    # The question reads the plan's graph alone (with the ontology and reference schemes).
    ids = "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?id WHERE { ?p dcterms:identifier ?id } ORDER BY ?id"
    assert query(load_store(out), ids, plan_dataset("west")).values() == [["west"]]
    with plankg_server(out, tmp_path) as url:
        assert remote_query(url + "/sparql", ids).values() == [["east"], ["west"]]
        assert remote_query(url + "/sparql", ids, graphs=plan_dataset("east")).values() == [["east"]]
        text = queries.with_params(queries.get("outline").text, {"plan": "east"})
        scoped = remote_query(url + "/sparql", text, graphs=plan_dataset("east"))
        assert [r[0] for r in scoped.values()] == ["east", "east"]


# --- the SPARQL service ------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(bundled_build, tmp_path_factory):
    from kg.viz import write_pages

    write_pages(bundled_build[0].graph, bundled_build[1])
    with plankg_server(
        bundled_build[1], tmp_path_factory.mktemp("serve"), "--timeout", "2", "--max-rows", "100"
    ) as url:
        yield url


BINDING = (
    "PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?n ?name WHERE { ?i a pk:Indicator ; pk:nature pk:Binding ; pk:number ?n ; rdfs:label ?name } ORDER BY ?n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "accept, parse",
    [
        (
            "application/sparql-results+json",
            lambda t: [b["name"]["value"] for b in json.loads(t)["results"]["bindings"]],
        ),
        ("text/csv", lambda t: [r["name"] for r in csv.DictReader(io.StringIO(t))]),
        ("text/tab-separated-values", lambda t: [line.split("\t")[1] for line in t.splitlines()[1:]]),
    ],
)
def test_select_in_each_format(service, accept, parse):
    r = requests.post(service + "/sparql", data={"query": BINDING}, headers={"Accept": accept}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
    names = [n.strip('"').split('"@')[0] for n in parse(r.text)]
    assert len(names) == 8 and names[0] == "劳动年龄人口平均受教育年限"


@pytest.mark.slow
def test_get_construct_and_ask(service):
    r = requests.get(
        service + "/sparql",
        params={"query": "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5"},
        headers={"Accept": "text/turtle"},
        timeout=30,
    )
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) == 5
    r = requests.get(service + "/sparql", params={"query": "ASK { ?s a ?c }"}, timeout=30)
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.slow
def test_result_cap(service):
    r = requests.get(service + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 100
    assert r.headers["X-PlanKG-Truncated"] == "true"


def _error(r, status):
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["message"] and "hint" in body["error"]
    return body["error"]


@pytest.mark.slow
def test_updates_are_refused(service):
    _error(
        requests.post(
            service + "/sparql",
            data="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        ),
        403,
    )
    _error(requests.post(service + "/sparql", data={"update": "CLEAR ALL"}, timeout=30), 403)
    _error(requests.get(service + "/sparql", params={"query": "DROP ALL"}, timeout=30), 403)
    _error(requests.put(service + "/sparql", data="x", timeout=30), 405)


@pytest.mark.slow
def test_errors_share_one_shape(service):
    assert (
        "error at 1:"
        in _error(requests.get(service + "/sparql", params={"query": "SELEC ?x"}, timeout=30), 400)["message"]
    )
    _error(requests.get(service + "/nowhere", timeout=30), 404)
    _error(
        requests.get(service + "/sparql", params={"query": BINDING}, headers={"Accept": "image/png"}, timeout=30), 406
    )


@pytest.mark.slow
def test_a_slow_query_is_cut_at_its_limit(service):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.time()
    err = _error(requests.get(service + "/sparql", params={"query": slow}, timeout=60), 503)
    assert "time limit" in err["message"] and time.time() - started < 15
    # The service goes on answering after a worker was stopped.
    assert requests.get(service + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30).json()["boolean"]


@pytest.mark.slow
def test_pages_and_canned_queries(service):
    assert requests.get(service + "/", timeout=30).status_code == 200
    assert requests.get(service + "/plans/bayannur-14th-fyp.html", timeout=30).status_code == 200
    names = {q["name"] for q in requests.get(service + "/queries", timeout=30).json()}
    assert {q.name for q in queries.canned()} == names


@pytest.mark.slow
def test_search_api_on_graph_files(service):
    """A build folder without a store (graph files only) is searched too; the hit links to
    the entity's page."""
    r = requests.post(service + "/sparql", data={"query": BINDING}, headers={"Accept": "text/csv"}, timeout=30)
    name = next(csv.DictReader(io.StringIO(r.text)))["name"]
    hits = requests.get(service + "/search", params={"q": name, "kind": "indicator"}, timeout=30).json()["hits"]
    assert hits[0]["title"] == name and hits[0]["kind"] == "indicator"
    page = requests.get(service + hits[0]["url"], headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and name in page.text


@pytest.mark.slow
def test_yasgui_page_offline_in_a_browser(service, browser):
    page = browser.new_page()
    requests_seen = []
    page.on("request", lambda r: requests_seen.append(r.url))
    page.goto(service + "/query")
    page.wait_for_function("window.plankgYasgui !== undefined")
    assert page.evaluate("Object.keys(plankgYasgui._tabs).length") >= len(queries.canned())
    page.evaluate("plankgYasgui.getTab().query()")
    page.wait_for_selector(".yasr .dataTable tbody tr", timeout=20_000)
    # The plan picker lists the store's plans; choosing one scopes every tab's requests to it.
    page.wait_for_function("document.querySelectorAll('#plan option').length === 2")
    page.select_option("#plan", "bayannur-14th-fyp")
    sent = []
    page.on("request", lambda r: sent.append(r.post_data or "") if r.url.endswith("/sparql") else None)
    page.evaluate("plankgYasgui.getTab().query()")
    page.wait_for_function("document.querySelector('.yasr .dataTable tbody tr') !== null")
    page.wait_for_timeout(500)
    assert any(
        "default-graph-uri=" + requests.utils.quote(GRAPH_BASE + "bayannur-14th-fyp", safe="") in body for body in sent
    ), sent
    page.close()
    outside = [u for u in requests_seen if not u.startswith(("http://127.0.0.1", "data:"))]
    assert outside == []


# --- external stores ----------------------------------------------------------------------


def _same_answers(endpoint: str, build_dir: Path) -> None:
    """Every canned query, over all plans and asked about one (the protocol's default-graph-uri)."""
    store = load_store(build_dir)
    plan = "bayannur-14th-fyp"
    for q in queries.canned():
        assert rows(remote_query(endpoint, q.text, user="dba", password="dba")) == rows(query(store, q.text)), q.name
        if "plan" in q.params:
            text = queries.with_params(q.text, {"plan": plan})
            remote = remote_query(endpoint, text, user="dba", password="dba", graphs=plan_dataset(plan))
            assert rows(remote) == rows(query(store, text, plan_dataset(plan))) == rows(query(store, q.text)), q.name


@pytest.mark.slow
def test_push_into_oxigraph_server(bundled_build, tmp_path):
    with oxigraph_server(tmp_path) as url:
        pushed = push(bundled_build[1], url + "/store", batch=10_000, jobs=3)  # graphs sent at once
        assert all(p.ok for p in pushed) and pushed[0].batches >= 3
        _same_answers(url + "/query", bundled_build[1])
        # Replace semantics: pushing again leaves the same number of triples.
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        before = remote_query(url + "/query", count).values()
        push(bundled_build[1], url + "/store")
        assert remote_query(url + "/query", count).values() == before


@pytest.mark.slow
def test_push_into_virtuoso(bundled_build, tmp_path):
    with virtuoso_server(tmp_path) as url:
        result = CliRunner().invoke(
            app,
            [
                "push",
                "--endpoint",
                url + "/sparql-graph-crud-auth",
                "--graph-param",
                "graph-uri",
                "--user",
                "dba",
                "--password",
                "dba",
                "--data",
                str(bundled_build[1]),
            ],
        )
        assert result.exit_code == 0, result.output
        _same_answers(url + "/sparql", bundled_build[1])


def test_push_to_nowhere_fails_in_one_line(bundled_build):
    result = CliRunner().invoke(
        app, ["push", "--endpoint", "http://127.0.0.1:9/store", "--data", str(bundled_build[1]), "--retries", "0"]
    )
    assert result.exit_code == 1 and "cannot reach" in result.output
