"""Generality: small synthetic plans in the genre's other shapes, built in code."""

from __future__ import annotations

import pytest
from synth import GOALS_CHAPTER, POSITIONING_CHAPTER, box, para, render

import kg

CITY_PLAN = [
    *para(
        "青河市国民经济和社会发展第十五个五年规划纲要，依据《中共青河市委关于制定第十五个五年规划的建议》编制，是全市人民共同的行动纲领。"
    ),
    "目 录",
    "第一篇 总体要求 ........................................ 1",
    "第一章 发展回顾 ........................................ 1",
    "第二篇 推动绿色发展，建设美丽青河 ....................... 5",
    "第五章 推进生态保护 .................................... 5",
    "第一节 加强水系治理 .................................... 6",
    "第六章 建设现代产业体系 ................................ 8",
    "第一篇 总体要求",
    "第一章 发展回顾",
    *para("产业结构持续优化。三次产业结构调整为10：40：50，新兴产业加快发展，全市经济总量迈上新台阶。"),
    *para("生态环境明显改善。城市空气质量优良天数比例达到85%，重点河湖水质稳定达标。"),
    "第二章 基本原则",
    *para("坚持生态优先。把生态保护放在首位，走绿色发展之路，守住自然生态安全边界。"),
    *POSITIONING_CHAPTER,
    *GOALS_CHAPTER,
    "“十五五”时期经济社会发展主要指标",
    "类别 指标 单位 2025年",
    "基期值",
    "2030年",
    "目标值",
    "年均/累计 属性",
    "经济发展",
    "1、地区生产总值增长 % 5.5 — 6左右 预期性",
    "2、常住人口城镇化率 % 58 63 [5] 预期性",
    "绿色生态",
    "3、森林覆盖率 % 23.5 25 [1.5] 约束性",
    "类别 指标 单位 2025年",  # the header repeated on the next page
    "基期值",
    "2030年",
    "目标值",
    "年均/累计 属性",
    "4、单位地区生产总值能源消耗降低 % — — 达到省",
    "要求",
    "约束性",
    "民生福祉",
    "5、每千人口拥有执业（助理）医师",
    "数",
    "人 2.9 3.4 — 预期性",
    "注：[ ]内为5年累计数。",
    "第二篇 推动绿色发展，",
    "建设美丽青河",
    *para("坚持绿水青山就是金山银山理念，全面推进生态文明建设。"),
    "第五章 推进生态保护",
    "第一节 加强水系治理",
    *para(
        "推进青河干流综合治理，实施河道清淤和生态补水工程，建设滨河生态廊道，改善流域水生态环境质量，确保重要水功能区水质达标率稳步提升，落实河湖长制，加"
    ),
    *box(
        "8",
        "生态保护重大工程",
        [
            ("1.", "青河干流综合治理工程", "实施河道清淤、堤防加固和生态补水。"),
            ("2.", "滨河生态廊道建设项目", "建设沿河绿道和湿地公园。"),
        ],
    ),
    *para("强岸线管控。"),
    "第二节 推进山体修复",
    *para("修复山体创面。实施矿山生态修复工程，推进历史遗留矿山综合治理，恢复山体植被和生态功能，建设绿色矿山示范区。"),
    *para("加强林草保护。实施天然林保护和退耕还林还草，提升森林质量，建设国家森林城市，全面推行林长制。"),
    "第六章 建设现代产业体系",
    *para("做强先进制造业。围绕新材料、装备制造等重点领域，建设先进制造业集群，推动产业链现代化。"),
    *box(
        "12",
        "产业发展重大工程",
        [
            ("（一）", "新材料产业园", "建设新材料研发和生产基地。"),
            ("（二）", "装备制造产业园", "引进整机和关键零部件企业。"),
        ],
    ),
    *para("发展现代服务业。推动生产性服务业向专业化延伸，生活性服务业向高品质升级，培育消费新业态。"),
]


@pytest.fixture(scope="module")
def city():
    return kg.extract_text(render(CITY_PLAN, page_every=10), name="qinghe-15th.txt")


