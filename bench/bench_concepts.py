"""How well plans' indicators are linked to the shared indicator concepts, against the hand
labelling of every indicator and stated target of the bundled plans and the national 14th
plan's indicators (tests/data/indicator-concept-labels.csv). Printed as tables.

    .venv/bin/python bench/bench_concepts.py            # print
    .venv/bin/python bench/bench_concepts.py --record   # also update tests/data/concept-figures.json

The tests fail when a figure drops below the recorded one (or below the floor: precision
0.95, recall 0.9); record only after a reviewed improvement.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import kg
from kg.analyse import concepts
from kg.analyse.evaluation import concept_scores, load_concept_labels
from kg.read.source import bundled_plans
from kg.reference import national_indicators

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "indicator-concept-labels.csv"
FIGURES = ROOT / "tests" / "data" / "concept-figures.json"


def predictions(threshold: float = concepts.THRESHOLD) -> dict[tuple[str, str], str]:
    """(plan, source) → concept slug, for every bundled plan and the national 14th indicators."""
    out: dict[tuple[str, str], str] = {}
    saved, concepts.THRESHOLD = concepts.THRESHOLD, threshold
    try:
        for plan_id, path in bundled_plans().items():
            for m in concepts.link_plan(kg.extract(path)).matches:
                out[(plan_id, m.source)] = m.concept
        for n in national_indicators():
            found = concepts.match(f"indicator/{n.number}", n.name, n.unit)
            if found:
                out[("national-14th-fyp", found.source)] = found.concept
    finally:
        concepts.THRESHOLD = saved
    return out


def figures() -> dict[str, float]:
    labels = load_concept_labels(LABELS)
    s = concept_scores(labels, predictions())
    return {
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "linked": s.n_predicted,
        "labelled": s.n_gold,
        "rows": len(labels),
    }


def main() -> None:
    labels = load_concept_labels(LABELS)
    started = time.perf_counter()
    got = figures()
    seconds = time.perf_counter() - started
    print(
        f"\nindicator concepts: {got['rows']} labelled rows (every indicator and stated target of the "
        f"{len(bundled_plans())} bundled plans, and the national 14th plan's), {got['labelled']} with a concept"
    )
    print(f"{'':<22} {'precision':>10} {'recall':>8} {'linked':>8}")
    print(
        f"{'at the threshold ' + str(concepts.THRESHOLD):<22} {got['precision']:>10.3f} {got['recall']:>8.3f} "
        f"{got['linked']:>8}"
    )
    print(f"\nthreshold sweep ({seconds:.1f} s for the six plans)")
    print(f"{'threshold':>10} {'precision':>10} {'recall':>8}")
    for t in (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9):
        s = concept_scores(labels, predictions(t))
        print(f"{t:>10.2f} {s.precision:>10.3f} {s.recall:>8.3f}")
    if "--record" in sys.argv:
        FIGURES.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
        print(f"recorded {FIGURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
