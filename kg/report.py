"""``plankg report``: run the alignment notebook headless on a build folder and render it to
one offline HTML page (figures embedded, no script or style fetched from a network)."""

from __future__ import annotations

import os
import re
import subprocess
from importlib import resources
from pathlib import Path

from .errors import DataError, PlanError
from .output import write_atomic
from .store import graph_files

NOTEBOOK = "alignment.ipynb"


def notebook_path() -> Path:
    return Path(str(resources.files("kg.notebooks") / NOTEBOOK))


def execute_notebook(data: str | Path = "build", timeout: int = 600):
    """The notebook executed in a fresh kernel against ``data``; raises on a cell error."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    data = Path(data).resolve()
    graph_files(data)  # a clear error before a kernel starts
    nb = nbformat.read(notebook_path(), as_version=4)
    env_before = os.environ.get("PLANKG_DATA")
    os.environ["PLANKG_DATA"] = str(data)
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(data)}})
        # The kernel's own start-up chatter (a TCP-transport notice) is not the user's business.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as err:
        first = str(err).strip().splitlines()[-1] if str(err).strip() else "a cell failed"
        raise PlanError(f"the alignment notebook failed: {first}", "run 'plankg build' again, or --debug") from None
    finally:
        if env_before is None:
            os.environ.pop("PLANKG_DATA", None)
        else:
            os.environ["PLANKG_DATA"] = env_before
    return nb


def offline_html(nb) -> str:
    """nbconvert's HTML without its CDN scripts (require.js, MathJax): the report has no
    widgets or formulas, and must open from file:// with no network."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    html, _ = exporter.from_notebook_node(nb)
    html = re.sub(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", "", html)
    html = re.sub(r"<link[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", "", html)
    # MathJax's inline configuration loads the library from a CDN.
    html = re.sub(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", "", html, flags=re.S)
    html = re.sub(r"<script[^>]*>[^<]*(?:MathJax|mathjax)[^<]*</script>", "", html)
    return html


def report(data: str | Path = "build", out: str | Path | None = None) -> Path:
    data = Path(data)
    if not data.is_dir():
        raise DataError(f"no build folder at {data}", "run 'plankg build' first, or give --data")
    nb = execute_notebook(data)
    return write_atomic(Path(out) if out else data / "alignment.html", offline_html(nb))
