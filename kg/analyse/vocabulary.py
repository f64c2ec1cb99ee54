"""What moves each of a plan's indicators, and what serves each SDG, as words to find whole
in an item's text.

An indicator's words: the driver terms of its concept (``kg/reference/indicator-drivers.csv``:
造林, 防护林 for forest coverage), the definition its table's notes give it ('“15+8”产业是指
…汽车、生物医药…', '…生产能力指煤炭、石油…'; each listed term also as the words it is made
of), and the words of its own name that say what it counts (not how: 比重, 增长 …). An SDG's
words: ``kg/reference/sdg-terms.csv``. Whether a word is too common in a plan to count alone
is decided from the plan's own items, by the scorer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.analyse.concepts import link_plan
from kg.analyse.nlp import _jieba
from kg.model import Indicator, Plan
from kg.reference import indicator_concepts, sdg_terms

# Words of an indicator's name that say how it is measured, not what it measures.
# fmt: off
MEASURE_WORDS = frozenset(
    "增长 降低 下降 提高 比例 比重 占比 比率 数量 拥有量 拥有 单位 每万人 每千人 每万人口 每千人口 人均 平均 "
    "达到 好于 以上 以下 及 综合 能力 总值 地区 全社会 城镇 常住 指数 年限 使用 调查 基本 人口 建成 劳动 年龄 "
    "价值 生产 投入 全员 地级 城市 或 类 位数 居民 可支配 年均 规模 增速 增加值 生产总值 总额".split()
)
# fmt: on
# A note defining an indicator: '1.“15+8”产业是指15个战略性产业和8个现代服务业，其中…'.
_DEFINES = re.compile(r"^\s*\d*\s*[.、．]?\s*(?P<name>.{2,30}?)(?:是指|指的是|指|包括|分为)(?P<body>.+)$", re.S)
_LIST_BREAK = re.compile(r"[、，,；;。：:（）()与和及以及等其中包括个类的之\d\s]+")


def definition_words(ind: Indicator, notes: list[str], cut: Callable[[str], list[str]] | None = None) -> set[str]:
    """The words a table note defining the indicator lists, and the words each listed term
    is made of as ``cut`` (the default dictionary) cuts it: a plan writes '旅游' and '金融'
    where the note lists '旅游休闲', '现代金融' (how common a part is, the scorer decides)."""
    listed, parts = definition_terms(ind, notes, cut)
    return listed | parts


def definition_terms(
    ind: Indicator, notes: list[str], cut: Callable[[str], list[str]] | None = None
) -> tuple[set[str], set[str]]:
    """The terms a table note defining the indicator lists ('新型显示', '专业服务'), and the
    words those terms are made of that it does not list itself ('显示', '专业'): a part is
    a broader word than the term, and the scorer weighs it apart."""
    name = re.sub(r"[*∗※“”\"]", "", ind.title)
    listed: set[str] = set()
    parts: set[str] = set()
    for note in notes:
        m = _DEFINES.match(note)
        if m and re.sub(r"[“”\"]", "", m.group("name")) in name:
            terms = {w for w in _LIST_BREAK.split(m.group("body")) if 2 <= len(w) <= 10}
            listed |= terms
            if cut is not None:
                parts |= {p for w in terms for p in name_words(ind, cut(w))}
    return listed, parts - listed


def name_words(ind: Indicator, cut: list[str]) -> set[str]:
    """The words of the indicator's name (as the default dictionary cuts it) that say what it counts."""
    return {w for w in cut if len(w) >= 2 and w not in MEASURE_WORDS and re.search(r"[\u4e00-\u9fffA-Za-z]", w)}


def indicator_vocabulary(plan: Plan) -> dict[str, frozenset[str]]:
    """Indicator id → the words that, found whole in an item, say it moves the indicator."""
    drivers = {c.slug: c.drivers for c in indicator_concepts()}
    concept_of = {m.source: m.concept for m in link_plan(plan).matches}
    own = named_words(plan)
    return {i.id: frozenset(set(drivers.get(concept_of.get(i.id, ""), ())) | own[i.id]) for i in plan.indicators}


def named_words(plan: Plan) -> dict[str, frozenset[str]]:
    """Indicator id → the words its own name and the table note defining it use: what it
    counts, in the plan's words (a part of ``indicator_vocabulary``, quick to make)."""
    jieba = _jieba()
    notes = {t.id: t.notes for t in plan.indicator_tables}
    return {
        i.id: frozenset(definition_words(i, notes.get(i.table, []), jieba.lcut) | name_words(i, jieba.lcut(i.title)))
        for i in plan.indicators
    }


def part_words(plan: Plan, vocabulary: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Indicator id -> the words of its vocabulary that are there only as parts of a term a
    table note lists (not a driver term, not a word of its name)."""
    jieba = _jieba()
    notes = {t.id: t.notes for t in plan.indicator_tables}
    drivers = {c.slug: c.drivers for c in indicator_concepts()}
    concept_of = {m.source: m.concept for m in link_plan(plan).matches}
    out = {}
    for i in plan.indicators:
        _, parts = definition_terms(i, notes.get(i.table, []), jieba.lcut)
        whole = set(drivers.get(concept_of.get(i.id, ""), ())) | name_words(i, jieba.lcut(i.title))
        out[i.id] = frozenset(w for w in parts - whole if w in vocabulary.get(i.id, ()))
    return out


def sdg_vocabulary() -> dict[str, frozenset[str]]:
    """'sdg/N' → the words of the activities that serve it."""
    return {f"sdg/{n}": frozenset(terms) for n, terms in sdg_terms().items()}


def all_words(indicators: dict[str, frozenset[str]]) -> set[str]:
    """Every vocabulary word of a plan, given its indicators' (``indicator_vocabulary``):
    the segmenter keeps them whole."""
    found: set[str] = set()
    for words in (*indicators.values(), *sdg_vocabulary().values()):
        found |= words
    return found
