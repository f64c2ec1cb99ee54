"""The HTML pages of ``plankg serve``: the index, an entity's page, search results, YASGUI,
and an error page for a browser.

Pages are strings built from plain data (a ``kg.query.describe.Description``, search
hits, a list of plans) the server already holds: nothing here reads the store, so a page
costs no more than the bounded worker job that gathered its data. Every text that comes
from a plan passes through ``escape`` (or, inside a ``<script>``, ``script_json``), so no
title, text or evidence can open a tag. Pages work offline: no font, script or style is
fetched from anywhere but this server. The fonts asked for are CJK ones a machine has.

Entities' IRIs (``https://w3id.org/plankg/id/<plan>/…``, and the SDGs, concepts and
national indicators under ``https://w3id.org/plankg/``) are served here at the same path,
``/id/<plan>/…``: ``local_path`` and ``iri_of_path`` map one to the other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, unquote, urlencode

from kg.kinds import KINDS
from kg.query.describe import PK, Description, Link, Node, Statement, plan_of
from kg.rdf.vocab import GRAPH_BASE, ID_BASE, PAGE_BASES, PREFIXES, SITE

_COLOURS = {PK + k.pk: k.style.colour for k in KINDS if k.style}
_DRAWN = {PK + k.pk for k in KINDS if k.style}  # the classes the graph browser draws as nodes
_CLASS_OF_KIND = {k.name: PK + k.pk for k in KINDS}
FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif'
CSS = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; font: 15px/1.65 {FONTS}; color: #1f2937; background: #f8fafc; }}
a {{ color: #1d4ed8; text-decoration: none; }} a:hover {{ text-decoration: underline; }}
header.bar {{ display: flex; flex-wrap: wrap; gap: .4em 1.2em; align-items: center; padding: 8px 20px;
  background: #1f2937; color: #e5e7eb; }}
header.bar a {{ color: #fff; }} header.bar b {{ font-size: 1.1em; }}
form.search {{ display: flex; gap: .4em; align-items: center; margin-left: auto; }}
form.search input[type=search] {{ width: 20em; padding: 3px 8px; font: inherit; border-radius: 4px;
  border: 1px solid #9ca3af; }}
form.search select, form.search button {{ font: inherit; padding: 2px 6px; }}
form.search label {{ font-size: .9em; }}
main {{ max-width: 64em; margin: 1.2em auto 3em; padding: 0 20px; }}
h1 {{ font-size: 1.6em; margin: .2em 0 .3em; line-height: 1.35; }}
h2 {{ font-size: 1.15em; margin: 1.6em 0 .4em; border-bottom: 1px solid #e5e7eb; padding-bottom: .2em; }}
h2 small, th small {{ color: #6b7280; font-weight: normal; }}
.crumbs {{ font-size: .9em; color: #6b7280; }} .crumbs a {{ color: #374151; }}
.kind {{ display: inline-block; padding: 0 .55em; border-radius: 3px; font-size: .85em; color: #fff;
  background: #6b7280; vertical-align: middle; }}
.muted {{ color: #6b7280; }} .small {{ font-size: .88em; }} .pg {{ white-space: nowrap; }}
.text {{ font-size: 1.05em; background: #fff; padding: .7em 1em; border-radius: 4px; border: 1px solid #e5e7eb; }}
.cite {{ background: #eff6ff; border-left: 4px solid #2563eb; padding: .6em 1em; border-radius: 0 4px 4px 0; }}
.cite button {{ font: inherit; font-size: .85em; margin-left: .6em; }}
.actions a {{ display: inline-block; margin: .2em .9em .2em 0; }}
table {{ border-collapse: collapse; width: 100%; background: #fff; }}
th, td {{ border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f1f5f9; font-weight: 600; white-space: nowrap; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; padding-right: 1em; }}
td.evidence {{ font-size: .88em; color: #374151; }}
ul.nodes {{ padding-left: 1.2em; }} ul.nodes li {{ margin: .15em 0; }}
pre.source {{ white-space: pre-wrap; background: #fff; border: 1px solid #e5e7eb; padding: .6em 1em;
  font: inherit; font-size: .9em; }}
code {{ font-size: .85em; word-break: break-all; }}
mark {{ background: #fde68a; padding: 0 1px; }}
ol.hits li {{ margin: .2em 0 .8em; }} .snippet {{ color: #374151; }}
.error {{ background: #fef2f2; border-left: 4px solid #dc2626; padding: .6em 1em; }}
"""


