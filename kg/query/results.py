"""SPARQL 1.1 query results written by hand (JSON, CSV, TSV), so a result cap can stop
early: pyoxigraph's own writers always write every solution."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import cast

import pyoxigraph as ox

MEDIA = {
    "json": "application/sparql-results+json",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
}


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


_XSD = "http://www.w3.org/2001/XMLSchema#"
# Numbers and booleans in TSV take Turtle's short form ('9', not '"9"^^xsd:integer'), as
# Oxigraph's own writer gives them.
_SHORT = {
    _XSD + "integer": re.compile(r"[+-]?\d+"),
    _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    _XSD + "double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_term(term) -> str:
    if isinstance(term, ox.Literal) and term.datatype is not None:
        pattern = _SHORT.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)


def select(columns: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{c: _json_term(t) for c, t in zip(columns, row) if t is not None} for row in rows]
        return json.dumps(
            {"head": {"vars": columns}, "results": {"bindings": bindings}}, ensure_ascii=False, separators=(",", ":")
        ).encode()
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["" if t is None else t.value for t in row])
        return buf.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + c for c in columns)]
        lines += ["\t".join("" if t is None else _tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(fmt)


def boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    return ("true" if value else "false").encode() + b"\n"


def graph(triples: list, fmt: str) -> bytes:
    rdf = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    return cast(bytes, ox.serialize(triples, format=rdf))  # no output file: the bytes
