"""The comparison page (``<out>/compare.html``): every plan of a store against the shared
indicator concepts, offline from ``file://``.

Data first: ``compare_data`` asks the store the canned queries (plans, concepts,
concept-figures) and returns plain data — testable without a browser; ``render_compare``
puts it into ``templates/compare.html``, whose script draws the matrix, the filters and a
chart of one concept across plans.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader

from kg.files import write_atomic
from kg.query.sparql import LocalStore, run_query
from kg.query.store import Result
from kg.version import __version__

TEMPLATES = Path(__file__).parent / "templates"


def _rows(source: LocalStore, name: str) -> list[dict]:
    answer = run_query(name, source)
    assert isinstance(answer, Result), name
    return [dict(zip(answer.columns, row, strict=True)) for row in answer.values()]


def _number(text: str | None) -> float | int | None:
    if text is None:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def compare_data(store: ox.Store) -> dict:
    """Plans (columns), concepts (rows) and every figure a plan gives for a concept."""
    source = LocalStore(store)
    plans = [
        {
            "id": r["id"],
            "title": r["title"],
            "level": r["level"],
            "region": r["region"],
            "code": r["regionCode"],
            "generation": _number(r["generation"]),
            "period": [_number(r["periodStart"]), _number(r["periodEnd"])],
            "page": f"{r['id']}.html",
        }
        for r in _rows(source, "plans")
    ]
    concepts = [
        {
            "slug": r["concept"],
            "label": r["label"],
            "english": r["english"],
            "theme": r["theme"],
            "quantity": r["quantity"],
            "unit": r["unit"],
            "plans": _number(r["plans"]) or 0,
        }
        for r in _rows(source, "concepts")
    ]
    figures = [
        {
            "plan": r["plan"],
            "concept": r["concept"],
            "entity": r["entity"],
            "name": r["name"],
            "column": r["column"],
            "printed": r["printed"],
            "value": _number(r["value"]),
            "upper": _number(r["upper"]),
            "unit": r["unit"],
            "kind": r["kind"],
            "year": _number(r["year"]),
            "nature": r["nature"],
            "number": _number(r["number"]),
            "page": _number(r["page"]),
            "line": _number(r["lineStart"]),
        }
        for r in _rows(source, "concept-figures")
    ]
    used = {f["concept"] for f in figures}
    return {
        "plans": plans,
        "concepts": [c for c in concepts if c["slug"] in used],
        "figures": figures,
        "version": __version__,
    }


@lru_cache(maxsize=1)
def _template():
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True).get_template("compare.html")


def render_compare(data: dict) -> str:
    # The data goes into a <script type="application/json">: no '<' may open a tag or a
    # comment there ('</script>', '<!--'); JSON reads \u003c as the same character.
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return _template().render(data=payload, plans=len(data["plans"]), concepts=len(data["concepts"]))


def write_compare(out_dir: str | Path, store: ox.Store) -> Path | None:
    """``<out>/compare.html`` for a store of two plans or more (one plan compares with nothing)."""
    data = compare_data(store)
    if len(data["plans"]) < 2:
        return None
    return write_atomic(Path(out_dir) / "compare.html", render_compare(data))
