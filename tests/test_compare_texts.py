"""Texts that compare counties (issue 17): whose number it is and what it measures, on hand-checked texts.

Each test runs the engine (analytics.corpus.engine.analyse_documents) on a short text written for it and
checks the figures it names by value: unit, sign, indicator, period.
"""
import pandas as pd
import pytest

from analytics.corpus.engine import analyse_documents
from analytics.features.indicators import comparable


def _analyse(*texts: str) -> dict[str, pd.DataFrame]:
    docs = pd.DataFrame([{"doc_id": f"d{i}", "file_name": f"d{i}.txt", "source": "test", "format": "txt",
                          "encoding": "utf-8", "raw_text": text} for i, text in enumerate(texts)])
    return analyse_documents(docs)


def _figures(text: str) -> pd.DataFrame:
    return _analyse(text)["figures"]


def _by_value(figures: pd.DataFrame, value: float) -> dict:
    rows = figures[(figures["value"] - value).abs() < 1e-9]
    assert len(rows) == 1, f"{value}: {rows[['unit', 'indicator', 'value']].values.tolist()}"
    return rows.iloc[0].to_dict()


def _place(text: str) -> str:
    return _analyse(text)["documents"]["place"].iat[0]


# ---------------------------------------------------------------- signs, changes and periods

def test_a_fall_is_a_negative_value_and_a_change_is_no_level():
    f = _figures("沁源县2023年固定资产投资同比下降3.9%，粮食产量减少0.3亿斤，规上工业增加值增长-1.2%，"
                 "城镇化率降低0.4个百分点。")
    assert _by_value(f, -3.9)["indicator_id"] == "fixed_asset_investment_growth"
    change = _by_value(f, -0.3)
    assert (change["indicator_id"], change["measure"]) == ("grain_output_change", "亿斤")
    assert _by_value(f, -1.2)["indicator_id"] == "industrial_value_added_growth"  # the number's own sign
    assert _by_value(f, -0.4)["indicator_id"] == "urbanization_rate_growth"
    assert (f["value"] > 0).sum() == 0
    text = "沁源县2023年固定资产投资同比下降3.9%"
    row = _by_value(f, -3.9)
    assert text[row["start"]:row["end"]] == "3.9%"  # the evidence stays as written


def test_each_item_of_a_respectively_list_keeps_its_own_direction():
    f = _figures("长治市2023年县域经济情况\n分县看，沁源县、沁县、武乡县规上工业增加值分别增长6.2%、3.1%和下降2.4%。")
    assert [_by_value(f, v)["unit"] for v in (6.2, 3.1, -2.4)] == ["沁源县", "沁县", "武乡县"]


@pytest.mark.parametrize("text,value,period", [
    ("一季度，沁源县规上工业增加值增长5.5%。", 5.5, "q1"),
    ("1—10月，沁源县固定资产投资增长7.1%。", 7.1, "m1_m10"),
    ("1-6月，沁源县社会消费品零售总额12.3亿元。", 12.3, "h1"),
    ("国庆假期，沁源县接待游客31.5万人次。", 31.5, "holiday"),
    ("截至9月底，沁源县完成旅游收入8.8亿元。", 8.8, "q1_q3"),      # a flow up to September
    ("截至9月底，沁源县有规上工业企业56家。", 56, ""),             # a stock at that point
    ("沁源县增速比1—9月回落0.3个百分点。", -0.3, ""),              # 1—9月 is the comparison's base
])
def test_periods(text, value, period):
    assert _by_value(_figures(text), value)["period"] == period


def test_a_titles_period_holds_for_the_flows_of_every_paragraph():
    f = _figures("上半年沁源县经济运行简况\n\n全县一般公共预算收入完成4.6亿元，增长3.3%。\n\n"
                 "全县现有规上工业企业61家。\n\n2023年全年，全县地区生产总值达到212亿元。")
    assert _by_value(f, 4.6)["period"] == "h1" and _by_value(f, 3.3)["period"] == "h1"
    assert _by_value(f, 61)["period"] == ""   # a count of firms is a stock
    assert _by_value(f, 212)["period"] == ""  # a year of its own


# ---------------------------------------------------------------- whose number: the scope of a mention

def test_a_list_item_with_its_own_figure_opens_its_own_clause():
    f = _figures("长治市签约项目情况\n各县区签约项目分别为：沁源县38个、沁县35个、襄垣县29个。")
    assert [_by_value(f, v)["unit"] for v in (38, 35, 29)] == ["沁源县", "沁县", "襄垣县"]


