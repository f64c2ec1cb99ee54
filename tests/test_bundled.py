"""Acceptance on the bundled Bayannur plan. Expected values are read off the plan text."""

from __future__ import annotations

from conftest import squash

from kg.read.cleaning import clean, page_marker
from kg.read.source import bundled_plan_path


def test_outline_counts(bundled):
    c = bundled.counts()
    assert (c["parts"], c["chapters"], c["sections"]) == (12, 39, 117)
    assert (c["boxes"], c["projects"], c["indicators"]) == (28, 148, 22)
    assert (c["positionings"], c["goals"], c["vision"]) == (5, 6, 1)


def test_chapters_are_numbered_through_the_document(bundled):
    assert [ch.number for ch in bundled.chapters] == list(range(1, 40))
    assert [p.number for p in bundled.parts] == list(range(1, 13))


def test_titles_wrapped_over_two_lines_are_joined(bundled):
    parts = {p.number: p.title for p in bundled.parts}
    assert parts[4] == "统筹山水林田湖草沙系统治理，构筑北方重要生态安全屏障"
    assert parts[9] == "传承发扬中华优秀传统文化，增强绿色高质量发展底蕴"
    assert parts[11] == "建设平安巴彦淖尔，筑牢祖国北疆安全稳定屏障"
    chapters = {c.number: c.title for c in bundled.chapters}
    assert chapters[9] == "接续推进乌梁素海综合治理"
    assert chapters[11] == "全面改善生态环境质量"  # printed at a page top, after a space


def test_sections_hang_under_their_chapters(bundled):
    sec = next(s for s in bundled.sections if s.id == "chapter/9/section/1")
    assert sec.title == "加强湖区内源治理"
    assert (sec.parent, sec.chapter, sec.part) == ("chapter/9", "chapter/9", "part/4")
    per_chapter = {}
    for s in bundled.sections:
        per_chapter[s.chapter] = per_chapter.get(s.chapter, 0) + 1
    assert per_chapter["chapter/28"] == 5 and "chapter/3" not in per_chapter


def test_strategic_positionings(bundled):
    assert [p.title for p in bundled.positionings] == [
        "黄河流域西北地区重要生态安全屏障",
        "祖国北疆安全稳定屏障",
        "河套全域绿色有机高端农畜产品生产加工服务输出基地",
        "国家清洁能源基地",
        "对蒙开发开放重要窗口",
    ]
    # The third is alone on its line; its explanation starts on the next one.
    assert bundled.positionings[2].text.startswith("对标习近平总书记关于“河套灌区要发展现代农业”")
    assert bundled.positionings[4].text.endswith("成为国家对蒙开发开放的重要窗口。")
    assert all(p.chapter == "chapter/5" for p in bundled.positionings)


def test_goals_and_vision(bundled):
    assert [g.title for g in bundled.goals] == [
        "经济发展取得新成效",
        "生态文明实现新进步",
        "改革创新迈出新步伐",
        "社会文明得到新提高",
        "民生福祉达到新水平",
        "治理效能获得新提升",
    ]
    assert "森林覆盖率达到9%、草原植被盖度稳定在28%左右" in bundled.goals[1].text
    assert bundled.vision.number == 2035
    assert bundled.vision.text.startswith("展望2035年，巴彦淖尔基本实现社会主义现代化")
    assert bundled.horizon == 2035 and (bundled.period_start, bundled.period_end) == (2021, 2025)
    assert bundled.title == "巴彦淖尔市国民经济和社会发展第十四个五年规划和2035年远景目标纲要"


def test_principles_and_achievements_are_not_measures(bundled):
    assert [p.title for p in bundled.principles] == [
        "坚持党的全面领导",
        "坚持以人民为中心",
        "坚持新发展理念",
        "坚持深化改革开放",
        "坚持系统观念",
    ]
    assert len(bundled.achievements) == 9
    assert bundled.achievements[0].title == "综合实力稳步提升"
    assert bundled.achievements[0].text.startswith("地区生产总值稳中有进，2020年实现874亿元")
    measure_chapters = {int(m.chapter.split("/")[1]) for m in bundled.measures}
    assert min(measure_chapters) == 7 and max(measure_chapters) == 39


