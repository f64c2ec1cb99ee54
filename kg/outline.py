"""Stage 3: blocks -> the outline tree (plan > 篇 part > 章 chapter > 节 section).

Content blocks (paragraphs, boxes, the table) hang under the deepest open heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cleaning import Line
from .layout import Block, Heading

_RANK = {"plan": 0, "part": 1, "chapter": 2, "section": 3}


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


def build_outline(blocks: list[Block]) -> tuple[Node, list[str]]:
    """The outline and any warnings (a heading out of sequence, a repeated number)."""
    root = Node("plan", 0, "", None)
    warnings: list[str] = []
    stack = [root]
    for block in blocks:
        if isinstance(block, Heading):
            rank = _RANK[block.level]
            while _RANK[stack[-1].level] >= rank:
                stack.pop()
            node = Node(block.level, block.number, block.title, block, parent=stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack[-1].content.append(block)
    _assign_ids(root, warnings)
    return root, warnings


def _assign_ids(root: Node, warnings: list[str]) -> None:
    parts = [n for n in root.walk() if n.level == "part"]
    chapters = [n for n in root.walk() if n.level == "chapter"]
    # Chapters are numbered through the document in this genre; if a plan restarts
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
