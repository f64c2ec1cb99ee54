"""Where each node of a plan stands, and how much room its label has: the layout, computed
once when the page is written (the page never moves a node).

It reads like the plan's table of contents, so that titles can be read the moment the page
opens. First a block for the plan's frame (positionings, vision, goals, the indicators by
category, principles), then a block a chapter in reading order, its part's title on top of
the first: the chapter's title, then its sections one a row, their measures beside them,
and its boxes with their projects. The blocks flow down columns like a newspaper's, as
many columns as fit the whole largest into a screen-shaped canvas, widened to its shape.

Laid out more than once: a pass says how small the whole will be on screen when it
opens; the next spaces the rows of the titles one reads then (parts, chapters, the frame)
a line of text apart at that size, which makes the whole taller, so smaller on screen, till
the spacing holds at the size it gives. Each node gets ``room`` (canvas units right of its marker
its label may take) and ``rowh`` (canvas units to the nearest row above or below holding a
label as important as its own): the page draws a label only where, at the current zoom,
both are enough.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from kg.kinds import KINDS

NAME = {k.pk: f"{k.style.zh} {k.style.en}" for k in KINDS if k.style}  # a caption in the frame
# The plan's frame, drawn in the first block; every other entity stands in its chapter.
FRAME = ("StrategicPositioning", "Vision", "Goal", "IndicatorTable", "Indicator", "Principle", "Achievement", "Preface")
OUTLINE_HEADS = ("Part", "Chapter")
HEADS = ("Section", "Box")  # a row of their own, their measures or projects beside them
DETAIL_TIER = 3  # the least important labels: measures, projects

CELL = 200  # one measure or project: its marker and its label (about 13 characters at zoom 1)
CELLS = 5  # cells a column: a section's title takes two, its measures flow over the rest
COLUMN = CELL * CELLS  # width of a column of chapters (before it is widened)
GAP = 160  # between columns
ROW = 30  # a row of sections, measures, projects, indicators
CHAPTER = 64  # a chapter's title row
HEAD = 76  # a part's title row; a positioning, the vision, a goal: one a row
CAPTION = 48  # the heading of a group in the frame
INDENT = 24  # a box under its section
PAD = 20  # below a block's last row, and between blocks
ASPECT = 1.45  # the canvas a layout is fitted to: a laptop's or a desktop's window beside the panel
SCREEN = 640  # its height in pixels (a laptop's), to say how large the first view draws a row
LINE = 22  # screen pixels between two rows of titles readable on load
FAR = 4 * HEAD  # rowh of a row with no neighbour of its rank


@dataclass(frozen=True)
class Caption:
    """A heading drawn without a node (a group of the frame, an indicator category)."""

    text: str
    tier: int


Item = Hashable  # a node's key, or a Caption


@dataclass
class Row:
    y: float  # its middle, from the top of its block
    height: float
    tier: int  # of its most important label
    items: list[tuple[Item, float, float]]  # (item, x of its marker in the column, room)


@dataclass
class Block:
    """Rows stacked from y = 0, moved as one into a column."""

    kind: str  # frame, chapter, other
    id: str = ""
    rows: list[Row] = field(default_factory=list)
    height: float = 0.0
    bands: list[tuple[str, str, float, float]] = field(default_factory=list)  # (kind, id, top, bottom)

    def row(self, height: float, items: list[tuple[Item, float, float]], tier: int) -> None:
        self.rows.append(Row(self.height + height / 2, height, tier, items))
        self.height += height


@dataclass
class Placed:
    height: float
    blocks: list[dict]  # shaded boxes behind the frame, the parts' title rows, the chapters
    captions: list[dict]


@dataclass(frozen=True)
class Spacing:
    """The heights of the rows that hold titles one reads on load."""

    head: float = HEAD
    chapter: float = CHAPTER
    caption: float = CAPTION

    def at(self, scale: float) -> Spacing:
        """Rows at least ``LINE`` screen pixels apart when drawn at ``scale``."""
        line = LINE / max(scale, 1e-6)
        return Spacing(max(self.head, line), max(self.chapter, line), max(self.caption, line))


def layout(nodes: dict, parent: dict, plan: Hashable, y0: float = 0.0) -> Placed:
    """Set ``x``, ``y``, ``room``, ``rowh`` and ``size`` of every node (dicts with ``cls``,
    ``tier``, ``category`` and ``size``, in reading order, keyed as ``parent`` is)."""
    placed, scale = _Pass(nodes, parent, plan, Spacing()).place(y0)
    for _ in range(4):  # wider rows make the whole taller, so smaller on screen: again, till it holds
        placed, then = _Pass(nodes, parent, plan, Spacing().at(scale)).place(y0)
        if then >= 0.97 * scale:
            break
        scale = then
    return placed


class _Pass:
    def __init__(self, nodes: dict, parent: dict, plan: Hashable, spacing: Spacing) -> None:
        self.nodes, self.plan, self.space = nodes, plan, spacing
        self.children: dict = defaultdict(list)
        for s in nodes:
            self.children[parent[s]].append(s)
        self.cls = {s: n["cls"] for s, n in nodes.items()}

    def tier(self, item: Item) -> int:
        return item.tier if isinstance(item, Caption) else self.nodes[item]["tier"]

    # --- blocks ---------------------------------------------------------------------

    def flow(self, block: Block, items: list, first: int, head: tuple | None = None) -> None:
        """``items`` one a cell from cell ``first`` on, wrapping; ``head`` at the row's left."""
        per = CELLS - first
        chunks = [items[i : i + per] for i in range(0, len(items), per)] or [[]]
        for k, chunk in enumerate(chunks):
            row: list[tuple[Item, float, float]] = [
                (s, (first + j) * CELL + 12, CELL - 8 if first + j < CELLS - 1 else CELL + GAP / 2)
                for j, s in enumerate(chunk)
            ]
            if k == 0 and head:
                row.insert(0, head)
            if row:
                block.row(ROW, row, min(self.tier(item) for item, _, _ in row))

    def outline(self, s) -> list:
        return [c for c in self.children[s] if self.cls[c] not in FRAME + OUTLINE_HEADS]

    def leaves(self, kids: list) -> list:
        return [c for c in kids if self.cls[c] not in HEADS and not self.outline(c)]

    def rows_of(self, block: Block, s, depth: int) -> None:
        """A section (or box) a row, its leaves beside it; what else it holds as rows below."""
        kids = self.outline(s)
        leaves = self.leaves(kids)
        indent = min(depth, 4) * INDENT
        self.flow(block, leaves, 2, (s, indent + 12, 2 * CELL - indent - 20))
        for c in kids:
            if c not in leaves:
                self.rows_of(block, c, depth + 1)

    def content(self, block: Block, s) -> None:
        """What a chapter (or a part) holds: measures straight in it, then its sections."""
        kids = self.outline(s)
        leaves = self.leaves(kids)
        if leaves:
            self.flow(block, leaves, 2)
        for c in kids:
            if c not in leaves:
                self.rows_of(block, c, 1)

    def frame(self) -> Block:
        """The plan, then what frames it, group by group, each under its caption."""
        sp, block = self.space, Block("frame", str(self.plan))
        block.row(sp.head, [(self.plan, 24, COLUMN - 24)], 0)
        by_cls: dict[str, list] = defaultdict(list)
        for s in self.nodes:
            by_cls[self.cls[s]].append(s)
        for group in (("StrategicPositioning",), ("Vision", "Goal")):
            members = [s for c in group for s in by_cls[c]]
            if members:
                caption = " · ".join(NAME[c] for c in group if by_cls[c])
                block.row(sp.caption, [(Caption(caption, 1), 0, COLUMN)], 1)
                for s in members:
                    block.row(sp.head, [(s, 36, COLUMN - 36)], 0)
        if by_cls["Indicator"] or by_cls["IndicatorTable"]:
            for t in by_cls["IndicatorTable"]:
                block.row(sp.chapter, [(t, 24, COLUMN - 24)], 1)
            if not by_cls["IndicatorTable"]:
                block.row(sp.caption, [(Caption(NAME["Indicator"], 1), 0, COLUMN)], 1)
            categories: dict[str, list] = defaultdict(list)
            for s in by_cls["Indicator"]:
                categories[self.nodes[s]["category"]].append(s)
            for name, members in categories.items():
                if name:
                    block.row(ROW, [(Caption(name, 2), 36, COLUMN - 36)], 2)
                self.flow(block, members, 0)
        for c in ("Principle", "Achievement", "Preface"):
            if by_cls[c]:
                block.row(sp.caption, [(Caption(NAME[c], 2), 0, COLUMN)], 2)
                self.flow(block, by_cls[c], 0)
        block.height += PAD
        return block

    def part_rows(self, block: Block, parts: list) -> None:
        for p in parts:
            block.bands.append(("part", str(p), block.height, block.height + self.space.head))
            block.row(self.space.head, [(p, 16, COLUMN - 16)], 0)
            self.content(block, p)  # a box printed under a part, before its first chapter

    def blocks(self) -> list[Block]:
        blocks = [self.frame()]
        pending: list = []  # parts waiting for their first chapter
        for s in self.nodes:
            if self.cls[s] == "Part":
                pending.append(s)
            elif self.cls[s] == "Chapter":
                block = Block("chapter", str(s))
                self.part_rows(block, pending)
                pending = []
                top = block.height
                block.row(self.space.chapter, [(s, 16 + INDENT, COLUMN - 16 - INDENT)], 1)
                self.content(block, s)
                block.height += PAD
                block.bands.append(("chapter", str(s), top, block.height))
                blocks.append(block)
        if pending:  # parts with no chapter
            block = Block("chapter", str(pending[0]))
            self.part_rows(block, pending)
            block.height += PAD
            blocks.append(block)
        placed = {item for b in blocks for r in b.rows for item, _, _ in r.items}
        rest = [s for s in self.nodes if s not in placed]
        if rest:  # whatever stands outside any chapter (a box printed under the plan itself)
            block = Block("other")
            self.flow(block, rest, 0)
            block.height += PAD
            blocks.append(block)
        return blocks

    # --- columns ----------------------------------------------------------------------

    def place(self, y0: float) -> tuple[Placed, float]:
        """The blocks in columns: (what was placed, the scale at which it fills a ``SCREEN``
        tall canvas)."""
        blocks = self.blocks()
        columns = _columns([b.height for b in blocks])
        # Columns widened to the canvas' shape when the blocks leave it narrower: more room
        # for every label, and no side of the first view left empty.
        n = len(columns)
        tallest = max(sum(blocks[i].height + PAD for i in c) for c in columns)
        stretch = min(2.0, max(1.0, (ASPECT * tallest - (n - 1) * GAP) / (n * COLUMN)))
        width = COLUMN * stretch
        scale = min(ASPECT / (n * width + (n - 1) * GAP), 1 / tallest)
        out = Placed(tallest, [], [])
        for k, members in enumerate(columns):
            x0, y = k * (width + GAP), y0
            rows: list[tuple[float, Row]] = []
            for i in members:
                b = blocks[i]
                if b.kind == "frame":
                    out.blocks.append(_rect("frame", b.id, x0, y, width, b.height - PAD))
                for kind, ident, top, bottom in b.bands:
                    out.blocks.append(_rect(kind, ident, x0, y + top, width, bottom - top))
                rows += [(y + r.y, r) for r in b.rows]
                y += b.height + PAD
            self.put(rows, x0, stretch, out)
        return out, scale * SCREEN

    def put(self, rows: list[tuple[float, Row]], x0: float, stretch: float, out: Placed) -> None:
        """The rows of one column on the canvas, each label's room and rowh with them."""
        ys = {t: [y for y, r in rows if r.tier <= t] for t in range(DETAIL_TIER + 1)}
        for y, r in rows:
            for item, dx, room in r.items:
                t = self.tier(item)
                near = ys[min(t, DETAIL_TIER)]
                i = bisect.bisect_left(near, y)
                above = y - near[i - 1] if i > 0 else FAR
                below = near[i + 1] - y if i + 1 < len(near) else FAR
                at = {"x": round(x0 + dx * stretch), "y": round(y), "room": round(room * stretch)}
                at["rowh"] = round(min(above, below, FAR))
                if isinstance(item, Caption):
                    out.captions.append({"text": item.text, "tier": t, **at})
                    continue
                n = self.nodes[item]
                n.update(at)
                n["size"] = min(n["size"], max(6, int(r.height / 2 - 4)))


