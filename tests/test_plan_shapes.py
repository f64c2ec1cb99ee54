"""Generality: one small synthetic plan per way real plans differ (the real-plans issue).

Each plan is built in code, as a PDF dump (``render``) or a web page (``web``); the
expected values are read off the lines written here, never off the extractor's output.
"""

from __future__ import annotations

import pytest
from synth import NAV_HEAD, NAV_TAIL, para, render, web

import kg
from kg.read.source import bundled_plans

GOALS = "——经济实力显著增强。地区生产总值年均增长5.5%左右。"


# --- outline levels -------------------------------------------------------------------


def test_plan_without_chapters_maps_three_unnamed_levels_to_part_chapter_section():
    plan = kg.extract_text(
        web(
            [
                "青河市国民经济和社会发展第十五个五年规划纲要",
                "一、砥砺五载谱新篇",
                "1.发展成就",
                "经济实力稳步提升。全市生产总值迈上新台阶，年均增长5%。",
                "二、推动产业升级",
                "推动产业转型升级，建设现代化产业体系，加快发展新质生产力。",
                "1.壮大先进制造业",
                "把握智能化、绿色化、融合化发展趋势，促进先进生产要素集聚。",
                "1.1增创制造业发展新优势。",
                "深入推进新型工业化，强化创新驱动，推动制造业高端化发展。",
                "推动传统产业转型。加快传统产业数字化改造，扩大机器人应用。",
                "1.2激活服务业新动力。",
                "推动生产性服务业向专业化和价值链高端延伸，促进融合发展。",
                "2.扩大有效投资",
                "2.1优化投资结构。",
                "着力扩大有效投资，保持投资合理增长，提高投资综合效益。",
            ]
        ),
        name="qinghe.txt",
    )
    assert [(p.id, p.marker, p.title) for p in plan.parts] == [
        ("part/1", "一、", "砥砺五载谱新篇"),
        ("part/2", "二、", "推动产业升级"),
    ]
    assert [(c.id, c.marker, c.title) for c in plan.chapters] == [
        ("part/1/chapter/1", "1.", "发展成就"),
        ("part/2/chapter/1", "1.", "壮大先进制造业"),
        ("part/2/chapter/2", "2.", "扩大有效投资"),
    ]
    assert [(s.id, s.marker, s.title) for s in plan.sections] == [
        ("part/2/chapter/1/section/1", "1.1", "增创制造业发展新优势"),
        ("part/2/chapter/1/section/2", "1.2", "激活服务业新动力"),
        ("part/2/chapter/2/section/1", "2.1", "优化投资结构"),
    ]
    assert "推动传统产业转型" in [m.title for m in plan.measures]


def test_two_unnamed_levels_are_chapter_and_section():
    plan = kg.extract_text(
        render(
            [
                "一、发展基础",
                *para("全市经济总量稳步提升，产业结构持续优化，人民生活水平不断提高，社会事业全面进步。"),
                "二、推动绿色发展",
                "（一）加强生态保护",
                *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。"),
                "（二）推进节能降碳",
                *para("完善能源消费总量和强度双控制度，推进重点领域节能降碳。"),
            ],
            page_every=50,
        )
    )
    assert [(c.number, c.title) for c in plan.chapters] == [(1, "发展基础"), (2, "推动绿色发展")]
    assert [(s.id, s.marker) for s in plan.sections] == [
        ("chapter/2/section/1", "（一）"),
        ("chapter/2/section/2", "（二）"),
    ]
    assert plan.parts == []


def test_cn_headings_under_a_chapter_are_sections_and_under_a_section_measures():
    plan = kg.extract_text(
        render(
            [
                "第一章 建设现代产业体系",
                *para("坚持把发展经济的着力点放在实体经济上，建设现代化产业体系。"),
                "一、壮大先进制造业",
                *para("实施先进制造业集群培育行动，推动制造业高端化、智能化、绿色化发展。"),
                "二、发展现代服务业",
                *para("推动生产性服务业向专业化和价值链高端延伸，生活性服务业向高品质升级。"),
                "第二章 增进民生福祉",
                "第一节 促进就业",
                "一、稳定重点群体就业",
                *para("落实就业优先政策，做好高校毕业生、退役军人、农民工等重点群体就业。"),
                "二、完善就业服务",
                *para("健全覆盖城乡的公共就业服务体系，加强职业技能培训。"),
            ],
            page_every=50,
        )
    )
    assert [(s.id, s.title) for s in plan.sections] == [
        ("chapter/1/section/1", "壮大先进制造业"),
        ("chapter/1/section/2", "发展现代服务业"),
        ("chapter/2/section/1", "促进就业"),
    ]
    jobs = [(m.title, m.marker) for m in plan.measures if m.section == "chapter/2/section/1"]
    assert jobs == [("稳定重点群体就业", "一、"), ("完善就业服务", "二、")]


def test_chapters_numbered_anew_in_each_part():
    plan = kg.extract_text(
        render(
            [
                "第一篇 服务首都功能",
                "第一章 服务党和国家工作大局",
                *para("完善首都规划体系和实施机制，保障中央政务活动安全高效有序运行。"),
                "第二章 提升核心区城市品质",
                *para("营造庄重有序的政务环境，塑造古今交融的老城风貌，打造舒适便利的人居环境。"),
                "第二篇 繁荣首都文化",
                "第一章 建设历史文化名城",
                *para("加强历史文化遗产保护传承，推进中轴线申遗保护成果转化利用。"),
            ],
            page_every=50,
        )
    )
    assert [c.id for c in plan.chapters] == ["part/1/chapter/1", "part/1/chapter/2", "part/2/chapter/1"]
    assert [c.number for c in plan.chapters] == [1, 2, 1]
    assert plan.warnings == []


