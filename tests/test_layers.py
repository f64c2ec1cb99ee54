"""The package's walls: every import points down a layer (or stays in its own), and no
module imports itself back through others, counting the imports made inside functions.

read → analyse → rdf → query → shells, over the shared model at the bottom; the layers are
the sub-packages of kg/, so a wrong import shows in its path.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Layer by module-name prefix, the longest prefix deciding; the package's face (kg/__init__,
# kg/__main__) stands above everything, as the API a user imports.
LAYERS = {
    "kg.errors": 0,
    "kg.files": 0,
    "kg.model": 0,
    "kg.kinds": 0,
    "kg.units": 0,
    "kg.version": 0,
    "kg.reference": 0,
    "kg.corpus": 0,
    "kg.schema": 0,
    "kg.read": 1,
    "kg.analyse": 2,
    "kg.rdf": 3,
    "kg.query": 4,
    "kg.shells": 5,
    "kg.viz": 5,
    "kg.notebooks": 5,
    "kg": 6,
    "kg.__main__": 6,
}
# Source folders and the package each ships as (pyproject's package-dir).
SOURCES = {"kg": ROOT / "kg", "kg.viz": ROOT / "viz"}


def modules() -> dict[str, Path]:
    out = {}
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package, *parts])] = path
    return out


def layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[prefix]


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The kg modules a module imports, anywhere in it (inside functions too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        out |= {n for n in names if n == "kg" or n.startswith("kg.")}
    out.discard(module)
    return out


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    found = modules()
    g = nx.DiGraph()
    for module, path in found.items():
        g.add_node(module)
        for target in imports(module, path, set(found)):
            g.add_edge(module, target)
    return g


def test_every_module_has_a_layer(graph):
    assert all(layer(m) is not None for m in graph), "a module outside every layer"
    assert {"kg.read.pipeline", "kg.analyse.alignment", "kg.rdf.graph", "kg.query.store", "kg.shells.cli"} <= set(graph)


def test_no_import_points_up_a_layer(graph):
    up = sorted(f"{a} ({layer(a)}) imports {b} ({layer(b)})" for a, b in graph.edges if layer(b) > layer(a))
    assert not up, "imports pointing up a layer:\n" + "\n".join(up)


def test_no_import_cycle(graph):
    cycles = sorted(" → ".join(c) for c in nx.simple_cycles(graph))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_check_sees_an_upward_import_and_a_cycle(tmp_path):
    # The checks above must be able to fail: a reading module importing the graph stage,
    # and two modules importing each other.
    (tmp_path / "a.py").write_text("def f():\n    from kg.rdf.graph import plan_graph\n", encoding="utf-8")
    found = {"kg.read.a": tmp_path / "a.py", "kg.rdf.graph": tmp_path / "a.py"}
    assert imports("kg.read.a", tmp_path / "a.py", set(found)) == {"kg.rdf.graph"}
    assert layer("kg.rdf.graph") > layer("kg.read.a")
    g = nx.DiGraph([("kg.read.x", "kg.read.y"), ("kg.read.y", "kg.read.x")])
    assert list(nx.simple_cycles(g))
