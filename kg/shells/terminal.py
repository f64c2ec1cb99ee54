"""What the command line prints: plain results and models -> terminal tables (rich).

Presentation only; the functions that produce what is shown live below the shells.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from kg.errors import QueryError
from kg.model import Plan
from kg.query import results as R
from kg.query.store import Answer, Result

out_console = Console()
err_console = Console(stderr=True)


def summary_table(plan: Plan) -> Table:
    table = Table(title=f"{plan.id}", title_justify="left")
    table.add_column("entity")
    table.add_column("count", justify="right")
    for name, count in plan.counts().items():
        table.add_row(name, str(count))
    lead = sum(1 for m in plan.measures if m.unit == "lead-phrase")
    table.add_section()
    table.add_row("measures with a lead phrase", str(lead))
    table.add_row("sections taken whole", str(len(plan.measures) - lead))
    return table


def print_check(plan: Plan) -> None:
    """What was read, class by class, and what the text suggests was missed."""
    out_console.print(f"[bold]{plan.title or plan.id}[/] ({plan.source_name})", highlight=False)
    facts = [
        f"level {plan.level or '?'}",
        f"period {plan.period_start}–{plan.period_end}",
        "pages from the text's markers"
        if any(e.provenance.page_start for e in plan.chapters)
        else "no pages (a web page, or no page markers)",
    ]
    if plan.truncated:
        facts.append("[yellow]the text stops before the plan's end[/]")
    out_console.print("; ".join(facts), highlight=False)
    table = Table(title_justify="left")
    table.add_column("class")
    table.add_column("count", justify="right")
    table.add_column("check")
    flagged = {s.split(":")[0]: s.split(":", 1)[1].strip() for s in plan.suspect_empty}
    for name, count in plan.counts().items():
        table.add_row(name, str(count), f"[red]{flagged[name]}[/]" if name in flagged else "")
    out_console.print(table)
    read = plan.body_lines - len(plan.unread_lines)
    share = read / plan.body_lines if plan.body_lines else 0.0
    out_console.print(
        f"{read} of {plan.body_lines} body lines ({share:.1%}) ended in an entity; "
        f"{len(plan.unread_lines)} did not" + (f" (first: line {plan.unread_lines[0]})" if plan.unread_lines else ""),
        highlight=False,
    )
    print_warnings(plan)


def print_summary(plan: Plan) -> None:
    out_console.print(f"[bold]{plan.title or '(untitled plan)'}[/]", highlight=False)
    out_console.print(f"period {plan.period_start}–{plan.period_end}, horizon {plan.horizon}", highlight=False)
    out_console.print(summary_table(plan))
    print_warnings(plan)


def print_warnings(plan: Plan) -> None:
    for w in plan.warnings:
        err_console.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)


def print_build(result) -> None:
    """One plan's build (a ``kg.shells.build.BuildResult``): counts per class, files written."""
    plan = result.plan
    out_console.print(f"[bold]{plan.title or plan.id}[/]", highlight=False)
    out_console.print(
        f"period {plan.period_start}–{plan.period_end}, horizon {plan.horizon}; "
        f"graph: {len(result.graph)} triples, {result.report.summary()}",
        highlight=False,
        soft_wrap=True,
    )
    table = Table(title=f"{plan.id}: entities per class", title_justify="left")
    table.add_column("class")
    table.add_column("count", justify="right")
    for name, count in result.class_counts().items():
        table.add_row(f"pk:{name}", str(count))
    out_console.print(table)
    print_warnings(plan)
    print_written(result.outputs)


def print_written(paths: list[Path]) -> None:
    for path in paths:
        note = "  ← open in a browser" if path.suffix == ".html" else ""
        out_console.print(f"wrote {path}{note}", highlight=False, soft_wrap=True)


def answer_text(answer: Answer, fmt: str) -> str | Table:
    """A query's answer as the command prints it: a table, or csv/tsv/json text."""
    if isinstance(answer, bool):
        return "true\n" if answer else "false\n"
    if isinstance(answer, list):  # CONSTRUCT / DESCRIBE
        if fmt != "table":
            raise QueryError(
                "only SELECT results can be written as csv/tsv/json", "use --format table for ASK/CONSTRUCT"
            )
        return "".join(f"{t}\n" for t in answer)
    if fmt == "table":
        return result_table(answer)
    return R.select(answer.columns, answer.rows, fmt).decode("utf-8")


def result_table(result: Result) -> Table:
    """A terminal table. A plan column that names one plan only goes to the caption: it
    would take a third of a narrow terminal to repeat the same id on every row."""
    columns, rows = list(result.columns), result.values()
    caption = f"{len(rows)} row(s)"
    if "plan" in columns and rows and len({r[columns.index("plan")] for r in rows}) == 1:
        at = columns.index("plan")
        caption = f"plan {rows[0][at]}: {caption}"
        columns = columns[:at] + columns[at + 1 :]
        rows = [r[:at] + r[at + 1 :] for r in rows]
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else _short(v) for v in row])
    table.caption = caption
    return table


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


SEARCH_COLUMNS = ("plan", "kind", "title", "page", "line", "snippet", "iri")


def search_text(hits: list, fmt: str) -> Table | str:
    """Search hits (``kg.query.search.Hit``) as a terminal table, CSV or JSON."""
    import csv
    import io
    import json
    from dataclasses import asdict

    if fmt == "json":
        return json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(SEARCH_COLUMNS)
        for h in hits:
            writer.writerow(["" if getattr(h, c) is None else getattr(h, c) for c in SEARCH_COLUMNS])
        return buffer.getvalue()
    table = Table(title=f"{len(hits)} hits", title_justify="left")
    for column in ("plan", "kind", "title", "page", "snippet"):
        table.add_column(column, justify="right" if column == "page" else "left", overflow="fold")
    for h in hits:
        snippet = h.snippet.replace("[", r"\[").replace("【", "[bold yellow]").replace("】", "[/]")
        table.add_row(h.plan, h.kind, h.title, "" if h.page is None else str(h.page), snippet)
    return table
