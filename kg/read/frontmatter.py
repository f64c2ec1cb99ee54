"""Stage 1c: where the plan begins and ends inside the text a user brings.

A web page copied as text wraps the plan in navigation, dates, share links and font-size
widgets, and a notice (通知) may come first; a PDF dump may open with the title. The
plan begins at its title block — the last one before the first heading, since a web
page repeats the title in its navigation — and the metadata lines right after it
(adoption, a date); it ends before any navigation and copyright lines that follow it.
What is cut off is kept apart for the metadata stage (document number, adoption).
"""

from __future__ import annotations

import re

from kg.read import patterns as P
from kg.read.textutil import width

_TITLE_END = re.compile(r"(规划纲要|规划|纲要)(?:\s*[（(][^（）()]{1,16}[）)])?$")
_TITLE_WORDS = re.compile(r"国民经济|社会发展|五年规划|发展规划|规划纲要")
_PUNCT = re.compile(r"[。，,；;：:！？!?《》“”\"]")
# A line that continues a title wrapped from the line above.
_TITLE_TAIL = re.compile(r"^(第[一二三四五六七八九十]+个五年|和|纲要|规划|暨)")

_DATE = r"(?:\d{4}\s*[-年./]\s*)?\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?"
_NAV_LINE = re.compile(
    rf"^(?:{_DATE}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?|\d{{4}}\s*年\s*\d{{1,2}}\s*月|\d{{1,2}}:\d{{2}}"
    r"|[-—|·>＞/\s]+|(?:发布|发稿|更新|成文)(?:日期|时间)\s*[:：].*|来源\s*[:：].*|作者\s*[:：].*|(?:责任)?编辑\s*[:：].*"
    r"|字号\s*[:：]?.*|[大中小]|浏览次数.*|阅读(?:量|数)?\s*[:：]?\s*\d*|分享(?:到)?\s*[:：]?.*|打印(?:本页)?|【?打印】?|【?关闭】?"
    r"|关闭(?:窗口|本页)?|返回(?:顶部|首页)?|扫一扫.*|.*二维码.*|收藏|上一篇.*|下一篇.*|当前位置\s*[:：]?.*"
    r"|首页|网站地图|联系我们|无障碍|长者助手|登录|退出|登出|注册|搜索|English|简体|繁体|手机版|手机端|微信|微博|-->)$"
)
_COPYRIGHT = re.compile(
    r"版权所有|ICP\s*备|网站标识码|主办单位|承办单位|技术支持|Copyright|©|公网安备|网站识别码|主办\s*[:：]"
)
_ADOPTION = re.compile(r"(人民代表大会|人大).{0,24}(批准|通过)")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}〔\d{4}〕\d{1,4}号$")


def is_nav(text: str) -> bool:
    """Navigation, widgets, dates and copyright lines of a web page."""
    t = text.strip()
    if _COPYRIGHT.search(t):
        return True
    # Widgets are often bracketed: '【打印本页】', '[关闭窗口]'.
    return width(t) <= 40 and bool(_NAV_LINE.match(re.sub(r"^[【\[]\s*(.*?)\s*[】\]]$", r"\1", t)))


def title_line(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return (
        bool(_TITLE_END.search(t))
        and len(t) <= 60
        and not _PUNCT.search(t)
        and P.heading(text) is None
        and P.marked(text) is None
        and not t.startswith("专栏")
    )


def title_block(texts: list[str], end: int) -> tuple[int, int] | None:
    """(first, last+1) of the last title block before line ``end``: a line ending in 规划/纲要,
    joined with the short lines above it that it continues ('…和社会发展' / '第十五个五年规划纲要')."""
    for i in range(min(end, len(texts)) - 1, -1, -1):
        if not title_line(texts[i]):
            continue
        first = i
        block = re.sub(r"\s+", "", texts[i])
        while first > 0 and (_TITLE_TAIL.match(block) or not _TITLE_WORDS.search(block)) and i - first < 3:
            above = re.sub(r"\s+", "", texts[first - 1])
            if not above or len(above) > 30 or _PUNCT.search(above) or is_nav(above):
                break
            first -= 1
            block = above + block
        if _TITLE_WORDS.search(block) and not is_nav(block):
            return first, i + 1
    return None


def is_head_meta(text: str) -> bool:
    """A line printed between the title and the text: adoption, date, document number, period."""
    t = re.sub(r"\s+", "", text)
    return bool(
        (_ADOPTION.search(t) and len(t) <= 60 and not t.endswith("。"))
        or _DOC_NUMBER.match(t)
        or re.fullmatch(
            r"[（(]?(?:\d{4}\s*[—–\-－~至年]+\s*\d{4}年?|\d{4}年\d{1,2}月(?:\d{1,2}日)?|草案|征求意见稿)[）)]?", t
        )
        or is_nav(text)
    )


def plan_span(texts: list[str], first_heading: int) -> tuple[int, int, int, int]:
    """(title start, title end, body start, end) of the plan in ``texts``.

    The title block is looked for before ``first_heading``; lines after it that are
    metadata or navigation belong to the head (read for metadata, not content).
    """
    block = title_block(texts, first_heading)
    start = block[0] if block else 0
    body = block[1] if block else _after_navigation(texts, first_heading)
    # Adoption printed over two lines: '2026年1月29日北京市第十六届' / '人民代表大会第四次会议批准'.
    while body < len(texts) and body < first_heading:
        pair = texts[body] + (texts[body + 1] if body + 1 < len(texts) else "")
        if is_head_meta(texts[body]):
            body += 1
        elif body + 1 < first_heading and _ADOPTION.search(pair) and len(pair) <= 60:
            body += 2
        else:
            break
    end = len(texts)
    while end > body and is_nav(texts[end - 1]):
        end -= 1
    return start, (block[1] if block else 0), body, end


def _after_navigation(texts: list[str], first_heading: int) -> int:
    """Without a title, the index after a web page's navigation before the first heading:
    after its last navigation line, if navigation makes up a good part of the lines there
    (the site's name and menu items between are navigation too)."""
    navs = [i for i in range(min(first_heading, len(texts))) if is_nav(texts[i])]
    if len(navs) >= 3 and len(navs) * 2 >= navs[-1] + 1:
        return navs[-1] + 1
    return 0
