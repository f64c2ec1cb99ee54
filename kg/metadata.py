"""Stage 4d: plan metadata read from the text (title, period, horizon), never assumed."""

from __future__ import annotations

import re

from .textutil import join_wrapped, parse_numeral

_TITLE_IN_QUOTES = re.compile(r"《([^《》]{6,80}?(?:纲要|规划))》")
_PLAN_NUMBER = re.compile(r"第([一二三四五六七八九十]+)个五年规划|“([一二三四五六七八九十]+)五”")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*[—–\-－~至到]+\s*((?:19|20)\d{2})\s*年")
_HORIZON = re.compile(r"((?:19|20)\d{2}|二〇[一二三四五六七八九〇零]{2})\s*年远景目标")
_CN_YEAR = str.maketrans("〇零一二三四五六七八九", "00123456789")


def plan_title(preface_text: str, head_lines: list[str]) -> str | None:
    """A title line before the first heading, else the plan's own name quoted in the preface."""
    for line in head_lines[:5]:
        t = join_wrapped([line])
        if re.search(r"(规划|纲要)$", t) and "。" not in t and len(t) <= 80:
            return t
    quoted = [join_wrapped([m]) for m in _TITLE_IN_QUOTES.findall(preface_text.replace("\n", ""))]
    own = [q for q in quoted if "国民经济" in q and "建议" not in q]
    return (own or quoted or [None])[-1]


def plan_number(text: str) -> int | None:
    m = _PLAN_NUMBER.search(text)
    if not m:
        return None
    return parse_numeral(m.group(1) or m.group(2))


def period(text: str, number: int | None, table_years: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    m = _PERIOD.search(text)
    if m and 3 <= int(m.group(2)) - int(m.group(1)) <= 5:
        return int(m.group(1)), int(m.group(2))
    base, target = table_years
    if base and target and target - base == 5:
        return base + 1, target
    if number and number >= 3:
        # From the third plan on, five-year plans follow each other without gaps.
        start = 1966 + 5 * (number - 3)
        return start, start + 4
    return None, None


def horizon(text: str) -> int | None:
    m = _HORIZON.search(text)
    if not m:
        return None
    y = m.group(1).translate(_CN_YEAR)
    return int("2" + y[1:]) if y.startswith("2") else int(y)
