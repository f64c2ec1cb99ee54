"""Vertical alignment against a hand labelling: the national 15th plan's chapter each of 139
Guangzhou items carries out (tests/data/national-chapters-guangzhou-15th-fyp.csv). The
weights were chosen on the whole sample; the two halves (items in odd and even places)
show how much that choice leans on the items it was made on. Printed as a table.

    .venv/bin/python bench/bench_vertical.py            # print
    .venv/bin/python bench/bench_vertical.py --record   # also update tests/data/vertical-figures.json
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import kg
from kg.analyse.nlp import plan_lexicon
from kg.analyse.vertical import align_national
from kg.read.source import bundled_plans

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "national-chapters-guangzhou-15th-fyp.csv"
FIGURES = ROOT / "tests" / "data" / "vertical-figures.json"


def figures() -> dict[str, dict[str, float]]:
    plan = kg.extract(bundled_plans()["guangzhou-15th-fyp"])
    links = align_national(plan, plan_lexicon(plan))
    labels = list(csv.DictReader(LABELS.open(encoding="utf-8")))
    out = {}
    for name, part in (("all", labels), ("odd", labels[0::2]), ("even", labels[1::2])):
        hits = chosen = correct = gold = 0
        for row in part:
            want = {f"chapter/{n}" for n in row["chapters"].split(";") if n}
            mine = sorted((k for k in links if k.source == row["item"]), key=lambda k: -k.score)
            hits += bool(mine) and mine[0].target.split(":")[1] in want
            picked = {k.target.split(":")[1] for k in mine if k.above_threshold}
            chosen += len(picked)
            correct += len(picked & want)
            gold += len(want)
        out[name] = {
            "items": len(part),
            "top1": round(hits / len(part), 4),
            "precision": round(correct / chosen, 4) if chosen else 0.0,
            "recall": round(correct / gold, 4),
        }
    return out


def main() -> None:
    got = figures()
    print("\nvertical alignment: Guangzhou 15th items against the national 15th plan's chapters (hand-labelled)")
    print(f"{'sample':<8} {'items':>6} {'top-1':>7} {'P (implements)':>15} {'R':>6}")
    for name, f in got.items():
        print(f"{name:<8} {f['items']:>6} {f['top1']:>7.3f} {f['precision']:>15.3f} {f['recall']:>6.3f}")
    if "--record" in sys.argv:
        FIGURES.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
        print(f"recorded {FIGURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
