"""Rebuilding one changed plan in a corpus: what it costs and what it touches. Printed as a table.

    .venv/bin/python bench/bench_rebuild.py                      # a corpus of 300 plans
    .venv/bin/python bench/bench_rebuild.py --plans 20           # a quick look
    .venv/bin/python bench/bench_rebuild.py --reuse SRC OUT      # a corpus built already (it is changed)

The corpus is built as a user builds it (``plankg build SRC --out OUT``, plans as in
bench_corpus). Then one plan's text changes (other figures) and the user rebuilds that plan
alone (``plankg build SRC/<plan>.txt --out OUT``). Measured: the time of each build; which
plans' graphs in the store changed (by the content digest the store keeps for each graph,
kg.query.search); which files of OUT were rewritten; whether the store was rebuilt or
updated in place; whether a search finds the new text and not the old. Target (issue 16):
the rebuild touches only that plan.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_corpus import variant

from kg.query.disk import current
from kg.query.search import INDEX, Index, current_stamps
from kg.query.store import load_store

CHANGED = 7  # the plan whose text changes (any but the first)


def plankg(*args: str) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"plankg {' '.join(args)} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - started


def files(out: Path) -> dict[str, int]:
    """The build folder's own files (not the store's internals), by their modification time."""
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}


def stamps(out: Path) -> dict[str, str]:
    store = load_store(out)
    try:
        return current_stamps(store)
    finally:
        del store


def changed_text(text: str) -> tuple[str, str]:
    """The plan's text with one sentence added to its first paragraph of 20 characters or
    more, and that sentence (a search must find it after the rebuild)."""
    mark = "本规划新增试点句子用于基准测试重建"
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if len(line.strip()) >= 20 and not line.lstrip().startswith(("第", "专栏")):
            lines[i] = line.rstrip("\n") + mark + "。\n"
            break
    return "".join(lines), mark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--reuse", nargs=2, type=Path, metavar=("SRC", "OUT"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.reuse:
            src, out = args.reuse
            full = float("nan")
        else:
            src, out = Path(tmp) / "plans", Path(tmp) / "build"
            src.mkdir()
            for i in range(args.plans):
                (src / f"plan-{i:03d}.txt").write_text(variant(i), encoding="utf-8")
            full = plankg("build", str(src), "--out", str(out))
        plans = sorted(src.glob("*.txt"))
        target = plans[min(CHANGED, len(plans) - 1)]
        before_files, before_stamps, before_version = files(out), stamps(out), current(out)
        text, mark = changed_text(target.read_text(encoding="utf-8"))
        target.write_text(text, encoding="utf-8")
        time.sleep(0.01)  # a rewritten file gets a later modification time
        one = plankg("build", str(target), "--out", str(out))
        after_files, after_stamps, after_version = files(out), stamps(out), current(out)
        index = Index(after_version / INDEX) if after_version else None
        found = index.search([mark], current=after_stamps) if index else []

    graphs = sorted(g.rsplit("/", 1)[-1] for g in after_stamps if before_stamps.get(g) != after_stamps[g])
    rewritten = sorted(n for n in after_files if before_files.get(n) != after_files[n])
    print(f"\nrebuilding one changed plan ({target.stem}) in a corpus of {len(plans)} plans")
    print(f"{'':38s} {'value':>12s}")
    rows = [
        ("corpus build, seconds", "reused" if args.reuse else f"{full:.1f}"),
        ("one plan rebuilt, seconds", f"{one:.1f}"),
        ("graphs changed in the store", ", ".join(graphs) or "none"),
        ("files rewritten in the build folder", ", ".join(rewritten) or "none"),
        ("store version", "kept (updated in place)" if after_version == before_version else "new (rebuilt)"),
        ("search finds the new sentence", "yes" if any(h.plan == target.stem for h in found) else "NO"),
    ]
    for name, value in rows:
        print(f"{name:38s} {value:>12s}")
    touched_only = graphs == [target.stem]
    print(f"\nthe rebuild touches only that plan: {'yes' if touched_only else 'NO'}")


if __name__ == "__main__":
    main()
