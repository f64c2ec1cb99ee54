"""Line patterns of the genre: headings, 专栏 boxes, numbered items, table rows.

Shared by the layout and extraction stages so both read a line the same way.
"""

from __future__ import annotations

import re

from .textutil import CLOSERS, CN_NUMERAL, TERMINAL, parse_numeral

LEVELS = {"篇": "part", "章": "chapter", "节": "section"}
HEADING = re.compile(rf"^第\s*([{CN_NUMERAL}\d]+)\s*([篇章节])\s*(.*)$")
BOX = re.compile(
    r"^专\s*栏\s*([0-9０-９]+(?:\s*[-－—–‒]\s*[0-9０-９]+)?|[一二三四五六七八九十]+)(?![0-9０-９.．])\s*[:：]?\s*(.*)$"
)
# Item markers: （一） (一) （1） 1. 1． 1、 01
ITEM = re.compile(
    rf"^(?:[（(]\s*([{CN_NUMERAL}]+|\d{{1,2}})\s*[）)]|(\d{{1,2}})\s*[.．、](?!\d)|(0\d)\s+(?=\S))\s*(.*)$"
)
DASH_ITEM = re.compile(r"^[—―－-]{2}\s*(.*)$")
TABLE_ROW = re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*(.*)$")
NOTE = re.compile(r"^注\s*[:：]\s*(.*)$")


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
    if not title or title.endswith("。") or len(title) > 60 or title[0] in "，、。的是":
        return None
    return LEVELS[m.group(2)], number, title


def box(text: str) -> tuple[str, str] | None:
    """('4-1', '生态保护重大工程') for a box title line, else None."""
    m = BOX.match(text)
    if not m:
        return None
    label = re.sub(r"\s*[-－—–‒]\s*", "-", m.group(1))
    label = label.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    title = m.group(2).strip()
    if title.endswith("。"):
        return None
    return label, title


def item(text: str) -> tuple[int, str, str] | None:
    """(number, marker, rest) for a numbered item line, else None."""
    m = ITEM.match(text)
    if not m:
        return None
    raw = m.group(1) or m.group(2) or m.group(3)
    number = parse_numeral(raw)
    if number is None or number <= 0:
        return None
    marker = text[: len(text) - len(m.group(4))].strip()
    return number, marker, m.group(4).strip()


def ends_sentence(text: str) -> bool:
    """True if the text ends a sentence: '…推进。' or '…“十四五”。' or '…的通知。”'."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def is_structural(text: str) -> bool:
    return heading(text) is not None or box(text) is not None
