"""Stage 4a: the outline -> outline entities, positionings, goals, vision, principles,
achievements and measures.

What a chapter or section holds is read from its title with words of the genre (战略定位,
主要目标, 基本原则, 发展成就 …), never from its number: plans differ in where they put
these, and in how they print their items (`——…`, `一是…`, `（一）`, a paragraph opening
with a goal sentence, a numbered subheading).
"""

from __future__ import annotations

import re
from typing import cast

from kg.model import Entity, Goal, Measure
from kg.read import patterns as P
from kg.read.blocks import Block, Heading
from kg.read.cleaning import Line
from kg.read.outline import Node
from kg.read.provenance import provenance
from kg.read.targets import stated_targets
from kg.read.textutil import join_wrapped, parse_numeral

# The lead phrase: a short heading-like first sentence ('优化空间布局。').
_LEAD = re.compile(r"^(?P<lead>[^，,；;：:。！？!?]{2,30}?)。(?P<body>.+)$", re.S)
# A goal opens with a sentence of its own, which may hold a comma ('…成效显著，经济能级更高。').
_GOAL_LEAD = re.compile(r"^(?P<lead>[^；;：:。！？!?]{4,40}?)。(?P<body>.*)$", re.S)
# A first sentence with a subject or a modal is a sentence, not a lead phrase.
_NOT_LEAD = re.compile(r"^(各|本|全市|我市|全区|全省|全国|这|该|此|其)|应当|必须")
_VISION = re.compile(r"^((?:19|20)\d{2})\s*年远景目标")
_CN_YEAR = r"二〇[一二三四五六七八九〇零]{2}"
_VISION_SENTENCE = re.compile(
    rf"^(?:展望|在此基础上再奋斗五年[，,]?\s*到|接续奋斗[，,]?\s*到|到)\s*((?:19|20)\d{{2}}|{_CN_YEAR})\s*年"
)
_ENUM = re.compile(r"(?:^|[；;。，,：:])\s*([一二三四五六七八九十])是")
_NOT_GOAL = re.compile(r"^(坚持|更加注重|必须)")
_POSITIONING_LIST = re.compile(
    r"(?:锚定|围绕|按照|立足|把握|落实|紧扣|牢记|坚持|聚焦|朝着|向着)?([^，,。；;：:]{8,120}?)的(?:城市|发展|战略|功能)*定位"
)

_POSITIONING_VERBS = (
    "锚定",
    "围绕",
    "按照",
    "立足",
    "把握",
    "落实",
    "紧扣",
    "牢记",
    "坚持",
    "聚焦",
    "朝着",
    "向着",
    "实现",
    "发挥",
    "强化",
)
ROLES = ("achievements", "context", "principles", "positioning", "goals", "action")


def role_of(title: str) -> str | None:
    """What a chapter or section with this title holds, if its title says so."""
    t = title.replace(" ", "")
    if re.search(r"成就|回顾|成绩", t) or re.search(r"(实现|完成)[^，,]*“[^”]+”[^，,]*目标", t):
        return "achievements"  # '顺利实现“十四五”发展目标': the last plan's goals, met
    if ("原则" in t or "基本要求" in t) and "目标" not in t:
        return "principles"  # the 15th plans' '基本要求' are the 14th plans' '基本原则'

    if "定位" in t:
        return "positioning"
    if re.search(r"(主要|发展|远景|总体|奋斗)目标|目标任务", t) or t.endswith("目标"):
        return "goals"
    if re.search(r"指导思想|指导方针|机遇|挑战|形势|发展环境|基本要求|重要地位|阶段特征", t) or re.fullmatch(
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
    core = item[2] if item else P.DASH_ITEM.sub(r"\1", text)
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
        intro = _intro(node)
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
                marker=node.marker or None,
                **ids,
            )
        )
    return out


def _intro(node: Node) -> list[Block]:
    """A node's own text: its paragraphs before its first subheading — or, in a chapter or
    section of context (发展环境, 指导思想), whose subheadings become no entity, all of them
    with their subheadings."""
    context = (
        node.level in ("chapter", "section")
        and (chapter_role(node) if node.level == "chapter" else role_of(node.title)) == "context"
    )
    out = []
    for b in node.content:
        if b.kind == "subheading" and not context:
            break
        if b.kind in ("paragraph", "subheading"):
            out.append(b)
    return out


