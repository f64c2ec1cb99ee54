"""Stage 4c: the main-indicator table -> indicators with raw and parsed values.

Cells wrap inside the dump, and a space may sit inside a cell ('与 GDP增') as well as
between cells, so a row is parsed as a whole: every way of cutting its fragments into
the table's columns is scored against what each column can hold, and the best wins.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from . import patterns as P
from .cleaning import Line
from .layout import Table
from .model import Indicator, IndicatorTable, Value
from .provenance import provenance
from .textutil import is_cjk, join_wrapped, tidy

NATURES = ("预期性", "约束性")
# Units of statistical tables in the genre; others still parse, these score higher.
KNOWN_UNITS = {
    "%", "‰", "个百分点", "百分点", "个", "件", "人", "万人", "人次", "万人次", "年", "岁", "天", "小时",
    "元", "万元", "亿元", "美元", "万美元", "亿美元", "斤", "亿斤", "万斤", "吨", "万吨", "亿吨",
    "吨标准煤", "万吨标准煤", "亿吨标准煤", "吨标煤", "万吨标煤", "亿吨标煤", "千瓦", "万千瓦", "兆瓦",
    "千瓦时", "亿千瓦时", "公里", "千米", "平方公里", "平方米", "万平方米", "亩", "万亩", "公顷",
    "立方米", "亿立方米", "万立方米", "张", "床", "所", "家", "户", "万户", "座", "套", "万套", "辆", "项",
    "部", "次", "倍", "微克/立方米", "毫克/升", "分", "级", "册",
}
_NUM = r"[-−－+]?\d+(?:\.\d+)?"
_NUMERIC = re.compile(rf"^(?P<cmp>>=|<=|[>≥<≤＞＜≧≦])?\s*(?P<num>{_NUM})\s*(?P<q>左右|以上|以下|以内|内)?$")
_CUMULATIVE = re.compile(r"^[\[［【〔]\s*(?P<inner>.*?)\s*[\]］】〕]$")
_DASH = re.compile(r"^[—–\-－─―]+$")
_UNIT = re.compile(r"^(?:[%‰]|[\u4e00-\u9fff]{1,6}(?:/[\u4e00-\u9fff]{1,4})?|[A-Za-z²³/]{1,10}|[\u4e00-\u9fff]+/[\u4e00-\u9fff]+)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# A real row has a dozen fragments at most; beyond this the cut search would explode.
MAX_FRAGMENTS = 24
_CMP = {"＞": ">", "＜": "<", "≧": "≥", "≦": "≤", ">=": "≥", "<=": "≤"}


@dataclass(frozen=True)
class Columns:
    category: bool
    unit: bool
    years: tuple[int, ...]
    annual: bool
    nature: bool

    @property
    def value_names(self) -> list[str]:
        names = ["base", "target"] if len(self.years) >= 2 else ["target"] if self.years else []
        names += [f"y{y}" for y in self.years[2:]]
        if self.annual:
            names.append("annual")
        return names

    def labels(self) -> list[str]:
        out = ["类别"] if self.category else []
        out += ["指标"] + (["单位"] if self.unit else [])
        out += [f"{y}年" for y in self.years] + (["年均/累计"] if self.annual else [])
        return out + (["属性"] if self.nature else [])


def read_columns(header: list[Line]) -> Columns:
    text = " ".join(ln.text for ln in header).replace(" ", "")
    years = tuple(int(y) for y in _YEAR.findall(" ".join(ln.text for ln in header)))
    return Columns(
        category="类别" in text,
        unit="单位" in text,
        years=years,
        annual=bool(re.search(r"年均|累计|增速|增长率", text)),
        nature="属性" in text or "性质" in text,
    )


def parse_value(raw: str, year: int | None = None) -> Value:
    raw = tidy(raw)
    v = Value(raw=raw, year=year)
    inner = raw
    m = _CUMULATIVE.match(raw)
    if m:
        v.cumulative = True
        inner = m.group("inner")
    if _DASH.match(inner) or inner == "":
        v.empty = True
        return v
    m = _NUMERIC.match(inner)
    if m:
        v.number = float(m.group("num").replace("−", "-").replace("－", "-"))
        cmp = m.group("cmp")
        v.comparator = _CMP.get(cmp, cmp) if cmp else None
        v.qualifier = m.group("q")
    else:
        v.text = inner
    return v


def _value_ok(cell: str) -> bool:
    t = tidy(cell)
    inner = _CUMULATIVE.match(t)
    t2 = inner.group("inner") if inner else t
    if _DASH.match(t2) or _NUMERIC.match(t2):
        return True
    return sum(1 for c in t2 if is_cjk(c)) >= 2 and not any(_NUMERIC.match(f) for f in cell.split())


def _value_score(cell: str) -> int:
    t = tidy(cell)
    inner = _CUMULATIVE.match(t)
    t2 = inner.group("inner") if inner else t
    return 2 if (_DASH.match(t2) or _NUMERIC.match(t2)) else 0


def _fragments(lines: list[Line]) -> list[tuple[str, str]]:
    """(separator before, fragment): ' ' inside a line, '\\n' across a line break."""
    out: list[tuple[str, str]] = []
    for ln in lines:
        for k, frag in enumerate(ln.text.split()):
            out.append((" " if k else "\n", frag))
    return out


def _join(frags: list[tuple[str, str]]) -> str | None:
    """Join fragments into one cell; None if a space sits between two Chinese characters."""
    text = frags[0][1]
    for sep, frag in frags[1:]:
        if sep == " ":
            if is_cjk(text[-1]) and is_cjk(frag[0]):
                return None
            text += " " + frag
        else:
            text += frag
    return text


def parse_row(lines: list[Line], cols: Columns) -> dict | None:
    """Cut a row's fragments into cells; None if no cut fits the columns."""
    frags = _fragments(lines)
    m = P.TABLE_ROW.match(frags[0][1]) if frags else None
    number = None
    if m:
        number = int(m.group(1))
        rest = m.group(2)
        frags = ([(frags[0][0], rest)] if rest else []) + frags[1:]
    roles = ["name"] + (["unit"] if cols.unit else []) + ["value"] * len(cols.value_names)
    roles += ["nature"] if cols.nature else []
    n, c = len(frags), len(roles)
    if n < c or n > MAX_FRAGMENTS:
        return None
    best, best_score = None, None
    for cuts in itertools.combinations(range(1, n), c - 1):
        bounds = (0, *cuts, n)
        cells, score = [], 0
        for role, a, b in zip(roles, bounds, bounds[1:]):
            cell = _join(frags[a:b])
            if cell is None:
                break
            t = tidy(cell)
            if role == "name":
                ok = any(is_cjk(ch) for ch in t) and not _NUMERIC.match(t)
                score -= sum(1 for s, _ in frags[a + 1:b] if s == " ")
            elif role == "unit":
                ok = bool(_UNIT.match(t)) and len(t) <= 8
                score += 3 if t in KNOWN_UNITS else 0
            elif role == "nature":
                ok = t in NATURES
            else:
                ok = _value_ok(cell)
                score += _value_score(cell)
            if not ok:
                break
            cells.append(cell)
        else:
            if best_score is None or score > best_score:
                best, best_score = cells, score
    if best is None:
        return None
    out = {"number": number, "name": tidy(best[0]), "unit": None, "cells": [tidy(c) for c in best]}
    k = 1
    if cols.unit:
        out["unit"] = tidy(best[1])
        k = 2
    else:
        # Without a unit column the unit closes the name: '常住人口城镇化率（%）'.
        m = _UNIT_IN_NAME.search(out["name"])
        if m and (m.group(1) in KNOWN_UNITS or "/" in m.group(1)):
            out["name"], out["unit"] = out["name"][: m.start()], m.group(1)
    out["values"] = best[k:k + len(cols.value_names)]
    out["nature"] = tidy(best[-1]) if cols.nature else None
    return out


