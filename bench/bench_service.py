"""``plankg serve`` under load on loopback: a bounded run that stops by itself.

    .venv/bin/python bench/bench_service.py                  # the bundled plan, built afresh
    .venv/bin/python bench/bench_service.py --data build     # a build folder of your own
    .venv/bin/python bench/bench_service.py --clients 8 --seconds 10

Cheap queries (an ASK and a canned query) from N client threads for a few seconds: their
p50/p99 latency and requests a second, first on an idle server, then while two slow queries
(a cross product, as many as the long lane holds) run until their time limit. Then the
memory-hungry query (ORDER BY over a cross product, which grew the server to 6.6 GB before
the memory limit) once. The memory of the server and its workers (RSS, from /proc) before,
at its peak and after. Targets (the service issue): cheap queries stay fast while slow ones
run; every process stays under --max-memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from kg.query import canned

CHEAP = ["ASK { ?s ?p ?o }", canned.get("binding-indicators").text]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.append(int(entry))
    return found


def memory(pid: int) -> tuple[float, float, int]:
    """RSS of the server, of its workers together, and how many workers."""
    workers = children(pid)
    return rss_mb(pid), sum(rss_mb(w) for w in workers), len(workers)


class Peak:
    """The largest RSS of any one process of the server, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.mb, self.total = pid, 0.0, 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.is_set():
            sizes = [rss_mb(p) for p in [self.pid, *children(self.pid)]]
            self.mb, self.total = max(self.mb, *sizes), max(self.total, sum(sizes))
            time.sleep(0.02)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def load(url: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def client(i: int) -> None:
        n = i
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                ok = requests.post(url, data={"query": CHEAP[n % len(CHEAP)]}, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                errors[0] += not ok
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rate": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
        "max": latencies[-1] * 1000,
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, help="A build folder (default: the bundled plan, built afresh).")
    parser.add_argument("--clients", type=int, default=4, help="Client threads sending cheap queries.")
    parser.add_argument("--seconds", type=float, default=5.0, help="Seconds of load in each phase.")
    parser.add_argument("--max-memory", type=int, default=2048, help="The server's --max-memory (MB).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "build"
            subprocess.run(
                [sys.executable, "-m", "kg", "build", "--out", str(data), "--no-html"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        run(data, Path(tmp), args)


def run(data: Path, tmp: Path, args) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url = base + "/sparql"
    timeout = 8.0
    log = open(tmp / "serve.log", "wb")
    command = [sys.executable, "-m", "kg", "serve", "--data", str(data), "--port", str(port)]
    command += ["--timeout", str(timeout), "--max-memory", str(args.max_memory)]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.post(url, data={"query": CHEAP[0]}, timeout=2).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"plankg serve did not start: {(tmp / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.2)
        mem = {"before": memory(server.pid)}
        idle = load(url, args.clients, args.seconds)

        slow_answers: list[int] = []
        slow = [
            threading.Thread(
                target=lambda: slow_answers.append(requests.post(url, data={"query": SLOW}, timeout=60).status_code)
            )
            for _ in range(2)
        ]
        peak = Peak(server.pid)
        for t in slow:
            t.start()
        time.sleep(0.1)
        busy = load(url, args.clients, args.seconds)
        mem["slow queries"] = memory(server.pid)
        for t in slow:
            t.join()
        started = time.monotonic()
        hungry = requests.post(url, data={"query": HUNGRY}, timeout=60)
        hungry_seconds = time.monotonic() - started
        time.sleep(1.5)  # the replaced worker opens the store
        peak.stop()
        mem["after"] = memory(server.pid)
    finally:
        server.terminate()
        server.wait(20)
        log.close()

    print(f"plankg serve on loopback: {args.clients} client threads, {args.seconds:g} s a phase, --timeout {timeout:g}")
    print(f"{'cheap queries':<28} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for name, r in (("idle server", idle), ("2 slow queries running", busy)):
        print(
            f"{name:<28} {r['requests']:>8} {r['rate']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
            f"{r['max']:>8.1f} {r['errors']:>7}"
        )
    print(f"slow queries answered: {sorted(slow_answers)} (503: stopped at the {timeout:g} s limit)")
    message = hungry.json().get("error", {}).get("message", hungry.status_code)
    print(f"memory-hungry query: {hungry.status_code} in {hungry_seconds:.1f} s ({message})")
    print(f"{'memory (RSS, MB)':<28} {'server':>8} {'workers':>8} {'count':>6}")
    for name, (own, workers, count) in mem.items():
        print(f"{name:<28} {own:>8.0f} {workers:>8.0f} {count:>6}")
    print(
        f"{'peak, any one process':<28} {peak.mb:>8.0f}   (--max-memory {args.max_memory}); "
        f"all together {peak.total:.0f}"
    )


if __name__ == "__main__":
    main()
