"""Units of measure printed in the genre's tables and targets: the one table of them.

Each base unit has the quantity it measures (its dimension) and its size in that
dimension's base; a printed unit is a base with a magnitude ('亿斤' = 10⁸ 斤) or a ratio of
two ('人/百亿元'). From this table come ``KNOWN_UNITS`` (the spellings a table row is cut
by, and a target's unit is read by) and ``parse`` (a printed unit → dimension and size),
which says when two values can be compared: '亿斤' and '万亿斤' can (one is 10⁴ of the
other), '亿斤' and '亿吨' can (mass), '亿元' and '%' never.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Unit:
    name: str  # as printed, tidied: '亿斤'
    dimension: str  # what it measures: 'mass', 'money:CNY', 'share', 'count:人', 'mass/volume' …
    size: float  # in the dimension's base: 1 亿斤 = 5e7 kg

    def convert(self, value: float, to: Unit) -> float | None:
        """``value`` of this unit in ``to``, or None where the two measure different things."""
        return value * self.size / to.size if self.dimension == to.dimension else None


MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
# base unit: (dimension, size, takes a magnitude as printed in tables: '万人', '亿元')
# fmt: off
BASES: dict[str, tuple[str, float, bool]] = {
    "%": ("share", 1.0, False), "‰": ("share", 0.1, False),
    "个百分点": ("percentage-points", 1.0, False), "百分点": ("percentage-points", 1.0, False),
    "年": ("years", 1.0, False), "岁": ("years", 1.0, False), "天": ("days", 1.0, False),
    "小时": ("hours", 1.0, False), "次": ("count:次", 1.0, False), "倍": ("times", 1.0, False),
    "分": ("score", 1.0, False), "级": ("grade", 1.0, False), "米": ("length", 1.0, False),
    "元": ("money:CNY", 1.0, True), "美元": ("money:USD", 1.0, True),
    "斤": ("mass", 0.5, True), "吨": ("mass", 1000.0, True), "公斤": ("mass", 1.0, True), "千克": ("mass", 1.0, False),
    "吨标准煤": ("coal-equivalent", 1.0, True), "吨标煤": ("coal-equivalent", 1.0, True),
    "千瓦": ("power", 1.0, False), "兆瓦": ("power", 1000.0, True), "千瓦时": ("energy", 1.0, False),
    "公里": ("length", 1000.0, True), "千米": ("length", 1000.0, False),
    "平方米": ("area", 1.0, True), "平方公里": ("area", 1e6, True), "亩": ("area", 2000 / 3, True),
    "公顷": ("area", 1e4, True), "立方米": ("volume", 1.0, True),
    "个": ("count:个", 1.0, True), "件": ("count:件", 1.0, True), "人": ("count:人", 1.0, True),
    "人次": ("count:人次", 1.0, True), "户": ("count:户", 1.0, True), "家": ("count:家", 1.0, True),
    "所": ("count:所", 1.0, True), "张": ("count:张", 1.0, True), "床": ("count:张", 1.0, True),
    "座": ("count:座", 1.0, True), "套": ("count:套", 1.0, True), "辆": ("count:辆", 1.0, True),
    "项": ("count:项", 1.0, True), "部": ("count:部", 1.0, True), "台": ("count:台", 1.0, True),
    "册": ("count:册", 1.0, True), "标箱": ("count:标箱", 1.0, True),
    "微克": ("mass", 1e-9, False), "毫克": ("mass", 1e-6, False), "升": ("volume", 1e-3, False),
}
# Spellings the tables print beyond a base with 万/亿/千: larger magnitudes and ratios.
PRINTED = (
    "万亿元 万千瓦 亿千瓦时 亿人次 万套（间） 万套(间) 微克/立方米 毫克/升 万元/人 人/百亿元 人/亿元 个/千人 张/千人 "
    "人/千人 平方米/人 吨/万元 立方米/万元 亿元/平方公里 个/万人 件/万人"
).split()
# fmt: on
_TABLE_BASES = [b for b in BASES if b not in ("微克", "毫克", "升")]
KNOWN_UNITS = frozenset(
    _TABLE_BASES + PRINTED + [m + b for b in _TABLE_BASES if BASES[b][2] for m in ("万", "亿", "千")]
)
NO_UNIT = frozenset({"—", "-", "－", "/", "无", "——"})  # what a unit cell prints when there is none
_MAGNITUDE = re.compile("^(" + "|".join(MAGNITUDES) + ")")


@lru_cache(maxsize=1024)
def parse(printed: str | None) -> Unit | None:
    """A printed unit ('亿斤', '人/百亿元', '万套（间）') → its dimension and size; None if unknown."""
    if not printed:
        return None
    name = re.sub(r"[（(][^）)]*[）)]", "", unicodedata.normalize("NFKC", printed)).strip()
    if "/" in name:
        top, _, bottom = name.partition("/")
        a, b = parse(top), parse(bottom)
        return Unit(name, f"{a.dimension}/{b.dimension}", a.size / b.size) if a and b else None
    if name in BASES:
        return Unit(name, BASES[name][0], BASES[name][1])
    rest, factor = name, 1.0
    while rest not in BASES and (m := _MAGNITUDE.match(rest)):  # '百亿元': 百 × 亿 × 元
        rest, factor = rest[m.end() :], factor * MAGNITUDES[m.group(1)]
    if rest not in BASES:
        return None
    dimension, size, _ = BASES[rest]
    return Unit(name, dimension, size * factor)
