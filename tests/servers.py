"""Real servers on loopback for the tests: started, waited for, stopped."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    import requests

    deadline = time.time() + seconds
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}): {log.read_text()[-2000:] if log else ''}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(
        f"{url} did not answer within {seconds} s: {log.read_text()[-2000:] if log and log.exists() else ''}"
    )


@contextlib.contextmanager
def process(args: list[str], ready_url: str, seconds: float, log: Path, **kw):
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kw)
    try:
        wait_http(ready_url, seconds, proc, log)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@contextlib.contextmanager
def plankg_server(data: Path, tmp: Path, *extra: str):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "kg", "serve", "--data", str(data), "--port", str(port), *extra]
    with process(args, url + "/", 60, tmp / "plankg-serve.log"):
        yield url


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server binary is missing: ./dev test installs PyPI oxigraph")
    return found


@contextlib.contextmanager
def oxigraph_server(tmp: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [
        oxigraph_binary(),
        "serve",
        "--location",
        str(tmp / "oxigraph"),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    with process(args, url + "/", 30, tmp / "oxigraph.log"):
        yield url


@contextlib.contextmanager
def virtuoso_server(tmp: Path):
    """Virtuoso started by hand: the Debian service does not start in containers."""
    binary = shutil.which("virtuoso-t")
    if not binary or not VIRTUOSO_INI.exists():
        raise RuntimeError("Virtuoso is missing: ./dev test installs Debian's virtuoso-opensource")
    db = tmp / "virtuoso"
    db.mkdir()
    isql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text()
    ini = re.sub(r"/var/lib/virtuoso-opensource-7/db", str(db), ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = 127.0.0.1:{isql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 1000000", ini)
    ini = re.sub(r"(?m)^DirsAllowed\s*=.*$", f"DirsAllowed = ., {db}, /usr/share/virtuoso-opensource-7/vad", ini)
    config = db / "virtuoso.ini"
    config.write_text(ini)
    url = f"http://127.0.0.1:{http_port}"
    with process(
        [binary, "+configfile", str(config), "+foreground"], url + "/sparql", 120, tmp / "virtuoso.log", cwd=db
    ):
        yield url