def test_table_of_contents_creates_no_duplicates(city):
    assert [(p.number, p.title) for p in city.parts] == [(1, "总体要求"), (2, "推动绿色发展，建设美丽青河")]
    assert [c.number for c in city.chapters] == [1, 2, 3, 4, 5, 6]
    assert [s.id for s in city.sections] == ["chapter/5/section/1", "chapter/5/section/2"]
    assert city.warnings == []


def test_plan_metadata_from_the_text(city):
    assert city.id == "qinghe-15th"
    assert city.plan_number == 15
    assert (city.period_start, city.period_end) == (2026, 2030)
    assert city.horizon == 2035


def test_framework_entities(city):
    assert [p.title for p in city.positionings] == ["北方生态屏障示范区", "现代农业高地"]
    assert city.positionings[1].text.startswith("发挥灌区农业优势")
    assert [g.title for g in city.goals] == ["经济发展取得新成效", "生态文明实现新进步"]
    assert city.vision.number == 2035 and city.vision.text.startswith("展望2035年")
    assert [a.title for a in city.achievements] == ["产业结构持续优化", "生态环境明显改善"]
    assert [p.title for p in city.principles] == ["坚持生态优先"]


def test_indicator_table_split_by_page_with_repeated_header(city):
    rows = [(i.category, i.title, i.unit, i.base.raw, i.target.raw, i.annual.raw, i.nature) for i in city.indicators]
    assert rows == [
        ("经济发展", "地区生产总值增长", "%", "5.5", "—", "6左右", "预期性"),
        ("经济发展", "常住人口城镇化率", "%", "58", "63", "[5]", "预期性"),
        ("绿色生态", "森林覆盖率", "%", "23.5", "25", "[1.5]", "约束性"),
        ("绿色生态", "单位地区生产总值能源消耗降低", "%", "—", "—", "达到省要求", "约束性"),
        ("民生福祉", "每千人口拥有执业（助理）医师数", "人", "2.9", "3.4", "—", "预期性"),
    ]
    t = city.indicator_table
    assert (t.base_year, t.target_year) == (2025, 2030)
    assert t.notes == ["[ ]内为5年累计数。"]
    assert city.indicators[0].base.year == 2025 and city.indicators[0].target.year == 2030


def test_box_labels_without_dash_and_without_space(city):
    assert [(b.label, b.title) for b in city.boxes] == [("8", "生态保护重大工程"), ("12", "产业发展重大工程")]
    assert [b.section or b.chapter for b in city.boxes] == ["chapter/5/section/1", "chapter/6"]


def test_items_numbered_with_digits(city):
    projects = [(p.box, p.number, p.marker, p.title, p.text) for p in city.projects]
    assert projects[:2] == [
        ("box/8", 1, "1.", "青河干流综合治理工程", "实施河道清淤、堤防加固和生态补水。"),
        ("box/8", 2, "2.", "滨河生态廊道建设项目", "建设沿河绿道和湿地公园。"),
    ]
    assert [p.title for p in city.projects[2:]] == ["新材料产业园", "装备制造产业园"]


def test_box_inside_a_paragraph(city):
    m = next(m for m in city.measures if m.section == "chapter/5/section/1")
    assert m.unit == "section" and m.title == "加强水系治理"
    assert m.text.endswith("落实河湖长制，加强岸线管控。")
    assert "强岸线管控" not in city.projects[1].text


def test_measures(city):
    lead = [(m.id, m.title) for m in city.measures if m.unit == "lead-phrase"]
    assert lead == [
        ("chapter/5/section/2/measure/1", "修复山体创面"),
        ("chapter/5/section/2/measure/2", "加强林草保护"),
        ("chapter/6/measure/1", "做强先进制造业"),
        ("chapter/6/measure/2", "发展现代服务业"),
    ]
    assert city.measures[-1].text.startswith("推动生产性服务业")  # rejoined around box 12