_UNIT_IN_NAME = re.compile(r"[（(]\s*([^（）()]{1,10}?)\s*[）)]$")
_CATEGORY_ROW = re.compile(r"^([\u4e00-\u9fff]{2,10})\s+(\d{1,2}\s*[、.．].*)$")


def _rows(body: list[Line], cols: Columns) -> list[tuple[str | None, list[Line]]]:
    """Group body lines into (category, row lines)."""
    rows: list[tuple[str | None, list[Line]]] = []
    category: str | None = None
    current: list[Line] | None = None

    def complete(lines: list[Line] | None) -> bool:
        if not lines:
            return True
        last = lines[-1].text.split()[-1]
        return last in NATURES if cols.nature else False

    for k, ln in enumerate(body):
        text = ln.text
        m = _CATEGORY_ROW.match(text)
        if m and cols.category:
            category = m.group(1)
            ln = Line(ln.no, ln.page, ln.raw, m.group(2))
            text = ln.text
        if P.TABLE_ROW.match(text):
            current = [ln]
            rows.append((category, current))
            continue
        nxt = body[k + 1].text if k + 1 < len(body) else ""
        is_cat = re.fullmatch(r"[\u4e00-\u9fff]{2,10}", text.replace(" ", "")) and (
            P.TABLE_ROW.match(nxt) or _CATEGORY_ROW.match(nxt)
        )
        if is_cat and complete(current):
            category = text.replace(" ", "")
            current = None
        elif current is not None:
            current.append(ln)
    return rows


