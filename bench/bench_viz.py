"""Graph-browser benchmark: page size and time until the full bundled graph is drawn
and the page idle, in headless Chromium. Printed as a table.

    .venv/bin/python bench/bench_viz.py

Targets (issue 4): drawn and idle under 3 s, page under 5 MB.
"""

from __future__ import annotations

import statistics
import tempfile
import time

from playwright.sync_api import sync_playwright

from kg.shells.build import build
from kg.viz import write_pages

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = build(None, tmp)
        t = time.perf_counter()
        page_file = write_pages(result.graph, tmp)[0]
        t_write = time.perf_counter() - t
        size = page_file.stat().st_size
        drawn, idle = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(5):
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.goto(page_file.as_uri())
                page.wait_for_selector("body[data-ready='1']", timeout=60_000)
                drawn.append(page.evaluate("performance.now()") / 1000)
                idle.append(
                    page.evaluate("new Promise(r => requestIdleCallback(() => r(performance.now()), {timeout: 10000}))")
                    / 1000
                )
                nodes = page.evaluate("plankg.network.body.nodeIndices.length")
                page.close()
            browser.close()
    d, i = statistics.median(drawn), statistics.median(idle)
    print(f"{'measure':<34} {'value':>10}")
    print(f"{'nodes drawn':<34} {nodes:>10}")
    print(f"{'HTML size (MB)':<34} {size / 2**20:>10.2f}")
    print(f"{'write page (s)':<34} {t_write:>10.3f}")
    print(f"{'first drawing (s, median of 5)':<34} {d:>10.3f}")
    print(f"{'drawn and idle (s, median of 5)':<34} {i:>10.3f}")
    ok = i < 3 and size < 5 * 2**20
    print(f"\ntargets: idle < 3 s and page < 5 MB: {'OK' if ok else 'OVER'}")


if __name__ == "__main__":
    main()