def _groups(node: Node) -> list[tuple[Heading, list[Block]]]:
    """Subheadings of a node's content, each with the paragraphs under it."""
    groups: list[tuple[Heading, list[Block]]] = []
    for b in node.content:
        if isinstance(b, Heading) and b.kind == "subheading":
            groups.append((b, []))
        elif groups and b.kind == "paragraph":
            groups[-1][1].append(b)
    return groups


def _dash_items(node: Node, kind: str, prefix: str, skip=None) -> list[Entity]:
    """The '——title。explanation' items of a positioning or goals container."""
    items: list[Entity] = []
    for sub in node.walk():
        if skip and skip(sub):
            continue
        for block in _paragraphs(sub):
            m = P.DASH_ITEM.match(block.text)
            if not m or (kind == "goal" and _NOT_GOAL.match(m.group(1))):
                continue
            title, _, body = m.group(1).partition("。")
            n = len(items) + 1
            items.append(_make(kind, f"{prefix}/{n}", title.strip(), body.strip(), block.lines, n, sub))
    return items


def _make(
    kind: str,
    id_: str,
    title: str,
    text: str,
    lines: list[Line],
    number: int | None,
    node: Node,
    marker: str | None = None,
) -> Entity:
    if kind == "goal":
        return Goal(
            id=id_,
            kind=kind,
            title=title,
            text=text,
            provenance=provenance(lines),
            number=number,
            parent=node.id,
            marker=marker,
            targets=stated_targets(title + "。" + text),
            **_ids(node),
        )
    cls = Measure if kind == "measure" else Entity
    return cls(
        id=id_,
        kind=kind,
        title=title,
        text=text,
        provenance=provenance(lines),
        number=number,
        parent=node.id,
        marker=marker,
        **_ids(node),
    )


def _lead_entities(node: Node, kind: str, prefix: str) -> list[Entity]:
    out: list[Entity] = []
    for block in _paragraphs(node):
        split = split_lead(block.text)
        if split:
            n = len(out) + 1
            out.append(_make(kind, f"{prefix}/{n}", split[0], split[1], block.lines, n, node))
    return out


def _heading_entities(node: Node, kind: str, prefix: str) -> list[Entity]:
    """Subheadings ('一、经济实力稳步提升') with the paragraphs under them."""
    out: list[Entity] = []
    for head, blocks in _groups(node):
        n = len(out) + 1
        lines = list(head.lines) + [ln for b in blocks for ln in b.lines]
        entity = _make(
            kind, f"{prefix}/{n}", head.title, "\n".join(b.text for b in blocks), lines, head.number, node, head.marker
        )
        if isinstance(entity, Measure):
            entity.unit = "subheading"
        out.append(entity)
    return out


def framework_entities(root: Node) -> dict[str, list[Entity]]:
    """Positionings, goals, vision, principles, achievements."""
    out: dict[str, list[Entity]] = {k: [] for k in ("positionings", "goals", "vision", "principles", "achievements")}
    for node in (n for n in root.walk() if n.level in ("chapter", "section", "part")):
        role = role_of(node.title) if node.level != "chapter" else chapter_role(node)
        inherited = _inherited_role(node)
        if inherited == role and role != "goals" and node.level != "chapter":
            continue  # a section of a chapter of the same role: read with the chapter
        if role == "positioning":
            items = _dash_items(node, "positioning", "positioning")
            out["positionings"] += items or [
                e for sub in node.walk() for e in _lead_entities(sub, "positioning", "positioning")
            ]
        elif role == "goals" and not _has_goal_child(node) and not out["goals"]:
            # The plan's goals are the first goals chapter or section that lists any; a
            # later title with 目标 ('如期实现建军一百年奋斗目标') heads action.
            out["vision"] += _vision(node)
            out["goals"] += goal_items(node)
        elif role == "principles":
            out["principles"] += _principles(node)
        elif role == "achievements":
            for sub in node.walk():
                if sub is node or role_of(sub.title) in (None, "achievements"):
                    out["achievements"] += _heading_entities(
                        sub, "achievement", f"{sub.id}/achievement"
                    ) or _lead_entities(sub, "achievement", f"{sub.id}/achievement")
    if not out["positionings"]:
        out["positionings"] = _positioning_sentence(root)
    if not out["vision"]:
        out["vision"] = _vision_anywhere(root)
    # Numbering runs through the plan for items gathered from several places.
    out["positionings"] = _renumber(out["positionings"], "positioning")
    out["goals"] = _renumber(out["goals"], "goal")
    return out


