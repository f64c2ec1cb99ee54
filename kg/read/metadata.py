"""Stage 4d: plan metadata read from the text (title, period, horizon), never assumed."""

from __future__ import annotations

import re

from kg.read.textutil import join_wrapped, parse_numeral
from kg.reference import regions

_TITLE_IN_QUOTES = re.compile(r"《([^《》]{6,80}?(?:纲要|规划))》")
_PLAN_NUMBER = re.compile(r"第([一二三四五六七八九十]+)个五年规划|“([一二三四五六七八九十]+)五”")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*[—–\-－~至到]+\s*((?:19|20)\d{2})\s*年")
_HORIZON = re.compile(r"((?:19|20)\d{2}|二〇[一二三四五六七八九〇零]{2})\s*年远景目标")
_CN_YEAR = str.maketrans("〇零一二三四五六七八九", "00123456789")


def plan_title(preface_text: str, head_lines: list[str]) -> str | None:
    """A title line before the first heading, else the plan's own name quoted in the preface."""
    for line in head_lines[:5]:
        t = join_wrapped([line])
        if re.search(r"(规划|纲要)$", t) and "。" not in t and len(t) <= 80:
            return t
    quoted = [join_wrapped([m]) for m in _TITLE_IN_QUOTES.findall(preface_text.replace("\n", ""))]
    own = [q for q in quoted if "国民经济" in q and "建议" not in q]
    return next(reversed(own or quoted), None)


def plan_number(text: str) -> int | None:
    m = _PLAN_NUMBER.search(text)
    if not m:
        return None
    return parse_numeral(m.group(1) or m.group(2))


def period(text: str, number: int | None, table_years: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    m = _PERIOD.search(text)
    if m and 3 <= int(m.group(2)) - int(m.group(1)) <= 5:
        return int(m.group(1)), int(m.group(2))
    base, target = table_years
    if base and target and target - base == 5:
        return base + 1, target
    if number and number >= 3:
        # From the third plan on, five-year plans follow each other without gaps.
        start = 1966 + 5 * (number - 3)
        return start, start + 4
    return None, None


def horizon(text: str) -> int | None:
    m = _HORIZON.search(text)
    if not m:
        return None
    y = m.group(1).translate(_CN_YEAR)
    return int("2" + y[1:]) if y.startswith("2") else int(y)


_ADOPTED = re.compile(
    r"[（(]?((?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?[^。；;（）()《》\n]{0,30}?"
    r"(?:人民代表大会|人大)[^。；;（）()\n]{0,24}?(?:审查)?(?:批准|通过))[）)]?"
)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\s*(?:19|20)\d{2}\s*〕\s*\d{1,4}\s*号")
_REGION = re.compile(r"^(.{2,20}?(?:省|自治区|市|地区|自治州|盟|县|自治县|旗|区))(?:国民经济|“十|十)")
_NATIONAL = re.compile(r"^中华人民共和国|^国家国民经济|^全国")


def adoption(lines: list[str]) -> str | None:
    """'2026年1月29日北京市第十六届人民代表大会第四次会议批准', as printed, if printed: from
    a line (or two adjacent lines) that says so, a dated statement first."""
    found = []
    for k, line in enumerate(lines):
        for text in (line, line + (lines[k + 1] if k + 1 < len(lines) else "")):
            m = _ADOPTED.search(text)
            if m and len(text) <= 80:
                found.append(join_wrapped([m.group(1)]))
                break
    dated = [f for f in found if re.match(r"(19|20)\d{2}年", f)]
    return next(iter(dated or found), None)


def document_number(head_text: str) -> str | None:
    m = _DOC_NUMBER.search(head_text)
    return re.sub(r"\s+", "", m.group(0)) if m else None


def level_and_region(title: str | None) -> tuple[str | None, str | None]:
    """('city', '广州市') from '广州市国民经济和社会发展…'; ('national', '中华人民共和国') for the
    national plan. A 直辖市 is a city here, as its plan calls itself one."""
    if not title:
        return None, None
    t = re.sub(r"\s+", "", title)
    if _NATIONAL.search(t):
        return "national", "中华人民共和国"
    m = _REGION.match(t)
    if not m:
        return None, None
    region = m.group(1)
    if region.endswith(("省", "自治区")):
        return "province", region
    if region.endswith(("市", "地区", "自治州", "盟")):
        return "city", region
    return "district", region


def title_from_lines(lines: list[str]) -> str | None:
    """The title block's lines joined: '广州市国民经济和社会发展' + '第十五个五年规划纲要'."""
    t = join_wrapped(lines)
    return t or None


def region_code(region: str | None) -> str | None:
    """The administrative division code of a region as a title prints it: its full name
    ('苏州市' → 320500), else its short name where only one division has it."""
    if not region:
        return None
    known = regions()
    exact = [r.code for r in known if r.name == region]
    if exact:
        return exact[0]
    short = [r.code for r in known if r.short == region or r.short == re.sub(r"(市|省|自治区|地区|盟)$", "", region)]
    return short[0] if len(short) == 1 else None
