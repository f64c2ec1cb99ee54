"""``plankg report``: run a notebook headless on a build folder and render it to one offline
HTML page (figures embedded, no script or style fetched from a network): the alignment
notebook on one plan, or the comparison notebook on every plan of the build. Also the chart
set-up both notebooks share, so that their Chinese shows on any machine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import cast

from kg.errors import DataError, PlanError
from kg.files import write_atomic
from kg.query.store import Result, graph_files, load_store, query

NOTEBOOK = "alignment.ipynb"
COMPARE_NOTEBOOK = "compare.ipynb"


# --- charts whose Chinese shows on any machine ------------------------------------------------
# Charts are SVG whose text the browser draws (``svg.fonttype: none``): a label is Chinese
# characters in a <text> element, whatever fonts the machine that made the report has. A CJK
# font found on this machine only measures the labels right. matplotlib caches its font list
# the first time it runs and never refreshes it, so a font installed since is invisible to it:
# the font is found from the font files themselves and registered from its file.

CJK_SAMPLE = "国民经济和社会发展规划纲要"  # a font that draws these draws a plan's labels
CJK_PREFERRED = (  # simplified-Chinese faces first; any other font that draws the sample after
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Heiti SC",
    "Droid Sans Fallback",
)
NO_CJK_FONT = (
    "No font that draws Chinese was found on the machine that made this report: the charts' text is "
    "drawn by your browser, but their layout was measured without Chinese glyphs, so labels may overlap "
    "or be cut. Install a CJK font (Debian: `apt install fonts-noto-cjk` or `fonts-wqy-zenhei`) and run "
    "`plankg report` again."
)


def find_cjk_font() -> tuple[str, str] | None:
    """``(family, file)`` of an installed font that draws simplified Chinese, or None. Read from
    the font files (those matplotlib lists, cached or not, and those on the system now)."""
    import matplotlib
    import matplotlib.font_manager as fm
    from matplotlib.ft2font import FT2Font

    files = {f.fname for f in fm.fontManager.ttflist} | set(fm.findSystemFonts())
    # matplotlib's own fonts draw no Chinese, and a Last Resort font (matplotlib ships one, as
    # macOS does) has an entry for every character, each a box: neither counts.
    own = os.path.join(matplotlib.get_data_path(), "")
    found: dict[str, str] = {}
    for path in sorted(f for f in files if not f.startswith(own)):
        try:
            font = FT2Font(path)
            faces = [font] + [FT2Font(path, face_index=i) for i in range(1, getattr(font, "num_faces", 1))]
        except (OSError, RuntimeError, TypeError, ValueError):  # unreadable, or an old matplotlib
            continue
        for face in faces:
            if "last resort" not in face.family_name.lower() and all(face.get_char_index(ord(c)) for c in CJK_SAMPLE):
                found.setdefault(face.family_name, path)
    if not found:
        return None

    def rank(family: str) -> tuple[int, str]:
        return (CJK_PREFERRED.index(family) if family in CJK_PREFERRED else len(CJK_PREFERRED), family)

    family = min(found, key=rank)
    return family, found[family]


def chart_setup() -> str | None:
    """Set matplotlib up for charts with Chinese labels: SVG whose text the browser draws,
    measured with a CJK font of this machine (registered from its file). Returns the font's
    family, or None when the machine has none (show :data:`NO_CJK_FONT` then)."""
    import logging
    import warnings

    # Before matplotlib loads its font list: "building the font cache", families of other
    # machines named below, CJK fonts shipping one weight — nothing a reader should see.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib
    import matplotlib.font_manager as fm

    found = find_cjk_font()
    if found and found[1] not in {f.fname for f in fm.fontManager.ttflist}:
        fm.fontManager.addfont(found[1])
    first = [found[0]] if found else []
    matplotlib.rcParams["font.sans-serif"] = list(
        dict.fromkeys([*first, *CJK_PREFERRED, *matplotlib.rcParams["font.sans-serif"]])
    )
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: the browser draws the glyphs
    # Without a CJK font matplotlib warns once per character; the browser draws them, and the
    # report says so in one line instead.
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    try:
        from IPython import get_ipython

        if get_ipython() is not None:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("svg")
    except ImportError:
        pass
    return found[0] if found else None


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


# nbconvert's lab page with each cell's code folded under its result: results first, and every
# query still there to copy (the fold comes after the output by CSS order: the template writes
# a cell's input first).
_FOLDED = """{%- extends 'index.html.j2' -%}
{% block extra_css %}
<style>
.jp-CodeCell { display: flex; flex-direction: column; }
.jp-CodeCell > details.plankg-code { order: 2; margin: 0 0 0.6em 0; }
details.plankg-code > summary {
  cursor: pointer; color: #6b7280; font-size: 12px; padding: 2px 0; font-family: var(--jp-ui-font-family, sans-serif);
}
/* titles read from the left (lab's own rule, more specific than a plain one, sets right) */
.jp-OutputArea .jp-OutputArea-output.jp-RenderedHTMLCommon td,
.jp-OutputArea .jp-OutputArea-output.jp-RenderedHTMLCommon th { text-align: left; }
details.plankg-code[open] > summary { color: #374151; }
</style>
{% endblock extra_css %}
{% block input_group -%}
<details class="plankg-code"><summary>code and SPARQL</summary>
{{ super() }}
</details>
{%- endblock input_group %}
"""


def offline_html(nb, code: bool | str = "folded") -> str:
    """nbconvert's HTML without its CDN scripts (require.js, MathJax): the report has no
    widgets or formulas, and must open from file:// with no network. ``code``: "folded" puts
    each cell's code in a closed <details> under its output, True shows it, False leaves it
    out (the comparison notebook's queries are canned ones its text names)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    folded = {"extra_loaders": [DictLoader({"folded.html.j2": _FOLDED})], "template_file": "folded.html.j2"}
    exporter = HTMLExporter(template_name="lab", **(folded if code == "folded" else {}))
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


def _warn_without_cjk_font(nb) -> None:
    """The notebook said it found no CJK font: say so on stderr too, where a build log shows it."""
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    if any(NO_CJK_FONT in str(o.get("data", {}).get("text/markdown", "")) for o in outputs):
        print(f"warning: {NO_CJK_FONT.replace('`', '')}", file=sys.stderr)


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
        _warn_without_cjk_font(nb)
        return write_atomic(Path(out) if out else data / "compare-report.html", offline_html(nb, code=False))
    nb = execute_notebook(data, plan=plan)
    _warn_without_cjk_font(nb)
    default = data / (f"alignment-{plan}.html" if plan else "alignment.html")
    return write_atomic(Path(out) if out else default, offline_html(nb))
