"""Figures a text states as targets: '研发经费投入年均增长7%以上', '森林覆盖率达到25.8%'.

A figure counts when it carries a unit, a qualifier (左右, 以上, 以内 …) or follows a
verb of targeting (达到, 低于, 控制在 …); a year ('2030年') and a bare count in a name
('5G', '“15+8”') do not. The term is the phrase the figure is about, read back to the
last clause break. For a plan whose indicator table is missing (it was an image), these
are the only figures there are.
"""

from __future__ import annotations

import re

from kg.model import Target
from kg.units import KNOWN_UNITS

_UNITS = sorted((u for u in KNOWN_UNITS if u not in ("分", "级", "部", "次", "米")), key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS + ["万亿斤", "万亿元", "亿吨标准煤", "万标箱"])
_VERBS = (
    "提高到",
    "提升到",
    "提升至",
    "提高至",
    "增加到",
    "增长到",
    "增至",
    "达到",
    "达",
    "稳定在",
    "保持在",
    "控制在",
    "降低到",
    "降至",
    "下降到",
    "减少到",
    "缩小到",
    "缩小至",
    "突破",
    "超过",
    "超",
    "不低于",
    "不少于",
    "不超过",
    "低于",
    "高于",
    "增长",
    "降低",
    "下降",
    "提高",
    "减少",
    "力争",
    "争取",
    "年均",
)
_NUM = r"\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?P<verb>{'|'.join(sorted(_VERBS, key=len, reverse=True))})?\s*(?P<cmp>[>≥<≤＞＜])?\s*"
    rf"(?P<num>{_NUM})(?:\s*(?P<unit1>%|‰))?(?:\s*[-－—–~～至]\s*(?P<upper>{_NUM}))?\s*"
    rf"(?P<unit>{_UNIT_RE})?\s*(?P<q>左右|以上|以下|以内|上下)?"
)
_BREAK = re.compile(r"[，,。；;：:、“”（）()！？\s]")
_CMP: dict[str | None, str] = {
    "低于": "<",
    "不超过": "≤",
    "超过": ">",
    "超": ">",
    "高于": ">",
    "不低于": "≥",
    "不少于": "≥",
    "突破": ">",
    "以上": "≥",
    "以下": "≤",
    "以内": "≤",
    "＞": ">",
    "＜": "<",
}


def stated_targets(text: str) -> list[Target]:
    out: list[Target] = []
    last_end = 0  # where the last figure taken ends
    for m in _FIGURE.finditer(text):
        unit = m.group("unit1") or m.group("unit")
        verb, q = m.group("verb"), m.group("q")
        end = m.end()
        after = text[end : end + 1]
        if unit == "年" and re.fullmatch(r"(19|20)\d{2}", m.group("num")):
            continue  # a year
        if not (unit or q or (verb and verb not in ("年均", "增长", "提高", "降低", "下降", "减少"))):
            continue
        if re.match(r"[A-Za-z+]", after) or re.match(r"[A-Za-z+]", text[m.start("num") - 1 : m.start("num")] or " "):
            continue  # '5G', '15+8'
        if not unit and not q and after and re.match(r"[\u4e00-\u9fff]", after) and after not in "，。；、":
            continue  # '缩小到1.9' counts; '达到3个' without a known unit does not
        number = float(m.group("num"))
        cmp = m.group("cmp") or _CMP.get(verb or "") or _CMP.get(q or "")
        term = _term(text, m.start())
        if _BARE_RATE.fullmatch(term) and out and not re.search(r"[。；;]", text[last_end : m.start()]):
            # '地区生产总值超过5万亿元，年均增速保持在5%以上': the rate is the same subject's.
            term = _subject(out[-1].term) + term
        out.append(
            Target(
                text=text[m.start() : end].strip(),
                term=term,
                number=number,
                upper=float(m.group("upper")) if m.group("upper") else None,
                unit=unit,
                comparator=_CMP.get(cmp, cmp),
                qualifier=q,
            )
        )
        last_end = end
    return out


_BARE_RATE = re.compile(r"(年均)?(增速|增长率|增长|增幅)")
_MEASURE_TAIL = re.compile(r"(年均)?(增速|增长率|增长|增幅|总量|规模|比重|占比)$")


def _subject(term: str) -> str:
    """What a term is about, without how it is measured: '地区生产总值' of '地区生产总值年均增速'."""
    return _MEASURE_TAIL.sub("", term)


def _term(text: str, start: int) -> str:
    """The phrase before the figure, back to the last clause break; a short bracketed
    name inside it belongs to it ('细颗粒物（PM2.5）浓度')."""
    head = text[:start]
    k = max((m.end() for m in _BREAK.finditer(head)), default=0)
    while k and head[k - 1] in "）)":
        opened = max(head.rfind("（", 0, k - 1), head.rfind("(", 0, k - 1))
        inside = head[opened + 1 : k - 1]
        if opened < 0 or len(inside) > 12 or _BREAK.search(inside):
            break
        k = max((m.end() for m in _BREAK.finditer(head, 0, opened)), default=0)
    term = head[k:].strip()
    for verb in sorted(_VERBS, key=len, reverse=True):
        if term.endswith(verb):
            term = term[: -len(verb)]
            break
    return term[-30:]
