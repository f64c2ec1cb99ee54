"""Writing outputs: JSON of the model (files are written by ``kg.files.write_atomic``)."""

from __future__ import annotations

import json
from typing import Any

from kg.model import Plan
from kg.version import __version__


def plan_json(plan: Plan) -> str:
    data: dict[str, Any] = {"plankg_version": __version__, **plan.to_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
