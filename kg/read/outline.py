"""Stage 3: blocks -> the outline tree (plan > part > chapter > section).

Printed heading levels map to the three outline classes by one rule (docs/model.md):
第X篇 (第X部分) is a part, 第X章 a chapter, 第X节 a section. Unnamed levels — `一、`,
`（一）`, `1.`, `1.1`, ranked in that order — take the next class below the heading they
stand under: `一、` under 第X章 is a section; under a section there is no class left, and
the heading stays a subheading inside the section's content. A plan with no named level
aligns its unnamed levels to end at section: three levels are part, chapter and section,
two are chapter and section, one is chapter. The printed marker is kept on every node.

Content blocks (paragraphs, boxes, tables, subheadings) hang under the deepest open heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.read.blocks import Block, Heading
from kg.read.cleaning import Line

_RANK = {"plan": 0, "part": 1, "chapter": 2, "section": 3}
_NEXT = {"part": "chapter", "chapter": "section", "section": None}
MARK_RANK = {"cn": 0, "paren": 1, "digit": 2, "decimal": 3}
# An unnamed kind is a heading level only when the plan prints it as a heading this often.
MIN_LEVEL_HEADINGS = 2


@dataclass
class Node:
    level: str
    number: int
    title: str
    heading: Heading | None
    id: str = ""
    content: list[Block] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)

    @property
    def marker(self) -> str:
        return self.heading.marker if self.heading else ""

    @property
    def style(self) -> str:
        return self.heading.style if self.heading else ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_lines(self) -> list[Line]:
        lines: list[Line] = list(self.heading.lines) if self.heading else []
        for block in self.content:
            lines += block.lines
        for child in self.children:
            lines += child.all_lines()
        return lines

    def container_ids(self) -> dict[str, str | None]:
        """Ids of the part, chapter and section this node stands in (itself included)."""
        out: dict[str, str | None] = {}
        for level in ("part", "chapter", "section"):
            node = self.ancestor(level)
            out[level] = node.id if node else None
        return out

    def ancestor(self, level: str) -> "Node | None":
        node: Node | None = self
        while node is not None and node.level != level:
            node = node.parent
        return node


def _top_class(blocks: list[Block]) -> tuple[str | None, set[str]]:
    """For a plan without named levels: the class of its top unnamed level, and the
    unnamed kinds that are heading levels."""
    marked = [b for b in blocks if isinstance(b, Heading) and b.style != "named"]
    counts: dict[str, int] = {}
    for b in marked:
        counts[b.style] = counts.get(b.style, 0) + 1
    kinds = {k for k, c in counts.items() if c >= MIN_LEVEL_HEADINGS}
    if any(isinstance(b, Heading) and b.style == "named" for b in blocks):
        return None, kinds
    depth = len(kinds)
    return ("part" if depth >= 3 else "chapter" if depth else None), kinds


def build_outline(blocks: list[Block]) -> tuple[Node, list[str]]:
    """The outline and any warnings (a heading out of sequence, a repeated number)."""
    root = Node("plan", 0, "", None)
    warnings: list[str] = []
    top, kinds = _top_class(blocks)
    top_kind = min(kinds, key=lambda k: MARK_RANK[k]) if kinds else None
    stack = [root]
    for block in blocks:
        if not isinstance(block, Heading):
            stack[-1].content.append(block)
            continue
        level: str | None
        if block.style == "named":
            rank = _RANK[block.level]
            while _RANK[stack[-1].level] >= rank:
                stack.pop()
            level = block.level
        else:
            while stack[-1].style not in ("", "named") and MARK_RANK[stack[-1].style] >= MARK_RANK[block.style]:
                stack.pop()
            parent = stack[-1]
            if block.style not in kinds:
                level = None
            elif parent.level == "plan":
                level = top if block.style == top_kind else None
            else:
                level = _NEXT[parent.level]
            if level is None:
                block.kind = "subheading"  # no outline class left: a heading inside the content
                stack[-1].content.append(block)
                continue
        node = Node(level, block.number, block.title, block, parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    _assign_ids(root, warnings)
    return root, warnings


def _assign_ids(root: Node, warnings: list[str]) -> None:
    parts = [n for n in root.walk() if n.level == "part"]
    chapters = [n for n in root.walk() if n.level == "chapter"]
    # Chapters are numbered through the document in most plans; if a plan restarts
    # them in every part, qualify chapter ids by part so they stay unique.
    restart = len({c.number for c in chapters}) < len(chapters) and parts
    seen: dict[str, int] = {}
    for node in root.walk():
        if node.level == "plan":
            continue
        if node.level == "part":
            base = f"part/{node.number}"
        elif node.level == "chapter":
            part = node.ancestor("part")
            base = f"{part.id}/chapter/{node.number}" if restart and part else f"chapter/{node.number}"
        else:
            container = node.ancestor("chapter") or node.ancestor("part")
            prefix = f"{container.id}/" if container else ""
            base = f"{prefix}section/{node.number}"
        if base in seen:
            seen[base] += 1
            warnings.append(f"heading {base} appears {seen[base]} times (line {node.heading.first})")
            node.id = f"{base}_{seen[base]}"
        else:
            seen[base] = 1
            node.id = base
