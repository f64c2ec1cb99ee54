"""Alignment: scored links from every measure and project to each strategic positioning,
goal, indicator and UN SDG.

Evidence is combined and kept: lexical similarity of the item's own text to the target
(TF-IDF cosine over jieba words), the outline (how close the item's chapter and part
are to the target: a plan groups its measures under the positioning they serve), the
indicator's own terms found in the item, and places shared with the target. Weights and
thresholds are fixed here and measured against a hand-labelled sample by
``bench/bench_alignment.py``; the tests hold the figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from kg.analyse.nlp import Lexicon, lexicon_of, plan_lexicon
from kg.model import Entity, Plan
from kg.reference import sdgs

METHOD = "plankg-align-1"


@dataclass(frozen=True)
class Weights:
    """How much each kind of evidence counts toward a link's score."""

    text: float  # the item's own text against the target's
    chapter: float  # the item's chapter (and section) against the target
    part: float  # the item's part against the target
    places: float  # places the item and the target both name
    terms: float  # the indicator's own terms found in the item

    def method(self, kind: str) -> str:
        """The recipe, as the graph records it with each link (pk:method)."""
        return (
            f"{METHOD}: {self.text} text + {self.chapter} chapter + {self.part} part + {self.places} places "
            f"+ {self.terms} indicator terms; threshold {THRESHOLDS[kind]}"
        )


WEIGHTS = {
    "positioning": Weights(text=0.40, chapter=0.35, part=0.15, places=0.10, terms=0.00),
    "goal": Weights(text=0.45, chapter=0.35, part=0.20, places=0.00, terms=0.00),
    "indicator": Weights(text=0.25, chapter=0.15, part=0.00, places=0.00, terms=0.60),
    "sdg": Weights(text=0.50, chapter=0.30, part=0.20, places=0.00, terms=0.00),
}
# Score above which a link becomes a direct pk:supports / pk:affectsIndicator triple.
# Chosen on tests/data/alignment-sample.csv (bench/bench_alignment.py prints the sweep).
# SDG links have no labelled sample: their threshold is set by hand, stricter than the goals'.
THRESHOLDS = {"positioning": 0.35, "goal": 0.25, "indicator": 0.30, "sdg": 0.50}
# Words of an indicator's name that say how it is measured, not what it measures.
_MEASURE_WORDS = {
    "增长",
    "降低",
    "下降",
    "提高",
    "比例",
    "比重",
    "占比",
    "比率",
    "数量",
    "拥有量",
    "拥有",
    "单位",
    "每万人",
    "每千人",
    "每万人口",
    "每千人口",
    "人均",
    "平均",
    "达到",
    "好于",
    "以上",
    "以下",
    "及",
    "综合",
    "能力",
    "总值",
    "地区",
    "全社会",
    "城镇",
    "常住",
    "指数",
    "年限",
    "使用",
    "调查",
    "基本",
    "人口",
    "建成",
    "劳动",
    "年龄",
    "价值",
    "生产",
    "投入",
    "全员",
    "地级",
    "城市",
    "或",
    "类",
    "位数",
    "居民",
    "可支配",
}
STOP_WORDS = {
    "的",
    "和",
    "与",
    "及",
    "等",
    "在",
    "为",
    "对",
    "以",
    "是",
    "了",
    "一批",
    "进一步",
    "全面",
    "加快",
    "推动",
    "推进",
    "加强",
    "实施",
    "建设",
    "完善",
    "提升",
    "积极",
    "大力",
    "着力",
    "持续",
    "深入",
    "坚持",
    "不断",
    "项目",
    "工程",
    "重大",
    "相关",
    "有关",
    "开展",
    "支持",
    "鼓励",
    "引导",
    "促进",
    "全市",
    "各类",
}


@dataclass(frozen=True)
class Target:
    id: str  # entity id, or 'sdg/7'
    kind: str  # positioning | goal | indicator | sdg
    title: str
    text: str