# --- tables of contents ---------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\t3", "    3", "3", "", " ……… 3", "………… 3"])
def test_table_of_contents_whatever_ends_its_lines(ending):
    body = [
        "第一篇 总体要求",
        "第一章 发展基础",
        *para("全市经济总量稳步提升，产业结构持续优化，人民生活水平不断提高。"),
        "第二章 主要目标",
        *para(GOALS),
        "第二篇 推动绿色发展",
        "第三章 加强生态保护",
        "专栏1 生态保护重大工程",
        "1.湿地保护工程",
        "保护和修复重要湿地。",
        *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。"),
    ]
    toc = ["目 录"] + [
        f"{h}{ending}"
        for h in ("第一篇 总体要求", "第一章 发展基础", "第二章 主要目标", "第二篇 推动绿色发展", "第三章 加强生态保护")
    ]
    toc += ["重大工程专栏目录"] + [f"专栏1 生态保护重大工程{ending}"]
    plan = kg.extract_text(render(toc + body, page_every=50))
    assert [(c.id, c.title) for c in plan.chapters] == [
        ("chapter/1", "发展基础"),
        ("chapter/2", "主要目标"),
        ("chapter/3", "加强生态保护"),
    ]
    assert [(p.id, p.title) for p in plan.parts] == [("part/1", "总体要求"), ("part/2", "推动绿色发展")]
    assert [(b.id, b.title) for b in plan.boxes] == [("box/1", "生态保护重大工程")]
    assert not any("appears" in w for w in plan.warnings)
    assert plan.preface is None  # the contents' titles are no preface


# --- web pages, title and metadata -------------------------------------------------------


WEB_PLAN = [
    "青府〔2026〕3号",
    "青河市人民政府关于印发青河市国民经济和社会发展第十五个五年规划纲要的通知",
    "各县（市、区）人民政府，市政府各部门：",
    "《青河市国民经济和社会发展第十五个五年规划纲要》已经市人大批准，现印发给你们，请认真贯彻执行。",
    "青河市人民政府",
    "2026年3月2日",
    "青河市国民经济和社会发展",
    "第十五个五年规划纲要",
    "（2026年1月20日青河市第十六届人民代表大会第五次会议批准）",
    "“十五五”时期是基本实现社会主义现代化夯实基础、全面发力的关键时期。",
    "第一章 发展基础",
    "全市经济总量稳步提升，产业结构持续优化，人民生活水平不断提高。",
    "第二章 主要目标",
    GOALS,
    "第三章 推动绿色发展",
    "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
]


def test_web_page_navigation_and_notice_are_neither_preface_nor_content():
    plan = kg.extract_text(web(WEB_PLAN), name="qinghe.txt")
    assert plan.title == "青河市国民经济和社会发展第十五个五年规划纲要"
    assert plan.document_number == "青府〔2026〕3号"
    assert plan.adopted == "2026年1月20日青河市第十六届人民代表大会第五次会议批准"
    assert (plan.level, plan.region, plan.plan_number) == ("city", "青河市", 15)
    assert plan.preface.text == "“十五五”时期是基本实现社会主义现代化夯实基础、全面发力的关键时期。"
    assert plan.truncated is False
    navigation = {"首页", "版权所有 © 青河市人民政府", "【打印本页】"}
    assert not any(n in e.provenance.source for e in plan.entities() for n in navigation)
    assert all(e.provenance.page_start is None for e in plan.entities())


def test_a_text_cut_off_mid_plan_is_read_as_far_as_it_goes():
    cut = WEB_PLAN[:-1] + ["统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复"]
    plan = kg.extract_text(web(cut, tail=[]))
    assert plan.truncated and [c.number for c in plan.chapters] == [1, 2, 3]
    assert any("stops before the plan's end" in w for w in plan.warnings)


@pytest.mark.parametrize(
    "title,level,region",
    [
        ("江南省国民经济和社会发展第十五个五年规划纲要", "province", "江南省"),
        ("河西自治区国民经济和社会发展第十五个五年规划纲要", "province", "河西自治区"),
        ("青河市东城区国民经济和社会发展第十五个五年规划纲要", "district", "青河市东城区"),
        ("中华人民共和国国民经济和社会发展第十五个五年规划纲要", "national", "中华人民共和国"),
    ],
)
def test_plan_level_from_the_title(title, level, region):
    plan = kg.extract_text(web([title, *WEB_PLAN[9:]], head=[], tail=[]))
    assert (plan.title, plan.level, plan.region) == (title, level, region)


@pytest.mark.parametrize(
    "title,code",
    [
        ("苏州市国民经济和社会发展第十五个五年规划纲要", "320500"),
        ("内蒙古自治区国民经济和社会发展第十五个五年规划纲要", "150000"),
        ("锡林郭勒盟国民经济和社会发展第十五个五年规划纲要", "152500"),
        ("中华人民共和国国民经济和社会发展第十五个五年规划纲要", "100000"),
        ("青河市国民经济和社会发展第十五个五年规划纲要", None),  # no such division: no code
    ],
)
def test_region_code_from_the_title(title, code):
    plan = kg.extract_text(web([title, *WEB_PLAN[9:]], head=[], tail=[]))
    assert plan.region_code == code


def test_bundled_plans_know_their_region_codes():
    codes = {pid: kg.extract(path).region_code for pid, path in bundled_plans().items()}
    assert codes["guangzhou-15th-fyp"] == "440100" and codes["beijing-15th-fyp"] == "110000"
    assert codes["national-15th-fyp"] == "100000" and all(codes.values())


