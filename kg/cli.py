"""The command line: a thin shell over kg's functions. Errors print one line, exit 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .build import build as build_plan
from .errors import PlanError
from .model import Plan
from .output import plan_json, write_atomic
from .pipeline import extract

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="plankg: turn a Chinese five-year plan (PDF text dump) into a knowledge graph.",
)
state = {"debug": False}
out_console = Console()
err_console = Console(stderr=True)

PLAN_ARG = typer.Argument(None, help="Plan text file (UTF-8 unless --encoding). Omit it to use the bundled plan.")
ENCODING = typer.Option("utf-8", "--encoding", "-e", help="Encoding of the plan text, e.g. gb18030.")
PLAN_ID = typer.Option(None, "--id", help="Plan id for outputs and IRIs (default: from the file name).")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plankg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    state["debug"] = debug


def _fail(err: PlanError) -> None:
    if state["debug"]:
        raise err
    err_console.print(f"[bold red]error:[/] {err.one_line()}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


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


def print_summary(plan: Plan) -> None:
    out_console.print(f"[bold]{plan.title or '(untitled plan)'}[/]", highlight=False)
    out_console.print(f"period {plan.period_start}–{plan.period_end}, horizon {plan.horizon}", highlight=False)
    out_console.print(summary_table(plan))
    for w in plan.warnings:
        err_console.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)


@app.command("extract")
def extract_cmd(
    plan: Optional[Path] = PLAN_ARG,
    as_json: bool = typer.Option(False, "--json", help="Write the plan model as JSON (docs/model.md)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    encoding: str = ENCODING,
    plan_id: Optional[str] = PLAN_ID,
) -> None:
    """Extract the plan model; print a summary, or the model as JSON with --json.

    Example: plankg extract --json -o build/bayannur.json
    """
    try:
        model = extract(plan, encoding=encoding, plan_id=plan_id)
        if as_json:
            text = plan_json(model)
            if output:
                write_atomic(output, text)
                err_console.print(f"wrote {output}")
            else:
                sys.stdout.write(text)
        else:
            print_summary(model)
    except PlanError as err:
        _fail(err)


@app.command()
def build(
    plan: Optional[Path] = PLAN_ARG,
    out: Path = typer.Option(Path("build"), "--out", help="Output folder."),
    encoding: str = ENCODING,
    plan_id: Optional[str] = PLAN_ID,
) -> None:
    """Build a plan's outputs in build/ and print what was extracted (the main job).

    Example: plankg build            (the bundled plan)
    """
    try:
        result = build_plan(plan, out, encoding=encoding, plan_id=plan_id)
    except PlanError as err:
        _fail(err)
        return
    print_summary(result.plan)
    for path in result.outputs:
        out_console.print(f"wrote {path}")


def run() -> None:
    app()
