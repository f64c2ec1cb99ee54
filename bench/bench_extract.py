"""Extraction benchmark: time and peak memory, printed as a table.

    .venv/bin/python bench/bench_extract.py

Rows: each of the six bundled real plans (PDF dumps and web pages: µs/char should stay
close across them); a 20-plan corpus of variants of the default plan; its text repeated
1×, 2×, 4× and 8× to show the cost grows linearly with text size.
Target (issue 2): under 1 s for the bundled plan after imports.

A second table: the whole build of one text (extract, analyse, graph, validate, write) in
a fresh process, its peak resident memory by text size: the bound kg.read.source.MAX_MB
keeps a build within.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import kg
from kg.read.source import bundled_plan_path, bundled_plans, decode

TEXT = bundled_plan_path().read_text(encoding="utf-8")


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median seconds over ``repeat`` runs, and peak MB of one traced run."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def variant(seed: int) -> str:
    """The bundled plan with its figures changed, as another city's plan would differ."""
    rnd = random.Random(seed)
    out = []
    for ch in TEXT:
        out.append(str(rnd.randint(0, 9)) if ch.isdigit() and rnd.random() < 0.3 else ch)
    return "".join(out)


def main() -> None:
    kg.extract()  # warm imports and caches
    rows = []
    src = decode(TEXT.encode(), "bundled.txt")
    t, mem = timed(lambda: kg.extract_source(src))
    rows.append(("bundled plan", len(TEXT), 1, t, mem))
    for pid, path in bundled_plans().items():
        plan_src = decode(path.read_bytes(), path.name)
        t, mem = timed(lambda: kg.extract_source(plan_src), repeat=3)
        rows.append((pid, len(plan_src.text), 1, t, mem))

    corpus = [decode(variant(i).encode(), f"plan-{i}.txt") for i in range(20)]
    t, mem = timed(lambda: [kg.extract_source(s) for s in corpus], repeat=3)
    rows.append(("20-plan corpus", sum(len(s.text) for s in corpus), 20, t, mem))

    for k in (1, 2, 4, 8):
        big = decode(("\n".join([TEXT] * k)).encode(), f"x{k}.txt")
        t, mem = timed(lambda: kg.extract_source(big), repeat=3)
        rows.append((f"bundled text ×{k}", len(big.text), 1, t, mem))

    print(f"{'input':<20} {'chars':>10} {'plans':>6} {'seconds':>9} {'µs/char':>8} {'peak MB':>8}")
    for name, chars, plans, secs, mem in rows:
        print(f"{name:<20} {chars:>10,} {plans:>6} {secs:>9.3f} {secs / chars * 1e6:>8.2f} {mem:>8.1f}")
    target = rows[0][3]
    print(f"\nbundled plan: {target:.3f} s after imports (target < 1 s): {'OK' if target < 1 else 'OVER'}")
    build_memory()


def build_memory() -> None:
    """Peak RSS of a whole build in a fresh process, by text size (resource's children maximum
    is the largest so far, so each size runs in its own measuring process)."""
    print(f"\n{'whole build':<20} {'MB of text':>10} {'seconds':>9} {'peak RSS MB':>12}")
    for k in (1, 2, 4, 8):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"x{k}.txt"
            path.write_text("\n".join([TEXT] * k), encoding="utf-8")
            probe = (
                "import resource, subprocess, sys; "
                f"subprocess.run([sys.executable, '-m', 'kg', 'build', {str(path)!r}, '--out', {tmp!r}, "
                "'--no-store', '--no-html'], check=True, capture_output=True); "
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
            )
            started = time.perf_counter()
            peak_kb = int(
                subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
            )
            seconds = time.perf_counter() - started
        size = len(TEXT.encode()) * k / 2**20
        print(f"{'bundled text ×' + str(k):<20} {size:>10.2f} {seconds:>9.1f} {peak_kb / 1024:>12.0f}")


if __name__ == "__main__":
    main()