@pytest.mark.parametrize(
    "text,term,figure",
    [
        # a bracketed abbreviation belongs to its term
        (
            "地级及以上城市细颗粒物（PM2.5）浓度降至27微克/立方米以下",
            "地级及以上城市细颗粒物（PM2.5）浓度",
            "降至27微克/立方米以下",
        ),
        # a bare rate takes the subject of the figure before it in the sentence
        ("地区生产总值超过5万亿元，年均增速保持在5%以上", "地区生产总值年均增速", "保持在5%以上"),
        ("居民人均可支配收入超11万元，教育更加优质", "居民人均可支配收入", "超11万元"),
    ],
)
def test_stated_targets_keep_their_whole_term(text, term, figure):
    from kg.read.targets import stated_targets

    last = stated_targets(text)[-1]
    assert (last.term, last.text) == (term, figure)


def test_a_bare_rate_after_a_full_stop_takes_no_subject():
    from kg.read.targets import stated_targets

    assert stated_targets("地区生产总值超过5万亿元。年均增速保持在5%以上")[-1].term == "年均增速"


def test_footnote_marks_inside_sentences_of_a_web_page_are_dropped():
    lines = [
        "第一章 发展基础",
        "\u3000\u3000全市经济总量稳步提升，产业结构持续优化，“1312”思路举措",
        "1",
        "，扎实推进，人民生活水平不断提高，社会事业全面进步，城乡面貌焕然一新，群众获得感持续增强。",
        "\u3000\u3000生态环境明显改善。森林覆盖率达到45%，空气质量优良天数比例稳定在90%以上，水环境质量持续改善。",
        "\u3000\u3000城乡融合发展迈出新步伐。常住人口城镇化率达到68%，乡村振兴战略全面推进，农村人居环境明显改善。",
        "\u3000\u3000改革开放不断深化。重点领域和关键环节改革取得突破，营商环境持续优化，对外开放水平全面提升。",
    ]
    plan = kg.extract_text("\n".join(lines + ["第二章 主要目标", GOALS]))
    assert "思路举措，扎实推进" in plan.chapters[0].text
    assert "举措1" not in plan.chapters[0].text


# --- pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["－ {} －", "— {} —", "- {} -", "第 {} 页"])
def test_page_markers_of_each_print(marker):
    lines = [
        "第一章 推进乡村振兴",
        *para("稳定粮食生产。严守耕地红线，建设高标准农田，稳定粮食播种面积和产量，提高粮食综合生产能力。"),
        "第二章 建设美丽乡村",
        *para("实施乡村建设行动，完善乡村基础设施，改善农村人居环境，推进城乡基本公共服务均等化。"),
    ]
    text = "\n".join(lines[:3] + [marker.format(7)] + lines[3:] + [marker.format(8)])
    plan = kg.extract_text(text)
    assert [c.provenance.page_start for c in plan.chapters] == [7, 8]


def test_front_matter_numbered_on_its_own_leaves_its_pages_unset():
    front = [
        "序 言",
        *para("本规划纲要是全市人民共同的行动纲领，明确了今后五年的发展目标和重点任务。"),
        "— 1 —",
        *para("本规划纲要根据市委建议编制，与国土空间总体规划紧密衔接，系统阐明战略意图。"),
        "— 2 —",
    ]
    body = []
    for k in range(1, 6):
        body += [
            f"第{'一二三四五'[k - 1]}章 推进第{k}项任务",
            *para("完善体制机制，强化要素保障，推动重点任务落地见效，确保规划目标如期实现。"),
            f"— {k} —",
        ]
    plan = kg.extract_text("\n".join(front + body))
    assert [c.provenance.page_start for c in plan.chapters] == [1, 2, 3, 4, 5]
    assert plan.preface.provenance.page_start is None
    assert any("disagree with the main numbering" in w for w in plan.warnings)


def test_bare_numbers_count_as_pages_only_as_a_rising_chain():
    body = []
    for k in range(1, 7):
        body += [
            f"第{'一二三四五六'[k - 1]}章 推进第{k}项任务",
            *para(
                "完善体制机制，强化要素保障，推动重点任务落地见效，确保规划目标如期实现，不断增强人民群众获得感。" * 2
            ),
            str(k + 2),
        ]
    table = [
        "第七章 主要目标",
        "主要指标",
        "类别 指标 单位 2025年 2030年 属性",
        "经济发展",
        "1、地区生产总值增长 % 5 6 预期性",
        "2",
        "、常住人口城镇化率 % 58 63 预期性",
    ]
    plan = kg.extract_text("\n".join(body + table))
    assert [c.provenance.page_start for c in plan.chapters][:6] == [3, 4, 5, 6, 7, 8]
    assert all(p is None or p >= 1 for p in (e.provenance.page_start for e in plan.entities()))


# --- indicator tables ----------------------------------------------------------------------