def _rect(kind: str, ident: str, x: float, y: float, w: float, h: float) -> dict:
    return {"kind": kind, "id": ident, "x": round(x), "y": round(y), "w": round(w), "h": round(h)}


def _columns(heights: list[float]) -> list[list[int]]:
    """Blocks (in order) into columns: the split, over every number of columns, that shows
    the whole largest in a canvas ``ASPECT`` times as wide as it is tall."""
    best: tuple[float, list[list[int]]] = (0.0, [list(range(len(heights)))])
    for n in range(1, len(heights) + 1):
        columns = _split(heights, n)
        width = len(columns) * COLUMN + (len(columns) - 1) * GAP
        tallest = max(sum(heights[i] + PAD for i in c) for c in columns)
        scale = min(ASPECT / width, 1 / tallest)
        if scale > best[0]:
            best = (scale, columns)
    return best[1]


def _split(heights: list[float], n: int) -> list[list[int]]:
    """The blocks into at most ``n`` consecutive columns, the tallest as short as it can be."""
    sizes = [h + PAD for h in heights]

    def fill(limit: float) -> list[list[int]]:
        columns: list[list[int]] = [[]]
        used = 0.0
        for i, h in enumerate(sizes):
            if columns[-1] and used + h > limit:
                columns.append([])
                used = 0.0
            columns[-1].append(i)
            used += h
        return columns

    lo, hi = max(sizes), sum(sizes)
    for _ in range(40):
        mid = (lo + hi) / 2
        if len(fill(mid)) <= n:
            hi = mid
        else:
            lo = mid
    return fill(hi)
