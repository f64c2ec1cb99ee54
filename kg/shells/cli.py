"""The command line: a thin shell over kg's functions.

Errors a user can cause print one line (what is wrong; what to try) and exit non-zero;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, NoReturn, Optional

import typer
from rich.markup import escape
from rich.table import Table

from kg.errors import DataError, PlanError, QueryError, first_line
from kg.files import write_atomic
from kg.query import canned
from kg.query.disk import build_lock
from kg.query.sparql import Endpoint, LocalStore, resolve, run_query
from kg.query.store import find, graph_files
from kg.rdf.serialize import FORMATS, GRAPH_FORMATS, one_of
from kg.read.pipeline import extract
from kg.read.source import MAX_MB, bundled_plans
from kg.shells import terminal
from kg.shells.batch import build_corpus, compare_page, expand_inputs, load_into_store, outcome_of
from kg.shells.build import build as build_plan
from kg.shells.build import validate_file
from kg.shells.output import plan_json
from kg.shells.terminal import err_console, out_console
from kg.version import __version__
from kg.viz import write_pages

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="plankg: turn a Chinese five-year plan (PDF text dump) into a knowledge graph.",
)
state = {"debug": False}

# typer (0.29) prints Python annotations as the type column of --help: '<bool>' beside a
# flag, '<list[str]>'. Show what a user types instead: nothing for a flag, click's names
# for values (TEXT, PATH, INTEGER …).
_METAVARS = {"str": "TEXT", "Path": "PATH", "int": "INTEGER", "float": "FLOAT"}


def _metavar(param, ctx) -> str | None:
    if param.metavar is not None:
        return param.metavar
    if getattr(param, "is_flag", False):
        return None
    bare = param.bare_type() if hasattr(param, "bare_type") else ""
    inner = bare[5:-1] if bare.startswith("list[") else bare
    name = _METAVARS.get(inner, inner.upper() or None)
    return f"{name}…" if name and (bare.startswith("list[") or param.nargs != 1) else name


for _cls in (getattr(typer.core, "TyperOption", None), getattr(typer.core, "TyperArgument", None)):
    if _cls is not None and hasattr(_cls, "display_type_rich"):
        _cls.display_type_rich = _metavar

PLAN_ARG = typer.Argument(
    None,
    help="Plan text file (UTF-8 unless --encoding), or the id of a bundled plan "
    "(plankg build --list). Omit it to use the bundled Bayannur plan.",
)
ENCODING = typer.Option("utf-8", "--encoding", "-e", help="Encoding of the plan text, e.g. gb18030.")
PLAN_ID = typer.Option(None, "--id", help="Plan id for outputs and IRIs (default: from the file name).")
MAX_SIZE = typer.Option(MAX_MB, "--max-size", help="Largest plan text read, in MB (a build's memory grows with it).")


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


def _fail(err: PlanError) -> NoReturn:
    if state["debug"]:
        raise err
    err_console.print(f"[bold red]error:[/] {escape(err.one_line())}", highlight=False, soft_wrap=True)
    raise typer.Exit(err.exit_code)


def _check_format(fmt: str, formats: tuple[str, ...]) -> None:
    if fmt not in formats:
        raise QueryError(f"unknown format {fmt!r}", f"use {one_of(list(formats))}")


def _emit(output: "str | Table") -> None:
    """An answer on standard output: a table drawn, a text as it is."""
    if isinstance(output, Table):
        out_console.print(output)
    else:
        sys.stdout.write(output)


def _plan_path(plan: Optional[Path]) -> Optional[Path]:
    """A file, or the id of a bundled plan ('beijing-15th-fyp') when no such file exists."""
    if plan is not None and not plan.exists() and str(plan) in bundled_plans():
        return bundled_plans()[str(plan)]
    return plan


@app.command("extract")
def extract_cmd(
    plan: Optional[Path] = PLAN_ARG,
    as_json: bool = typer.Option(False, "--json", help="Write the plan model as JSON (docs/model.md)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    encoding: str = ENCODING,
    plan_id: Optional[str] = PLAN_ID,
    max_size: float = MAX_SIZE,
    check: bool = typer.Option(
        False,
        "--check",
        help="Say what was read: counts per class, the share of the text "
        "no entity took up, classes empty though the text suggests them (exit 1 if any).",
    ),
) -> None:
    """Extract the plan model; print a summary, or the model as JSON with --json.

    Example: plankg extract --json -o build/bayannur.json
    Example: plankg extract my-plan.txt --check
    """
    try:
        model = extract(_plan_path(plan), encoding=encoding, plan_id=plan_id, max_mb=max_size)
        if check:
            terminal.print_check(model)
            if model.suspect_empty:
                raise typer.Exit(1)
            return
        if as_json:
            text = plan_json(model)
            if output:
                write_atomic(output, text)
                err_console.print(f"wrote {output}")
            else:
                sys.stdout.write(text)
        else:
            terminal.print_summary(model)
    except PlanError as err:
        _fail(err)


@app.command()
def build(
    plans: Optional[List[str]] = typer.Argument(
        None,
        help="Plan text files, folders (their *.txt), quoted globs or bundled plan ids. Omit them to build "
        "the bundled Bayannur plan.",
    ),
    bundled: bool = typer.Option(False, "--bundled", help="Build every bundled plan (the six in kg/corpus/)."),
    list_bundled: bool = typer.Option(False, "--list", help="List the bundled plans and exit."),
    out: Path = typer.Option(Path("build"), "--out", help="Output folder."),
    formats: str = typer.Option(
        "ttl", "--format", "-f", help=f"Graph formats to write, comma-separated: {','.join(FORMATS)}."
    ),
    encoding: str = ENCODING,
    plan_id: Optional[str] = PLAN_ID,
    max_size: float = MAX_SIZE,
    workers: Optional[int] = typer.Option(
        None, "--workers", "-j", help="Worker processes for many plans (default: one per core)."
    ),
    store: bool = typer.Option(True, "--store/--no-store", help="Load each plan into the on-disk store <out>/store."),
    html: bool = typer.Option(True, "--html/--no-html", help="Write each plan's graph browser page."),
    analysis: bool = typer.Option(
        True,
        "--analysis/--no-analysis",
        help="Score alignment links, places and stated targets (about half the build time).",
    ),
) -> None:
    """Build each plan's graph: extract, align, validate against the SHACL shapes, write
    <out>/<plan-id>.ttl (and .json, the model; .html, the browser), load it into the
    on-disk store <out>/store as its own named graph, print counts per class.

    Example: plankg build            (the bundled plan into build/)
    Example: plankg build --bundled  (the six bundled plans: Bayannur, Beijing, Guangzhou, Shanghai, Shenzhen, national)
    Example: plankg build plans/ --workers 2   (every plans/*.txt; a failing plan is skipped)
    """
    if list_bundled:
        for name, path in bundled_plans().items():
            out_console.print(f"{name}  {path}", highlight=False, soft_wrap=True)
        return
    if bundled:
        plans = [str(p) for p in bundled_plans().values()] + list(plans or [])

    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in FORMATS]
    try:
        if bad:
            raise PlanError(f"unknown format {bad[0]!r}", f"use {one_of(list(FORMATS))}, comma-separated")
        paths = expand_inputs(plans) if plans else [None]
        if not paths:
            raise PlanError(
                f"no plan files in {' '.join(plans or [])}", "give .txt files, a folder holding them, or a glob"
            )
        if plan_id and len(paths) > 1:
            raise PlanError("--id names one plan, but several were given", "build them one at a time to set ids")
        if len(paths) == 1:
            # One plan: its errors are the command's, and its build is shown in full.
            with build_lock(out):
                result = build_plan(
                    paths[0],
                    out,
                    encoding=encoding,
                    plan_id=plan_id,
                    formats=wanted,
                    analysis=analysis,
                    pages=html,
                    max_mb=max_size,
                )
                if store:
                    result.outputs.append(load_into_store(out, [outcome_of(str(paths[0]), result)]))
                    compared = compare_page(out) if html else None
                    result.outputs += [compared] if compared else []
            terminal.print_build(result)
            return
    except PlanError as err:
        _fail(err)
        return
    try:
        _build_many(paths, out, encoding, wanted, workers, store, html, analysis, max_size)
    except PlanError as err:  # another build holds the folder, the store cannot be written …
        _fail(err)


def _build_many(
    paths, out: Path, encoding: str, formats, workers, store: bool, html: bool, analysis: bool, max_mb: float
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=len(paths))

        def advance(outcome) -> None:
            bar.update(task, advance=1, description=outcome.plan_id or Path(outcome.source).name)

        outcomes = build_corpus(
            paths,
            out,
            encoding=encoding,
            formats=formats,
            workers=workers,
            store=store,
            pages=html,
            progress=advance,
            analysis=analysis,
            max_mb=max_mb,
        )
    table = Table(title=f"{len(paths)} plans → {out}", title_justify="left")
    for column in ("plan", "status", "triples", "seconds", "check"):
        table.add_column(column, justify="right" if column in ("triples", "seconds") else "left")
    for o in outcomes:
        table.add_row(
            o.plan_id or Path(o.source).name,
            "ok" if o.ok else "[red]failed[/]",
            str(o.triples) if o.ok else "",
            f"{o.seconds:.1f}",
            "; ".join(f.split(",")[0] for f in o.flags) or ("✓" if o.ok else ""),
        )
    out_console.print(table)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        err_console.print(f"[bold red]error:[/] {o.source}: {o.error}", highlight=False, soft_wrap=True)
    ok = len(outcomes) - len(failed)
    out_console.print(
        f"{ok} of {len(outcomes)} plans built" + (f"; store: {out / 'store'}" if store and ok else ""), highlight=False
    )
    if store and html and (out / "compare.html").is_file():
        out_console.print(f"wrote {out / 'compare.html'}  ← open in a browser: the plans compared", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def viz(
    data: Path = typer.Option(Path("build"), "--data", help="Build folder (every *.ttl) or one graph file."),
    out: Path = typer.Option(Path("build"), "--out", help="Where to write <plan-id>.html."),
) -> None:
    """Write the interactive graph browser, one offline HTML page per plan.

    Example: plankg viz            (build/*.ttl -> build/<plan-id>.html; open it in a browser)
    """
    from rdflib import Graph

    try:
        graph = Graph()
        for path in graph_files(data):
            try:
                graph.parse(path)
            except Exception as err:  # rdflib's parsers raise many types
                raise DataError(f"cannot parse {path}: {first_line(err)}", "rebuild it with 'plankg build'") from None
        for path in write_pages(graph, out):
            out_console.print(f"wrote {path} (open it in a browser)", highlight=False, soft_wrap=True)
    except PlanError as err:
        _fail(err)


@app.command()
def report(
    data: Path = typer.Option(Path("build"), "--data", help="Build folder with the plans' graphs."),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Where to write the report (default: <data>/alignment.html)."
    ),
    plan: Optional[str] = typer.Option(None, "--plan", help="The plan to report on, when the build holds several."),
    every: bool = typer.Option(False, "--all", help="One report per plan of the build: alignment-<plan-id>.html."),
    compare: bool = typer.Option(
        False, "--compare", help="The plans of the build compared (notebooks/compare.ipynb): compare-report.html."
    ),
) -> None:
    """Run the alignment notebook on one built plan, or the comparison notebook on all of
    them, and render it to one offline HTML page.

    Example: plankg report            (build/ -> build/alignment.html)
    Example: plankg report --data corpus-build --plan qinghe-15th   (-> alignment-qinghe-15th.html)
    Example: plankg report --all      (every plan of build/ -> build/alignment-<plan-id>.html)
    Example: plankg report --compare  (every plan of build/ compared -> build/compare-report.html)
    """
    from kg.shells.report import plan_ids
    from kg.shells.report import report as render_report

    try:
        if compare:
            path = render_report(data, out, compare=True)
            out_console.print(f"wrote {path}  ← open in a browser", highlight=False, soft_wrap=True)
            return
        for name in plan_ids(data) if every else [plan]:
            path = render_report(data, out if not every else None, name)
            out_console.print(f"wrote {path}  ← open in a browser", highlight=False, soft_wrap=True)
    except PlanError as err:
        _fail(err)


@app.command()
def notebook(
    data: Path = typer.Option(Path("build"), "--data", help="Build folder the notebooks read."),
    plan: Optional[str] = typer.Option(None, "--plan", help="The plan the alignment notebook opens on."),
    port: int = typer.Option(8888, "--port", help="Port of JupyterLab."),
    browser: bool = typer.Option(True, "--browser/--no-browser", help="Open a browser tab."),
) -> None:
    """Open the notebooks (alignment, comparison) in JupyterLab on your build: they are
    copied into <data>/notebooks/ once (your edits are kept) and run by this Python, which
    has plankg.

    Example: plankg notebook                   (build/notebooks/ in JupyterLab)
    Example: plankg notebook --plan guangzhou-15th-fyp --no-browser
    """
    from kg.shells import notebook as nb

    try:
        launch = nb.prepare(data, plan, port, browser)
        for name in launch.copied:
            out_console.print(f"copied {name} into {launch.folder}", highlight=False, soft_wrap=True)
        out_console.print(f"starting JupyterLab on {launch.folder} (Ctrl-C stops it)", highlight=False)
        nb.start(launch)
    except PlanError as err:
        _fail(err)


@app.command()
def validate(
    file: Path = typer.Argument(..., help=f"A graph file: {one_of([f.suffix for f in GRAPH_FORMATS])}."),
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
    sparql: Optional[str] = typer.Argument(
        None, help="A canned query name (see --list), a .rq file or a SPARQL string."
    ),
    data: Path = typer.Option(Path("build"), "--data", help="Build folder (every *.ttl) or one graph file."),
    fmt: str = typer.Option("table", "--format", help="table, csv, tsv or json (SPARQL 1.1 results JSON)."),
    param: Optional[List[str]] = typer.Option(
        None, "--param", "-p", help="Set a query parameter: name=value; plan=<plan-id> asks about that plan alone."
    ),
    list_: bool = typer.Option(False, "--list", help="List the canned queries and the question each answers."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Query this SPARQL endpoint instead of the build."),
    user: Optional[str] = typer.Option(None, "--user", help="User for the endpoint."),
    password: Optional[str] = typer.Option(None, "--password", help="Password for the endpoint."),
) -> None:
    """Run a SPARQL query over the built graphs (embedded pyoxigraph store).

    Example: plankg query binding-indicators
    Example: plankg query mentions --param term=湿地 --format csv
    Example: plankg query outline --param plan=bayannur-14th-fyp   (one plan of a corpus)
    """
    if list_:
        table = Table(title="canned queries (kg/query/canned/*.rq)", title_justify="left")
        table.add_column("name")
        table.add_column("question")
        table.add_column("parameters")
        for q in canned.canned():
            table.add_row(q.name, q.question, ", ".join(q.params))
        out_console.print(table)
        return
    try:
        if not sparql:
            raise QueryError(
                "no query given", "name a canned query (plankg query --list), a .rq file or a SPARQL string"
            )
        params = {}
        for item in param or []:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise QueryError(f"--param {item!r} is not name=value", "e.g. --param term=湿地")
            params[name.strip()] = value.strip()
        _check_format(fmt, ("table", "csv", "tsv", "json"))
        resolve(sparql)  # a mistyped name is told before the store is opened
        source = Endpoint(endpoint, {"user": user, "password": password}) if endpoint else LocalStore.of(data)
        output = terminal.answer_text(run_query(sparql, source, params), fmt)
    except PlanError as err:
        _fail(err)
    _emit(output)


@app.command()
def search(
    terms: List[str] = typer.Argument(..., help="Words to find (every one must be there), e.g. 低空经济."),
    data: Path = typer.Option(Path("build"), "--data", help="Build folder, or one graph file."),
    plan: Optional[str] = typer.Option(None, "--plan", help="Search this plan alone (its plan id)."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Only this kind: chapter, measure, project, …"),
    limit: int = typer.Option(20, "--limit", help="Hits shown at most."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Find entities whose title or text holds the terms, in every plan of the build: ranked,
    with the page to cite, a snippet and the IRI (an SQLite full-text index beside the store).

    Example: plankg search 低空经济
    Example: plankg search 数据要素 --kind box --format csv
    """
    try:
        _check_format(fmt, ("table", "csv", "json"))
        output = terminal.search_text(find(data, terms, plan, kind, limit), fmt)
    except PlanError as err:
        _fail(err)
    _emit(output)


@app.command()
def push(
    endpoint: str = typer.Option(
        ..., "--endpoint", help="The SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store."
    ),
    data: Path = typer.Option(Path("build"), "--data", help="Build folder (every *.ttl) or one graph file."),
    graph_param: str = typer.Option(
        "graph", "--graph-param", help="Name of the graph parameter (Virtuoso: graph-uri)."
    ),
    user: Optional[str] = typer.Option(None, "--user", help="User for the store (Virtuoso: dba)."),
    password: Optional[str] = typer.Option(None, "--password", help="Password for the store."),
    auth: str = typer.Option("digest", "--auth", help="digest or basic."),
    batch: int = typer.Option(50_000, "--batch", help="Triples per request."),
    retries: int = typer.Option(3, "--retries", help="Retries of a failed request."),
    jobs: int = typer.Option(2, "--jobs", "-j", help="Graphs sent at once."),
) -> None:
    """Load each plan's named graph (replacing it) into a Graph Store HTTP Protocol endpoint.

    Example: plankg push --endpoint http://127.0.0.1:7878/store
    """
    from kg.query.remote import push as push_graphs

    try:
        results = push_graphs(data, endpoint, graph_param, user, password, auth, batch, retries, jobs=jobs)
    except PlanError as err:
        _fail(err)
        return
    table = Table(title=f"pushed to {endpoint}", title_justify="left")
    for column in ("graph", "triples", "batches", "seconds", "status"):
        table.add_column(column, justify="right" if column in ("triples", "batches", "seconds") else "left")
    for r in results:
        table.add_row(r.graph, str(r.triples), str(r.batches), f"{r.seconds:.1f}", "ok" if r.ok else "[red]failed[/]")
    out_console.print(table)
    failed = [r for r in results if not r.ok]
    for r in failed:
        err_console.print(f"[bold red]error:[/] {r.error}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def serve(
    data: Path = typer.Option(Path("build"), "--data", help="Build folder: its store/ (or *.ttl) and pages."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (this machine only by default)."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before it is stopped."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Results returned at most per query."),
    workers: int = typer.Option(2, "--workers", help="Query processes kept ready (the short lane)."),
    long_workers: int = typer.Option(
        2, "--long-workers", help="Slow queries (past --short-timeout) that may run at once (the long lane)."
    ),
    short_timeout: float = typer.Option(
        1.0, "--short-timeout", help="Seconds a query runs in the short lane before it moves to the long one."
    ),
    max_memory: int = typer.Option(
        2048, "--max-memory", help="MB of memory (address space) a query process may use; 0: no limit."
    ),
    read_timeout: float = typer.Option(10.0, "--read-timeout", help="Seconds to read a request; idle ones are closed."),
    allow_service: Optional[List[str]] = typer.Option(
        None, "--allow-service", help="A SERVICE endpoint queries may call (repeat it); none by default."
    ),
    cors_origin: Optional[List[str]] = typer.Option(
        None,
        "--cors-origin",
        help="An origin whose pages may read the answers (repeat it; * for any); none by default.",
    ),
    verbose: bool = typer.Option(False, "--verbose", help="Log every request."),
) -> None:
    """Serve the built graphs: SPARQL 1.1 Protocol at /sparql (read-only), YASGUI at /query,
    the graph browser pages at /plans/. No outbound requests (SERVICE) unless allowed, no
    CORS unless allowed, and time, row and memory limits per query (docs/service.md).

    Example: plankg serve            (then open http://127.0.0.1:7878/)
    Example: plankg serve --cors-origin http://localhost:3000 --allow-service https://query.wikidata.org/sparql
    """

    def ready(url: str) -> None:
        out_console.print(
            f"serving {data} at {url}/  (SPARQL: {url}/sparql, query page: {url}/query; Ctrl-C stops)",
            highlight=False,
            soft_wrap=True,
        )

    from kg.shells.serve import Limits
    from kg.shells.serve import serve as run_server

    limits = Limits(timeout, max_rows, workers, long_workers, short_timeout, max_memory, read_timeout)
    try:
        run_server(
            data, host, port, limits, verbose, ready, allow_services=allow_service or (), cors_origins=cors_origin or ()
        )
    except PlanError as err:
        _fail(err)
    except OSError as err:
        _fail(PlanError(f"cannot listen on {host}:{port}: {err.strerror}", "choose another --port"))
    except KeyboardInterrupt:
        pass


def run() -> None:
    # --debug is accepted anywhere on the line (plankg extract x.txt --debug), not only
    # before the command; after a '--' it is an argument.
    args = sys.argv[1:]
    end = args.index("--") if "--" in args else len(args)
    if "--debug" in args[:end]:
        args = ["--debug"] + [a for a in args[:end] if a != "--debug"] + args[end:]
    app(args=args)


if __name__ == "__main__":
    run()
