"""The alignment model's weights and thresholds, fitted by ``bench/bench_alignment.py --fit``
on the fitting half of the two labelled samples (tests/data/alignment-sample*.csv): do not
edit by hand; a test fails when they are not what the labels give."""

from typing import Any

MODEL: dict[str, dict[str, Any]] = {
    "positioning": {
        "intercept": -5.5747,
        "weights": {
            "text": 16.8388,
            "chapter": 12.7617,
            "part": 6.4244,
            "text_rel": 0.3491,
            "chapter_rel": 0.1732,
            "part_rel": -0.3447,
            "best_chapter": 0.7066,
            "best_part": 0.1546,
            "blend_rel": 0.6806
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
        "intercept": -7.204,
        "weights": {
            "text": 18.1643,
            "text_rel": 0.2392,
            "hits": 0.9053,
            "chapter_hits": -0.1272,
            "title_hits": 2.4056,
            "hit_rarity": 1.8355,
            "best_hits": 1.0753,
            "hits_rel": -1.5448,
            "own_hits": 1.4601,
            "chapter_share": 4.6912,
            "common_hits": 0.0829,
            "heading_hits": 3.5362,
            "title_terms": -0.5093,
            "hits_share": -2.7485,
            "density": 0.7485
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
    "positioning": 0.5,
    "goal": 0.45,
    "indicator": 0.65,
    "sdg": 0.6
}
