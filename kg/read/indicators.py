"""Stage 4c: indicator tables -> indicators with raw and parsed values.

The table's columns are read from its header, in printed order (类别 序号 指标 单位 属性
2025年 2030年 年均/累计 …), so a table that prints 属性 before the values reads as well
as one that prints it last. Rows are found by their printed numbers (bare, `1、` or `1.`),
which rise by one; lines between a finished row and the next number are the next rows'
category. Cells wrap inside the dump, a space may sit inside a cell as well as between
cells, and a web page prints each cell on its own line, so a row is cut as a whole: every
way of cutting its fragments into the columns is scored against what each column can hold
and how plausibly two fragments join, and the best wins. A row that fits no cut is tried as
a group of sub-rows (a group name, then each sub-row's cells, the nature printed once).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, cast

from kg.model import Indicator, IndicatorTable, Value
from kg.read import patterns as P
from kg.read.blocks import Table
from kg.read.cleaning import Line
from kg.read.provenance import provenance
from kg.read.tables import CATEGORY_COUNT, CATEGORY_MARK, HEAD_WORDS, QUALIFIER, header_cells, header_line
from kg.read.textutil import is_cjk, join_wrapped, tidy
from kg.units import KNOWN_UNITS, NO_UNIT

NATURES = ("预期性", "约束性")
_NUM = r"[-−－+]?\d+(?:\.\d+)?"
_CMP_RE = r"(?P<cmp>>=|<=|[>≥<≤＞＜≧≦])?"
_QUAL = r"(?P<q>左右|以上|以下|以内|内)?"
_MARK = r"(?P<mark>[∗*※]+)?"
_NUMERIC = re.compile(rf"^{_CMP_RE}\s*(?P<num>{_NUM})\s*{_QUAL}\s*{_MARK}$")
_RANGE = re.compile(rf"^{_CMP_RE}\s*(?P<num>{_NUM})\s*[-－—–~～至]\s*(?P<upper>{_NUM})\s*{_QUAL}\s*{_MARK}$")
_PAIR = re.compile(rf"^{_NUM}(?:\s*/\s*{_NUM})+\s*{_MARK}$")
_CUMULATIVE = re.compile(r"^[\[［【〔]\s*(?P<inner>.*?)\s*[\]］】〕]\s*(?P<mark>[∗*※]+)?$")
_DASH = re.compile(r"^[—–\-－─―/]+$")
_FIGURE_TEXT = (
    rf"{_CMP_RE.replace('?P<cmp>', '?:')}\s*{_NUM}%?(?:\s*[-－—–~～至]\s*{_NUM}%?)?\s*(?:左右|以上|以下|以内)?"
)
# A figure, then a comment after a clause mark; words of targeting, then a figure.
_FIGURE_THEN_WORDS = re.compile(rf"^(?P<figure>{_FIGURE_TEXT})\s*[,，、；;]\s*[\u4e00-\u9fff“]")
_WORDS_THEN_FIGURE = re.compile(
    rf"^(?P<words>[^\d]*?(年均增长|增长|达到|保持在|提高到|提高|控制在|降低|下降|稳定在))\s*(?P<figure>{_FIGURE_TEXT})$"
)
# The year of a figure not of the column's year, printed after it: '3.8（2024年）'.
_YEAR_NOTE = re.compile(r"\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[）)]$")
_UNIT = re.compile(
    r"^(?:[%‰]|[\u4e00-\u9fff]{1,6}(?:/[\u4e00-\u9fff]{1,4})?|[A-Za-z²³/]{1,10}|[\u4e00-\u9fff]+/[\u4e00-\u9fff]+)$"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# A real row has a dozen fragments at most; beyond this the cut search would explode.
MAX_FRAGMENTS = 40
# A cell holds at most this many fragments (a long name wrapped over a few lines); the bound
# keeps cutting a row that fits no columns from trying every split of it.
MAX_CELL_FRAGMENTS = 12
MAX_SUBROW_LINES = 4
_CMP = {"＞": ">", "＜": "<", "≧": "≥", "≦": "≤", ">=": "≥", "<=": "≤"}
# Words that open a textual target: a cell starts with them, it does not continue with them.
_TEXT_TARGET = re.compile(r"^(完成|达到|与|确保|控制|力争|不低于|不高于|保持|高于|低于|待)")

# --- the header -------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """The columns of a table, in printed order: category, number, name, unit, nature,
    note, and value columns named base, target, annual or y<year>."""

    order: tuple[str, ...]
    years: tuple[int, ...]
    labels_: tuple[str, ...] = ()

    @property
    def category(self) -> bool:
        return "category" in self.order

    @property
    def unit(self) -> bool:
        return "unit" in self.order

    @property
    def nature(self) -> bool:
        return "nature" in self.order

    @property
    def value_names(self) -> list[str]:
        return [r for r in self.order if r not in ("category", "number", "name", "unit", "nature", "note")]

    @property
    def row_roles(self) -> list[str]:
        """The cells a row prints (category and number are read apart)."""
        return [r for r in self.order if r not in ("category", "number")]

    def labels(self) -> list[str]:
        return list(self.labels_)


_LABEL = {
    "category": "类别",
    "number": "序号",
    "name": "指标",
    "unit": "单位",
    "nature": "属性",
    "note": "备注",
    "annual": "年均/累计",
}


def read_columns(header: list[Line]) -> Columns:
    tokens = [t for ln in header for t in header_cells(ln.text)]
    # '2020年' '基期值' may print as one token or two; '“十五五”目标' heads its years.
    order: list[str] = []
    labels: list[str] = []
    years: list[int] = []
    qualifiers: list[str] = []
    for tok in tokens:
        t = tok.replace(" ", "")
        y = _YEAR.match(t)
        if y:
            years.append(int(y.group(1)))
            order.append(f"year:{y.group(1)}:{t[y.end() :]}")
            labels.append(f"{y.group(1)}年")
            continue
        role = next((r for r, w in HEAD_WORDS if re.fullmatch(w, t)), None)
        if role == "annual" and order and order[-1] == "annual":
            continue
        if role and role not in order or role == "annual":
            order.append(role)
            labels.append(_LABEL[role])
        elif re.fullmatch(QUALIFIER, t):
            if order and order[-1].startswith("year:") and not order[-1].split(":")[2]:
                order[-1] += t  # '2025年' '完成值'
            else:
                qualifiers.append(t)
                order.append(f"qual:{t}")
                labels.append(t)
    named = _name_values([r for r in order if r.startswith(("year:", "qual:"))], bool(years))
    final = []
    final_labels = []
    for r, lab in zip(order, labels):
        if r.startswith(("year:", "qual:")):
            name = named.get(r)
            if name is None:
                continue
            final.append(name)
        else:
            final.append(r)
        final_labels.append(lab)
    return Columns(tuple(final), tuple(years), tuple(final_labels))


def _name_values(cols: list[str], have_years: bool) -> dict[str, str | None]:
    """Value columns -> base / target / y<year>. With years, a qualifier without a year only
    heads the years below it ('“十五五”目标' over '2030年'), so it is no column itself."""
    out: dict[str, str | None] = {}
    if have_years:
        ycols = [c for c in cols if c.startswith("year:")]
        for c in cols:
            if c.startswith("qual:"):
                out[c] = None
        said = {c: _said(c.split(":", 2)[2]) for c in ycols}
        if len(ycols) == 1:
            out[ycols[0]] = "base" if said[ycols[0]] == "base" else "target"
            return out
        for k, c in enumerate(ycols):
            out[c] = "base" if k == 0 else "target" if k == 1 else f"y{c.split(':')[1]}"
        return out
    used: set[str] = set()
    for c in cols:
        role = _said(c.split(":", 1)[1]) or ("base" if "base" not in used else "target")
        out[c] = role if role not in used else None
        used.add(role)
    return out


def _said(qualifier: str) -> str | None:
    if re.search(r"基期|完成|现状|预计|实际", qualifier):
        return "base"
    if "目标" in qualifier or "预期" in qualifier:
        return "target"
    return None


# --- values -----------------------------------------------------------------


def parse_value(raw: str, year: int | None = None) -> Value:
    raw = tidy(raw)
    inner, noted_year = _without_year_note(raw)
    v = Value(raw=raw, year=noted_year or year)
    m = _CUMULATIVE.match(inner)
    if m:
        v.cumulative = True
        inner = m.group("inner")
        v.mark = m.group("mark")
    if _DASH.match(inner) or inner == "":
        v.empty = True
        return v
    m = _NUMERIC.match(inner) or _RANGE.match(inner)
    if m is None:
        # Words beside a figure: '4.5-5,努力争取更好结果', '“十五五”年均增长5.0左右'. The figure is
        # the target; the words stay as its text.
        v.text = inner
        lead, tail = _FIGURE_THEN_WORDS.match(inner), _WORDS_THEN_FIGURE.match(inner)
        figure = lead.group("figure") if lead else tail.group("figure") if tail else None
        figure = figure.replace("%", "") if figure else None  # '力争达到5%左右': the unit is the row's
        m = _NUMERIC.match(figure) or _RANGE.match(figure) if figure else None
    if m:
        v.number = float(m.group("num").replace("−", "-").replace("－", "-"))
        if "upper" in m.groupdict() and m.group("upper"):
            v.upper = float(m.group("upper"))
        cmp = m.group("cmp")
        v.comparator = _CMP.get(cmp, cmp) if cmp else None
        v.qualifier = m.group("q")
        v.mark = v.mark or m.group("mark")
    return v


def _without_year_note(t: str) -> tuple[str, int | None]:
    """'3.8（2024年）' -> ('3.8', 2024): a figure's own year, printed after it."""
    noted = _YEAR_NOTE.search(t)
    if noted and noted.start() > 0:
        return t[: noted.start()], int(noted.group(1))
    return t, None


