"""External SPARQL engines: push built graphs over the SPARQL 1.1 Graph Store HTTP Protocol,
and query any SPARQL 1.1 endpoint.

Works with Oxigraph server (``/store``, ``graph=``) and Virtuoso
(``/sparql-graph-crud-auth``, ``graph-uri=``, HTTP digest auth) among others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError, QueryError, first_line
from kg.query.store import Result, graph_files
from kg.rdf.vocab import GRAPH_BASE, ONTOLOGY_FILES, ONTOLOGY_GRAPH, ontology_text


@dataclass
class Pushed:
    graph: str
    triples: int
    batches: int
    seconds: float
    ok: bool
    error: str = ""


def _session(user: str | None, password: str | None, auth: str):
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    s = requests.Session()
    if user:
        s.auth = HTTPDigestAuth(user, password or "") if auth == "digest" else HTTPBasicAuth(user, password or "")
    return s


def _batches(lines: list[str], size: int) -> list[str]:
    return ["".join(lines[i : i + size]) for i in range(0, len(lines), size)] or [""]


def _send(session, method: str, url: str, params: dict, body: str, retries: int, timeout: float):
    import requests

    delay = 0.5
    for attempt in range(retries + 1):
        try:
            r = session.request(
                method,
                url,
                params=params,
                data=body.encode("utf-8"),
                headers={"Content-Type": "text/turtle; charset=utf-8"},
                timeout=timeout,
            )
            if r.status_code < 500:
                return r
        except requests.RequestException as err:
            if attempt == retries:
                raise DataError(
                    f"cannot reach {url}: {type(err).__name__}", "is the store running? check --endpoint"
                ) from None
        if attempt < retries:
            time.sleep(delay)
            delay *= 2
    return r


def push(
    data: str | Path,
    endpoint: str,
    graph_param: str = "graph",
    user: str | None = None,
    password: str | None = None,
    auth: str = "digest",
    batch: int = 50_000,
    retries: int = 3,
    timeout: float = 120.0,
    progress=None,
    jobs: int = 1,
) -> list[Pushed]:
    """Replace each plan's named graph (and the reference and ontology graphs) at ``endpoint``.

    A graph goes in batches of ``batch`` triples: PUT the first (replace), POST the rest.
    ``jobs`` graphs are sent at once (the store's loading, not the client, is the slow
    side); each graph is read from its file only when it is sent, so a corpus of hundreds
    of plans is never held in memory at once.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    data = Path(data)
    sources: list[tuple[str, Path | None]] = [(GRAPH_BASE + f.stem, f) for f in graph_files(data)]
    sources.append((ONTOLOGY_GRAPH, None))
    local = threading.local()  # a requests session is not to be shared between threads

    def one(graph: str, path: Path | None) -> Pushed:
        if not hasattr(local, "session"):
            local.session = _session(user, password, auth)
        started = time.perf_counter()
        if path is None:
            triples = [
                f"{t} .\n" for name in ONTOLOGY_FILES for t in ox.parse(ontology_text(name), format=ox.RdfFormat.TURTLE)
            ]
        else:
            triples = [f"{t} .\n" for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
        chunks = _batches(triples, batch)
        try:
            for i, chunk in enumerate(chunks):
                r = _send(
                    local.session, "PUT" if i == 0 else "POST", endpoint, {graph_param: graph}, chunk, retries, timeout
                )
                if r.status_code >= 300:
                    raise DataError(
                        f"{endpoint} answered {r.status_code} for {graph}: {r.text.strip()[:160]}",
                        "check the Graph Store endpoint, --graph-param and the credentials",
                    )
            return Pushed(graph, len(triples), len(chunks), time.perf_counter() - started, True)
        except DataError as err:
            return Pushed(graph, len(triples), 0, time.perf_counter() - started, False, err.one_line())

    results: list[Pushed] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for pushed in pool.map(lambda source: one(*source), sources):
            results.append(pushed)
            if progress:
                progress(pushed)
    return results


def _term(b: dict):
    kind = b.get("type")
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if b.get("datatype"):  # 'typed-literal' (Virtuoso's older JSON) carries one too
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


def remote_query(
    endpoint: str,
    sparql: str,
    user: str | None = None,
    password: str | None = None,
    auth: str = "digest",
    timeout: float = 60.0,
    graphs: list[str] | None = None,
) -> Result | bool:
    """Run a SELECT or ASK query on any SPARQL 1.1 endpoint; rows as pyoxigraph terms.
    ``graphs``: the default graph is their merge (the protocol's default-graph-uri)."""
    import requests

    session = _session(user, password, auth)
    form = [("query", sparql)] + [("default-graph-uri", g) for g in graphs or []]
    try:
        r = session.post(endpoint, data=form, timeout=timeout, headers={"Accept": "application/sparql-results+json"})
    except requests.RequestException as err:
        raise QueryError(
            f"cannot reach {endpoint}: {type(err).__name__}", "check --endpoint and that the server runs"
        ) from None
    if r.status_code >= 400:
        first = first_line(r.text)[:200]
        raise QueryError(f"{endpoint} answered {r.status_code}: {first}", "check the query and the endpoint")
    try:
        body = r.json()
    except ValueError:
        raise QueryError(f"{endpoint} did not answer in SPARQL JSON", "is it a SPARQL query endpoint?") from None
    if "boolean" in body:
        return bool(body["boolean"])
    columns = body["head"]["vars"]
    rows = [[_term(b[c]) if c in b else None for c in columns] for b in body["results"]["bindings"]]
    return Result(columns, rows)
