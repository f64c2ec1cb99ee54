"""``plankg report``: run a notebook headless on a build folder and render it to one offline
HTML page (figures embedded, no script or style fetched from a network): the alignment
notebook on one plan, or the comparison notebook on every plan of the build."""

from __future__ import annotations

import os
import re
import subprocess
from importlib import resources
from pathlib import Path
from typing import cast

from kg.errors import DataError, PlanError
from kg.files import write_atomic
from kg.query.store import Result, graph_files, load_store, query

NOTEBOOK = "alignment.ipynb"
COMPARE_NOTEBOOK = "compare.ipynb"


def notebook_path(name: str = NOTEBOOK) -> Path:
    return Path(str(resources.files("kg.notebooks") / name))


def plan_ids(data: str | Path) -> list[str]:
    """The ids of the plans a build folder holds."""

    ids = "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?id WHERE { ?p dcterms:identifier ?id } ORDER BY ?id"
    result = cast(Result, query(load_store(data), ids))  # a SELECT
    return [cast(str, row[0]) for row in result.values()]  # ?id is bound in every row


def choose_plan(data: str | Path, plan: str | None) -> str:
    """The plan to report on: the one asked for, or the only one built."""
    ids = plan_ids(data)
    if plan is not None and plan not in ids:
        raise DataError(f"no plan {plan!r} in {data}", f"give one of: {_listing(ids)}")
    if plan is None and len(ids) > 1:
        raise DataError(
            f"{len(ids)} plans in {data}; the report reads one", f"give --plan with one of: {_listing(ids)}"
        )
    if not ids:
        raise DataError(f"no plan in {data}", "run 'plankg build' first, or give --data")
    return plan or ids[0]


def _listing(ids: list[str], limit: int = 5) -> str:
    return ", ".join(ids[:limit]) + (f" … ({len(ids)} in all)" if len(ids) > limit else "")


def execute_notebook(data: str | Path = "build", timeout: int = 600, plan: str | None = None, name: str = NOTEBOOK):
    """A notebook executed in a fresh kernel against ``data`` (the alignment notebook: one
    plan of it); raises on a cell error."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    data = Path(data).resolve()
    graph_files(data)  # a clear error before a kernel starts
    if name == COMPARE_NOTEBOOK:
        if len(plan_ids(data)) < 2:
            raise DataError(f"{data} holds one plan: nothing to compare", "build two plans or more into it")
        plan = plan or ""
    else:
        plan = choose_plan(data, plan)
    nb = nbformat.read(notebook_path(name), as_version=4)
    env_before = {name: os.environ.get(name) for name in ("PLANKG_DATA", "PLANKG_PLAN")}
    os.environ["PLANKG_DATA"] = str(data)
    os.environ["PLANKG_PLAN"] = plan
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(data)}})
        # The kernel's own start-up chatter (a TCP-transport notice) is not the user's business.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as err:
        first = str(err).strip().splitlines()[-1] if str(err).strip() else "a cell failed"
        raise PlanError(f"the notebook {name} failed: {first}", "run 'plankg build' again, or --debug") from None
    finally:
        for name, value in env_before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return nb


def offline_html(nb, code: bool = True) -> str:
    """nbconvert's HTML without its CDN scripts (require.js, MathJax): the report has no
    widgets or formulas, and must open from file:// with no network. ``code`` False leaves
    the cells' code out (their queries are canned ones the text names)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_input = not code
    html, _ = exporter.from_notebook_node(nb)
    html = re.sub(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", html)
    html = re.sub(r"<link[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", "", html)
    # MathJax's inline configuration loads the library from a CDN.
    html = re.sub(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", "", html, flags=re.S)
    html = re.sub(r"<script[^>]*>[^<]*(?:MathJax|mathjax)[^<]*</script>", "", html)
    return html


def report(
    data: str | Path = "build", out: str | Path | None = None, plan: str | None = None, compare: bool = False
) -> Path:
    """The report of one plan: ``<data>/alignment.html``, or ``alignment-<plan>.html`` when a
    plan of several is named; with ``compare``, every plan of the build compared:
    ``<data>/compare-report.html``."""
    data = Path(data)
    if not data.is_dir():
        raise DataError(f"no build folder at {data}", "run 'plankg build' first, or give --data")
    if compare:
        nb = execute_notebook(data, name=COMPARE_NOTEBOOK)
        return write_atomic(Path(out) if out else data / "compare-report.html", offline_html(nb, code=False))
    nb = execute_notebook(data, plan=plan)
    default = data / (f"alignment-{plan}.html" if plan else "alignment.html")
    return write_atomic(Path(out) if out else default, offline_html(nb))
