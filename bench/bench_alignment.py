"""Alignment quality and cost on the bundled plan, against the hand-labelled sample
(tests/data/alignment-sample.csv, guideline in tests/data/LABELLING.md). Printed as tables.

    .venv/bin/python bench/bench_alignment.py            # print
    .venv/bin/python bench/bench_alignment.py --record   # also update tests/data/alignment-figures.json

The tests fail when a figure drops below the recorded one; record only after a reviewed
improvement.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import kg
from kg.analyse.alignment import THRESHOLDS, align
from kg.analyse.evaluation import at_threshold, load_sample, sweep, top1_precision
from kg.analyse.nlp import build_nlp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "alignment-sample.csv"
FIGURES = ROOT / "tests" / "data" / "alignment-figures.json"


def figures(alignment, sample) -> dict[str, float]:
    out = {}
    for kind in ("positioning", "goal", "indicator"):
        out[f"{kind}_top1_precision_projects"] = round(top1_precision(alignment, sample, kind, "project")[0], 4)
        out[f"{kind}_top1_precision_all"] = round(top1_precision(alignment, sample, kind)[0], 4)
        s = at_threshold(alignment, sample, kind, THRESHOLDS[kind])
        out[f"{kind}_precision"] = round(s.precision, 4)
        out[f"{kind}_recall"] = round(s.recall, 4)
    return out


def main() -> None:
    plan = kg.extract()
    t = time.perf_counter()
    nlp = build_nlp(plan)
    t_nlp = time.perf_counter() - t
    t = time.perf_counter()
    alignment = align(plan, nlp)
    t_align = time.perf_counter() - t
    sample = load_sample(SAMPLE)
    print(f"bundled plan: {len(alignment.links)} scored links; pipeline {t_nlp:.2f} s, alignment {t_align:.2f} s")
    print(f"sample: {len(sample)} labelled items ({sum(s.kind == 'project' for s in sample)} projects)\n")

    print(
        f"{'target kind':<12} {'top-1 P (projects)':>19} {'top-1 P (all)':>14} {'threshold':>10} "
        f"{'P':>6} {'R':>6} {'F1':>6}"
    )
    for kind in ("positioning", "goal", "indicator"):
        p_proj, n_proj = top1_precision(alignment, sample, kind, "project")
        p_all, n_all = top1_precision(alignment, sample, kind)
        s = at_threshold(alignment, sample, kind, THRESHOLDS[kind])
        print(
            f"{kind:<12} {p_proj:>12.3f} (n={n_proj:>3}) {p_all:>7.3f} (n={n_all:>3}) {THRESHOLDS[kind]:>10.2f} "
            f"{s.precision:>6.2f} {s.recall:>6.2f} {s.f1:>6.2f}"
        )

    print("\nthreshold sweep (precision / recall / F1 of the direct links):")
    for kind in ("positioning", "goal", "indicator"):
        rows = sweep(alignment, sample, kind, steps=20)
        best = max(rows, key=lambda r: r[1].f1)
        print(f"  {kind}: best F1 {best[1].f1:.2f} at {best[0]:.2f}")
        print("    " + "  ".join(f"{t:.2f}:{s.precision:.2f}/{s.recall:.2f}" for t, s in rows[2:12]))

    current = figures(alignment, sample)
    recorded = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    print("\nagainst the recorded figures:")
    for key, value in current.items():
        mark = "" if key not in recorded else ("  (dropped!)" if value < recorded[key] else "")
        print(f"  {key:<40} {value:.3f}  recorded {recorded.get(key, float('nan')):.3f}{mark}")
    if "--record" in sys.argv:
        FIGURES.write_text(json.dumps(current, indent=2) + "\n")
        print(f"\nrecorded in {FIGURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
