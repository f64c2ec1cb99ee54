"""SHACL validation of a plan graph against ontology/shapes.ttl."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, Graph, Namespace

from kg.rdf.vocab import SHAPES_FILE, ontology_text

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass
class Violation:
    focus: str
    path: str
    message: str


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]

    def summary(self, limit: int = 10) -> str:
        if self.conforms:
            return "conforms to the plankg shapes"
        lines = [f"{len(self.violations)} SHACL violation(s):"]
        for v in self.violations[:limit]:
            lines.append(f"  {v.focus}  {v.path}: {v.message}")
        if len(self.violations) > limit:
            lines.append(f"  … and {len(self.violations) - limit} more")
        return "\n".join(lines)


_shapes: Graph | None = None


def shapes_graph() -> Graph:
    global _shapes
    if _shapes is None:
        _shapes = Graph().parse(data=ontology_text(SHAPES_FILE), format="turtle")
    return _shapes


def validate(data: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate

    # No ontology graph and no inference: the plan graph types every node it points
    # to, and mixing the ontology in would double the work for the same answer.
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=False, allow_warnings=True
    )
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath) or ""),
                message=str(report.value(result, SH.resultMessage) or ""),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)
