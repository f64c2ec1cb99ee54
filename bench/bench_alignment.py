"""Alignment quality against two hand-labelled plans (tests/data/alignment-sample*.csv,
guideline in tests/data/LABELLING.md): the model is fitted on one half of each sample
(items in odd places) and measured on the other half. Printed as tables.

    .venv/bin/python bench/bench_alignment.py            # print
    .venv/bin/python bench/bench_alignment.py --fit      # refit: rewrite kg/analyse/fitted.py
    .venv/bin/python bench/bench_alignment.py --record   # also update tests/data/alignment-figures.json

The tests fail when a held-out figure drops below the recorded one, and when the committed
model is not what the labels give; refit and record only after a reviewed change.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import kg
from kg.analyse import alignment as A
from kg.analyse.evaluation import SAMPLES, Labelled, at_threshold, load_sample, top1_precision
from kg.read.source import bundled_plans

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
FIGURES = ROOT / "kg" / "reference" / "alignment-figures.json"
FITTED = ROOT / "kg" / "analyse" / "fitted.py"
# The precision a direct link of each kind must reach on the fitting half of each plan.
AIMS = {"positioning": 0.95, "goal": 0.85, "indicator": 0.8, "sdg": 0.85}
# Where issue 12 asks for a precision and a recall of the direct links (held-out half), the
# threshold is the one that keeps both furthest above their lines on each plan's fitting
# half: aiming at the precision line alone picks a threshold whose precision is as often
# under the line as over it on new items, and raising the aim by a margin costs what recall
# there was (Guangzhou's indicator links: 0.82 precision from 0.55 to 0.75, recall 0.59 to 0.40).
LINES = {"positioning": (0.95, 0.8), "indicator": (0.8, 0.5)}
L2 = 3.0  # ridge on the standardised weights: the samples are small


def samples() -> dict[str, list[Labelled]]:
    return {plan: load_sample(DATA / name) for plan, name in SAMPLES.items()}


def training_rows() -> list[tuple[str, str, dict[str, float], bool, int, int]]:
    """(kind, plan, features, right, half, fold) for every pair of a labelled item; ``fold``
    splits each half in two again (items in every other place of the half)."""
    rows = []
    for plan_id, sample in samples().items():
        plan = kg.extract(bundled_plans()[plan_id])
        by_item = {s.item: (k, s) for k, s in enumerate(sample)}
        found, _ = A.pairs(plan)
        for pair in found:
            k, s = by_item.get(pair.source, (0, None))
            if s is not None and (s.gold[pair.kind] or pair.kind != "positioning" or plan.positionings):
                rows.append((pair.kind, plan_id, pair.values, s.right(pair.kind, pair.target), s.half, (k // 2) % 2))
    return rows


def fit(xs: list[list[float]], ys: list[bool], l2: float = L2, steps: int = 4000) -> tuple[float, list[float]]:
    """Logistic regression by gradient descent on standardised features (deterministic)."""
    import numpy as np

    x, y = np.array(xs, dtype=float), np.array(ys, dtype=float)
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= (z.T @ (p - y) + l2 * np.r_[0.0, w[1:]]) / len(y)
    weights = w[1:] / sd
    return float(w[0] - np.sum(weights * mu)), [float(v) for v in weights]


def fitted_model() -> tuple[dict, dict]:
    """The weights, fitted on the fitting half; the thresholds, from scores each pair of that
    half got from a model fitted without it (two folds): a threshold picked on the very
    scores it was fitted to is picked too low."""
    rows = training_rows()
    model, thresholds = {}, {}
    for kind in A.KINDS:
        features = A.FEATURES[kind]
        tune = [(plan, v, r, fold) for k, plan, v, r, half, fold in rows if k == kind and half == 0]
        model[kind] = _fitted(features, [(v, r) for _, v, r, _ in tune])
        out_of_fold: dict[str, list[tuple[float, bool]]] = {}
        for fold in (0, 1):
            other = _fitted(features, [(v, r) for _, v, r, f in tune if f != fold])
            for plan, v, r, f in tune:
                if f == fold:
                    out_of_fold.setdefault(plan, []).append((_p(other, features, v), r))
        # The aim holds on each plan, not only on the two pooled.
        scored = [sorted(s, reverse=True) for _, s in sorted(out_of_fold.items())]
        thresholds[kind] = _balanced(scored, *LINES[kind]) if kind in LINES else _threshold(scored, AIMS[kind])
    return model, thresholds


def _fitted(features: tuple[str, ...], rows: list[tuple[dict[str, float], bool]]) -> dict:
    intercept, weights = fit([[v[f] for f in features] for v, _ in rows], [r for _, r in rows])
    return {"intercept": round(intercept, 4), "weights": dict(zip(features, (round(w, 4) for w in weights)))}


def _p(model: dict, features: tuple[str, ...], values: dict[str, float]) -> float:
    z = model["intercept"] + sum(model["weights"][f] * values[f] for f in features)
    return 1 / (1 + math.exp(-z))


def _threshold(scored: list[list[tuple[float, bool]]], aim: float) -> float:
    """The lowest threshold (in steps of 0.05) whose links reach ``aim`` precision in each
    of the scored lists (one per plan)."""
    for step in range(2, 20):
        t = step / 20
        chosen = [[r for p, r in plan if p >= t] for plan in scored]
        if all(c and sum(c) / len(c) >= aim for c in chosen):
            return t
    return 0.95


def _balanced(scored: list[list[tuple[float, bool]]], precision: float, recall: float) -> float:
    """The threshold (in steps of 0.05) whose links keep precision and recall furthest above
    ``precision`` and ``recall`` in the scored list of the plan where either is closest to
    its line; of equal ones, the highest."""

    def worst(t: float) -> float:
        margins = []
        for plan in scored:
            chosen = [r for p, r in plan if p >= t]
            right, gold = sum(chosen), sum(r for _, r in plan)
            margins += [(right / len(chosen) if chosen else 0.0) - precision, (right / gold if gold else 0.0) - recall]
        return round(min(margins), 6)

    return max((step / 20 for step in range(2, 20)), key=lambda t: (worst(t), t))


def write_fitted(model: dict, thresholds: dict) -> None:
    text = (
        '"""The alignment model\'s weights and thresholds, fitted by ``bench/bench_alignment.py --fit``\n'
        "on the fitting half of the two labelled samples (tests/data/alignment-sample*.csv): do not\n"
        'edit by hand; a test fails when they are not what the labels give."""\n\n'
        "from typing import Any\n\n"
        f"MODEL: dict[str, dict[str, Any]] = {json.dumps(model, indent=4)}\n"
        f"THRESHOLDS: dict[str, float] = {json.dumps(thresholds, indent=4)}\n"
    )
    FITTED.write_text(text, encoding="utf-8")


