"""Entity pages and the search API of ``plankg serve`` (issues 14 and 16): a page at every
entity's IRI path with its citation and links, Turtle and JSON-LD by content negotiation,
the search beside /sparql and its box on the pages — tested against a real server on
loopback, the expectations read from the plan's own Turtle file, never written in here."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from servers import plankg_server

from kg.query.describe import Description, Node, Statement, describe
from kg.query.disk import build_lock, current, write_store
from kg.query.search import SEARCH_KINDS
from kg.query.store import load_store
from kg.rdf.vocab import ID_BASE, PK
from kg.shells import pages
from kg.shells.httperror import RequestError
from kg.shells.negotiate import ENTITY_FORMATS, SEARCH_FORMATS, choose

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def built(bundled_build, tmp_path_factory):
    """The bundled plan as ``plankg build`` leaves it: Turtle, graph page, the store with its
    search index; and two report pages beside them."""
    from kg.viz import write_pages

    result, source = bundled_build
    out = tmp_path_factory.mktemp("site")
    plan = result.plan.id
    for name in (f"{plan}.ttl", "reference.ttl"):
        shutil.copy(source / name, out / name)
    write_pages(result.graph, out)
    with build_lock(out):
        write_store(out, {plan: out / f"{plan}.ttl"})
    (out / f"alignment-{plan}.html").write_text("<p>report</p>", encoding="utf-8")
    (out / "compare.html").write_text("<p>compare</p>", encoding="utf-8")
    return out, plan


@pytest.fixture(scope="module")
def turtle(built) -> Graph:
    out, plan = built
    return Graph().parse(out / f"{plan}.ttl", format="turtle")


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    with plankg_server(built[0], tmp_path_factory.mktemp("serve"), "--timeout", "5") as url:
        yield url


def project(g: Graph) -> URIRef:
    """A project of the plan with a page, a chapter, a text and a direct alignment link: the
    first in reading order."""
    found = [
        p
        for p in g.subjects(RDF.type, PK.Project)
        if g.value(p, PK.page) is not None
        and g.value(p, PK.inChapter) is not None
        and g.value(p, PK.text) is not None
        and g.value(p, PK.supports) is not None
    ]
    assert found, "the bundled plan has such projects"
    return min(found, key=lambda p: int(g.value(p, PK.lineStart)))


def path(iri: URIRef | str) -> str:
    return pages.local_path(str(iri)) or ""


def best_link(g: Graph, source: URIRef) -> tuple[URIRef, float]:
    links = [(g.value(a, PK.target), float(g.value(a, PK.score))) for a in g.subjects(PK.source, source)]
    return max(links, key=lambda t: t[1])


# --- the page of an entity ------------------------------------------------------------------


@pytest.mark.slow
def test_a_project_page_shows_its_citation_and_links(site, built, turtle, browser, tmp_path):
    out, plan = built
    g = turtle
    p = project(g)
    chapter = g.value(p, PK.inChapter)
    title, page_no = str(g.value(p, RDFS.label)), int(g.value(p, PK.page))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site) else None)
    tab = context.new_page()
    tab.goto(site + path(p))
    assert tab.locator("h1").inner_text().endswith(title)
    citation = tab.locator("#citation").inner_text()
    assert str(g.value(URIRef(ID_BASE + plan), DCTERMS.title)) in citation
    assert f"{g.value(chapter, PK.marker)}“{g.value(chapter, RDFS.label)}”" in citation
    assert f"第{page_no}页" in citation and title in citation
    tab.screenshot(path=str(tmp_path / "entity-page.png"), full_page=True)
    # Its container, each alignment target (the best one with its score), the direct links.
    container = g.value(p, DCTERMS.isPartOf)
    assert tab.locator(f'a[href="{path(container)}"]').count() >= 1
    target, score = best_link(g, p)
    row = tab.locator("table tr", has=tab.locator(f'a[href="{path(target)}"]')).first
    assert f"{score:.2f}" in row.inner_text()
    supported = set(g.objects(p, PK.supports))
    direct = tab.locator("td.num span[title='pk:supports']")
    assert direct.count() == len(supported) > 0
    for s in supported:
        assert tab.locator(f'a[href="{path(s)}"]').count() >= 1
    # The graph page, centred on it: the node selected.
    tab.click("text=在图中查看")
    tab.wait_for_function("document.body.dataset.ready === '1'", timeout=30_000)
    assert tab.url == f"{site}/plans/{plan}.html#{quote(str(p), safe='')}"
    assert tab.evaluate("plankg.network.getSelectedNodes()") == [str(p)]
    assert tab.get_attribute("#panel-entity", "href") == path(p)  # the panel links back to this page
    # A query about it: the query page opens on a tab asking for its statements, and answers.
    tab.go_back()
    tab.click("text=查询 query about it")
    tab.wait_for_selector(".yasr .dataTable tbody tr", timeout=20_000)
    assert str(p) in tab.evaluate("plankgYasgui.getTab().getQuery()")
    assert tab.locator(".yasr .dataTable tbody tr").count() >= len(set(g.predicate_objects(p))) // 2
    context.close()
    assert outside == []


def triples_about(g: Graph, subject: URIRef) -> set:
    return same(g.triples((subject, None, None)))


def same(triples) -> set:
    """Triples compared by their terms' values: the store writes 5.0^^xsd:decimal as 5."""
    out = set()
    for s, p, o in triples:
        if isinstance(o, Literal) and o.value is not None:
            o = ("literal", o.value, o.datatype, o.language)
        out.add((s, p, o))
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    "accept, fmt, rdflib_format",
    [
        ("text/turtle", None, "turtle"),
        ("application/ld+json", None, "json-ld"),
        (BROWSER, "nt", "nt"),  # format= wins over Accept
        ("application/n-triples;q=0.5, text/turtle;q=0.9", None, "turtle"),
    ],
)
def test_content_negotiation_gives_the_entity_triples(site, turtle, accept, fmt, rdflib_format):
    p = project(turtle)
    r = requests.get(site + path(p), headers={"Accept": accept}, params={"format": fmt} if fmt else {}, timeout=30)
    assert r.status_code == 200 and r.headers["Vary"] == "Accept"
    got = Graph().parse(data=r.text, format=rdflib_format)
    expected = triples_about(turtle, p)
    assert same(got) == expected and len(expected) > 10


