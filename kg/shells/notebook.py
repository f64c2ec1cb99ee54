"""``plankg notebook``: the shipped notebooks opened in JupyterLab on one's own build.

The notebooks are copied into ``<build>/notebooks/`` (once: a researcher's edits are kept)
and JupyterLab is started from this Python, so the kernel is the one that has plankg;
``PLANKG_DATA`` (and ``PLANKG_PLAN``) tell the notebooks which build (and plan) to read.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import DataError, PlanError
from kg.query.disk import STORE


@dataclass(frozen=True)
class Launch:
    folder: Path  # where the notebooks are
    copied: tuple[str, ...]  # the notebooks copied now (the others were there already)
    argv: tuple[str, ...]  # the command that starts JupyterLab
    env: dict[str, str]  # what it is started with, beside the environment


def prepare(data: str | Path, plan: str | None = None, port: int = 8888, browser: bool = True) -> Launch:
    """Copy the notebooks beside the build and say how JupyterLab is started on them."""
    data = Path(data).resolve()
    if not (data / STORE).exists() and not any(data.glob("*.ttl")):
        raise DataError(f"no build in {data}", "run 'plankg build' first, or give --data")
    folder = data / "notebooks"
    folder.mkdir(exist_ok=True)
    copied = []
    for source in sorted(resources.files("kg.notebooks").iterdir(), key=lambda p: p.name):
        if source.name.endswith(".ipynb") and not (folder / source.name).exists():
            with resources.as_file(source) as path:
                shutil.copyfile(path, folder / source.name)
            copied.append(source.name)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--notebook-dir",
        str(folder),
        f"--ServerApp.port={port}",
        # No calls home for updates or news: machines here may have no network.
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if not browser:
        argv.append("--no-browser")
    if os.geteuid() == 0:  # a container's root, as CI and these machines run
        argv.append("--allow-root")
    env = {"PLANKG_DATA": str(data), **({"PLANKG_PLAN": plan} if plan else {})}
    return Launch(folder, tuple(copied), tuple(argv), env)


def jupyterlab_installed() -> bool:
    return importlib.util.find_spec("jupyterlab") is not None


def start(launch: Launch) -> None:
    """Replace this process with JupyterLab (Ctrl-C stops it as it stops any Jupyter)."""
    if not jupyterlab_installed():
        raise PlanError(
            "JupyterLab is not installed in this Python",
            "run './dev notebook' in the source checkout, or: pip install 'plankg[notebook]'",
        )
    os.execve(launch.argv[0], list(launch.argv), {**os.environ, **launch.env})
