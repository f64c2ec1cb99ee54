"""Which shared indicator concept a plan's indicator (or a goal's stated target) measures.

A plan names a quantity its own way: '地区生产总值年均增长', '地区生产总值（GDP）年均增长率' and
'GDP增速' are one concept (``kg/reference/indicator-concepts.csv``). The match reads the
name, the unit and the verb of a stated figure, never a list of one plan's wording:

1. names are put in the genre's common spelling (``normal``): 国内/地区生产总值 and GDP are
   GDP, 增速/增长率 are 增长, 占比/比例 are 比重, 每万人口 is 每万人 …;
2. a concept is ruled out when the kind of quantity differs (a growth rate is not a level,
   a reduction is not a share) or the units measure different things (% is no 亿元);
3. the rest are scored by how alike the names are (character bigrams, a name held whole
   inside the other counts more); a share 'X占Y比重' must match on X and on Y;
4. the best concept scoring ``THRESHOLD`` or more is linked: ``exact`` where the names are
   the same once spelled alike, ``close`` otherwise. Nothing is forced: a name like no
   concept stays unmatched.

Measured against a hand labelling of every indicator of the bundled plans
(``tests/data/indicator-concept-labels.csv``) by ``bench/bench_concepts.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from kg.analyse.similarity import bigram_dice
from kg.analyse.values import Comparable, of_indicator, of_target
from kg.model import Plan
from kg.reference import IndicatorConcept, indicator_concepts
from kg.units import parse

METHOD = "plankg-concept-1"
THRESHOLD = 0.6  # the sweep over the labelled mapping is flat from 0.6 to 0.65

# The genre's spellings of one thing, in the order they are applied.
# fmt: off
_SPELLINGS = (
    (r"[*∗※]+$", ""),
    (r"细颗粒物[（(]PM2\.5[）)]|细颗粒物|PM2\.5", "PM25"),
    (r"(国内|地区)?生产总值[（(]GDP[）)]|国内生产总值|地区生产总值|生产总值|GDP|经济总量", "GDP"),
    (r"研究与试验发展|研发|R&D", "研发"),
    (r"每万人口|每万人", "每万人"), (r"每千人口|每千人", "每千人"),
    (r"每十万人口|每十万人|十万常住人口|十万人", "每十万人"),
    (r"达到或好于(Ⅲ|III|3)类|优良", "优良"),
    (r"年均增长率|年均增速|年均增长|增长率|增速|增幅|增长", "增长"),
    (r"降低率|降幅|下降|降低", "降低"),
    (r"相当于", "占"),
    (r"比重|占比|比例|比率", "比重"),
    (r"比值", "比"),
    (r"(商品|货物)进出口", "货物进出口"), (r"进出口总值|进出口总额", "进出口总额"),
    (r"支出", "投入"),
    (r"^(全社会|全市|全区|全省|全国|全县|常住居民|全市居民)", ""),
    (r"年均|拥有量|拥有|累计|新增供应|新增", ""),
    (r"[（(][^）)]*[）)]", ""),
    (r"[“”\"'‘’\s]", ""),
)
# fmt: on
# Verbs of a stated figure that say what kind of quantity it is ('增长5%': a growth rate).
_VERB = re.compile(r"^(年均增长|增长|降低|下降|减少)")


def normal(name: str) -> str:
    """A name in the genre's common spelling: '地区生产总值（GDP）年均增长率' → 'GDP增长'."""
    s = unicodedata.normalize("NFKC", name)
    for pattern, replacement in _SPELLINGS:
        s = re.sub(pattern, replacement, s)
    return s


@dataclass(frozen=True)
class ConceptMatch:
    source: str  # the indicator's id, or a goal's stated target ('goal/2/stated-target/1')
    concept: str  # the concept's slug
    relation: str  # exact | close
    score: float
    evidence: str  # the two names as compared, spelled alike

    @property
    def method(self) -> str:
        return f"{METHOD}: name, unit and kind of quantity; threshold {THRESHOLD}"


@lru_cache(maxsize=1)
def _concepts() -> tuple[tuple[IndicatorConcept, frozenset[str]], ...]:
    return tuple((c, frozenset(normal(label) for label in c.labels)) for c in indicator_concepts())


def _family(unit: str | None) -> str | None:
    """What a unit measures, coarsely enough to match a quantity by: 百分点 and % both
    measure shares, 万元 and 万美元 both money (comparable, though never converted)."""
    parsed = parse(unit)
    if parsed is None:
        return None
    return "/".join(
        re.sub(r"^(percentage-points)$", "share", re.sub(r":.*", "", d)) for d in parsed.dimension.split("/")
    )