def test_one_cell_a_line_with_properties_before_values():
    cells = [
        "表1 青河“十五五”经济社会发展主要指标",
        "序号",
        "指标",
        "单位",
        "属性",
        "“十五五”目标",
        "2030年",
        "年均［累计］",
        "1",
        "地区生产总值年均增速",
        "%",
        "预期性",
        "—",
        "5左右",
        "2",
        "细颗粒物（PM",
        "2.5",
        "）浓度",
        "微克/立方米",
        "约束性",
        "完成省下达目标",
        "—",
        "3",
        "新增保障性租赁住房",
        "万套（间）",
        "预期性",
        "—",
        "［5—7］",
        "4",
        "单位生产总值生产安全事故死亡率",
        "人/",
        "亿元",
        "约束性",
        "< 0.006",
        "—",
    ]
    plan = kg.extract_text(
        web(
            [
                "第一章 主要目标",
                GOALS,
                *cells,
                "第二章 推动绿色发展",
                "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
            ]
        )
    )
    rows = [(i.number, i.title, i.unit, i.nature, i.target.raw, i.annual.raw) for i in plan.indicators]
    assert rows == [
        (1, "地区生产总值年均增速", "%", "预期性", "—", "5左右"),
        (2, "细颗粒物（PM2.5）浓度", "微克/立方米", "约束性", "完成省下达目标", "—"),
        (3, "新增保障性租赁住房", "万套（间）", "预期性", "—", "［5—7］"),
        (4, "单位生产总值生产安全事故死亡率", "人/亿元", "约束性", "< 0.006", "—"),
    ]
    assert plan.indicators[2].annual.cumulative and (
        plan.indicators[2].annual.number,
        plan.indicators[2].annual.upper,
    ) == (5, 7)
    assert (
        plan.indicator_table.title == "表1青河“十五五”经济社会发展主要指标"
    )  # spaces between CJK dropped, as in every title
    assert plan.indicator_table.target_year == 2030 and plan.indicator_table.base_year is None


BEIJING_STYLE = [
    "第一章 主要目标",
    *para(GOALS),
    "“十五五”时期经济社会发展主要指标",
    "类别 序号 指标 2025年 2030年目标 属性",
    "创新",
    "发展",
    "(2项)",
    "1",
    "全社会研究与试验发展经费支出占地区生",
    "产总值比重(%)",
    "6左右∗ >6 预期性",
    "2 地区生产总值年均增速(%) 5.4",
    "4.5-5,",
    "努力争取",
    "更好结果",
    "预期性",
    "安全",
    "稳定",
    "(2项)",
    "3 十万常住人口火灾死亡率 0.25 ≤0.25 预期性",
    "4 食品药品安全",
    "食品安全抽检合格率(%) >98.5∗ >98.7",
    "药品抽检合格率(%) >99∗ >99",
    "约束性",
    "注:1.带∗为预计数。",
    "第二章 推动绿色发展",
    *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。"),
]


def test_bare_row_numbers_categories_over_lines_and_grouped_sub_rows():
    plan = kg.extract_text(render(BEIJING_STYLE, page_every=60))
    rows = [(i.id, i.category, i.group, i.title, i.unit, i.base.raw, i.target.raw, i.nature) for i in plan.indicators]
    assert rows == [
        (
            "indicator/1",
            "创新发展",
            None,
            "全社会研究与试验发展经费支出占地区生产总值比重",
            "%",
            "6左右∗",
            ">6",
            "预期性",
        ),
        ("indicator/2", "创新发展", None, "地区生产总值年均增速", "%", "5.4", "4.5-5,努力争取更好结果", "预期性"),
        ("indicator/3", "安全稳定", None, "十万常住人口火灾死亡率", None, "0.25", "≤0.25", "预期性"),
        ("indicator/4-1", "安全稳定", "食品药品安全", "食品安全抽检合格率", "%", ">98.5∗", ">98.7", "约束性"),
        ("indicator/4-2", "安全稳定", "食品药品安全", "药品抽检合格率", "%", ">99∗", ">99", "约束性"),
    ]
    assert plan.indicators[0].base.mark == "∗" and plan.indicators[0].base.number == 6


def test_qizhong_sub_rows_and_a_previous_plan_table():
    lines = [
        "第一章 发展基础",
        *para("“十四五”规划主要目标任务顺利完成，经济实力迈上新台阶。"),
        "“十四五”时期主要指标完成情况",
        "类别 指标 单位 规划目标 实际完成 属性",
        "1、地区生产总值增长 % 6 5.2 预期性",
        "第二章 主要目标",
        *para(GOALS),
        "主要指标",
        "类别 指标 单位 2025年 2030年 属性",
        "1、每千人口拥有医护人员数 人 7 8 预期性",
        "其中：每千人口拥有执业医师数 人 3 3.5 预期性",
        "2、森林覆盖率 % 45 46 约束性",
        "第三章 推动绿色发展",
        *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。"),
    ]
    plan = kg.extract_text(render(lines, page_every=60))
    assert [(i.id, i.group, i.title, i.target.raw) for i in plan.indicators] == [
        ("indicator/1", None, "每千人口拥有医护人员数", "8"),
        ("indicator/1-1", "每千人口拥有医护人员数", "每千人口拥有执业医师数", "3.5"),
        ("indicator/2", None, "森林覆盖率", "46"),
    ]
    # The previous plan's results: the target it set and what was achieved (read as the base).
    assert [(i.id, i.title, i.kind, i.target.raw, i.base.raw) for i in plan.previous_indicators] == [
        ("previous-table/1/indicator/1", "地区生产总值增长", "previous-indicator", "6", "5.2")
    ]
    assert plan.indicator_table.title == "主要指标" and not plan.indicator_tables[0].own


def test_a_table_that_yields_no_row_is_named_in_a_warning():
    lines = [
        "第一章 主要目标",
        *para(GOALS),
        "主要指标",
        "类别 指标 单位 2025年 2030年 属性",
        "经济发展 地区生产总值 增长较快 稳定",
        "第二章 推动绿色发展",
        *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。"),
    ]
    plan = kg.extract_text(render(lines, page_every=60))
    assert plan.indicators == []
    assert any("主要指标" in w and "no rows" in w for w in plan.warnings)
    assert any(s.startswith("indicators: none read") for s in plan.suspect_empty)


