"""Measuring against hand labels: the alignment (tests/data/alignment-sample.csv) and the
indicator concepts (tests/data/indicator-concept-labels.csv)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kg.analyse.alignment import Alignment

KINDS = {"positioning": "positionings", "goal": "goals", "indicator": "indicators", "sdg": "sdgs"}
# The hand-labelled samples of alignment (tests/data/, guideline in LABELLING.md), by plan.
SAMPLES = {"bayannur-14th-fyp": "alignment-sample.csv", "guangzhou-15th-fyp": "alignment-sample-guangzhou-15th-fyp.csv"}


@dataclass(frozen=True)
class Labelled:
    item: str
    kind: str  # project | measure
    gold: dict[str, frozenset[str]]  # target kind -> target ids ('indicator/24' stands for its rows 24-1, 24-2)
    half: int = 0  # 0: the half the model is fitted on; 1: the half it is measured on

    def right(self, kind: str, target: str) -> bool:
        """Whether ``target`` is one of the labels (a sub-row counts as its row's number)."""
        return target in self.gold[kind] or target.split("-")[0] in self.gold[kind]


def load_sample(path: str | Path) -> list[Labelled]:
    """A sample, its items in alternate halves by their order in the file."""
    rows = csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8")))
    out = []
    for k, r in enumerate(rows):
        gold = {
            kind: frozenset(f"{kind}/{x}" for x in (r.get(col) or "").split(";") if x) for kind, col in KINDS.items()
        }
        out.append(Labelled(r["item"], r["kind"], gold, k % 2))
    return out


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    n_predicted: int
    n_gold: int


def top1_precision(
    alignment: Alignment, sample: list[Labelled], kind: str, item_kind: str | None = None, half: int | None = None
) -> tuple[float, int]:
    """Share of labelled items whose top-ranked target of ``kind`` is one of their labels."""
    hits = n = 0
    for s in sample:
        if (item_kind and s.kind != item_kind) or not s.gold[kind] or (half is not None and s.half != half):
            continue
        top = alignment.top(s.item, kind)
        n += 1
        hits += bool(top and s.right(kind, top.target))
    return (hits / n if n else 0.0), n


def at_threshold(
    alignment: Alignment, sample: list[Labelled], kind: str, threshold: float, half: int | None = None
) -> Scores:
    """Precision and recall of the links at or above ``threshold`` (the direct triples)."""
    predicted = right = gold = found = 0
    for s in sample:
        if half is not None and s.half != half:
            continue
        chosen = [link.target for link in alignment.for_source(s.item, kind) if link.score >= threshold]
        predicted += len(chosen)
        right += sum(s.right(kind, c) for c in chosen)
        gold += len(s.gold[kind])
        found += sum(any(c == g or c.split("-")[0] == g for c in chosen) for g in s.gold[kind])
    p = right / predicted if predicted else 0.0
    r = found / gold if gold else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0, predicted, gold)


def sweep(alignment: Alignment, sample: list[Labelled], kind: str, steps: int = 20) -> list[tuple[float, Scores]]:
    return [(t / steps, at_threshold(alignment, sample, kind, t / steps)) for t in range(1, steps)]


@dataclass(frozen=True)
class ConceptLabel:
    plan: str
    source: str  # 'indicator/3', or a goal's stated target 'goal/2/stated-target/1'
    name: str
    concept: str  # '' where no concept measures it
    relation: str  # exact | close | ''


def load_concept_labels(path: str | Path) -> list[ConceptLabel]:
    """tests/data/indicator-concept-labels.csv (it names stated targets 'goal/N/target/K')."""
    rows = csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8")))
    return [
        ConceptLabel(
            r["plan"], r["indicator"].replace("/target/", "/stated-target/"), r["name"], r["concept"], r["match"]
        )
        for r in rows
    ]


def concept_scores(labels: list[ConceptLabel], predicted: dict[tuple[str, str], str]) -> Scores:
    """Precision and recall of concept links: ``predicted`` maps (plan, source) to a slug."""
    n_predicted = n_gold = correct = 0
    for label in labels:
        guess = predicted.get((label.plan, label.source), "")
        n_predicted += bool(guess)
        n_gold += bool(label.concept)
        correct += bool(guess) and guess == label.concept
    p = correct / n_predicted if n_predicted else 0.0
    r = correct / n_gold if n_gold else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0, n_predicted, n_gold)