@pytest.mark.slow
def test_every_kind_of_node_has_a_page_or_its_triples(site, turtle):
    """The plan, a chapter, an indicator value, a place, an alignment node, an SDG: each
    answers its triples (as its graph holds them) and a page that names it."""
    g = turtle
    plan = next(g.subjects(RDF.type, PK.Plan))
    nodes = [plan, *(next(g.subjects(RDF.type, c)) for c in (PK.Chapter, PK.IndicatorValue, PK.Place, PK.Alignment))]
    for node in nodes:
        r = requests.get(site + path(node), headers={"Accept": "text/turtle"}, timeout=30)
        assert r.status_code == 200, node
        assert same(Graph().parse(data=r.text, format="turtle")) == triples_about(g, node), node
        page = requests.get(site + path(node), headers={"Accept": BROWSER}, timeout=30)
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        label = g.value(node, RDFS.label)
        if label is not None:
            assert f"{label}</h1>" in page.text, node
    sdg = next(o for o in g.objects(None, PK.contributesToSDG))
    page = requests.get(site + path(sdg), headers={"Accept": BROWSER}, timeout=30)
    assert page.status_code == 200 and "联合国可持续发展目标" in page.text
    # The SDG's page lists what serves it: each item with a direct link to it.
    for item in g.subjects(PK.contributesToSDG, sdg):
        assert f'href="{path(item)}"' in page.text


@pytest.mark.slow
def test_an_unknown_iri_is_a_404(site, built):
    plan = built[1]
    missing = f"/id/{plan}/chapter/9999"
    r = requests.get(site + missing, headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/json")
    error = r.json()["error"]
    assert error["status"] == 404 and ID_BASE + plan + "/chapter/9999" in error["message"] and error["hint"]
    page = requests.get(site + missing, headers={"Accept": BROWSER}, timeout=30)
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    assert "chapter/9999" in page.text and 'action="/search"' in page.text
    for bad in ("/id/", "/id/%FF%FE", "/id/a%20b", f"/id/{plan}/<script>"):
        r = requests.get(site + bad, headers={"Accept": "application/json"}, timeout=30)
        assert r.status_code == 404 and r.json()["error"]["status"] == 404, bad
    r = requests.get(site + f"/id/{plan}", headers={"Accept": "image/png"}, timeout=30)
    assert r.status_code == 406 and "text/turtle" in r.json()["error"]["hint"]


def server_pid(site: str) -> int:
    port = site.rsplit(":", 1)[1]
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{int(port):04X}") and fields[3] == "0A":  # LISTEN
            inode = fields[9]
            break
    else:
        raise AssertionError("no listening socket")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]" for fd in os.listdir(f"/proc/{pid}/fd")):
                return int(pid)
        except OSError:
            continue
    raise AssertionError("no process holds the socket")


