"""Alignment: scored links from every measure and project to each strategic positioning,
goal, indicator and UN SDG — with the evidence each score rests on, in words.

Each (item, target) pair is described by named evidence (``FEATURES``): how alike the
item's own text and the target's are (TF-IDF cosine over jieba words), how alike the
item's chapter and section are, and its part (a plan files its measures under what they
serve), whether the target is the best of its kind by each, and for indicators and SDGs
the words of what moves them found whole in the item, its title, its chapter and the
headings it is filed under (a chapter titled for manufacturing serves industrial output) — a word
counts as specific only where few of the plan's items hold it, so a word common in the
plan (发展, 网络, 能源 in an energy city) is never evidence alone. A logistic model per kind
of target turns the evidence into a probability: a score of 0.8 is right about eight
times in ten. Its weights and the thresholds of direct links (``kg.analyse.fitted``) are
fitted on one half of two hand-labelled plans and measured on the other half by
``bench/bench_alignment.py``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from kg.analyse import fitted
from kg.analyse.nlp import Lexicon, _jieba, lexicon_of, plan_lexicon
from kg.analyse.vocabulary import all_words, indicator_vocabulary, part_words, sdg_vocabulary
from kg.model import Entity, Plan
from kg.reference import sdgs

METHOD = "plankg-align-2"
KINDS = ("positioning", "goal", "indicator", "sdg")
# A vocabulary word is specific in a plan when at most this share of its items hold it.
SPECIFIC_SHARE = 0.08
# A vocabulary word the plan's own headings may name a target by: at most this share of its
# items hold it (产业, 服务, 发展 fall out; 制造业, 旅游, 海洋 stay, in most plans).
BROAD_SHARE = 0.25
# The evidence each kind of link is scored by (kg.analyse.fitted holds their weights).
# fmt: off
FEATURES: dict[str, tuple[str, ...]] = {
    "positioning": ("text", "chapter", "part", "text_rel", "chapter_rel", "part_rel", "best_chapter", "best_part",
                    "blend_rel", "served", "served_rel", "filed"),
    "goal": ("text", "chapter", "part", "text_rel", "chapter_rel", "part_rel", "best_chapter", "best_part",
             "blend_rel"),
    "indicator": ("text", "text_rel", "hits", "chapter_hits", "title_hits", "hit_rarity", "best_hits", "hits_rel",
                  "own_hits", "chapter_share", "common_hits", "heading_hits", "title_terms", "hits_share", "density",
                  "part_hits", "listed_hits"),
    "sdg": ("text", "chapter", "part", "text_rel", "chapter_rel", "hits", "chapter_hits", "hit_rarity", "title_hits",
            "density", "hits_rel", "best_hits", "own_hits", "chapter_share"),
}
# fmt: on
# Which evidence a feature is, as a reader is told it.
GROUP = {
    "text": "words",
    "text_rel": "words",
    "chapter": "outline",
    "part": "outline",
    "chapter_rel": "outline",
    "part_rel": "outline",
    "best_chapter": "outline",
    "best_part": "outline",
    "hits": "terms",
    "chapter_hits": "outline",
    "title_hits": "terms",
    "hit_rarity": "terms",
    "best_hits": "terms",
    "hits_rel": "terms",
    "density": "terms",
    "blend_rel": "outline",
    "own_hits": "terms",
    "chapter_share": "outline",
    "common_hits": "terms",
    "heading_hits": "outline",
    "title_terms": "terms",
    "hits_share": "outline",
    "part_hits": "terms",
    "listed_hits": "terms",
    "served": "usage",
    "filed": "outline",
    "served_rel": "usage",
}
# A unit of the outline names the target its heading and text are most alike to (cosine at
# least this, and this many times the runner-up's).
NAMES_SIMILARITY = 0.25
NAMES_MARGIN = 1.5
# An enumeration of at least this many words names each in passing.
LIST_LENGTH = 4
# The kinds of target the plan's outline names (parts and chapters titled for them).
SERVED = ("positioning",)
THRESHOLDS = fitted.THRESHOLDS
# Every item keeps its best link of these kinds in the graph, whatever its score.
ALWAYS_BEST = ("positioning", "goal")

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
class Weights:
    """How much each kind of evidence counts (for a kind of link scored by a fixed recipe,
    as the vertical alignment is)."""

    text: float  # the item's own text against the target's
    chapter: float  # the item's chapter (and section) against the target
    part: float  # the item's part against the target
    places: float  # places the item and the target both name
    terms: float  # the target's own words found in the item


@dataclass(frozen=True)
class Evidence:
    """One reason of a score: which evidence, what it is, how much it moved the score."""

    group: str  # outline | words | terms | places | usage
    detail: str  # '第十章 加强全要素生态保护修复', '造林、防护林'
    weight: float  # its share of the log-odds (model units; positive raises the score)


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
    text: float  # cosine of the item's text and the target's
    outline: float  # the best cosine of the item's chapter (and section) or part and the target
    places: float
    terms: float  # how many of the target's specific words the item holds
    method: str = METHOD
    reasons: tuple[Evidence, ...] = ()
    # What the evidence sentence is made from; written out only for the links a graph keeps.
    item_text: str = field(default="", repr=False, compare=False)
    item_words: frozenset = field(default=frozenset(), repr=False, compare=False)
    target_vector: dict = field(default_factory=dict, repr=False, compare=False)
    # Whether the link is direct, where its kind decides by a rule of its own (vertical links).
    chosen: bool | None = None

    @cached_property
    def evidence(self) -> str:
        """Why, in words: the reasons that raised the score most, then the item's sentence
        holding the target's words ('章节：第十章 … (+2.1)；用词：造林、防护林 (+1.3) | …')."""
        v = self.target_vector
        shared = sorted(self.item_words & v.keys(), key=lambda w: (-v[w], w))[:6]
        if not self.reasons:
            return _evidence(self.item_text, shared)
        names = {"outline": "章节", "words": "文本", "terms": "用词", "places": "地名", "usage": "章节用词"}
        told = [f"{names[r.group]}：{r.detail} ({r.weight:+.1f})" for r in self.reasons if r.detail]
        words = [w for r in self.reasons if r.group == "terms" for w in r.detail.split("、")] or shared
        sentence = _sentence(self.item_text, words)
        return "；".join(told) + (f" | {sentence}" if sentence else "")

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


