"""``plankg serve``: the built graphs over HTTP on this machine.

- ``GET``/``POST /sparql``: the SPARQL 1.1 Protocol, read-only. SELECT and ASK answer in
  JSON, CSV or TSV, CONSTRUCT and DESCRIBE in Turtle or N-Triples, chosen by ``Accept``
  (or ``format=``) once the engine has said which form the query has. Updates are refused.
- ``/``: an index; ``/query``: YASGUI (shipped with the package, works offline) with the
  canned queries as tabs; ``/plans/<id>.html``: the graph browser pages; ``/queries``: the
  canned queries as JSON.

What it promises (docs/service.md says how each promise is tested):

- No outbound requests: ``SERVICE`` is refused (``kg.query.guard``) unless its IRI was
  allowed with ``--allow-service``; without any allowed, each worker also runs in an empty
  network namespace where Linux allows it, so a query the guard misread still reaches no one.
- Answers go to this machine's pages only: no CORS header unless ``--cors-origin`` allows
  the page's origin, and a request whose ``Host`` is not this server's (DNS rebinding) is
  refused with 421.
- Bounded work: a query runs in a worker process with a time limit, a result cap and a
  memory limit (``RLIMIT_AS``); a worker over a limit is killed and replaced, the server
  stays up. Requests are read with a timeout, and bodies are capped.
- Every error answers in one JSON shape, http.server's own ones too:
  ``{"error": {"status": 400, "message": "...", "hint": "..."}}``.

The lanes: cheap queries keep answering while slow ones run. Every query starts in the
*short lane*, a pool of ``--workers`` processes kept ready. One that has not answered
within ``--short-timeout`` (1 s) is *promoted* where it runs: its process leaves the short
lane for the *long lane* (at most ``--long-workers`` such queries at once), goes on up to
the full ``--timeout`` at a lower CPU priority (nice 10), and is retired once it answers;
a fresh process takes its place in the short lane at once. Promoting the running process
rather than re-running the query elsewhere loses no work and needs no idle long-lane
processes; a process that ran a big query is not reused, so its memory goes back to the
system. When the long lane is full a query over the short limit is refused (503) rather
than left in the short lane, where it would hold up the cheap ones.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlparse

from kg.errors import DataError, PlanError, first_line
from kg.query import canned, guard
from kg.query import results as R
from kg.query.store import graph_files, load_store, plan_dataset, run
from kg.rdf.vocab import GRAPH_BASE

DEFAULT_PORT = 7878
MAX_BODY = 1_000_000  # bytes of a POSTed query
START_SECONDS = 60.0  # a worker opens the store within this, or the server says why not


@dataclass
class Limits:
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # solutions (or triples) returned at most
    workers: int = 2  # processes kept ready: the short lane
    long_workers: int = 2  # queries that may run past short_timeout at once: the long lane
    short_timeout: float = 1.0  # seconds a query may run in the short lane
    max_memory: int = 2048  # MB of address space a worker process may use (0: no limit)
    read_timeout: float = 10.0  # seconds to read a request (idle connections are closed)

    def check(self) -> None:
        for name in ("timeout", "short_timeout", "read_timeout"):
            if not getattr(self, name) > 0:
                raise PlanError(f"--{name.replace('_', '-')} must be more than 0 seconds")
        if self.workers < 1 or self.long_workers < 0 or self.max_rows < 1:
            raise PlanError("--workers and --max-rows must be at least 1, --long-workers at least 0")
        if 0 < self.max_memory < 256:
            raise PlanError(
                f"--max-memory {self.max_memory} MB is too little to open the store", "give 256 MB or more (or 0)"
            )


class RequestError(PlanError):
    """A request the service cannot answer: the HTTP status, and the one-line message and
    hint that go into the JSON error."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.status = status


# --- content negotiation -------------------------------------------------------------

