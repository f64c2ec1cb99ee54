"""Stage 2b: where an indicator table is, and which of its lines are header, body, notes.

A table is found by its header: cells such as 类别 序号 指标 单位 2025年 目标值 属性,
printed on one line, over several lines, or one cell a line as a web page prints them. It
runs until a heading, a box, a figure caption, or running text; notes (注：…) close it.
"""

from __future__ import annotations

import re

from kg.read import patterns as P
from kg.read.blocks import Table
from kg.read.cleaning import Line
from kg.read.textutil import join_wrapped, width

# Header cells by the column they head.
HEAD_WORDS = (
    ("category", r"类别|领域|分类|类型"),
    ("number", r"序号|编号"),
    ("name", r"(?:主要)?指标(?:名称)?|名称"),
    ("unit", r"(?:计量)?单位"),
    ("nature", r"(?:指标)?属性|性质"),
    ("note", r"备注"),
    (
        "annual",
        r"年均(?:增速|增长)?\s*(?:[/／]\s*累计|[［\[【(（]\s*累计\s*[］\]】)）]|[/／])?|[/／]?[［\[【]?累计[］\]】]?|增速|年均/累计",
    ),
)
QUALIFIER = r"(?:“[^”]{1,8}”)?(?:规划|实际)?(?:目标值?|基期值?|完成值?|预计值?|现状值?|实际值?|预期值?|完成情况|完成)"
_HEAD_TOKEN = re.compile(
    rf"^(?:{'|'.join(w for _, w in HEAD_WORDS)}|(?:19|20)\d{{2}}\s*年\s*(?:{QUALIFIER})?|{QUALIFIER})$"
)
_NAME = re.compile(r"^(?:主要)?指标(?:名称)?$")
_YEAR = re.compile(r"(19|20)\d{2}\s*年")
# A header names the indicator and at least this many other columns.
MIN_OTHER_COLUMNS = 2
MAX_HEADER_LINES = 12


def header_cells(text: str) -> list[str]:
    """A header line's cells, with the spaces a PDF dump puts inside a cell closed up:
    '序号 指 标 2030 年目标 属性' -> 序号, 指标, 2030年目标, 属性."""
    t = re.sub(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]) ([\u4e00-\u9fff])(?![\u4e00-\u9fff])", r"\1\2", text.strip())
    t = re.sub(r"((?:19|20)\d{2}) +年", r"\1年", t)
    return t.split()


def header_token(token: str) -> bool:
    return bool(_HEAD_TOKEN.match(token.replace(" ", "")))


def header_line(text: str) -> bool:
    tokens = header_cells(text)
    return bool(tokens) and all(header_token(t) for t in tokens)


def is_table_header(text: str) -> bool:
    """A one-line table header ('类别 指标 单位 2020年 …')."""
    t = text.replace(" ", "")
    return ("指标" in t and (bool(_YEAR.search(t)) or "类别" in t or "单位" in t)) and not P.ends_sentence(text)


def table_header_end(lines: list[Line], i: int) -> int | None:
    """If a table header starts at line ``i``, the index of the line after it."""
    first = lines[i].text
    if not (is_table_header(first) or header_token(header_cells(first)[0])):
        return None
    if _NAME.match(first.replace(" ", "")) and i + 1 < len(lines) and table_header_end(lines, i + 1):
        return None  # '主要指标' above a whole header is the table's title
    j, tokens = i, []
    while (
        j < len(lines)
        and j - i < MAX_HEADER_LINES
        and (header_line(lines[j].text) or (j == i and is_table_header(first)))
    ):
        tokens += header_cells(lines[j].text)
        j += 1
    names = sum(1 for t in tokens if _NAME.match(t.replace(" ", "")))
    others = len({_role(t) for t in tokens} - {None, "name"})
    if names and others >= MIN_OTHER_COLUMNS:
        return j
    return None


