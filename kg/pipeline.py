"""The pipeline: plan text -> plan model. One function a notebook, a test or the CLI calls."""

from __future__ import annotations

import re
from pathlib import Path

from . import metadata
from .boxes import extract_boxes
from .cleaning import clean
from .entities import framework_entities, measures, outline_entities, preface
from .errors import InputError, NotAPlanError
from .indicators import extract_indicators
from .layout import Table, layout
from .model import Plan
from .outline import build_outline
from .reading import SourceText, decode, read_source


PLAN_ID = re.compile(r"^[0-9a-z\u4e00-\u9fff][0-9a-z\u4e00-\u9fff._-]{0,79}$")


def check_plan_id(plan_id: str) -> str:
    if not PLAN_ID.match(plan_id):
        raise InputError(
            f"plan id {plan_id!r} cannot be used in file names and IRIs",
            "use lower-case letters, digits, Chinese characters, '-', '_' or '.', e.g. --id qinghe-15th",
        )
    return plan_id


def plan_id_from_name(name: str) -> str:
    """'Bayannur 14th FYP.txt' -> 'bayannur-14th-fyp': safe in file names and IRIs."""
    stem = Path(name).stem.lower()
    slug = re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", stem).strip("-")
    return slug[:80].strip("-") or "plan"


def extract_text(text: str, name: str = "plan.txt", plan_id: str | None = None) -> Plan:
    """Extract a plan from text already in memory."""
    return extract_source(decode(text.encode("utf-8"), name), plan_id)


def extract(path: str | Path | None = None, encoding: str = "utf-8", plan_id: str | None = None) -> Plan:
    """Read and extract a plan file; ``None`` extracts the bundled plan."""
    return extract_source(read_source(path, encoding), plan_id)


def extract_source(source: SourceText, plan_id: str | None = None) -> Plan:
    plan_id = check_plan_id(plan_id) if plan_id is not None else plan_id_from_name(source.name)
    lines = clean(source.text)
    blocks = layout(lines)
    root, warnings = build_outline(blocks)
    outline = outline_entities(root)
    if not outline["chapter"] and not outline["part"]:
        raise NotAPlanError(
            f"{source.name} has no plan headings (第一章 …, 第一篇 …, 第一节 …)",
            "is this a development plan dumped from PDF? check the file and --encoding",
        )
    framework = framework_entities(root)
    boxes, projects = extract_boxes(root)
    table_meta, indicators = None, []
    for node in root.walk():
        for block in node.content:
            if isinstance(block, Table) and table_meta is None:
                ids = {**node.container_ids(), "parent": node.id if node.level != "plan" else None}
                table_meta, indicators, table_warnings = extract_indicators(block, ids)
                warnings += table_warnings
    pre = preface(root)
    full_text = source.text
    head = [ln.text for ln in lines[:5]]
    number = metadata.plan_number(full_text)
    vision = framework["vision"][0] if framework["vision"] else None
    years = (table_meta.base_year, table_meta.target_year) if table_meta else (None, None)
    start, end = metadata.period((pre.text if pre else "") + full_text[:5000], number, years)
    return Plan(
        id=plan_id,
        title=metadata.plan_title(pre.text if pre else "", head),
        source_name=source.name,
        sha256=source.sha256,
        encoding=source.encoding,
        period_start=start,
        period_end=end,
        horizon=(vision.number if vision else metadata.horizon(full_text)),
        plan_number=number,
        preface=pre,
        parts=outline["part"],
        chapters=outline["chapter"],
        sections=outline["section"],
        positionings=framework["positionings"],
        vision=vision,
        goals=framework["goals"],
        principles=framework["principles"],
        achievements=framework["achievements"],
        measures=measures(root),
        boxes=boxes,
        projects=projects,
        indicators=indicators,
        indicator_table=table_meta,
        warnings=warnings,
    )