def _alike(a: str, b: str) -> float:
    score = bigram_dice(a, b)
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and short in long:
        score = max(score, 0.5 + 0.5 * len(short) / len(long))
    return score


def _similar(a: str, b: str) -> float:
    # A share 'X占Y比重' is about X of Y: both must match, not only the common tail.
    ma, mb = re.match(r"(.+?)占(.+)", a), re.match(r"(.+?)占(.+)", b)
    if ma and mb:
        return min(_alike(ma.group(1), mb.group(1)), _alike(ma.group(2), mb.group(2)))
    return _alike(a, b)


def _kind_fits(name: str, concept: IndicatorConcept) -> bool:
    return ("增长" in name) == (concept.quantity == "growth-rate") and ("降低" in name) == (
        concept.quantity == "change"
    )


def rank(name: str, unit: str | None = None, verb: str = "") -> list[tuple[float, IndicatorConcept, str]]:
    """Every concept the name could be, best first: (score, concept, the name spelled alike)."""
    m = _VERB.match(verb or "")
    spelled = normal(name + (m.group(1) if m else ""))
    family = _family(unit)
    out = []
    for concept, labels in _concepts():
        if not _kind_fits(spelled, concept):
            continue
        cf = _family(concept.unit)
        if family and cf and family != cf:
            continue
        out.append((max(_similar(spelled, label) for label in labels), concept, spelled))
    return sorted(out, key=lambda r: (-r[0], r[1].slug))


def match(source: str, name: str, unit: str | None = None, verb: str = "") -> ConceptMatch | None:
    """The concept ``name`` measures, or None. A row printing two quantities
    ('机场旅客/货邮吞吐量', unit '万人次/万吨') is matched by its first."""
    if "/" in name and unit and unit.count("/") == 1 and _two_quantities(unit):
        first = _first_quantity(name)
        if first is None:
            return None
        name, unit = first, unit.split("/")[0]
    ranked = rank(name, unit, verb)
    if not ranked or ranked[0][0] < THRESHOLD:
        return None
    score, concept, spelled = ranked[0]
    labels = dict(_concepts())[concept]
    relation = "exact" if spelled in labels else "close"
    best_label = max(labels, key=lambda label: (_similar(spelled, label), label))
    return ConceptMatch(source, concept.slug, relation, round(score, 4), f"{spelled} ≈ {best_label}")


def _two_quantities(unit: str) -> bool:
    """'万人次/万吨' is two units side by side, '万元/人' one ratio: a ratio's bottom is a
    count or an amount it is taken per, and neither side here is a share."""
    top, bottom = unit.split("/", 1)
    a, b = parse(top), parse(bottom)
    return bool(a and b and a.dimension != b.dimension and a.size >= 1e4 and b.size >= 1e4)


def _first_quantity(name: str) -> str | None:
    """'机场旅客/货邮吞吐量' → '机场旅客吞吐量': the first part with the second's ending,
    as long as the ending that makes the best-matching name."""
    left, _, right = name.partition("/")
    candidates = [left + right[i:] for i in range(1, len(right))]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (rank(c)[0][0] if rank(c) else 0.0, -len(c)))


@dataclass
class PlanConcepts:
    """What of a plan compares with other plans: its indicators' and stated targets'
    concepts, and their figures in the concepts' units."""

    matches: list[ConceptMatch] = field(default_factory=list)
    values: list[Comparable] = field(default_factory=list)


def link_plan(plan: Plan) -> PlanConcepts:
    """The concept of each indicator of the plan's tables and of each figure its goals
    state, with the figures that compare."""
    out = PlanConcepts()
    by_slug = {c.slug: c for c, _ in _concepts()}
    tables = {t.id: t for t in plan.indicator_tables}
    for ind in plan.indicators + plan.previous_indicators:
        found = match(ind.id, ind.title, ind.unit)
        if found:
            out.matches.append(found)
            out.values += of_indicator(ind, by_slug[found.concept], tables.get(ind.table), plan)
    for goal in plan.goals:
        for k, target in enumerate(goal.targets, start=1):
            node = f"{goal.id}/stated-target/{k}"
            found = match(node, target.term, target.unit, target.text)
            if found:
                out.matches.append(found)
                value = of_target(node, target, by_slug[found.concept], plan)
                if value is not None:
                    out.values.append(value)
    return out
