"""plankg: Chinese development plans as RDF knowledge graphs.

The core is pure: ``extract`` reads a plan text into a ``Plan`` model; shells (the CLI,
notebooks) call it.
"""

from .errors import InputError, NotAPlanError, PlanError
from .model import Plan
from .pipeline import extract, extract_source, extract_text
from .reading import bundled_plan_path

__version__ = "0.1.0"

__all__ = [
    "InputError", "NotAPlanError", "Plan", "PlanError", "__version__", "bundled_plan_path",
    "extract", "extract_source", "extract_text",
]
