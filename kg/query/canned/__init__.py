"""Canned SPARQL queries: one ``.rq`` file each, whose first line is ``# question: …``.

A query's parameters are its ``VALUES ?name { … }`` blocks: the file runs as is with
the default, and ``--param name=value`` swaps the value in. ``VALUES ?plan { UNDEF }``
means every plan; a value for ``plan`` also narrows the dataset to that plan's graph
(``kg.query.store.plan_dataset``), which keeps any query fast on a large store.

Over all plans of a corpus, write for Oxigraph's evaluator, measured on 300 plans: it
evaluates the right side of an OPTIONAL and the pattern of a ``FILTER (NOT) EXISTS``
without the left side's bindings, so a per-row check over every plan takes minutes
(shared-box-labels: 115 s with FILTER EXISTS, 2 s with a grouped subquery); aggregate in a
subquery and join its small result instead. Filters on text run after the joins of their
group: isolate them in a subquery first (cite: 10.7 s against 0.4 s).

Its planner joins the smallest-looking part first and reads the rest once per row of it
(a for-loop join), re-reading everything when that part binds a variable used late: the 82
indicator concepts, or the 300 plans' ids (``?p dcterms:identifier ?plan``) before
``?x pk:inPlan ?p``. A ``SELECT DISTINCT`` (or grouped) subquery is joined by hash instead,
read once (concept-figures: 12 s to 2 s at 300 plans; not indicator-matrix, 6 s to 1 s,
because Virtuoso 7.2 garbles the non-ASCII text such a subquery projects); a
``GRAPH ?g`` around a plan's id and its entities reads each plan from its own graph
(concept-coverage, 7.9 s to 0.25 s). ``oxigraph query --explain`` shows the plan; it
depends on the query alone (a VALUES block's size included), so a small store shows it.

A query may say how it is best shown: ``# pivot: <column> <value>`` turns the values of one
column into columns of their own (the indicator matrix: a row a concept, a column a plan),
the value column filling the cells. The SPARQL stays the long form any endpoint answers.

A query that asks each plan the same thing may say so: ``# per: plan`` — its answer over
all plans is each plan's answer, in the order it sorts by (a simple ``ORDER BY`` of its
columns, then perhaps a ``LIMIT``). The build keeps each plan's answer beside the store, and
``plankg query`` reads them instead of evaluating the query over every plan (``kg.query.kept``).

A query that finds text may say so: ``# search: <term> <entity> [<kind> …]`` — ?entity is
bound to the entities (of those kinds) whose title or text holds ?term's value. Where the build has its text index
(``kg.query.search``) those candidates are bound first (a VALUES block beside the term's),
so the SPARQL filter checks a few rows instead of scanning every text; the answer is the
same, and any other endpoint runs the query as it is.

Pages are optional (a plan copied from a web page has none): read ``pk:page`` in an
OPTIONAL placed last in its group — Virtuoso 7.2 returns no rows when such an OPTIONAL
precedes the other OPTIONALs of the group (text-vs-table, seen in the push test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from kg.errors import QueryError


@dataclass(frozen=True)
class CannedQuery:
    name: str
    question: str
    text: str

    @property
    def across_plans(self) -> bool:
        """It compares plans (``# across: plans``): over one plan it answers nothing."""
        return bool(re.search(r"^#\s*across:\s*plans", self.text, re.M))

    @property
    def per_plan(self) -> bool:
        """Its answer over all plans is each plan's answer in turn (``# per: plan``): the build
        keeps each plan's (``kg.query.kept``)."""
        return bool(re.search(r"^#\s*per:\s*plan\b", self.text, re.M))

    @property
    def params(self) -> list[str]:
        return re.findall(r"VALUES\s+\?(\w+)\s*\{", self.text)


def canned() -> list[CannedQuery]:
    out = []
    for res in sorted(resources.files(__name__).iterdir(), key=lambda r: r.name):
        if res.name.endswith(".rq"):
            text = res.read_text(encoding="utf-8")
            m = re.match(r"#\s*question:\s*(.+)", text)
            out.append(CannedQuery(res.name[:-3], m.group(1).strip() if m else "", text))
    return out


def get(name: str) -> CannedQuery | None:
    return next((q for q in canned() if q.name == name), None)


def with_params(text: str, params: dict[str, str]) -> str:
    """Replace the ``VALUES ?name { … }`` block of each parameter with the given value."""
    for name, value in params.items():
        pattern = re.compile(rf"VALUES\s+\?{re.escape(name)}\s*\{{[^}}]*\}}")
        if not pattern.search(text):
            raise QueryError(
                f"the query has no parameter ?{name}", "see the VALUES blocks in the query for its parameters"
            )
        literal = (
            value
            if re.fullmatch(r"-?\d+(\.\d+)?", value)
            else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        )
        block = f"VALUES ?{name} {{ {literal} }}"
        text = pattern.sub(block.replace("\\", "\\\\"), text)  # re.sub reads backslashes: keep them literal
    return text


def pivot_of(text: str) -> tuple[str, str] | None:
    """The ``# pivot: <column> <value>`` a query declares, if any."""
    m = re.search(r"^#\s*pivot:\s*(\w+)\s+(\w+)\s*$", text, re.M)
    return (m.group(1), m.group(2)) if m else None


def search_of(text: str) -> tuple[str, str] | None:
    """The ``# search: <term> <entity> [<kind> …]`` a query declares, if any."""
    m = re.search(r"^#\s*search:\s*(\w+)\s+(\w+)[\w ]*$", text, re.M)
    return (m.group(1), m.group(2)) if m else None


def search_kinds(text: str) -> tuple[str, ...]:
    """The kinds of entity (``kg.query.search.SEARCH_KINDS``) a ``# search:`` line names after
    its two variables: the only ones its query can answer, so the only candidates bound."""
    m = re.search(r"^#\s*search:\s*\w+\s+\w+((?:[ \t]+\w+)*)[ \t]*$", text, re.M)
    return tuple(m.group(1).split()) if m else ()


def param_value(text: str, name: str) -> str | None:
    """The string a ``VALUES ?name { "…" }`` block holds (None if it holds no one string)."""
    m = re.search(rf'VALUES\s+\?{re.escape(name)}\s*\{{\s*"((?:[^"\\]|\\.)*)"\s*\}}', text)
    return re.sub(r"\\(.)", r"\1", m.group(1)) if m else None


def narrowed(text: str, term: str, entity: str, iris: list[str]) -> str:
    """The query with ``VALUES ?entity { <iri> … }`` beside its ``VALUES ?term`` block."""
    block = "VALUES ?" + entity + " { " + " ".join(f"<{i}>" for i in iris) + " }"
    pattern = re.compile(rf"VALUES\s+\?{re.escape(term)}\s*\{{[^}}]*\}}")
    return pattern.sub(lambda m: m.group(0) + "\n      " + block, text, count=1)