# --- goals, vision, positionings ---------------------------------------------------------------


@pytest.mark.parametrize("style", ["dash", "enumerated", "numbered", "sentences"])
def test_goals_however_printed_in_a_goals_section(style):
    goals = {
        "dash": ["——经济实力显著增强。地区生产总值年均增长6%左右。", "——生态环境持续改善。森林覆盖率达到25.8%。"],
        "enumerated": [
            "今后五年要努力实现以下目标：一是经济实力显著增强，地区生产总值年均增长6%左右；二是生态环境持续改善，森林覆盖率达到25.8%。"
        ],
        "numbered": [
            "（一）经济实力显著增强。地区生产总值年均增长6%左右。",
            "（二）生态环境持续改善。森林覆盖率达到25.8%。",
        ],
        "sentences": [
            "经济实力显著增强，质量效益明显提升。地区生产总值年均增长6%左右。",
            "生态环境持续改善，绿色转型成效显著。森林覆盖率达到25.8%。",
        ],
    }[style]
    lines = [
        "第二章 指导思想和发展目标",
        "第一节 基本原则",
        "——坚持人民至上。坚持以人民为中心的发展思想。",
        "——坚持系统观念。统筹发展和安全。",
        "第二节 发展目标",
        "“十五五”时期，全市经济社会发展的总体目标是：实现更高质量发展。",
        *goals,
        "在此基础上再奋斗五年，到二〇三五年，全面建成社会主义现代化强市。",
        "第三章 推动绿色发展",
        "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
    ]
    plan = kg.extract_text(web(lines))
    assert [g.title.split("，")[0] for g in plan.goals] == ["经济实力显著增强", "生态环境持续改善"]
    assert [p.title for p in plan.principles] == ["坚持人民至上", "坚持系统观念"]
    assert [(t.number, t.unit) for t in plan.goals[0].targets] == [(6, "%")]
    assert plan.goals[1].targets[0].number == 25.8 and "森林覆盖率" in plan.goals[1].targets[0].term
    assert plan.vision.number == 2035 and plan.vision.text.startswith("在此基础上再奋斗五年")
    assert plan.horizon == 2035


def test_positionings_from_a_section_or_a_sentence_and_none_when_absent():
    section = [
        "第一章 总体要求",
        "第一节 战略定位",
        "——国家创新高地。建设具有全球影响力的科技创新中心。",
        "——开放枢纽门户。建设国际交往中心。",
        "第二章 推动绿色发展",
        "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
    ]
    assert [p.title for p in kg.extract_text(web(section)).positionings] == ["国家创新高地", "开放枢纽门户"]
    sentence = [
        "第一章 发展基础",
        "过去五年，全市锚定国家创新高地、开放枢纽门户、宜居幸福家园的城市定位砥砺奋进，发展取得新成就。",
        "第二章 推动绿色发展",
        "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
    ]
    assert [p.title for p in kg.extract_text(web(sentence)).positionings] == [
        "国家创新高地",
        "开放枢纽门户",
        "宜居幸福家园",
    ]
    none = [
        "第一章 发展基础",
        "全市经济总量稳步提升，产业结构持续优化。",
        "第二章 推动绿色发展",
        "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
    ]
    assert kg.extract_text(web(none)).positionings == []


def test_alignment_runs_on_a_plan_without_positionings():
    from kg.analyse.analysis import analyse
    from kg.rdf.graph import plan_graph
    from kg.rdf.validate import validate

    plan = kg.extract_text(
        web(
            [
                "第一章 主要目标",
                "——生态环境持续改善。森林覆盖率达到25.8%。",
                "——创新能力显著增强。研发投入强度达到3%。",
                "第二章 加强生态保护",
                "开展国土绿化行动，实施造林绿化工程，提升森林质量和生态系统稳定性。",
                "第三章 建设创新高地",
                "加强基础研究和关键核心技术攻关，提升企业创新能力。",
            ]
        )
    )
    assert plan.positionings == []
    analysis = analyse(plan)
    assert validate(plan_graph(plan, analysis)).conforms
    best = {}
    for link in analysis.alignment.links:
        if link.kind == "goal" and link.score > best.get(link.source, (0, None))[0]:
            best[link.source] = (link.score, link.target)
    assert best["chapter/2/measure/1"][1] == "goal/1" and best["chapter/3/measure/1"][1] == "goal/2"


# --- boxes -------------------------------------------------------------------------------------


def test_box_label_and_title_on_lines_of_their_own_and_items_numbered_01():
    plan = kg.extract_text(
        web(
            [
                "第一章 做强先进制造业",
                "推动制造业高端化、智能化、绿色化发展，建设现代化产业体系。",
                "专栏",
                "1",
                "0",
                "支柱产业",
                "重点领域",
                "01",
                "汽车",
                "重点发展智能网联新能源汽车整车及关键零部件。",
                "02",
                "电子信息",
                "重点发展超高清视频、新型显示和集成电路设计。",
                "第二章 主要目标",
                GOALS,
            ]
        )
    )
    assert [(b.label, b.title) for b in plan.boxes] == [("10", "支柱产业重点领域")]
    assert [(p.marker, p.title, p.text) for p in plan.projects] == [
        ("01", "汽车", "重点发展智能网联新能源汽车整车及关键零部件。"),
        ("02", "电子信息", "重点发展超高清视频、新型显示和集成电路设计。"),
    ]