def open_files(pid: int) -> set[str]:
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            found.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            pass
    return found


@pytest.mark.slow
def test_pages_and_searches_are_read_by_the_workers_alone(site, built, turtle):
    """The server process never opens the store or the search index: an entity's data and a
    search come from the query workers, under their time and memory limits."""
    out, _ = built
    version = str(current(out))
    for _ in range(3):
        assert requests.get(site + path(project(turtle)), headers={"Accept": BROWSER}, timeout=30).ok
        assert requests.get(site + "/search", params={"q": "生态"}, timeout=30).ok
    pid = server_pid(site)
    assert not [f for f in open_files(pid) if f.startswith(version)]
    workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == pid]
    assert any(f.startswith(version) for w in workers for f in open_files(w))


@pytest.mark.slow
def test_pages_and_searches_run_under_the_query_time_limit(built, turtle, tmp_path):
    """With a time limit (1 ms) that gathering a page's data (tens of ms) or opening the
    search index cannot meet, an entity's page and a search are stopped like a slow query
    (503): they run in the workers, under the query limits."""
    with plankg_server(built[0], tmp_path, "--timeout", "0.001", "--short-timeout", "0.001") as url:
        for accept, params, target in (
            (BROWSER, {}, path(project(turtle))),
            ("application/json", {"q": "生态"}, "/search"),
        ):
            messages = []
            for _ in range(20):  # a worker stopped over time is replaced within a second or so
                r = requests.get(url + target, params=params, headers={"Accept": accept}, timeout=30)
                assert r.status_code == 503, (target, r.status_code)
                messages.append(r.text)
                if "time limit" in r.text:
                    break
                time.sleep(0.5)
            assert "time limit" in messages[-1], messages
        assert requests.get(url + "/", timeout=30).status_code == 200  # the index says it could not ask


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


# --- search ----------------------------------------------------------------------------------


def search(site: str, **params) -> requests.Response:
    return requests.get(site + "/search", params=params, timeout=30)


@pytest.mark.slow
def test_search_finds_a_term_in_a_title_and_in_a_text_with_its_page(site, built, turtle):
    g, plan = turtle, built[1]
    p = project(g)
    title, text, page_no = str(g.value(p, RDFS.label)), str(g.value(p, PK.text)), int(g.value(p, PK.page))
    in_title = title[:4]
    in_text = next(
        text[i : i + 5] for i in range(len(text) - 5) if text[i : i + 5] not in title and "，" not in text[i : i + 5]
    )
    for term, where in ((in_title, "title"), (in_text, "text")):
        r = search(site, q=term, limit=100)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
        hits = r.json()["hits"]
        hit = next((h for h in hits if h["iri"] == str(p)), None)
        assert hit is not None, (term, where, [h["title"] for h in hits])
        assert hit["plan"] == plan and hit["kind"] == "project" and hit["page"] == page_no
        assert hit["title"] == title
        if where == "text":  # the snippet is the text around the match
            assert f"【{term}】" in hit["snippet"] and term not in title
        assert hit["url"] == path(p) and requests.get(site + hit["url"], timeout=30).ok
        assert set(hit) >= {"plan", "kind", "title", "snippet", "page", "line", "iri", "url"}
        assert all(term in h["title"] or term in h["snippet"].replace("【", "").replace("】", "") for h in hits)
    # Filters and the limit.
    r = search(site, q=in_title, kind="project", plan=plan, limit=1).json()
    assert len(r["hits"]) == 1 and r["hits"][0]["kind"] == "project"
    assert search(site, q="生态", limit=3).json()["more"] is True
    goals = search(site, q="生态", kind="goal", limit=100).json()["hits"]
    assert goals and {h["kind"] for h in goals} == {"goal"}