_FORMATS = {
    "select": [
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
    "graph": [("text/turtle", "turtle"), ("application/n-triples", "ntriples"), ("text/plain", "ntriples")],
}
_ALIASES = {
    "json": "json",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
}
_TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA = re.compile(rf"{_TCHAR}/{_TCHAR}|\*")
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def accept_ranges(accept: str) -> list[tuple[float, str]]:
    """The media ranges of an ``Accept`` header with their weights, best first; a malformed
    header is a 400."""
    ranges = []
    for part in (accept or "*/*").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media and not params:
            continue  # "a, , b": empty elements are allowed
        if not _MEDIA.fullmatch(media):
            raise RequestError(400, f"malformed Accept header: {media!r} is no media type", "e.g. Accept: text/csv")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                if not _QVALUE.fullmatch(value.strip()):
                    raise RequestError(
                        400,
                        f"malformed Accept header: q={value.strip()!r}",
                        "q is a number from 0 to 1 with at most three decimals, e.g. text/csv;q=0.9",
                    )
                q = float(value)
        ranges.append((q, "*/*" if media == "*" else media.lower()))
    return sorted(ranges, key=lambda r: -r[0])  # stable: equal weights keep the client's order


def negotiate(accept: str, kind: str, explicit: str | None) -> str:
    """The format to answer a ``kind`` ("select": solutions or a boolean; "graph": triples)
    in, from ``format=`` if given, else from ``Accept``; 406 when none fits."""
    if explicit:
        fmt = _ALIASES.get(explicit.lower())
        if not fmt or fmt not in {f for _, f in _FORMATS[kind]}:
            raise RequestError(
                406,
                f"format {explicit!r} does not fit a "
                f"{'SELECT/ASK' if kind == 'select' else 'CONSTRUCT/DESCRIBE'} query",
                "use json, csv or tsv for SELECT and ASK; turtle or ntriples for CONSTRUCT and DESCRIBE",
            )
        return fmt
    for q, media in accept_ranges(accept):
        if q <= 0:
            continue
        if media in ("*/*", "application/*"):
            return _FORMATS[kind][0][1]
        if media == "text/*":
            return "csv" if kind == "select" else "turtle"
        for known, fmt in _FORMATS[kind]:
            if media == known:
                return fmt
    offered = ", ".join(m for m, _ in _FORMATS[kind])
    raise RequestError(406, f"cannot answer this query in {accept!r}", f"accept one of {offered}")


def negotiable(accept: str, explicit: str | None) -> None:
    """Refuse, before any query runs, an ``Accept`` (or ``format=``) that fits no query form."""
    try:
        negotiate(accept, "select", explicit)
    except RequestError as err:
        if err.status != 406:
            raise
        try:
            negotiate(accept, "graph", explicit)
        except RequestError:
            offered = ", ".join(m for kind in _FORMATS.values() for m, _ in kind)
            raise RequestError(406, f"cannot answer in {explicit or accept!r}", f"accept one of {offered}") from None


# --- the worker side ---------------------------------------------------------------


_WORKER_MAIN = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from kg.shells.serve import _worker_main; _worker_main(json.loads(sys.argv[2]))"
)


def _worker_main(config: dict) -> None:
    """A worker process's entry (``python -c _WORKER_MAIN``): its pipe is the inherited fd."""
    from multiprocessing.connection import Connection

    conn = Connection(config.pop("fd"))
    try:
        _worker(conn=conn, **config)
    finally:
        conn.close()


def _worker(data: str, conn, parent: int, max_memory: int, isolate: bool) -> None:
    """Runs in its own process: open the store once, answer queries until told to stop."""
    # Its own process group (Ctrl-C at the terminal reaches the server alone, which stops
    # the workers); and SIGINT ignored should one come anyway.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(max_memory)
    if isolate:
        _isolate_network()  # before the store opens: unshare needs a single-threaded process
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
        text, graphs, accept, explicit, max_rows = job
        reply = _answer(store, text, graphs, accept, explicit, max_rows, max_memory)
        conn.send(reply)
        if reply[0] == "error" and reply[4]:
            return


