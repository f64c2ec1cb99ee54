"""Build synthetic plan dumps in code, shaped like a PDF-to-text dump of the genre.

Paragraphs are hard-wrapped at a fixed number of characters (the first line two short,
as an indented first line is), boxes wrap wider, every line is followed by a blank
line, and pages break every few lines with a footer marker or a leading space.
"""

from __future__ import annotations


def wrap(text: str, width: int = 29, indent: int = 2) -> list[str]:
    lines, line, room = [], "", width - indent
    for ch in text:
        if len(line) >= room:
            lines.append(line)
            line, room = "", width
        line += ch
    if line:
        lines.append(line)
    return lines


def para(text: str) -> list[str]:
    return wrap(text)


def box(label: str, title: str, items: list[tuple[str, str, str]], width: int = 35) -> list[str]:
    out = [f"专栏 {label} {title}" if label else f"专栏{title}"]
    for marker, item_title, desc in items:
        out.append(f"{marker}{item_title}")
        out += wrap(desc, width, indent=0)
    return out


def render(lines: list[str], page_every: int = 12, style: str = "mixed", first_page: int = 1) -> str:
    """Join content lines into a dump with page breaks.

    style 'footer': '－ N －' after each page; 'space': next page's first line begins with
    a space; 'mixed': alternate (as the bundled plan does).
    """
    out: list[str] = []
    page = first_page
    for k, line in enumerate(lines):
        if k and k % page_every == 0:
            use_footer = style == "footer" or (style == "mixed" and (page // 1) % 2 == 0)
            if use_footer:
                out += ["", f"－ {page} －", ""]
            else:
                line = " " + line
            page += 1
        out.append(line)
    return "\n\n".join(out) + "\n"


POSITIONING_CHAPTER = [
    "第三章 战略定位",
    *para("立足区位和资源禀赋，明确全市在区域发展中的角色定位。"),
    *para("——北方生态屏障示范区。统筹山水林田湖草沙系统治理，筑牢北方生态安全屏障，建设生态文明示范区。"),
    *para("——现代农业高地。"),  # a title alone on its line; the explanation follows
    *para("发挥灌区农业优势，推进农业现代化，打造绿色农畜产品生产加工输出基地。"),
]

GOALS_CHAPTER = [
    "第四章 主要目标",
    *para("2035 年远景目标。展望2035年，全市基本实现社会主义现代化，经济实力大幅跃升。"),
    *para("——经济发展取得新成效。经济结构持续优化，地区生产总值年均增长6%左右。"),
    *para("——生态文明实现新进步。森林覆盖率达到25%，生态环境持续改善。"),
]


# A web page copied as text: navigation before and after, one paragraph (or table cell) a
# line, indented paragraphs, blank lines between.
NAV_HEAD = [
    "青河市人民政府门户网站",
    "首页",
    "政务公开",
    "当前位置：首页 > 政务公开 > 规划计划",
    "发布日期：2026-03-02",
    "来源：青河市发展和改革委员会",
    "字号：",
    "大",
    "中",
    "小",
    "分享到：",
]
NAV_TAIL = [
    "【打印本页】",
    "【关闭窗口】",
    "主办单位：青河市人民政府办公室",
    "网站标识码：1234567890",
    "版权所有 © 青河市人民政府",
    "青ICP备12345678号",
]


def web(lines: list[str], head: list[str] | None = None, tail: list[str] | None = None) -> str:
    """Lines as a web page prints them: a paragraph (a line ending in 。) indented."""
    out = list(NAV_HEAD if head is None else head)
    for line in lines:
        out.append(("\u3000\u3000" + line) if line.endswith("。") else line)
    out += NAV_TAIL if tail is None else tail
    return "\n\n".join(out) + "\n"
