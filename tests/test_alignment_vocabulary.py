"""The pieces of the alignment scorer added for issue 12's positioning and indicator lines:
how a table note's terms are told from their parts, how the plan's outline says what serves
a positioning, and how a threshold is picked against a precision and a recall line."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from types import SimpleNamespace

from kg.analyse.alignment import Served
from kg.analyse.vocabulary import definition_terms, definition_words

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_a_notes_listed_terms_are_told_from_their_parts():
    ind = SimpleNamespace(id="indicator/4", title="“甲乙”产业增加值占比")
    note = "1.“甲乙”产业是指新型显示、专业服务、生物医药等产业。"
    cut = {"新型显示": ["新型", "显示"], "专业服务": ["专业", "服务"], "生物医药": ["生物", "医药"]}
    listed, parts = definition_terms(ind, [note], lambda w: cut.get(w, [w]))
    assert {"新型显示", "专业服务", "生物医药"} <= listed
    assert {"显示", "专业", "生物"} <= parts and not parts & listed
    assert definition_words(ind, [note], lambda w: cut.get(w, [w])) == listed | parts


def _unit(v: dict[str, float]) -> dict[str, float]:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {w: x / n for w, x in v.items()}


def test_an_item_filed_under_a_positioning_is_not_compared_with_itself():
    vectors = {
        "a": _unit({"口岸": 1.0, "通关": 1.0}),
        "b": _unit({"口岸": 1.0, "跨境": 2.0}),
        "c": _unit({"口岸": 1.0}),
    }
    centroid: dict[str, float] = {}
    for v in vectors.values():
        for w, x in v.items():
            centroid[w] = centroid.get(w, 0.0) + x
    served = Served(frozenset(vectors), centroid)
    # Against the sum of b and c only, computed directly.
    others = {w: vectors["b"].get(w, 0.0) + vectors["c"].get(w, 0.0) for w in centroid}
    direct = sum(x * others.get(w, 0.0) for w, x in vectors["a"].items()) / math.sqrt(
        sum(x * x for x in others.values())
    )
    assert math.isclose(served.similarity("a", vectors["a"]), direct)
    # An item not filed there meets the whole sum; its shared words weigh most first.
    outside = _unit({"通关": 1.0, "跨境": 1.0})
    assert served.similarity("z", outside) > 0 and served.shared("z", outside)[0] == "跨境"
    assert served.similarity("z", {"水质": 1.0}) == 0.0 and served.shared("z", {"水质": 1.0}) == ()


def test_a_threshold_keeps_precision_and_recall_both_above_their_lines():
    from bench_alignment import _balanced

    # One plan: scores high to low, right or not. At 0.5 precision is 0.75 (under 0.8);
    # at 0.9 recall is 0.25 (under 0.5); 0.7 keeps both above (0.75 picks the same links:
    # of equal ones, the highest).
    plan = [(0.95, True), (0.85, True), (0.75, True), (0.65, False), (0.55, True), (0.45, False), (0.3, False)]
    assert _balanced([plan], 0.8, 0.5) == 0.75
    # The plan closest to a line decides.
    other = [(0.95, True), (0.7, False), (0.6, True), (0.2, True)]
    assert _balanced([plan, other], 0.5, 0.4) <= 0.7
