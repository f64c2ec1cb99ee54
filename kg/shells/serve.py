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

The service is split by concern, each module importing only those above it in this list:
``httperror`` (the one error), ``negotiate`` (Accept → format), ``worker`` (the process
that holds the store and runs a query), ``pool`` (the worker processes in their two lanes,
and the limits), and this module: the HTTP handler, its routes and pages, and ``serve()``.
"""

from __future__ import annotations

import difflib
import json
import re
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, quote, urlparse

from kg.errors import first_line
from kg.query import canned, guard
from kg.query.search import SEARCH_KINDS
from kg.query.store import graph_files, plan_dataset
from kg.rdf.vocab import GRAPH_BASE
from kg.read.pipeline import PLAN_ID
from kg.shells import pages
from kg.shells.httperror import RequestError
from kg.shells.negotiate import ENTITY_FORMATS, SEARCH_FORMATS, choose, negotiable
from kg.shells.pool import Limits, QueryPool

__all__ = ["DEFAULT_PORT", "Handler", "Limits", "Policy", "RequestError", "serve"]

DEFAULT_PORT = 7878
MAX_BODY = 1_000_000  # bytes of a POSTed query
PAGE_ITEMS = 200  # children, links and statements an entity's page lists at most (it says how many more)
SEARCH_LIMIT = 20  # hits a search returns unless limit= asks for fewer or more
MAX_LIMIT = 100  # hits a search returns at most
MAX_SEARCH = 200  # characters of q
MAX_TERMS = 10  # words of q (each must match)


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
    html_errors = False  # set by a route that answers a browser with pages: its errors are pages too
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
                if self.html_errors and err.status != 406:  # a browser asked for a page
                    self._error_page(err)
                else:
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
        url = urlparse(_utf8(self.path))
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
        if url.path == "/search":
            return self._search(url)
        iri = pages.iri_of_path(url.path)
        if iri is not None:
            return self._entity(iri, url)
        if url.path == "/queries":
            body = [{"name": q.name, "question": q.question, "query": q.text} for q in canned.canned()]
            return self._send(200, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")
        if url.path == "/favicon.ico":
            return self._send(204, b"", None)
        if url.path.startswith("/static/yasgui/"):
            return self._static(url.path.rsplit("/", 1)[-1])
        m = re.fullmatch(f"/plans/({_PAGE_FILE})", url.path)
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
        _, media, body, truncated = self.pool.sparql(text, graphs, accept, explicit)
        self._send(200, body, media, {"X-PlanKG-Truncated": "true"} if truncated else {})

    def _static(self, name: str) -> None:
        types = {"yasgui.min.js": "application/javascript", "yasgui.min.css": "text/css"}
        if name not in types:
            raise RequestError(404, f"no static file {name}")
        body = (resources.files("kg.shells.web") / "vendor" / "yasgui" / name).read_bytes()
        self._send(200, body, types[name] + "; charset=utf-8", {"Cache-Control": "max-age=3600"})

    # -- pages --
    def _index(self) -> str:
        titles, note = self._plan_titles()
        stems = {p.stem for p in self.data.glob("*.ttl") if p.stem != "reference"}
        ids = sorted(set(titles) | stems)
        html = {p.name for p in self.data.glob("*.html")}
        single = ids[0] if len(ids) == 1 else None
        rows = []
        for plan in ids:
            report = f"alignment-{plan}.html" if f"alignment-{plan}.html" in html else None
            if report is None and plan == single and "alignment.html" in html:
                report = "alignment.html"  # plankg report on a one-plan build
            page = f"{plan}.html" if f"{plan}.html" in html else None
            rows.append(pages.PlanRow(plan, titles.get(plan), page, report))
        used = {r.page for r in rows} | {r.report for r in rows}
        others = [(f, _PAGE_NAMES.get(f, f)) for f in sorted(html - used) if re.fullmatch(_PAGE_FILE, f)]
        return pages.index_page(rows, others, SEARCH_KINDS, note)

    def _plan_titles(self) -> tuple[dict[str, str], str]:
        """The store's plans and their titles, asked of a worker like any query."""
        try:
            _, _, body, _ = self.pool.sparql(_PLANS_QUERY, [], "application/sparql-results+json", None)
        except RequestError as err:
            return {}, f"the plans' titles could not be read ({err.message})"
        bindings = json.loads(body)["results"]["bindings"]
        return {b["id"]["value"]: b["title"]["value"] for b in bindings}, ""

    def _search(self, url) -> None:
        """``/search?q=…[&plan=…][&kind=…][&limit=…]``: JSON to a program, a page to a browser."""
        fields = parse_qs(url.query, keep_blank_values=True)
        params = {k: v[0] for k, v in fields.items()}
        fmt = choose(self.headers.get("Accept", ""), SEARCH_FORMATS, params.get("format"))
        self.html_errors = fmt == "html"
        q = params.get("q", "").strip()
        if not q:
            raise RequestError(400, "nothing to search for", "give q=…, e.g. /search?q=生态保护")
        if len(q) > MAX_SEARCH:
            raise RequestError(400, f"q is {len(q)} characters long, over {MAX_SEARCH}", "search for fewer words")
        terms = q.split()
        if len(terms) > MAX_TERMS:
            raise RequestError(400, f"{len(terms)} terms, over {MAX_TERMS}", "every term must match: fewer find more")
        kind = params.get("kind") or None
        if kind is not None and kind not in SEARCH_KINDS:
            close = difflib.get_close_matches(kind, SEARCH_KINDS, n=1)
            raise RequestError(
                400,
                f"no kind {kind!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
                "kind is one of " + ", ".join(SEARCH_KINDS),
            )
        plan = params.get("plan") or None
        if plan is not None and not PLAN_ID.fullmatch(plan):
            raise RequestError(400, f"{plan[:100]!r} is no plan id", "give a plan's id, as / lists them")
        text = params.get("limit", "") or str(SEARCH_LIMIT)
        if not re.fullmatch(r"[0-9]{1,6}", text) or not 1 <= int(text) <= MAX_LIMIT:
            raise RequestError(
                400, f"limit {text[:20]!r} is not a number from 1 to {MAX_LIMIT}", f"e.g. limit={SEARCH_LIMIT}"
            )
        limit = int(text)
        _, _, found, more = self.pool.run(("search", terms, plan, kind, limit))
        hits = [{**h, "url": pages.local_path(h["iri"])} for h in found[:limit]]
        current = pages.Search(q, plan, kind)
        if fmt == "html":
            body = pages.search_page(current, terms, hits, more, SEARCH_KINDS, limit, MAX_LIMIT).encode()
            return self._send(200, body, "text/html; charset=utf-8", {"Vary": "Accept"})
        answer = {"q": q, "terms": terms, "plan": plan, "kind": kind, "limit": limit, "more": more, "hits": hits}
        body = json.dumps(answer, ensure_ascii=False).encode()
        return self._send(200, body, "application/json; charset=utf-8", {"Vary": "Accept"})

    def _entity(self, iri: str, url) -> None:
        """An entity's IRI: its page, or its statements in Turtle, JSON-LD or N-Triples
        (``Accept``, or ``format=``), gathered by a worker under the query limits."""
        explicit = parse_qs(url.query).get("format", [None])[0]
        fmt = choose(self.headers.get("Accept", ""), ENTITY_FORMATS, explicit)
        self.html_errors = fmt == "html"
        _, media, body, truncated = self.pool.run(("entity", iri, fmt, PAGE_ITEMS, self.pool.limits.max_rows))
        extra = {"Vary": "Accept"}
        if truncated:
            extra["X-PlanKG-Truncated"] = "true"
        if fmt != "html":
            return self._send(200, body, media, extra)
        graph_page = None
        plan = body.plan_id
        if plan and (self.data / f"{plan}.html").is_file():
            graph_page = f"/plans/{plan}.html#{quote(iri, safe='')}"
        html = pages.entity_page(body, SEARCH_KINDS, graph_page)
        return self._send(200, html.encode(), media, extra)

    def _error_page(self, err: RequestError) -> None:
        body = pages.error_page(err.status, err.message, err.hint, SEARCH_KINDS).encode()
        self._send(err.status, body, "text/html; charset=utf-8", {"Vary": "Accept"})


_PLANS_QUERY = (
    "PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?id ?title WHERE { ?p a pk:Plan ; dcterms:identifier ?id ; rdfs:label ?title } ORDER BY ?id"
)
_PAGE_FILE = r"[0-9a-z\u4e00-\u9fff._-]+\.html"  # what /plans/ serves
_PAGE_NAMES = {
    "compare.html": "比较 the plans compared (compare.html)",
    "compare-report.html": "比较报告 the comparison report (compare-report.html)",
    "alignment.html": "对齐报告 the alignment report (alignment.html)",
}


def _yasgui_page() -> str:
    tabs = [{"name": q.name, "query": q.text} for q in canned.canned()]
    return pages.yasgui_page(tabs, plan_dataset("")[1:])  # shared: the ontology and reference graphs


def _utf8(target: str) -> str:
    """The request target as sent: http.server reads its bytes as Latin-1, but a client that
    sends UTF-8 unescaped (curl 'http://…/search?q=生态') means UTF-8."""
    if target.isascii():
        return target
    try:
        return target.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise RequestError(400, "the request target is not UTF-8", "percent-encode it (%E7%94%9F…)") from None


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
