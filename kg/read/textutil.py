"""Small text helpers shared by the stages: display width, numerals, spacing."""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

CN_NUMERAL = "零〇一二两三四五六七八九十百千"
# Sentence-final punctuation; a line ending in one of these may end a paragraph.
TERMINAL = "。！？；：!?;"
CLOSERS = "”」』’\"'）)】"


def parse_numeral(s: str) -> int | None:
    """'十二' -> 12, '二十' -> 20, '一百零三' -> 103, '12' -> 12; None if not a numeral."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(unicodedata.normalize("NFKC", s))
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def width(s: str) -> int:
    """Display width as the PDF set it: CJK, and the quotes and dashes a Chinese font
    sets full width (east-asian 'ambiguous'), count 2; anything else 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in s)


_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def tidy(s: str) -> str:
    """Drop the spaces a PDF dump puts next to Chinese text ('实现 500亿' -> '实现500亿').

    Spaces between two non-CJK runs ('Pro Max') are kept, collapsed to one.
    """
    s = _SPACES.sub(" ", s.strip())
    out = []
    for i, ch in enumerate(s):
        if ch == " ":
            left, right = s[i - 1], s[i + 1]
            if is_cjk(left) or is_cjk(right):
                continue
        out.append(ch)
    return "".join(out)


def join_wrapped(parts: list[str]) -> str:
    """Join hard-wrapped line fragments into one string (no space inside Chinese text)."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            text += " "
        text += part
    return tidy(text)
