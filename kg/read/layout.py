"""Stage 2: content lines -> blocks (headings, paragraphs, 专栏 boxes, indicator tables).

A web page holds one paragraph per line: a line is a paragraph unless a mark cut it from
the line before. A PDF dump is hard-wrapped and keeps no indentation or blank-line
signal, so paragraph ends are read from the layout: a line that ends a sentence and
stops short of the full line width ends its paragraph; a full-width line ending a
sentence ends it only when the next line looks like a first line (indented, or opening
with a lead phrase). A line that opens with a comma or a closing quote never starts one.
A 专栏 box printed inside a paragraph is taken out and the paragraph rejoined around it.

Numbered lines that read as titles (`一、…`, `（一）…`, `1.…`, `1.1…`) become provisional
headings; the outline stage decides which of their kinds are outline levels.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import cast

from kg.read import patterns as P
from kg.read.blocks import Block, Box, BoxItem, Heading, Table
from kg.read.cleaning import CleanText, Line
from kg.read.tables import is_table_header, project_header, project_rows, read_table, table_header_end, table_title
from kg.read.textutil import join_wrapped, width

LEAD = re.compile(r"^[^，,。；;：:、（）()“”\s]{2,24}。")
# A web page's blank-line run this much longer than a box's own ends the box.
BOX_GAP = 3

__all__ = ["Block", "Box", "BoxItem", "Heading", "Table", "layout"]


@dataclass(frozen=True)
class Widths:
    """Full line widths of the body text and of box text (boxes use a smaller font)."""

    body: int
    box: int

    def full(self, ln: Line, in_box: bool = False) -> bool:
        return width(ln.text) >= (self.box if in_box else self.body) - 2


def measure_widths(lines: list[Line]) -> Widths:
    body: Counter[int] = Counter()
    boxed: Counter[int] = Counter()
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
    upper = Counter(ordered[len(ordered) // 2 :])
    return upper.most_common(1)[0][0]


def _is_table_title(text: str) -> bool:
    return table_title(text)


# --- the stage ---------------------------------------------------------------


def layout(text: CleanText | list[Line]) -> list[Block]:
    lines = text.lines if isinstance(text, CleanText) else list(text)
    wrapped = text.wrapped if isinstance(text, CleanText) else True
    reader = _Reader(lines, measure_widths(lines), wrapped)
    return reader.read()


class _Reader:
    def __init__(self, lines: list[Line], widths: Widths, wrapped: bool) -> None:
        self.lines = lines
        self.w = widths
        self.wrapped = wrapped
        self.blocks: list[Block] = []
        self.para: list[Line] = []
        self.resume = False  # the open paragraph was cut by a box and goes on here
        # Body paragraphs of a web page open indented (or not): what a box's lines are not.
        self.indented = (not wrapped) and sum(ln.indent for ln in lines) * 2 > len(lines)

    def flush(self) -> None:
        if self.para:
            self.blocks.append(Block("paragraph", self.para))
            self.para = []

    def read(self) -> list[Block]:
        i, n = 0, len(self.lines)
        while i < n:
            ln = self.lines[i]
            if ln.joined and self.para:
                self.para.append(ln)
                i += 1
                continue
            h = P.heading(ln.text)
            if h:
                self.flush()
                i = self._heading(i, h)
                continue
            if P.box(ln.text):
                pending = bool(self.para) and not P.ends_sentence(self.para[-1].text) and self.wrapped
                if not pending:
                    self.flush()
                i = self._box(i, pending)
                self.resume = pending
                continue
            end = table_header_end(self.lines, i)
            if end is not None:
                title_lines: list[Line] = []
                if self.para and _is_table_title(join_wrapped([x.text for x in self.para])):
                    title_lines, self.para = self.para, []
                self.flush()
                i = self._table(i, end, title_lines)
                continue
            if P.BACK_MATTER.match(ln.text) and not self.para_open():
                self.flush()
                i = self._back_matter(i)
                continue
            if P.CAPTION.match(ln.text) and not self.para_open():
                self.flush()
                self.blocks.append(Block("caption", [ln]))
                i += 1
                continue
            marked = self._marked_heading(i)
            if marked:
                self.flush()
                self.blocks.append(marked)
                i += len(marked.lines)
                continue
            if self.para and not self.resume and self._boundary(self.para[-1], ln, self._next(i)):
                self.flush()
            self.resume = False
            self.para.append(ln)
            i += 1
        self.flush()
        self.blocks.sort(key=lambda b: b.first)
        return self.blocks

    def _back_matter(self, i: int) -> int:
        """An appendix table (附表) or a glossary (名词解释) after the plan's text: kept as one
        block, read as no entity (its rows are no measures), up to the next heading."""
        j = i + 1
        while j < len(self.lines) and not P.heading(self.lines[j].text) and not P.BACK_MATTER.match(self.lines[j].text):
            j += 1
        self.blocks.append(Block("backmatter", self.lines[i:j]))
        return j

    def para_open(self) -> bool:
        """Does the open paragraph go on (its last line ends no sentence)?"""
        return bool(self.para) and self.wrapped and not P.ends_sentence(self.para[-1].text)

    def _next(self, i: int) -> Line | None:
        return self.lines[i + 1] if i + 1 < len(self.lines) else None

    def _boundary(self, prev: Line, cur: Line, nxt: Line | None, in_box: bool = False) -> bool:
        """Does a new paragraph start at ``cur``?"""
        if cur.joined or P.continues(cur.text):
            return False
        if P.DASH_ITEM.match(cur.text) or P.is_structural(cur.text):
            return True
        if not self.wrapped:
            return True  # a web page: one paragraph per line
        if len(self.para) == 1 and _only_lead(prev.text):
            return False  # '——国家清洁能源基地。' alone on its line: its body follows
        prev_ends = P.ends_sentence(prev.text)
        full = self.w.box if in_box else self.w.body
        if not prev_ends:
            # A short line that ends no sentence stands alone (a title, a caption) when it
            # opened its paragraph; inside a sentence it is a line cut short at a quote.
            return width(prev.text) < full * 0.6 and (len(self.para) <= 1 or P.ends_sentence(self.para[-2].text))
        lead = LEAD.match(cur.text)
        if P.item(cur.text) or (lead and lead.end() < len(cur.text)):
            return True
        if not self.w.full(prev, in_box):
            return True
        # Full-width line ending a sentence: new paragraph only if cur looks indented.
        return width(cur.text) <= full - 3 and not P.ends_sentence(cur.text)

    # -- headings --

    def _heading(self, i: int, h: tuple[str, int, str]) -> int:
        level, number, title = h
        used = [self.lines[i]]
        nxt = self._next(i)
        if nxt is not None and self._continues_heading(self.lines[i], nxt, i + 2):
            used.append(nxt)
            title = join_wrapped([title, nxt.text])
        marker = P.HEADING.match(self.lines[i].text)
        printed = self.lines[i].text[: marker.start(3)].strip() if marker else ""
        self.blocks.append(
            Heading(
                "heading",
                used,
                level=level,
                number=number,
                title=join_wrapped([title]),
                marker=printed.replace(" ", ""),
                style="named",
            )
        )
        return i + len(used)

    def _continues_heading(self, head: Line, cand: Line, after: int) -> bool:
        if cand.joined or P.continues(cand.text):
            return True
        if P.is_structural(cand.text) or P.item(cand.text) or P.DASH_ITEM.match(cand.text):
            return False
        if P.marked(cand.text) or P.ends_sentence(cand.text) or is_table_header(cand.text):
            return False
        if head.text.rstrip()[-1] in "，、,—":
            return True
        if not self.wrapped:
            # A web page prints a heading on one line, or wraps it as a PDF does: then its
            # second line is short and no sentence ('第一城', '现代化产业体系'); a paragraph
            # there ends in 。, a table's title names 指标 above its header.
            after_line = self.lines[after] if after < len(self.lines) else None
            return (
                width(cand.text) <= 40
                and not re.search(r"[。；;：:！？!?]", cand.text)
                and not cand.raw.startswith(("\u3000", "  "))  # indented: a paragraph
                and not table_title(cand.text)
                and not P.CAPTION.match(cand.text)
                and not (
                    after_line is not None
                    and (is_table_header(after_line.text) or after_line.joined or P.continues(after_line.text))
                )
            )
        if cand.raw.startswith(("\u3000", "  ")):
            return False  # indented as a paragraph's first line is
        after_line = self.lines[after] if after < len(self.lines) else None
        if after_line is not None and is_table_header(after_line.text):
            return False
        # A heading's second line is short and its own: the body's first line is longer or
        # ends a sentence, and the line after a title's tail opens the body.
        if after_line is not None and (after_line.joined or P.continues(after_line.text)):
            return False
        return width(cand.text) < self.w.body * 0.7

    def _marked_heading(self, i: int) -> Heading | None:
        """A numbered line that reads as a title on its own line, followed by body text."""
        ln = self.lines[i]
        m = P.marked(ln.text)
        if not m:
            return None
        kind, number, marker, rest = m
        title = P.heading_title(rest)
        if title is None or self.para_open():
            return None
        nxt = self._next(i)
        if nxt is not None and (nxt.joined or P.continues(nxt.text)):
            return None
        if self.wrapped and self.w.full(ln):
            return None  # a full line runs on: a numbered paragraph
        if (
            rest.rstrip().endswith("。")
            and kind != "decimal"
            and (nxt is None or P.marked(nxt.text) is None)
            and self.wrapped
        ):
            return None  # '（一）优化布局。' alone in a PDF dump: a lead phrase whose body follows
        return Heading("heading", [ln], level="marked", number=number, title=title, marker=marker, style=kind)

    # -- boxes --

    def _box(self, i: int, pending: bool) -> int:
        label, title = cast(tuple[str, str], P.box(self.lines[i].text))  # the caller found a box line
        box = Box("box", [self.lines[i]], label=label, title=title)
        j, n = i + 1, len(self.lines)
        label_part = re.compile(r"[0-9０-９]{1,2}(?:[-－][0-9]{1,2})?|[一二三四五六七八九十]{1,3}")
        if not label and j < n and label_part.fullmatch(self.lines[j].text):
            box.label = self.lines[j].text.translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
            box.lines.append(self.lines[j])
            j += 1
            # A web page may break a two-digit label into one digit a line: '1' / '0'.
            if j < n and re.fullmatch(r"\d", box.label) and re.fullmatch(r"\d", self.lines[j].text):
                box.label += self.lines[j].text
                box.lines.append(self.lines[j])
                j += 1
        # The title: on the label's line, or on the lines after it (a web page may break it
        # into one word a line) up to the first item, table header or text.
        title_lines: list[Line] = []
        while (
            not box.title
            and j < n
            and not self._box_item(j)
            and table_header_end(self.lines, j) is None
            and not P.is_structural(self.lines[j].text)
            and self._title_part(self.lines[j], title_lines)
        ):
            title_lines.append(self.lines[j])
            j += 1
            if self.wrapped:
                break
        if title_lines:
            box.title = join_wrapped([x.text for x in title_lines])
            box.lines += title_lines
        if not box.label and not box.title:
            # '专栏' alone with nothing that makes it a box: text after all.
            self.para.append(self.lines[i])
            return i + 1
        end = table_header_end(self.lines, j) if j < n else None
        if end is not None:
            # The genre sometimes prints the main-indicator table as a 专栏: a box still, whose
            # content is the table.
            box.form = "indicators"
            self.blocks.append(box)
            return self._table(j, end, [*box.lines], box_label=box.label, title=box.title)
        projects = project_header(self.lines, j, self.wrapped) if j < n else None
        if projects is not None:
            return self._project_table(box, j, *projects)
        current: BoxItem | None = None
        gaps: list[int] = []
        while j < n:
            ln = self.lines[j]
            if P.is_structural(ln.text) or P.CAPTION.match(ln.text):
                break
            if not self.wrapped and self._web_box_ends(box, ln, gaps):
                break
            it = self._box_item(j)
            if it:
                number, marker, rest = it
                title_part = [ln]
                while not rest and j + len(title_part) < n and len(title_part) < 5:
                    # '01' / '汽车': the title on the lines after the marker, up to the description
                    cand = self.lines[j + len(title_part)]
                    if (
                        self._box_item(j + len(title_part))
                        or P.is_structural(cand.text)
                        or (len(title_part) > 1 and not self._title_part(cand, title_part))
                    ):
                        break
                    title_part.append(cand)
                current = BoxItem(number, marker, title_part, [])
                box.items.append(current)
                box.lines += title_part
                j += len(title_part)
                gaps.append(ln.gap)
                continue
            if current is None:
                if self.wrapped and box.intro and self._box_ends_intro(box, ln, j, pending):
                    break
                box.intro.append(ln)
            else:
                if self.wrapped and self._box_ends(current, ln, j, pending):
                    break
                current.body_lines.append(ln)
            gaps.append(ln.gap)
            box.lines.append(ln)
            j += 1
        if not box.items and box.intro:
            records = _record_items(box.intro)
            if records:
                box.intro, box.items, box.columns = records
                box.form = "table"
            else:
                box.items = self._paragraph_items(box.intro)
                box.intro = []
                box.form = "paragraphs"
        self.blocks.append(box)
        return j

    def _project_table(self, box: Box, i: int, cols: list[str], j: int) -> int:
        """A box printed as a table: one project a row, its other columns kept."""
        k, n = j, len(self.lines)
        while (
            k < n
            and not P.is_structural(self.lines[k].text)
            and not P.CAPTION.match(self.lines[k].text)
            and not (self.wrapped and _looks_like_prose(self.lines[k], self.w.body))
            and not (not self.wrapped and self.indented and self.lines[k].indent)
        ):
            k += 1
        box.lines += self.lines[i:k]
        box.columns = cols
        box.form = "table"
        for number, (row, cells) in enumerate(project_rows(self.lines[j:k], cols, self.wrapped), start=1):
            box.items.append(BoxItem(number, cells.get("序号", cells.get("编号", "")), row[:1], row[1:], cells))
        self.blocks.append(box)
        return k

    def _title_part(self, ln: Line, so_far: list[Line]) -> bool:
        """Is ``ln`` (part of) a box title: short, no sentence."""
        return width(ln.text) <= 60 and not P.ends_sentence(ln.text) and "，" not in ln.text and (len(so_far) < 4)

    def _box_item(self, j: int) -> tuple[int, str, str] | None:
        it = P.item(self.lines[j].text)
        if it is None:
            return None
        return it

    def _web_box_ends(self, box: Box, ln: Line, gaps: list[int]) -> bool | list[bool]:
        """A web page shows a box's end by a longer run of blank lines than inside the box,
        or by the body's paragraph indentation, which the box's own lines lack."""
        if not gaps:
            return False
        inner = max(gaps)
        if ln.gap >= BOX_GAP and ln.gap > 2 * inner:
            return True
        if (
            inner == 0
            and len(gaps) >= 3
            and ln.gap >= 1
            and not P.item(ln.text)
            and width(ln.text) >= 60
            and P.ends_sentence(ln.text)
        ):
            return True  # a box printed without blank lines ends at the first one before a paragraph
        own_indent = [x.indent for x in box.lines[1:]]
        return self.indented and ln.indent and own_indent and not any(own_indent)

    def _paragraph_items(self, lines: list[Line]) -> list[BoxItem]:
        """A box without numbered items: each paragraph is one item."""
        paras: list[list[Line]] = []
        for ln in lines:
            if paras and (ln.joined or P.continues(ln.text) or (self.wrapped and not self._para_break(paras[-1], ln))):
                paras[-1].append(ln)
            else:
                paras.append([ln])
        return [BoxItem(k, "", p[:1], p[1:]) for k, p in enumerate(paras, start=1)]

    def _para_break(self, para: list[Line], ln: Line) -> bool:
        prev = para[-1]
        return P.ends_sentence(prev.text) and not self.w.full(prev, in_box=True)

    def _box_ends_intro(self, box: Box, ln: Line, j: int, pending: bool) -> bool:
        """A box of paragraphs (no numbered items) ends where the interrupted text resumes."""
        last = box.intro[-1]
        return pending and P.ends_sentence(last.text) and not self.w.full(last, in_box=True)

    def _box_ends(self, item: BoxItem, ln: Line, j: int, pending: bool) -> bool:
        """Is ``ln`` the body text resuming after the box rather than more of the item?"""
        # An item may be one line ('10. 苏州高新区重点发展…等。'): its title line is its last.
        last = next(reversed(item.body_lines or item.title_lines), None)
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

    # -- indicator tables --

    def _table(self, i: int, header_end: int, title_lines: list[Line], box_label: str = "", title: str = "") -> int:

        table, j = read_table(
            self.lines, i, header_end, title_lines, self.wrapped, self.w.body, box_label=box_label, title=title
        )
        self.blocks.append(table)
        return j


def _record_items(lines: list[Line]) -> tuple[list[Line], list[BoxItem], list[str]] | None:
    """A box of records, as a web page prints a table of rows with a cell a line: each record
    a name, then field labels that repeat in every record, each with its value ('人工智能' /
    '发展目标' / '到2030年…' / '重点平台' / '滨江物联网小镇…'). Short lines that head no
    record ('2个万亿级产业集群') group the records after them.
    Returns (intro lines, one item per record, columns), or None if the box is not so printed."""

    def short(t: str, most: int = 10) -> bool:
        return len(t) <= most and not re.search(r"[，,。；;：:]", t)

    counts = Counter(ln.text for ln in lines if short(ln.text))
    labels = {t for t, c in counts.items() if c >= 3}
    names = [
        k
        for k in range(len(lines) - 1)
        if short(lines[k].text, 20) and lines[k].text not in labels and lines[k + 1].text in labels
    ]
    if not labels or len(names) < 2:
        return None
    intro = lines[: names[0]]
    items: list[BoxItem] = []
    # Short lines closing the intro head the first records' group.
    cut = len(intro)
    while cut > 0 and short(intro[cut - 1].text):
        cut -= 1
    intro, group_lines = intro[:cut], intro[cut:]
    k = names[0]
    while k < len(lines):
        if k in names:
            end = next((m for m in names if m > k), len(lines))
            cells: dict[str, str] = {"名称": lines[k].text}
            if group_lines:
                cells["类别"] = join_wrapped([x.text for x in group_lines])
            body = lines[k + 1 : end]
            label: str | None = None
            value: list[Line] = []
            tail: list[Line] = []
            for ln in body + [None]:
                if ln is None or ln.text in labels:
                    if label:
                        cells[label] = join_wrapped([x.text for x in value])
                    if ln is None:
                        break
                    label, value = ln.text, []
                elif label and (not value or not short(ln.text, 20)):
                    value.append(ln)
                else:
                    tail.append(ln)  # a short line after a value: the next records' group
            items.append(BoxItem(len(items) + 1, "", [lines[k]], [x for x in body if x not in tail], cells))
            group_lines = tail or group_lines  # a group holds until the next one
            k = end
        else:
            k += 1
    return intro, items, ["名称", "类别", *sorted(labels)]


def _only_lead(text: str) -> bool:
    core = P.DASH_ITEM.sub(r"\1", text)
    m = LEAD.match(core)
    return m is not None and m.end() == len(core.rstrip())


def _looks_like_prose(ln: Line, body_width: int) -> bool:
    return width(ln.text) >= body_width * 0.8 and ("，" in ln.text or "。" in ln.text) and P.ends_sentence(ln.text)