def vocabulary_lexicon(plan: Plan) -> Lexicon:
    """The plan's lexicon with the vocabulary of its indicators and of the SDGs kept whole
    (the indicator vocabulary, computed once, travels with it to the scorer)."""
    vocabulary = indicator_vocabulary(plan)
    lexicon = plan_lexicon(plan, all_words(vocabulary))
    lexicon.indicator_vocabulary = vocabulary
    return lexicon


@dataclass
class Pair:
    """One item against one target: its evidence, named, and what the reader is told of it."""

    source: str
    target: str
    kind: str
    values: dict[str, float]
    hit_words: tuple[str, ...]
    chapter_title: str
    text: float
    outline: float
    # The words the item shares with the items filed under the outline naming the target.
    usage_words: tuple[str, ...] = ()


def pairs(plan: Plan, lexicon: Lexicon | None = None, with_sdgs: bool = True) -> tuple[list[Pair], dict]:
    """The evidence of every (item, target) pair of the plan, and what evidence sentences
    need (each item's text and words, each target's vector)."""
    lexicon = lexicon or vocabulary_lexicon(plan)
    by_id = {e.id: e for e in plan.entities()}
    box_titles = {b.id: b.title for b in plan.boxes}
    tgts = targets(plan, with_sdgs)
    sources = items(plan)

    def item_text(e: Entity) -> str:
        box = box_titles.get(getattr(e, "box", None) or "", "")
        return f"{e.title}。{e.title}。{box}。{e.text}"

    def context(*ids: str | None) -> str:
        parts = [by_id[eid] for eid in ids if eid and eid in by_id]
        return "。".join(f"{e.title}。{e.title}。{e.text[:300]}" for e in parts)

    indicator_vocab = lexicon.indicator_vocabulary or indicator_vocabulary(plan)
    vocab = {**indicator_vocab, **(sdg_vocabulary() if with_sdgs else {})}
    partial = part_words(plan, indicator_vocab)
    docs = [item_text(e) for e in sources] + [f"{t.title}。{t.text}" for t in tgts]
    docs += [context(c.id) for c in plan.chapters] + [context(p.id) for p in plan.parts]
    vec = Vectoriser(lexicon.cut, docs, {**_vocabulary_parts(vocab), **lexicon.term_parts})
    target_vecs = {t.id: vec.vector(f"{t.title}。{t.title}。{t.text}") for t in tgts}
    item_words = {e.id: frozenset(vec.words(item_text(e))) for e in sources}
    # A word is specific where few of the plan's items hold it: decided by the plan itself.
    df = Counter(w for words in item_words.values() for w in words)
    limit = SPECIFIC_SHARE * max(len(sources), 1)
    specific = {tid: frozenset(w for w in vocab.get(tid, ()) if df.get(w, 0) <= limit) for tid in target_vecs}
    common = {tid: frozenset(vocab.get(tid, ())) - specific[tid] for tid in target_vecs}
    broad_limit = BROAD_SHARE * max(len(sources), 1)
    broad = {tid: frozenset(w for w in vocab.get(tid, ()) if df.get(w, 0) <= broad_limit) for tid in target_vecs}
    # A word in the vocabulary of one target of its kind alone names it (林草 names both forest and grassland).
    kind_of = {t.id: t.kind for t in tgts}
    # The sub-rows of one indicator row (24-1, 24-2) are one target here.
    row = {tid: tid.split("-")[0] for tid in specific}
    row_kind = {r: kind_of[tid] for tid, r in row.items()}
    holders = Counter((row_kind[r], w) for r in sorted(row_kind) for w in _row_words(r, row, specific))
    unique = {tid: frozenset(w for w in ws if holders[(kind_of[tid], w)] == 1) for tid, ws in specific.items()}
    # How many of the other items of an item's chapter hold the target's words: a chapter
    # whose items keep naming what moves an indicator serves it (the plan's own grouping).
    hit_by_chapter: Counter[tuple[str, str]] = Counter()
    in_chapter: Counter[str] = Counter(e.chapter or "" for e in sources)
    for e in sources:
        for tid, ws in specific.items():
            if ws and item_words[e.id] & ws:
                hit_by_chapter[(e.chapter or "", tid)] += 1

    # How the plan speaks of each positioning: the words of the items filed under the parts,
    # chapters and sections that name it (a positioning has no vocabulary of its own).
    item_vectors = {e.id: vec.vector(item_text(e)) for e in sources}
    served = {
        tid: v
        for kind in SERVED
        for tid, v in _outline_vocabulary(
            plan, [t for t in tgts if t.kind == kind], sources, vec, item_words, item_vectors
        ).items()
    }

    postings: dict[str, list[tuple[str, float]]] = {}
    for t in tgts:
        for w, weight in target_vecs[t.id].items():
            postings.setdefault(w, []).append((t.id, weight))

    def sims(v: dict[str, float]) -> dict[str, float]:
        out = dict.fromkeys(target_vecs, 0.0)
        for w, weight in v.items():
            for tid, tw in postings.get(w, ()):
                out[tid] += weight * tw
        return out

    cached: dict[str, dict[str, float]] = {}
    cached_words: dict[str, frozenset[str]] = {}

    def context_sims(text: str) -> dict[str, float]:
        if text not in cached:
            cached[text] = sims(vec.vector(text))
            cached_words[text] = frozenset(vec.words(text))
        return cached[text]

    kinds = [k for k in KINDS if any(t.kind == k for t in tgts)]
    out: list[Pair] = []
    for e in sources:
        words = item_words[e.id]
        title_words = frozenset(vec.words(f"{e.title}。{box_titles.get(getattr(e, 'box', None) or '', '')}"))
        chapter_text, part_text = context(e.chapter, e.section), context(e.part)
        own, chapter, part = sims(vec.vector(item_text(e))), context_sims(chapter_text), context_sims(part_text)
        chapter_words = cached_words[chapter_text]
        # The headings the item is filed under: its chapter's and section's titles.
        heading_words = frozenset(vec.words("。".join(by_id[h].title for h in (e.chapter, e.section) if h in by_id)))
        chapter_title = by_id[e.chapter].title if e.chapter in by_id else ""
        # Words the item names only inside a long enumeration ('A、B、C、D'): in passing.
        clauses = [c for c in re.split(r"[。；！？，：,;]", e.text) if c.strip()]
        in_lists = {w for c in clauses if c.count("、") >= LIST_LENGTH - 1 for w in vec.words(c)}
        elsewhere = {w for c in clauses if c.count("、") < LIST_LENGTH - 1 for w in vec.words(c)} | title_words
        passing = frozenset(in_lists - elsewhere)
        like = {tid: v.similarity(e.id, item_vectors[e.id]) for tid, v in served.items()}
        most_like = {k: max((x for tid, x in like.items() if kind_of[tid] == k), default=0.0) or 1.0 for k in SERVED}
        for kind in kinds:
            of_kind = [t for t in tgts if t.kind == kind]
            top = [max(s[t.id] for t in of_kind) or 1.0 for s in (own, chapter, part)]
            # The three together, as a reader weighs them (0.45 text, 0.35 chapter, 0.2 part).
            blend = {t.id: 0.45 * own[t.id] + 0.35 * chapter[t.id] + 0.2 * part[t.id] for t in of_kind}
            blend_top = max(blend.values()) or 1.0
            best = [_best(of_kind, s) for s in (chapter, part)]
            hits = {t.id: words & specific[t.id] for t in of_kind}
            most = max((len(h) for h in hits.values()), default=0)
            for t in of_kind:
                h = hits[t.id]
                peers = in_chapter[e.chapter or ""] - 1
                share = (hit_by_chapter[(e.chapter or "", t.id)] - bool(h)) / peers if peers > 0 else 0.0
                values = {
                    "text": own[t.id], "chapter": chapter[t.id], "part": part[t.id],
                    "text_rel": own[t.id] / top[0], "chapter_rel": chapter[t.id] / top[1],
                    "part_rel": part[t.id] / top[2], "best_chapter": float(best[0] == t.id),
                    "best_part": float(best[1] == t.id), "hits": math.log1p(len(h)),
                    "chapter_hits": math.log1p(len(chapter_words & specific[t.id])),
                    "title_hits": math.log1p(len(title_words & specific[t.id])),
                    "hit_rarity": max((vec.idf.get(w, vec.default_idf) for w in h), default=0.0) / 5,
                    "density": 10 * len(h) / max(len(words), 1), "hits_rel": len(h) / most if most else 0.0,
                    "best_hits": float(bool(h) and len(h) == most), "blend_rel": blend[t.id] / blend_top,
                    "own_hits": math.log1p(len(h & unique[t.id])), "chapter_share": share,
                    "common_hits": math.log1p(len(words & common[t.id])),
                    "heading_hits": math.log1p(len(heading_words & broad[t.id])),
                    "title_terms": math.log1p(len(title_words & broad[t.id])),
                    "hits_share": math.log1p(len(h)) * share,
                    "listed_hits": math.log1p(len(h & passing)),
                    "part_hits": math.log1p(len(h & partial.get(t.id, frozenset()))),
                    "filed": float(e.id in served[t.id].filed) if t.id in served else 0.0,
                    "served": like.get(t.id, 0.0), "served_rel": like.get(t.id, 0.0) / most_like.get(kind, 1.0),
                }  # fmt: skip
                usage: tuple[str, ...] = ()
                if t.id in served:
                    usage = served[t.id].shared(e.id, item_vectors[e.id])
                out.append(
                    Pair(
                        e.id,
                        t.id,
                        kind,
                        values,
                        tuple(sorted(h)),
                        chapter_title,
                        round(own[t.id], 4),
                        round(max(chapter[t.id], part[t.id]), 4),
                        usage,
                    )
                )
    extras = {"text": {e.id: e.text for e in sources}, "words": item_words, "vectors": target_vecs}
    return out, extras