def _inherited_role(node: Node) -> str | None:
    p = node.parent
    while p is not None and p.level != "plan":
        r = role_of(p.title) if p.level != "chapter" else chapter_role(p)
        if r and r != "action":
            return r
        p = p.parent
    return None


def _has_goal_child(node: Node) -> bool:
    return any(role_of(c.title) == "goals" for c in node.walk() if c is not node)


def _principles(node: Node) -> list[Entity]:
    out: list[Entity] = []
    for sub in node.walk():
        if sub is not node and role_of(sub.title) not in (None, "principles"):
            continue
        found = _lead_entities(sub, "principle", f"{sub.id}/principle")
        # Where the principles are '——' items, the lead paragraphs above them ('指导思想。…',
        # '基本要求。…') introduce them.
        dashed = [e for e in found if e.provenance.source.lstrip().startswith("——")]
        out += (
            _renumber(dashed, f"{sub.id}/principle")
            if dashed
            else (found or _heading_entities(sub, "principle", f"{sub.id}/principle"))
        )
    return out


def goal_items(node: Node) -> list[Entity]:
    """The goals of a goals chapter or section, however the plan prints them."""

    def other(sub: Node) -> bool:
        return sub is not node and role_of(sub.title) not in (None, "goals")

    items = _dash_items(node, "goal", "goal", skip=other)
    if items:
        return items
    subs = [s for s in node.walk() if not other(s)]
    heads = [e for s in subs for e in _heading_entities(s, "goal", "goal")]
    if heads:
        return heads
    out: list[Entity] = []
    for sub in subs:
        for block in _paragraphs(sub):
            text = block.text
            if _VISION_SENTENCE.match(text) or _VISION.match(text) or text.startswith("注"):
                continue
            enum = _enumerated(text)
            if enum:
                for title, body in enum:
                    out.append(_make("goal", "goal/0", title, body, block.lines, None, sub))
                continue
            item = P.item(text)
            core = item[2] if item else text
            m = _GOAL_LEAD.match(core)
            if m and m.group("body").strip() and not _NOT_GOAL.match(core) and not _intro_sentence(m.group("lead")):
                out.append(
                    _make(
                        "goal",
                        "goal/0",
                        m.group("lead").strip(),
                        m.group("body").strip(),
                        block.lines,
                        item[0] if item else None,
                        sub,
                        item[1] if item else None,
                    )
                )
    return out


def _intro_sentence(lead: str) -> bool:
    """'“十五五”时期经济社会发展要实现以下目标' introduces the goals; it is none of them."""
    return bool(re.search(r"以下|如下|总体目标|目标是|时期[，,]", lead)) or lead.count("，") > 2