def script_json(value) -> str:
    """JSON to put inside a ``<script>``: no ``<`` of it can close the tag."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def local_path(iri: str) -> str | None:
    """The path this server answers an IRI at (``/id/<plan>/…``), or None if it has no page."""
    if not iri.startswith(PAGE_BASES):
        return None
    return quote(iri[len(SITE) :], safe="/-._~!$&'()*+,;=:@")


def iri_of_path(path: str) -> str | None:
    """The IRI a request path names, or None when it is not an entity's path."""
    if not path.startswith(tuple(b[len(SITE) :] for b in PAGE_BASES)):
        return None
    try:
        iri = SITE + unquote(path, errors="strict")
    except UnicodeError:
        return None
    if len(iri) > 1000:
        return None
    if re.search(r"[\x00-\x20<>\"{}|\\^`]", iri):  # not an IRI (RFC 3987 leaves these out)
        return None
    return iri


def query_url(iri: str, title: str) -> str:
    """The query page with a tab that asks what the graph says about ``iri``."""
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("pk", "rdfs", "dcterms", "skos", "prov", "sdg"))
    text = (
        f"{prefixes}# {title.replace(chr(10), ' ')[:80]}: its statements (→) and those that point at it (←)\n"
        "SELECT ?direction ?property ?value ?label WHERE {\n"
        f'  {{ <{iri}> ?property ?value . BIND("→" AS ?direction) }}\n'
        "  UNION\n"
        f'  {{ ?value ?property <{iri}> . BIND("←" AS ?direction) }}\n'
        '  OPTIONAL { ?value rdfs:label ?label FILTER (lang(?label) IN ("zh", "")) }\n'
        "}\nORDER BY ?direction ?property\nLIMIT 500\n"
    )
    return "/query?" + urlencode({"query": text, "tabTitle": title[:40]})


