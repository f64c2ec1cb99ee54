"""The query workers of ``plankg serve`` in two lanes, and the limits they run under.

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

This is the server's side of the workers: starting, timing, promoting, killing and
replacing processes. What runs inside one is ``kg.shells.worker``; the HTTP handler only
calls ``QueryPool.run`` and never sees a process.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg.errors import DataError, PlanError, first_line
from kg.shells.httperror import RequestError
from kg.shells.worker import ENTRY, memory_message

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


class _Worker:
    def __init__(self, process: subprocess.Popen, conn, log: IO[bytes] | None = None) -> None:
        self.process = process
        self.conn = conn
        self.log = log  # its stderr (quiet mode): what it said before it died

    def last_words(self) -> str:
        """The last line the process wrote to its stderr, if kept."""
        if self.log is None:
            return ""
        try:
            self.log.seek(max(self.log.seek(0, os.SEEK_END) - 4096, 0))
            lines = [ln.strip() for ln in self.log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        except (OSError, ValueError):
            return ""
        return lines[-1][:300] if lines else ""

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
        if self.log is not None:
            self.log.close()


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
        # Quiet: the worker's messages (the engine's last words on a failed allocation, a
        # traceback should it fail to start) go to a file of its own, read if it dies starting.
        log = tempfile.TemporaryFile() if self.quiet else None
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", ENTRY, json.dumps(sys.path), json.dumps(config)],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL if self.quiet else None,
                stderr=log,
                process_group=0,
                # glibc reserves 64 MB of address space an arena, an arena a thread: two are
                # enough, and the memory limit then counts memory used, not reserved.
                env={**os.environ, "MALLOC_ARENA_MAX": "2"},
            )
        except OSError as err:
            ours.close()
            if log is not None:
                log.close()
            raise RequestError(500, f"cannot start a query worker: {first_line(err)}") from None
        finally:
            theirs.close()  # the worker's end: its death is then an EOF here
        return _Worker(process, Connection(ours.detach()), log)

    def _welcome(self, worker: _Worker) -> None:
        """Wait for a new worker to open the store, then put it in the short lane."""
        try:
            if not worker.conn.poll(START_SECONDS):
                raise RequestError(503, f"a query worker did not open the store within {START_SECONDS:g} s")
            message = worker.conn.recv()
            if message[0] != "ready":
                raise RequestError(message[1], message[2], message[3])
        except (EOFError, OSError):
            try:
                worker.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
            said = worker.last_words()  # before the retired worker's log is closed
            self._retire(worker, replace=False)
            code = worker.process.returncode
            if code == -signal.SIGABRT and self.limits.max_memory > 0:
                err = RequestError(
                    500, f"a query worker could not open the store in {self.limits.max_memory} MB", "raise --max-memory"
                )
            else:
                err = RequestError(
                    500,
                    f"a query worker died opening the store (exit {code})" + (f": {said}" if said else ""),
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

    def sparql(self, text: str, graphs: list[str], accept: str, explicit: str | None) -> tuple[str, str, bytes, bool]:
        """A SPARQL query: its kind ("select", "boolean", "graph"), media type, body, and
        whether the result cap cut it."""
        return self.run(("sparql", text, graphs, accept, explicit, self.limits.max_rows))

    def run(self, job: tuple) -> tuple[str, str, Any, bool]:
        """Any job a worker answers (``kg.shells.worker.handle``) under the time and memory
        limits and through the lanes: the reply's kind, media type, body and truncation."""
        limits = self.limits
        started = time.monotonic()
        worker = self._take()
        short = min(limits.short_timeout, limits.timeout)
        promoted = False
        keep = False
        try:
            try:
                worker.conn.send(job)
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
            return RequestError(503, *memory_message(self.limits.max_memory))
        how = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
        return RequestError(
            500, f"the query worker died ({how})", "try again; if it repeats, run the query with plankg query"
        )
