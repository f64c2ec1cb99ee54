"""``plankg query``: resolve a query (canned name, .rq file or text), run it, format it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rich.table import Table

from . import queries
from .errors import QueryError
from .store import Result, load_store, plan_dataset, query, run

_RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}


def resolve(sparql: str) -> str:
    """The SPARQL text of a canned query name, a .rq file, or the string itself."""
    canned = queries.get(sparql)
    if canned:
        return canned.text
    if sparql.endswith(".rq") or (len(sparql) < 200 and "\n" not in sparql and Path(sparql).suffix == ".rq"):
        p = Path(sparql)
        if not p.is_file():
            raise QueryError(f"no such query file: {p}", "plankg query --list shows the canned queries")
        return p.read_text(encoding="utf-8")
    if " " not in sparql.strip() and "{" not in sparql:
        raise QueryError(f"no canned query named {sparql!r}", "plankg query --list shows the canned queries")
    return sparql


def run_query(sparql: str, data: str | Path = "build", fmt: str = "table", params: dict[str, str] | None = None,
              store: ox.Store | None = None, endpoint: str | None = None, **auth):
    text = queries.with_params(resolve(sparql), params or {})
    # A question about one plan reads that plan's graph (and the shared ones) alone.
    graphs = plan_dataset(params["plan"]) if params and "plan" in params else None
    if endpoint:
        from .remote import remote_query
        from .sparql_results import select

        result = remote_query(endpoint, text, graphs=graphs, **auth)
        if isinstance(result, bool):
            return "true\n" if result else "false\n"
        if fmt in ("csv", "tsv", "json"):
            return select(result.columns, result.rows, fmt).decode("utf-8")
        return result_table(result)
    store = store or load_store(data)
    if graphs and not store.contains_named_graph(ox.NamedNode(graphs[0])):
        raise QueryError(f"no plan {params['plan']!r} in the store",
                         "plankg query plans lists the plans built; give one of their ids")
    if fmt in _RESULT_FORMATS:
        try:
            result = run(store, text, graphs)
        except SyntaxError as err:
            raise QueryError(f"malformed SPARQL: {str(err).splitlines()[0]}", "check the query's syntax near the place named") from None
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT results can be written as csv/tsv/json", "use --format table for ASK/CONSTRUCT")
        return result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8")
    result = query(store, text, graphs)
    if isinstance(result, bool):
        return "true\n" if result else "false\n"
    if isinstance(result, list):
        return "".join(f"{t}\n" for t in result)
    return result_table(result)


def result_table(result: Result) -> Table:
    """A terminal table. A plan column that names one plan only goes to the caption: it
    would take a third of a narrow terminal to repeat the same id on every row."""
    columns, rows = list(result.columns), result.values()
    caption = f"{len(rows)} row(s)"
    if "plan" in columns and rows and len({r[columns.index("plan")] for r in rows}) == 1:
        at = columns.index("plan")
        caption = f"plan {rows[0][at]}: {caption}"
        columns = columns[:at] + columns[at + 1:]
        rows = [r[:at] + r[at + 1:] for r in rows]
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else _short(v) for v in row])
    table.caption = caption
    return table


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
