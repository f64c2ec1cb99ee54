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
from urllib.parse import parse_qs, urlparse

from kg.errors import first_line
from kg.query import canned, guard
from kg.query.store import graph_files, plan_dataset
from kg.rdf.vocab import GRAPH_BASE
from kg.shells.httperror import RequestError
from kg.shells.negotiate import negotiable
from kg.shells.pool import Limits, QueryPool

__all__ = ["DEFAULT_PORT", "Handler", "Limits", "Policy", "RequestError", "serve"]

DEFAULT_PORT = 7878
MAX_BODY = 1_000_000  # bytes of a POSTed query


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