def curie(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


# --- the frame every page shares ---------------------------------------------------------


@dataclass(frozen=True)
class Search:
    """What the search box shows: the terms, and the plan it is about (if any)."""

    q: str = ""
    plan: str | None = None
    kind: str | None = None


def search_box(kinds: tuple[str, ...], current: Search = Search()) -> str:
    options = "".join(
        f'<option value="{escape(k)}"{" selected" if k == current.kind else ""}>{escape(_kind_name(k))}</option>'
        for k in kinds
    )
    plan = ""
    if current.plan:
        checked = " checked" if current.q else ""  # on a page of results: as searched
        plan = (
            f'<label><input type="checkbox" name="plan" value="{escape(current.plan)}"{checked}> '
            f"只搜本规划 this plan only</label>"
        )
    return (
        '<form class="search" action="/search" method="get" role="search">'
        f'<input type="search" name="q" value="{escape(current.q)}" placeholder="搜索 search: 生态, 低空经济 …" '
        'maxlength="200" required aria-label="search">'
        f'<select name="kind" aria-label="kind"><option value="">所有类别 any kind</option>{options}</select>'
        f"{plan}<button>搜索</button></form>"
    )


def frame(title: str, body: str, kinds: tuple[str, ...], current: Search = Search(), script: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · plankg</title><style>{CSS}</style></head><body>"
        '<header class="bar"><b><a href="/">plankg</a></b><a href="/">规划 plans</a>'
        '<a href="/query">查询 SPARQL</a>'
        f"{search_box(kinds, current)}</header><main>{body}</main>{script}</body></html>"
    )


def _kind_name(kind: str) -> str:
    for k in KINDS:
        if k.name == kind and k.style:
            return f"{k.style.zh} {k.style.en}"
    return kind


def _badge(cls: str | None, label: str | None) -> str:
    if not label and not cls:
        return ""
    colour = _COLOURS.get(cls or "", "#6b7280")
    dark = colour.lower() in ("#fcd34d", "#86efac", "#93c5fd", "#9ca3af")  # light fills take dark text
    style = f"background:{colour}" + (";color:#1f2937" if dark else "")
    return f'<span class="kind" style="{style}">{escape(label or curie(cls or ""))}</span>'


def _node_link(n: Node, show_kind: bool = True, show_page: bool = True, here: str | None = None) -> str:
    """A link to a node's page, with its kind and page; ``here``: the plan of the page, so a
    node of another plan says which."""
    label = n.label or curie(n.iri)
    if n.marker and n.marker not in label:
        label = f"{n.marker} {label}"
    path = local_path(n.iri)
    name = f'<a href="{escape(path)}">{escape(label)}</a>' if path else escape(label)
    kind = f"{_badge(n.cls, n.cls_label)} " if show_kind and (n.cls_label or n.cls) else ""
    page = f' <span class="muted small pg">第{n.page}页</span>' if show_page and n.page is not None else ""
    other = plan_of(n.iri)
    plan = f' <span class="muted small pg">{escape(other)}</span>' if here and other and other != here else ""
    return kind + name + page + plan


# --- the index -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    id: str
    title: str | None
    page: str | None  # the graph page's file name, if built
    report: str | None  # the alignment report's file name, if built


def index_page(plans: list[PlanRow], others: list[tuple[str, str]], kinds: tuple[str, ...], note: str = "") -> str:
    rows = []
    for p in plans:
        links = [f'<a href="{escape(local_path(ID_BASE + p.id) or "")}">条目 entity page</a>']
        if p.page:
            links.append(f'<a href="/plans/{escape(p.page)}">图 graph page</a>')
        if p.report:
            links.append(f'<a href="/plans/{escape(p.report)}">对齐报告 alignment report</a>')
        title = escape(p.title) if p.title else escape(p.id)
        rows.append(f"<li><b>{title}</b> <code>{escape(p.id)}</code><br>{' · '.join(links)}</li>")
    other = "".join(f'<li><a href="/plans/{escape(f)}">{escape(label)}</a></li>' for f, label in others)
    body = (
        "<h1>plankg</h1>"
        '<p>SPARQL endpoint <code>/sparql</code> · <a href="/query">query page</a> (YASGUI) · '
        "search API <code>/search?q=…</code> · every entity has a page at its IRI's path, "
        "<code>/id/&lt;plan&gt;/…</code></p>"
        f"{f'<p class=muted>{escape(note)}</p>' if note else ''}"
        f'<h2>规划 <small>Plans</small></h2><ul class="nodes">{"".join(rows) or "<li>(no plans built)</li>"}</ul>'
        + (f'<h2>报告与页面 <small>Reports and pages</small></h2><ul class="nodes">{other}</ul>' if other else "")
    )
    return frame("plankg", body, kinds)


# --- an entity ------------------------------------------------------------------------------


def entity_page(d: Description, kinds: tuple[str, ...], graph_page: str | None) -> str:
    n = d.node
    title = n.label or curie(d.iri)
    crumbs = " › ".join(_node_link(a, show_kind=False, show_page=False) for a in d.ancestors)
    number = ""
    if n.marker:
        number = f' <span class="muted">{escape(n.marker)}</span>'
    elif n.number is not None:
        number = f' <span class="muted">{n.number}</span>'
    out = [
        f'<div class="crumbs">{crumbs}</div>' if crumbs else "",
        f"<h1>{_badge(n.cls, n.cls_label)}{number} {escape(title)}</h1>",
    ]
    if d.plan is not None and (n.line is not None or n.cls == PK + "Plan"):  # a node of the text
        out.append(_citation(d))
    if d.text:
        out.append(f'<div class="text">{escape(d.text)}</div>')
    actions = []
    if graph_page:
        centred = n.cls in _DRAWN and n.cls != PK + "Plan"
        name = "在图中查看 centred in the graph page" if centred else "图 graph page"
        actions.append(f'<a href="{escape(graph_page)}">{name}</a>')
    actions.append(f'<a href="{escape(query_url(d.iri, title))}">查询 query about it</a>')
    path = local_path(d.iri) or ""
    actions.append(f'<a href="{escape(path)}?format=ttl">Turtle</a>')
    actions.append(f'<a href="{escape(path)}?format=jsonld">JSON-LD</a>')
    out.append(f'<p class="actions">{"".join(actions)}</p>')
    if d.container is not None:
        out.append(f"<h2>所属 <small>part of</small></h2><p>{_node_link(d.container)}</p>")
    here = d.plan_id
    if d.children:
        items = "".join(f"<li>{_node_link(c)}</li>" for c in d.children)
        out.append(
            f"<h2>下级 <small>contains · {d.children_total}</small></h2><ul class='nodes'>{items}</ul>"
            + _more(len(d.children), d.children_total)
        )
    if d.links_from:
        heading = "对齐 <small>links from it, best first · a score is the probability the link is right</small>"
        out.append(_links(heading, d.links_from, d.links_from_total, "target", here))
    if d.links_to:
        heading = "被对齐 <small>links to it, best first</small>"
        out.append(_links(heading, d.links_to, d.links_to_total, "source", here))
    if d.references:
        rows = "".join(f"<tr><td>{_node_link(s, here=here)}</td><td>{_prop(p)}</td></tr>" for p, s in d.references)
        out.append(
            f"<h2>被提及 <small>pointed at by · {d.references_total}</small></h2>"
            f"<table><tr><th>node</th><th>property</th></tr>{rows}</table>"
            + _more(len(d.references), d.references_total)
        )
    rows = "".join(f"<tr><td>{_prop(s)}</td><td>{_value(s, here)}</td></tr>" for s in d.statements)
    out.append(
        f"<h2>全部陈述 <small>every statement · {d.statements_total}</small></h2>"
        f"<table><tr><th>property</th><th>value</th></tr>{rows}</table>" + _more(len(d.statements), d.statements_total)
    )
    out.append(f'<p class="muted small">IRI <code>{escape(d.iri)}</code></p>')
    current = Search(plan=d.plan_id)
    return frame(title, "".join(out), kinds, current, _COPY_SCRIPT)


_COPY_SCRIPT = """<script>
for (const b of document.querySelectorAll("button[data-copy]")) b.onclick = () => {
  const text = document.getElementById(b.dataset.copy).textContent;
  const select = () => getSelection().selectAllChildren(document.getElementById(b.dataset.copy));
  (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject()).then(
    () => { b.textContent = "已复制 copied"; }, select);
};
</script>"""


def _citation(d: Description) -> str:
    n = d.node
    where = []
    if n.page is not None and n.line is not None:  # the citation names the page; here the lines too
        lines = n.line if d.line_end in (None, n.line) else f"{n.line}–{d.line_end}"
        where.append(f"原文第{lines}行" + (f"（{escape(d.source_file)}）" if d.source_file else ""))
    button = '<button type="button" data-copy="citation">复制 copy</button>' if n.cls != PK + "Plan" else ""
    source = ""
    if d.source_text:
        source = (
            "<details><summary>原文 <small>as printed</small></summary>"
            f'<pre class="source">{escape(d.source_text)}</pre></details>'
        )
    return (
        f'<div class="cite"><b>引用 cite</b> <span id="citation">{escape(d.citation())}</span>{button}'
        + (f'<div class="small muted">{" · ".join(where)}</div>' if where else "")
        + f"{source}</div>"
    )


def _links(heading: str, links: list[Link], total: int, end: str, here: str | None) -> str:
    rows = []
    for k in links:
        direct = f'<span title="{escape(curie(k.direct))}">✓</span>' if k.direct else ""
        score = f"{k.score:.2f}" if k.score is not None else ""
        reasons, _, sentence = k.evidence.partition(" | ")
        said = f'<br><span class="muted">“{escape(sentence)}”</span>' if sentence else ""
        rows.append(
            f"<tr><td>{_node_link(k.other, here=here)}</td><td class='num'>{score}</td>"
            f"<td class='num'>{k.rank if k.rank is not None else ''}</td><td class='num'>{direct}</td>"
            f"<td class='evidence'>{escape(reasons)}{said} "
            f"<a class='muted' href='{escape(local_path(k.node) or '')}' title='the link itself'>↗</a></td></tr>"
        )
    return (
        f"<h2>{heading} · {total}</h2><table><tr><th>{end}</th><th>score</th><th>rank</th>"
        "<th title=\"above its kind's threshold: a direct pk:supports, pk:affectsIndicator, pk:contributesToSDG "
        'or pk:implements triple">direct</th><th>evidence <small>(each reason with its weight)</small></th></tr>'
        f"{''.join(rows)}</table>" + _more(len(links), total)
    )


def _more(shown: int, total: int) -> str:
    if total <= shown:
        return ""
    return f'<p class="muted small">{shown} of {total} shown; the query page has them all.</p>'


def _prop(s: Statement) -> str:
    name = escape(curie(s.prop))
    return f"{escape(s.prop_label)} <span class='muted small'>{name}</span>" if s.prop_label else name


def _value(s: Statement, here: str | None = None) -> str:
    if s.iri:
        if s.prop == PREFIXES["rdf"] + "type":  # a class: its name, no page
            label = f"{escape(s.node.label)} " if s.node is not None and s.node.label else ""
            return f"{label}<span class='muted small'>{escape(curie(s.value))}</span>"
        if s.node is not None and (s.node.label or local_path(s.value)):
            return _node_link(s.node, here=here)
        return f"<code>{escape(curie(s.value))}</code>"
    text = escape(s.value)
    if "\n" in s.value:
        text = f'<pre class="source">{text}</pre>'
    tag = ""
    if s.language:
        tag = f" <span class='muted small'>@{escape(s.language)}</span>"
    elif s.datatype and not s.datatype.endswith("#string"):
        tag = f" <span class='muted small'>{escape(curie(s.datatype))}</span>"
    return text + tag


# --- search results ---------------------------------------------------------------------------


def highlight(snippet: str, terms: list[str]) -> str:
    """The snippet escaped, each term its index marked 【term】 in a ``<mark>``."""
    text = escape(snippet)
    for t in sorted(set(terms), key=len, reverse=True):
        text = text.replace(f"【{escape(t)}】", f"<mark>{escape(t)}</mark>")
    return text


def search_page(
    current: Search, terms: list[str], hits: list[dict], more: bool, kinds: tuple[str, ...], limit: int, max_limit: int
) -> str:
    scope = f" in <code>{escape(current.plan)}</code>" if current.plan else ""
    items = []
    for h in hits:
        where = [escape(h["plan"])]
        if h.get("page") is not None:
            where.append(f"第{h['page']}页")
        elif h.get("line") is not None:
            where.append(f"原文第{h['line']}行")
        title = highlight("".join(f"【{t}】" if t in terms else t for t in _split(h["title"], terms)), terms)
        items.append(
            f'<li><a href="{escape(h["url"] or "")}">{title}</a> '
            f"{_badge(_CLASS_OF_KIND.get(h['kind']), _kind_name(h['kind']))} "
            f'<span class="muted small">{" · ".join(where)}</span>'
            f'<div class="snippet">{highlight(h["snippet"], terms)}</div></li>'
        )
    count = f"{len(hits)}{'+' if more else ''} hit{'s' if len(hits) != 1 else ''}"
    if more and limit < max_limit:
        count += f' (<a href="/search?{escape(_query_string(current, "html", max_limit))}">show {max_limit}</a>)'
    body = (
        f"<h1>搜索 <small class='muted'>{escape(' '.join(terms))}</small></h1>"
        f"<p class='muted'>{count}{scope} · every term in the title or text · "
        f'JSON: <a href="/search?{escape(_query_string(current, "json"))}">this search as JSON</a></p>'
        f'<ol class="hits">{"".join(items)}</ol>'
        + ("" if hits else "<p>Nothing found. Fewer or shorter terms find more.</p>")
    )
    return frame(f"搜索 {current.q}", body, kinds, current)


def _split(text: str, terms: list[str]) -> list[str]:
    """``text`` cut around every occurrence of the terms (longest first)."""
    if not terms:
        return [text]
    pattern = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return [piece for piece in re.split(f"({pattern})", text) if piece]


def _query_string(current: Search, fmt: str, limit: int | None = None) -> str:
    args = {"q": current.q, "format": fmt}
    if limit is not None:
        args["limit"] = str(limit)
    if current.plan:
        args["plan"] = current.plan
    if current.kind:
        args["kind"] = current.kind
    return urlencode(args)


def error_page(status: int, message: str, hint: str, kinds: tuple[str, ...]) -> str:
    body = (
        f"<h1>{status}</h1><div class='error'><p>{escape(message)}</p>"
        f"{f'<p class=muted>{escape(hint)}</p>' if hint else ''}</div>"
    )
    return frame(str(status), body, kinds)


# --- the query page ---------------------------------------------------------------------------

# The tab a first visit opens on (and every new tab): a plankg question, with its prefixes.
DEFAULT_QUERY = f"""PREFIX pk: <{PREFIXES["pk"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX dcterms: <{PREFIXES["dcterms"]}>
# 专栏 projects with the page to cite. The other tabs hold the canned queries.
SELECT ?plan ?project ?title ?page WHERE {{
  ?project a pk:Project ; rdfs:label ?title ; pk:inPlan ?p .
  ?p dcterms:identifier ?plan .
  OPTIONAL {{ ?project pk:page ?page }}
}}
LIMIT 20
"""


def yasgui_page(tabs: list[dict], shared: list[str]) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>plankg SPARQL</title>
<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">
<style>body {{ margin: 0; font-family: {FONTS}; }}
header {{ padding: 6px 12px; border-bottom: 1px solid #ddd; }}</style></head>
<body><header><b>plankg</b> · SPARQL endpoint <code>/sparql</code> · <a href="/">plans</a> ·
<label>ask about <select id="plan"><option value="">every plan</option></select></label></header>
<div id="yasgui"></div>
<script src="/static/yasgui/yasgui.min.js"></script>
<script>
// Offline: no prefix lookup on prefix.cc; every tab queries this server.
Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(a => a !== "prefixes");
const defaultQuery = {script_json(DEFAULT_QUERY)};
Yasgui.Yasqe.defaults.value = defaultQuery;
const endpoint = location.origin + "/sparql";
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint, method: "POST" }},
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: {{ getData: () => [{{ endpoint }}] }},
  persistencyExpire: 0,
  yasqe: {{ value: defaultQuery }},
}});
const canned = {script_json(tabs)};
// First visit: one tab per canned query (later visits keep the user's own tabs).
if (Object.keys(yasgui._tabs || {{}}).length <= 1) {{
  // Tables in simple view: values without their datatype IRIs.
  const simple = {{ settings: {{ pluginsConfig: {{ table: {{ compact: true }} }} }} }};
  for (const q of canned) yasgui.addTab(false, {{ ...Yasgui.Tab.getDefaults(), name: q.name,
                                                   yasqe: {{ value: q.query }},
                                                   requestConfig: {{ endpoint, method: "POST" }}, yasr: simple }});
}}
// The plan picker: a question about one plan reads that plan's graph alone (default-graph-uri),
// so every tab answers for it, and fast, however many plans the store holds.
const picker = document.getElementById("plan");
const shared = {script_json(shared)};
const graphsFor = id => id ? [{script_json(GRAPH_BASE)} + id, ...shared] : [];
const plansQuery = "PREFIX pk: <https://w3id.org/plankg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> " +
  "SELECT ?id WHERE {{ ?p a pk:Plan ; dcterms:identifier ?id }} ORDER BY ?id";