def test_lead_phrase_measures(bundled):
    lead = [m for m in bundled.measures if m.unit == "lead-phrase"]
    assert len(lead) == 141
    by_id = {m.id: m for m in lead}
    m = by_id["chapter/7/section/1/measure/1"]
    assert m.title == "完善产业创新布局"
    assert m.text.startswith("围绕农畜产品精深加工业") or m.text
    assert by_id["chapter/9/section/2/measure/1"].title == "强化农业面源污染治理"
    assert by_id["chapter/9/section/2/measure/2"].title == "加强点源污染治理"
    assert by_id["chapter/16/section/2/measure/1"].title == "全面打响“天赋河套”品牌"
    # Sentences with a subject are no lead phrases.
    assert not any(m.title.startswith("各") for m in lead)


def test_section_without_lead_phrases_is_one_measure(bundled):
    m = next(m for m in bundled.measures if m.id == "chapter/9/section/1/measure/1")
    assert m.unit == "section" and m.title == "加强湖区内源治理"
    assert m.text.startswith("抓住国家实施黄河河道和滩区综合提升治理工程有利契机")


def test_box_inside_a_sentence_is_cut_out_and_the_sentence_rejoined(bundled):
    box = next(b for b in bundled.boxes if b.label == "4-6")
    assert (box.section, box.chapter) == ("chapter/12/section/1", "chapter/12")
    m = next(m for m in bundled.measures if m.id == "chapter/12/section/1/measure/1")
    assert "开展重点饮用水源、工业园区等区域突发环境事件风险评估，落实环境风险隐患整治。" in m.text
    projects = [p for p in bundled.projects if p.box == box.id]
    assert [p.title for p in projects] == ["巴彦淖尔市固体废弃物资源化利用项目", "巴彦淖尔市垃圾综合利用项目"]
    assert projects[-1].text == "在旗县区建设生活垃圾等城镇垃圾综合利用项目。"


def test_two_boxes_with_one_label_stay_two(bundled):
    twins = [b for b in bundled.boxes if b.label == "6-5"]
    assert [b.title for b in twins] == ["农文旅融合发展重大工程", "新型园区重大工程"]
    assert len({b.id for b in twins}) == 2
    assert [b.chapter for b in twins] == ["chapter/21", "chapter/22"]
    for b in twins:
        assert len([p for p in bundled.projects if p.box == b.id]) == 3


def test_projects(bundled):
    per_box = {}
    for p in bundled.projects:
        per_box[p.box] = per_box.get(p.box, 0) + 1
    assert per_box["box/5-2"] == 13 and per_box["box/7-1"] == 12 and per_box["box/4-1"] == 9
    titles = {p.title for p in bundled.projects}
    assert "巴彦淖尔市484万亩盐碱地改良示范工程" in titles  # PDF spaces around digits dropped
    assert "巴彦淖尔市5G建设工程" in titles
    assert "乌梁素海生态修复工程（暨耕地占补平衡项目）" in titles
    first = next(p for p in bundled.projects if p.id == "box/4-1/project/1")
    assert first.title == "内蒙古乌梁素海生态修复补水专用通道工程"
    assert (
        first.text == "利用黄河北支故道，建设生态修复补水专用通道，实现黄河过境活水调剂，改善乌梁素海流域水生态环境。"
    )
    assert first.marker == "（一）" and first.number == 1