def test_a_place_after_a_time_or_topic_frame_still_opens_its_clause():
    f = _figures("长治市县域经济\n2022年沁源县地区生产总值为118.6亿元。截至2023年底沁县常住人口12.1万人。"
                 "在旅游方面，武乡县接待游客480万人次。")
    assert _by_value(f, 118.6)["unit"] == "沁源县"
    assert _by_value(f, 12.1)["unit"] == "沁县"
    assert _by_value(f, 480)["unit"] == "武乡县"


def test_a_paragraph_per_unit_gives_its_figures_to_its_unit():
    text = ("长治市县情概览\n\n【沁源县】全县总面积2549平方公里。年末常住人口15.1万人。全年地区生产总值增长5.8%。\n\n"
            "【武乡县】位于市境北部。全县总面积1610平方公里，年末常住人口17.4万人。")
    f = _figures(text)
    assert _by_value(f, 2549)["unit"] == "沁源县" and _by_value(f, 15.1)["unit"] == "沁源县"
    assert _by_value(f, 5.8)["unit"] == "沁源县"
    assert _by_value(f, 1610)["unit"] == "武乡县" and _by_value(f, 17.4)["unit"] == "武乡县"
    assert _by_value(f, 2549)["indicator_id"] == "land_area"


def test_a_county_text_keeps_its_figures_when_it_names_a_neighbour():
    text = "沁源县经济运行情况\n沁县代表团到沁源县考察交流。全县规上工业增加值增长6.6%。双方签约合作项目3个。"
    f = _figures(text)
    assert _place(text) == "沁源县"
    assert _by_value(f, 6.6)["unit"] == "沁源县" and _by_value(f, 3)["unit"] == "沁源县"


def test_a_bulletin_of_a_prefectures_counties_speaks_for_the_prefecture():
    text = ("2023年，全市规上工业增加值增长4.1%。分县看，沁源县增长6.6%，沁县增长2.2%，襄垣县下降1.3%，"
            "武乡县增长3.4%。")
    f = _figures(text)
    assert _place(text) == "长治市"
    assert _by_value(f, 4.1)["unit"] == "长治市"
    assert _by_value(f, -1.3)["unit"] == "襄垣县"
    # each bare rate is the growth of the indicator its sentence named first
    assert set(f["indicator_id"]) == {"industrial_value_added_growth"}


def test_a_title_naming_the_province_speaks_for_it_whatever_county_it_names():
    text = ("山西县域经济十强发布　孝义市居首\n2023年，孝义市、介休市、河津市地区生产总值分别为956亿元、"
            "468亿元、431亿元。")
    assert _place(text) == "山西省"


def test_a_text_naming_its_county_once_is_that_countys():
    text = "我县召开经济工作会议\n会议指出，全县地区生产总值增长5%。力争2025年沁源县森林覆盖率达到62%。全县……"
    assert _place(text) == "沁源县"


# ---------------------------------------------------------------- place names that are everyday words

def test_an_everyday_word_is_no_place_out_of_a_place_context():
    text = "临潭县农业发展\n全县发展农民专业合作社210家，加强区域合作，旅游资源丰富，打通物流通道。全县GDP 30亿元。"
    tables = _analyse(text)
    assert _place(text) == "临潭县"
    assert set(tables["figures"]["unit"]) == {"临潭县"}


@pytest.mark.parametrize("text,value,unit", [
    ("甘南州合作市2023年地区生产总值45亿元。", 45, "合作市"),
    ("河北清河羊绒产业年产值达到150亿元。", 150, "清河县"),                  # after its province
    ("阳泉市分县区看，城区、矿区、郊区地区生产总值分别为98亿元、61亿元、103亿元。", 61, "矿区"),
])
def test_an_everyday_word_is_a_place_in_a_place_context(text, value, unit):
    assert _by_value(_figures(text), value)["unit"] == unit


# ---------------------------------------------------------------- tables flattened to text

@pytest.mark.parametrize("separator", [" | ", "\u3000", "\t", "   "])
def test_a_flattened_table_gives_each_cell_to_its_rows_unit(separator):
    rows = [["县（市、区）", "地区生产总值（亿元）", "增速（%）"], ["全市", "2805.6", "4.1"],
            ["沁源县", "212.5", "-2.3"], ["武乡县", "96.4", "5.7"]]
    text = "长治市2023年县域主要经济指标\n" + "\n".join(separator.join(r) for r in rows)
    f = _figures(text)
    assert _by_value(f, 212.5)["unit"] == "沁源县"
    assert _by_value(f, 212.5)["indicator_id"] == "gdp"
    row = _by_value(f, -2.3)
    assert (row["unit"], row["indicator_id"], row["year"]) == ("沁源县", "gdp_growth", 2023)
    assert _by_value(f, 2805.6)["unit"] == "长治市"  # the 全市 row is the prefecture the table speaks for


# ---------------------------------------------------------------- what each number measures

