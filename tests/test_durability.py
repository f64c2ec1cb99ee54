"""Builds killed at any moment: the store opens with every plan old or new, never less, and
the search index agrees with it; a second build into the same folder is refused in one
line; workers die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synth import para, render

from kg.errors import DataError
from kg.query.sparql import LocalStore, run_query
from kg.query.store import find, load_store, query

PLANS = 8  # more than the store replaces in place: a full rebuild swaps in a new version


NUMERALS = "一二三四五六七八九"


def numeral(n: int) -> str:  # 1–99 in Chinese numerals, as headings print them
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else NUMERALS[tens - 1]) + ("十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def plan_text(k: int, extra: int) -> str:
    lines = [f"青河{k}区国民经济和社会发展第十五个五年规划纲要", *para("“十五五”时期是关键时期。")]
    for c in range(1, 4 + extra):
        lines += [f"第{numeral(c)}章 推进第{c}项任务", *para(f"完善第{c}项机制，推动重点任务落地见效。" * 3)]
    return render(lines)


def write_corpus(folder: Path, extra: int, only: range | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in only or range(PLANS):
        (folder / f"qinghe-{k}.txt").write_text(plan_text(k, extra), encoding="utf-8")


def chapters(out: Path) -> dict[str, int]:
    """Plan id → how many chapters its graph holds, as a reader of the store sees it."""
    result = query(
        load_store(out),
        """
        PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?id (COUNT(?c) AS ?n) WHERE { ?p a pk:Plan ; dcterms:identifier ?id . ?c a pk:Chapter ; pk:inPlan ?p }
        GROUP BY ?id""",
    )
    return {row[0]: int(row[1]) for row in result.values()}  # type: ignore[union-attr]


def searched_chapters(out: Path) -> dict[str, int]:
    """Plan id → how many chapters the search index finds ('推进第N项任务'), as a searcher sees it."""
    got: dict[str, int] = {}
    for hit in find(out, ["项任务"], kind="chapter", limit=10_000):
        got[hit.plan] = got.get(hit.plan, 0) + 1
    return got


def outlined_chapters(out: Path) -> dict[str, int]:
    """Plan id → chapters in the canned outline, as plankg query answers it (from the answers
    the build kept per plan, when they are all current; else the engine)."""
    got: dict[str, int] = {}
    for row in run_query("outline", LocalStore.of(out)).values():  # type: ignore[union-attr]
        got[str(row[0])] = got.get(str(row[0]), 0) + 1
    return got


def build(corpus: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--workers", "2", "--no-html"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("durable")
    texts, out = root / "texts", root / "out"
    write_corpus(texts, extra=0)
    assert build(texts, out).wait() == 0
    return texts, out


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.5, 1.2, 2.0, 3.0, 4.5])
@pytest.mark.parametrize("rebuilt", [range(PLANS), range(2)], ids=["every plan", "two plans"])
def test_a_build_killed_at_any_moment_leaves_every_plan_old_or_new(corpus, delay, rebuilt):
    texts, out = corpus
    before = chapters(out)
    assert len(before) == PLANS
    grown = {f"qinghe-{k}": before[f"qinghe-{k}"] + 1 for k in rebuilt}
    write_corpus(texts, extra=max(before.values()) - 2, only=rebuilt)  # each rebuilt plan gets one chapter more
    process = build(texts, out)
    time.sleep(delay)
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = chapters(out)
    assert set(after) == set(before), "a plan was lost"
    for plan, n in after.items():
        assert n in (before[plan], grown.get(plan, before[plan])), (plan, before[plan], n)
    assert searched_chapters(out) == after, "the search index and the store disagree"
    assert outlined_chapters(out) == after, "the kept answers and the store disagree"
    # Its workers went with it.
    deadline = time.time() + 5
    while time.time() < deadline and any(alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)], "workers outlived the killed build"
    # The next build finishes the job.
    assert build(texts, out).wait() == 0
    assert chapters(out) == {**before, **grown} == searched_chapters(out) == outlined_chapters(out)
    assert LocalStore.of(out).kept("outline") is not None


@pytest.mark.slow
def test_a_first_build_killed_leaves_no_half_store(tmp_path):
    texts, out = tmp_path / "texts", tmp_path / "out"
    write_corpus(texts, extra=0)
    process = build(texts, out)
    time.sleep(2.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if (out / "store").exists():  # the swap happened: the store is complete
        assert len(chapters(out)) == PLANS
    else:
        try:
            got = chapters(out)  # the Turtle files written so far, each whole
        except DataError:
            return
        assert all(n == 3 for n in got.values())


@pytest.mark.slow
def test_a_second_build_into_the_same_folder_is_refused_in_one_line(corpus):
    texts, out = corpus
    first = build(texts, out)
    time.sleep(0.8)
    second = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(texts), "--out", str(out), "--no-html"],
        capture_output=True,
        text=True,
    )
    first.wait()
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another plankg build is writing to" in lines[0] and "Traceback" not in second.stderr


def test_an_incomplete_store_is_a_one_line_error(tmp_path):
    version = tmp_path / "store-1"
    version.mkdir()
    (tmp_path / "store").symlink_to("store-1")  # a version whose build never wrote its manifest
    with pytest.raises(DataError, match="incomplete"):
        load_store(tmp_path)
