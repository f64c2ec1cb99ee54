"""Stage 1: raw text -> the plan's content lines, each with its source line number and page.

Two kinds of text arrive. A PDF dump is hard-wrapped at a fixed width and carries page
markers; blank lines carry no meaning in it. A web page copied as text holds one
paragraph per line (or one table cell), blank lines and indentation that do mean
something, navigation around the plan, and bare numbers inside sentences (footnote or
page marks) that cut a line in two. Which kind a text is, is read from its line widths.

Page markers are dropped (``pages``), cut lines marked as continuing, the web page's
navigation and the notice before the title set apart (``frontmatter``), and tables of
contents dropped (``contents``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from kg.read import patterns as P
from kg.read.contents import find_toc
from kg.read.frontmatter import is_nav, plan_span
from kg.read.pages import assign, page_marker  # noqa: F401  (page_marker: part of this stage's API)
from kg.read.textutil import width

OPEN_SHARE = 0.5
# A citation mark left by an encyclopedia article: '…接受社会各界监督 [67]。'
_CITATION = re.compile(r"(?<=[\u4e00-\u9fff”）)])\s*\[\d{1,3}\](?=\s*[。，；、]|\s*$)")
_INLINE_NUMBER = re.compile(r"^\d{1,3}$")
_PREFACE = re.compile(r"^(序|前|引)\s*言$")


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the source file
    page: int | None  # the printed page; None where the text gives none
    raw: str  # the line exactly as in the file
    text: str  # stripped
    gap: int = 0  # blank lines before it in the source
    joined: bool = False  # continues the line before: a mark inside the sentence cut them apart
    indent: bool = False  # opens with a space in the source


@dataclass
class CleanText:
    """The plan's content lines, and what was set apart from them."""

    lines: list[Line]
    head: list[Line] = field(default_factory=list)  # before the text: navigation, notice, title, adoption
    toc: list[Line] = field(default_factory=list)
    wrapped: bool = True  # a hard-wrapped PDF dump (else one paragraph per line)
    paged: bool = False  # pages were read from printed markers
    title_lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, k):
        return self.lines[k]


def is_wrapped(texts: list[str]) -> bool:
    """A hard-wrapped dump breaks its prose lines mid-sentence; a web page's lines are
    whole paragraphs. Measured on lines of prose (30 columns or more, no heading): the
    share that end no sentence is 0.64–0.89 in PDF dumps and 0.0–0.35 in web pages."""
    prose = [t for t in texts if width(t) >= 30 and not P.heading(t) and not P.marked(t) and not is_nav(t)]
    if len(prose) >= 5:
        return sum(1 for t in prose if not P.ends_sentence(t)) >= OPEN_SHARE * len(prose)
    # Too little prose to tell: a page's navigation says web page; else read it as a PDF
    # dump, the stricter reading.
    return sum(1 for t in texts[:30] if is_nav(t)) < 3


def clean(text: str) -> CleanText:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    entries: list[tuple[int, str, str, int, bool]] = []  # (no, raw, text, gap, indented)
    gap = 0
    for no, raw in enumerate(raw_lines, start=1):
        t = _CITATION.sub("", raw).strip()
        if not t:
            gap += 1
            continue
        entries.append((no, raw, t, gap, raw[:1] in (" ", "\u3000", "\t", "\u2003", "\xa0")))
        gap = 0
    texts = [e[2] for e in entries]
    wrapped = is_wrapped(texts)
    pages = assign(texts, [e[4] for e in entries], wrapped)
    drop = set(pages.markers)
    joined: set[int] = set()
    if not wrapped:
        cut = _inline_numbers(texts, entries, drop)
        drop |= cut
        joined = cast(set[int], {_next_kept(k, len(texts), drop) for k in cut} - {None})
    lines = [
        Line(no, pages.page.get(i), raw, t, g, i in joined, ind)
        for i, (no, raw, t, g, ind) in enumerate(entries)
        if i not in drop
    ]
    texts = [ln.text for ln in lines]
    first = next((i for i, t in enumerate(texts) if _opens_body(t)), len(texts))
    start, title_end, body, end = plan_span(texts, first)
    head, title_lines = lines[:body], lines[start:title_end]
    content = lines[body:end]
    toc_idx = find_toc([ln.text for ln in content])
    toc = [ln for i, ln in enumerate(content) if i in toc_idx]
    if toc_idx:
        # Lines between the title and the contents, when the preface has its own heading
        # after the contents, are the web page's (a date, a summary, an app's slogan).
        first_toc = min(toc_idx)
        before = content[:first_toc]
        after = [ln for i, ln in enumerate(content) if i > first_toc and i not in toc_idx]
        if (
            before
            and not any(_PREFACE.match(ln.text) for ln in before)
            and any(_PREFACE.match(ln.text) for ln in after[:3])
        ):
            head += before
            toc_idx |= set(range(first_toc))
    content = [ln for i, ln in enumerate(content) if i not in toc_idx and ln not in head]
    warnings = list(pages.warnings)
    if len(lines) - end > 0:
        warnings.append(f"{len(lines) - end} lines of web-page navigation after the plan's text were left out")
    return CleanText(content, head, toc, wrapped, bool(pages.markers), title_lines, warnings)


def _opens_body(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return (
        P.heading(text) is not None
        or t in ("目录", "目次", "序言", "前言")
        or ((m := P.marked(text)) is not None and m[0] == "cn" and P.heading_title(m[3]) is not None)
    )


def _inline_numbers(texts: list[str], entries, markers: set[int]) -> set[int]:
    """Bare numbers of a web page that sit inside running text (footnote or page marks).

    A number between two lines of prose — each long, or one continuing the other's
    sentence — is a mark; numbers among short lines are table cells, labels, item numbers."""
    out: set[int] = set()
    for i, t in enumerate(texts):
        if i in markers or not _INLINE_NUMBER.match(t):
            continue
        prev = next((k for k in range(i - 1, -1, -1) if k not in out and k not in markers), None)
        nxt = next((k for k in range(i + 1, len(texts)) if not _INLINE_NUMBER.match(texts[k])), None)
        if prev is None or nxt is None:
            continue
        p, q = texts[prev], texts[nxt]
        if (_prose(p) or P.heading(p)) and (P.continues(q) or (_prose(q) and not P.ends_sentence(p))):
            out.add(i)
        elif _short_continuation(p, q) and not P.heading(q) and not P.marked(q):
            out.add(i)  # a number cutting a heading: '第一节 做实做优…' / '114' / '城市空间结构'
        elif _prose(p) and _prose(q) and not entries[nxt][4] and entries[prev][4]:
            out.add(i)  # the next line is not indented as a paragraph's first line is
    return out


def _prose(text: str) -> bool:
    return width(text) >= 30 or P.continues(text)


def _short_continuation(prev: str, nxt: str) -> bool:
    return bool(P.heading(prev)) and not P.ends_sentence(prev) and width(nxt) < 30


def _next_kept(k: int, n: int, drop: set[int]) -> int | None:
    return next((j for j in range(k + 1, n) if j not in drop), None)
