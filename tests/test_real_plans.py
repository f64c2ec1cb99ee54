"""The six bundled real plans against their hand-written references (tests/data/references/).

The references were written by reading each text, not by running the extractor (each file
says how it was made); tests/references.py compares field by field and names every
difference.
"""

from __future__ import annotations

import pytest
import references as R

import kg
from kg.read.source import bundled_plans

NEW_PLANS = ["beijing-15th-fyp", "guangzhou-15th-fyp", "shanghai-15th-fyp", "shenzhen-15th-fyp", "national-15th-fyp"]


@pytest.fixture(scope="module", params=NEW_PLANS)
def case(request):
    path = bundled_plans()[request.param]
    return kg.extract(path), R.load(request.param)


@pytest.mark.parametrize("check", R.CHECKS, ids=lambda c: c.__name__)
def test_plan_matches_its_reference(case, check):
    plan, ref = case
    assert check(plan, ref) == []


def test_references_were_written_by_reading():
    for plan_id in NEW_PLANS:
        assert "not by running the extractor" in R.load(plan_id)["how_made"]


def test_every_bundled_plan_has_its_classes(case):
    """A class the text has never comes out empty, and nothing silently goes missing."""
    plan, ref = case
    c = plan.counts()
    assert c["chapters"] > 0 and c["goals"] > 0 and c["measures"] > 0
    assert (c["indicators"] > 0) == bool(ref["indicators"])
    assert (c["boxes"] > 0) == bool([b for b in ref["boxes"] if b["form"] != "indicators"])
    assert plan.vision is not None and plan.horizon == 2035
    pages = [e.provenance.page_start for e in plan.entities() if e.provenance.page_start is not None]
    assert all(p >= 1 for p in pages)


def test_web_pages_have_no_pages_and_pdf_dumps_do(case):
    plan, ref = case
    pages = {e.provenance.page_start for e in plan.chapters}
    if plan.id == "beijing-15th-fyp":
        assert None not in pages
    else:
        assert pages == {None}
