"""The alignment model's weights and thresholds, fitted by ``bench/bench_alignment.py --fit``
on the fitting half of the two labelled samples (tests/data/alignment-sample*.csv): do not
edit by hand; a test fails when they are not what the labels give."""

from typing import Any

MODEL: dict[str, dict[str, Any]] = {
    "positioning": {
        "intercept": -5.833,
        "weights": {
            "text": 18.2078,
            "chapter": 15.3703,
            "part": 6.6044,
            "text_rel": 0.1249,
            "chapter_rel": 0.456,
            "part_rel": -0.347,
            "best_chapter": 0.1246,
            "best_part": -0.0548,
            "blend_rel": 1.0753
        }
    },
    "goal": {
        "intercept": -5.5659,
        "weights": {
            "text": -6.3569,
            "chapter": 9.8585,
            "part": 5.1178,
            "text_rel": 1.4682,
            "chapter_rel": 0.382,
            "part_rel": 1.3373,
            "best_chapter": 1.2897,
            "best_part": 1.1148,
            "blend_rel": 1.9137
        }
    },
    "indicator": {
        "intercept": -5.6514,
        "weights": {
            "text": 15.2249,
            "text_rel": 0.0568,
            "hits": 0.1281,
            "chapter_hits": 0.63,
            "title_hits": 1.5378,
            "hit_rarity": 2.5073,
            "best_hits": 1.0344,
            "hits_rel": -1.9498,
            "own_hits": 0.5715,
            "chapter_share": 3.492,
            "common_hits": -0.2477
        }
    },
    "sdg": {
        "intercept": -4.1059,
        "weights": {
            "text": 12.7193,
            "chapter": -7.1129,
            "part": 6.1064,
            "text_rel": 0.0937,
            "chapter_rel": 1.3459,
            "hits": 0.9775,
            "chapter_hits": 1.3718,
            "hit_rarity": 0.213,
            "title_hits": 2.7028,
            "density": 2.1102,
            "hits_rel": 0.7771,
            "best_hits": 0.8855,
            "own_hits": -1.1121,
            "chapter_share": 2.0279
        }
    }
}
THRESHOLDS: dict[str, float] = {
    "positioning": 0.55,
    "goal": 0.5,
    "indicator": 0.8,
    "sdg": 0.55
}
