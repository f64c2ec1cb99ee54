"""What a box or project is about, as a few words: the content words of its title that are
specific in its plan. Plans are compared by them ('低空经济', '城市更新', '数据要素' recur
across cities; '建设', '工程' are in every title).

A word is generic when more than ``GENERIC_SHARE`` of the plan's titles hold it, or when it
is common in Chinese at large (jieba's dictionary counts it ``COMMON_COUNT`` times or more:
重点, 领域, 行动, 国际): decided from data, not by a list.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.analyse.alignment import STOP_WORDS
from kg.analyse.nlp import Lexicon, _jieba
from kg.model import Plan

GENERIC_SHARE = 0.04
COMMON_COUNT = 3000


def _words(title: str, lexicon: Lexicon) -> list[str]:
    out = []
    for word in lexicon.cut(title):
        for w in (word, *lexicon.term_parts.get(word, ())):
            if len(w) >= 2 and w not in STOP_WORDS and re.search(r"[\u4e00-\u9fff]", w) and w not in out:
                out.append(w)
    return out


def key_terms(plan: Plan, lexicon: Lexicon) -> dict[str, list[str]]:
    """Box and project id → the specific words of its title, in the title's order."""
    titles = [e.title for e in plan.entities()]
    df = Counter(w for t in titles for w in set(_words(t, lexicon)))
    limit = max(2, GENERIC_SHARE * len(titles))
    common = _jieba().dt.FREQ
    out = {}
    for e in plan.boxes + plan.projects:
        words = [w for w in _words(e.title, lexicon) if df[w] <= limit and common.get(w, 0) < COMMON_COUNT]
        if words:
            out[e.id] = words
    return out