@dataclass
class Link:
    source: str
    target: str
    kind: str
    score: float
    text: float
    outline: float
    places: float
    terms: float
    method: str = METHOD
    # What the evidence is made from; written out only for the links a graph keeps.
    item_text: str = field(default="", repr=False, compare=False)
    item_words: frozenset = field(default=frozenset(), repr=False, compare=False)
    target_vector: dict = field(default_factory=dict, repr=False, compare=False)
    # Whether the link is direct, where its kind decides by a rule of its own (vertical links).
    chosen: bool | None = None

    @cached_property
    def evidence(self) -> str:
        """The words shared with the target (rarest first), and the item's sentence holding most of them."""
        v = self.target_vector
        shared = sorted(self.item_words & v.keys(), key=lambda w: (-v[w], w))[:6]
        return _evidence(self.item_text, shared)

    @property
    def above_threshold(self) -> bool:
        return self.chosen if self.chosen is not None else self.score >= THRESHOLDS[self.kind]


@dataclass
class Alignment:
    links: list[Link] = field(default_factory=list)

    def for_source(self, source: str, kind: str) -> list[Link]:
        return sorted((k for k in self.links if k.source == source and k.kind == kind), key=lambda k: -k.score)

    def top(self, source: str, kind: str) -> Link | None:
        ranked = self.for_source(source, kind)
        return ranked[0] if ranked else None


class Vectoriser:
    """TF-IDF over content words (jieba), sublinear term frequency, cosine similarity."""

    def __init__(self, tokenize, documents: list[str], parts: dict[str, list[str]] | None = None) -> None:
        self.tokenize = tokenize
        # A title the plan's dictionary keeps whole ('创新能力显著增强') also counts as the
        # words it is made of, so that it meets the texts that use them.
        self.parts = parts or {}
        self._cache: dict[str, list[str]] = {}
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(self.words(doc)))
        n = len(documents)
        self.idf = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
        self.default_idf = math.log(n + 1) + 1

    def words(self, text: str) -> list[str]:
        if text not in self._cache:
            tokens = [p for w in self.tokenize(text) for p in (w, *self.parts.get(w, ()))]
            self._cache[text] = [
                w for w in tokens if len(w) >= 2 and w not in STOP_WORDS and re.search(r"[\u4e00-\u9fffA-Za-z0-9]", w)
            ]
        return self._cache[text]

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(self.words(text))
        vec = {w: (1 + math.log(c)) * self.idf.get(w, self.default_idf) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}


def targets(plan: Plan, with_sdgs: bool = True) -> list[Target]:
    out = [Target(e.id, "positioning", e.title, e.text) for e in plan.positionings]
    out += [Target(e.id, "goal", e.title, e.text) for e in plan.goals]
    out += [Target(i.id, "indicator", i.title, "") for i in plan.indicators]
    if with_sdgs:
        out += [Target(s.id, "sdg", s.name_zh, s.statement_zh) for s in sdgs()]
    return out


def items(plan: Plan) -> list[Entity]:
    return list(plan.measures) + list(plan.projects)