# name, unit, base, target, annual, nature — as printed in the plan's table
EXPECTED_INDICATORS = [
    ("经济发展", "地区生产总值增长", "%", "-1.5", "—", "5左右", "预期性"),
    ("经济发展", "全员劳动生产率增长", "%", "—", "—", "5左右", "预期性"),
    ("经济发展", "常住人口城镇化率", "%", "56.1", "60", "[3.9]", "预期性"),
    ("创新驱动", "全社会研发经费投入增长", "%", "2", "—", "12", "预期性"),
    ("创新驱动", "每万人高价值发明专利拥有量", "件", "0.35", "0.78", "—", "预期性"),
    ("创新驱动", "使用5G网络人口占比", "%", "9", "50", "[41]", "预期性"),
    ("民生福祉", "居民人均可支配收入增长", "%", "3.7", "—", "与GDP增速基本同步", "预期性"),
    ("民生福祉", "城镇调查失业率", "%", "待自治区反馈", "—", "6左右", "预期性"),
    ("民生福祉", "劳动年龄人口平均受教育年限", "年", "10.8", ">11", "—", "约束性"),
    ("民生福祉", "每千人口拥有执业（助理）医师数", "人", "3.0", "3.2", "—", "预期性"),
    ("民生福祉", "基本养老保险参保数", "万人", "108.68", "116", "—", "预期性"),
    ("民生福祉", "每千人拥有3岁以下婴幼儿托位数", "个", "0.8", "1.3", "—", "预期性"),
    ("民生福祉", "人均预期寿命", "岁", "—", "—", "[0.5]", "预期性"),
    ("绿色生态", "单位地区生产总值能源消耗降低", "%", "[8.4]", "—", "达到自治区要求", "约束性"),
    ("绿色生态", "单位地区生产总值二氧化碳排放降低", "%", "待自治区反馈", "—", "达到自治区要求", "约束性"),
    ("绿色生态", "地级及以上城市空气质量优良天数比率", "%", "84.1", "—", "达到自治区要求", "约束性"),
    ("绿色生态", "地表水达到或好于Ⅲ类水体比例", "%", "66.7", "—", "达到自治区要求", "约束性"),
    ("绿色生态", "森林覆盖率", "%", "8.53", "9", "[0.47]", "约束性"),
    ("绿色生态", "草原植被盖度", "%", "27.7", "28左右", "—", "预期性"),
    ("绿色生态", "建成区绿地率", "%", "34.6", "35.2", "[0.6]", "预期性"),
    ("安全保障", "粮食综合生产能力", "亿斤", "55.2", ">50", "—", "约束性"),
    ("安全保障", "能源综合生产能力", "亿吨标煤", "0.047", "0.18", "—", "约束性"),
]


def test_indicator_rows_with_all_fields(bundled):
    got = [(i.category, i.title, i.unit, i.base.raw, i.target.raw, i.annual.raw, i.nature) for i in bundled.indicators]
    assert got == EXPECTED_INDICATORS
    assert [i.number for i in bundled.indicators] == list(range(1, 23))


def test_indicator_values_are_parsed(bundled):
    ind = {i.number: i for i in bundled.indicators}
    assert (ind[1].base.number, ind[1].annual.number, ind[1].annual.qualifier) == (-1.5, 5.0, "左右")
    assert ind[1].target.empty and ind[1].target.number is None
    assert ind[3].annual.cumulative and ind[3].annual.number == 3.9
    assert (ind[9].target.comparator, ind[9].target.number) == (">", 11.0)
    assert ind[7].annual.text == "与GDP增速基本同步" and ind[7].annual.number is None
    assert ind[8].base.text == "待自治区反馈"
    assert ind[14].base.cumulative and ind[14].base.number == 8.4
    assert ind[14].annual.text == "达到自治区要求"
    assert (ind[1].base.year, ind[1].target.year) == (2020, 2025)
    table = bundled.indicator_table
    assert (table.base_year, table.target_year) == (2020, 2025)
    assert table.title == "“十四五”时期经济社会发展主要指标"
    assert len(table.notes) == 4 and "[ ]内为5年累计数" in table.notes[0]
    assert "能源综合生产能力指煤炭、石油、天然气、非化石能源生产能力之和" in table.notes[2]
    assert all(i.chapter == "chapter/6" for i in bundled.indicators)


def test_pages_agree_with_every_printed_page_marker(bundled_lines):
    """A footer '－ N －' closes page N: the line above is on page N, the line below on N+1."""
    pages = {ln.no: ln.page for ln in clean("\n".join(bundled_lines))}
    markers = [(i + 1, page_marker(raw)) for i, raw in enumerate(bundled_lines) if page_marker(raw)]
    assert len(markers) == 6
    for no, number in markers:
        above = max(n for n in pages if n < no)
        below = min(n for n in pages if n > no)
        assert (pages[above], pages[below]) == (number, number + 1)


def test_provenance_is_verbatim_and_in_range(bundled, bundled_lines):
    for e in bundled.entities():
        prov = e.provenance
        assert prov.line_start <= prov.line_end and prov.page_start <= prov.page_end
        window = bundled_lines[prov.line_start - 1 : prov.line_end]
        for line in prov.source.split("\n"):
            assert line in window, (e.id, line)


def test_titles_and_texts_come_from_the_source(bundled):
    """Every title and text is the entity's source lines with wrap spaces removed."""
    for e in bundled.entities():
        source = squash(e.provenance.source)
        assert squash(e.title) in source or e.kind == "preface", e.id
        pieces = e.text.split(" | ") if e.kind == "indicator" else e.text.split("\n")
        for piece in pieces:
            assert squash(piece) in source, e.id


def test_bundled_path_is_packaged():
    assert bundled_plan_path().is_file()
