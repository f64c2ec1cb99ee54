"""python -m kg.schema: rewrite kg/schema/plan-model.schema.json from kg/model.py."""

from kg.schema import committed_path, schema_text

committed_path().write_text(schema_text(), encoding="utf-8")
print(f"wrote {committed_path()}")