def _answer(
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
        return ("error", 503, *_memory_message(max_memory), True)
    except Exception as err:  # the engine's own errors: evaluation failed
        return ("error", 500, f"query failed: {type(err).__name__}: {first_line(err)}", "", False)


def _memory_message(max_memory: int) -> tuple[str, str]:
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


def _isolate_network() -> None:
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


# --- the pool of workers ---------------------------------------------------------------


class _Worker:
    def __init__(self, process: subprocess.Popen, conn) -> None:
        self.process = process
        self.conn = conn

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class QueryPool:
    """Worker processes holding the store, in two lanes (see the module's docstring)."""

    def __init__(
        self, data: str | Path, limits: Limits, allow_services: tuple[str, ...] = (), verbose: bool = False
    ) -> None:
        self.data = str(data)
        self.limits = limits
        self.isolate = not allow_services  # an allowed service needs the network
        self.quiet = not verbose
        self.ready: queue.Queue[_Worker] = queue.Queue()
        self.long = threading.BoundedSemaphore(max(limits.long_workers, 1))
        self._lock = threading.Condition()
        self._live: set[_Worker] = set()
        self._failure: RequestError | None = None
        self._closed = False
        # Every process is started from this one thread, which lives as long as the pool:
        # Linux sends the parent-death signal when the *thread* that forked a child exits.
        self._orders: queue.Queue[bool] = queue.Queue()
        self._spawner = threading.Thread(target=self._spawn_loop, name="plankg-spawner", daemon=True)
        self._spawner.start()
        for _ in range(limits.workers):
            self._orders.put(True)

    # -- starting and stopping processes --
    def _spawn_loop(self) -> None:
        while self._orders.get():
            try:
                worker = self._launch()
            except RequestError as err:
                self._failed(err)
                continue
            with self._lock:
                if self._closed:
                    worker.kill()
                    return
                self._live.add(worker)
            # Opening the store takes a while: wait for it elsewhere, so processes start side
            # by side (two promoted at once are both replaced within one start-up time).
            threading.Thread(target=self._welcome, args=(worker,), daemon=True).start()

    def _launch(self) -> _Worker:
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        config = {
            "fd": theirs.fileno(),
            "data": self.data,
            "parent": os.getpid(),
            "max_memory": self.limits.max_memory,
            "isolate": self.isolate,
        }
        out = subprocess.DEVNULL if self.quiet else None  # the engine's last words on a failed allocation
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_MAIN, json.dumps(sys.path), json.dumps(config)],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                process_group=0,
                # glibc reserves 64 MB of address space an arena, an arena a thread: two are
                # enough, and the memory limit then counts memory used, not reserved.
                env={**os.environ, "MALLOC_ARENA_MAX": "2"},
            )
        except OSError as err:
            ours.close()
            raise RequestError(500, f"cannot start a query worker: {first_line(err)}") from None
        finally:
            theirs.close()  # the worker's end: its death is then an EOF here
        return _Worker(process, Connection(ours.detach()))

    def _welcome(self, worker: _Worker) -> None:
        """Wait for a new worker to open the store, then put it in the short lane."""
        try:
            if not worker.conn.poll(START_SECONDS):
                raise RequestError(503, f"a query worker did not open the store within {START_SECONDS:g} s")
            message = worker.conn.recv()
            if message[0] != "ready":
                raise RequestError(message[1], message[2], message[3])
        except (EOFError, OSError):
            self._retire(worker, replace=False)
            code = worker.process.returncode
            if code == -signal.SIGABRT and self.limits.max_memory > 0:
                err = RequestError(
                    500, f"a query worker could not open the store in {self.limits.max_memory} MB", "raise --max-memory"
                )
            else:
                err = RequestError(
                    500,
                    f"a query worker died opening the store (exit {code})",
                    "run plankg query on the same --data to see why",
                )
            return self._failed(err)
        except RequestError as err:
            self._retire(worker, replace=False)
            return self._failed(err)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._failure = None
            self.ready.put(worker)
            self._lock.notify_all()

    def _failed(self, err: RequestError) -> None:
        """A worker did not start: say so to whoever waits, and try again a little later (a
        store being rebuilt opens again)."""
        with self._lock:
            self._failure = err
            self._lock.notify_all()
        time.sleep(2)
        with self._lock:
            if not self._closed:
                self._orders.put(True)

    def wait_ready(self, seconds: float = START_SECONDS) -> None:
        """Wait until the short lane's processes have opened the store; a ``DataError`` says
        why one could not."""
        deadline = time.monotonic() + seconds
        with self._lock:
            while self.ready.qsize() < self.limits.workers and self._failure is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DataError(f"the query workers did not start within {seconds:g} s")
                self._lock.wait(left)
            if self._failure is not None:
                raise DataError(self._failure.message, self._failure.hint)

    def _retire(self, worker: _Worker, replace: bool) -> None:
        worker.kill()
        with self._lock:
            self._live.discard(worker)
            closed = self._closed
        if replace and not closed:
            self._orders.put(True)

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._live)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
        for w in workers:  # idle ones stop by themselves, busy ones are killed
            try:
                w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for w in workers:
            try:
                w.process.wait(max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                pass
            w.kill()
        self._orders.put(False)  # last: the spawner's exit kills (parent-death) what is left

    # -- running a query --
    def _take(self) -> _Worker:
        deadline = time.monotonic() + self.limits.timeout
        while True:
            try:
                worker = self.ready.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                failure = self._failure
                if failure is not None:
                    raise failure from None
                raise RequestError(
                    503,
                    f"every query worker stayed busy for {self.limits.timeout:g} s",
                    "try again in a moment; many queries are running",
                ) from None
            if worker.alive():
                return worker
            self._retire(worker, replace=True)  # died idle (killed from outside)

    def run(self, text: str, graphs: list[str], accept: str, explicit: str | None) -> tuple[str, str, bytes, bool]:
        """The query's kind ("select", "boolean", "graph"), media type, body, and whether
        the result cap cut it."""
        limits = self.limits
        started = time.monotonic()
        worker = self._take()
        short = min(limits.short_timeout, limits.timeout)
        promoted = False
        keep = False
        try:
            try:
                worker.conn.send((text, graphs, accept, explicit, limits.max_rows))
                if not worker.conn.poll(short):
                    if short >= limits.timeout or limits.long_workers == 0:
                        raise self._over_time()
                    if not self.long.acquire(blocking=False):
                        raise RequestError(
                            503,
                            f"the query ran over {short:g} s and {limits.long_workers} slow queries are "
                            "running already",
                            "try again when one has finished, or narrow the query (a LIMIT, plan=… for one plan)",
                        )
                    promoted = True
                    self._orders.put(True)  # a fresh process refills the short lane now
                    try:
                        os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
                    except OSError:
                        pass
                    left = limits.timeout - (time.monotonic() - started)
                    if left <= 0 or not worker.conn.poll(left):
                        raise self._over_time()
                reply = worker.conn.recv()
            except (EOFError, OSError):
                raise self._died(worker) from None
            keep = not promoted and not (reply[0] == "error" and reply[4])
        finally:
            if keep:
                self.ready.put(worker)
            else:
                self._retire(worker, replace=not promoted)
            if promoted:
                self.long.release()
        if reply[0] == "error":
            raise RequestError(reply[1], reply[2], reply[3])
        return reply[1], reply[2], reply[3], reply[4]

    def _over_time(self) -> RequestError:
        return RequestError(
            503,
            f"the query ran over the {self.limits.timeout:g} s time limit and was stopped",
            "narrow it (a LIMIT, fewer OPTIONALs, no open property paths) or raise --timeout",
        )

    def _died(self, worker: _Worker) -> RequestError:
        try:
            code = worker.process.wait(2)
        except subprocess.TimeoutExpired:
            code = None
        # Past RLIMIT_AS the engine's allocator aborts (Rust, RocksDB's C++ alike): SIGABRT.
        if code == -signal.SIGABRT and self.limits.max_memory > 0:
            return RequestError(503, *_memory_message(self.limits.max_memory))
        how = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
        return RequestError(
            500, f"the query worker died ({how})", "try again; if it repeats, run the query with plankg query"
        )


# --- HTTP ----------------------------------------------------------------------------------

_SERVER_ERRORS = {  # http.server's own errors, with what to try
    400: "check the request line and headers",
    408: "send the whole request at once",
    414: "send a long query by POST (application/sparql-query) instead of in the URL",
    431: "send fewer or shorter headers",
    501: "use GET, HEAD, POST or OPTIONS",
    505: "use HTTP/1.0 or HTTP/1.1",
}


@dataclass(frozen=True)
class Policy:
    """Who may read the answers and what a query may call."""

    allow_services: tuple[str, ...] = ()  # SERVICE IRIs a query may call
    cors_origins: tuple[str, ...] = ()  # origins whose pages may read the answers ("*": any)
    hosts: tuple[str, ...] = ()  # Host names beside the loopback ones (the --host value)


class Handler(BaseHTTPRequestHandler):
    server_version = "plankg"
    pool: QueryPool
    data: Path
    policy: Policy = Policy()
    timeout = 10.0  # seconds to read a request (StreamRequestHandler's), set by serve()

    def log_message(self, fmt, *args):  # quiet by default; --verbose turns it on
        if getattr(self.server, "verbose", False):
            super().log_message(fmt, *args)

    # -- plumbing --
    def _cors(self) -> dict[str, str]:
        origins = self.policy.cors_origins
        headers = getattr(self, "headers", None)
        origin = headers.get("Origin") if headers is not None else None
        if not origins:
            return {}
        if "*" in origins:
            return {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-PlanKG-Truncated"}
        if origin in origins:
            return {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Expose-Headers": "X-PlanKG-Truncated",
                "Vary": "Origin",
            }
        return {"Vary": "Origin"}

    def _send(self, status: int, body: bytes, content_type: str | None, extra: dict | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if status != 204:
            self.send_header("Content-Length", str(len(body)))
        for k, v in {**self._cors(), **(extra or {})}.items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and status != 204:
            self.wfile.write(body)

    def _error(self, status: int, message: str, hint: str = "") -> None:
        body = {"error": {"status": status, "message": message, "hint": hint}}
        self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (414, 431, 501, a malformed request line …) in our shape."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # a request line it could not read: answer in 1.0
            self.request_version = "HTTP/1.0"
        text = message or self.responses.get(code, ("error",))[0]
        try:
            self._error(code, text, _SERVER_ERRORS.get(code, ""))
        except OSError:
            pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "identity").strip().lower() != "identity":
            raise RequestError(411, "chunked request bodies are not read", "send the body with a Content-Length")
        lengths = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if not lengths:
            return b""
        if len(lengths) > 1 or not re.fullmatch(r"[0-9]{1,15}", next(iter(lengths))):
            self.close_connection = True
            raise RequestError(
                400, f"malformed Content-Length: {', '.join(sorted(lengths))!r}", "send the body's length in bytes"
            )
        length = int(next(iter(lengths)))
        if length > MAX_BODY:
            self.close_connection = True
            raise RequestError(413, "request body over 1 MB", "send a shorter query")
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise RequestError(
                408,
                f"the request body did not arrive within {self.timeout:g} s",
                "send as many bytes as Content-Length says",
            ) from None
        if len(body) < length:
            self.close_connection = True
            raise RequestError(400, "the request body is shorter than its Content-Length", "send the whole body")
        return body

    def _port(self) -> int:
        return cast(tuple, self.server.server_address)[1]

    def _host_ok(self) -> bool:
        """The Host header names this server (DNS rebinding: a page of evil.example whose
        name now points at 127.0.0.1 sends ``Host: evil.example:7878``)."""
        host = self.headers.get("Host")
        if host is None:  # HTTP/1.0 without one: no browser sends that
            return True
        port = self._port()
        local = self.connection.getsockname()[0]
        names = {"127.0.0.1", "localhost", "[::1]", _bracket(local), *(_bracket(h) for h in self.policy.hosts)}
        allowed = {f"{n.lower()}:{port}" for n in names}
        if port == 80:
            allowed |= {n.lower() for n in names}
        return host.strip().lower() in allowed

    # -- routes --
    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        self._route("OPTIONS")

    def _route(self, method: str) -> None:
        try:
            try:
                self._dispatch(method)
            except RequestError:
                raise
            except (ConnectionError, TimeoutError):
                raise
            except Exception as err:  # a bug: still one JSON answer, and the server goes on
                self.log_error("internal error: %r", err)
                raise RequestError(500, f"internal error: {type(err).__name__}: {first_line(err)}") from None
        except RequestError as err:
            try:
                self._error(err.status, err.message, err.hint)
            except OSError:
                self.close_connection = True

    def _dispatch(self, method: str) -> None:
        if not self._host_ok():
            self.close_connection = True
            raise RequestError(
                421,
                f"this server does not answer for host {self.headers.get('Host')!r}",
                f"ask for http://127.0.0.1:{self._port()}/ (DNS rebinding is refused)",
            )
        url = urlparse(self.path)
        if method == "OPTIONS":
            return self._options(url.path)
        if url.path == "/sparql":
            if method not in ("GET", "POST"):
                raise RequestError(405, "this server is read-only", "push graphs to a store with plankg push")
            return self._sparql(method, url)
        if method == "PUT":
            raise RequestError(405, "this server is read-only", "push graphs to a store with plankg push")
        if method != "GET":
            raise RequestError(405, f"{method} {url.path} is not allowed", "POST only to /sparql")
        if url.path in ("/", "/index.html"):
            return self._send(200, self._index().encode(), "text/html; charset=utf-8")
        if url.path == "/query":
            return self._send(200, _yasgui_page().encode(), "text/html; charset=utf-8")
        if url.path == "/queries":
            body = [{"name": q.name, "question": q.question, "query": q.text} for q in canned.canned()]
            return self._send(200, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")
        if url.path == "/favicon.ico":
            return self._send(204, b"", None)
        if url.path.startswith("/static/yasgui/"):
            return self._static(url.path.rsplit("/", 1)[-1])
        m = re.fullmatch(r"/plans/([0-9a-z\u4e00-\u9fff._-]+\.html)", url.path)
        if m and (self.data / m.group(1)).is_file():
            return self._send(200, (self.data / m.group(1)).read_bytes(), "text/html; charset=utf-8")
        raise RequestError(404, f"nothing at {url.path}", "see / for what this server offers")

    def _options(self, path: str) -> None:
        allow = "GET, HEAD, POST, OPTIONS" if path in ("/sparql", "*") else "GET, HEAD, OPTIONS"
        extra = {"Allow": allow}
        cors = self._cors()
        if "Access-Control-Allow-Origin" in cors and self.headers.get("Access-Control-Request-Method"):
            extra.update(
                {
                    "Access-Control-Allow-Methods": allow,
                    "Access-Control-Allow-Headers": "Accept, Content-Type",
                    "Access-Control-Max-Age": "600",
                }
            )
        self._send(204, b"", None, extra)

    def _sparql(self, method: str, url) -> None:
        fields = parse_qs(url.query)
        params = {k: v[0] for k, v in fields.items()}
        graphs = fields.get("default-graph-uri", [])
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        text = params.get("query")
        refused = RequestError(
            403,
            "SPARQL Update is refused: this endpoint is read-only",
            "change the data with plankg build, or push it to a store",
        )
        if "update" in params:
            raise refused
        if method == "POST":
            body = self._body()
            if ctype == "application/sparql-update":
                raise refused
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype in ("application/x-www-form-urlencoded", ""):
                form_fields = parse_qs(body.decode("utf-8", "replace"))
                form = {k: v[0] for k, v in form_fields.items()}
                graphs = graphs + form_fields.get("default-graph-uri", [])
                if "update" in form:
                    raise refused
                text = form.get("query", text)
                params.update({k: v for k, v in form.items() if k != "query"})
            else:
                raise RequestError(
                    415, f"cannot read a {ctype} body", "send application/sparql-query or a form with query="
                )
        if not text:
            raise RequestError(400, "no query given", "pass query=… (GET) or POST the query")
        for g in graphs:
            if not _is_iri(g):
                raise RequestError(
                    400,
                    f"default-graph-uri {g!r} is not an IRI",
                    f"give a graph's full IRI, e.g. {GRAPH_BASE}<plan-id>",
                )
        if guard.is_update(text):
            raise refused
        try:
            guard.check(text, self.policy.allow_services)
        except guard.QueryRefused as err:
            raise RequestError(err.status, err.message, err.hint) from None
        accept, explicit = self.headers.get("Accept", ""), params.get("format")
        negotiable(accept, explicit)  # before the query runs: an Accept that fits no answer
        _, media, body, truncated = self.pool.run(text, graphs, accept, explicit)
        self._send(200, body, media, {"X-PlanKG-Truncated": "true"} if truncated else {})

    def _static(self, name: str) -> None:
        types = {"yasgui.min.js": "application/javascript", "yasgui.min.css": "text/css"}
        if name not in types:
            raise RequestError(404, f"no static file {name}")
        body = (resources.files("kg.shells.web") / "vendor" / "yasgui" / name).read_bytes()
        self._send(200, body, types[name] + "; charset=utf-8", {"Cache-Control": "max-age=3600"})

    def _index(self) -> str:
        pages = sorted(p.name for p in self.data.glob("*.html") if p.name != "alignment.html")
        report = (self.data / "alignment.html").is_file()
        items = "".join(f'<li><a href="/plans/{p}">{p[:-5]}</a></li>' for p in pages)
        return (
            "<!DOCTYPE html><html lang=zh><meta charset=utf-8><title>plankg</title>"
            "<body style='font-family:sans-serif;max-width:50em;margin:2em auto'>"
            "<h1>plankg</h1><p><a href='/query'>SPARQL query page</a> (YASGUI) · endpoint <code>/sparql</code></p>"
            f"<h2>Plans</h2><ul>{items or '<li>(no pages built)</li>'}</ul>"
            + ("<p><a href='/plans/alignment.html'>alignment report</a></p>" if report else "")
            + "</body></html>"
        )


def _yasgui_page() -> str:

    tabs = json.dumps([{"name": q.name, "query": q.text} for q in canned.canned()], ensure_ascii=False)
    graph_base = json.dumps(GRAPH_BASE)
    shared = json.dumps(plan_dataset("")[1:])  # the ontology and reference graphs
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>plankg SPARQL</title>
<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">
<style>body {{ margin: 0; font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; }}
header {{ padding: 6px 12px; border-bottom: 1px solid #ddd; }}</style></head>
<body><header><b>plankg</b> · SPARQL endpoint <code>/sparql</code> · <a href="/">plans</a> ·
<label>ask about <select id="plan"><option value="">every plan</option></select></label></header>
<div id="yasgui"></div>
<script src="/static/yasgui/yasgui.min.js"></script>
<script>
// Offline: no prefix lookup on prefix.cc; every tab queries this server.
Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(a => a !== "prefixes");
const endpoint = location.origin + "/sparql";
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint, method: "POST" }},
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: {{ getData: () => [{{ endpoint }}] }},
  persistencyExpire: 0,
}});
const canned = {tabs};
// First visit: one tab per canned query (later visits keep the user's own tabs).
if (Object.keys(yasgui._tabs || {{}}).length <= 1) {{
  // Tables in simple view: values without their datatype IRIs.
  const simple = {{ settings: {{ pluginsConfig: {{ table: {{ compact: true }} }} }} }};
  for (const q of canned) yasgui.addTab(false, {{ ...Yasgui.Tab.getDefaults(), name: q.name,
                                                   yasqe: {{ value: q.query }},
                                                   requestConfig: {{ endpoint, method: "POST" }}, yasr: simple }});
}}
// The plan picker: a question about one plan reads that plan's graph alone (default-graph-uri),
// so every tab answers for it, and fast, however many plans the store holds.
const picker = document.getElementById("plan");
const shared = {shared};
const graphsFor = id => id ? [{graph_base} + id, ...shared] : [];
const plansQuery = "PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> " +
  "SELECT ?id WHERE {{ ?p a pk:Plan ; dcterms:identifier ?id }} ORDER BY ?id";
