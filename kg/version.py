"""The plankg version: declared here once; pyproject.toml reads it, the graph and JSON carry it."""

__version__ = "0.1.0"