def test_heading_wrapped_without_punctuation():
    lines = [
        "第一章 坚持创新驱动发展全面塑造发展新优势加快建设",
        "科技强市",
        *para("完善创新体系。强化企业创新主体地位，建设高水平研发平台，推动产学研深度融合发展。"),
    ]
    plan = kg.extract_text(render(lines, page_every=50))
    assert plan.chapters[0].title == "坚持创新驱动发展全面塑造发展新优势加快建设科技强市"
    assert plan.measures[0].title == "完善创新体系"


NATIONAL_STYLE = [
    "第一章 主要目标",
    *para("——经济发展取得新成效。发展是解决我国一切问题的基础和关键。"),
    "专栏1 “十四五”时期经济社会发展主要指标",
    "类别 指标 2020年 2025年 年均/累计 属性",
    "经济发展",
    "1.国内生产总值（GDP）增长（%） 2.3 — 保持在合理区间、各年度视情提出 预期性",
    "2.常住人口城镇化率（%） 60.6 65 — 预期性",
    "绿色生态",
    "3.森林覆盖率（%） 23.2 24.1 — 约束性",
    "注：[ ]内为5年累计数。",
    "第二章 加快发展现代产业体系",
    *para("提升产业链供应链现代化水平。坚持经济性和安全性相结合，补齐短板、锻造长板，分行业做好供应链战略设计。"),
]


def test_national_style_table_in_a_box_without_unit_column():
    plan = kg.extract_text(render(NATIONAL_STYLE, page_every=50))
    # A 专栏 holding the indicator table is a box of the plan (researchers count it), with no projects.
    assert [(b.label, b.title) for b in plan.boxes] == [("1", "“十四五”时期经济社会发展主要指标")]
    assert plan.projects == []
    rows = [(i.title, i.unit, i.base.raw, i.target.raw, i.annual.raw, i.nature) for i in plan.indicators]
    assert rows == [
        ("国内生产总值（GDP）增长", "%", "2.3", "—", "保持在合理区间、各年度视情提出", "预期性"),
        ("常住人口城镇化率", "%", "60.6", "65", "—", "预期性"),
        ("森林覆盖率", "%", "23.2", "24.1", "—", "约束性"),
    ]
    assert plan.indicator_table.box_label == "1"
    assert plan.indicator_table.columns == ["类别", "指标", "2020年", "2025年", "年均/累计", "属性"]
    assert [m.title for m in plan.measures] == ["提升产业链供应链现代化水平"]


def test_plan_without_parts_and_footer_only_pages():
    lines = [
        "第一章 推进乡村振兴",
        "第一节 发展现代农业",
        *para("稳定粮食生产。严守耕地红线，建设高标准农田，稳定粮食播种面积和产量，提高粮食综合生产能力。"),
        "第二节 建设美丽乡村",
        *para("实施乡村建设行动，完善乡村基础设施，改善农村人居环境，推进城乡基本公共服务均等化。"),
    ]
    plan = kg.extract_text(render(lines, page_every=3, style="footer", first_page=7))
    assert plan.parts == [] and plan.chapters[0].part is None
    assert [m.unit for m in plan.measures] == ["lead-phrase", "section"]
    assert plan.chapters[0].provenance.page_start == 7
    # 7 content lines, a page every 3: the last line is alone on page 9.
    assert (plan.measures[-1].provenance.page_start, plan.measures[-1].provenance.page_end) == (8, 9)


def test_misprinted_row_numbers_still_give_unique_indicators():
    lines = [
        "第一章 主要目标",
        "主要指标",
        "类别 指标 单位 2020年 2025年 年均/累计 属性",
        "绿色生态",
        "1、森林覆盖率 % 23.5 25 [1.5] 约束性",
        "1、草原植被盖度 % 40 42 — 预期性",  # the same number printed twice
    ]
    plan = kg.extract_text(render(lines, page_every=50))
    assert [(i.id, i.number, i.title) for i in plan.indicators] == [
        ("indicator/1", 1, "森林覆盖率"),
        ("indicator/2", 1, "草原植被盖度"),
    ]
    assert any("row numbers repeat" in w for w in plan.warnings)
