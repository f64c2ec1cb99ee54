"""The service's promises (docs/service.md), tested where a client meets them: HTTP requests
— raw bytes over a socket for the malformed ones — to a real ``plankg serve`` on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from servers import free_port, process

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # grew the server to 6.6 GB
CHEAP = "ASK { ?s ?p ?o }"
MEMORY_MB = 768
ALLOWED_ORIGIN = "http://allowed.example"


@contextlib.contextmanager
def plankg(data: Path, log: Path, *extra: str):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "kg", "serve", "--data", str(data), "--port", str(port), *extra]
    with process(args, url + "/", 60, log) as proc:
        yield url, proc


class Listener:
    """A loopback endpoint that records every connection and answers one SPARQL result."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        body = json.dumps(
            {"head": {"vars": ["a"]}, "results": {"bindings": [{"a": {"type": "literal", "value": "from afar"}}]}}
        ).encode()
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                with contextlib.suppress(OSError):
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                self.requests.append(data)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    ear = Listener()
    yield ear
    ear.close()


@pytest.fixture(scope="module")
def strict(bundled_build, tmp_path_factory):
    """The server as it starts by default, with short limits so the tests run fast."""
    log = tmp_path_factory.mktemp("strict") / "serve.log"
    with plankg(bundled_build[1], log, "--timeout", "6", "--max-memory", str(MEMORY_MB), "--read-timeout", "2") as (
        url,
        proc,
    ):
        yield url, proc


@pytest.fixture(scope="module")
def open_server(bundled_build, tmp_path_factory, listener):
    """A server that allows one service and one origin."""
    log = tmp_path_factory.mktemp("open") / "serve.log"
    with plankg(bundled_build[1], log, "--allow-service", listener.url, "--cors-origin", ALLOWED_ORIGIN) as (url, proc):
        yield url


def error_of(r: requests.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message", "hint"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def raw(url: str, data: bytes, timeout: float = 15) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; the status, headers and body of what comes back."""
    port = int(url.rsplit(":", 1)[1])
    got = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        with contextlib.suppress(ConnectionResetError):
            while chunk := s.recv(65536):
                got += chunk
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def raw_error(url: str, data: bytes, status: int) -> dict:
    got, headers, body = raw(url, data)
    assert got == status, body
    assert headers["content-type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["status"] == status and error["message"] and "hint" in error
    return error


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (from /proc: no psutil)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited: only its parent (gone) could reap it


def nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def rss_mb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def settle() -> None:
    """Let workers replaced by an earlier test open the store (under a second each)."""
    time.sleep(2)


def get(url: str, query: str, **kw) -> requests.Response:
    return requests.get(url + "/sparql", params={"query": query}, timeout=60, **kw)


# --- no outbound requests ------------------------------------------------------------------


@pytest.mark.slow
def test_a_service_query_contacts_no_one(strict, listener):
    url, _ = strict
    target = listener.url
    for query in [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?x) trueSERVICE<{target}>{{ ?a ?b ?c }} }}",
        f"PREFIX : <{target.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE:sparql {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE <{target.replace('//', chr(92) + 'u002F/', 1)}> {{ ?a ?b ?c }} }}",
    ]:
        for r in (get(url, query), requests.post(url + "/sparql", data={"query": query}, timeout=60)):
            assert "SERVICE" in error_of(r, 403)["message"]
    time.sleep(0.5)
    assert listener.requests == []  # no connection arrived


@pytest.mark.slow
def test_an_allowed_service_is_called(open_server, listener):
    before = len(listener.requests)
    r = get(open_server, f"SELECT ?a WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}")
    assert r.status_code == 200, r.text
    assert [b["a"]["value"] for b in r.json()["results"]["bindings"]] == ["from afar"]
    assert len(listener.requests) == before + 1 and listener.requests[-1].startswith(b"POST /sparql")
    other = listener.url.replace("/sparql", "/other")
    error_of(get(open_server, f"SELECT * WHERE {{ SERVICE <{other}> {{ ?a ?b ?c }} }}"), 403)
    assert len(listener.requests) == before + 1


# --- who may read the answers -----------------------------------------------------------------


@pytest.mark.slow
def test_cors_only_for_an_allowed_origin(strict, open_server):
    url, _ = strict
    r = get(url, CHEAP, headers={"Origin": ALLOWED_ORIGIN})
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers  # off by default
    r = get(open_server, CHEAP, headers={"Origin": ALLOWED_ORIGIN})
    assert r.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN and "Origin" in r.headers["Vary"]
    r = get(open_server, CHEAP, headers={"Origin": "http://evil.example"})
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers
    preflight = {"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"}
    r = requests.options(open_server + "/sparql", headers=preflight, timeout=30)
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    r = requests.options(url + "/sparql", headers=preflight, timeout=30)
    assert r.status_code == 204 and "Access-Control-Allow-Origin" not in r.headers


