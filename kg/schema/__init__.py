"""The JSON Schema of the plan model, derived from the dataclasses in ``kg.model``.

The committed ``plan-model.schema.json`` is this function's output; ``python -m kg.schema``
rewrites it after a model change, and a test fails while it is stale. Field descriptions
are the comments beside the fields in ``kg/model.py``.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import types
import typing
from importlib import resources
from pathlib import Path

from kg import model as M

SCHEMA_FILE = "plan-model.schema.json"
_PRIMITIVES = {str: "string", int: "integer", float: "number", bool: "boolean"}
_MINIMUM_1 = {"page_start", "page_end", "line_start", "line_end"}


def _comments(cls) -> dict[str, str]:
    out = {}
    for line in inspect.getsource(cls).splitlines():
        m = re.match(r"\s+(\w+): [^#]+#\s*(.+)$", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def _type(tp, defs: dict) -> dict:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        schema = _type(inner[0], defs)
        if "type" in schema:
            return {**schema, "type": [schema["type"], "null"]}
        return {"anyOf": [schema, {"type": "null"}]}
    if origin is list:
        return {"type": "array", "items": _type(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(args[1], defs)}
    if dataclasses.is_dataclass(tp):
        name = typing.cast(type, tp).__name__  # a dataclass, not an instance of one
        if name not in defs:
            defs[name] = {}
            defs[name] = _object(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    return {"type": _PRIMITIVES[tp]}


def _object(cls, defs: dict, kind: str | None = None) -> dict:
    hints = typing.get_type_hints(cls)
    notes = _comments_of(cls)
    props = {}
    for f in dataclasses.fields(cls):
        schema = _type(hints[f.name], defs)
        if f.name in _MINIMUM_1:
            schema["minimum"] = 1
        if f.name in notes:
            schema["description"] = notes[f.name]
        props[f.name] = schema
    if kind is not None:
        props["kind"] = {"const": kind}
    return {"type": "object", "additionalProperties": False, "required": list(props), "properties": props}


def _comments_of(cls) -> dict[str, str]:
    out: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if dataclasses.is_dataclass(base):
            out.update(_comments(base))
    return out


def plan_schema() -> dict:
    defs: dict = {}
    plan = _object(M.Plan, defs)
    hints = typing.get_type_hints(M.Plan)
    for name, kind in M.ENTITY_FIELDS.items():
        tp = hints[name]
        inner = [a for a in typing.get_args(tp) if a is not type(None)] if typing.get_origin(tp) is not list else []
        cls = typing.get_args(tp)[0] if typing.get_origin(tp) is list else inner[0]
        entity = _object(cls, defs, kind)
        plan["properties"][name] = (
            {"type": "array", "items": entity}
            if typing.get_origin(tp) is list
            else {"anyOf": [entity, {"type": "null"}]}
        )
    plan["properties"] = {"plankg_version": {"type": "string"}, **plan["properties"]}
    plan["properties"]["schema_version"] = {"const": M.SCHEMA_VERSION}
    plan["properties"]["id"]["pattern"] = r"^[0-9a-z\u4e00-\u9fff][0-9a-z\u4e00-\u9fff._-]*$"
    plan["required"] = ["plankg_version", *plan["required"]]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://w3id.org/plankg/schema/plan-model.json",
        "title": "plankg plan model",
        "description": "What `plankg extract --json` writes: one plan, its outline and entities, each with "
        "provenance. See docs/model.md. Generated from kg/model.py by `python -m kg.schema`.",
        **plan,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"


def committed_path() -> Path:
    return Path(str(resources.files("kg") / "schema" / SCHEMA_FILE))
