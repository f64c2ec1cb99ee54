"""Cold build benchmark: ``python -m kg build`` of the bundled plan in a fresh process and
a fresh output folder, as a newcomer runs it first. Printed as a table.

    .venv/bin/python bench/bench_cold.py                     # this checkout, 5 runs
    .venv/bin/python bench/bench_cold.py --before HEAD~3     # and the code of a revision

Wall and CPU seconds of the whole command (medians: the machine is shared, so runs
alternate between the revisions), then where the CPU time goes, stage by stage: a probe
process times the build's functions (each stage's own time, without the stages it calls),
imports are the time until the command starts, teardown the wall time from its end to the
process exit. ``--before REV`` measures REV's code (``git archive`` into a temp folder,
first on ``sys.path``) in the same run, beside this checkout's.
Target (issue 16): a cold build of the bundled plan under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (module, function, stage): the build's steps where the probe times them. Absent ones
# (another revision) are skipped; a stage's time excludes the stages it calls.
STAGES = [
    ("kg.shells.build", "extract", "read the plan (+ national)"),
    ("kg.analyse.nlp", "_jieba", "jieba: import, dictionary"),
    ("kg.analyse.alignment", "indicator_vocabulary", "indicator vocabulary"),
    ("kg.analyse.nlp", "plan_places", "place names"),
    ("kg.analyse.nlp", "_looks_like_name", "place names: POS tags"),
    ("kg.analyse.alignment", "plan_lexicon", "lexicon"),
    ("kg.analyse.analysis", "align", "alignment"),
    ("kg.analyse.analysis", "align_national", "national alignment"),
    ("kg.shells.build", "analyse", "analysis, other"),
    ("kg.shells.build", "link_plan", "indicator concepts"),
    ("kg.shells.build", "plan_graph", "graph (rdflib)"),
    ("kg.shells.build", "validate", "SHACL"),
    ("kg.shells.build", "plan_json", "model JSON"),
    ("kg.shells.build", "_reference_file", "reference.ttl"),
    ("kg.shells.build", "serialize", "Turtle"),
    ("kg.shells.build", "write_pages", "graph page"),
    ("kg.shells.cli", "load_into_store", "store, search index"),
    ("kg.shells.cli", "compare_page", "compare page"),
]

PROBE = r"""
import json, sys, time, importlib
started = time.process_time()
spent, stack = {}, []
import gc
collecting = {"since": 0.0, "spent": 0.0}
def collector(phase, info):
    if phase == "start":
        collecting["since"] = time.process_time()
    else:
        collecting["spent"] += time.process_time() - collecting["since"]
gc.callbacks.append(collector)

