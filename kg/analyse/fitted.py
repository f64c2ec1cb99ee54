"""The alignment model's weights and thresholds, fitted by ``bench/bench_alignment.py --fit``
on the fitting half of the two labelled samples (tests/data/alignment-sample*.csv): do not
edit by hand; a test fails when they are not what the labels give."""

from typing import Any

MODEL: dict[str, dict[str, Any]] = {
    "positioning": {
        "intercept": -7.0843,
        "weights": {
            "text": 12.5386,
            "chapter": 11.3147,
            "part": 1.723,
            "text_rel": -0.1429,
            "chapter_rel": -0.5344,
            "part_rel": -0.21,
            "best_chapter": 0.5867,
            "best_part": -0.8643,
            "blend_rel": 0.0764,
            "served": 12.6476,
            "served_rel": 2.9734,
            "filed": 2.2846
        }
    },
    "goal": {
        "intercept": -5.6707,
        "weights": {
            "text": -5.004,
            "chapter": 9.8304,
            "part": 6.7057,
            "text_rel": 1.6572,
            "chapter_rel": 0.0437,
            "part_rel": 1.1884,
            "best_chapter": 1.3889,
            "best_part": 0.7465,
            "blend_rel": 2.3008
        }
    },
    "indicator": {
        "intercept": -7.3121,
        "weights": {
            "text": 19.1956,
            "text_rel": -0.1121,
            "hits": 0.2748,
            "chapter_hits": -0.2141,
            "title_hits": 2.6632,
            "hit_rarity": 1.163,
            "best_hits": 0.7971,
            "hits_rel": -0.9566,
            "own_hits": 2.6159,
            "chapter_share": 3.9628,
            "common_hits": 0.9823,
            "heading_hits": 4.4048,
            "title_terms": -0.84,
            "hits_share": -1.7545,
            "density": 0.9621,
            "part_hits": -2.6587,
            "listed_hits": -0.6787
        }
    },
    "sdg": {
        "intercept": -4.1018,
        "weights": {
            "text": 10.2485,
            "chapter": -0.8852,
            "part": 4.6489,
            "text_rel": 0.2211,
            "chapter_rel": 1.0983,
            "hits": 1.1589,
            "chapter_hits": 1.2527,
            "hit_rarity": 0.1264,
            "title_hits": 2.7956,
            "density": 2.0496,
            "hits_rel": 0.5136,
            "best_hits": 1.1423,
            "own_hits": -1.0919,
            "chapter_share": 1.9485
        }
    }
}
THRESHOLDS: dict[str, float] = {
    "positioning": 0.65,
    "goal": 0.45,
    "indicator": 0.65,
    "sdg": 0.6
}
