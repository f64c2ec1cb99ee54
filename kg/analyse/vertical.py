"""Vertical alignment: each measure and project of a local plan against the chapters of the
national plan of its generation, to ask which city projects carry a national chapter.

The national plan is the one plankg ships (``kg/corpus/``) with the same plan number, so
a plan's links do not depend on what else was built; a generation without a bundled
national text (the 14th) gets none. Scored as the alignment scores (TF-IDF over jieba
words): the item's own text against the national chapter's (its title, part, sections and
measures), and the item's chapter and section against it. Every item keeps its best
chapters (``KEEP``) with score and rank; it ``implements`` its best one, and a second one
scoring nearly as high, unless even the best scores too little to be more than a guess.
Measured against a hand labelling of 139 Guangzhou items
(``tests/data/national-chapters-guangzhou-15th-fyp.csv``) by ``bench/bench_vertical.py``.
"""

from __future__ import annotations

from functools import lru_cache

from kg.analyse.alignment import Link, Vectoriser, Weights
from kg.analyse.nlp import Lexicon
from kg.model import Entity, Plan
from kg.read.pipeline import extract
from kg.read.source import bundled_plans

KIND = "national-chapter"
METHOD = "plankg-vertical-1"
OWN, CONTEXT = 0.7, 0.3  # the item's own text, its chapter and section
KEEP = 3  # chapters kept per item, best first
CLOSE = 0.85  # a second chapter is implemented too when it scores this share of the best …
FLOOR = 0.12  # … and at least this, the best chapter too: a weak best is a guess
WEIGHTS = Weights(text=OWN, chapter=CONTEXT, part=0.0, places=0.0, terms=0.0)  # the evidence the graph records


def method_text() -> str:
    return (
        f"{METHOD}: {OWN} text + {CONTEXT} chapter against the national chapter (title, part, sections, "
        f"measures); implements the best chapter and any scoring {CLOSE} of it, when scoring {FLOOR} or more"
    )


@lru_cache(maxsize=4)
def national_plan(number: int) -> Plan | None:
    """The bundled national plan of a generation (15 → the national 15th plan), if any."""
    for path in bundled_plans().values():
        if path.stem.startswith("national-"):
            plan = extract(path)
            if plan.level == "national" and plan.plan_number == number:
                return plan
    return None


def target_id(national: Plan, chapter: Entity) -> str:
    """A link's target in another plan: '<plan-id>:<entity-id>' (the graph makes it an IRI)."""
    return f"{national.id}:{chapter.id}"


def _chapter_text(national: Plan, chapter: Entity, by_id: dict[str, Entity]) -> str:
    part = by_id.get(chapter.part or "")
    sections = [s.title for s in national.sections if s.chapter == chapter.id]
    measures = [m for m in national.measures if m.chapter == chapter.id]
    return "。".join(
        [
            chapter.title,
            chapter.title,
            part.title if part else "",
            *sections,
            *(m.title for m in measures),
            chapter.text[:400],
            *(m.text[:200] for m in measures),
        ]
    )


def align_national(plan: Plan, lexicon: Lexicon) -> list[Link]:
    """Each measure and project's best national chapters (``KEEP``), ranked; none for the
    national plan itself or a generation without a bundled national plan."""
    national = national_plan(plan.plan_number) if plan.plan_number and plan.level != "national" else None
    if national is None or not national.chapters:
        return []
    by_id = {e.id: e for e in plan.entities()}
    national_ids = {e.id: e for e in national.entities()}
    boxes = {b.id: b.title for b in plan.boxes}
    items = list(plan.measures) + list(plan.projects)

    def own(e: Entity) -> str:
        return f"{e.title}。{e.title}。{boxes.get(getattr(e, 'box', None) or '', '')}。{e.text}"

    def context(e: Entity) -> str:
        parts = [by_id[c] for c in (e.chapter, e.section) if c and c in by_id]
        return "。".join(f"{c.title}。{c.title}。{c.text[:300]}" for c in parts)

    chapters = {c.id: _chapter_text(national, c, national_ids) for c in national.chapters}
    vec = Vectoriser(lexicon.cut, [own(e) for e in items] + list(chapters.values()), lexicon.term_parts)
    vectors = {cid: vec.vector(text) for cid, text in chapters.items()}
    links = []
    for e in items:
        text, ctx = vec.vector(own(e)), vec.vector(context(e))
        words = frozenset(vec.words(own(e)))
        scored = []
        for c in national.chapters:
            v = vectors[c.id]
            s_own = sum(x * v.get(w, 0.0) for w, x in text.items())
            s_ctx = sum(x * v.get(w, 0.0) for w, x in ctx.items())
            scored.append((OWN * s_own + CONTEXT * s_ctx, s_own, s_ctx, c))
        scored.sort(key=lambda r: (-r[0], r[3].number or 0))
        best = scored[0][0]
        for score, s_own, s_ctx, c in scored[:KEEP]:
            chosen = score >= FLOOR and (score == best or score >= CLOSE * best)
            links.append(
                Link(
                    e.id,
                    target_id(national, c),
                    KIND,
                    round(score, 4),
                    round(s_own, 4),
                    round(s_ctx, 4),
                    0.0,
                    0.0,
                    method=method_text(),
                    item_text=e.text,
                    item_words=words,
                    target_vector=vectors[c.id],
                    chosen=chosen,
                )
            )
    return links
