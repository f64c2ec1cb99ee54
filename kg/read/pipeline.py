"""The pipeline: plan text -> plan model. One function a notebook, a test or the CLI calls."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from kg.errors import InputError, NotAPlanError
from kg.model import Goal, Indicator, IndicatorTable, Plan
from kg.read import metadata
from kg.read import patterns as P
from kg.read.blocks import Table
from kg.read.boxes import extract_boxes
from kg.read.check import coverage, suspect_empty
from kg.read.cleaning import clean
from kg.read.contents import missing_entries
from kg.read.entities import framework_entities, measures, outline_entities, preface
from kg.read.indicators import extract_indicators, previous_plan_table
from kg.read.layout import layout
from kg.read.outline import build_outline
from kg.read.source import MAX_MB, SourceText, decode, read_source

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


def extract(
    path: str | Path | None = None, encoding: str = "utf-8", plan_id: str | None = None, max_mb: float = MAX_MB
) -> Plan:
    """Read and extract a plan file; ``None`` extracts the bundled plan."""
    return extract_source(read_source(path, encoding, max_mb), plan_id)


def extract_source(source: SourceText, plan_id: str | None = None) -> Plan:
    plan_id = check_plan_id(plan_id) if plan_id is not None else plan_id_from_name(source.name)
    cleaned = clean(source.text)
    lines = cleaned.lines
    blocks = layout(cleaned)
    root, warnings = build_outline(blocks)
    warnings = list(source.warnings) + cleaned.warnings + warnings
    outline = outline_entities(root)
    if not outline["chapter"] and not outline["part"]:
        raise NotAPlanError(
            f"{source.name} has no plan headings (第一章 …, 第一篇 …, 一、…)",
            "is this a development plan (as text dumped from a PDF or copied from a web page)? "
            "check the file and --encoding",
        )
    framework = framework_entities(root)
    boxes, projects = extract_boxes(root)
    tables: list[IndicatorTable] = []
    indicators: list[Indicator] = []
    previous: list[Indicator] = []
    for node in root.walk():
        for block in node.content:
            if isinstance(block, Table):
                ids = {**node.container_ids(), "parent": node.id if node.level != "plan" else None}
                # The plan's first own table keeps the plain ids whatever precedes it; a table of
                # the previous plan's results is numbered apart.
                if previous_plan_table(block.title, block.header):
                    k = sum(1 for t in tables if not t.own) + 1
                    prefix, table_id = f"previous-table/{k}/indicator", f"previous-table/{k}"
                else:
                    k = sum(1 for t in tables if t.own) + 1
                    prefix, table_id = (
                        ("indicator", "indicator-table") if k == 1 else (f"table/{k}/indicator", f"table/{k}")
                    )
                meta, rows, table_warnings = extract_indicators(block, ids, prefix, table_id)
                tables.append(meta)
                (indicators if meta.own else previous).extend(rows)
                warnings += table_warnings
    table_meta = next((t for t in tables if t.own), None)
    pre = preface(root)
    full_text = source.text
    head_text = "\n".join(ln.text for ln in cleaned.head)
    number = metadata.plan_number(head_text + "\n" + full_text)
    vision = framework["vision"][0] if framework["vision"] else None
    years = (table_meta.base_year, table_meta.target_year) if table_meta else (None, None)
    start, end = metadata.period(head_text + (pre.text if pre else "") + full_text[:5000], number, years)
    title = metadata.title_from_lines([ln.text for ln in cleaned.title_lines]) or metadata.plan_title(
        pre.text if pre else "", [ln.text for ln in lines[:5]]
    )
    level, region = metadata.level_and_region(title)
    missing = missing_entries([ln.text for ln in cleaned.toc], [ln.text for ln in lines])
    truncated = bool(missing) or _stops_mid_sentence(blocks)
    if missing:
        warnings.append(
            f"the text stops before the plan's end: the table of contents lists {len(missing)} "
            f"headings it never prints, from {missing[0]!r}"
        )
    elif truncated:
        warnings.append("the text stops before the plan's end: its last paragraph breaks off mid-sentence")
    plan = Plan(
        id=plan_id,
        title=title,
        source_name=source.name,
        sha256=source.sha256,
        encoding=source.encoding,
        period_start=start,
        period_end=end,
        horizon=(vision.number if vision else metadata.horizon(full_text)),
        plan_number=number,
        preface=pre,
        level=level,
        region=region,
        region_code=metadata.region_code(region),
        adopted=metadata.adoption(_after_title(cleaned)),
        document_number=metadata.document_number(head_text),
        truncated=truncated,
        parts=outline["part"],
        chapters=outline["chapter"],
        sections=outline["section"],
        positionings=framework["positionings"],
        vision=vision,
        goals=cast(list[Goal], framework["goals"]),  # made as Goal by kg.read.entities
        principles=framework["principles"],
        achievements=framework["achievements"],
        measures=measures(root),
        boxes=boxes,
        projects=projects,
        indicators=indicators,
        indicator_table=table_meta,
        indicator_tables=tables,
        previous_indicators=previous,
        warnings=warnings,
    )
    plan.body_lines, unread = coverage(plan, lines)
    plan.unread_lines = [ln.no for ln in unread]
    plan.suspect_empty = suspect_empty(plan, lines)
    plan.warnings += [f"{s}: the extractor missed them (report it with the plan text)" for s in plan.suspect_empty]
    return plan


def _after_title(cleaned) -> list[str]:
    """The head's lines after the title block, then those before it (a notice)."""
    title = {ln.no for ln in cleaned.title_lines}
    last = max(title, default=0)
    after = [ln.text for ln in cleaned.head if ln.no > last and ln.no not in title]
    return after + [ln.text for ln in cleaned.head if ln.no < last and ln.no not in title]


def _stops_mid_sentence(blocks) -> bool:
    """Does the text's last paragraph break off mid-sentence (a page cut off)?"""
    last = next((b for b in reversed(blocks) if b.kind in ("paragraph", "heading", "subheading", "backmatter")), None)
    if last is None or last.kind in ("heading", "subheading"):
        return False
    if last.kind == "backmatter" and not re.match(r"名\s*词", last.lines[0].text):
        return False  # an appendix table ends in a cell, not a sentence
    return not P.ends_sentence(last.lines[-1].text)
