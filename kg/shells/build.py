"""``plankg build``: plan text -> model JSON, RDF graph (validated), serialised files.

A plain function, so a notebook or a test runs the same job as the CLI. Nothing is
written unless the graph passes the SHACL shapes, and each file is replaced atomically.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph

from kg.analyse.analysis import analyse
from kg.analyse.concepts import link_plan
from kg.errors import DataError, ValidationError, first_line
from kg.files import write_atomic
from kg.kinds import KINDS
from kg.model import Plan
from kg.rdf.graph import plan_graph
from kg.rdf.schemes import reference_graph
from kg.rdf.serialize import FORMATS, GRAPH_FORMATS, by_suffix, one_of, serialize
from kg.rdf.validate import ValidationReport, validate
from kg.rdf.vocab import PK
from kg.read.pipeline import extract
from kg.read.source import MAX_MB
from kg.shells.output import plan_json
from kg.viz import write_pages

# Classes counted in the build summary: the kinds of node (in reading order), then the
# nodes the analysis adds.
SUMMARY_CLASSES = (*(k.pk for k in KINDS if k.summary), "IndicatorValue", "Place", "TargetStatement", "Alignment")


@dataclass
class BuildResult:
    plan: Plan
    graph: Graph
    report: ValidationReport
    out: Path  # the output folder
    outputs: list[Path] = field(default_factory=list)

    def class_counts(self) -> dict[str, int]:
        return class_counts(self.graph)


def class_counts(g: Graph) -> dict[str, int]:
    counts = Counter(str(o)[len(str(PK._NS)) :] for o in g.objects(None, RDF.type) if str(o).startswith(str(PK._NS)))
    return {name: counts.get(name, 0) for name in SUMMARY_CLASSES}


def build(
    plan_path: str | Path | None = None,
    out_dir: str | Path = "build",
    encoding: str = "utf-8",
    plan_id: str | None = None,
    formats: tuple[str, ...] = ("ttl",),
    analysis: bool = True,
    pages: bool = False,
    max_mb: float = MAX_MB,
) -> BuildResult:
    """Extract, analyse (alignment, places, stated targets), graph, validate, write; with
    ``pages`` also the plan's graph browser page (``<plan-id>.html``).

    Also writes ``reference.ttl``: the SDG and national-indicator schemes the plan's
    graph links to, so a build folder is complete for queries.
    """
    plan = extract(plan_path, encoding=encoding, plan_id=plan_id, max_mb=max_mb)
    graph = plan_graph(plan, analyse(plan) if analysis else None, link_plan(plan))
    # The shapes constrain the plan's own nodes; the reference schemes need no copy here.
    report = validate(graph)
    if not report.conforms:
        raise ValidationError(
            f"the graph of {plan.id} violates the plankg shapes ({len(report.violations)} violations, first: "
            f"{report.violations[0].focus} {report.violations[0].path}: {report.violations[0].message})",
            "this is a plankg bug: report it with the plan text; 'plankg validate' shows every violation",
            report,
        )
    out = Path(out_dir)
    outputs = [write_atomic(out / f"{plan.id}.json", plan_json(plan))]
    outputs.append(_reference_file(out))
    for fmt in ("ttl", *[f for f in formats if f != "ttl"]):
        if fmt not in FORMATS:
            raise ValueError(fmt)
        outputs.append(write_atomic(out / f"{plan.id}.{fmt}", serialize(graph, plan.id, fmt)))
    if pages:
        outputs += write_pages(graph, out)
    return BuildResult(plan, graph, report, out, outputs)


def _reference_file(out: Path) -> Path:
    """``<out>/reference.ttl``, written only when it differs: every plan of a corpus writes
    the same, and rebuilding one plan should leave the other files as they were."""
    path = out / "reference.ttl"
    text = reference_turtle()
    try:
        if path.read_text(encoding="utf-8") == text:
            return path
    except (OSError, UnicodeError):
        pass
    return write_atomic(path, text)


@lru_cache(maxsize=1)
def reference_turtle() -> str:
    """The reference schemes as Turtle: the same for every plan, so written once per process."""
    return serialize(reference_graph(), "reference", "ttl")


def validate_file(path: str | Path) -> ValidationReport:
    """Validate a graph file (any of ``GRAPH_FORMATS``) against the shapes."""
    from rdflib import Dataset

    p = Path(path)
    fmt = by_suffix(p.suffix)
    if not p.is_file():
        raise DataError(f"no such file: {p}", "give a graph file written by 'plankg build'")
    if fmt is None:
        raise DataError(f"cannot validate {p.name}", f"give a {one_of([f.suffix for f in GRAPH_FORMATS])} file")
    try:
        ds = Dataset()
        ds.parse(p, format=fmt.rdflib)
    except Exception as err:  # rdflib raises many parser exception types
        raise DataError(
            f"cannot parse {p}: {first_line(err)}", "check the file is RDF in the format its extension says"
        ) from None
    g = Graph()
    for s, pr, o, _ in ds.quads((None, None, None, None)):
        g.add((s, pr, o))
    return validate(g)