@dataclass
class Served:
    """How the plan speaks of a target: the items filed under the parts, chapters and
    sections that name it, their vectors summed (words most of the plan's items use left
    out, as they name nothing)."""

    filed: frozenset[str]  # ids of the items filed under a unit naming the target
    centroid: dict[str, float]

    @cached_property
    def norm2(self) -> float:
        return sum(x * x for x in self.centroid.values())

    def similarity(self, item: str, v: dict[str, float]) -> float:
        """Cosine of the item's vector and the sum of the *other* items filed under the
        target: an item filed there is not compared with itself."""
        c = self.centroid
        dot = sum(x * c[w] for w, x in v.items() if w in c)
        norm2 = self.norm2
        if item in self.filed:  # its own words were added: take them out
            own = sum(x * x for w, x in v.items() if w in c)
            dot, norm2 = dot - own, norm2 - 2 * dot + own
        return dot / math.sqrt(norm2) if norm2 > 1e-12 else 0.0

    def shared(self, item: str, v: dict[str, float], n: int = 4) -> tuple[str, ...]:
        """The item's words weighing most in that similarity."""
        mine = item in self.filed
        weight = {w: x * (self.centroid[w] - mine * x) for w, x in v.items() if w in self.centroid}
        return tuple(w for w in sorted(weight, key=lambda w: (-weight[w], w))[:n] if weight[w] > 1e-9)


