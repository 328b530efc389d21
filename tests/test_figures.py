"""extract_figures: golden figures checked by hand in the seeds, rules on small sentences, data files."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics.features.figures import CATEGORIES, extract_figures, lexicons
from analytics.paths import SEEDS_DIR, data_file
from analytics.pipeline.clean import clean_document
from analytics.registry import TABLES


def _passages(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame([
        {"passage_id": i, "doc_id": d, "unit": u, "speaker": "", "start": s, "end": s + len(t), "text": t}
        for i, (d, u, s, t) in enumerate(rows)
    ])


def _figs(text: str, unit: str = "某县", start: int = 0) -> pd.DataFrame:
    return extract_figures(_passages([("doc", unit, start, text)]))


def _clean_seed(prefix: str) -> str:
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return clean_document(path.read_text(encoding="utf-8")).text


@pytest.fixture(scope="module")
def seed_figures() -> dict[str, tuple[str, pd.DataFrame]]:
    """Seeds 000/002/004 as one passage each, the county as unit (as the brief prescribes)."""
    out = {}
    for prefix, unit in (("000", "沁源县"), ("002", "岚县"), ("004", "柞水县")):
        text = _clean_seed(prefix)
        out[prefix] = (text, extract_figures(_passages([(prefix, unit, 0, text)])))
    return out


def _row(figs: pd.DataFrame, indicator: str, value: float) -> pd.Series:
    hit = figs[(figs.indicator == indicator) & (figs.value == value)]
    assert len(hit) >= 1, f"{indicator} {value} not in\n{figs[['indicator', 'value', 'measure']]}"
    return hit.iloc[0]


def test_columns_match_schema_and_dtypes(seed_figures):
    _, figs = seed_figures["002"]
    assert list(figs.columns) == TABLES["figures"]
    assert str(figs["year"].dtype) == "Int64" and figs["is_target"].dtype == bool
    assert set(figs["category"]) <= set(CATEGORIES)


def test_empty_input_gives_empty_table():
    empty = pd.DataFrame(columns=TABLES["passages"])
    out = extract_figures(empty)
    assert out.empty and list(out.columns) == TABLES["figures"]


def test_offsets_point_into_clean_text(seed_figures):
    for text, figs in seed_figures.values():
        for _, r in figs.iterrows():
            span = text[r.start:r.end]
            assert re.search(r"[\d一二两三四五六七八九十百千]", span), span
            assert span in r.evidence
            assert text.find(r.evidence) >= 0


def test_golden_lanxian_population(seed_figures):
    r = _row(seed_figures["002"][1], "总人口", 18.7)
    assert (r.measure, r.value_normalized, r.measure_normalized, r.category) == ("万人", 187000.0, "人", "demography")
    assert not r.is_target and "总人口18.7万人" in r.evidence


def test_golden_zhashui_forest_cover(seed_figures):
    r = _row(seed_figures["004"][1], "森林覆盖率", 76.0)
    assert (r.measure, r.measure_normalized, r.category) == ("%", "%", "ecology")


@pytest.mark.parametrize("indicator, value, uom, normalized, unit_norm, category, year, target", [
    # 002 岚县, checked by hand in the seed's 县情 section and strategy sections
    ("国土面积", 1512.0, "平方公里", 1512.0, "平方公里", "other", None, False),
    ("林草覆盖率", 43.62, "%", 43.62, "%", "ecology", None, False),
    ("林地面积", 128.0, "万亩", 1.28e6, "亩", "ecology", None, False),
    ("平均气温", 6.9, "℃", 6.9, "℃", "ecology", None, False),
    ("无霜期", 120.0, "天", 120.0, "天", "ecology", None, False),
    ("年均降水量", 457.0, "毫米", 457.0, "毫米", "ecology", None, False),
    ("水资源总量", 8578.0, "万立方米", 8.578e7, "立方米", "ecology", None, False),
    ("铁矿探明储量", 20.0, "亿吨", 2e9, "吨", "industry", None, False),
    ("地区生产总值", 65.25, "亿元", 6.525e9, "元", "economy", 2021, False),
    ("城镇居民人均可支配收入", 24436.0, "元", 24436.0, "元", "economy", 2021, False),
    ("农村居民人均可支配收入", 7509.0, "元", 7509.0, "元", "economy", 2021, False),
    ("非遗项目", 16.0, "项", 16.0, "项", "tourism", None, False),
    ("行政村", 136.0, "个", 136.0, "个", "other", None, False),
    ("产能", 830.0, "万吨", 8.3e6, "吨", "industry", None, True),
    ("知名企业", 10.0, "家", 10.0, "家", "industry", 2025, True),  # 力争到“十四五”末
])
def test_golden_lanxian(seed_figures, indicator, value, uom, normalized, unit_norm, category, year, target):
    r = _row(seed_figures["002"][1], indicator, value)
    assert r.measure == uom and r.value_normalized == pytest.approx(normalized)
    assert r.measure_normalized == unit_norm and r.category == category
    assert (None if pd.isna(r.year) else int(r.year)) == year and bool(r.is_target) is target


def test_golden_lanxian_sector_ratio_one_figure_per_sector(seed_figures):
    figs = seed_figures["002"][1]
    parts = figs[figs.indicator.isin(["第一产业占比", "第二产业占比", "第三产业占比"])]
    assert parts.value.tolist() == [8.4, 64.9, 26.7] and set(parts.measure) == {"%"}


@pytest.mark.parametrize("indicator, value, uom, normalized, category, year, target", [
    # 004 柞水县
    ("植被覆盖率", 88.0, "%", 88.0, "ecology", None, False),
    ("平均气温", 15.6, "℃", 15.6, "ecology", None, False),
    ("负氧离子浓度", 8000.0, "个", 8000.0, "ecology", None, False),
    ("剩余劳动力", 3.0, "万", 30000.0, "demography", None, False),
    ("自然人文景观", 80.0, "处", 80.0, "tourism", None, False),
    ("产业", 5.0, "个", 5.0, "industry", None, False),  # 五大产业
    ("康养产业产值", 100.0, "亿元", 1e10, "economy", 2025, True),
    ("总投资", 30.0, "亿元", 3e9, "investment", None, True),
    ("特色民宿", 400.0, "院", 400.0, "tourism", None, True),
    ("高新技术企业", 3.0, "家", 3.0, "industry", None, False),  # 每年……以上: a per-year figure (period), no target cue
])
def test_golden_zhashui(seed_figures, indicator, value, uom, normalized, category, year, target):
    r = _row(seed_figures["004"][1], indicator, value)
    assert r.measure == uom and r.value_normalized == pytest.approx(normalized) and r.category == category
    assert (None if pd.isna(r.year) else int(r.year)) == year and bool(r.is_target) is target


def test_golden_zhashui_target_year_2026(seed_figures):
    figs = seed_figures["004"][1]
    r = figs[(figs.value == 45.0) & (figs.measure == "%")].iloc[0]
    assert r.is_target and r.year == 2026 and "比例" in r.indicator


def test_golden_changzhi_zone_in_traditional_seed():
    text = _clean_seed("003")
    line_start = text.index("今年以来，长治经开区")
    line_end = text.index("\n", line_start)
    figs = extract_figures(_passages([("003", "长治经开区", line_start, text[line_start:line_end])]))
    projects = _row(figs, "开工项目", 56.0)
    assert projects.measure == "个" and projects.category == "investment"
    money = _row(figs, "总投资", 163.92)
    assert money.measure == "亿元" and money.value_normalized == pytest.approx(163.92e8)
    assert text[money.start:money.end] == "163.92亿元" and text[projects.start:projects.end] == "56个"


def test_golden_yuncheng_signed_projects_in_traditional_seed():
    text = _clean_seed("001")
    figs = extract_figures(_passages([("001", "运城市", 0, text)]))
    assert _row(figs, "签约项目", 23.0).measure == "个"
    assert _row(figs, "总投资", 134.66).value_normalized == pytest.approx(134.66e8)


def test_no_dates_years_or_slogans_in_seeds(seed_figures):
    for text, figs in seed_figures.values():
        spans = [text[a:b] for a, b in zip(figs.start, figs.end)]
        assert not [s for s in spans if re.fullmatch(r"\d{4}", s) or s.endswith(("年", "月", "日"))]
    spans_002 = [seed_figures["002"][0][a:b] for a, b in zip(seed_figures["002"][1].start, seed_figures["002"][1].end)]
    for slogan in ("两个", "三大", "一个", "六个", "四个", "二大"):
        assert slogan not in spans_002
    # 000: "4个小时的研讨" is a meeting's length, not a fact about the county
    assert "4个" not in [seed_figures["000"][0][a:b] for a, b in zip(seed_figures["000"][1].start, seed_figures["000"][1].end)]


def test_passage_offset_is_added():
    figs = _figs("全县总人口18.7万人。", start=100)
    assert (figs.start.iloc[0], figs.end.iloc[0]) == (105, 111)


@pytest.mark.parametrize("sentence", [
    "全省地区生产总值达到2.5万亿元。",
    "我省森林覆盖率达到23.18%。",
    "全国粮食产量68653万吨，同比增长2%。",
    "今年以来，全省开发区工业投资增长15%。",
])
def test_national_and_provincial_figures_are_not_credited(sentence):
    assert _figs(sentence).empty


def test_city_wide_figures_depend_on_unit():
    assert _figs("全市签约项目23个。", unit="某县").empty
    assert len(_figs("全市签约项目23个。", unit="永济市")) == 1
    # 立足全国、全省… earlier in a sentence does not make the county's own figure national
    assert len(_figs("立足全国、全省大局，全县总人口18.7万人。")) == 1


def test_targets_and_years():
    f = _figs("力争到2025年康养产业产值突破100亿元。")
    assert f.is_target.iloc[0] and f.year.iloc[0] == 2025 and f.indicator.iloc[0] == "康养产业产值"
    f = _figs("2021年全县地区生产总值完成65.25亿元。")
    assert not f.is_target.iloc[0] and f.year.iloc[0] == 2021
    f = _figs("去年全县地区生产总值完成65.25亿元。")
    assert pd.isna(f.year.iloc[0])
    f = _figs("上报扩界面积11.87平方公里，力争全县产能达830万吨。")
    assert f.is_target.tolist() == [False, True]
    f = _figs("力争到“十四五”末，引进10家以上知名企业。")
    assert f.is_target.iloc[0] and f.year.iloc[0] == 2025


def test_indicator_naming_rules():
    f = _figs("立足境内76%的森林覆盖率、88%的植被覆盖率。")
    assert f.indicator.tolist() == ["森林覆盖率", "植被覆盖率"]
    f = _figs("全县辖4镇5乡136个行政村。")
    assert f.indicator.tolist() == ["建制镇数", "乡数", "行政村"]
    f = _figs("山地丘陵占总面积的85%。")
    assert f.indicator.iloc[0] == "山地丘陵占比"
    f = _figs("山地、丘陵占总面积的85%。")
    assert f.indicator.iloc[0] == "山地、丘陵占比"
    f = _figs("地区生产总值增长8.5%。")
    assert f.indicator.iloc[0] == "地区生产总值增速" and f.category.iloc[0] == "economy"
    f = _figs("持续推动12个风电项目建设。")
    assert f.indicator.iloc[0] == "风电项目" and f.category.iloc[0] == "investment"
    f = _figs("全县常住人口15.2万人，户籍人口17万人。")
    assert f.indicator.tolist() == ["常住人口", "户籍人口"] and set(f.category) == {"demography"}
    f = _figs("表达了全县16万人民的期待。")
    assert (f.indicator.iloc[0], f.value_normalized.iloc[0]) == ("人口", 160000.0)


def test_ranges_and_hedges_stay_visible():
    f = _figs("每年新增造林3-5万亩。")
    text = "每年新增造林3-5万亩。"
    assert f.value.iloc[0] == 3.0 and text[f.start.iloc[0]:f.end.iloc[0]] == "3-5万亩"
    f = _figs("矿产资源20多种。")
    assert f.value.iloc[0] == 20.0 and "20多种" in f.evidence.iloc[0]


def test_clock_time_is_not_a_ratio():
    assert _figs("会议于9:30召开。").empty


def test_indicator_lexicon_is_clean():
    ind = pd.read_csv(data_file("indicators.csv"), dtype=str, keep_default_na=False)
    assert not ind["pattern"].duplicated().any()
    assert set(ind["category"]) <= set(CATEGORIES)
    assert set(ind["kind"]) <= {"measure", "ratio", "growth", "decline"}
    for p in ind["pattern"]:
        assert re.compile(p).groups == 0, p  # rows are told apart by their named group
    nouns = pd.read_csv(data_file("count_nouns.csv"), dtype=str, keep_default_na=False)
    assert not nouns["noun"].duplicated().any() and set(nouns["category"]) <= set(CATEGORIES)
    assert set(nouns["keep"]) <= {"0", "1"}
    heads = pd.read_csv(data_file("indicator_heads.csv"), dtype=str, keep_default_na=False)
    assert set(heads["category"]) - {""} <= set(CATEGORIES)
    units = pd.read_csv(data_file("measure_units.csv"), dtype=str, keep_default_na=False)
    used = set(ind["category"]) | set(nouns["category"]) | set(heads["category"]) | set(units["category"])
    assert set(CATEGORIES) <= used  # every category has terms
    cues = pd.read_csv(data_file("status_cues.csv"), dtype=str, keep_default_na=False, comment="#")
    assert set(cues["scope"]) <= {"before", "clause"}
    assert set(cues["status"]) <= {"actual", "estimate", "target", "plan"}
    lexicons()  # every file compiles


# ---------------------------------------------------------------- status, period, year, canonical indicator

@pytest.mark.parametrize("sentence, value, status", [
    ("力争全县地区生产总值突破150亿元。", 150.0, "target"),
    ("到2027年，全县森林覆盖率提高到68%。", 68.0, "target"),
    ("预计全年地区生产总值完成132亿元。", 132.0, "estimate"),
    ("初步统计，全年接待游客480万人次。", 480.0, "estimate"),
    ("谋划储备项目36个。", 36.0, "plan"),
    ("拟总投资12亿元建设冷链物流园。", 12.0, "plan"),
    ("力争三年内建成3个产业园，目前已建成2个产业园。", 2.0, "actual"),  # the nearest cue decides
    ("全县常住人口23.6万人。", 23.6, "actual"),
])
def test_status_from_the_nearest_cue(sentence, value, status):
    r = _row(_figs(sentence), _figs(sentence).set_index("value").loc[value, "indicator"], value)
    assert r.status == status and bool(r.is_target) is (status == "target")


def test_status_year_period_and_canonical_indicator_of_each_figure():
    text = ("发布时间：2024-03-12\n2023年，全县地区生产总值完成86.2亿元，增长6.1%。"
            "上半年一般公共预算收入4.3亿元。\n今年，城镇、农村居民人均可支配收入力争分别达到41200元、19800元。"
            "过去五年，年均增长7.5%。")
    figs = extract_figures(_passages([("doc", "某县", 0, text)]), dates={"doc": "2024-03-12"}).set_index("value")
    assert figs.loc[86.2, ["indicator_id", "year", "status"]].tolist() == ["gdp", 2023, "actual"]
    assert figs.loc[6.1, ["indicator_id", "year"]].tolist() == ["gdp_growth", 2023]
    assert figs.loc[4.3, ["indicator_id", "period", "year"]].tolist() == ["budget_revenue", "h1", 2023]
    assert figs.loc[41200.0, ["indicator_id", "qualifier", "status", "year"]].tolist() == [
        "disposable_income", "urban", "target", 2024]  # 今年 = the document's year
    assert figs.loc[19800.0, ["indicator_id", "qualifier"]].tolist() == ["disposable_income", "rural"]
    assert figs.loc[7.5, "period"] == "annual_avg"


def test_bare_magnitude_after_a_counted_indicator_takes_its_measure():
    figs = _figs("全县人口32万，年接待游客650万，产值过千亿。").set_index("value")
    assert figs.loc[32.0, ["measure", "value_normalized", "indicator_id"]].tolist() == ["万人", 320000.0, "population"]
    assert figs.loc[650.0, ["measure", "indicator_id"]].tolist() == ["万人次", "tourist_visits"]
    assert figs.loc[1000.0, ["measure", "value_normalized"]].tolist() == ["亿元", 1e11]


def test_scale_class_ratio_and_spaced_measures():
    figs = _figs("全县辖6 个镇，三次产业比调整为9.6︰41.2︰49.2，打造300亿级新材料产业集群。").set_index("value")
    assert figs.loc[6.0, "measure"] == "个"
    assert figs.loc[[9.6, 41.2, 49.2], "qualifier"].tolist() == ["primary", "secondary", "tertiary"]
    assert figs.loc[300.0, ["indicator_id", "measure", "status"]].tolist() == ["industry_scale_class", "亿元", "target"]


@pytest.mark.parametrize("sentence, ranks", [
    ("全县县域经济综合排名居全省第12位。", [12.0]),
    ("旅游收入增速位列全市首位。", [1.0]),
    ("经济总量跃居全省县域第一。", [1.0]),
    ("西峡县第三季度重大项目集中开工。", []),        # an ordinal of a quarter, no rank
    ("全市共有4个县进入全省前十。", []),              # a set the units belong to, not a rank
])
def test_ranks(sentence, ranks):
    figs = _figs(sentence)
    got = figs.loc[figs["indicator_id"] == "rank", "value"].tolist()
    assert got == ranks
    assert set(figs.loc[figs["indicator_id"] == "rank", "measure"]) <= {"位次"}


@pytest.mark.parametrize("sentence, kept, dropped", [
    ("新签约项目46个，其中10亿元以上项目9个。", [46.0, 9.0], [10.0]),
    ("全县森林覆盖率超过80%的村有9个。", [9.0], [80.0]),
    ("年销售额1000万元以上的企业占比超过四成。", [4.0], [1000.0]),
    ("该县是全国500个产粮大县之一。", [], [500.0]),
    ("全县被纳入全省40个重点县。", [], [40.0]),
    ("全县森林覆盖率达72.5%，远高于全国平均水平24.02%。", [72.5], [24.02]),
    ("森林覆盖率72.5%，约为全国平均水平（24.02%）的3倍。", [72.5, 3.0], [24.02]),
    ("全县旅游收入占全市的27.2%。", [27.2], []),
    ("培育科技型企业20家以上、高新技术企业3家以上。", [20.0, 3.0], []),
])
def test_thresholds_sets_and_other_places_figures_are_not_the_units(sentence, kept, dropped):
    values = set(_figs(sentence)["value"])
    assert set(kept) <= values and not (set(dropped) & values), values


def test_status_carries_over_a_semicolon_list_and_past_target_years_are_actuals():
    text = "预计全年地区生产总值完成118亿元，增长6%；一般公共预算收入9.2亿元。全县常住人口28万人。"
    figs = extract_figures(_passages([("doc", "某县", 0, text)])).set_index("value")
    assert figs.loc[[118.0, 6.0, 9.2], "status"].tolist() == ["estimate"] * 3
    assert figs.loc[28.0, "status"] == "actual"
    past = "地区生产总值由2016年的60亿元增加到2021年的96亿元。"
    dated = extract_figures(_passages([("doc", "某县", 0, past)]), dates={"doc": "2022-01-10"}).set_index("value")
    assert dated.loc[96.0, "status"] == "actual"
    undated = extract_figures(_passages([("doc", "某县", 0, "到2030年地区生产总值达到200亿元。")]))
    assert undated["status"].tolist() == ["target"] and undated["year"].tolist() == [2030]


def test_a_percentage_point_change_names_the_rate_before_it():
    figs = _figs("全县常住人口城镇化率达到52.3%，提高1.2个百分点。").set_index("value")
    assert figs.loc[1.2, ["indicator_id", "measure"]].tolist() == ["urbanization_rate_growth", "个百分点"]


@pytest.mark.parametrize("text, value, expected", [
    ("签约项目中，年产20万吨铝板带箔项目总投资32亿元。", 20.0, "production_capacity"),   # a plant's year: capacity
    ("某某有限公司年处理废旧电池60万吨。", 60.0, "production_capacity"),
    ("全县年产苹果20万吨。", 20.0, "agricultural_output"),                              # a county's harvest
    ("银耳年产量达到38万吨。", 38.0, "agricultural_output"),
    ("全县矿泉水产量216万吨。", 216.0, "other"),       # a manufactured product's output is no farm output
    ("全县马铃薯产量60万吨。", 60.0, "agricultural_output"),
])
def test_annual_output_is_a_capacity_for_a_plant_and_a_harvest_for_a_county(text, value, expected):
    figures = _figs(text)
    assert figures.set_index("value").loc[value, "indicator_id"] == expected
