"""Stage 4b: 专栏 boxes -> boxes and their projects."""

from __future__ import annotations

import re

from kg.model import Box, Project
from kg.read.layout import Box as BoxBlock
from kg.read.outline import Node
from kg.read.patterns import item as parse_item
from kg.read.provenance import provenance
from kg.read.textutil import join_wrapped


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
    if marker.isdigit():
        return "digit"  # a table row's bare number
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
                id=box_id,
                kind="box",
                title=block.title,
                text=join_wrapped([ln.text for ln in block.intro]),
                provenance=provenance(head, block.lines),
                number=number,
                parent=node.id if node.level != "plan" else None,
                label=block.label,
                occurrence=occurrence,
                **ids,
            )
            boxes.append(box)
            items = block.items
            style = _marker_style(items[0].marker) if items else ""
            kept: list = []
            for item in items:
                # A numbered line of another style is a list inside a description.
                if not item.cells and _marker_style(item.marker) != style and kept:
                    kept[-1].body_lines.extend(item.lines)
                    continue
                kept.append(item)
            for k, item in enumerate(kept, start=1):
                if item.cells:
                    projects.append(_row_project(item, block.columns, f"{box_id}/project/{k}", box_id, ids))
                    continue
                first = join_wrapped([ln.text for ln in item.title_lines[:1]])
                parsed = parse_item(first) if item.marker else None
                rest = parsed[2] if parsed else first
                if not rest or (parsed and len(item.title_lines) > 1):
                    rest = join_wrapped([rest] + [ln.text for ln in item.title_lines[1:]])
                title, inline = _split_title(rest)
                desc = join_wrapped([inline] + [ln.text for ln in item.body_lines])
                projects.append(
                    Project(
                        id=f"{box_id}/project/{k}",
                        kind="project",
                        title=title,
                        text=desc,
                        provenance=provenance(item.lines),
                        number=item.number,
                        parent=box_id,
                        marker=item.marker,
                        box=box_id,
                        **ids,
                    )
                )
    return boxes, projects


_NAME_COLUMN = re.compile(r"^((?:项目|工程)?名称|项目|工程|重大工程|重点项目)$")
_TEXT_COLUMNS = ("建设内容及规模", "建设内容", "主要内容", "建设规模")


def _row_project(item, columns: list[str], project_id: str, box_id: str, ids: dict) -> Project:
    """A row of a box printed as a table: its name cell the title, its content the text,
    every other column an attribute."""
    cells = item.cells
    name = next((c for c in columns if _NAME_COLUMN.match(c)), columns[0])
    text_col = next((c for c in _TEXT_COLUMNS if c in cells), None)
    attributes = {c: v for c, v in cells.items() if c not in (name, text_col, "序号", "编号") and v}
    return Project(
        id=project_id,
        kind="project",
        title=cells.get(name, ""),
        text=cells.get(text_col, "") if text_col else "",
        provenance=provenance(item.lines),
        number=item.number,
        parent=box_id,
        marker=item.marker or None,
        box=box_id,
        attributes=attributes,
        **ids,
    )