def _outline_vocabulary(
    plan: Plan, of_kind: list[Target], sources: list[Entity], vec: Vectoriser, item_words: dict, item_vectors: dict
) -> dict[str, Served]:
    """Each target (positionings) -> how the plan speaks of it. A part, chapter or section
    names the target its heading and text are most alike to, when clearly (cosine at least
    ``NAMES_SIMILARITY`` and ``NAMES_MARGIN`` times the runner-up's: the chapter restating
    all of them names none); the items filed under a unit naming it, by part, chapter or
    section, are the plan's own examples of serving it."""
    if not of_kind:
        return {}
    tv = {t.id: vec.vector(f"{t.title}。{t.text}") for t in of_kind}
    names: dict[str, str] = {}
    for unit in [*plan.parts, *plan.chapters, *plan.sections]:
        u = vec.vector(f"{unit.title}。{unit.text}")
        ranked = sorted(((sum(x * tv[t].get(w, 0.0) for w, x in u.items()), t) for t in tv), reverse=True)
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if ranked[0][0] >= NAMES_SIMILARITY and ranked[0][0] >= NAMES_MARGIN * runner_up:
            names[unit.id] = ranked[0][1]
    df_all = Counter(w for ws in item_words.values() for w in ws)
    out = {}
    for t in of_kind:
        filed = frozenset(
            e.id for e in sources if any(names.get(u or "") == t.id for u in (e.part, e.chapter, e.section))
        )
        centroid: dict[str, float] = {}
        for eid in sorted(filed):
            for w, x in item_vectors[eid].items():
                if df_all[w] > BROAD_SHARE * len(sources):
                    continue
                centroid[w] = centroid.get(w, 0.0) + x
        out[t.id] = Served(filed, centroid)
    return out


