"""Content negotiation for ``plankg serve``: which format an answer goes out in.

An ``Accept`` header is parsed strictly (a malformed one is a 400, not a guess), then
matched against the formats a kind of answer has: solutions and booleans (JSON, CSV,
TSV), triples (Turtle, N-Triples). ``format=`` overrides ``Accept``. Kept apart from the
HTTP handler because the query workers call it too: only once the engine has said which
form a query has (SELECT, ASK, CONSTRUCT) can the format be chosen, and that happens in
the worker process.
"""

from __future__ import annotations

import re
from typing import cast

from kg.shells.httperror import RequestError

_FORMATS = {
    "select": [
        ("application/sparql-results+json", "json"),
        ("application/json", "json"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
    "graph": [("text/turtle", "turtle"), ("application/n-triples", "ntriples"), ("text/plain", "ntriples")],
}
_ALIASES = {
    "json": "json",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
}
_TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA = re.compile(rf"{_TCHAR}/{_TCHAR}|\*")
_QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def accept_ranges(accept: str) -> list[tuple[float, str]]:
    """The media ranges of an ``Accept`` header with their weights, best first; a malformed
    header is a 400."""
    ranges = []
    for part in (accept or "*/*").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media and not params:
            continue  # "a, , b": empty elements are allowed
        if not _MEDIA.fullmatch(media):
            raise RequestError(400, f"malformed Accept header: {media!r} is no media type", "e.g. Accept: text/csv")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                if not _QVALUE.fullmatch(value.strip()):
                    raise RequestError(
                        400,
                        f"malformed Accept header: q={value.strip()!r}",
                        "q is a number from 0 to 1 with at most three decimals, e.g. text/csv;q=0.9",
                    )
                q = float(value)
        ranges.append((q, "*/*" if media == "*" else media.lower()))
    return sorted(ranges, key=lambda r: -r[0])  # stable: equal weights keep the client's order


def negotiate(accept: str, kind: str, explicit: str | None) -> str:
    """The format to answer a ``kind`` ("select": solutions or a boolean; "graph": triples)
    in, from ``format=`` if given, else from ``Accept``; 406 when none fits."""
    if explicit:
        fmt = _ALIASES.get(explicit.lower())
        if not fmt or fmt not in {f for _, f in _FORMATS[kind]}:
            raise RequestError(
                406,
                f"format {explicit!r} does not fit a "
                f"{'SELECT/ASK' if kind == 'select' else 'CONSTRUCT/DESCRIBE'} query",
                "use json, csv or tsv for SELECT and ASK; turtle or ntriples for CONSTRUCT and DESCRIBE",
            )
        return fmt
    for q, media in accept_ranges(accept):
        if q <= 0:
            continue
        if media in ("*/*", "application/*"):
            return _FORMATS[kind][0][1]
        if media == "text/*":
            return "csv" if kind == "select" else "turtle"
        for known, fmt in _FORMATS[kind]:
            if media == known:
                return fmt
    offered = ", ".join(m for m, _ in _FORMATS[kind])
    raise RequestError(406, f"cannot answer this query in {accept!r}", f"accept one of {offered}")


def negotiable(accept: str, explicit: str | None) -> None:
    """Refuse, before any query runs, an ``Accept`` (or ``format=``) that fits no query form."""
    try:
        negotiate(accept, "select", explicit)
    except RequestError as err:
        if err.status != 406:
            raise
        try:
            negotiate(accept, "graph", explicit)
        except RequestError:
            offered = ", ".join(m for kind in _FORMATS.values() for m, _ in kind)
            raise RequestError(406, f"cannot answer in {explicit or accept!r}", f"accept one of {offered}") from None


# --- pages: an entity's IRI, the search -----------------------------------------------------

# What an entity's path answers in, the first offered to a client that takes anything
# (``*/*``): a browser and curl get the page, Linked Data clients ask for their format.
ENTITY_FORMATS = [
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
    ("text/turtle", "turtle"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "ntriples"),
    ("application/json", "jsonld"),
]
ENTITY_MEDIA = {
    "html": "text/html; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
}
# The search answers JSON to a program (fetch, requests, curl send */*), the results page
# to a browser that asks for HTML.
SEARCH_FORMATS = [("application/json", "json"), ("text/html", "html")]
_PAGE_ALIASES = {
    "html": "html",
    "json": "json",
    "turtle": "turtle",
    "ttl": "turtle",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "nt": "ntriples",
    "ntriples": "ntriples",
    "n-triples": "ntriples",
}


def choose(accept: str, offered: list[tuple[str, str]], explicit: str | None = None) -> str:
    """The format, of those ``offered`` (media type, format; the first is the default), the
    client prefers: ``format=`` if given, else ``Accept`` by weight; a media type given
    ``q=0`` is never chosen, not even through a wildcard; 406 when none fits."""
    formats = [f for _, f in offered]
    names = ", ".join(dict.fromkeys(formats))
    if explicit:
        fmt = _PAGE_ALIASES.get(explicit.lower())
        if fmt not in formats:
            raise RequestError(406, f"no format {explicit!r} here", f"use one of {names}")
        return cast(str, fmt)
    ranges = accept_ranges(accept)
    zero = {media for q, media in ranges if q <= 0}
    main = {fmt: media for media, fmt in reversed(offered)}  # the media type a format is sent as
    refused = {fmt for fmt, media in main.items() if media in zero}
    for q, media in ranges:
        if q <= 0:
            continue
        for known, fmt in offered:
            if known in zero or fmt in refused:
                continue
            if media in ("*/*", known) or (media.endswith("/*") and known.startswith(media[:-1])):
                return fmt
    offer = ", ".join(m for m, _ in offered)
    raise RequestError(406, f"cannot answer in {accept!r}", f"accept one of {offer} (or give format={names})")
