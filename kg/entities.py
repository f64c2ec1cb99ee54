"""Stage 4a: the outline -> outline entities, positionings, goals, vision, principles,
achievements and measures.

What a chapter holds is read from its title with words of the genre (战略定位, 主要目标,
基本原则, 发展成就 …), never from its number: plans differ in where they put these.
"""

from __future__ import annotations

import re

from . import patterns as P
from .cleaning import Line
from .layout import Block
from .model import Entity, Measure
from .outline import Node
from .provenance import provenance
from .textutil import join_wrapped

# The lead phrase: a short heading-like first sentence ('优化空间布局。').
_LEAD = re.compile(r"^(?P<lead>[^，,；;：:。！？!?]{2,30}?)。(?P<body>.+)$", re.S)
# A first sentence with a subject or a modal is a sentence, not a lead phrase.
_NOT_LEAD = re.compile(r"^(各|本|全市|我市|全区|全省|全国|这|该|此|其)|应当|必须")
_VISION = re.compile(r"^((?:19|20)\d{2})\s*年远景目标")

ROLES = ("achievements", "context", "principles", "positioning", "goals", "action")


def role_of(title: str) -> str | None:
    """What a chapter or section with this title holds, if its title says so."""
    t = title.replace(" ", "")
    if re.search(r"成就|回顾|成绩", t):
        return "achievements"
    if "原则" in t:
        return "principles"
    if "定位" in t:
        return "positioning"
    if re.search(r"(主要|发展|远景|总体|奋斗)目标|目标任务", t) or t.endswith("目标"):
        return "goals"
    if re.search(r"指导思想|指导方针|机遇|挑战|形势|发展环境", t) or re.fullmatch(
        r"(发展基础|总体要求|总体思路|发展基础和环境|发展背景)", t
    ):
        return "context"
    return None


def chapter_role(chapter: Node) -> str:
    role = role_of(chapter.title)
    if role:
        return role
    part = chapter.ancestor("part")
    if part is not None and role_of(part.title) in ("context", "achievements"):
        return "context"
    return "action"


def split_lead(text: str) -> tuple[str, str] | None:
    """('优化空间布局', body) if the paragraph opens with a lead phrase."""
    item = P.item(text)
    core = item[2] if item else text
    m = _LEAD.match(core)
    if not m or _NOT_LEAD.search(m.group("lead")):
        return None
    body = m.group("body").strip()
    if not body:
        return None
    return m.group("lead").strip(), body


def _paragraphs(node: Node) -> list[Block]:
    return [b for b in node.content if b.kind == "paragraph"]


def _ids(node: Node) -> dict[str, str | None]:
    return node.container_ids()


def outline_entities(root: Node) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = {"part": [], "chapter": [], "section": []}
    for node in root.walk():
        if node.level == "plan":
            continue
        intro = _paragraphs(node)
        own = list(node.heading.lines) + [ln for b in intro for ln in b.lines]
        ids = _ids(node)
        ids[node.level] = None  # an entity is not its own container
        parent = node.parent.id if node.parent and node.parent.level != "plan" else None
        out[node.level].append(
            Entity(
                id=node.id,
                kind=node.level,
                title=node.title,
                text="\n".join(b.text for b in intro),
                provenance=provenance(own, node.all_lines()),
                number=node.number,
                parent=parent,
                **ids,
            )
        )
    return out


def _dash_items(node: Node, kind: str, prefix: str) -> list[Entity]:
    """The '——title。explanation' items of a positioning or goals chapter."""
    items = []
    for sub in node.walk():
        for block in _paragraphs(sub):
            m = P.DASH_ITEM.match(block.text)
            if not m:
                continue
            title, _, body = m.group(1).partition("。")
            n = len(items) + 1
            items.append(
                Entity(
                    id=f"{prefix}/{n}", kind=kind, title=title.strip(), text=body.strip(),
                    provenance=provenance(block.lines), number=n, parent=sub.id, **_ids(sub),
                )
            )
    return items


