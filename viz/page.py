"""Nodes/edges data -> one self-contained HTML page, rendered with pyvis' Network.

pyvis' stock template pulls Bootstrap from a CDN and its select/filter menus garble
Chinese, so the page uses its own template; vis-network itself is pyvis' inlined copy
(``cdn_resources="in_line"``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from pyvis.network import Network
from rdflib import Graph

from kg.files import write_atomic
from kg.rdf.vocab import PAGE_BASES, PK, SITE
from kg.viz.data import STYLE, VizData, graph_data

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _page_template():
    """Compiled once per process: the template inlines vis-network (half a megabyte of
    JavaScript), and compiling it costs as much as laying out a plan."""
    env = Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(str(TEMPLATES)), FileSystemLoader(os.path.dirname(pyvis.__file__) + "/templates")]
        ),
        autoescape=False,
    )
    return env.get_template("page.html")


def render_html(data: VizData, heading: str) -> str:
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=heading)
    for n in data.nodes:
        net.add_node(
            n["id"],
            label=n["label"],
            shape=n["shape"],
            **{k: v for k, v in n.items() if k not in ("id", "label", "shape")},
        )
    for e in data.edges:
        net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to")})
    net.toggle_physics(False)
    counts = data.by_class()
    classes = [
        {"cls": c, "zh": s.zh, "en": s.en, "color": s.colour, "count": counts[c]}
        for c, s in STYLE.items()
        if counts.get(c)
    ]
    template = _page_template()
    nodes, edges, heading, height, width, options = net.get_network_data()
    return template.render(
        nodes=nodes,
        edges=edges,
        heading=heading,
        classes=classes,
        blocks=data.blocks,
        captions=data.captions,
        site=SITE,
        page_bases=list(PAGE_BASES),
    )


def write_pages(graph: Graph, out_dir: str | Path) -> list[Path]:
    """One page per plan in ``graph``: <out>/<plan-id>.html."""
    from rdflib import RDF, RDFS

    outputs = []
    plans = sorted(graph.subjects(RDF.type, PK.Plan), key=str)
    for plan in plans:
        if len(plans) == 1:  # the usual case: no need to cut the plan out of the graph
            data = graph_data(graph)
            heading = str(graph.value(plan, RDFS.label) or plan)
            outputs.append(write_atomic(Path(out_dir) / f"{data.plan_ids[0]}.html", render_html(data, heading)))
            continue
        sub = Graph()
        members = {plan} | set(graph.subjects(PK.inPlan, plan))
        for s in members:
            for triple in graph.triples((s, None, None)):
                sub.add(triple)
        for o in {o for s in members for o in graph.objects(s, PK.category)}:
            for triple in graph.triples((o, None, None)):
                sub.add(triple)
        for p in ("supports", "affectsIndicator"):
            for triple in graph.triples((None, PK[p], None)) if p in PK.__annotations__ else []:
                sub.add(triple)
        data = graph_data(sub)
        heading = str(graph.value(plan, RDFS.label) or plan)
        html = render_html(data, heading)
        outputs.append(write_atomic(Path(out_dir) / f"{data.plan_ids[0]}.html", html))
    return outputs
