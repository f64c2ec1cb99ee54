"""plankg: Chinese development plans as RDF knowledge graphs.

The public API. ``extract`` reads a plan text into a ``Plan`` model (the reading layer,
``kg.read``); ``build`` runs the whole one-plan build (read, analyse, graph, validate,
write) as ``plankg build`` does. The layers below, each importing only those under it:
``kg.read`` → ``kg.analyse`` → ``kg.rdf`` → ``kg.query`` → ``kg.shells`` (and ``kg.viz``).
"""

from kg.errors import InputError, NotAPlanError, PlanError
from kg.model import Plan
from kg.read.pipeline import extract, extract_source, extract_text
from kg.read.source import bundled_plan_path
from kg.version import __version__

__all__ = [
    "InputError",
    "NotAPlanError",
    "Plan",
    "PlanError",
    "__version__",
    "build",
    "bundled_plan_path",
    "extract",
    "extract_source",
    "extract_text",
]


def __getattr__(name: str):
    # The build pulls in rdflib, pyshacl and the graph browser: loaded when first asked for,
    # so `import kg` for extraction stays light.
    if name == "build":
        from kg.shells.build import build

        return build
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
