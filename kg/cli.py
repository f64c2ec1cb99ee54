"""The command line: a thin shell over kg's functions.

Errors a user can cause print one line (what is wrong; what to try) and exit non-zero;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .build import build as build_plan
from .build import validate_file
from .errors import PlanError, QueryError
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
    raise typer.Exit(err.exit_code)


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
    _warnings(plan)


def _warnings(plan: Plan) -> None:
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
    plans: Optional[List[Path]] = typer.Argument(None, help="Plan text files. Omit them to build the bundled plan."),
    out: Path = typer.Option(Path("build"), "--out", help="Output folder."),
    formats: str = typer.Option("ttl", "--format", "-f", help="Graph formats to write, comma-separated: ttl,trig,nq,jsonld."),
    encoding: str = ENCODING,
    plan_id: Optional[str] = PLAN_ID,
) -> None:
    """Build each plan's graph: extract, validate against the SHACL shapes, write
    build/<plan-id>.ttl (and .json, the model), print entity counts per class.

    Example: plankg build            (the bundled plan into build/)
    """
    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in ("ttl", "trig", "nq", "jsonld")]
    try:
        if bad:
            raise PlanError(f"unknown format {bad[0]!r}", "use ttl, trig, nq or jsonld, comma-separated")
        if plan_id and plans and len(plans) > 1:
            raise PlanError("--id names one plan, but several were given", "build them one at a time to set ids")
        for path in plans or [None]:
            result = build_plan(path, out, encoding=encoding, plan_id=plan_id, formats=wanted)
            result.outputs += _write_viz(result.graph, out)
            _print_build(result)
    except PlanError as err:
        _fail(err)


def _print_build(result) -> None:
    plan = result.plan
    out_console.print(f"[bold]{plan.title or plan.id}[/]", highlight=False)
    out_console.print(f"period {plan.period_start}–{plan.period_end}, horizon {plan.horizon}; "
                      f"graph: {len(result.graph)} triples, {result.report.summary()}", highlight=False, soft_wrap=True)
    table = Table(title=f"{plan.id}: entities per class", title_justify="left")
    table.add_column("class")
    table.add_column("count", justify="right")
    for name, count in result.class_counts().items():
        table.add_row(f"pk:{name}", str(count))
    out_console.print(table)
    _warnings(plan)
    for path in result.outputs:
        note = "  ← open in a browser" if path.suffix == ".html" else ""
        out_console.print(f"wrote {path}{note}", highlight=False, soft_wrap=True)


def _write_viz(graph, out: Path) -> list[Path]:
    from viz import write_pages

    return write_pages(graph, out)


@app.command()
def viz(
    data: Path = typer.Option(Path("build"), "--data", help="Build folder (every *.ttl) or one graph file."),
    out: Path = typer.Option(Path("build"), "--out", help="Where to write <plan-id>.html."),
) -> None:
    """Write the interactive graph browser, one offline HTML page per plan.

    Example: plankg viz            (build/*.ttl -> build/<plan-id>.html; open it in a browser)
    """
    from rdflib import Graph

    from .errors import DataError
    from .store import graph_files

    try:
        graph = Graph()
        for path in graph_files(data):
            try:
                graph.parse(path)
            except Exception as err:  # rdflib's parsers raise many types
                raise DataError(f"cannot parse {path}: {str(err).splitlines()[0] if str(err) else err}",
                                "rebuild it with 'plankg build'") from None
        for path in _write_viz(graph, out):
            out_console.print(f"wrote {path} (open it in a browser)", highlight=False, soft_wrap=True)
    except PlanError as err:
        _fail(err)


@app.command()
def report(
    data: Path = typer.Option(Path("build"), "--data", help="Build folder with the plans' graphs."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the report (default: <data>/alignment.html)."),
) -> None:
    """Run the alignment notebook on the built graphs and render it to one offline HTML page.

    Example: plankg report            (build/ -> build/alignment.html)
    """
    from .report import report as render_report

    try:
        path = render_report(data, out)
    except PlanError as err:
        _fail(err)
        return
    out_console.print(f"wrote {path}  ← open in a browser", highlight=False, soft_wrap=True)


@app.command()
def validate(
    file: Path = typer.Argument(..., help="A graph file: .ttl, .trig, .nq, .nt or .jsonld."),
) -> None:
    """Validate a graph file against the plankg SHACL shapes (exit 1 on violations).

    Example: plankg validate build/bayannur-14th-fyp.ttl
    """
    try:
        report = validate_file(file)
    except PlanError as err:
        _fail(err)
        return
    out_console.print(f"{file}: {report.summary(limit=50)}", highlight=False)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def query(
    sparql: Optional[str] = typer.Argument(None, help="A canned query name (see --list), a .rq file or a SPARQL string."),
    data: Path = typer.Option(Path("build"), "--data", help="Build folder (every *.ttl) or one graph file."),
    fmt: str = typer.Option("table", "--format", help="table, csv, tsv or json (SPARQL 1.1 results JSON)."),
    param: Optional[List[str]] = typer.Option(None, "--param", "-p", help="Set a query parameter: name=value."),
    list_: bool = typer.Option(False, "--list", help="List the canned queries and the question each answers."),
) -> None:
    """Run a SPARQL query over the built graphs (embedded pyoxigraph store).

    Example: plankg query binding-indicators
    Example: plankg query mentions --param term=湿地 --format csv
    """
    from . import queries
    from .sparql import run_query

    if list_:
        table = Table(title="canned queries (kg/queries/*.rq)", title_justify="left")
        table.add_column("name")
        table.add_column("question")
        table.add_column("parameters")
        for q in queries.canned():
            table.add_row(q.name, q.question, ", ".join(q.params))
        out_console.print(table)
        return
    try:
        if not sparql:
            raise QueryError("no query given", "name a canned query (plankg query --list), a .rq file or a SPARQL string")
        params = {}
        for item in param or []:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise QueryError(f"--param {item!r} is not name=value", "e.g. --param term=湿地")
            params[name.strip()] = value.strip()
        if fmt not in ("table", "csv", "tsv", "json"):
            raise QueryError(f"unknown format {fmt!r}", "use table, csv, tsv or json")
        output = run_query(sparql, data=data, fmt=fmt, params=params)
    except PlanError as err:
        _fail(err)
        return
    if isinstance(output, Table):
        out_console.print(output)
    else:
        sys.stdout.write(output)


def run() -> None:
    app()


if __name__ == "__main__":
    run()