def _enumerated(text: str) -> list[tuple[str, str]]:
    """'…：一是经济实力大幅跃升，…；二是…' -> one (title, text) per item."""
    marks = list(_ENUM.finditer(text))
    if len(marks) < 2 or [parse_numeral(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return []
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        chunk = text[m.end() : end].strip("；;。，, ")
        title = re.split(r"[，,；;。]", chunk, maxsplit=1)[0]
        out.append((title, chunk[len(title) :].strip("，,；; ")))
    return out


def _renumber(items: list[Entity], prefix: str) -> list[Entity]:
    for n, e in enumerate(items, start=1):
        e.id, e.number = f"{prefix}/{n}", n
    return items


def _year(s: str) -> int:
    if s.isdigit():
        return int(s)
    digits = s.translate(str.maketrans("〇零一二三四五六七八九", "00123456789"))
    return int(digits)


def _vision(chapter: Node) -> list[Entity]:
    """The long-range vision: a '2035年远景目标。…' paragraph, a section with that title,
    or a paragraph '展望2035年…', '在此基础上再奋斗五年，到二〇三五年…', '接续奋斗，到2035年…'."""
    for sub in chapter.walk():
        m = _VISION.match(sub.title) if sub is not chapter else None
        if m:
            blocks = _paragraphs(sub)
            lines = list(sub.heading.lines) + [ln for b in blocks for ln in b.lines]
            return [
                Entity(
                    id=f"vision/{m.group(1)}",
                    kind="vision",
                    title=sub.title,
                    text="\n".join(b.text for b in blocks),
                    provenance=provenance(lines),
                    number=int(m.group(1)),
                    parent=sub.id,
                    **_ids(sub),
                )
            ]
        for block in _paragraphs(sub):
            m = _VISION.match(block.text)
            if m:
                title, _, body = block.text.partition("。")
                return [
                    Entity(
                        id=f"vision/{m.group(1)}",
                        kind="vision",
                        title=title.strip(),
                        text=body.strip(),
                        provenance=provenance(block.lines),
                        number=int(m.group(1)),
                        parent=sub.id,
                        **_ids(sub),
                    )
                ]
            m = _VISION_SENTENCE.match(block.text)
            if m:
                year = _year(m.group(1))
                return [
                    Entity(
                        id=f"vision/{year}",
                        kind="vision",
                        title=f"{year}年远景目标",
                        text=block.text,
                        provenance=provenance(block.lines),
                        number=year,
                        parent=sub.id,
                        **_ids(sub),
                    )
                ]
    return []


def _vision_anywhere(root: Node) -> list[Entity]:
    """A vision printed outside the goals (in the guiding chapter, the preface)."""
    for node in root.walk():
        if node.level == "plan" or chapter_role(node.ancestor("chapter") or node) in ("context", "goals"):
            found = _vision(node) if node.level != "plan" else []
            found = [v for v in found if v.number and v.number >= 2030]
            if found:
                return found
    return []


def _positioning_sentence(root: Node) -> list[Entity]:
    """Positionings named in a sentence ('锚定A、B、C的战略定位'), when no chapter states them."""
    for node in root.walk():
        for block in _paragraphs(node):
            if "定位" not in block.text:
                continue
            for m in _POSITIONING_LIST.finditer(block.text):
                clause = m.group(1)
                head = clause.split("、", 1)[0]
                verb = max((head.rfind(v) + len(v) for v in _POSITIONING_VERBS if v in head), default=0)
                items = [x.strip("“”") for x in clause[verb:].split("、")]
                if len(items) >= 3 and all(3 <= len(x) <= 12 and not re.search(r"[的和与及是]$", x) for x in items):
                    return [
                        Entity(
                            id=f"positioning/{k}",
                            kind="positioning",
                            title=x,
                            text=block.text,
                            provenance=provenance(block.lines),
                            number=k,
                            parent=node.id if node.level != "plan" else None,
                            **_ids(node),
                        )
                        for k, x in enumerate(items, start=1)
                    ]
    return []


def measures(root: Node) -> list[Measure]:
    """Lead-phrase paragraphs, or numbered subheadings, of the action chapters; a section
    (or a chapter without sections) that has neither is itself one measure."""
    out: list[Measure] = []
    for chapter in (n for n in root.walk() if n.level == "chapter"):
        if chapter_role(chapter) != "action":
            continue
        sections = [c for c in chapter.children if c.level == "section"]
        for container in sections or [chapter]:
            if container is not chapter and role_of(container.title):
                continue  # '一、指导思想', '二、主要目标' in a chapter of its own kind
            found = _heading_entities(container, "measure", f"{container.id}/measure")
            if not found:
                found = _lead_entities(container, "measure", f"{container.id}/measure")
            if not found:
                found = [_container_measure(container)] if _paragraphs(container) else []
            out += found  # type: ignore[arg-type]
    return out


def _container_measure(node: Node) -> Measure:
    blocks = _paragraphs(node)
    # The heading (a chapter's or section's: always there) is part of its source: the measure's
    # title is the heading's.
    lines: list[Line] = list(cast(Heading, node.heading).lines) + [ln for b in blocks for ln in b.lines]
    return Measure(
        id=f"{node.id}/measure/1",
        kind="measure",
        title=node.title,
        text="\n".join(b.text for b in blocks),
        provenance=provenance(lines),
        number=1,
        parent=node.id,
        unit=node.level,
        **_ids(node),
    )


_PREFACE_TITLE = re.compile(r"^(序\s*言|前\s*言|引\s*言)$")


def preface(root: Node) -> Entity | None:
    """The text before the first heading; when it is headed 序言 or 前言, what follows that title."""
    blocks = _paragraphs(root)
    titled = [k for k, b in enumerate(blocks) if _PREFACE_TITLE.match(b.text.strip())]
    title, head = "序言", []
    if titled:
        title = re.sub(r"\s+", "", blocks[titled[-1]].text)
        head = list(blocks[titled[-1]].lines)
        blocks = blocks[titled[-1] + 1 :]
    if not blocks:
        return None
    lines = head + [ln for b in blocks for ln in b.lines]
    return Entity(
        id="preface",
        kind="preface",
        title=title,
        text=join_wrapped([b.text for b in blocks]),
        provenance=provenance(lines),
    )
