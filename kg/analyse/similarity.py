"""How alike two short names are, character by character: the Dice coefficient of their
character bigrams ('森林覆盖率' and '森林覆盖面积' share 森林, 林覆, 覆盖: 0.67)."""

from __future__ import annotations


def bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def bigram_dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0