def _inner(cell: str) -> str:
    t, _ = _without_year_note(tidy(cell))
    m = _CUMULATIVE.match(t)
    return m.group("inner") if m else t


def _numeric(t: str) -> bool:
    return bool(_DASH.match(t) or _NUMERIC.match(t) or _RANGE.match(t) or _PAIR.match(t))


def _value_ok(cell: str) -> bool:
    t = _inner(cell)
    if _numeric(t):
        return True
    # Words may hold a figure ('提高 1 个百分点以上'), but a figure at either end is a cell of its own.
    parts = cell.split()
    return sum(1 for c in t if is_cjk(c)) >= 2 and not (_NUMERIC.match(parts[0]) or _NUMERIC.match(parts[-1]))


def _value_score(cell: str) -> int:
    return 2 if _numeric(_inner(cell)) else 0


def _unit_ok(t: str) -> bool:
    return t in NO_UNIT or t in KNOWN_UNITS or (bool(_UNIT.match(t) or _UNIT_NOTE.match(t)) and len(t) <= 8)


# A unit with a note on what it counts: '万套（间）'.
_UNIT_NOTE = re.compile(r"^[\u4e00-\u9fff]{1,4}[（(][\u4e00-\u9fff]{1,3}[）)]$")


# --- cutting a row into cells -------------------------------------------------


