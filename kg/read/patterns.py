"""Line patterns of the genre: headings, 专栏 boxes, numbered items, table rows.

Shared by the cleaning, layout and extraction stages so all read a line the same way.
"""

from __future__ import annotations

import re

from kg.read.textutil import CLOSERS, CN_NUMERAL, TERMINAL, parse_numeral

LEVELS = {"篇": "part", "部分": "part", "章": "chapter", "节": "section"}
HEADING = re.compile(rf"^第\s*([{CN_NUMERAL}\d]+)\s*(篇|章|节|部分)\s*(.*)$")
BOX = re.compile(
    r"^专\s*栏\s*([0-9０-９]+(?:\s*[-－—–‒]\s*[0-9０-９]+)?|[一二三四五六七八九十]+)?(?![0-9０-９.．])\s*[:：]?\s*(.*)$"
)
# Item markers: （一） (一) （1） 1. 1． 1、 01
ITEM = re.compile(
    rf"^(?:[（(]\s*([{CN_NUMERAL}]+|\d{{1,2}})\s*[）)]|(\d{{1,2}})\s*[.．、](?!\d)|(0\d)(?:\s+(?=\S)|$)|(\d{{2}})$)\s*(.*)$"
)
DASH_ITEM = re.compile(r"^[—―－-]{2,3}\s*(.*)$")
TABLE_ROW = re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*(.*)$")
NOTE = re.compile(r"^(?:备\s*)?注\s*\d?\s*[:：]\s*(.*)$")
# A figure caption printed where the figure was: '图1 上海市“十五五”重点产业布局示意'.
CAPTION = re.compile(r"^(?:图|附图)\s*[0-9０-９]+(?:[-－][0-9]+)?\s+\S.{0,40}$")

# What follows the plan's text: appendix tables and a glossary.
BACK_MATTER = re.compile(r"^(附\s*表|附\s*件|附\s*录|附\s*图|名\s*词\s*解\s*释)\s*[0-9一二三四五六七八九十]{0,2}$")

# Unnamed outline markers, highest rank first (the order in which they nest in the genre).
MARKER_KINDS = ("cn", "paren", "digit", "decimal")
_UNNAMED = (
    ("decimal", re.compile(r"^(\d{1,2})\s*[.．]\s*(\d{1,2})(?![\d.．%])\s*(.*)$")),
    ("cn", re.compile(rf"^([{CN_NUMERAL}]{{1,4}})\s*、\s*(.*)$")),
    ("paren", re.compile(rf"^[（(]\s*([{CN_NUMERAL}]{{1,4}})\s*[）)]\s*(.*)$")),
    ("digit", re.compile(r"^(\d{1,2})\s*[.．、](?![\d])\s*(.*)$")),
)
# A heading title is a phrase: no sentence inside it, no clause left open at its end.
_OPEN_END = "，,、：:；;（(“《—"
MAX_TITLE = 40


def heading(text: str) -> tuple[str, int, str] | None:
    """('chapter', 9, '推进生态保护') for a heading line, else None."""
    m = HEADING.match(text)
    if not m:
        return None
    number = parse_numeral(m.group(1))
    title = m.group(3).strip()
    if number is None or number <= 0:
        return None
    # A sentence that happens to begin with 第二章 is no heading.
    if not title or title.endswith("。") or len(title) > 60 or title[0] in "，、。的是,":
        return None
    return LEVELS[m.group(2)], number, title


def marked(text: str) -> tuple[str, int, str, str] | None:
    """(kind, number, marker, rest) for a line opening with an unnamed outline marker:
    '三、提升…' -> ('cn', 3, '三、', '提升…'); '1.1增创…' -> ('decimal', 1, '1.1', '增创…')."""
    for kind, rx in _UNNAMED:
        m = rx.match(text)
        if not m:
            continue
        groups = m.groups()
        number = parse_numeral(groups[-2])
        if number is None or number <= 0:
            return None
        rest = groups[-1].strip()
        marker = text[: len(text) - len(groups[-1])].strip() if groups[-1] else text.strip()
        return kind, number, marker, rest
    return None


def heading_title(rest: str) -> str | None:
    """The title, if the rest of a marked line reads as a heading's title: a phrase of at
    most 40 characters, no sentence or clause break inside, nothing left open at its end."""
    title = rest.strip()
    if title.endswith("。"):
        title = title[:-1]
    if not title or len(title) > MAX_TITLE or title[-1] in _OPEN_END or title[0] in "，,、。；;：:）)”":
        return None
    if re.search(r"[。；;！？!?]", title) or re.search(r"\d\s+\S+\s+\d", title):
        return None  # a sentence, or table cells ('% 5.5 6左右')
    return title


def box(text: str) -> tuple[str, str] | None:
    """('4-1', '生态保护重大工程') for a box title line, else None. A bare '专栏' (its label on
    the next line, as web pages print it) gives ('', '')."""
    m = BOX.match(text)
    if not m:
        return None
    label = re.sub(r"\s*[-－—–‒]\s*", "-", m.group(1) or "")
    label = label.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    title = m.group(2).strip()
    if title.endswith("。") or (not label and title):
        return None
    return label, title


def item(text: str) -> tuple[int, str, str] | None:
    """(number, marker, rest) for a numbered item line, else None."""
    m = ITEM.match(text)
    if not m:
        return None
    raw = m.group(1) or m.group(2) or m.group(3) or m.group(4)
    number = parse_numeral(raw)
    if number is None or number <= 0:
        return None
    marker = text[: len(text) - len(m.group(5))].strip() if m.group(5) else text.strip()
    return number, marker, m.group(5).strip()


def ends_sentence(text: str) -> bool:
    """True if the text ends a sentence: '…推进。' or '…“十四五”。' or '…的通知。”'."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


# A line opening with one of these continues the sentence of the line before.
CONTINUATION = "，,、。；;：:）)”』」》!！?？%"


def continues(text: str) -> bool:
    return bool(text) and text[0] in CONTINUATION


def is_structural(text: str) -> bool:
    return heading(text) is not None or box(text) is not None