@pytest.mark.parametrize("text,value,expected", [
    ("沁源县财政总收入12.6亿元。", 12.6, "amount"),                    # not 一般公共预算收入
    ("沁源县一般公共预算收入8.1亿元。", 8.1, "budget_revenue"),
    ("沁源县地方级收入5.5亿元。", 5.5, "amount"),                      # not an operating revenue
    ("沁源县公益林面积112万亩。", 112, "area"),                        # not the county's land area
    ("福建省森林资源\n全省森林覆盖率超过75%的县有23个。", 23, "count"),  # a count, not a coverage
    ("沁源县青稞播种面积8.6万亩。", 8.6, "crop_area"),
    ("沁源县农作物播种面积38万亩。", 38, "sown_area"),
])
def test_a_catalogue_id_only_where_its_definition_fits(text, value, expected):
    assert _by_value(_figures(text), value)["indicator_id"] == expected


def test_comparable_refuses_batches_of_two_documents_and_uncatalogued_figures():
    a = {"indicator_id": "projects", "qualifier": "signed", "status": "actual", "period": "", "entity": "",
         "measure_normalized": "个", "doc_id": "d1"}
    assert comparable(a, {**a})[0]
    assert comparable(a, {**a, "doc_id": "d2"}) == (False, "batch")
    b = {**a, "indicator_id": "count"}
    assert comparable(b, {**b}) == (False, "uncatalogued")
    assert comparable(a, {**a, "indicator_id": "projects_growth"}) == (False, "indicator")


# ---------------------------------------------------------------- who publishes, neighbours, informal names

def test_the_outlet_in_the_furniture_names_the_place_a_text_calls_itself():
    assert _place("春节假期全市旅游市场量价齐升\n来源：黄山日报　2024-02-18\n\n春节假期，全市共接待游客386万人次。"
                  "其中，歙县、黟县、休宁县分别接待游客61万、42万、35万人次。") == "黄山市"
    assert _place("前三季度全县经济运行稳中向好\n来源：盐池县融媒体中心　2023-10-30\n\n前三季度，全县实现地区生产总值"
                  "97.8亿元，同比增长6.3%。") == "盐池县"


def test_neighbours_and_places_after_a_placing_cue_are_no_evidence():
    text = ("首页 > 走进桓仁 > 县情概况\n\n我县位于辽宁省东部，地处长白山余脉，东与吉林省集安市接壤，总面积3538平方公里。"
            "全县森林覆盖率77.9%。")
    assert _place(text) == "桓仁满族自治县"
    assert _by_value(_figures(text), 77.9)["unit"] == "桓仁满族自治县"


def test_an_autonomous_county_written_as_plain_county_is_that_county():
    f = _figures("海东市上半年县域经济\n分县区看，互助县地区生产总值完成63.85亿元；民和县完成58.62亿元，增长5.2%。")
    assert _by_value(f, 63.85)["unit"] == "互助土族自治县"
    assert _by_value(f, 58.62)["unit"] == "民和回族土族自治县"
    assert _by_value(f, 58.62)["indicator_id"] == "gdp"


def test_a_rank_from_the_bottom_is_its_own_measure_and_bare_falls_and_rises_keep_their_sign():
    f = _figures("上饶市1—8月固定资产投资\n信州区降4.1%，铅山县增2.2%，广信区同比下降6.9%，增速居全市倒数第一。")
    assert _by_value(f, -4.1)["indicator_id"] == "fixed_asset_investment_growth"
    assert _by_value(f, 2.2)["unit"] == "铅山县"
    rank = f[f["indicator_id"] == "rank"].iloc[0]
    assert (rank["unit"], rank["value"], rank["measure"]) == ("广信区", 1.0, "倒数位次")


def test_a_scenic_area_named_after_a_prefecture_stays_in_the_county_its_clause_speaks_of():
    f = _figures("大理州五一假期旅游\n大理市接待游客118.6万人次，其中大理古城接待游客46.2万人次。")
    row = _by_value(f, 46.2)
    assert (row["unit"], row["entity"]) == ("大理市", "大理古城")


def test_a_table_whose_measures_stand_in_a_units_line():
    text = ("2023年上半年三明市各县（市、区）财政收入完成情况\n单位：万元、%\n\n"
            "地区\t财政总收入\t增幅\t一般公共预算收入\n合计\t1286540\t3.6\t786320\n"
            "三元区\t98620\t5.4\t61430\n沙县区\t112370\t-2.3\t70260")
    f = _figures(text)
    row = _by_value(f, -2.3)
    assert (row["unit"], row["measure"], row["period"]) == ("沙县区", "%", "h1")
    assert _by_value(f, 61430)["measure"] == "万元" and _by_value(f, 61430)["indicator_id"] == "budget_revenue"
    assert _by_value(f, 1286540)["unit"] == "三明市"