def _fragments(lines: list[Line]) -> list[tuple[str, str]]:
    """(separator before, fragment): ' ' inside a line, '\\n' across a line break."""
    out: list[tuple[str, str]] = []
    for ln in lines:
        for k, frag in enumerate(ln.text.split()):
            out.append((" " if k else "\n", frag))
    return out


def _join(frags: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str | None:
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


def _join_score(a: str, b: str) -> int:
    """How plausibly fragment ``b``, on the next line, continues fragment ``a`` in one cell."""
    if _TEXT_TARGET.match(b) or (b[0] in '“"' and (_numeric(_inner(a)) or a[-1].isdigit() or a[-1] in "左右上下")):
        return -2  # a new value starts
    if a[-1] in "/（(“、，," or b[0] in "/）)”、，," or re.search(r"(增长|年均|累计|达到|“[^”]*”)$", a):
        return 1
    return 0


def _cell_score(frags: list[tuple[str, str]], a: int, b: int, role: str) -> tuple[str, int] | None:
    """(cell, score) if frags[a:b] can fill ``role``, else None."""
    return _scored(tuple(frags[a:b]), role)


# The cuts of a row, of its sub-rows and of each try of its roles score the same spans
# again and again: remembered, a table parses in a third of the time.
@functools.lru_cache(maxsize=1 << 16)
def _scored(span: tuple[tuple[str, str], ...], role: str) -> tuple[str, int] | None:
    """(cell, score) if the fragments ``span`` can fill ``role``, else None."""
    cell = _join(span)
    if cell is None:
        return None
    t = tidy(cell)
    score = 0
    if role == "name":
        # A figure set off by a space ('>98.5∗') is a cell of its own; a bare count ('3 岁') may be named.
        if (
            not any(is_cjk(ch) for ch in t)
            or _NUMERIC.match(t)
            or any(s == " " and _numeric(_inner(f)) and not f.isdigit() for s, f in span[1:])
        ):
            return None
        # A figure or a nature on a line of its own is a cell, not part of the name, unless a
        # bracket is open around it ('细颗粒物（PM' / '2.5' / '）浓度').
        # A bare count inside the line may be named: '每千人拥有 3 岁以下婴幼儿托位数'.
        so_far = span[0][1]
        for k in range(1, len(span)):
            sep, f = span[k]
            counted = sep == " " and f.isdigit() and k + 1 < len(span) and is_cjk(span[k + 1][1][0])
            if tidy(f) in NATURES or (
                _numeric(_inner(f))
                and not counted
                and so_far.count("（") + so_far.count("(") <= so_far.count("）") + so_far.count(")")
            ):
                return None
            so_far += f
        score -= sum(1 for s, _ in span[1:] if s == " ")
        # A name does not end in a unit's first line ('万人次/' before '万吨').
        score -= 3 * sum(1 for s, f in span[1:] if s == "\n" and (f.endswith("/") or f in KNOWN_UNITS))
        return cell, score
    if role == "unit":
        if not _unit_ok(t):
            return None
        score += 3 if t in KNOWN_UNITS else 0
    elif role == "nature":
        if t not in NATURES:
            return None
    elif role != "note":
        if not _value_ok(cell):
            return None
        # A value wraps into words ('4.5-5,' / '努力争取') or from words into its figure
        # ('“十四五”年均增长' / '4.1'), never into a second figure or a nature.
        so_far = span[0][1]
        for _, f in span[1:]:
            if tidy(f) in NATURES or (_numeric(_inner(f)) and re.search(r"\d", so_far)):
                return None
            so_far += f
        score += _value_score(cell)
    score += sum(_join_score(span[k - 1][1], span[k][1]) for k in range(1, len(span)) if span[k][0] == "\n")
    return cell, score


def _cut(frags: list[tuple[str, str]], roles: list[str]) -> tuple[list[str], int] | None:
    """The best cut of ``frags`` into one cell per role, and its score.

    Dynamic programming over (fragments used, roles filled); among cuts of equal score the
    one with the earliest cut points wins."""
    n, c = len(frags), len(roles)
    if n < c or n > MAX_FRAGMENTS or c == 0:
        return None
    # best[r][k]: (score, cut points, cells) filling roles[:r] with frags[:k]
    best: list[dict[int, tuple[int, tuple[int, ...], list[str]]]] = [{0: (0, (), [])}]
    for r, role in enumerate(roles):
        layer: dict[int, tuple[int, tuple[int, ...], list[str]]] = {}
        last = r == c - 1
        for a, (score, cuts, cells) in sorted(best[r].items()):
            if last and n - a > MAX_CELL_FRAGMENTS:
                continue
            for b in [n] if last else range(a + 1, min(n - (c - r - 1), a + MAX_CELL_FRAGMENTS) + 1):
                got = _cell_score(frags, a, b, role)
                if got is None:
                    continue
                cand = (score + got[1], cuts + ((b,) if not last else ()), cells + [got[0]])
                old = layer.get(b)
                if old is None or cand[0] > old[0] or (cand[0] == old[0] and cand[1] < old[1]):
                    layer[b] = cand
        if not layer:
            return None
        best.append(layer)
    final = best[c].get(n)
    return (final[2], final[0]) if final else None


@dataclass
class Row:
    number: int | None
    category: str | None
    lines: list[Line]
    name: str
    unit: str | None
    cells: list[str]  # every cell as printed, in column order
    values: dict[str, str]
    nature: str | None
    group: str | None = None


def _cells(frags, cols: Columns, nature_optional: bool = False) -> tuple[dict, int] | None:
    roles = cols.row_roles
    tries = [roles]
    if nature_optional and "nature" in roles:
        tries.append([r for r in roles if r != "nature"])
    if "note" in roles:
        tries += [[r for r in rs if r != "note"] for rs in list(tries)]  # a web page prints no empty cell
    best = None
    for rs in tries:
        cut = _cut(frags, rs)
        if cut and (best is None or cut[1] > best[1]):
            best = (dict(zip(rs, cut[0])), cut[1], rs, cut[0])
    if best is None:
        return None
    cells, score, rs, ordered = best
    out: dict[str, Any] = {
        "name": tidy(cells["name"]),
        "unit": None,
        "cells": [tidy(c) for c in ordered],
        "values": {r: tidy(cells[r]) for r in rs if r in cols.value_names},
        "nature": tidy(cells["nature"]) if "nature" in cells else None,
        "note": tidy(cells["note"]) or None if "note" in cells else None,
    }
    if "unit" in cells:
        out["unit"] = None if tidy(cells["unit"]) in NO_UNIT else tidy(cells["unit"])
    else:
        # Without a unit column the unit closes the name: '常住人口城镇化率（%）'.
        m = _UNIT_IN_NAME.search(out["name"])
        if m and (m.group(1) in KNOWN_UNITS or "/" in m.group(1)):
            out["name"], out["unit"] = out["name"][: m.start()], m.group(1)
    return out, score


_UNIT_IN_NAME = re.compile(r"[（(]\s*([^（）()]{1,10}?)\s*[）)]$")


def parse_row(lines: list[Line], cols: Columns) -> dict | None:
    """Cut a row's fragments into cells; None if no cut fits the columns."""
    frags = _fragments(lines)
    number = None
    m = _ROW_START.match(frags[0][1]) if frags else None
    if m and frags:
        number = int(m.group(1))
        rest = m.group(2)
        frags = ([(frags[0][0], rest)] if rest else []) + frags[1:]
    got = _cells(frags, cols)
    if got is None:
        return None
    out = got[0]
    out["number"] = number
    return out


# --- rows ---------------------------------------------------------------------

_ROW_START = re.compile(r"^(\d{1,2})(?:\s*[、.．](?!\d)\s*(.*)|)$")
_ROW_LINE = re.compile(r"^(\d{1,2})(?:\s*[、.．](?!\d)\s*|\s+|$)(.*)$")
_CATEGORY_ROW = re.compile(r"^([\u4e00-\u9fff]{2,10})\s+(\d{1,2}(?:\s*[、.．]|\s+).*)$")
_CATEGORY_LINE = re.compile(
    rf"^(?:{CATEGORY_MARK.pattern[1:]})?(?:[\u4e00-\u9fff]{{1,10}}(?:{CATEGORY_COUNT.pattern})?|{CATEGORY_COUNT.pattern})$"
)
_SUBROW = re.compile(r"^其中\s*[:：,，]?\s*")


def _row_start(text: str, expected: int, strict: bool) -> tuple[int, str] | None:
    """(number, rest of the line) if the line opens row ``expected``. A bare number must be
    the expected one; a number with its punctuation ('3、') may also be the first row."""
    m = _ROW_LINE.match(text)
    if not m:
        return None
    n = int(m.group(1))
    punct = bool(re.match(r"^\d{1,2}\s*[、.．]", text))
    # A misprinted number ('1、' twice) still opens a row when it carries its punctuation.
    if n == expected or (punct and (strict or n <= 2)):
        rest = m.group(2).strip()
        words = rest.split()
        named_count = len(words) > 1 and words[0].isdigit() and is_cjk(words[1][0]) and words[1] not in NATURES
        if rest and (_numeric(words[0]) and not punct and not named_count):
            return None  # '2 5.5 …': a value, not a row number ('16 3 岁以下…' is one)
        return n, rest
    return None


def segment(body: list[Line], cols: Columns) -> list[tuple[str | None, list[Line], int | None]]:
    """Group body lines into (category, row lines, number)."""
    rows: list[tuple[str | None, list[Line], int | None]] = []
    category: str | None = None
    current: list[Line] | None = None
    pending: list[Line] = []  # category-like lines after a finished row
    expected = 1
    numbered = any(_row_start(ln.text, 1, False) or _CATEGORY_ROW.match(ln.text) for ln in body)
    # A table that prints each category on its row's line ('经济强  1  地区生产总值…') has
    # no category lines of its own: a short line there continues a cell ('保持同步').
    inline_categories = cols.category and any(_CATEGORY_ROW.match(ln.text) for ln in body)

    def finished() -> bool:
        return current is not None and _parsed(tuple(current), cols) is not None

    in_header = False  # inside a header repeated after a page break
    for ln in body:
        text = ln.text
        if _is_header_line(text) or (in_header and header_line(text)):
            in_header = True
            continue
        in_header = False
        m = _CATEGORY_ROW.match(text)
        if m and cols.category and (current is None or finished()):
            pending = [Line(ln.no, ln.page, ln.raw, m.group(1))]
            ln = Line(ln.no, ln.page, ln.raw, m.group(2), ln.gap, ln.joined, ln.indent)
            text = ln.text
        start = _row_start(text, expected, strict=bool(rows)) if numbered else None
        if start and (current is None or finished()):
            if pending:
                category = _category(pending)
                pending = []
            current = [ln]
            rows.append((category, current, start[0]))
            expected = start[0] + 1
            continue
        if not numbered and (current is None or finished()) and not _CATEGORY_LINE.match(text.replace(" ", "")):
            if pending:
                category = _category(pending)
                pending = []
            current = [ln]
            rows.append((category, current, None))
            continue
        if (
            _CATEGORY_LINE.match(text.replace(" ", ""))
            and text.strip() not in NATURES
            and not inline_categories
            and (current is None or finished())
            and (cols.category or current is None or CATEGORY_COUNT.search(text) or CATEGORY_MARK.match(text))
        ):
            pending.append(ln)
            continue
        if current is not None:
            current.extend(pending)
            current.append(ln)
        pending = []
    if current is not None:
        current.extend(pending)
    return rows


def _category(lines: list[Line]) -> str | None:
    text = CATEGORY_COUNT.sub("", "".join(ln.text.replace(" ", "") for ln in lines))
    return CATEGORY_MARK.sub("", text) or None


def _is_header_line(text: str) -> bool:
    """A header repeated after a page break (or a '续表' line)."""
    tokens = header_cells(text)
    return (
        header_line(text) and any(re.fullmatch(r"(?:主要)?指标(?:名称)?|序号|类别|属性", t) for t in tokens)
    ) or text.startswith("续表")


@functools.lru_cache(maxsize=256)
def _parsed(lines: tuple[Line, ...], cols: Columns) -> bool | None:
    """Whether the lines parse (cached: a row is tried again as each line joins it)."""
    return True if _parse_segment(list(lines), cols) is not None else None


def _parse_segment(lines: list[Line], cols: Columns) -> list[dict] | None:
    """One row, or a group of sub-rows; None if the lines fit neither."""
    frags = _fragments(lines)
    if frags:
        m = _ROW_START.match(frags[0][1])
        if m:
            rest = m.group(2)
            frags = ([(frags[0][0], rest)] if rest else []) + frags[1:]
    if not frags:
        return None
    # '其中：' sub-rows: the row itself, then each sub-row.
    starts = [k for k, (sep, f) in enumerate(frags) if sep == "\n" and _SUBROW.match(f) and k > 0]
    if starts:
        parts = [frags[a:b] for a, b in zip([0, *starts], [*starts, len(frags)])]
        head = _cells(parts[0], cols)
        subs = [
            _cells([(s, _SUBROW.sub("", f) if k == 0 else f) for k, (s, f) in enumerate(p) if f], cols, True)
            for p in parts[1:]
        ]
        if head and all(subs):
            out = [head[0]]
            for sub in cast(list[tuple[dict, int]], subs):  # all(subs): none is None
                sub[0]["group"] = head[0]["name"]
                sub[0]["nature"] = sub[0]["nature"] or head[0]["nature"]
                out.append(sub[0])
            return out
    single = _cells(frags, cols)
    if single:
        return [single[0]]
    return _subrows(frags, cols)


def _subrows(frags, cols: Columns) -> list[dict] | None:
    """A group name without values, then two or more sub-rows; the nature may be printed
    once for the group (after the first or the last sub-row, or on its own line)."""
    for g in range(1, min(4, len(frags))):
        group = _join(frags[:g])
        if group is None or not any(is_cjk(c) for c in group) or any(_numeric(f) for _, f in frags[:g]):
            continue
        rest = frags[g:]
        shared = None
        if cols.nature and rest and tidy(rest[-1][1]) in NATURES and rest[-1][0] == "\n":
            shared, rest = tidy(rest[-1][1]), rest[:-1]
        split = _split_subrows(rest, cols)
        if split and len(split) >= 2:
            natures = [r["nature"] for r in split if r["nature"]]
            nature = shared or (natures[0] if len(set(natures)) == 1 else None)
            for r in split:
                r["group"] = tidy(group)
                r["nature"] = r["nature"] or nature
            return split
    return None


def _split_subrows(frags, cols: Columns) -> list[dict] | None:
    """Cut ``frags`` into consecutive sub-rows starting at line breaks, best total score."""
    n = len(frags)
    # Sub-rows open lines; the first may follow the group's name on its line.
    starts = [
        k
        for k in range(n)
        if (frags[k][0] == "\n" or k == 0) and not _numeric(frags[k][1]) and tidy(frags[k][1]) not in NATURES
    ]
    best: dict[int, tuple[int, list[dict]] | None] = {n: (0, [])}
    for a in sorted(starts, reverse=True):
        options = []
        # A sub-row runs over a few lines at most: only the next few starts can end it.
        for b in ([s for s in starts if s > a] + [n])[:MAX_SUBROW_LINES]:
            tail = best.get(b)
            if tail is None:
                continue
            got = _cells(frags[a:b], cols, nature_optional=True)
            if got:
                options.append((got[1] + tail[0], [got[0], *tail[1]]))
        best[a] = max(options, key=lambda o: o[0]) if options else None
    first = best.get(0)
    if not starts or starts[0] != 0 or first is None:
        return None
    return first[1]


# --- the stage -----------------------------------------------------------------


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


def table_years(cols: Columns) -> dict[str, int | None]:
    ycols: dict[str, int | None] = {name: None for name in cols.value_names}
    ordered_years = list(cols.years)
    named = [n for n in cols.order if n in ("base", "target") or n.startswith("y")]
    for name, year in zip(named, ordered_years):
        ycols[name] = year
    for name in cols.value_names:
        if name.startswith("y") and name[1:].isdigit():
            ycols[name] = int(name[1:])
    return ycols


def extract_indicators(
    table: Table, parent_ids: dict, prefix: str = "indicator", table_id: str = "indicator-table"
) -> tuple[IndicatorTable, list[Indicator], list[str]]:
    cols = read_columns(table.header)
    own = not previous_plan_table(table.title, table.header)
    warnings: list[str] = []
    years = table_years(cols)
    indicators: list[Indicator] = []
    parsed: list[tuple[str | None, list[Line], dict]] = []
    for category, lines, number in segment(table.body, cols):
        rows = _parse_segment(lines, cols)
        if rows is None:
            warnings.append(
                f"indicator row at line {lines[0].no} does not fit the table's columns "
                f"({' '.join(cols.labels())}): {' '.join(ln.text for ln in lines)[:80]}"
            )
            continue
        sub = 0
        for row in rows:
            row["number"] = number
            sub += 1 if row.get("group") else 0
            row["sub"] = sub if row.get("group") else 0
            parsed.append((category, lines, row))
    printed = [(row["number"], row["sub"]) for _, _, row in parsed]
    # Ids follow the printed row numbers when they are unique; a misprinted table (a number
    # twice, one missing) falls back to the rows' order so ids stay unique.
    use_printed = all(n is not None for n, _ in printed) and len(set(printed)) == len(printed)
    if not use_printed and parsed and any(n is not None for n, _ in printed):
        warnings.append("the indicator table's row numbers repeat or are missing; indicator ids follow row order")
    base_year, target_year = years.get("base"), years.get("target")
    for k, (category, lines, row) in enumerate(parsed, start=1):
        ordinal = (f"{row['number']}" + (f"-{row['sub']}" if row["sub"] else "")) if use_printed else str(k)
        values = {name: parse_value(raw, years.get(name)) for name, raw in row["values"].items()}
        ind = Indicator(
            id=f"{prefix}/{ordinal}",
            kind="indicator" if own else "previous-indicator",
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
            group=row.get("group"),
            note=row.get("note"),
            extra=values,
            table=table_id,
            **parent_ids,
        )
        indicators.append(ind)
    meta = IndicatorTable(
        id=table_id,
        title=table.title,
        columns=cols.labels(),
        base_year=base_year,
        target_year=target_year,
        notes=_notes(table.notes),
        provenance=provenance(table.lines) if table.lines else None,
        box_label=table.box_label or None,
        own=own,
    )
    if not indicators:
        warnings.append(
            f"the indicator table {table.title or ''!r} at line {table.lines[0].no if table.lines else '?'} "
            f"yielded no rows: its layout was not understood"
        )
    return meta, indicators, warnings


def previous_plan_table(title: str, header: list[Line]) -> bool:
    """A table of how the previous plan's targets were met ('…完成情况'), not this plan's own."""
    text = title + " ".join(ln.text for ln in header)
    return bool(re.search(r"完成情况|实现情况|执行情况|评估", text))