def _role(token: str) -> str | None:
    t = token.replace(" ", "")
    if _YEAR.match(t):
        return "year"
    for role, words in HEAD_WORDS:
        if re.fullmatch(words, t):
            return role
    return None


def table_title(text: str) -> bool:
    return "指标" in text and not P.ends_sentence(text) and width(text) <= 60 and "，" not in text


def read_table(
    lines: list[Line],
    i: int,
    header_end: int,
    title_lines: list[Line],
    wrapped: bool,
    body_width: int,
    box_label: str = "",
    title: str = "",
) -> tuple[Table, int]:
    """The table whose header is lines[i:header_end]; returns it and the index after it."""
    table = Table(
        "table",
        [*title_lines, *lines[i:header_end]],
        title_lines=title_lines,
        box_label=box_label,
        header=lines[i:header_end],
    )
    table.title = title or join_wrapped([x.text for x in title_lines if not P.box(x.text)])
    j, n = header_end, len(lines)
    in_notes = False
    while j < n:
        ln = lines[j]
        t = ln.text
        if P.is_structural(t) or P.CAPTION.match(t) or (_heading_line(t) and not CATEGORY_COUNT.search(t)):
            break  # ('一、经济强（12 项）' is a category of the table)
        if in_notes:
            if not (ln.joined or re.match(r"^\d{1,2}\s*[.．、]", t) or not P.ends_sentence(table.notes[-1].text)):
                break
            table.notes.append(ln)
        elif P.NOTE.match(t):
            in_notes = True
            table.notes.append(ln)
        elif _looks_like_prose(t, body_width if wrapped else 60):
            break
        else:
            table.body.append(ln)
        table.lines.append(ln)
        j += 1
    return table, j


# A category of an indicator table: its count ('（12 项）') and its marker ('一、').
CATEGORY_COUNT = re.compile(r"[（(]\s*\d+\s*项\s*[）)]")
CATEGORY_MARK = re.compile(r"^[一二三四五六七八九十]{1,2}、")


def _heading_line(text: str) -> bool:
    m = P.marked(text)
    return m is not None and m[0] in ("cn", "paren") and P.heading_title(m[3]) is not None


def _looks_like_prose(text: str, body_width: int) -> bool:
    return width(text) >= body_width * 0.8 and ("，" in text or "。" in text)


# --- a 专栏 printed as a table of projects --------------------------------------

PROJECT_WORDS = re.compile(
    r"^(序号|编号|(?:项目|工程)?名称|项目|工程|重大工程|重点项目|建设内容|主要内容|建设规模|建设内容及规模|"
    r"建设地点|地点|类型|类别|领域|总投资(?:[（(][^）)]*[）)])?|投资(?:额)?|建设年限|建设期限|起止年限|"
    r"实施主体|责任单位|牵头单位|实施单位|备注)$"
)
_PROJECT_NAME = re.compile(r"^((?:项目|工程)?名称|项目|工程|重大工程|重点项目)$")
_CONTENT = ("建设内容及规模", "建设内容", "主要内容", "建设规模")


_WIDE = re.compile(r"\s{2,}|\t")


def wide_cells(text: str) -> list[str]:
    """A line's cells where cells stand apart by two or more spaces or a tab."""
    return [c for c in _WIDE.split(text.strip()) if c]


def _short_cell(cell: str) -> bool:
    return len(cell) <= 10 and not re.search(r"[，,。；;：:、]", cell.replace("、县", ""))