@pytest.mark.slow
def test_options_answered(strict):
    url, _ = strict
    r = requests.options(url + "/sparql", timeout=30)
    assert r.status_code == 204 and set(r.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    r = requests.options(url + "/", timeout=30)
    assert r.status_code == 204 and "POST" not in r.headers["Allow"]


@pytest.mark.slow
def test_a_foreign_host_is_refused(strict):
    url, _ = strict
    port = url.rsplit(":", 1)[1]
    for host in (f"evil.example:{port}", "127.0.0.1:1", f"localhost.evil.example:{port}"):
        assert "host" in raw_error(url, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode(), 421)["message"]
        error_of(get(url, CHEAP, headers={"Host": host}), 421)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert raw(url, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())[0] == 200, host


# --- the forms of answers ------------------------------------------------------------------


@pytest.mark.slow
def test_the_query_form_comes_from_the_engine(strict):
    url, _ = strict
    one_liner = "PREFIX pk: <https://w3id.org/plankg/ontology#> CONSTRUCT { ?p a pk:Plan } WHERE { ?p a pk:Plan }"
    r = get(url, one_liner)  # the '#' in the IRI read as a comment: answered as N-Triples labelled JSON
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) == 1
    r = get(url, one_liner, headers={"Accept": "application/n-triples"})
    assert r.headers["Content-Type"].startswith("application/n-triples")
    # Solutions and triples each in a format that fits them, or 406.
    error_of(get(url, one_liner, headers={"Accept": "application/sparql-results+json"}), 406)
    error_of(get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", headers={"Accept": "text/turtle"}), 406)
    r = get(url, "# CONSTRUCT in a comment\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert get(url, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}


# --- malformed requests -----------------------------------------------------------------------


@pytest.mark.slow
def test_malformed_requests_get_json_errors(strict):
    url, _ = strict
    port = url.rsplit(":", 1)[1]
    host = f"Host: 127.0.0.1:{port}\r\n"
    ask = "/sparql?query=ASK%7B%7D"
    cases = [
        (f"GET {ask} HTTP/1.1\r\n{host}Accept: text/csv;q=1.2.3\r\n\r\n", 400),  # crashed the handler
        (f"GET {ask} HTTP/1.1\r\n{host}Accept: image/png\r\n\r\n", 406),
        (f"POST /sparql HTTP/1.1\r\n{host}Content-Length: abc\r\n\r\n", 400),  # crashed the handler
        (f"POST /sparql HTTP/1.1\r\n{host}Content-Length: -5\r\n\r\n", 400),
        (f"POST /sparql HTTP/1.1\r\n{host}Content-Length: 5000000\r\n\r\n", 413),
        (f"POST /sparql HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n", 411),
        (f"POST /sparql HTTP/1.1\r\n{host}Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc", 415),
        (f"GET /sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri HTTP/1.1\r\n{host}\r\n", 400),  # was 500
        (f"BREW / HTTP/1.1\r\n{host}\r\n", 501),
        ("GARBAGE\r\n", 400),
        ("GET / HTTP/2.0\r\n", 505),
        # http.server's own errors, in our shape too. Each sends no byte past what the server
        # reads before it answers (unread bytes would reset the connection under the answer).
        ("GET /" + "a" * (65_537 - 5), 414),
        ("GET / HTTP/1.1\r\n" + "".join(f"X-{i}: {i}\r\n" for i in range(101)), 431),
        ("GET / HTTP/1.1\r\nX-Long: " + "a" * (65_537 - 8), 431),
    ]
    for request, status in cases:
        raw_error(url, request.encode(), status)
    # The server answers on after each of them.
    assert get(url, CHEAP).json()["boolean"] is True


@pytest.mark.slow
def test_a_stalled_request_is_closed_within_the_read_timeout(strict):
    url, _ = strict
    port = int(url.rsplit(":", 1)[1])
    # Idle: not a byte sent. The server closes the connection after --read-timeout (2 s).
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=15) as s:
        assert s.recv(1024) == b""
    assert time.monotonic() - started < 5
    # A body shorter than its Content-Length: 408 once the timeout has passed.
    started = time.monotonic()
    error = raw_error(
        url,
        f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 100\r\n\r\nASK {}".encode(),
        408,
    )
    assert "did not arrive" in error["message"] and 1.5 < time.monotonic() - started < 5


@pytest.mark.slow
def test_deep_nesting_is_a_400_not_a_dead_worker(strict):
    url, _ = strict
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000  # killed a worker (500) before
    r = requests.post(url + "/sparql", data=deep, headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert "nests deeper than 100 levels" in error_of(r, 400)["message"]
    error_of(get(url, "SELECT * WHERE { FILTER(" + "!" * 9000 + "true) }"), 400)  # segfaulted a worker before
    assert get(url, CHEAP).json()["boolean"] is True


# --- memory, time and lanes --------------------------------------------------------------------


@pytest.mark.slow
def test_a_memory_hungry_query_is_stopped_at_the_limit(strict):
    url, proc = strict
    peak: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in [proc.pid, *children(proc.pid)]:
                peak[pid] = max(peak.get(pid, 0), rss_mb(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        error = error_of(get(url, HUNGRY), 503)
    finally:
        done.set()
        sampler.join()
    assert error["message"] == f"the query needed more than {MEMORY_MB} MB and was stopped"
    assert max(peak.values()) > 200  # it did grow (sampled while it ran) ...
    assert all(mb < MEMORY_MB for mb in peak.values()), peak  # ... and stopped under the limit
    started = time.monotonic()
    assert get(url, CHEAP).json()["boolean"] is True  # the worker was replaced, the server is up
    assert time.monotonic() - started < 2


@pytest.mark.slow
def test_cheap_queries_answer_while_slow_ones_run(strict):
    url, proc = strict
    settle()
    slow_answers: list[requests.Response] = []
    slow = [threading.Thread(target=lambda: slow_answers.append(get(url, SLOW))) for _ in range(2)]
    for t in slow:
        t.start()
    latencies = []
    try:
        time.sleep(1.5)  # both past the short lane's second: in the long lane now
        workers = children(proc.pid)
        assert len(workers) >= 4  # two long, two fresh short
        assert sorted(nice(w) for w in workers)[-2:] == [10, 10]  # the long lane yields the CPU
        until = time.monotonic() + 3
        while time.monotonic() < until:
            started = time.monotonic()
            assert get(url, CHEAP).json()["boolean"] is True
            latencies.append(time.monotonic() - started)
    finally:
        for t in slow:
            t.join()
    assert [r.status_code for r in slow_answers] == [503, 503]
    assert all("time limit" in r.json()["error"]["message"] for r in slow_answers)
    assert max(latencies) < 2 and sorted(latencies)[len(latencies) // 2] < 0.5, latencies


@pytest.mark.slow
def test_the_long_lane_is_bounded(strict):
    url, _ = strict
    settle()
    answers: list[requests.Response] = []
    slow = [threading.Thread(target=lambda: answers.append(get(url, SLOW))) for _ in range(3)]
    for t in slow:
        t.start()
        time.sleep(0.1)
    for t in slow:
        t.join()
    messages = sorted(r.json()["error"]["message"] for r in answers)
    assert [r.status_code for r in answers] == [503] * 3
    assert sum("slow queries are running already" in m for m in messages) == 1, messages
    assert get(url, CHEAP).json()["boolean"] is True


# --- stopping --------------------------------------------------------------------------------


# Python keeps SIGINT ignored when its parent ignored it (a shell's background job): put
# Ctrl-C's usual handler back, as an interactive terminal gives it.
_INTERACTIVE = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'plankg'; from kg.shells.cli import run; run()"
)


def _start(data: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = open(log, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", _INTERACTIVE, "serve", "--data", str(data), "--port", str(port)],
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    out.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(url, CHEAP).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


@pytest.mark.slow
def test_no_worker_outlives_a_killed_server(bundled_build, tmp_path):
    proc, _ = _start(bundled_build[1], tmp_path / "serve.log")
    workers = children(proc.pid)
    assert len(workers) == 2
    proc.kill()  # SIGKILL: the server cleans up nothing
    proc.wait(10)
    deadline = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [w for w in workers if alive(w)] == []


@pytest.mark.slow
def test_ctrl_c_stops_quietly(bundled_build, tmp_path):
    log = tmp_path / "serve.log"
    proc, url = _start(bundled_build[1], log)
    workers = children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the terminal's foreground group
    assert proc.wait(15) == 0
    assert "Traceback" not in log.read_text(), log.read_text()
    time.sleep(0.5)
    assert [w for w in workers if alive(w)] == []


def test_the_worker_network_is_cut(tmp_path):
    """Behind the guard: a worker with no allowed service has no network to reach anyone."""
    ear = socket.create_server(("127.0.0.1", 0))
    code = (
        "import os, socket, sys\n"
        "before = os.readlink('/proc/self/ns/net')\n"
        "from kg.shells.worker import isolate_network\n"
        "isolate_network()\n"
        "if os.readlink('/proc/self/ns/net') == before: sys.exit(3)\n"
        f"socket.create_connection(('127.0.0.1', {ear.getsockname()[1]}), timeout=2)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    ear.close()
    if result.returncode == 3:
        pytest.skip("this kernel refuses an unprivileged network namespace: the guard alone stands")
    assert result.returncode == 1 and ("Network is unreachable" in result.stderr or "refused" in result.stderr)