@pytest.mark.slow
def test_search_refuses_bad_requests_in_json(site):
    def error(status: int, **params) -> dict:
        r = search(site, **params)
        assert r.status_code == status and r.headers["Content-Type"].startswith("application/json"), r.text
        body = r.json()
        assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
        return body["error"]

    assert "nothing to search" in error(400)["message"]
    assert "nothing to search" in error(400, q="  ")["message"]
    assert "over 200" in error(400, q="生" * 201)["message"]
    assert "over 10" in error(400, q=" ".join("生态" for _ in range(11)))["message"]
    assert "did you mean 'project'" in error(400, q="生态", kind="projet")["message"]
    for limit in ("0", "101", "abc", "-1"):
        assert "limit" in error(400, q="生态", limit=limit)["message"]
    assert "no plan" in error(400, q="生态", plan="no-such-plan")["message"]
    error(400, q="生态", plan="../etc")
    error(406, q="生态", format="xml")
    # A browser asking for the results page gets its error as a page.
    r = requests.get(site + "/search", params={"q": ""}, headers={"Accept": BROWSER}, timeout=30)
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/html")
    assert "nothing to search for" in r.text


@pytest.mark.slow
def test_the_search_box_leads_to_entity_pages(site, turtle, browser):
    p = project(turtle)
    title = str(turtle.value(p, RDFS.label))
    tab = browser.new_page()
    tab.goto(site + "/")
    tab.fill("form.search input[name=q]", title)
    tab.press("form.search input[name=q]", "Enter")
    tab.wait_for_selector("ol.hits li")
    assert tab.url.startswith(site + "/search?")
    first = tab.locator("ol.hits li a").first
    assert first.inner_text() == title  # a title holding the whole term ranks first
    first.click()
    tab.wait_for_selector("h1")
    assert tab.url == site + path(p) and tab.locator("h1").inner_text().endswith(title)
    assert tab.locator("form.search input[name=q]").count() == 1  # the entity page has the box too
    tab.close()


# --- the index and the query page --------------------------------------------------------------


@pytest.mark.slow
def test_the_index_lists_plans_apart_from_reports(site, built, turtle):
    _, plan = built
    html = requests.get(site + "/", timeout=30).text
    plans = html.split("<h2>规划")[1].split("<h2>")[0]
    items = re.findall(r"<li>(.*?)</li>", plans, re.S)
    assert len(items) == 1 and f"<code>{plan}</code>" in items[0]
    assert str(turtle.value(URIRef(ID_BASE + plan), DCTERMS.title)) in items[0]
    assert f'href="/plans/{plan}.html"' in items[0] and f'href="/plans/alignment-{plan}.html"' in items[0]
    assert f'href="/id/{plan}"' in items[0]
    others = html.split("<h2>报告与页面")[1]
    assert 'href="/plans/compare.html"' in others and "alignment-" not in others
    assert 'action="/search"' in html


