"""Stage 4b: 专栏 boxes -> boxes and their projects."""

from __future__ import annotations

import re

from .layout import Box as BoxBlock
from .patterns import item as parse_item
from .model import Box, Project
from .outline import Node
from .provenance import provenance
from .textutil import join_wrapped


def _marker_style(marker: str) -> str:
    """'（一）' -> '（一）-style': items of one box share one numbering style."""
    if not marker:
        return "paragraph"
    if re.match(r"^[（(]\s*\d", marker):
        return "paren-digit"
    if re.match(r"^[（(]", marker):
        return "paren-cn"
    if re.match(r"^0\d", marker) or re.fullmatch(r"\d{2}", marker):
        return "zero-digit"  # '01' … '09', '10': bare two-digit numbers
    return "digit-" + marker[-1]


def _split_title(first: str) -> tuple[str, str]:
    """An item line may carry its description too: '1.铁路：新建…' or '1.铁路。新建…'."""
    m = re.match(r"^(.{2,40}?)[：:。](.*)$", first)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    m = re.match(r"^(.{4,40}?)[，,](.*)$", first)
    if m and len(first) > 60:
        return m.group(1).strip(), m.group(2).strip()  # a long paragraph item: its first clause
    return first, ""


def extract_boxes(root: Node) -> tuple[list[Box], list[Project]]:
    boxes: list[Box] = []
    projects: list[Project] = []
    seen: dict[str, int] = {}
    for node in root.walk():
        for block in node.content:
            if not isinstance(block, BoxBlock):
                continue
            seen[block.label] = seen.get(block.label, 0) + 1
            occurrence = seen[block.label]
            box_id = f"box/{block.label}" + (f"_{occurrence}" if occurrence > 1 else "")
            ids = node.container_ids()
            number = int(re.findall(r"\d+", block.label)[-1]) if re.search(r"\d", block.label) else None
            in_items = {x for it in block.items for x in it.lines}
            head = [ln for ln in block.lines if ln not in in_items]
            box = Box(
                id=box_id, kind="box", title=block.title, text=join_wrapped([ln.text for ln in block.intro]),
                provenance=provenance(head, block.lines), number=number,
                parent=node.id if node.level != "plan" else None, label=block.label, occurrence=occurrence, **ids,
            )
            boxes.append(box)
            items = block.items
            style = _marker_style(items[0].marker) if items else ""
            kept: list = []
            for item in items:
                # A numbered line of another style is a list inside a description.
                if _marker_style(item.marker) != style and kept:
                    kept[-1].body_lines.extend(item.lines)
                    continue
                kept.append(item)
            for k, item in enumerate(kept, start=1):
                first = join_wrapped([ln.text for ln in item.title_lines[:1]])
                parsed = parse_item(first) if item.marker else None
                rest = parsed[2] if parsed else first
                if not rest or (parsed and len(item.title_lines) > 1):
                    rest = join_wrapped([rest] + [ln.text for ln in item.title_lines[1:]])
                title, inline = _split_title(rest)
                desc = join_wrapped([inline] + [ln.text for ln in item.body_lines])
                projects.append(
                    Project(
                        id=f"{box_id}/project/{k}", kind="project", title=title, text=desc,
                        provenance=provenance(item.lines), number=item.number, parent=box_id,
                        marker=item.marker, box=box_id, **ids,
                    )
                )
    return boxes, projects
