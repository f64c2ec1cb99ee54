"""``plankg serve``: the built graphs over HTTP on this machine.

- ``GET``/``POST /sparql``: the SPARQL 1.1 Protocol, read-only. SELECT and ASK answer in
  JSON, CSV or TSV, CONSTRUCT and DESCRIBE in Turtle or N-Triples, chosen by ``Accept``
  (or ``format=``). Updates are refused.
- ``/``: an index; ``/query``: YASGUI (shipped with the package, works offline) with the
  canned queries as tabs; ``/plans/<id>.html``: the graph browser pages; ``/queries``: the
  canned queries as JSON.

Every query runs in a worker process with a time limit (the worker is killed and replaced
when it runs over) and a result cap. Every error answers in one JSON shape:
``{"error": {"status": 400, "message": "...", "hint": "..."}}``.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import re
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import cast
from urllib.parse import parse_qs, urlparse

from kg.errors import PlanError, first_line
from kg.query import canned
from kg.query import results as R
from kg.query.store import graph_files, load_store, plan_dataset, run
from kg.rdf.vocab import GRAPH_BASE

DEFAULT_PORT = 7878


@dataclass
class Limits:
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # solutions (or triples) returned at most
    workers: int = 2


class RequestError(PlanError):
    """A request the service cannot answer: the HTTP status, and the one-line message and
    hint that go into the JSON error."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.status = status


# --- the worker side ---------------------------------------------------------------


def _worker(data: str, conn) -> None:
    """Runs in its own process: open the store once, answer queries until told to stop."""
    import pyoxigraph as ox

    store = load_store(data)
    while True:
        job = conn.recv()
        if job is None:
            return
        text, fmt, max_rows, graphs = job
        try:
            # The protocol's default-graph-uri: a question about one plan reads its graph alone.
            result = run(store, text, graphs or None)
            if isinstance(result, ox.QueryBoolean):
                conn.send(("ok", "boolean", R.boolean(bool(result), fmt if fmt in ("json",) else "text"), False))
                continue
            if isinstance(result, ox.QuerySolutions):
                columns = [v.value for v in result.variables]
                rows: list[list] = []
                truncated = False
                for solution in result:
                    if len(rows) == max_rows:
                        truncated = True
                        break
                    rows.append([solution[c] for c in columns])
                conn.send(("ok", "select", R.select(columns, rows, fmt), truncated))
                continue
            triples: list[ox.Triple] = []
            truncated = False
            for triple in result:
                if len(triples) == max_rows:
                    truncated = True
                    break
                triples.append(triple)
            conn.send(("ok", "graph", R.graph(triples, fmt), truncated))
        except SyntaxError as err:
            conn.send(("error", 400, f"malformed SPARQL: {first_line(err)}", ""))
        except Exception as err:  # the engine's own errors: evaluation failed
            conn.send(("error", 500, f"query failed: {type(err).__name__}: {first_line(err)}", ""))


