"""Stage 1b: which printed page each line of a PDF dump is on.

Page-number markers are footers: a marker's number is the page of the lines above it.
Decorated markers ('－ 12 －', '— 12 —', '- 12 -', '第 12 页') always count; a bare number
counts only in a hard-wrapped dump that prints no decorated ones, and only as part of a
chain rising by one at page-like intervals — a bare number is far more often a table
cell, a row number or a footnote mark. In a hard-wrapped dump a line that begins with a
space also opens a page (how some converters show a page top), if such lines are rare.

Markers pin the count of page breaks to printed numbers. A stretch of markers that
agree gives pages; a stretch that disagrees with the main one (front matter numbered on
its own, a misread number) leaves its lines without a page, with a warning. No page is
ever below 1, and text without markers (a web page) has no pages at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

_DECORATED = re.compile(r"^(?:[－—\-–‒―]+\s*(\d{1,4})\s*[－—\-–‒―]+|第\s*(\d{1,4})\s*页(?:\s*共\s*\d+\s*页)?)$")
_BARE = re.compile(r"^(\d{1,4})$")
# A page holds at least this many lines of a hard-wrapped dump.
MIN_PAGE_LINES = 5
# Lines opening with a space mark page tops only when fewer than one line in this many does.
PAGE_TOP_RARITY = 12


def decorated_marker(text: str) -> int | None:
    m = _DECORATED.match(text.strip())
    return int(m.group(1) or m.group(2)) if m else None


def page_marker(raw: str) -> int | None:
    """The number of a line that looks like a page marker (decorated or bare), else None."""
    number = decorated_marker(raw)
    if number is not None:
        return number
    m = _BARE.match(raw.strip())
    return int(m.group(1)) if m else None


@dataclass
class Pages:
    page: dict[int, int | None]  # line index (into the given lines) -> page
    markers: set[int]  # indexes of the lines that are page markers
    warnings: list[str]


def bare_chain(texts: list[str]) -> list[int]:
    """Indexes of the bare numbers that behave like page numbers: the longest chain of
    bare-number lines rising by one, each at least MIN_PAGE_LINES lines after the last,
    at intervals no more than three times apart."""
    cands = [(i, int(t)) for i, t in enumerate(texts) if _BARE.match(t)]
    best: list[list[int]] = []
    by_number: dict[int, list[int]] = {}
    for k, (i, n) in enumerate(cands):
        chain = [k]
        for j in by_number.get(n - 1, []):
            if i - cands[j][0] >= MIN_PAGE_LINES and len(best[j]) + 1 > len(chain):
                chain = best[j] + [k]
        best.append(chain)
        by_number.setdefault(n, []).append(k)
    longest = max(best, key=len, default=[])
    if len(longest) < 3:
        return []
    idx = [cands[k][0] for k in longest]
    gaps = sorted(b - a for a, b in zip(idx, idx[1:]))
    median = gaps[len(gaps) // 2]
    if gaps[0] * 3 < median or gaps[-1] > median * 3:
        return []
    return idx


def assign(texts: list[str], indented: list[bool], wrapped: bool) -> Pages:
    """Pages of lines given as stripped texts (blank lines left out), with, per line, whether
    it opens with a space in the source."""
    markers = {i for i, t in enumerate(texts) if decorated_marker(t) is not None}
    if wrapped and len(markers) < 2:
        markers |= set(bare_chain(texts))
    numbers = {i: cast(int, page_marker(texts[i])) for i in markers}  # a marker always has its number
    # A marker printed twice in a row ('— 1 —' / '— 1 —') is one page break.
    counted = {i for i in markers if not (i - 1 in markers and numbers[i - 1] == numbers[i])}
    tops = wrapped and sum(indented) * PAGE_TOP_RARITY < max(1, len(texts))
    if len(counted) < 2 and not (tops and any(indented)):
        warnings = (
            [
                f"one page marker ({texts[min(markers)]}) in {len(texts)} lines: too few to number pages, "
                f"pages left unset"
            ]
            if counted
            else []
        )
        return Pages({i: None for i in range(len(texts)) if i not in markers}, markers, warnings)
    # Relative page of every line: +1 after each marker and at each page top.
    rel: dict[int, int] = {}
    anchors: list[tuple[int, int]] = []  # (relative page, printed number)
    page, at_top = 0, True
    for i in range(len(texts)):
        if i in markers:
            if i not in counted:
                continue
            anchors.append((page, numbers[i]))
            page += 1
            at_top = True
            continue
        if tops and indented[i] and not at_top:
            page += 1
        at_top = False
        rel[i] = page
    offsets, warnings = _offsets(anchors, len(texts))
    pages = {}
    for i, r in rel.items():
        off = offsets(r)
        pages[i] = r + off if off is not None and r + off >= 1 else None
    if not anchors:
        warnings = []  # a web page: no pages to cite, nothing to warn about
    return Pages(pages, markers, warnings)


def _offsets(anchors: list[tuple[int, int]], n: int):
    """A function from relative page to offset (None: unset), and warnings."""
    if not anchors:
        return (lambda r: None), []
    # Runs of consecutive markers that agree; a lone marker disagreeing with two agreeing
    # neighbours is a misprint and dropped.
    offs = [num - r for r, num in anchors]
    keep = [k for k in range(len(anchors)) if not (0 < k < len(anchors) - 1 and offs[k - 1] == offs[k + 1] != offs[k])]
    runs: list[list[tuple[int, int]]] = []
    for k in keep:
        if runs and offs[k] == runs[-1][-1][1] - runs[-1][-1][0]:
            runs[-1].append(anchors[k])
        else:
            runs.append([anchors[k]])
    main = max(range(len(runs)), key=lambda k: (len(runs[k]), k))
    lo = min(num for _, num in runs[main])
    hi = max(num for _, num in runs[main])
    spans = []  # (first relative page, last relative page or None, offset or None)
    start = 0
    warnings = []
    for k, run in enumerate(runs):
        end = run[-1][0] if k < len(runs) - 1 else None
        off = run[0][1] - run[0][0]
        nums = [num for _, num in run]
        fits = k == main or (k < main and max(nums) < lo) or (k > main and min(nums) > hi)
        if not fits:
            warnings.append(
                f"page markers {nums[0]}–{nums[-1]} disagree with the main numbering ({lo}–{hi}): "
                f"pages left unset there (front matter numbered on its own, or a misprint)"
            )
        spans.append((start, end, off if fits else None))
        start = (end if end is not None else start) + 1

    def offset(r: int) -> int | None:
        for first, last, off in spans:
            if r >= first and (last is None or r <= last):
                return off
        return None

    return offset, warnings