def align(plan: Plan, lexicon=None, with_sdgs: bool = True) -> Alignment:
    """``lexicon``: the plan's ``kg.analyse.nlp.Lexicon`` (or its spaCy pipeline); made if not given."""

    if lexicon is None:
        lexicon = plan_lexicon(plan)
    elif not isinstance(lexicon, Lexicon):
        lexicon = lexicon_of(lexicon)
    tokenize = lexicon.cut
    find_places = lexicon.find_places
    by_id = {e.id: e for e in plan.entities()}
    box_titles = {b.id: b.title for b in plan.boxes}
    tgts = targets(plan, with_sdgs)
    sources = items(plan)

    def item_text(e: Entity) -> str:
        box = box_titles.get(getattr(e, "box", None) or "", "")
        return f"{e.title}。{e.title}。{box}。{e.text}"

    def context(entity_id: str | None, *extra: str | None) -> str:
        parts = []
        for eid in (entity_id, *extra):
            e = by_id.get(eid) if eid else None
            if e is not None:
                parts.append(f"{e.title}。{e.title}。{e.text[:300]}")
        return "。".join(parts)

    docs = [item_text(e) for e in sources] + [f"{t.title}。{t.text}" for t in tgts]
    docs += [context(c.id) for c in plan.chapters] + [context(p.id) for p in plan.parts]
    vec = Vectoriser(tokenize, docs, lexicon.term_parts)
    target_vecs = {t.id: vec.vector(f"{t.title}。{t.title}。{t.text}") for t in tgts}
    target_places = {t.id: find_places(f"{t.title}。{t.text}") for t in tgts}
    # An indicator's name is one word in the plan's own dictionary ('森林覆盖率'); its terms
    # are the sub-words search segmentation gives ('森林', '覆盖率'), weighted by rarity.
    cut = lexicon.indicator_words
    target_terms = {t.id: _terms(cut.get(t.title, [t.title]), vec) for t in tgts if t.kind == "indicator"}

    # Each target's words, for scoring a text against all targets in one pass over its own.
    postings: dict[str, list[tuple[str, float]]] = {}
    for t in tgts:
        for w, weight in target_vecs[t.id].items():
            postings.setdefault(w, []).append((t.id, weight))
    no_match = dict.fromkeys(target_vecs, 0.0)

    def text_sims(v: dict[str, float]) -> dict[str, float]:
        """Cosine of a text's vector with every target's (both are unit vectors)."""
        out = dict(no_match)
        for w, weight in v.items():
            for tid, tw in postings.get(w, ()):
                out[tid] += weight * tw
        return out

    # Items share their section's and part's context: score each context once.
    context_sims: dict[str, dict[str, float]] = {}

    def sims(text: str) -> dict[str, float]:
        if text not in context_sims:
            context_sims[text] = text_sims(vec.vector(text))
        return context_sims[text]

    term_totals = {tid: sum(key.values()) for tid, key in target_terms.items()}

    raw: list[tuple[Link, float]] = []
    for e in sources:
        text = item_text(e)
        own_sims = text_sims(vec.vector(text))
        chapter_sims = sims(context(e.chapter, e.section))
        part_sims = sims(context(e.part))
        places = find_places(text)
        words = frozenset(vec.words(text))
        for t in tgts:
            kw = WEIGHTS[t.kind]
            s_text = own_sims[t.id]
            s_chapter = chapter_sims[t.id]
            s_part = part_sims[t.id]
            tp = target_places[t.id]
            s_places = len(places & tp) / len(places | tp) if places and tp else 0.0
            key = target_terms.get(t.id, {})
            s_terms = sum(v for w, v in key.items() if w in text) / term_totals[t.id] if key else 0.0
            if t.kind == "indicator" and not key:
                s_text = 0.0  # nothing specific to match: no lexical evidence at all
            combined = (
                kw.text * s_text + kw.chapter * s_chapter + kw.part * s_part + kw.places * s_places + kw.terms * s_terms
            )
            link = Link(
                e.id,
                t.id,
                t.kind,
                0.0,
                round(s_text, 4),
                round(max(s_chapter, s_part), 4),
                round(s_places, 4),
                round(s_terms, 4),
                item_text=e.text,
                item_words=words,
                target_vector=target_vecs[t.id],
            )
            raw.append((link, combined))
    # Scores in 0-1: each kind's combined evidence over the strongest link of that kind.
    top: dict[str, float] = {}
    for link, value in raw:
        top[link.kind] = max(top.get(link.kind, 0.0), value)
    result = Alignment()
    for link, value in raw:
        link.score = round(value / top[link.kind], 4) if top[link.kind] else 0.0
        result.links.append(link)
    return result


def _terms(cut: list[str], vec: Vectoriser) -> dict[str, float]:
    """What an indicator measures, as words to look for: '森林覆盖率' -> 森林, 覆盖率 (the
    name as the default dictionary cuts it: the pipeline's knows it as one word)."""
    words = {
        w
        for w in cut
        if len(w) >= 2 and w not in _MEASURE_WORDS and w not in STOP_WORDS and re.search(r"[\u4e00-\u9fffA-Za-z]", w)
    }
    # Rare words weigh more: '覆盖率' says more than '森林' about forest cover.
    return {w: vec.idf.get(w, vec.default_idf) for w in sorted(words)}


def _evidence(text: str, shared: list[str]) -> str:
    """'森林、覆盖率 | <the sentence of the item that holds most of them>'"""
    if not shared:
        return ""
    sentences = [s for s in re.split(r"(?<=[。；！？])", text) if s.strip()] or [text]
    best = max(sentences, key=lambda s: sum(1 for w in shared if w in s))
    return "、".join(shared) + " | " + best.strip()[:160]