fetch(endpoint, {{ method: "POST", body: new URLSearchParams({{ query: plansQuery }}),
                  headers: {{ Accept: "application/sparql-results+json" }} }})
  .then(r => r.json())
  .then(j => {{ for (const b of j.results.bindings) picker.add(new Option(b.id.value, b.id.value)); }});
// As request arguments: @zazuko/yasgui 4.6.2 sends its defaultGraphs setting as the named graphs.
const applyPlan = tab => tab.setRequestConfig({{
  args: graphsFor(picker.value).map(g => ({{ name: "default-graph-uri", value: g }})) }});
picker.onchange = () => {{ for (const id of Object.keys(yasgui._tabs)) applyPlan(yasgui.getTab(id)); }};
yasgui.on("tabAdd", (_, id) => setTimeout(() => applyPlan(yasgui.getTab(id))));
window.plankgYasgui = yasgui;
</script></body></html>"""


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _is_iri(text: str) -> bool:
    import pyoxigraph as ox

    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # connections waiting to be accepted (socketserver's default: 5)
    verbose = False

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away or stalled: nothing to report
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM: the same quiet stop as Ctrl-C


def serve(
    data: str | Path = "build",
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    limits: Limits | None = None,
    verbose: bool = False,
    ready=None,
    allow_services: tuple[str, ...] | list[str] = (),
    cors_origins: tuple[str, ...] | list[str] = (),
) -> None:
    """Serve until interrupted. ``ready(url)`` is called once the socket listens and the
    query workers have opened the store."""

    data = Path(data)
    graph_files(data)  # a clear error before any worker starts
    limits = limits or Limits()
    limits.check()
    policy = Policy(tuple(allow_services), tuple(cors_origins), (host,))
    handler = cast(
        type[Handler],
        type("PlanHandler", (Handler,), {"data": data, "policy": policy, "timeout": limits.read_timeout}),
    )
    server = _Server6 if ":" in host else _Server
    httpd = server((host, port), handler)  # bind first: a busy port fails before workers start
    httpd.verbose = verbose
    pool = None
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    try:
        handler.pool = pool = QueryPool(data, limits, policy.allow_services, verbose)
        pool.wait_ready()
        if ready:
            ready(f"http://{_bracket(host)}:{httpd.server_address[1]}")
        httpd.serve_forever()
    finally:
        httpd.server_close()
        if pool is not None:
            pool.close()
