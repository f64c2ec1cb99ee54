"""Units of measure printed in the genre's statistical tables.

A unit in this list scores higher when a table row is cut into cells; others still
parse. ``NO_UNIT`` are what a unit cell prints when an indicator has none.
"""

from __future__ import annotations

KNOWN_UNITS = frozenset({
    "%", "‰", "个百分点", "百分点", "个", "件", "人", "万人", "人次", "万人次", "年", "岁", "天", "小时",
    "元", "万元", "亿元", "万亿元", "美元", "万美元", "亿美元", "斤", "亿斤", "万斤", "吨", "万吨", "亿吨",
    "吨标准煤", "万吨标准煤", "亿吨标准煤", "吨标煤", "万吨标煤", "亿吨标煤", "千瓦", "万千瓦", "兆瓦",
    "千瓦时", "亿千瓦时", "公里", "千米", "平方公里", "平方米", "万平方米", "亩", "万亩", "公顷",
    "立方米", "亿立方米", "万立方米", "张", "床", "所", "家", "户", "万户", "座", "套", "万套", "辆", "项",
    "部", "次", "倍", "微克/立方米", "毫克/升", "分", "级", "册", "标箱", "万标箱", "万元/人", "人/百亿元",
    "人/亿元", "万套（间）", "万套(间)", "个/千人", "张/千人", "人/千人", "米", "亿人次",
    "台", "千克", "公斤", "平方米/人", "吨/万元", "立方米/万元", "亿元/平方公里", "个/万人", "件/万人",
})
# A count unit takes a magnitude: '公顷' → '万公顷', '辆' → '万辆'.
_NO_MAGNITUDE = {"年", "岁", "天", "小时", "次", "倍", "分", "级", "个百分点", "百分点", "米"}
KNOWN_UNITS = KNOWN_UNITS | {m + u for u in KNOWN_UNITS - _NO_MAGNITUDE
                             if "/" not in u and u[0] not in "万亿千百%‰" for m in "万亿千"}
NO_UNIT = frozenset({"—", "-", "－", "/", "无", "——"})
