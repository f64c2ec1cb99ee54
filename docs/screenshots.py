"""Screenshots of a plan's graph page, as a reader first sees it, in docs/screenshots/.

    python docs/screenshots.py [build-folder] [--plan PLAN-ID] [--out FOLDER]

The page is written afresh from ``<build-folder>/<plan-id>.ttl`` (``plankg build`` wrote it)
by the current ``kg.viz``, into a temporary folder, then opened from ``file://`` in headless
Debian Chromium (``/usr/bin/chromium``, driven by Playwright; a CJK font must be installed or
every title is a row of boxes: ``fonts-wqy-zenhei``). It writes, in a 1600 × 1000 window:

- ``graph-load.png``: the page as it opens;
- ``graph-zoom.png``: zoomed on the chapter with the most entities;
- ``graph-search.png``: a search with its list of results;
- ``graph-project.png``: the project (or measure) with the most alignment links selected,
  the view widened to show what it links to;
- ``graph-overview.png``: the overview (details folded into their chapters);
- ``entity-project.png``: that project's own page, as ``plankg serve --data <build-folder>``
  answers its IRI's path (``/id/<plan>/…``): its citation, container and alignment links.

What to search and which node to select are chosen from the plan's own data, so the same
command serves any plan.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent
WINDOW = {"width": 1600, "height": 1000}


def cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return True  # no fontconfig to ask: let the screenshots show it
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def plan_graph(build: Path, plan: str | None) -> Path:
    if plan:
        path = build / f"{plan}.ttl"
        if not path.exists():
            sys.exit(f"error: {path} not found; run 'plankg build {plan} --out {build}' first")
        return path
    graphs = sorted(p for p in build.glob("*.ttl") if p.name != "reference.ttl")
    if not graphs:
        sys.exit(f"error: no plan graph (*.ttl) in {build}; run 'plankg build' first")
    return graphs[0]


def search_term(nodes: list[dict]) -> str:
    """Two characters that open several titles of projects (or measures) and that a
    handful of entities, not most, hold in their title or text."""
    titles = [n["full"] for n in nodes if n["cls"] == "Project"] or [n["full"] for n in nodes if n["cls"] == "Measure"]
    counts: Counter[str] = Counter()
    for t in titles:
        counts.update({t[i : i + 2] for i in range(len(t) - 1)})
    starts = Counter(t[:2] for t in titles)
    for word, _ in counts.most_common():
        if starts[word] >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            holders = sum(word in n["full"] or word in n["text"] for n in nodes)
            if 6 <= holders <= 30:
                return word
    return titles[0][:2] if titles else ""


@contextmanager
def served(build: Path):
    """``plankg serve`` on the build folder, on a free port, for as long as the block runs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--data", str(build), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    site = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                sys.exit(f"error: plankg serve stopped: {(proc.stderr.read() if proc.stderr else '').strip()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield site
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def local_path(iri: str) -> str:
    from kg.shells.pages import local_path as path

    found = path(iri)
    if found is None:
        raise ValueError(f"{iri} has no page on plankg serve")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", nargs="?", default="build", type=Path, help="build folder (default: build)")
    parser.add_argument("--plan", help="plan id (default: the first <plan-id>.ttl of the folder)")
    parser.add_argument("--out", type=Path, default=HERE / "screenshots", help="where to write the PNGs")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit(f"error: {CHROMIUM} is missing; install Debian's chromium (./dev test does)")
    if not cjk_font():
        sys.exit("error: no CJK font is installed, titles would be boxes; install fonts-wqy-zenhei")

    from playwright.sync_api import sync_playwright
    from rdflib import Graph

    from kg.viz import write_pages

    source = plan_graph(args.build, args.plan)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        graph = Graph()
        graph.parse(source)
        page_file = write_pages(graph, tmp)[0]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport=WINDOW)
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

        def shot(name: str) -> None:
            page.wait_for_timeout(250)
            page.screenshot(path=str(args.out / name))
            drawn = page.evaluate("plankg.labels().length")
            print(
                f"wrote {args.out / name} ({drawn} titles drawn, zoom {page.evaluate('plankg.network.getScale()'):.2f})"
            )

        def load() -> None:
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready='1']", timeout=60_000)

        load()
        shot("graph-load.png")
        # Zoomed on the chapter holding the most entities.
        page.evaluate(
            """() => {
              const count = new Map();
              for (const n of plankg.NODES) {
                if (n.chapter && n.cls !== "Chapter") count.set(n.chapter, (count.get(n.chapter) || 0) + 1);
              }
              const [id] = [...count.entries()].sort((a, b) => b[1] - a[1])[0] || [];
              const b = plankg.BLOCKS.find(b => b.kind === "chapter" && b.id === id);
              const centre = b && { x: b.x + b.w / 2, y: b.y + b.h / 2 };
              if (b) plankg.network.moveTo({ position: centre, scale: 0.8, animation: false });
            }"""
        )
        shot("graph-zoom.png")
        load()
        term = search_term(page.evaluate("plankg.NODES.map(n => ({cls: n.cls, full: n.full, text: n.text}))"))
        if term:
            page.fill("#search", term)
            page.wait_for_selector("#results li")
            page.click("#results li >> nth=1")
            shot("graph-search.png")
        load()
        selected = page.evaluate(
            """() => {
              const touches = id => e => e.kind !== "contains" && (e.from === id || e.to === id);
              const links = id => plankg.EDGES.filter(touches(id)).length;
              const pick = cls => plankg.NODES.filter(n => n.cls === cls).sort((a, b) => links(b.id) - links(a.id))[0];
              const n = pick("Project") || pick("Measure");
              if (n) { plankg.focusNode(n.id); plankg.fitSelection(); }
              return n ? n.id : null;
            }"""
        )
        shot("graph-project.png")
        load()
        page.click("#view-overview")
        shot("graph-overview.png")
        if selected:
            with served(args.build) as site:
                page.goto(site + local_path(selected))
                page.wait_for_selector("#citation")
                page.screenshot(path=str(args.out / "entity-project.png"), full_page=True)
                print(f"wrote {args.out / 'entity-project.png'} (the page of {selected})")
        browser.close()
    if problems:
        print("the page reported:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
