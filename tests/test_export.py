"""Exports: PNG/SVG with Chinese that really renders (pixel checks), footers, CSV and XLSX read back.

Rendered images are saved under tests/artifacts/ (ignored by git) for a person to look at.
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image

from analytics.export import charts, fonts
from analytics.export import files as export

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FOOTER = export.export_footer(["沁源县政府工作报告", "柞水县发展规划"], "TF-IDF 余弦，jieba 分词", date(2026, 11, 23))


def save(name: str, data: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)


def one_unit_themes(unit: str) -> pd.DataFrame:
    return pd.DataFrame({"unit": unit, "theme": ["生态", "旅游"], "theme_en": ["ecology", "tourism"],
                         "hits": [3, 1], "share": [0.75, 0.25]})


def text_chart(text: str, size: int = 96) -> alt.Chart:
    return charts.themed(alt.Chart(pd.DataFrame({"t": [text]})).mark_text(fontSize=size).encode(
        text="t:N").properties(width=size * len(text) + 40, height=size + 40))


def test_footer_text():
    assert FOOTER == "来源：沁源县政府工作报告、柞水县发展规划；方法：TF-IDF 余弦，jieba 分词；导出 2026-11-23"
    en = export.export_footer(["A", "B"], "TF-IDF cosine", date(2026, 1, 2), lang="en")
    assert en == "Source: A, B; Method: TF-IDF cosine; Exported 2026-01-02"
    assert export.export_footer([], None, date(2026, 1, 2)) == "导出 2026-01-02"


def test_png_is_a_png_and_scales():
    chart = charts.theme_profile_chart(one_unit_themes("沁源县"))
    one, two = export.chart_to_png(chart, scale=1), export.chart_to_png(chart, scale=2)
    assert one.startswith(PNG_SIGNATURE) and two.startswith(PNG_SIGNATURE)
    w1, h1 = Image.open(io.BytesIO(one)).size
    w2, h2 = Image.open(io.BytesIO(two)).size
    assert (abs(w2 - 2 * w1), abs(h2 - 2 * h1)) <= (2, 2)


def test_footer_is_drawn_below_the_chart():
    chart = charts.theme_profile_chart(one_unit_themes("沁源县"))
    plain = pixels(export.chart_to_png(chart, scale=1))
    footed_png = export.chart_to_png(chart, scale=2, footer=FOOTER)
    save("theme_profile_with_footer.png", footed_png)
    footed = pixels(export.chart_to_png(chart, scale=1, footer=FOOTER))
    assert footed.shape[0] > plain.shape[0] + 10
    extra = footed[plain.shape[0]:]
    assert (extra < 160).sum() > 200  # ink in the added strip: the footer text
    # The chart itself is unchanged above the footer (up to sub-pixel antialiasing: the wrapper
    # can shift the drawing by a fraction of a pixel).
    height, width = plain.shape
    assert (np.abs(footed[:height - 12, :width] - plain[:-12]) > 40).mean() < 0.02


def test_svg_contains_chinese_font_and_footer():
    chart = charts.theme_profile_chart(one_unit_themes("沁源县"))
    svg = export.chart_to_svg(chart, footer=[FOOTER, "CountyLens"]).decode("utf-8")
    save("theme_profile.svg", svg.encode("utf-8"))
    assert svg.lstrip().startswith("<svg")
    for text in ("沁源县", "各单位主题构成", "生态", "来源：沁源县政府工作报告", "CountyLens"):
        assert text in svg
    # every text element is drawn in the registered CJK family (named first in its font stack)
    root = ET.fromstring(svg)
    parent = {child: node for node in root.iter() for child in node}

    def family(element):
        while element is not None and element.get("font-family") is None:
            element = parent.get(element)
        return "" if element is None else element.get("font-family").split(",")[0].strip().strip("\"'")

    texts = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "text"]
    assert len(texts) >= 5
    assert {family(e) for e in texts} == {fonts.font_family()}


def test_footer_keeps_config_at_the_top():
    chart = charts.similarity_heatmap(pd.DataFrame({"level": "unit", "a": ["沁源县"], "b": ["柞水县"],
                                                   "cosine": [0.4]}), ["沁源县", "柞水县"])
    spec = export.with_footer(chart, FOOTER).to_dict()
    assert "config" in spec and "config" not in spec["vconcat"][0]
    assert spec["title"]["orient"] == "bottom" and spec["title"]["text"] == [FOOTER]
    assert export.with_footer(chart, None) is chart


def test_chinese_label_changes_the_pixels_of_the_label_only():
    """Two charts differing only in one Chinese unit name differ where that name is drawn."""
    a_png = export.chart_to_png(charts.theme_profile_chart(one_unit_themes("沁源县")), scale=2)
    b_png = export.chart_to_png(charts.theme_profile_chart(one_unit_themes("柞水县")), scale=2)
    save("label_qinyuan.png", a_png)
    save("label_zhashui.png", b_png)
    a, b = pixels(a_png), pixels(b_png)
    assert a.shape == b.shape  # full-width glyphs: same label width, same layout
    diff = np.abs(a - b) > 40
    assert diff.sum() > 300, "the two unit names rendered the same"
    ys, xs = np.nonzero(diff)
    # All differences sit in the y-axis label column, left of the bars.
    assert xs.max() < 0.15 * a.shape[1]
    assert ys.max() - ys.min() < 60


def test_glyphs_are_real_glyphs_not_tofu():
    """Tofu draws every character as the same box: two different characters must differ."""
    png = export.chart_to_png(text_chart("沁水"), scale=1)
    save("glyphs_qin_shui.png", png)
    img = pixels(png)
    ink = img < 128
    assert ink.sum() > 500, "no ink: the CJK font is missing (vl-convert draws nothing)"
    ys, xs = np.nonzero(ink)
    top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    mid = (left + right) // 2
    first, second = ink[top:bottom, left:mid], ink[top:bottom, mid:mid + (mid - left)]
    assert first.sum() > 100 and second.sum() > 100
    assert first.shape == second.shape
    assert (first != second).mean() > 0.15
    # And a glyph is not a hollow box: its outline rows are not all ink.
    assert not ink[top, left:mid].all() or not ink[top:bottom, left].all()


def test_missing_font_control_draws_nothing():
    # The negative control for the checks above: the same chart in a font that does not exist.
    chart = alt.Chart(pd.DataFrame({"t": ["沁水"]})).mark_text(fontSize=96, font="No Such Font 404").encode(
        text="t:N").properties(width=232, height=136)
    assert (pixels(export.chart_to_png(chart, scale=1)) < 128).sum() == 0


TABLE = pd.DataFrame({
    "unit": ["沁源县", "柞水县", "永济市"],
    "indicator": ["地区生产总值", "森林覆盖率", "=HYPERLINK(\"http://x\",\"点我\")"],
    "value": [220.5, 60.0, None],
    "year": [2023, 2024, 2025],
    "evidence": ["全县地区生产总值完成220.5亿元", "+3% 增长", "@某人 -5 号"],
})


def test_csv_has_bom_and_reads_back():
    data = export.table_to_csv(TABLE, excel_safe=False)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, TABLE, check_dtype=False)


def test_csv_excel_safe_neutralizes_formulas():
    back = pd.read_csv(io.BytesIO(export.table_to_csv(TABLE)), encoding="utf-8-sig")
    assert back["indicator"].tolist()[2].startswith("'=")
    assert back["evidence"].tolist()[1:] == ["'+3% 增长", "'@某人 -5 号"]
    assert back["unit"].tolist() == TABLE["unit"].tolist()
    assert back["value"].tolist()[:2] == [220.5, 60.0]


def test_xlsx_reads_back_and_formulas_stay_text():
    data = export.table_to_xlsx(TABLE, sheet_name="数据: 对比/2026?")
    save("table.xlsx", data)
    back = pd.read_excel(io.BytesIO(data), sheet_name=0)
    pd.testing.assert_frame_equal(back, TABLE, check_dtype=False)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "数据_ 对比_2026_"
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert cells and all(c.data_type == "s" for c in cells)
    assert sheet["C2"].value == 220.5 and sheet["C4"].value is None


def test_xlsx_drops_control_characters():
    table = pd.DataFrame({"text": ["a\x00b\x1fc", "第一行\n第二行"]})
    back = pd.read_excel(io.BytesIO(export.table_to_xlsx(table)))
    assert back["text"].tolist() == ["abc", "第一行\n第二行"]


@pytest.mark.parametrize("name, expected", [
    ("", "data"), ("History", "History_"), ("a" * 40, "a" * 31), ("'引号'", "引号"), ("x[1]:*?/\\", "x_1______"),
])
def test_safe_sheet_name(name, expected):
    assert export.safe_sheet_name(name) == expected


def test_a_long_footer_wraps_to_the_chart_and_never_widens_the_image():
    chart = charts.theme_profile_chart(one_unit_themes("沁源县"))
    sources = [f"第{i}县人民政府关于加快推进全域旅游和生态保护高质量发展的实施意见" for i in range(1, 9)]
    footer = export.export_footer(sources, "TF-IDF 余弦，jieba 分词", date(2026, 11, 23))
    plain = pixels(export.chart_to_png(chart, scale=1))
    footed_png = export.chart_to_png(chart, scale=1, footer=footer)
    save("theme_profile_long_footer.png", footed_png)
    footed = pixels(footed_png)
    assert footed.shape[1] <= plain.shape[1] + 2  # the chart fills the image's width, the footer wraps under it
    assert footed.shape[0] > plain.shape[0] + 3 * export.FOOTER_SIZE  # several footer lines, all drawn
    svg = export.chart_to_svg(chart, footer=footer).decode("utf-8")
    assert "第8县人民政府" in svg  # the last source is still there


def test_wrapped_lines_fit_and_keep_every_character():
    line = "来源：沁源县政府工作报告、柞水县发展规划；Method: TF-IDF cosine over jieba tokens；导出 2026-11-23"
    for width in (120, 200, 400):
        wrapped = export.wrap_text([line], width, 11)
        assert all(export.text_width(w, 11) <= width for w in wrapped)
        assert "".join(wrapped).replace(" ", "") == line.replace(" ", "")
    assert export.wrap_text([line], 10_000, 11) == [line]
