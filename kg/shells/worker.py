"""A query worker of ``plankg serve``: the process that holds the store and runs queries.

The server never reads the store itself. Each worker is a process of its own (started by
``kg.shells.pool``) that opens the store read-only once and answers jobs sent over a pipe
until told to stop: SPARQL queries, the description of an entity (for its page, or its
triples in Turtle or JSON-LD) and searches of the build's index — so a page or a search is
bounded in time and memory exactly as a query is. Whatever a query does to the process — runs long, grows past the
memory limit, crashes the engine — happens here, where the pool can kill it and start
another; the server process stays small and up.

Before it opens the store a worker limits itself: its address space (``RLIMIT_AS``), its
network (an empty namespace where Linux allows one, when no ``SERVICE`` is allowed), and
its life (it dies with the server, even one killed with SIGKILL). This module holds that
side only; which worker runs what, and for how long, is the pool's.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from dataclasses import asdict
from typing import cast

from kg.errors import PlanError, QueryError, first_line
from kg.query import results as R
from kg.query.describe import describe, statements
from kg.query.store import find, load_store, run
from kg.rdf.vocab import PREFIXES
from kg.shells.httperror import RequestError
from kg.shells.negotiate import ENTITY_MEDIA, negotiate

# How the pool starts a worker: ``python -c ENTRY <sys.path as JSON> <config as JSON>``.
ENTRY = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from kg.shells.worker import main; main(json.loads(sys.argv[2]))"
)


def main(config: dict) -> None:
    """A worker process's entry (``python -c ENTRY``): its pipe is the inherited fd."""
    from multiprocessing.connection import Connection

    conn = Connection(config.pop("fd"))
    try:
        _serve_jobs(conn=conn, **config)
    finally:
        conn.close()


def _serve_jobs(data: str, conn, parent: int, max_memory: int, isolate: bool) -> None:
    """Runs in its own process: open the store once, answer jobs until told to stop."""
    # Its own process group (Ctrl-C at the terminal reaches the server alone, which stops
    # the workers); and SIGINT ignored should one come anyway.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(max_memory)
    if isolate:
        isolate_network()  # before the store opens: unshare needs a single-threaded process
    _die_with_parent(parent)  # after unshare, which clears the parent-death signal
    try:
        store = load_store(data)
    except PlanError as err:
        conn.send(("error", 500, err.message, err.hint, True))
        return
    except OSError as err:
        conn.send(("error", 500, f"cannot open the store: {first_line(err)}", "", True))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        reply = handle(store, data, job, max_memory)
        conn.send(reply)
        if reply[0] == "error" and reply[4]:
            return


def handle(store, data: str, job: tuple, max_memory: int = 0) -> tuple:
    """One job: ``("sparql", text, graphs, accept, format, max_rows)``, ``("entity", iri,
    format, limit, max_rows)`` or ``("search", terms, plan, kind, limit)``. The reply is
    ``("ok", kind, media, body, truncated)`` or ``("error", status, message, hint, fatal)``;
    a fatal error retires the worker."""
    name, *args = job
    if name == "sparql":
        text, graphs, accept, explicit, max_rows = args
        return answer(store, text, graphs, accept, explicit, max_rows, max_memory)
    try:
        if name == "entity":
            return entity(store, *args)
        if name == "search":
            return search(data, *args)
        raise RequestError(500, f"no such job: {name!r}")
    except RequestError as err:
        return ("error", err.status, err.message, err.hint, False)
    except QueryError as err:  # a search the index cannot answer: an unknown plan, bad terms
        return ("error", 400, err.message, err.hint, False)
    except PlanError as err:  # a build without a search index, say
        return ("error", 500, err.message, err.hint, False)
    except MemoryError:
        return ("error", 503, *memory_message(max_memory), True)
    except Exception as err:  # the engine's own errors
        return ("error", 500, f"{name} failed: {type(err).__name__}: {first_line(err)}", "", False)


def entity(store, iri: str, fmt: str, limit: int, max_rows: int) -> tuple:
    """What the store says about one IRI: a ``Description`` for its page (``fmt`` "html"),
    or its own triples in Turtle, JSON-LD or N-Triples."""
    if fmt == "html":
        found = describe(store, iri, limit)
        if found is None:
            raise _unknown(iri)
        return ("ok", "entity", ENTITY_MEDIA["html"], found, False)
    triples = statements(store, iri, max_rows + 1)
    if not triples:
        raise _unknown(iri)
    truncated = len(triples) > max_rows
    return ("ok", "graph", ENTITY_MEDIA[fmt], rdf_text(triples[:max_rows], fmt), truncated)