def test_box_printed_as_a_table_gives_one_project_a_row_with_its_columns():
    plan = kg.extract_text(
        render(
            [
                "第一章 加强生态保护",
                *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程，筑牢生态安全屏障。"),
                "专栏 3 生态保护重大工程",
                "序号 项目名称 建设内容 总投资（亿元）",
                "1 青河湿地保护工程 修复湿地5万亩 12",
                "2 滨河生态廊道工程 建设沿河绿道80公里 8.5",
                "第二章 主要目标",
                *para(GOALS),
            ],
            page_every=60,
        )
    )
    assert [(b.label, b.title) for b in plan.boxes] == [("3", "生态保护重大工程")]
    assert [(p.number, p.title, p.text, p.attributes) for p in plan.projects] == [
        (1, "青河湿地保护工程", "修复湿地5万亩", {"总投资（亿元）": "12"}),
        (2, "滨河生态廊道工程", "建设沿河绿道80公里", {"总投资（亿元）": "8.5"}),
    ]


def test_heading_followed_by_a_short_body_line_keeps_its_title():
    plan = kg.extract_text(
        render(
            [
                "第一章 推进乡村振兴",
                "稳步推进。",
                *para("严守耕地红线，建设高标准农田，稳定粮食播种面积和产量，提高粮食综合生产能力，确保粮食安全。"),
            ],
            page_every=60,
        )
    )
    assert plan.chapters[0].title == "推进乡村振兴"


def test_one_cell_a_line_with_a_split_annual_header_year_notes_and_a_sparse_note_column():
    # A web page prints no empty cell: rows 1 and 3 have no 备注; row 2's base is of 2024.
    cells = [
        "青河市“十五五”经济社会发展主要指标",
        "序号",
        "指标",
        "单位",
        "2025年",
        "预计",
        "2030年",
        "年均/",
        "累计",
        "属性",
        "备注",
        "1",
        "地区生产总值增长",
        "%",
        "5.5",
        "5左右",
        "—",
        "预期性",
        "2",
        "研究与试验发展经费投入强度",
        "%",
        "3.8",
        "（2024年）",
        "4.2",
        "—",
        "预期性",
        "全社会口径",
        "3",
        "森林覆盖率",
        "%",
        "66.8",
        "67",
        "［0.2］",
        "约束性",
    ]
    plan = kg.extract_text(
        web(
            [
                "第一章 主要目标",
                GOALS,
                *cells,
                "第二章 推动绿色发展",
                "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
            ]
        )
    )
    rows = [(i.title, i.base.raw, i.base.year, i.target.raw, i.annual.raw, i.nature, i.note) for i in plan.indicators]
    assert rows == [
        ("地区生产总值增长", "5.5", 2025, "5左右", "—", "预期性", None),
        ("研究与试验发展经费投入强度", "3.8（2024年）", 2024, "4.2", "—", "预期性", "全社会口径"),
        ("森林覆盖率", "66.8", 2025, "67", "［0.2］", "约束性", None),
    ]
    assert plan.indicators[1].base.number == 3.8 and plan.indicators[2].annual.cumulative


def test_categories_on_their_rows_line_cells_apart_by_wide_spaces_and_groups_over_lines():
    table = [
        "专栏2  “十五五”经济社会发展主要指标",
        "分类    序号    指标    属性    2030年目标值",
        "经济强    1    地区生产总值年均增长率（%）    预期性    5以上",
        "    2    制造业增加值占比（%）    预期性    基本稳定",
        "百姓富    3    居民人均可支配收入增长    预期性    与经济增长",
        "保持同步",
        "    4    每千人口拥有医护",
        "人员数    执业（助理）医师数（人）    预期性    5",
        "            注册护士数（人）    预期性    5.5",
        "城市安全    5    耕地保有量（万公顷）    约束性    完成省定目标",
        "    6    生产安全事故    起数下降（%）    约束性    〔20〕",
        "            死亡人数下降（%）        〔16〕",
        "注：带〔〕数据表示“十五五”期间累计变化情况",
    ]
    plan = kg.extract_text(
        web(
            [
                "第一章 主要目标",
                GOALS,
                *table,
                "第二章 推动绿色发展",
                "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
            ]
        )
    )
    rows = [(i.id, i.category, i.group, i.title, i.unit, i.target.raw, i.nature) for i in plan.indicators]
    assert rows == [
        ("indicator/1", "经济强", None, "地区生产总值年均增长率", "%", "5以上", "预期性"),
        ("indicator/2", "经济强", None, "制造业增加值占比", "%", "基本稳定", "预期性"),
        ("indicator/3", "百姓富", None, "居民人均可支配收入增长", None, "与经济增长保持同步", "预期性"),
        ("indicator/4-1", "百姓富", "每千人口拥有医护人员数", "执业（助理）医师数", "人", "5", "预期性"),
        ("indicator/4-2", "百姓富", "每千人口拥有医护人员数", "注册护士数", "人", "5.5", "预期性"),
        ("indicator/5", "城市安全", None, "耕地保有量", "万公顷", "完成省定目标", "约束性"),
        ("indicator/6-1", "城市安全", "生产安全事故", "起数下降", "%", "〔20〕", "约束性"),
        ("indicator/6-2", "城市安全", "生产安全事故", "死亡人数下降", "%", "〔16〕", "约束性"),
    ]
    assert plan.indicators[-1].target.cumulative and plan.indicator_table.notes