@pytest.mark.slow
def test_the_query_page_opens_on_a_plankg_query(site, browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(site + "/query")
    tab.wait_for_function("window.plankgYasgui !== undefined")
    first = tab.evaluate("plankgYasgui.getTab(Object.keys(plankgYasgui._tabs)[0]).getQuery()")
    assert first.startswith("PREFIX pk: <https://w3id.org/plankg/ontology#>") and "?sub ?pred ?obj" not in first
    tab.evaluate("plankgYasgui.selectTabId(Object.keys(plankgYasgui._tabs)[0])")
    tab.evaluate("plankgYasgui.getTab().query()")
    tab.wait_for_selector(".yasr .dataTable tbody tr", timeout=20_000)
    # An entity's IRI among the results opens its page here, not at w3id.org.
    link = tab.locator(f'.yasr .dataTable a[href^="{ID_BASE}"]').first
    with context.expect_page() as opened:
        link.dispatch_event("click")  # YASR lays an ellipsis span over long cells
    page = opened.value
    page.wait_for_load_state()
    assert page.url.startswith(site + "/id/") and page.locator("h1").count() == 1
    context.close()


# --- without a server --------------------------------------------------------------------------


def test_pages_escape_what_the_plan_says():
    evil = '<script>alert("x")</script>&'
    node = Node(ID_BASE + "p/chapter/1", evil, PK + "Chapter", "章", 1, "第一章", 3, 10)
    d = Description(ID_BASE + "p/chapter/1", node, Node(ID_BASE + "p", evil), evil, None, None, evil, evil)
    d.statements = [Statement(str(RDFS.label), None, evil, False, "zh")]
    html = pages.entity_page(d, SEARCH_KINDS, None)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    hits = [
        {"plan": "p", "kind": "project", "title": evil, "snippet": f"【{evil}】", "page": 1, "line": 2, "url": "/id/p"}
    ]
    html = pages.search_page(pages.Search(evil), [evil], hits, False, SEARCH_KINDS, 20, 100)
    assert "<script>alert" not in html and "<mark>&lt;script&gt;" in html
    assert "<script>alert" not in pages.error_page(404, evil, evil, SEARCH_KINDS)
    assert "\\u003c/script>" in pages.script_json("</script>")


def test_entity_paths_and_iris_map_both_ways():
    for iri in (ID_BASE + "p/box/4-3/project/1", ID_BASE + "p/place/乌梁素海", "https://w3id.org/plankg/sdg/15"):
        local = pages.local_path(iri)
        assert local is not None and local.isascii() and pages.iri_of_path(local) == iri
    assert pages.local_path("http://example.org/x") is None and pages.local_path(str(PK.Project)) is None
    for bad in ("/sparql", "/plans/x.html", "/id/a b", "/id/a%20b", "/id/%3Cx%3E", "/id/%FF", "/id/" + "x" * 1000):
        assert pages.iri_of_path(bad) is None, bad


def test_negotiation_of_pages_and_search():
    assert choose(BROWSER, ENTITY_FORMATS) == "html" and choose("*/*", ENTITY_FORMATS) == "html"
    assert choose("text/turtle", ENTITY_FORMATS) == "turtle"
    assert choose("application/ld+json", ENTITY_FORMATS) == "jsonld"
    assert choose("text/html;q=0.1, text/turtle", ENTITY_FORMATS) == "turtle"
    assert choose("text/html;q=0, */*", ENTITY_FORMATS) != "html"
    assert choose("*/*", SEARCH_FORMATS) == "json" and choose(BROWSER, SEARCH_FORMATS) == "html"
    assert choose(BROWSER, ENTITY_FORMATS, "jsonld") == "jsonld"
    for accept, explicit in (("image/png", None), ("*/*", "xml")):
        with pytest.raises(RequestError) as err:
            choose(accept, ENTITY_FORMATS, explicit)
        assert err.value.status == 406
    with pytest.raises(RequestError) as err:
        choose("text/html;q=2", ENTITY_FORMATS)
    assert err.value.status == 400


def test_describe_reads_outline_links_and_citation(built, turtle):
    """Straight from a store: the project's ancestors in order, its container, its links
    best first with the direct ones marked, and its citation; a web-page plan cites lines."""
    out, plan = built
    g = turtle
    p = project(g)
    store = load_store(out)
    d = describe(store, str(p))
    assert d is not None and d.plan_id == plan and d.node.label == str(g.value(p, RDFS.label))
    assert [a.iri for a in d.ancestors][:1] == [ID_BASE + plan]
    assert d.container is not None and d.container.iri == str(g.value(p, DCTERMS.isPartOf))
    assert d.links_from_total == len(set(g.subjects(PK.source, p)))
    assert [k.score for k in d.links_from] == sorted((k.score for k in d.links_from), reverse=True)
    assert {k.other.iri for k in d.links_from if k.direct} == {
        str(o) for prop in (PK.supports, PK.affectsIndicator, PK.contributesToSDG) for o in g.objects(p, prop)
    }
    assert d.statements_total == len(triples_about(g, p))
    # The chapter lists the project's container among what it holds, in reading order.
    chapter = describe(store, str(g.value(p, PK.inChapter)))
    assert chapter is not None and chapter.children_total == len(
        set(g.subjects(DCTERMS.isPartOf, g.value(p, PK.inChapter)))
    )
    lines = [c.line for c in chapter.children]
    assert lines == sorted(lines)
    assert describe(store, ID_BASE + plan + "/chapter/9999") is None
    # Without pages (a web-page copy), the citation names the lines of the text.
    mem = ox.Store()
    mem.load(out.joinpath(f"{plan}.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    for q in list(mem.quads_for_pattern(ox.NamedNode(str(p)), ox.NamedNode(str(PK.page)), None, None)):
        mem.remove(q)
    cited = describe(mem, str(p))
    assert cited is not None and "原文第" in cited.citation() and "页" not in cited.citation().split("》")[-1]
