"""The comparison table (analytics.views.figure_table), its summary (analytics.views.summary), its native chart
series (analytics.views.series) and its typed downloads, on small hand-made figures with hand-checked
expectations, and on the seeds."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analytics.corpus import corpus as corpus_tables
from analytics.export.files import about_table, table_to_csv, table_to_xlsx
from analytics.export.i18n import label, t
from analytics.views import compare, figure_table, series, summary

TEXT = "某县常住人口32万人。某县户籍人口35万人。另一县常住人口180000人。另一县地区生产总值120亿元。" * 3


def figure(unit, indicator_id, value, measure, normalized, base, start, qualifier="", status="actual", period="",
           entity="", year=2023, indicator=None):
    return {"unit": unit, "indicator_id": indicator_id, "indicator": indicator or indicator_id, "qualifier": qualifier,
            "value": value, "measure": measure, "value_normalized": normalized, "measure_normalized": base,
            "year": year, "status": status, "period": period, "entity": entity,
            "is_target": status in ("target", "plan"), "evidence": TEXT[start:start + 12], "doc_id": "d1",
            "start": start, "end": start + 4, "category": "demography"}


class HandCorpus:
    """The few corpus tables the comparison table reads, made by hand."""

    def __init__(self, figures: pd.DataFrame, chars: dict[str, int]):
        self.tables = {"figures": figures,
                       "passages": pd.DataFrame([{"unit": u, "doc_id": "d1", "text": "字" * n} for u, n in chars.items()]),
                       # division codes: 乙县 in an earlier province than 甲县, the zone in 甲县, 丙县 without one
                       "units": pd.DataFrame([{"unit": "甲县", "kind": "county", "adcode": "140105"},
                                              {"unit": "乙县", "kind": "county", "adcode": "130102"},
                                              {"unit": "戊开发区", "kind": "zone", "adcode": "140105"},
                                              {"unit": "丙县", "kind": "county", "adcode": ""}])}

    def __getitem__(self, name):
        return self.tables[name]

    def document_label(self, doc_id):
        return "某县政府工作报告"

    def clean_text(self, doc_id):
        return TEXT


@pytest.fixture
def hand():
    rows = [
        figure("甲县", "population", 32, "万人", 320000, "人", 2, qualifier="resident"),
        figure("甲县", "population", 35, "万人", 350000, "人", 14, qualifier="registered"),
        figure("乙县", "population", 180000, "人", 180000, "人", 28, qualifier="resident"),
        figure("乙县", "gdp", 120, "亿元", 1.2e10, "元", 44),
        # a project's investment and a target never stand in a unit's column
        figure("甲县", "gdp", 70, "亿元", 7e9, "元", 50, entity="某某产业园项目"),
        figure("丙县", "population", 20, "万人", 200000, "人", 30, qualifier="resident", status="target", year=2030),
        figure("甲县", "forest_coverage", 60.5, "%", 60.5, "%", 5, qualifier="forest"),
        # another place's figure in the same text: credited to 丁县, it never fills a selected unit's cell
        figure("丁县", "gdp", 300, "亿元", 3e10, "元", 60),
        figure("乙县", "forest_coverage", 43.6, "%", 43.6, "%", 6, qualifier="forest_grass"),
        figure("丙县", "forest_coverage", 51.0, "%", 51.0, "%", 7, qualifier="forest"),
    ]
    return HandCorpus(pd.DataFrame(rows), {"甲县": 5000, "乙县": 3000, "丙县": 120})


def test_a_column_takes_the_units_own_actual_figure_and_marks_what_differs(hand):
    table = figure_table.comparison_table(hand, ["甲县", "乙县", "丙县"], "zh")
    assert list(table.column_names) == ["population", "gdp", "forest_coverage"]  # the reviewed list's order
    assert table.cell("甲县", "population")["value"] == 32  # 常住 before 户籍 (the slot's qualifiers)
    assert table.cell("甲县", "gdp") is None  # the project's 70亿元 is the project's; 丁县's 300亿元 丁县's
    assert set(table.cells["value"]) & {70, 300} == set()
    assert table.cell("丙县", "population")["status"] == "target"  # its only figure, marked
    assert not table.cell("丙县", "population")["comparable"] and table.cell("丙县", "population")["why"] == "status"
    assert table.cell("乙县", "forest_coverage")["why"] == "qualifier"
    display = table.display.set_index(label("col", "unit", "zh"))
    assert display.loc["乙县", "森林覆盖率"] == "43.6% (2023, 林草)†"
    assert display.loc["丙县", "人口"] == "20万人 (2030, 常住, 目标)*†"  # 常住: not the catalogue's default (总数)
    assert table.thin_units == ["丙县"]  # 120 characters of text


def test_rows_sort_by_the_normalized_value_units_without_it_last(hand):
    by_population = figure_table.comparison_table(hand, ["乙县", "丙县", "甲县"], "zh", sort_by="population")
    # 32万 > 180000 whatever the written measure; 丙县's target (†, not comparable) after the comparable ones
    assert by_population.units == ["甲县", "乙县", "丙县"]
    ascending = figure_table.comparison_table(hand, ["乙县", "丙县", "甲县"], "zh", sort_by="gdp", descending=False)
    assert ascending.units == ["乙县", "丙县", "甲县"]  # only 乙县 has a GDP; the others keep their order
    only = figure_table.comparison_table(hand, ["甲县", "乙县"], "zh", indicators=["forest_coverage", "population"])
    assert list(only.column_names) == ["population", "forest_coverage"]


def test_rows_sort_by_division_code_or_by_the_evidence_behind_each_unit(hand):
    units = ["丙县", "戊开发区", "甲县", "乙县"]
    by_code = figure_table.comparison_table(hand, units, "zh", sort_by=figure_table.SORT_BY_PLACE, descending=False)
    # the yearbook's order: 13… before 14…, a zone after the county of its code, a unit without a code last
    assert by_code.units == ["乙县", "甲县", "戊开发区", "丙县"]
    by_chars = figure_table.comparison_table(hand, units, "zh", sort_by=figure_table.SORT_BY_EVIDENCE)
    assert by_chars.units == ["甲县", "乙县", "丙县", "戊开发区"]  # 5000, 3000, 120 and no passage of its own
    assert by_chars.evidence["unit"].tolist() == by_chars.units  # the captions follow the rows
    assert list(by_chars.evidence["n_chars"]) == [5000, 3000, 120, 0]


def test_html_escapes_text_and_opens_each_cells_sentence(hand):
    hand.tables["figures"].loc[0, "indicator"] = "<b>常住人口</b>"
    table = figure_table.comparison_table(hand, ["甲县", "乙县"], "zh")
    html = figure_table.table_html(table, hand.clean_text, {"甲县": "<i>省</i>"})
    assert "<b>" not in html and "&lt;b&gt;常住人口&lt;/b&gt;" in html and "&lt;i&gt;省&lt;/i&gt;" in html
    assert "<details><summary><span class='cl-num'>32</span>万人" in html
    assert "<mark>" in html and "某县政府工作报告" in html


def test_the_download_is_typed(hand):
    table = figure_table.comparison_table(hand, ["甲县", "乙县", "丙县"], "zh")
    rows = table.export
    assert rows[label("col", "value", "zh")].dtype.kind == "f"
    assert str(rows[label("col", "year", "zh")].dtype) == "Int64"
    assert rows[label("col", "start", "zh")].dtype.kind == "i"
    assert set(rows[label("col", "indicator_zh", "zh")]) == {"人口", "地区生产总值", "森林覆盖率"}
    assert set(rows[label("col", "status", "zh")]) == {"实际", "目标"}
    book = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(rows, "key_figures", about_table(
        "规则抽取", pd.DataFrame([{"title": "某县政府工作报告", "outlet": "某县融媒体中心", "date": "2024-01-05",
                                   "doc_id": "d1"}]), lang="zh"), t("about.sheet"))))
    assert book.sheetnames == ["key_figures", "说明"]
    sheet = book["key_figures"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    values = [row[header.index(label("col", "value", "zh"))] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values and all(isinstance(v, (int, float)) for v in values)  # numbers as numbers: a pivot sums them
    years = [row[header.index(label("col", "year", "zh"))] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 2030 in years and all(isinstance(y, int) for y in years)
    about = [tuple(r) for r in book["说明"].iter_rows(values_only=True)]
    assert ("方法", "规则抽取") in about and any("某县政府工作报告 · 某县融媒体中心" in str(v) for _, v in about)
    back = pd.read_csv(io.BytesIO(table_to_csv(rows)), encoding="utf-8-sig")
    assert back[label("col", "value", "zh")].dtype.kind == "f" and len(back) == len(rows)


def test_summary_words_ratios_points_and_lone_indicators(hand):
    table = figure_table.comparison_table(hand, ["甲县", "乙县", "丙县"], "zh")
    lines = summary.key_differences(table, pd.DataFrame(columns=["unit", "status", "industry"]),
                                    pd.DataFrame(columns=["unit", "theme", "hits", "share"]))
    assert "人口：甲县 32万人 (2023, 常住)，是乙县 180,000人 (2023, 常住)的 1.8 倍" in lines
    # 丙县's target and 乙县's 林草 figure are not compared; 甲县 vs 丙县 forest coverage is
    assert "森林覆盖率：甲县 60.5% (2023)，比丙县 51% (2023)高 9.5 个百分点" in lines
    assert any(line.startswith("仅一个单位给出") and "地区生产总值（乙县）" in line for line in lines)
    assert not any("43.6" in line for line in lines)


def test_indicator_series_are_in_the_measure_most_figures_are_written_in(hand):
    table = figure_table.comparison_table(hand, ["甲县", "乙县", "丙县"], "en")
    charts = {c.title: c for c in series.indicator_series(table)}
    population = charts["Population"]
    assert population.categories == ["甲县", "乙县"]  # 丙县's target is not a comparable figure
    assert population.series[0][1] == [32, 18] and population.value_title == "万人"  # 180000人 = 18万人
    assert "Forest coverage" in charts and charts["Forest coverage"].categories == ["甲县", "丙县"]


@pytest.fixture(scope="module")
def seeds(seed_tables):
    return corpus_tables.Corpus(seed_tables)


@pytest.mark.parametrize("units", [["沁源县", "岚县"], ["沁源县", "岚县", "柞水县", "永济市", "长治经开区", "风陵渡经开区"]])
def test_seed_comparison_at_two_and_six_units(seeds, units):
    view = compare.compare_view(seeds, units, "zh").view("key_figures")
    table = view.parts["table"]
    assert table.units == units and list(table.evidence["unit"]) == units
    html = view.parts["html"]
    assert html.count("<th class='cl-unit' scope='row'><span class='cl-name'>") == len(units)
    # a key-figure column never takes an entity's figure or another place's
    assert (table.cells["entity"].fillna("") == "").all() and set(table.cells["unit"]) <= set(units)
    about = compare.compare_view(seeds, units, "zh").about(view)
    assert t("method.figures") in set(about.iloc[:, 1])


def test_native_chart_number_formats_follow_the_values():
    assert series.number_format([16, 18.7]) == "#,##0.0"
    assert series.number_format([16, 18]) == "#,##0"  # no trailing point on whole numbers
    assert series.number_format([1.25, None, 3]) == "#,##0.00"


def test_each_indicator_chart_names_the_units_it_leaves_out(hand):
    table = figure_table.comparison_table(hand, ["甲县", "乙县", "丙县"], "zh")
    population = next(c for c in series.indicator_series(table) if c.indicator_id == "population")
    assert population.left_out == ["丙县：无可与其他单位比较的人口数据"]
