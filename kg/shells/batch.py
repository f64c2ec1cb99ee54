"""Batch builds: many plans at once, in parallel worker processes, each plan its own
named graph in one on-disk Oxigraph store (``build/store/``) beside its Turtle file.

Rebuilding a plan replaces only its named graph. A plan that fails is reported and
skipped; the others still land.
"""

from __future__ import annotations

import gc
import glob
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, cast

from kg.analyse.nlp import _jieba
from kg.errors import PlanError
from kg.query import kept
from kg.query.disk import build_lock, extras, write_store
from kg.query.store import load_store
from kg.rdf.graph import release
from kg.read.source import MAX_MB, bundled_plans
from kg.shells.build import BuildResult, build
from kg.viz.compare import write_compare


@dataclass
class Outcome:
    source: str
    plan_id: str | None = None
    ok: bool = False
    error: str = ""
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    turtle: str | None = None  # path of the plan's Turtle file
    flags: list[str] = field(default_factory=list)  # what --check would flag: empty classes, a cut-off text
    answers: kept.PlanAnswers | None = None  # the canned queries' answers for the plan, for the store


def expand_inputs(args: list[str]) -> list[Path]:
    """Plan files from paths, folders (their *.txt) and glob patterns, in a stable order."""

    out: list[Path] = []
    bundled = bundled_plans()
    for arg in args:
        p = Path(arg)
        if not p.exists() and arg in bundled:
            p = bundled[arg]  # a bundled plan by its id
        if p.is_dir():
            out += sorted(p.glob("*.txt"))
        elif any(ch in arg for ch in "*?[") and not p.exists():
            out += sorted(Path(m) for m in glob.glob(arg, recursive=True))
        else:
            out.append(p)
    seen, unique = set(), []
    for p in out:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def outcome_of(source: str, result: BuildResult, seconds: float = 0.0) -> Outcome:
    """What a corpus build keeps of one plan's build."""
    plan = result.plan
    return Outcome(
        source=source,
        plan_id=plan.id,
        ok=True,
        triples=len(result.graph),
        counts=result.class_counts(),
        seconds=seconds,
        turtle=str(result.out / f"{plan.id}.ttl"),
        flags=list(plan.suspect_empty) + (["text cut off"] if plan.truncated else []),
    )


def _build_one(
    path: str,
    out_dir: str,
    encoding: str,
    formats: tuple[str, ...],
    pages: bool,
    analysis: bool = True,
    max_mb: float = MAX_MB,
    answers: bool = False,
) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(source=path)
    try:
        with _collector_paused():
            result = build(
                path, out_dir, encoding=encoding, formats=formats, analysis=analysis, pages=pages, max_mb=max_mb
            )
            outcome = outcome_of(path, result)
            release(result.graph)
            if answers:  # here, in parallel, rather than one plan after another when the store is written
                turtle = Path(cast(str, outcome.turtle)).read_bytes()
                outcome.answers = kept.work_out(result.plan.id, turtle, extras(Path(out_dir)))
    except PlanError as err:
        outcome.error = err.one_line()
    except Exception as err:  # one broken plan must not stop the corpus
        outcome.error = f"unexpected {type(err).__name__}: {err}; report it with the plan text (--debug shows more)"
    outcome.seconds = time.perf_counter() - started
    return outcome


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while a plan builds, one collection after.

    A build allocates a few hundred thousand long-lived objects (terms, triples, index
    entries); the collector would walk them again and again for nothing — a fifth of the
    build time. Nearly all of it is freed by reference counting when the build ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def _worker_start() -> None:
    # The imported libraries are never garbage: keep the collector off them for good.
    gc.freeze()
    die_with_parent()


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a corpus build killed with
    SIGKILL leaves no worker building on, or sleeping forever)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the request took effect
            os._exit(1)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown has to do
        pass


def build_corpus(
    paths: list[Path],
    out_dir: str | Path = "build",
    encoding: str = "utf-8",
    formats: tuple[str, ...] = ("ttl",),
    workers: int | None = None,
    store: bool = True,
    pages: bool = False,
    progress: Callable[[Outcome], None] | None = None,
    analysis: bool = True,
    max_mb: float = MAX_MB,
) -> list[Outcome]:
    """Build every plan (in ``workers`` processes), then load the built ones into the
    on-disk store, each its own named graph.

    Loading after the builds, not between them: Oxigraph's bulk loader runs threads of its
    own, and beside two build workers on two cores they slow each other down (300 plans:
    272 s loading as plans finish, 222 s loading at the end)."""
    out = Path(out_dir)
    with build_lock(out):
        return _build_corpus(paths, out, encoding, formats, workers, store, pages, progress, analysis, max_mb)


def _build_corpus(
    paths: list[Path],
    out: Path,
    encoding: str,
    formats: tuple[str, ...],
    workers: int | None,
    store: bool,
    pages: bool,
    progress: Callable[[Outcome], None] | None,
    analysis: bool,
    max_mb: float,
) -> list[Outcome]:
    out.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    outcomes: list[Outcome] = []

    def land(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    if workers == 1:
        for p in paths:
            land(_build_one(str(p), str(out), encoding, formats, pages, analysis, max_mb, store))
    else:
        _jieba().initialize()  # workers fork with the dictionary loaded
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_start) as pool:
            futures = [
                pool.submit(_build_one, str(p), str(out), encoding, formats, pages, analysis, max_mb, store)
                for p in paths
            ]
            for future in as_completed(futures):
                land(future.result())
    order = {str(p): i for i, p in enumerate(paths)}
    outcomes.sort(key=lambda o: order[o.source])
    _mark_duplicate_ids(outcomes)
    if store:
        load_into_store(out, [o for o in outcomes if o.ok])
        if pages:
            compare_page(out)
    return outcomes


def compare_page(out: Path) -> Path | None:
    """``<out>/compare.html``: every plan the store now holds against the shared indicator
    concepts (none for a store of one plan)."""
    return write_compare(out, load_store(out))


def _mark_duplicate_ids(outcomes: list[Outcome]) -> None:
    first: dict[str | None, str] = {}  # by plan id, set in every outcome that is ok
    for o in outcomes:
        if not o.ok:
            continue
        if o.plan_id in first:
            o.ok = False
            o.error = (
                f"plan id {o.plan_id!r} is also that of {first[o.plan_id]}; its files were overwritten — "
                "rename one file, or build it alone with --id"
            )
        else:
            first[o.plan_id] = o.source


def load_into_store(out: Path, outcomes: list[Outcome]) -> Path:
    """Each built plan's named graph (with the reference schemes and the ontology) into
    ``<out>/store``, so that a reader sees the store before or after, never between."""
    # Built outcomes carry their id and Turtle file, and their kept answers if worked out.
    return write_store(
        out,
        {cast(str, o.plan_id): Path(cast(str, o.turtle)) for o in outcomes},
        {cast(str, o.plan_id): o.answers for o in outcomes if o.answers},
    )