def _lead_entities(node: Node, kind: str, prefix: str) -> list[Entity]:
    out: list[Entity] = []
    for block in _paragraphs(node):
        split = split_lead(block.text)
        if split:
            n = len(out) + 1
            cls = Measure if kind == "measure" else Entity
            out.append(
                cls(id=f"{prefix}/{n}", kind=kind, title=split[0], text=split[1],
                    provenance=provenance(block.lines), number=n, parent=node.id, **_ids(node))
            )
    return out


def framework_entities(root: Node) -> dict[str, list[Entity]]:
    """Positionings, goals, vision, principles, achievements."""
    out: dict[str, list[Entity]] = {k: [] for k in ("positionings", "goals", "vision", "principles", "achievements")}
    for chapter in (n for n in root.walk() if n.level == "chapter"):
        role = chapter_role(chapter)
        if role == "positioning":
            items = _dash_items(chapter, "positioning", "positioning")
            out["positionings"] += items or _renumber(
                [e for sub in chapter.walk() for e in _lead_entities(sub, "positioning", "positioning")], "positioning"
            )
        elif role == "goals":
            out["vision"] += _vision(chapter)
            out["goals"] += _dash_items(chapter, "goal", "goal")
        for sub in chapter.walk():
            sub_role = role_of(sub.title) if sub is not chapter else role
            if sub_role == "principles":
                out["principles"] += _lead_entities(sub, "principle", f"{sub.id}/principle")
            elif sub_role == "achievements":
                out["achievements"] += _lead_entities(sub, "achievement", f"{sub.id}/achievement")
    # Numbering runs through the plan for items gathered from several chapters.
    out["positionings"] = _renumber(out["positionings"], "positioning")
    out["goals"] = _renumber(out["goals"], "goal")
    return out


def _renumber(items: list[Entity], prefix: str) -> list[Entity]:
    for n, e in enumerate(items, start=1):
        e.id, e.number = f"{prefix}/{n}", n
    return items


def _vision(chapter: Node) -> list[Entity]:
    """The long-range vision: a '2035年远景目标。…' paragraph or a section with that title."""
    for sub in chapter.walk():
        m = _VISION.match(sub.title) if sub is not chapter else None
        if m:
            blocks = _paragraphs(sub)
            lines = list(sub.heading.lines) + [ln for b in blocks for ln in b.lines]
            return [Entity(id=f"vision/{m.group(1)}", kind="vision", title=sub.title,
                           text="\n".join(b.text for b in blocks), provenance=provenance(lines),
                           number=int(m.group(1)), parent=sub.id, **_ids(sub))]
        for block in _paragraphs(sub):
            m = _VISION.match(block.text)
            if m:
                title, _, body = block.text.partition("。")
                return [Entity(id=f"vision/{m.group(1)}", kind="vision", title=title.strip(), text=body.strip(),
                               provenance=provenance(block.lines), number=int(m.group(1)), parent=sub.id, **_ids(sub))]
    return []


def measures(root: Node) -> list[Measure]:
    """Lead-phrase paragraphs of the action chapters; a section (or a chapter without
    sections) that has none is itself one measure."""
    out: list[Measure] = []
    for chapter in (n for n in root.walk() if n.level == "chapter"):
        if chapter_role(chapter) != "action":
            continue
        sections = [c for c in chapter.children if c.level == "section"]
        for container in sections or [chapter]:
            found = _lead_entities(container, "measure", f"{container.id}/measure")
            if not found:
                found = [_container_measure(container)] if _paragraphs(container) else []
            out += found  # type: ignore[arg-type]
    return out


def _container_measure(node: Node) -> Measure:
    blocks = _paragraphs(node)
    # The heading is part of its source: the measure's title is the heading's.
    lines: list[Line] = list(node.heading.lines) + [ln for b in blocks for ln in b.lines]
    return Measure(
        id=f"{node.id}/measure/1", kind="measure", title=node.title,
        text="\n".join(b.text for b in blocks), provenance=provenance(lines), number=1,
        parent=node.id, unit=node.level, **_ids(node),
    )


def preface(root: Node) -> Entity | None:
    blocks = _paragraphs(root)
    if not blocks:
        return None
    lines = [ln for b in blocks for ln in b.lines]
    return Entity(id="preface", kind="preface", title="序言", text=join_wrapped([b.text for b in blocks]),
                  provenance=provenance(lines))