def project_header(lines: list[Line], i: int, wrapped: bool) -> tuple[list[str], int] | None:
    """(column names, index after the header) if a project table's header starts at ``i``:
    a name column and at least one other, e.g. '序号 项目名称 建设内容 总投资'; or any short
    cells standing apart by wide spaces ('地区    指引内容') over rows printed the same way,
    the first column then naming the row."""
    cells = wide_cells(lines[i].text)
    if (
        len(cells) >= 2
        and all(_short_cell(c) for c in cells)
        and i + 1 < len(lines)
        and len(wide_cells(lines[i + 1].text)) >= 2
        and not all(_short_cell(c) for c in wide_cells(lines[i + 1].text))
        and not any(re.match(r"^\d{1,2}\s*[.．、]", c) for c in wide_cells(lines[i + 1].text))
    ):
        return cells, i + 1  # (rows of numbered items are items, read as such)
    if not wrapped:
        one_a_line = _cell_a_line_header(lines, i)
        if one_a_line:
            return one_a_line
    j, cols = i, []
    while j < len(lines) and j - i < MAX_HEADER_LINES:
        tokens = lines[j].text.split()
        if not tokens or not all(PROJECT_WORDS.match(t) for t in tokens):
            break
        cols += tokens
        j += 1
        if wrapped:
            break
    if len(cols) >= 2 and any(_PROJECT_NAME.match(c) for c in cols):
        return cols, j
    return None


def _cell_a_line_header(lines: list[Line], i: int) -> tuple[list[str], int] | None:
    """A web page's box table, one cell a line: k short header cells, then rows of k lines
    each opening with a short name ('区、县（市）' '发展导向' '特色平台' / '富阳区' '聚焦…' …).
    The widest k whose next two rows open with a short line wins."""
    run = 0
    while (
        i + run < len(lines)
        and run < 8
        and _short_cell(lines[i + run].text)
        and " " not in lines[i + run].text
        and not P.is_structural(lines[i + run].text)
    ):
        run += 1
    for k in range(run - 1, 1, -1):
        rows = [i + k, i + 2 * k]
        if all(r < len(lines) and _short_cell(lines[r].text) for r in rows) and not all(
            _short_cell(lines[i + k + c].text) for c in range(1, k) if i + k + c < len(lines)
        ):
            return [ln.text for ln in lines[i : i + k]], i + k
    return None


def project_rows(lines: list[Line], cols: list[str], wrapped: bool) -> list[tuple[list[Line], dict[str, str]]]:
    """Rows of a project table, each (its lines, {column: cell}). A row opens with its number
    when the table has one; without, each line is a row (a web page: as many lines as columns)."""
    numbered = cols[0] in ("序号", "编号")
    # Cells apart by wide spaces: each line holding two or more of them is a row.
    wide = sum(1 for ln in lines if len(wide_cells(ln.text)) >= 2) * 2 >= len(lines) > 0
    rows: list[list[Line]] = []
    expected = 1
    for ln in lines:
        m = re.match(r"^(\d{1,2})(?:\s*[、.．]|\s+|$)", ln.text)
        if wide and not numbered:
            if len(wide_cells(ln.text)) >= 2 or not rows:
                rows.append([ln])
            else:
                rows[-1].append(ln)
        elif numbered and m and int(m.group(1)) == expected:
            rows.append([ln])
            expected += 1
        elif numbered and rows:
            rows[-1].append(ln)
        elif not numbered and (wrapped or not rows or len(rows[-1]) >= len(cols)):
            rows.append([ln])
        elif rows:
            rows[-1].append(ln)
    return [(r, _cells(r, cols, wrapped, wide)) for r in rows]


def _cells(row: list[Line], cols: list[str], wrapped: bool, wide: bool = False) -> dict[str, str]:
    if wide:
        # A line's cells, a wrapped line continuing the last of them.
        frags = wide_cells(row[0].text)
        frags[-1:] = [join_wrapped([frags[-1], *(ln.text for ln in row[1:])])] if frags else []
    else:
        frags = [t for ln in row for t in (ln.text.split() if wrapped else [ln.text])]
    content = next((c for c in _CONTENT if c in cols), cols[-1])
    surplus = len(frags) - len(cols)
    out: dict[str, str] = {}
    k = 0
    for c in cols:
        take = 1 + (surplus if c == content and surplus > 0 else 0)
        out[c] = join_wrapped(frags[k : k + take])
        k += take
    return out
