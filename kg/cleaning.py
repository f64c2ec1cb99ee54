"""Stage 1: raw dump text -> content lines, each with its source line number and page.

Page-number markers are dropped; a table of contents is dropped (its headings would
otherwise duplicate the real ones). Blank lines carry no meaning in a PDF dump.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textutil import CN_NUMERAL

# '－ 2 －', '— 13 —', '- 7 -', '第 3 页', a bare page number.
_PAGE_MARKER = re.compile(
    r"^\s*(?:[－—\-–‒―]+\s*(\d{1,4})\s*[－—\-–‒―]+|第\s*(\d{1,4})\s*页(?:\s*共\s*\d+\s*页)?|(\d{1,4}))\s*$"
)
_TOC_TITLE = re.compile(r"^\s*目\s*录\s*$")
# A heading followed by dot leaders and a page number: '第一章 发展成就 ……… 3'.
_TOC_ENTRY = re.compile(r"(\.{3,}|…{1,}|·{3,}|．{3,}|-{4,}|_{4,}|\s{4,})\s*\d{1,4}\s*$")
_HEADING_START = re.compile(rf"^\s*(第[{CN_NUMERAL}\d]+[篇章节部分]|专栏|[{CN_NUMERAL}]+、)")


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the source file
    page: int
    raw: str  # the line exactly as in the file
    text: str  # stripped


def page_marker(raw: str) -> int | None:
    m = _PAGE_MARKER.match(raw)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def _is_toc_entry(text: str) -> bool:
    return bool(_TOC_ENTRY.search(text)) and bool(re.search(r"[\u4e00-\u9fff]", text))


def clean(text: str) -> list[Line]:
    """Content lines with inferred pages.

    A new page starts after a page marker or at a line that begins with a space (how
    this kind of dump shows a page top). Markers are footers: the marker's number is
    the page of the lines before it, which fixes the numbering of the whole file.
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Pass 1: relative page index of every content line; markers pin absolute numbers.
    rel: list[tuple[int, int, str]] = []  # (line no, relative page, raw)
    anchors: list[tuple[int, int]] = []  # (relative page, printed number)
    page, at_page_top = 0, True
    for no, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        number = page_marker(raw)
        if number is not None:
            anchors.append((page, number))
            page += 1
            at_page_top = True
            continue
        if raw[:1] in (" ", "\u3000", "\t") and not at_page_top:
            page += 1
        at_page_top = False
        rel.append((no, page, raw))
    offset = _page_offset(anchors)
    lines = [Line(no, p + offset, raw, raw.strip()) for no, p, raw in rel]
    return _drop_toc(lines)


def _page_offset(anchors: list[tuple[int, int]]) -> int:
    """The offset that makes most markers agree (a marker may be missing or misread)."""
    if not anchors:
        return 1
    votes: dict[int, int] = {}
    for rel_page, number in anchors:
        votes[number - rel_page] = votes.get(number - rel_page, 0) + 1
    best = max(votes.items(), key=lambda kv: (kv[1], -abs(kv[0])))[0]
    return best


def _drop_toc(lines: list[Line]) -> list[Line]:
    """Remove a table of contents: its title line and every dot-leader heading entry.

    Entries that wrap put the page number on the continuation line; a short line
    between two entries is taken as part of the table too.
    """
    toc = {i for i, ln in enumerate(lines) if _TOC_TITLE.match(ln.text)}
    entries = [i for i, ln in enumerate(lines) if _is_toc_entry(ln.text)]
    toc.update(entries)
    for a, b in zip(entries, entries[1:]):
        if b - a <= 3:
            toc.update(range(a, b))
    return [ln for i, ln in enumerate(lines) if i not in toc]
