"""Full-text search (plankg search, kg.query.search): finds terms in titles and texts with
the page to cite, in step with the store after a rebuild or a killed one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from synth import para

from kg.errors import QueryError
from kg.query import disk
from kg.query.store import find, load_store, query

# A plan whose pages are known by construction: a footer '－ N －' closes each page.
PAGES = [
    [
        "青河市国民经济和社会发展第十五个五年规划纲要",
        *para("“十五五”时期是青河市加快转型的关键时期。"),
        "第一章 发展基础",
        *para("过去五年，全市经济总量稳步增长，民生持续改善。"),
    ],
    [
        "第二章 培育低空经济新赛道",
        *para("围绕通用航空和无人机产业链，完善低空飞行服务保障体系，建设一批起降场。"),
    ],
    [
        "第三章 加强生态保护",
        *para("推进河湖湿地保护修复，实施退耕还湿，建设候鸟栖息地。"),
    ],
]


def plan_text(pages=PAGES) -> str:
    out: list[str] = []
    for n, lines in enumerate(pages, start=1):
        out += [*lines, "", f"－ {n} －", ""]
    return "\n\n".join(out) + "\n"


def other_text() -> str:
    return (
        "\n\n".join(
            [
                "白山市国民经济和社会发展第十五个五年规划纲要",
                *para("“十五五”时期是白山市高质量发展的关键时期。"),
                "第一章 推进湿地保护",
                *para("加强湿地保护，修复退化湿地，推进国家湿地公园建设。"),
                "第二章 发展冰雪经济",
                *para("建设冰雪运动基地，培育冰雪旅游产业。"),
            ]
        )
        + "\n"
    )


def build(texts: Path, out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(texts), "--out", str(out), "--no-html"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    texts, out = root / "texts", root / "out"
    texts.mkdir()
    (texts / "qinghe.txt").write_text(plan_text(), encoding="utf-8")
    (texts / "baishan.txt").write_text(other_text(), encoding="utf-8")
    build(texts, out)
    return texts, out


def test_a_term_in_a_title_is_found_with_its_page(corpus):
    _, out = corpus
    hits = find(out, ["低空经济"])
    chapter = [h for h in hits if h.kind == "chapter"]
    assert [(h.plan, h.title, h.page) for h in chapter] == [("qinghe", "培育低空经济新赛道", 2)]
    assert chapter[0].iri.endswith("/qinghe/chapter/2")
    assert hits[0] is chapter[0], "a title holding the term ranks first"


def test_a_term_in_a_body_text_is_found_with_its_page_and_a_snippet(corpus):
    _, out = corpus
    hits = find(out, ["退耕还湿"])
    assert hits and all(h.plan == "qinghe" for h in hits)
    assert {h.page for h in hits} == {3}
    assert any("【退耕还湿】" in h.snippet for h in hits)


def test_short_terms_several_terms_and_filters(corpus):
    _, out = corpus
    both = {h.plan for h in find(out, ["湿地"])}  # two characters: no trigram, still found
    assert both == {"qinghe", "baishan"}
    assert {h.plan for h in find(out, ["湿地", "候鸟"])} == {"qinghe"}  # every term must be there
    only = find(out, ["湿地"], plan="baishan", kind="chapter")
    assert [(h.title, h.kind) for h in only] == [("推进湿地保护", "chapter")]
    assert find(out, ["不存在的说法"]) == []


def test_bad_searches_say_what_to_do(corpus):
    _, out = corpus
    with pytest.raises(QueryError, match="did you mean 'chapter'"):
        find(out, ["湿地"], kind="chaptr")
    with pytest.raises(QueryError, match="did you mean 'qinghe'"):
        find(out, ["湿地"], plan="qinhe")
    with pytest.raises(QueryError, match="nothing to search for"):
        find(out, ["  "])


def test_graph_files_without_a_store_are_searched_too(corpus):
    _, out = corpus
    hits = find(out / "qinghe.ttl", ["低空经济"])
    assert hits and {h.plan for h in hits} == {"qinghe"}


def mentions_in_store(out: Path, term: str) -> set[tuple[str, str]]:
    """(plan, IRI) of every entity whose title or text holds ``term``, as SPARQL sees the store."""
    result = query(
        load_store(out),
        f"""PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?id ?e WHERE {{ ?e pk:lineStart ?l ; rdfs:label ?t ; pk:inPlan/dcterms:identifier ?id .
          OPTIONAL {{ ?e pk:text ?x }} FILTER(CONTAINS(?t, "{term}") || CONTAINS(COALESCE(?x, ""), "{term}")) }}""",
    )
    return {(str(r[0]), str(r[1])) for r in result.values()}  # type: ignore[index]


def test_a_rebuilt_plan_replaces_its_rows(tmp_path):
    texts, out = tmp_path / "texts", tmp_path / "out"
    texts.mkdir()
    (texts / "qinghe.txt").write_text(plan_text(), encoding="utf-8")
    (texts / "baishan.txt").write_text(other_text(), encoding="utf-8")
    build(texts, out)
    version = disk.current(out)
    changed = [PAGES[0], PAGES[1], ["第三章 加强生态保护", *para("推进河湖保护修复，建设候鸟栖息地与森林公园。")]]
    (texts / "qinghe.txt").write_text(plan_text(changed), encoding="utf-8")
    build(texts, out)
    assert disk.current(out) == version, "two plans are replaced in place, not in a new version"
    got = {(h.plan, h.iri) for h in find(out, ["湿地"], limit=100)}
    assert got == mentions_in_store(out, "湿地")
    assert {p for p, _ in got} == {"baishan"}
    assert {(h.plan, h.iri) for h in find(out, ["森林公园"])} == mentions_in_store(out, "森林公园") != set()


def test_an_index_written_but_a_store_not_yet_answers_from_the_old_rows(tmp_path, monkeypatch):
    # As a build killed between writing the index and replacing the graph leaves them.
    texts, out = tmp_path / "texts", tmp_path / "out"
    texts.mkdir()
    (texts / "qinghe.txt").write_text(plan_text(), encoding="utf-8")
    build(texts, out)
    before = {(h.plan, h.iri) for h in find(out, ["湿地"])}
    assert before == mentions_in_store(out, "湿地") != set()
    ttl = out / "qinghe.ttl"
    changed = [PAGES[0], PAGES[1], ["第三章 加强生态保护", *para("推进河湖保护修复，建设森林公园。")]]
    (texts / "qinghe.txt").write_text(plan_text(changed), encoding="utf-8")
    from kg.shells.build import build as build_one

    build_one(texts / "qinghe.txt", tmp_path / "new")
    new_turtle = (tmp_path / "new" / "qinghe.ttl").read_bytes()
    ttl.write_bytes(new_turtle)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(disk, "_replace", killed)
    with pytest.raises(KeyboardInterrupt):
        disk.write_store(out, {"qinghe": ttl})
    monkeypatch.undo()
    # The index holds the new rows, the store the old graph: the search answers as the store does.
    assert {(h.plan, h.iri) for h in find(out, ["湿地"])} == before
    assert find(out, ["森林公园"]) == []
    disk.write_store(out, {"qinghe": ttl})  # the next build finishes the job
    assert find(out, ["湿地"]) == [] and {h.plan for h in find(out, ["森林公园"])} == {"qinghe"}


def test_the_search_command_prints_table_csv_and_json(corpus):
    _, out = corpus
    run = [sys.executable, "-m", "kg", "search", "湿地", "--data", str(out)]
    table = subprocess.run(run, capture_output=True, text=True)
    assert table.returncode == 0, table.stderr
    assert "推进湿地保护" in table.stdout and "baishan" in table.stdout
    csv_out = subprocess.run([*run, "--format", "csv"], capture_output=True, text=True).stdout
    assert csv_out.splitlines()[0] == "plan,kind,title,page,line,snippet,iri"
    rows = json.loads(subprocess.run([*run, "--format", "json"], capture_output=True, text=True).stdout)
    assert {r["plan"] for r in rows} == {"qinghe", "baishan"} and all("iri" in r and "page" in r for r in rows)
    bad = subprocess.run([*run, "--kind", "chaptr"], capture_output=True, text=True)
    assert bad.returncode != 0 and "did you mean 'chapter'" in bad.stderr and "Traceback" not in bad.stderr


def test_the_mentions_query_is_narrowed_by_the_index_and_answers_the_same(corpus):
    from kg.query import canned
    from kg.query.sparql import LocalStore, _narrowed, run_query

    _, out = corpus
    indexed = LocalStore.of(out)
    scanning = LocalStore(indexed.store)  # the same store, no index: the SPARQL scan alone
    mentions = canned.get("mentions")
    assert mentions is not None
    text = canned.with_params(mentions.text, {"term": "湿地"})
    assert "VALUES ?entity { <" in _narrowed(text, indexed, None)
    for params in ({"term": "湿地"}, {"term": "候鸟"}, {"term": "湿地", "plan": "baishan"}, {"term": "没有的词"}):
        got, want = run_query("mentions", indexed, params), run_query("mentions", scanning, params)
        rows = [[t and t.value for t in row] for row in got.rows]  # type: ignore[union-attr]
        assert rows == [[t and t.value for t in row] for row in want.rows], params  # type: ignore[union-attr]
    assert {r[0].value for r in run_query("mentions", indexed, {"term": "湿地"}).rows} == {"qinghe", "baishan"}  # type: ignore[union-attr]


def test_a_chinese_term_is_found_wherever_it_is_a_substring(corpus):
    # Every run of 1–5 characters cut from the texts, against a plain substring scan of the store.
    import re

    texts, out = corpus
    whole = "".join(p.read_text(encoding="utf-8") for p in sorted(texts.glob("*.txt")))
    runs = re.findall(r"[\u4e00-\u9fff]+", whole)
    terms = sorted({run[k : k + n] for run in runs for n in (1, 2, 3, 5) for k in range(0, len(run) - n + 1, 7)})
    assert len(terms) > 40
    for term in terms:
        got = {(h.plan, h.iri) for h in find(out, [term], limit=10_000)}
        assert got == mentions_in_store(out, term), term
