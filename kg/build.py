"""``plankg build``: the main job. Until the graph stage lands it writes the plan model.

A plain function, so a notebook or a test runs the same job as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Plan
from .output import plan_json, write_atomic
from .pipeline import extract


@dataclass
class BuildResult:
    plan: Plan
    outputs: list[Path]


def build(plan_path: str | Path | None = None, out_dir: str | Path = "build", encoding: str = "utf-8",
          plan_id: str | None = None) -> BuildResult:
    plan = extract(plan_path, encoding=encoding, plan_id=plan_id)
    out = write_atomic(Path(out_dir) / f"{plan.id}.json", plan_json(plan))
    return BuildResult(plan, [out])
