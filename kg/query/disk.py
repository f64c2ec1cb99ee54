"""The on-disk store of a build folder, written so that a reader sees the old store or the
new one, never half of either — whenever a build is killed.

``<out>/store`` is a symbolic link to one version, ``<out>/store-<n>/``: an Oxigraph
(RocksDB) directory holding a manifest, written last, of the graphs it holds. A store
without its manifest is incomplete and is not opened.

- A build that loads many plans (or the first, or one over an unreadable store) loads
  every plan of the folder into a new version, writes its manifest, and swaps the link
  (``os.replace``: atomic); the version before stays until the next swap, for readers
  that still have it open.
- A build that loads a few plans into a complete store replaces each plan's graph in one
  transaction (a SPARQL update that drops and inserts it): the plan is old or new.
- One build at a time writes to a folder (``build_lock``).

Each version holds its search index (``kg.query.search``) and the canned queries' answers
per plan (``kg.query.kept``) beside the graphs, kept in step with them the same way.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import DataError, PlanError, first_line
from kg.files import write_atomic
from kg.query import kept, search
from kg.rdf.vocab import GRAPH_BASE, ONTOLOGY_FILES, ONTOLOGY_GRAPH, ontology_text

STORE = "store"
MANIFEST = "plankg-manifest.json"
LOCK = ".plankg-build.lock"
# Replacing graphs one by one in transactions costs about a second a plan; loading every
# plan afresh in bulk costs a fifth of that. Past this share of the store, start afresh.
FRESH_SHARE = 0.1
FRESH_AT_LEAST = 5


@contextmanager
def build_lock(out: str | Path) -> Iterator[None]:
    """One build at a time writes to ``out``; a second one is told so, not left to crash."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip()
            raise PlanError(
                f"another plankg build is writing to {out}" + (f" (process {pid})" if pid else ""),
                "wait for it to finish, or build into another --out",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current(out: str | Path) -> Path | None:
    """The version ``<out>/store`` points at (a store of plankg before versions: the folder
    itself), or None."""
    link = Path(out) / STORE
    return link.resolve() if link.exists() else None


def manifest(version: Path | None) -> dict | None:
    """What a version holds — ``{"graphs": [plan graph IRIs]}`` — or None if incomplete."""
    if version is None:
        return None
    try:
        return json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def open_read_only(out: str | Path) -> ox.Store:
    """The folder's store, read-only; a one-line error where it is incomplete or unreadable."""
    link = Path(out) / STORE
    version = current(out)
    if manifest(version) is None:
        raise DataError(
            f"the store in {link} is incomplete (a build was stopped before it finished)",
            "run 'plankg build' into this folder again",
        )
    try:
        return ox.Store.read_only(str(version))
    except OSError as err:
        raise DataError(
            f"cannot open the store in {link}: {first_line(err)}", "run 'plankg build' into this folder again"
        ) from None


def write_store(out: str | Path, plans: dict[str, Path], answers: dict[str, kept.PlanAnswers] | None = None) -> Path:
    """Put ``plans`` (graph name → its Turtle file) into the folder's store, with the
    reference schemes and the ontology, and each plan's kept answers (those given in
    ``answers``, by plan, when worked out from the same files; else worked out here); the
    caller holds ``build_lock``."""
    out = Path(out)
    version = current(out)
    held = manifest(version)
    # Older builds have no index or answers, or another version of them: start afresh.
    indexed = version is not None and search.usable(version / search.INDEX) and kept.usable(version / kept.FILE)
    given = answers or {}
    if held is None or not indexed or len(plans) > max(FRESH_AT_LEAST, FRESH_SHARE * len(held["graphs"])):
        everything = {p.stem: p for p in sorted(out.glob("*.ttl")) if p.stem != "reference"}
        _fresh(out, {**everything, **plans}, given)
    else:
        assert version is not None
        _in_place(out, version, held, plans, given)
    return out / STORE


def extras(out: Path) -> list[tuple[str, bytes]]:
    """The graphs every store holds beside the plans: the reference schemes and the ontology."""
    found = []
    reference = out / "reference.ttl"
    if reference.exists():
        found.append((GRAPH_BASE + "reference", reference.read_bytes()))
    found.append((ONTOLOGY_GRAPH, "\n".join(ontology_text(name) for name in ONTOLOGY_FILES).encode("utf-8")))
    return found


def _answers(name: str, turtle: bytes, stamp: str, more: list, given: dict[str, kept.PlanAnswers]) -> kept.PlanAnswers:
    """The plan's kept answers: those given if worked out from this Turtle and these
    reference graphs, else worked out now."""
    ready = given.get(name)
    stamps = {iri: search.digest(data) for iri, data in more}
    if ready and ready.digest == stamp and ready.extras == kept.extras_digest(stamps):
        return ready
    return kept.work_out(name, turtle, more)


def _fresh(out: Path, plans: dict[str, Path], given: dict[str, kept.PlanAnswers]) -> None:
    numbers = [int(p.name.split("-")[1]) for p in out.glob(f"{STORE}-*") if p.name.split("-")[1].isdigit()]
    version = out / f"{STORE}-{max(numbers, default=0) + 1}"
    shutil.rmtree(version, ignore_errors=True)
    store = ox.Store(str(version))
    index = search.Index(version / search.INDEX, create=True)
    answers = kept.Answers(version / kept.FILE, create=True)
    more = extras(out)
    stamps = {iri: search.digest(data) for iri, data in more}
    for name, path in sorted(plans.items()):
        turtle = path.read_bytes()
        graph = GRAPH_BASE + name
        store.bulk_load(turtle, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
        stamps[graph] = search.digest(turtle)
        index.add(graph, stamps[graph], search.entries(name, turtle))
        answers.add(_answers(name, turtle, stamps[graph], more, given))
    store.bulk_load(
        search.stamps_turtle(stamps), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(search.STAMP_GRAPH)
    )
    for iri, data in more:
        store.bulk_load(data, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri))
    store.flush()
    store.optimize()
    del store
    index.optimize()
    index.close()
    answers.close()
    write_atomic(version / MANIFEST, json.dumps({"graphs": sorted(GRAPH_BASE + n for n in plans)}, indent=1) + "\n")
    _point_at(out, version)


def _point_at(out: Path, version: Path) -> None:
    """Swap ``<out>/store`` to ``version`` in one rename; older versions but the one just
    left go (a reader may still have that one open)."""
    link = out / STORE
    before = current(out)
    if link.exists() and not link.is_symlink():  # a store of plankg before versions
        moved = out / f"{STORE}-0"
        shutil.rmtree(moved, ignore_errors=True)
        link.rename(moved)
        before = moved
    temporary = out / f".{STORE}.link"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(version.name)
    os.replace(temporary, link)
    for old in out.glob(f"{STORE}-*"):
        if old.resolve() not in (version.resolve(), before):
            shutil.rmtree(old, ignore_errors=True)


def _in_place(out: Path, version: Path, held: dict, plans: dict[str, Path], given: dict[str, kept.PlanAnswers]) -> None:
    store = ox.Store(str(version))
    index = search.Index(version / search.INDEX, create=True)
    answers = kept.Answers(version / kept.FILE, create=True)
    more = extras(out)
    graphs = set(held["graphs"])
    for name, path in sorted(plans.items()):
        turtle, graph = path.read_bytes(), GRAPH_BASE + name
        stamp = search.digest(turtle)
        # The index and answers first, under the new digest; then the graph and the digest
        # the store holds, in one transaction; then the old rows go. Killed anywhere, a
        # search or a kept answer sees the rows of the graph the store holds.
        index.add(graph, stamp, search.entries(name, turtle))
        answers.add(_answers(name, turtle, stamp, more, given))
        _replace(store, graph, turtle, search.stamp_update(graph, stamp))
        index.prune(graph, stamp)
        answers.prune(graph, stamp)
        graphs.add(graph)
    for iri, data in more:
        # Answers kept under other reference graphs are no longer read (their digest differs).
        _replace(store, iri, data, search.stamp_update(iri, search.digest(data)))
    store.flush()
    del store
    index.close()
    answers.close()
    write_atomic(version / MANIFEST, json.dumps({"graphs": sorted(graphs)}, indent=1) + "\n")


def _replace(store: ox.Store, iri: str, turtle: bytes, also: str = "") -> None:
    """A graph's content replaced in one transaction (with the update ``also``): readers
    see it old or new."""
    graph = ox.NamedNode(iri)
    if not also and not store.contains_named_graph(graph):
        store.load(turtle, format=ox.RdfFormat.TURTLE, to_graph=graph)  # one transaction
        return
    triples = " .\n".join(str(t) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    update = f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{triples} .\n}} }}"
    store.update(update + (f" ;\n{also}" if also else ""))