def test_one_page_marker_printed_twice_numbers_no_pages():
    lines = ["目 录", "第一章 发展基础 1", "第二章 主要目标 3", "第三章 推动绿色发展 5", "— 1 —", "— 1 —"]
    body = []
    for k, title in enumerate(("发展基础", "主要目标", "推动绿色发展"), start=1):
        body += [f"第{'一二三'[k - 1]}章 {title}"] + [
            "全市经济总量稳步提升，产业结构持续优化，人民生活水平不断提高，社会事业全面进步。"
        ] * 30
    plan = kg.extract_text("\n".join(lines + body))
    assert [c.title for c in plan.chapters] == ["发展基础", "主要目标", "推动绿色发展"]
    assert all(e.provenance.page_start is None for e in plan.entities())
    assert any("one page marker" in w for w in plan.warnings)


def test_web_page_heading_wrapped_over_two_lines_is_joined_but_not_its_first_paragraph():
    plan = kg.extract_text(
        web(
            [
                "第一篇 坚持“人工智能+”引领，加快建设人工智能创新发展",
                "第一城",
                "着力推进开源生态建设，加快打造人工智能创新发展高地，推动人工智能与实体经济深度融合。",
                "第一章 聚力打造三大枢纽",
                "全市经济总量稳步提升，产业结构持续优化，人民生活水平不断提高。",
                "第二篇 勇担第一方阵使命，建设具有",
                "全球影响力的产业科技创新中心主承载区",
                "第二章 主要目标",
                GOALS,
                "第三章 加强海洋领域合作开放",
                "\u3000\u3000探索海域跨界合作区建设",
                "，推动海洋经济高质量发展，建设现代海洋城市，提升海洋开放合作水平。",
            ]
        )
    )
    assert [p.title for p in plan.parts] == [
        "坚持“人工智能+”引领，加快建设人工智能创新发展第一城",
        "勇担第一方阵使命，建设具有全球影响力的产业科技创新中心主承载区",
    ]
    assert [c.title for c in plan.chapters] == ["聚力打造三大枢纽", "主要目标", "加强海洋领域合作开放"]


def test_figures_appended_after_the_last_chapter_are_no_cut_off_text():
    plan = kg.extract_text(
        web(WEB_PLAN + ["附图1", "2035年青河市域国土空间总体格局规划图", "（青河市国土空间总体规划）"])
    )
    assert plan.truncated is False
    assert "规划图" not in plan.chapters[-1].text


def test_basic_requirements_of_a_15th_plan_are_its_principles():
    plan = kg.extract_text(
        web(
            [
                "第二章 指导思想、基本要求和发展目标",
                "第一节 指导思想和基本要求",
                "指导思想。坚持以新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神。",
                "基本要求。严格遵循重大原则，把握好以下要求：",
                "——更加注重工商并举。坚持产业第一、制造业立市。",
                "——更加注重创新驱动。把创新摆在城市发展全局的核心位置。",
                "第二节 发展目标",
                GOALS,
                "第三章 推动绿色发展",
                "统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。",
            ]
        )
    )
    assert [p.title for p in plan.principles] == ["更加注重工商并举", "更加注重创新驱动"]
    assert [g.title for g in plan.goals] == ["经济实力显著增强"]


def test_box_table_with_cells_apart_by_wide_spaces_and_a_header_of_any_words():
    plan = kg.extract_text(
        web(
            [
                "第一章 建设现代化都市圈",
                "加快建设组团式、网络化、现代化都市圈，系统谋划一批战略性、引领性重大项目。",
                "专栏13  都市圈交通设施重大项目",
                "类型    项目名称",
                "航空    青河机场三期工程",
                "轨道交通    青河北站、沿江高铁、青淮城际铁路",
                "专栏17  九大新城发展指引",
                "地区    指引内容",
                "东湖新城    建设承载国际化功能、展示国际化形象的枢纽门户地区",
                "西山新城    建设生态经济带上的重要节点和临空经济承载区，优先保障",
                "重大项目用地",
                "第二章 主要目标",
                GOALS,
            ]
        )
    )
    got = [(p.box, p.title, p.attributes) for p in plan.projects]
    assert got == [
        ("box/13", "青河机场三期工程", {"类型": "航空"}),
        ("box/13", "青河北站、沿江高铁、青淮城际铁路", {"类型": "轨道交通"}),
        ("box/17", "东湖新城", {"指引内容": "建设承载国际化功能、展示国际化形象的枢纽门户地区"}),
        ("box/17", "西山新城", {"指引内容": "建设生态经济带上的重要节点和临空经济承载区，优先保障重大项目用地"}),
    ]


def test_box_table_of_a_web_page_one_cell_a_line():
    plan = kg.extract_text(
        web(
            [
                "第一章 促进区域协调发展",
                "推动西部区县高质量发展，完善区域协调发展体制机制，缩小区域发展差距。",
                "深化山海协作和结对帮扶，推动公共服务优质共享，促进城乡居民收入持续较快增长。",
                "完善区域重大基础设施布局，推进交通一体化建设，增强区域发展的协同性和整体性。",
                "健全生态产品价值实现机制，推动生态优势转化为发展优势，建设共同富裕示范区。",
                "专栏23 西部区、县（市）发展导向和特色平台",
                "区、县（市）",
                "发展导向",
                "特色平台",
                "东山区",
                "聚焦打造富裕阳光的现代化滨江新城",
                "东山经济技术开发区、滨江新城",
                "西岭县",
                "坚持生态立县、产业兴县、强城优县",
                "西岭高端水业基地、西岭湖旅游区",
                "第二章 主要目标",
                GOALS,
            ]
        )
    )
    assert [(p.title, p.attributes) for p in plan.projects] == [
        ("东山区", {"发展导向": "聚焦打造富裕阳光的现代化滨江新城", "特色平台": "东山经济技术开发区、滨江新城"}),
        ("西岭县", {"发展导向": "坚持生态立县、产业兴县、强城优县", "特色平台": "西岭高端水业基地、西岭湖旅游区"}),
    ]