fetch(endpoint, {{ method: "POST", body: new URLSearchParams({{ query: plansQuery }}),
                  headers: {{ Accept: "application/sparql-results+json" }} }})
  .then(r => r.json())
  .then(j => {{ for (const b of j.results.bindings) picker.add(new Option(b.id.value, b.id.value)); }});
// As request arguments: @zazuko/yasgui 4.6.2 sends its defaultGraphs setting as the named graphs.
const applyPlan = tab => tab.setRequestConfig({{
  args: graphsFor(picker.value).map(g => ({{ name: "default-graph-uri", value: g }})) }});
picker.onchange = () => {{ for (const id of Object.keys(yasgui._tabs)) applyPlan(yasgui.getTab(id)); }};
yasgui.on("tabAdd", (_, id) => setTimeout(() => applyPlan(yasgui.getTab(id))));
// An entity's IRI in the results opens its page on this server, not the w3id address.
const site = {script_json(SITE)}, paged = {script_json(list(PAGE_BASES))};
document.addEventListener("click", e => {{
  const a = e.target.closest && e.target.closest("a[href]");
  if (!a || !paged.some(b => a.href.startsWith(b))) return;
  e.preventDefault();
  window.open(a.href.slice(site.length), a.target || "_self");
}}, true);
window.plankgYasgui = yasgui;
</script></body></html>"""
