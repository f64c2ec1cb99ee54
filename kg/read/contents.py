"""Stage 1d: find the table of contents (and a list of 专栏 boxes) and set it aside.

A table of contents is recognised by what it is, not by how its lines end: a dense run of
heading lines that the body repeats later. Its lines may end in dot leaders and a page
number, in spaces or a tab and a number, in a number glued to the title, or in nothing.
Left in, every part, chapter and box would be read twice.
"""

from __future__ import annotations

import re

from kg.read import patterns as P

# '目录', '专栏目录', '重大工程专栏目录', '图表目录'.
_TOC_TITLE = re.compile(r"^[\u4e00-\u9fff]{0,8}\s*(目\s*录|目\s*次)$")
_LEADER_TAIL = re.compile(r"(?:[\s.…·．\-_—]{2,}|\t|\s)\s*\d{1,4}$|[.…·．_]{2,}\s*$")
_GLUED_PAGE = re.compile(r"(?<=[\u4e00-\u9fff”」》）)])\d{1,4}$")
# Entries of front and back matter a table of contents lists beside the headings.
_BACK = r"名\s*词\s*解\s*释|附\s*表|附\s*件|附\s*录|后\s*记|结\s*束\s*语|结\s*语"
_MATTER = re.compile(rf"^(序\s*言|前\s*言|引\s*言|{_BACK}|专\s*栏.*)$")
_BACK_MATTER = re.compile(rf"^({_BACK})$")
KEY_CHARS = 4
MIN_ENTRIES = 3


def strip_page(text: str) -> str:
    """'第一章 发展成就 ……… 3' -> '第一章 发展成就'; '…国际大都市1' -> '…国际大都市'."""
    t = _LEADER_TAIL.sub("", text.rstrip()).rstrip(" .…·．\t")
    return _GLUED_PAGE.sub("", t)


def heading_key(text: str) -> str | None:
    """What identifies a heading line between the contents and the body: its level,
    number and the first characters of its title."""
    t = strip_page(text)
    h = P.heading(t)
    if h:
        level, number, title = h
        return f"{level}{number}:{_squash(title)[:KEY_CHARS]}"
    b = P.box(t)
    if b and b[0] and b[1]:
        return f"box{b[0]}:{_squash(b[1])[:KEY_CHARS]}"
    m = P.marked(t)
    if m and P.heading_title(m[3]):
        return f"{m[0]}{m[1]}:{_squash(m[3])[:KEY_CHARS]}"
    return None


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def find_toc(texts: list[str]) -> set[int]:
    """Indexes of the lines that form tables of contents."""
    keys = [heading_key(t) for t in texts]
    last: dict[str | None, int] = {}
    for i, k in enumerate(keys):
        if k:
            last[k] = i
    repeated = [k is not None and last[k] > i for i, k in enumerate(keys)]
    toc: set[int] = set()
    i, n = 0, len(texts)
    while i < n:
        if not repeated[i]:
            i += 1
            continue
        # Grow a run from here: repeated headings, with at most two other short lines
        # (wrapped entries, front-matter entries, page numbers) between two of them.
        run, j, loose = [i], i + 1, 0
        while j < n:
            if repeated[j]:
                run.append(j)
                loose = 0
            elif _filler(texts[j]) and loose < 2:
                loose += 1
            else:
                break
            j += 1
        entries = [k for k in run if repeated[k]]
        if len(entries) >= MIN_ENTRIES:
            # Entries the body never repeats follow when the text stops before the plan's end.
            seen = {keys[k] for k in entries}
            loose = 0
            while j < n and loose <= 2:
                if keys[j] and keys[j] not in seen and last[keys[j]] == j:
                    run.append(j)
                    loose = 0
                elif keys[j] or not _filler(texts[j]):
                    break
                else:
                    loose += 1
                j += 1
            lo, hi = run[0], run[-1]
            # The body repeats the entries after the run, not inside it.
            if sum(1 for k in entries if last[keys[k]] > hi) * 10 >= len(entries) * 8:
                toc.update(range(lo, hi + 1))
                toc.update(_title_above(texts, lo))
                toc.update(k for k in range(hi + 1, min(n, hi + 3)) if _BACK_MATTER.match(_squash(texts[k])))
        i = max(j, i + 1)
    return toc


def _filler(text: str) -> bool:
    t = _squash(strip_page(text))
    return (
        not t
        or t.isdigit()
        or bool(_MATTER.match(t))
        or bool(_TOC_TITLE.match(t))
        or (len(t) <= 30 and not P.ends_sentence(t) and P.heading(t) is None)
    )


def _title_above(texts: list[str], lo: int) -> list[int]:
    """The contents' own title ('目 录') and front-matter entries just above its first entry."""
    out = []
    for k in range(lo - 1, max(-1, lo - 4), -1):
        t = _squash(texts[k])
        if _TOC_TITLE.match(t) or _MATTER.match(t):
            out.append(k)
            if _TOC_TITLE.match(t):
                break
        else:
            break
    return out


def missing_entries(toc: list[str], body: list[str]) -> list[str]:
    """Entries of the contents the body never prints (the text stops early), as printed."""
    have = {heading_key(t) for t in body}
    return [strip_page(t) for t in toc if heading_key(t) and heading_key(t) not in have]