def timed(fn, stage):
    def run(*args, **kwargs):
        if stack and stack[-1][0] == stage:  # within its own stage already
            return fn(*args, **kwargs)
        stack.append([stage, time.process_time(), 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            name, t0, inner = stack.pop()
            took = time.process_time() - t0
            spent[name] = spent.get(name, 0.0) + took - inner
            if stack:
                stack[-1][2] += took
    return run

def everywhere(original, replacement):
    # 'from x import f' binds f in each importing module: replace it in all of kg.
    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith("kg"):
            for key, value in list(vars(mod).items()):
                if value is original:
                    setattr(mod, key, replacement)

import kg.shells.cli as cli
imports = time.process_time() - started
for module, name, stage in json.loads(sys.argv[2]):
    fn = getattr(importlib.import_module(module), name, None)
    if fn is None:
        continue
    if name == "_jieba":  # jieba may load its dictionary later, when first asked to cut
        def jieba_then_dictionary(_of=fn, _stage=stage):
            jieba = _of()
            if not getattr(jieba.dt, "_probed", False):
                jieba.dt.initialize = timed(jieba.dt.initialize, _stage)
                jieba.dt._probed = True
            return jieba
        everywhere(fn, timed(jieba_then_dictionary, stage))
    else:
        everywhere(fn, timed(fn, stage))
sys.argv = ["plankg", "build", "--out", sys.argv[1]]
try:
    cli.run()
except SystemExit as end:
    if end.code:
        raise
spent["imports"] = imports
spent["total"] = time.process_time() - started
spent["collector"] = collecting["spent"]
print(json.dumps({"stages": spent, "ended": time.time()}), file=sys.stderr)
"""


def revision_tree(rev: str, into: Path) -> Path:
    """The files of git revision ``rev`` (or a folder holding a tree), unpacked into ``into``."""
    if Path(rev).is_dir():
        return Path(rev).resolve()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_once(tree: Path, tmp: Path, probe: bool) -> dict:
    """One cold build of ``tree``'s code in a fresh process: wall and CPU seconds; with
    ``probe`` the CPU seconds of its stages."""
    out = Path(tempfile.mkdtemp(dir=tmp))
    env = {**os.environ, "PYTHONPATH": str(tree) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, "-m", "kg", "build", "--out", str(out)]
    if probe:
        # The probe starts and ends as the tree's kg/__main__.py runs a command: what it
        # does before importing the CLI (the collector's threshold), then the freeze.
        main = (tree / "kg" / "__main__.py").read_text(encoding="utf-8")
        start = main.split("from kg.shells.cli import run")[0]
        ending = "\nimport gc\ngc.freeze()\n" if "gc.freeze()" in main else ""
        cmd = [sys.executable, "-c", start + PROBE + ending, str(out), json.dumps(STAGES)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp)
    wall = time.perf_counter() - started
    ended = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"the build of {tree} failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result: dict = {"wall": wall, "cpu": cpu, "out": out}
    if probe:
        report = json.loads(proc.stderr.strip().splitlines()[-1])
        stages = report["stages"]
        stages["other (CLI, summary …)"] = stages["total"] - sum(
            v for k, v in stages.items() if k not in ("total", "collector")
        )
        stages["teardown (wall)"] = ended - report["ended"]
        result["stages"] = stages
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed builds per revision (and as many probes)")
    parser.add_argument("--before", help="git revision (or a folder of code) to measure beside this checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        trees: dict[str, Path] = {}
        if args.before:
            trees[f"before ({Path(args.before).name or args.before})"] = revision_tree(
                args.before, Path(tempfile.mkdtemp(dir=tmp))
            )
        trees["after" if args.before else "this checkout"] = ROOT
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        probes: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.runs):  # alternating, so each meets the same load
            for name, tree in trees.items():
                runs[name].append(run_once(tree, tmp, probe=False))
                probes[name].append(run_once(tree, tmp, probe=True))
        print_table(runs, probes, args.runs)
        if len(trees) > 1:
            same_outputs([runs[name][0]["out"] for name in trees])


def same_outputs(folders: list[Path]) -> None:
    """The builds' files (the store's folders aside), compared byte by byte."""
    first, *others = folders
    names = sorted(p.name for p in first.iterdir() if p.is_file() and not p.name.startswith("."))
    for other in others:
        theirs = sorted(p.name for p in other.iterdir() if p.is_file() and not p.name.startswith("."))
        differ = [n for n in names if n in theirs and (first / n).read_bytes() != (other / n).read_bytes()]
        if differ or theirs != names:
            print(f"\nOUTPUTS DIFFER: {differ} {sorted(set(names) ^ set(theirs))}")
        else:
            print(f"\noutputs identical: {', '.join(names)}")


def print_table(runs: dict[str, list[dict]], probes: dict[str, list[dict]], n: int) -> None:
    names = list(runs)
    width = 4 + max(len(name) for name in names)

    def row(label: str, values: list[float]) -> None:
        print(f"{label:<30}" + "".join(f"{v:>{width}.2f}" for v in values))

    print(f"cold build of the bundled plan (python -m kg build), medians of {n} runs")
    print(f"{'':<30}" + "".join(f"{name:>{width}}" for name in names))
    for key, label in (("wall", "wall s"), ("cpu", "CPU s")):
        row(label, [statistics.median(r[key] for r in runs[name]) for name in names])
    print(f"\n{'stage: CPU s (teardown: wall)':<30}" + "".join(f"{name:>{width}}" for name in names))
    order = ["imports", *dict.fromkeys(s for _, _, s in STAGES), "other (CLI, summary …)", "teardown (wall)", "total"]
    order.append("collector")
    labels = {"total": "probe total CPU", "collector": "  of which garbage collector"}
    for stage in order:
        values = [statistics.median(p["stages"].get(stage, 0.0) for p in probes[name]) for name in names]
        if any(v >= 0.005 for v in values):
            row(labels.get(stage, stage), values)
    after = statistics.median(r["wall"] for r in runs[names[-1]])
    print(f"\ncold build: {after:.2f} s wall (target < 3 s): {'OK' if after < 3 else 'OVER'}")


if __name__ == "__main__":
    main()