def _notes(lines: list[Line]) -> list[str]:
    notes: list[list[str]] = []
    for ln in lines:
        text = P.NOTE.sub(r"\1", ln.text).strip()
        if not text:
            continue
        if re.match(r"^\d{1,2}\s*[.．、]", text) or not notes:
            notes.append([text])
        else:
            notes[-1].append(text)
    return [join_wrapped(parts) for parts in notes]


def extract_indicators(table: Table, parent_ids: dict) -> tuple[IndicatorTable, list[Indicator], list[str]]:
    cols = read_columns(table.header)
    warnings: list[str] = []
    base_year = cols.years[0] if len(cols.years) >= 2 else None
    target_year = cols.years[1] if len(cols.years) >= 2 else (cols.years[0] if cols.years else None)
    years = {"base": base_year, "target": target_year}
    years.update({f"y{y}": y for y in cols.years[2:]})
    indicators: list[Indicator] = []
    parsed = []
    for category, lines in _rows(table.body, cols):
        row = parse_row(lines, cols)
        if row is None:
            warnings.append(f"indicator row at line {lines[0].no} does not fit the table's columns: {' '.join(ln.text for ln in lines)}")
            continue
        parsed.append((category, lines, row))
    printed = [row["number"] for _, _, row in parsed]
    # Ids follow the printed row numbers when they are unique; a misprinted table (a number
    # twice, one missing) falls back to the rows' order so ids stay unique.
    use_printed = None not in printed and len(set(printed)) == len(printed)
    if not use_printed and parsed:
        warnings.append("the indicator table's row numbers repeat or are missing; indicator ids follow row order")
    for k, (category, lines, row) in enumerate(parsed, start=1):
        ordinal = row["number"] if use_printed else k
        values = {name: parse_value(raw, years.get(name)) for name, raw in zip(cols.value_names, row["values"])}
        ind = Indicator(
            id=f"indicator/{ordinal}",
            kind="indicator",
            title=row["name"],
            text=" | ".join(row["cells"]),
            provenance=provenance(lines),
            number=row["number"],
            category=category,
            unit=row.get("unit"),
            base=values.pop("base", None),
            target=values.pop("target", None),
            annual=values.pop("annual", None),
            nature=row["nature"],
            extra=values,
            **parent_ids,
        )
        indicators.append(ind)
    meta = IndicatorTable(
        title=table.title,
        columns=cols.labels(),
        base_year=base_year,
        target_year=target_year,
        notes=_notes(table.notes),
        provenance=provenance(table.lines) if table.lines else None,
        box_label=table.box_label or None,
    )
    return meta, indicators, warnings
