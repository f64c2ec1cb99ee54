"""Stage 2: content lines -> blocks (headings, paragraphs, 专栏 boxes, the indicator table).

Hard-wrapped lines are joined into paragraphs. A PDF dump keeps no indentation or
blank-line signal, so paragraph ends are read from the layout: a line that ends a
sentence and stops short of the full line width ends its paragraph; a full-width line
ending a sentence ends it only when the next line looks like a first line (indented,
or opening with a lead phrase). A 专栏 box printed inside a paragraph is taken out and
the paragraph rejoined around it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import patterns as P
from .cleaning import Line
from .textutil import join_wrapped, width

LEAD = re.compile(r"^[^，,。；;：:、（）()“”\s]{2,24}。")


@dataclass
class Block:
    kind: str  # heading | paragraph | box | table
    lines: list[Line]

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def text(self) -> str:
        return join_wrapped([ln.text for ln in self.lines])


@dataclass
class Heading(Block):
    level: str = ""
    number: int = 0
    title: str = ""


@dataclass
class BoxItem:
    number: int
    marker: str
    title_lines: list[Line]
    body_lines: list[Line]

    @property
    def lines(self) -> list[Line]:
        return self.title_lines + self.body_lines


@dataclass
class Box(Block):
    label: str = ""
    title: str = ""
    intro: list[Line] = field(default_factory=list)
    items: list[BoxItem] = field(default_factory=list)


@dataclass
class Table(Block):
    title: str = ""
    title_lines: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)  # categories and rows, headers removed
    notes: list[Line] = field(default_factory=list)
    box_label: str = ""


@dataclass(frozen=True)
class Widths:
    """Full line widths of the body text and of box text (boxes use a smaller font)."""

    body: int
    box: int

    def full(self, ln: Line, in_box: bool = False) -> bool:
        return width(ln.text) >= (self.box if in_box else self.body) - 2


def measure_widths(lines: list[Line]) -> Widths:
    body, boxed = Counter(), Counter()
    in_box = False
    for ln in lines:
        if P.heading(ln.text):
            in_box = False
            continue
        if P.box(ln.text):
            in_box = True
            continue
        w = width(ln.text)
        if w >= 16:
            (boxed if in_box else body)[w] += 1
    body_full = _wide_mode(body) or 58
    box_full = _wide_mode(boxed) or body_full
    return Widths(body_full, max(box_full, body_full))


def _wide_mode(counts: Counter) -> int:
    """The most common width among the wider half: the full line of a wrapped text."""
    if not counts:
        return 0
    ordered = sorted(counts.elements())
    upper = Counter(ordered[len(ordered) // 2:])
    return upper.most_common(1)[0][0]


# --- table detection -------------------------------------------------------

_YEAR = re.compile(r"(19|20)\d{2}\s*年")


def is_table_header(text: str) -> bool:
    t = text.replace(" ", "")
    return ("指标" in t and (bool(_YEAR.search(text)) or "类别" in t or "单位" in t)) and not P.ends_sentence(text)


def _is_table_title(text: str) -> bool:
    return "指标" in text and not P.ends_sentence(text) and width(text) <= 60 and "，" not in text


# --- the stage ---------------------------------------------------------------


def layout(lines: list[Line]) -> list[Block]:
    widths = measure_widths(lines)
    reader = _Reader(lines, widths)
    return reader.read()


class _Reader:
    def __init__(self, lines: list[Line], widths: Widths) -> None:
        self.lines = lines
        self.w = widths
        self.blocks: list[Block] = []
        self.para: list[Line] = []
        self.resume = False  # the open paragraph was cut by a box and goes on here

    def flush(self) -> None:
        if self.para:
            self.blocks.append(Block("paragraph", self.para))
            self.para = []

    def read(self) -> list[Block]:
        i, n = 0, len(self.lines)
        while i < n:
            ln = self.lines[i]
            h = P.heading(ln.text)
            if h:
                self.flush()
                i = self._heading(i, h)
                continue
            if P.box(ln.text):
                pending = bool(self.para) and not P.ends_sentence(self.para[-1].text)
                if not pending:
                    self.flush()
                i = self._box(i, pending)
                self.resume = pending
                continue
            if is_table_header(ln.text):
                title_lines: list[Line] = []
                if self.para and _is_table_title(join_wrapped([x.text for x in self.para])):
                    title_lines, self.para = self.para, []
                self.flush()
                i = self._table(i, title_lines)
                continue
            if self.para and not self.resume and self._boundary(self.para[-1], ln, self._next(i)):
                self.flush()
            self.resume = False
            self.para.append(ln)
            i += 1
        self.flush()
        self.blocks.sort(key=lambda b: b.first)
        return self.blocks

    def _next(self, i: int) -> Line | None:
        return self.lines[i + 1] if i + 1 < len(self.lines) else None

    def _boundary(self, prev: Line, cur: Line, nxt: Line | None, in_box: bool = False) -> bool:
        """Does a new paragraph start at ``cur``?"""
        if P.DASH_ITEM.match(cur.text) or P.is_structural(cur.text):
            return True
        if len(self.para) == 1 and _only_lead(prev.text):
            return False  # '——国家清洁能源基地。' alone on its line: its body follows
        prev_ends = P.ends_sentence(prev.text)
        full = self.w.box if in_box else self.w.body
        if not prev_ends:
            # A short line that ends no sentence stands alone (a title, a caption).
            return width(prev.text) < full * 0.6
        lead = LEAD.match(cur.text)
        if P.item(cur.text) or (lead and lead.end() < len(cur.text)):
            return True
        if not self.w.full(prev, in_box):
            return True
        # Full-width line ending a sentence: new paragraph only if cur looks indented.
        return width(cur.text) <= full - 3 and not P.ends_sentence(cur.text)

    def _heading(self, i: int, h: tuple[str, int, str]) -> int:
        level, number, title = h
        used = [self.lines[i]]
        nxt = self._next(i)
        if nxt is not None and self._continues_heading(self.lines[i], nxt, i + 2):
            used.append(nxt)
            title = join_wrapped([title, nxt.text])
        self.blocks.append(Heading("heading", used, level=level, number=number, title=join_wrapped([title])))
        return i + len(used)

    def _continues_heading(self, head: Line, cand: Line, after: int) -> bool:
        if P.is_structural(cand.text) or P.item(cand.text) or P.DASH_ITEM.match(cand.text):
            return False
        if P.ends_sentence(cand.text) or is_table_header(cand.text):
            return False
        if head.text.rstrip()[-1] in "，、,—":
            return True
        after_line = self.lines[after] if after < len(self.lines) else None
        if after_line is not None and is_table_header(after_line.text):
            return False
        return width(cand.text) < self.w.body * 0.7

    # -- boxes --

    def _box(self, i: int, pending: bool) -> int:
        label, title = P.box(self.lines[i].text)
        box = Box("box", [self.lines[i]], label=label, title=title)
        j = i + 1
        n = len(self.lines)
        if not title and j < n and not P.item(self.lines[j].text) and not P.is_structural(self.lines[j].text):
            box.title = join_wrapped([self.lines[j].text])
            box.lines.append(self.lines[j])
            j += 1
        if j < n and is_table_header(self.lines[j].text):
            # The genre sometimes prints the main-indicator table as a 专栏.
            return self._table(j, [*box.lines], box_label=label, title=box.title)
        current: BoxItem | None = None
        while j < n:
            ln = self.lines[j]
            if P.is_structural(ln.text):
                break
            it = P.item(ln.text)
            if it:
                number, marker, rest = it
                current = BoxItem(number, marker, [ln], [])
                box.items.append(current)
            elif current is None:
                box.intro.append(ln)
            else:
                if self._box_ends(current, ln, j, pending):
                    break
                current.body_lines.append(ln)
            box.lines.append(ln)
            j += 1
        self.blocks.append(box)
        return j

    def _box_ends(self, item: BoxItem, ln: Line, j: int, pending: bool) -> bool:
        """Is ``ln`` the body text resuming after the box rather than more of the item?"""
        last = item.body_lines[-1] if item.body_lines else None
        if last is None or not P.ends_sentence(last.text) or self.w.full(last, in_box=True):
            return False
        if pending:
            return True  # the interrupted paragraph goes on here
        lead = LEAD.match(ln.text)
        if lead and lead.end() < len(ln.text):
            return True  # a new paragraph opening with a lead phrase: body text again
        if self.w.box - self.w.body < 6:
            return False  # box and body set alike: no layout evidence, stay in the box
        # A new paragraph wrapped at the body width is body text.
        nxt = self._next(j)
        return (
            not P.ends_sentence(ln.text)
            and width(ln.text) <= self.w.body + 2
            and nxt is not None
            and width(nxt.text) <= self.w.body + 2
            and not P.item(nxt.text)
        )

    # -- the indicator table --

    def _table(self, i: int, title_lines: list[Line], box_label: str = "", title: str = "") -> int:
        table = Table("table", [*title_lines], title_lines=title_lines, box_label=box_label)
        table.title = title or join_wrapped([x.text for x in title_lines if not P.box(x.text)])
        n = len(self.lines)
        j = i
        in_header, in_notes = True, False
        held: list[Line] = []  # header lines (first or repeated) waiting for the first row

        def release() -> None:
            # A category name printed just above the first row belongs to the body.
            tail = []
            while held and _is_category(held[-1].text):
                tail.insert(0, held.pop())
            if not table.body:
                table.header.extend(held)
            table.body.extend(tail)
            held.clear()

        while j < n:
            ln = self.lines[j]
            t = ln.text
            if P.is_structural(t) and j > i:
                break
            if in_notes:
                if not (re.match(r"^\d{1,2}\s*[.．、]", t) or not P.ends_sentence(table.notes[-1].text)):
                    break
                table.notes.append(ln)
            elif P.NOTE.match(t):
                release()
                in_notes = True
                table.notes.append(ln)
            elif P.TABLE_ROW.match(t):
                release()
                in_header = False
                table.body.append(ln)
            elif is_table_header(t) or t.startswith("续表"):
                in_header = True
                held.append(ln)
            elif in_header:
                held.append(ln)
            elif _looks_like_prose(t, self.w.body):
                break
            else:
                table.body.append(ln)
            table.lines.append(ln)
            j += 1
        release()
        self.blocks.append(table)
        return j


def _only_lead(text: str) -> bool:
    core = P.DASH_ITEM.sub(r"\1", text)
    m = LEAD.match(core)
    return bool(m) and m.end() == len(core.rstrip())


def _is_category(text: str) -> bool:
    t = text.replace(" ", "")
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,10}", t)) and t not in _HEADER_WORDS


_HEADER_WORDS = {"类别", "指标", "单位", "属性", "基期值", "目标值", "年均", "累计", "指标属性", "序号", "指标名称", "备注"}


def _looks_like_prose(text: str, body_width: int) -> bool:
    return width(text) >= body_width * 0.8 and ("，" in text or "。" in text)
