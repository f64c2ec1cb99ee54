"""Provenance of an entity: pages, source line range and the verbatim source lines."""

from __future__ import annotations

from kg.model import Provenance
from kg.read.cleaning import Line


def provenance(lines: list[Line], span: list[Line] | None = None) -> Provenance:
    """``lines`` are the entity's own lines; ``span`` (default: the same) sets the range.

    A chapter's own lines are its heading and intro, but its pages and line range
    cover everything under it.
    """
    own = sorted(lines, key=lambda ln: ln.no)
    rng = sorted(span, key=lambda ln: ln.no) if span else own
    if not rng:
        raise ValueError("an entity needs at least one source line")
    return Provenance(
        page_start=rng[0].page,
        page_end=rng[-1].page,
        line_start=rng[0].no,
        line_end=rng[-1].no,
        source="\n".join(ln.raw for ln in own),
    )
