"""The graph browser: an RDF graph built by plankg -> plain nodes/edges data -> one
offline HTML page (vis-network, inlined through pyvis).

A shell over the core: it reads graphs, never the extractor's model.
"""

from kg.viz.data import VizData, graph_data
from kg.viz.page import render_html, write_pages

__all__ = ["VizData", "graph_data", "render_html", "write_pages"]