def test_web_box_printed_without_blank_lines_ends_at_the_blank_line_before_a_paragraph():
    lines = [
        "第一章 优化国土空间布局",
        "立足全市资源禀赋，统筹生产、生活、生态空间，构建多中心、网络化、组团式的城市空间格局。",
        "专栏14 市域空间格局引导",
        "1．南北田园：南田园是无想山以南的广大地区，北田园是江北新区以北的广大地区。",
        "2．中部都市：都市区是以新街口为中心、半径四十公里左右的区域。",
        "3．拥江发展：落实长江大保护要求，以长江为轴，推动两岸协调发展。",
        "",
        "推动中部地区功能与活力焕新。进一步提升高能级要素集聚水平，强化综合服务功能，塑造城市新风貌。",
        "第二章 主要目标",
        GOALS,
    ]
    text = "\n".join(NAV_HEAD + lines + NAV_TAIL)
    plan = kg.extract_text(text)
    assert [p.title for p in plan.projects] == ["南北田园", "中部都市", "拥江发展"]
    assert "推动中部地区功能与活力焕新" in [m.title for m in plan.measures]


def test_box_of_records_a_name_then_repeating_field_labels_each_with_its_value():
    records = []
    for name, goal, place in (
        ("人工智能", "到2030年，人工智能核心产业营业收入突破6000亿元。", "滨江物联网小镇"),
        ("视觉智能", "到2030年，视觉智能产业营业收入达到3000亿元。", "滨萧特别合作园"),
        ("集成电路", "到2030年，集成电路核心产业营业收入达到1500亿元。", "临空经济示范区"),
    ):
        records += [name, "发展目标", goal, "重点平台", place]
    plan = kg.extract_text(
        web(
            [
                "第一章 建设现代化产业体系",
                *["推动制造业高端化、智能化、绿色化发展，建设具有国际竞争力的先进制造业集群。"] * 4,
                "专栏7 先进制造业集群建设工程",
                "加强市域产业布局统筹，构建梯度培育格局。",
                "2个万亿级产业集群",
                *records[:10],
                "9个千亿级特色产业集群",
                *records[10:],
                "第二章 主要目标",
                GOALS,
            ]
        )
    )
    got = [(p.title, p.attributes) for p in plan.projects]
    assert got == [
        (
            "人工智能",
            {
                "类别": "2个万亿级产业集群",
                "发展目标": "到2030年，人工智能核心产业营业收入突破6000亿元。",
                "重点平台": "滨江物联网小镇",
            },
        ),
        (
            "视觉智能",
            {
                "类别": "2个万亿级产业集群",
                "发展目标": "到2030年，视觉智能产业营业收入达到3000亿元。",
                "重点平台": "滨萧特别合作园",
            },
        ),
        (
            "集成电路",
            {
                "类别": "9个千亿级特色产业集群",
                "发展目标": "到2030年，集成电路核心产业营业收入达到1500亿元。",
                "重点平台": "临空经济示范区",
            },
        ),
    ]
    assert plan.boxes[0].text == "加强市域产业布局统筹，构建梯度培育格局。"


def test_header_cells_spaced_inside_categories_as_numbered_count_lines_and_a_repeated_header():
    lines = [
        "第一章 主要目标",
        *para(GOALS),
        "表 1 “十五五”经济社会发展主要指标",
        "序号 指 标 2030 年目标 属性",
        "一、经济强（2 项）",
        "1 地区生产总值年均增长（%） 5 左右 预期性",
        "2 规上工业增加值率（%） 提高 1 个百分点以上 预期性",
        "序号 指 标 2030 年目标 属性",
        "二、百姓富（1 项）",
        "3 3 岁以下婴幼儿入托率（%） 25 预期性",
        "第二章 推动绿色发展",
        *para("统筹山水林田湖草沙系统治理，实施重要生态系统保护和修复重大工程。"),
    ]
    plan = kg.extract_text(render(lines, page_every=60))
    rows = [(i.number, i.category, i.title, i.unit, i.target.raw, i.nature) for i in plan.indicators]
    assert rows == [
        (1, "经济强", "地区生产总值年均增长", "%", "5左右", "预期性"),
        (2, "经济强", "规上工业增加值率", "%", "提高1个百分点以上", "预期性"),
        (3, "百姓富", "3岁以下婴幼儿入托率", "%", "25", "预期性"),
    ]
    assert plan.indicator_table.target_year == 2030


def test_box_of_one_line_items_ends_before_a_lead_paragraph():
    lines = [
        "第一章 发展人工智能产业",
        *para("推动人工智能与实体经济深度融合，打造具有国际竞争力的人工智能产业集群。"),
        "专栏3 人工智能产业布局",
        "1. 东城区重点发展智能机器人、智能低空装备等。",
        "2. 西城区重点发展机器视觉、智能制造装备等。",
        *para("培优育强人工智能原生企业。支持人工智能链主企业做大做强，建设一批人工智能发展驱动中心。"),
        "第二章 主要目标",
        *para(GOALS),
    ]
    plan = kg.extract_text(render(lines, page_every=60))
    assert [p.title for p in plan.projects] == [
        "东城区重点发展智能机器人、智能低空装备等",
        "西城区重点发展机器视觉、智能制造装备等",
    ]
    assert "培优育强人工智能原生企业" in [m.title for m in plan.measures]