def figures() -> dict[str, float]:
    """Top-1 precision of the graph's best link, and precision and recall of the direct
    links, per kind, plan and half."""
    out = {}
    for plan_id, sample in samples().items():
        plan = kg.extract(bundled_plans()[plan_id])
        alignment = A.align(plan)
        for kind in A.KINDS:
            if kind == "positioning" and not plan.positionings:
                continue
            for half, name in ((0, "fit"), (1, "held")):
                top, n = top1_precision(alignment, sample, kind, half=half)
                s = at_threshold(alignment, sample, kind, A.THRESHOLDS[kind], half=half)
                key = f"{plan_id}/{kind}/{name}"
                out[key + "/top1"] = round(top, 4)
                out[key + "/precision"] = round(s.precision, 4)
                out[key + "/recall"] = round(s.recall, 4)
    return out


def main() -> None:
    if "--fit" in sys.argv:
        model, thresholds = fitted_model()
        write_fitted(model, thresholds)
        print(f"wrote {FITTED.relative_to(ROOT)}: thresholds {thresholds}")
        print("rerun without --fit to measure (the new weights are read at import)")
        return
    started = time.perf_counter()
    got = figures()
    print(
        f"\nalignment against two hand-labelled plans ({time.perf_counter() - started:.1f} s); model fitted on "
        "the 'fit' half, measured on the 'held' half; direct links at the thresholds of kg/analyse/fitted.py"
    )
    print(f"{'plan':<20} {'kind':<12} {'half':<5} {'threshold':>9} {'top-1':>7} {'P':>6} {'R':>6}")
    for key in sorted({k.rsplit("/", 1)[0] for k in got}):
        plan, kind, half = key.split("/")
        print(
            f"{plan:<20} {kind:<12} {half:<5} {A.THRESHOLDS[kind]:>9.2f} {got[key + '/top1']:>7.3f} "
            f"{got[key + '/precision']:>6.2f} {got[key + '/recall']:>6.2f}"
        )
    recorded = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    dropped = [k for k, v in got.items() if k in recorded and v < recorded[k] - 1e-9]
    print("\nagainst the recorded figures: " + (", ".join(dropped) + " dropped" if dropped else "none dropped"))
    if "--record" in sys.argv:
        FIGURES.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n")
        print(f"recorded in {FIGURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