def _row_words(r: str, row: dict[str, str], specific: dict[str, frozenset[str]]) -> frozenset[str]:
    return frozenset(w for tid, ws in specific.items() if row[tid] == r for w in ws)


def _vocabulary_parts(vocab: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    """Each vocabulary term the default dictionary cuts into several words -> those words: a
    text holding '水系综合整治' still meets one that says '整治' (as a plan's own terms do)."""
    jieba = _jieba()
    out = {}
    for term in sorted({w for words in vocab.values() for w in words}):
        parts = [w for w in jieba.lcut(term, HMM=False) if w != term]
        if len(parts) > 1:
            out[term] = parts
    return out


def _best(of_kind: list[Target], scores: dict[str, float]) -> str:
    return max(of_kind, key=lambda t: scores[t.id]).id


def probability(kind: str, values: dict[str, float]) -> tuple[float, dict[str, float]]:
    """The model's probability that the link is right, and each feature's share of its log-odds."""
    model = fitted.MODEL[kind]
    shares = {f: model["weights"][f] * values[f] for f in FEATURES[kind]}
    z = model["intercept"] + sum(shares.values())
    return 1 / (1 + math.exp(-z)), shares


def _reasons(pair: Pair, shares: dict[str, float]) -> tuple[Evidence, ...]:
    by_group: dict[str, float] = {}
    for f, s in shares.items():
        by_group[GROUP[f]] = by_group.get(GROUP[f], 0.0) + s
    # A term's parts count as words of their own, but the reader is told the term once.
    terms = [w for w in pair.hit_words if not any(w != o and w in o for o in pair.hit_words)]
    details = {
        "outline": pair.chapter_title,
        "words": f"文本相似 {pair.text:.2f}",
        "terms": "、".join(terms),
        "usage": "、".join(pair.usage_words),
    }
    told = [Evidence(g, details[g], round(w, 2)) for g, w in by_group.items() if details.get(g)]
    return tuple(sorted(told, key=lambda r: -r.weight))


def align(plan: Plan, lexicon=None, with_sdgs: bool = True) -> Alignment:
    """``lexicon``: the plan's ``kg.analyse.nlp.Lexicon`` (or its spaCy pipeline) with its
    vocabulary; made if not given."""
    if lexicon is not None and not isinstance(lexicon, Lexicon):
        lexicon = lexicon_of(lexicon)
    found, extras = pairs(plan, lexicon, with_sdgs)
    result = Alignment()
    for pair in found:
        p, shares = probability(pair.kind, pair.values)
        result.links.append(
            Link(
                pair.source,
                pair.target,
                pair.kind,
                round(p, 4),
                pair.text,
                pair.outline,
                0.0,
                float(len(pair.hit_words)),
                reasons=_reasons(pair, shares),
                item_text=extras["text"][pair.source],
                item_words=extras["words"][pair.source],
                target_vector=extras["vectors"][pair.target],
            )
        )
    return result


def method_text(kind: str) -> str:
    """The recipe, as the graph records it with each link (pk:method)."""
    return (
        f"{METHOD}: logistic model over {', '.join(FEATURES[kind])} (weights in kg/analyse/fitted.py, "
        f"fitted on hand labels); the score is the probability the link is right; direct at {THRESHOLDS[kind]}"
    )


def kept(alignment: Alignment, floor: float) -> list[Link]:
    """The links a graph keeps: those scoring ``floor`` or more, and each item's best link to
    a positioning and to a goal whatever its score (what it serves first always has an answer)."""
    best: dict[tuple[str, str], Link] = {}
    for link in alignment.links:
        key = (link.source, link.kind)
        if link.kind in ALWAYS_BEST and (key not in best or link.score > best[key].score):
            best[key] = link
    chosen = {id(link) for link in best.values()}
    return [link for link in alignment.links if link.score >= floor or id(link) in chosen]


def _sentence(text: str, words: list[str]) -> str:
    """The item's sentence holding most of ``words`` (or its first), shortened."""
    sentences = [s for s in re.split(r"(?<=[。；！？])", text) if s.strip()] or [text]
    best = max(sentences, key=lambda s: sum(1 for w in words if w and w in s))
    return best.strip()[:120]


def _evidence(text: str, shared: list[str]) -> str:
    """'森林、覆盖率 | <the sentence of the item that holds most of them>'"""
    if not shared:
        return ""
    return "、".join(shared) + " | " + _sentence(text, shared)
