"""What was read: per class the count, how much of the body no entity took up, and
classes that came out empty although the text suggests them (``plankg extract --check``).

A silent zero is a bug: a plan that prints 主要指标 but yields no indicator row, or prints
专栏 but yields no box, is flagged with the line that suggests the class.
"""

from __future__ import annotations

import re

from kg.model import Plan
from kg.read.cleaning import Line

# A class, and a line of the plan's body that suggests the plan has it.
SUGGESTS = {
    "parts": re.compile(r"^第[一二三四五六七八九十]+\s*篇\s*\S"),
    "chapters": re.compile(r"^第[一二三四五六七八九十百]+\s*章\s*\S"),
    "sections": re.compile(r"^第[一二三四五六七八九十]+\s*节\s*\S"),
    "goals": re.compile(r"(主要|发展|奋斗)目标$|主要目标和|目标和主要指标"),
    "vision": re.compile(r"(2035|二〇三五)\s*年远景目标|(展望|再奋斗五年|接续奋斗)[，,]?\s*到?\s*(2035|二〇三五)年"),
    "positionings": re.compile(r"(战略|城市|发展)定位$"),
    "boxes": re.compile(r"^专\s*栏\s*[0-9一二三四五六七八九十]*"),
    "indicators": re.compile(r"主要指标$|^(类别|序号)\s+(序号\s+)?指标"),
}


def suspect_empty(plan: Plan, lines: list[Line]) -> list[str]:
    """'indicators: none read, though line 523 prints “…主要指标”' for each class that came
    out empty where a line of the body suggests it."""
    counts = plan.counts()
    out = []
    for name, rx in SUGGESTS.items():
        if counts.get(name):
            continue
        hit = next((ln for ln in lines if rx.search(ln.text.replace(" ", "").replace("\u3000", ""))), None)
        if hit is not None:
            out.append(f"{name}: none read, though line {hit.no} prints {hit.text[:30]!r}")
    return out


def coverage(plan: Plan, lines: list[Line]) -> tuple[int, list[Line]]:
    """(body lines, those that ended in no entity): a line is read when it is among the
    source lines of an entity or of an indicator table."""
    sources = [e.provenance.source for e in plan.entities()]
    sources += [t.provenance.source for t in plan.indicator_tables if t.provenance]
    read = {raw for s in sources for raw in s.split("\n")}
    return len(lines), [ln for ln in lines if ln.raw not in read]