def rdf_text(triples: list, fmt: str) -> bytes:
    import pyoxigraph as ox

    if fmt == "ntriples":
        return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    turtle = cast(bytes, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    if fmt == "turtle":
        return turtle
    # JSON-LD compacted with the prefixes (pyoxigraph writes the expanded form only).
    import rdflib

    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True).encode("utf-8")


def _unknown(iri: str) -> RequestError:
    return RequestError(404, f"nothing is known about {iri}", "search for it (/search?q=…), or start at /")


def search(data: str, terms: list[str], plan: str | None, kind: str | None, limit: int) -> tuple:
    """The build's search index (``kg.query.store.find``, as ``plankg search``), one more hit
    than asked for: the caller says whether there were more."""
    hits = find(data, terms, plan=plan or None, kind=kind or None, limit=limit + 1)
    return ("ok", "search", "application/json", [asdict(h) for h in hits], len(hits) > limit)


def answer(
    store, text: str, graphs: list[str], accept: str, explicit: str | None, max_rows: int, max_memory: int = 0
) -> tuple:
    """One query, answered in the format its form allows: ``("ok", kind, media, body,
    truncated)`` or ``("error", status, message, hint, fatal)``."""
    import pyoxigraph as ox

    try:
        # The protocol's default-graph-uri: a question about one plan reads its graph alone.
        result = run(store, text, graphs or None)
        if isinstance(result, ox.QueryBoolean):
            fmt = negotiate(accept, "select", explicit)
            media = R.MEDIA["json"] if fmt == "json" else "text/plain; charset=utf-8"
            return ("ok", "boolean", media, R.boolean(bool(result), "json" if fmt == "json" else "text"), False)
        if isinstance(result, ox.QuerySolutions):
            fmt = negotiate(accept, "select", explicit)
            columns = [v.value for v in result.variables]
            rows: list[list] = []
            truncated = False
            for solution in result:
                if len(rows) == max_rows:
                    truncated = True
                    break
                rows.append([solution[c] for c in columns])
            return ("ok", "select", R.MEDIA[fmt], R.select(columns, rows, fmt), truncated)
        fmt = negotiate(accept, "graph", explicit)
        triples: list[ox.Triple] = []
        truncated = False
        for triple in result:
            if len(triples) == max_rows:
                truncated = True
                break
            triples.append(triple)
        return ("ok", "graph", R.MEDIA[fmt], R.graph(triples, fmt), truncated)
    except RequestError as err:
        return ("error", err.status, err.message, err.hint, False)
    except SyntaxError as err:
        return (
            "error",
            400,
            f"malformed SPARQL: {first_line(err)}",
            "check the query's syntax near the place named",
            False,
        )
    except MemoryError:
        return ("error", 503, *memory_message(max_memory), True)
    except Exception as err:  # the engine's own errors: evaluation failed
        return ("error", 500, f"query failed: {type(err).__name__}: {first_line(err)}", "", False)


def memory_message(max_memory: int) -> tuple[str, str]:
    return (
        f"the query needed more than {max_memory} MB and was stopped",
        "narrow it (a LIMIT, no ORDER BY over a cross product, plan=… for one plan) or raise --max-memory",
    )


def _limit_memory(mb: int) -> None:
    """Bound the process's address space: the engine's allocations fail past it (it aborts,
    and the server answers 503)."""
    if mb <= 0:
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mb * 2**20 if hard == resource.RLIM_INFINITY else min(mb * 2**20, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def isolate_network() -> None:
    """Best effort, Linux: a network namespace of our own holds no interface but a down
    loopback, so no request leaves the process (defence in depth behind the guard)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.unshare(0x10000000 | 0x40000000)  # CLONE_NEWUSER | CLONE_NEWNET; refused: no harm
    except (OSError, AttributeError):
        pass


def _die_with_parent(parent: int) -> None:
    """The worker goes when the server goes, even killed with SIGKILL: Linux's parent-death
    signal, else a thread that watches the parent."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        linux = libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        linux = False
    if os.getppid() != parent:  # the server went before the signal was set
        os._exit(0)
    if not linux:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()
