"""Compare an extracted plan with its hand-written reference (tests/data/references/).

Each function returns a list of mismatches as readable strings (empty: all agree), so a
failing test says what differs and a developer can print every difference at once.
Comparisons ignore whitespace and fold full-width/half-width forms (NFKC).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from kg.units import NO_UNIT

REFERENCES = Path(__file__).parent / "data" / "references"


def load(plan_id: str) -> dict:
    return json.loads((REFERENCES / f"{plan_id}.json").read_text(encoding="utf-8"))


def norm(text) -> str | None:
    if text is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def _covers(entity, line: int) -> bool:
    p = entity.provenance
    return p.line_start <= line <= p.line_end


def outline(plan, ref: dict) -> list[str]:
    got = sorted(plan.parts + plan.chapters + plan.sections, key=lambda e: e.provenance.line_start)
    want = ref["outline"]
    out = []
    for k in range(max(len(got), len(want))):
        g = got[k] if k < len(got) else None
        w = want[k] if k < len(want) else None
        gs = (g.kind, g.number, norm(g.title)) if g else None
        ws = (w["class"], w["number"], norm(w["title"])) if w else None
        if gs != ws or (g and w and g.provenance.line_start != w["line"]):
            out.append(
                f"outline #{k + 1}: got {gs} at line {g.provenance.line_start if g else '-'}, "
                f"want {ws} at line {w['line'] if w else '-'}"
            )
            if len(out) > 8:
                break
    return out


def boxes(plan, ref: dict) -> list[str]:
    want = ref["boxes"]  # a box that is an indicator table is a box too
    got = plan.boxes
    out = []
    if len(got) != len(want):
        out.append(f"boxes: got {len(got)} {[b.label for b in got]}, want {len(want)} {[b['label'] for b in want]}")
    for g, w in zip(got, want):
        if (g.label, norm(g.title)) != (w["label"], norm(w["title"])):
            out.append(f"box {w['label']}: got ({g.label}, {g.title}), want ({w['label']}, {w['title']})")
        projects = [p for p in plan.projects if p.box == g.id]
        if len(projects) != len(w["items"]):
            out.append(
                f"box {w['label']}: got {len(projects)} projects {[p.title[:10] for p in projects]}, "
                f"want {len(w['items'])} {[i[:10] for i in w['items']]}"
            )
            continue
        for p, item in zip(projects, w["items"]):
            if not norm(p.title + p.text).startswith(norm(item)[:8]):
                out.append(f"box {w['label']}: project {p.title[:20]!r} does not start like {item[:20]!r}")
    return out


_FIELDS = ("category", "group", "name", "unit", "base", "target", "annual", "nature")


def _value(v):
    return None if v is None else v.raw


def indicators(plan, ref: dict) -> list[str]:
    got = [i for i in plan.indicators]
    want = ref["indicators"]
    out = []
    if len(got) != len(want):
        out.append(f"indicators: got {len(got)}, want {len(want)}")
    for g, w in zip(got, want):
        have = {
            "category": g.category,
            "group": g.group,
            "name": g.title,
            "unit": g.unit,
            "base": _value(g.base),
            "target": _value(g.target),
            "annual": _value(g.annual),
            "nature": g.nature,
        }
        want = {**w, "unit": None if w["unit"] in NO_UNIT else w["unit"]}  # '—' prints 'no unit'
        diff = {f: (have[f], want[f]) for f in _FIELDS if norm(have[f]) != norm(want[f])}
        if g.number != w["number"]:
            diff["number"] = (g.number, w["number"])
        if not _covers(g, w["line"]):
            diff["line"] = (f"{g.provenance.line_start}-{g.provenance.line_end}", w["line"])
        if diff:
            out.append(
                f"indicator {w['number']} {w['name']}: "
                + "; ".join(f"{f} got {a!r} want {b!r}" for f, (a, b) in diff.items())
            )
    return out


def goals(plan, ref: dict) -> list[str]:
    out = []
    got = [norm(g.title) for g in plan.goals]
    want = [norm(g["title"]) for g in ref["goals"]]
    if got != want:
        out.append(f"goals: got {[g.title for g in plan.goals]}, want {[g['title'] for g in ref['goals']]}")
        return out
    for g, w in zip(plan.goals, ref["goals"]):
        stated = {t.number for t in g.targets}
        for target in w["targets"]:
            numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", target)]
            if numbers and not any(n in stated for n in numbers):
                out.append(f"goal {g.title}: target {target} not among its stated targets {sorted(stated)}")
    return out


def positionings(plan, ref: dict) -> list[str]:
    got = [norm(p.title) for p in plan.positionings]
    want = [norm(p["title"]) for p in ref["positionings"]]
    return [] if got == want else [f"positionings: got {got}, want {want}"]


def vision(plan, ref: dict) -> list[str]:
    w = ref["vision"]
    if w is None:
        return [] if plan.vision is None else [f"vision: got {plan.vision.title}, want none"]
    if plan.vision is None:
        return ["vision: got none"]
    v = plan.vision
    text = norm(v.title + v.text)
    out = []
    if (
        v.number != w["year"]
        or not _covers(v, w["line"])
        or not text.startswith(norm(w["starts"])[:6])
        and norm(w["starts"]) not in text
    ):
        out.append(
            f"vision: got {v.number} at {v.provenance.line_start} {text[:20]!r}, "
            f"want {w['year']} at {w['line']} {w['starts']!r}"
        )
    return out


def metadata(plan, ref: dict) -> list[str]:
    m = ref["metadata"]
    have = {
        "title": plan.title,
        "plan_number": plan.plan_number,
        "period": [plan.period_start, plan.period_end],
        "level": plan.level,
        "adopted": plan.adopted,
        "document_number": plan.document_number,
        "horizon": plan.horizon,
        "truncated": plan.truncated,
    }
    out = []
    for k, want in m.items():
        a, b = have[k], want
        if k in ("title", "adopted", "document_number"):
            a, b = norm(a), norm(b)
            if k == "adopted" and a and b:
                a, b = a.strip("（）()"), b.strip("（）()")
        if a != b:
            out.append(f"metadata {k}: got {have[k]!r}, want {want!r}")
    return out


CHECKS = (outline, boxes, indicators, goals, positionings, vision, metadata)


def compare(plan, ref: dict) -> dict[str, list[str]]:
    return {check.__name__: check(plan, ref) for check in CHECKS}
