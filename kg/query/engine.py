"""Questions to a pyoxigraph store, whichever it is (a build's on-disk store, graphs in
memory): the union of its graphs or a few of them as the dataset, and answers as plain
Python."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError, first_line
from kg.rdf.vocab import GRAPH_BASE, ONTOLOGY_GRAPH


@dataclass
class Result:
    """A SELECT result as plain Python: column names and rows of terms (or None)."""

    columns: list[str]
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]]

    def values(self) -> list[list[str | None]]:
        return [[term_text(t) for t in row] for row in self.rows]


def term_text(term) -> str | None:
    if term is None:
        return None
    return term.value


def plan_dataset(plan_id: str) -> list[str]:
    """The graphs a question about one plan needs: the plan's own, the ontology (labels of
    classes and concepts) and the reference schemes (SDGs, national indicators)."""
    return [GRAPH_BASE + plan_id, ONTOLOGY_GRAPH, GRAPH_BASE + "reference"]


def run(store: ox.Store, sparql: str, graphs: list[str] | None = None):
    """pyoxigraph's query over the union of all graphs, or over ``graphs`` only: a question
    about one plan then reads that plan alone, however many the store holds."""
    if graphs is None:
        return store.query(sparql, use_default_graph_as_union=True)
    return store.query(sparql, default_graph=[ox.NamedNode(g) for g in graphs])


# What a query answers: a SELECT's rows, an ASK's boolean, or a CONSTRUCT's triples.
Answer = Result | bool | list


def query(store: ox.Store, sparql: str, graphs: list[str] | None = None) -> Answer:
    try:
        result = run(store, sparql, graphs)
    except SyntaxError as err:
        raise QueryError(
            f"malformed SPARQL: {first_line(err)}", "check the query's syntax near the place named"
        ) from None
    except (ValueError, OSError) as err:
        raise QueryError(f"query failed: {first_line(err)}", "check the query") from None
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        # By position: a lookup by name costs a third more over tens of thousands of rows.
        at = range(len(columns))
        rows = [[sol[i] for i in at] for sol in result]
        return Result(columns, rows)
    return list(result)  # CONSTRUCT / DESCRIBE triples