class _Slot:
    def __init__(self, data: str) -> None:
        self.data = data
        self.start()

    def start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(self.data, child), daemon=True)
        self.process.start()

    def restart(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.start()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()


class QueryPool:
    """Worker processes holding the store; a query over its time limit kills its worker."""

    def __init__(self, data: str | Path, limits: Limits) -> None:
        self.limits = limits
        self.free: queue.Queue[_Slot] = queue.Queue()
        for _ in range(limits.workers):
            self.free.put(_Slot(str(data)))

    def run(self, text: str, fmt: str, graphs: list[str] | None = None) -> tuple[str, bytes, bool]:
        slot = self.free.get()
        try:
            slot.conn.send((text, fmt, self.limits.max_rows, graphs or []))
            if not slot.conn.poll(self.limits.timeout):
                slot.restart()
                raise RequestError(
                    503,
                    f"the query ran over the {self.limits.timeout:g} s time limit and was stopped",
                    "narrow it (a LIMIT, fewer OPTIONALs, no open property paths) or raise --timeout",
                )
            reply = slot.conn.recv()
        except (EOFError, OSError):
            slot.restart()
            raise RequestError(
                500, "the query worker died", "try again; if it repeats, run the query with plankg query"
            ) from None
        finally:
            self.free.put(slot)
        if reply[0] == "error":
            raise RequestError(
                reply[1], reply[2], "check the query's syntax near the place named" if reply[1] == 400 else ""
            )
        return reply[1], reply[2], reply[3]

    def close(self) -> None:
        while not self.free.empty():
            self.free.get().stop()


# --- HTTP ----------------------------------------------------------------------------------

_UPDATE = re.compile(
    r"^\s*(PREFIX\s+\S*\s*<[^>]*>\s*|BASE\s*<[^>]*>\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.I,
)
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


def negotiate(accept: str, kind: str, explicit: str | None) -> str:
    if explicit:
        fmt = _ALIASES.get(explicit.lower())
        if not fmt or fmt not in {f for _, f in _FORMATS[kind]}:
            raise RequestError(
                406,
                f"format {explicit!r} does not fit a "
                f"{'SELECT/ASK' if kind == 'select' else 'CONSTRUCT/DESCRIBE'} query",
                "use json, csv or tsv for SELECT; turtle or ntriples for CONSTRUCT",
            )
        return fmt
    ranges = []
    for part in (accept or "*/*").split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        m = re.search(r"q=([0-9.]+)", params)
        if m:
            q = float(m.group(1))
        ranges.append((q, media.strip().lower()))
    for q, media in sorted(ranges, key=lambda r: -r[0]):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*", ""):
            return _FORMATS[kind][0][1] if media != "text/*" else ("csv" if kind == "select" else "turtle")
        for known, fmt in _FORMATS[kind]:
            if media == known:
                return fmt
    offered = ", ".join(m for m, _ in _FORMATS[kind])
    raise RequestError(406, f"cannot answer in {accept!r}", f"accept one of {offered}")


def query_kind(text: str) -> str:
    body = re.sub(r"#[^\n]*", "", text)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    return "graph" if m and m.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else "select"


class Handler(BaseHTTPRequestHandler):
    server_version = "plankg"
    pool: QueryPool
    data: Path

    def log_message(self, fmt, *args):  # quiet by default; --verbose turns it on
        if getattr(self.server, "verbose", False):
            super().log_message(fmt, *args)

    # -- plumbing --
    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, hint: str = "") -> None:
        body = {"error": {"status": status, "message": message, "hint": hint}}
        self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            raise RequestError(413, "request body over 1 MB", "send a shorter query")
        return self.rfile.read(length) if length else b""

    # -- routes --
    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._error(405, "this server is read-only", "push graphs to a store with plankg push")

    do_DELETE = do_PATCH = do_PUT

    def _route(self, method: str) -> None:
        url = urlparse(self.path)
        try:
            if url.path == "/sparql":
                return self._sparql(method, url)
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
                return self._send(204, b"", "image/x-icon")
            if url.path.startswith("/static/yasgui/"):
                return self._static(url.path.rsplit("/", 1)[-1])
            m = re.fullmatch(r"/plans/([0-9a-z\u4e00-\u9fff._-]+\.html)", url.path)
            if m and (self.data / m.group(1)).is_file():
                return self._send(200, (self.data / m.group(1)).read_bytes(), "text/html; charset=utf-8")
            raise RequestError(404, f"nothing at {url.path}", "see / for what this server offers")
        except RequestError as err:
            self._error(err.status, err.message, err.hint)

    def _sparql(self, method: str, url) -> None:
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        graphs = parse_qs(url.query).get("default-graph-uri", [])
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        text = params.get("query")
        if method == "POST":
            body = self._body()
            if ctype == "application/sparql-update" or "update" in params:
                raise RequestError(
                    403,
                    "SPARQL Update is refused: this endpoint is read-only",
                    "change the data with plankg build, or push it to a store",
                )
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif ctype in ("application/x-www-form-urlencoded", ""):
                fields = parse_qs(body.decode("utf-8", "replace"))
                form = {k: v[0] for k, v in fields.items()}
                graphs += fields.get("default-graph-uri", [])
                if "update" in form:
                    raise RequestError(
                        403,
                        "SPARQL Update is refused: this endpoint is read-only",
                        "change the data with plankg build, or push it to a store",
                    )
                text = form.get("query", text)
                params.update({k: v for k, v in form.items() if k != "query"})
            else:
                raise RequestError(
                    415, f"cannot read a {ctype} body", "send application/sparql-query or a form with query="
                )
        if not text:
            raise RequestError(400, "no query given", "pass query=… (GET) or POST the query")
        if _UPDATE.match(text):
            raise RequestError(
                403,
                "SPARQL Update is refused: this endpoint is read-only",
                "change the data with plankg build, or push it to a store",
            )
        kind = query_kind(text)
        fmt = negotiate(self.headers.get("Accept", ""), kind, params.get("format"))
        result_kind, body, truncated = self.pool.run(text, fmt, graphs)
        media = R.MEDIA[fmt] if result_kind != "boolean" or fmt == "json" else "text/plain; charset=utf-8"
        extra = {"X-PlanKG-Truncated": "true"} if truncated else {}
        self._send(200, body, media, extra)

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


def serve(
    data: str | Path = "build",
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    limits: Limits | None = None,
    verbose: bool = False,
    ready=None,
) -> None:
    """Serve until interrupted. ``ready(url)`` is called once the socket listens."""

    data = Path(data)
    graph_files(data)  # a clear error before any worker starts
    limits = limits or Limits()
    handler = cast(type[Handler], type("PlanHandler", (Handler,), {"data": data}))
    httpd = ThreadingHTTPServer((host, port), handler)  # bind first: a busy port fails before workers start
    handler.pool = pool = QueryPool(data, limits)
    httpd.verbose = verbose  # type: ignore[attr-defined]  # our own attribute, read by Handler.log_message
    httpd.daemon_threads = True
    try:
        if ready:
            ready(f"http://{host}:{httpd.server_address[1]}")
        httpd.serve_forever()
    finally:
        httpd.server_close()
        pool.close()
