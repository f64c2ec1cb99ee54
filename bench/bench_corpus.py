"""Corpus builds and query latency at scale. Printed as tables.

    .venv/bin/python bench/bench_corpus.py                 # 1, 10, 100, 300 plans
    .venv/bin/python bench/bench_corpus.py --sizes 1,10    # a quick look

Plans are variants of the bundled plan (numbers changed, distinct ids). Each size is
built into a fresh folder with ``plankg build`` as a user runs it (worker processes, one
per core, graph pages included). Then the canned queries run on the largest store, in
the embedded engine and through an Oxigraph server reading the same store.
Targets (issue 6): linear cost, 300 plans in under 5 minutes on 2 cores, canned queries
under 1 s at 300 plans.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from kg import queries
from kg.reading import bundled_plan_path
from kg.store import load_store, query

TEXT = bundled_plan_path().read_text(encoding="utf-8")


def variant(seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(str(rnd.randint(0, 9)) if c.isdigit() and rnd.random() < 0.2 else c for c in TEXT)


def build(n: int, root: Path, extra: list[str]) -> dict:
    src, out = root / f"plans-{n}", root / f"build-{n}"
    src.mkdir()
    for i in range(n):
        (src / f"plan-{i:03d}.txt").write_text(variant(i), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "--out", str(out), *extra],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    store = load_store(out)
    triples = int(query(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").values()[0][0])
    del store
    disk = sum(f.stat().st_size for f in (out / "store").rglob("*") if f.is_file()) / 2**20
    return {"plans": n, "seconds": seconds, "ok": proc.returncode == 0, "peak_mb": peak, "triples": triples,
            "store_mb": disk, "out": out}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def latency(out: Path) -> list[tuple[str, float, float]]:
    store = load_store(out)
    rows = []
    port = free_port()
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    server = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(out / "store"), "--bind",
                               f"127.0.0.1:{port}", "--union-default-graph"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        del store  # one reader of the store at a time
        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        remote = {}
        for q in queries.canned():
            times = []
            for _ in range(3):
                t = time.perf_counter()
                try:
                    r = requests.post(url, data={"query": q.text},
                                      headers={"Accept": "application/sparql-results+json"}, timeout=300)
                    r.raise_for_status()
                except requests.RequestException:
                    times = [float("inf")]  # over 300 s, or failed: shown as inf
                    break
                times.append(time.perf_counter() - t)
            remote[q.name] = statistics.median(times)
    finally:
        server.terminate()
        server.wait(10)
    store = load_store(out)
    for q in queries.canned():
        times = []
        for _ in range(3):
            t = time.perf_counter()
            query(store, q.text)
            times.append(time.perf_counter() - t)
        rows.append((q.name, statistics.median(times), remote[q.name]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10,100,300")
    parser.add_argument("--no-analysis", action="store_true", help="build without the alignment stages")
    args = parser.parse_args()
    extra = ["--no-analysis"] if args.no_analysis else []
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        print(f"{'plans':>6} {'seconds':>9} {'s/plan':>7} {'all ok':>7} {'peak MB':>8} {'triples':>11} {'store MB':>9}")
        for n in sizes:
            r = build(n, Path(tmp), extra)
            results.append(r)
            print(f"{r['plans']:>6} {r['seconds']:>9.1f} {r['seconds'] / n:>7.2f} {str(r['ok']):>7} {r['peak_mb']:>8.0f} "
                  f"{r['triples']:>11,} {r['store_mb']:>9.0f}", flush=True)
        largest = results[-1]
        target = largest["plans"] >= 300
        print(f"\n{largest['plans']} plans in {largest['seconds']:.0f} s"
              + (f" (target < 300 s: {'OK' if largest['seconds'] < 300 else 'OVER'})" if target else ""))
        print(f"\ncanned queries on the {largest['plans']}-plan store ({largest['triples']:,} triples), median of 3:")
        print(f"{'query':<24} {'embedded s':>11} {'oxigraph server s':>18}")
        worst = 0.0
        for name, embedded, remote in latency(largest["out"]):
            worst = max(worst, embedded, remote)
            print(f"{name:<24} {embedded:>11.3f} {remote:>18.3f}")
        print(f"\nslowest: {worst:.2f} s (target < 1 s at 300 plans: {'OK' if worst < 1 else 'OVER'})")


if __name__ == "__main__":
    main()
