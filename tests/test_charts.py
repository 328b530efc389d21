"""Chart builders on tiny tables: fields, encodings, titles in both languages, CJK font config."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from analytics.export import charts
from analytics.export.fonts import font_family
from analytics.export.i18n import t

UNITS = ["沁源县", "柞水县", "永济市"]


@pytest.fixture
def themes():
    return pd.DataFrame({"unit": [u for u in UNITS for _ in range(2)], "theme": ["生态", "旅游"] * 3,
                         "theme_en": ["ecology", "tourism"] * 3, "hits": [3, 1, 1, 1, 0, 4],
                         "share": [0.75, 0.25, 0.5, 0.5, 0.0, 1.0]})


@pytest.fixture
def similarity():
    return pd.DataFrame({"level": "unit", "a": ["沁源县", "沁源县", "柞水县"], "b": ["柞水县", "永济市", "永济市"],
                         "cosine": [0.42, 0.31, 0.12]})


@pytest.fixture
def figures():
    return pd.DataFrame({"doc_id": "d1", "unit": ["沁源县", "沁源县", "柞水县", "永济市"],
                         "indicator": ["地区生产总值"] * 3 + ["森林覆盖率"], "value": [220.5, 300, 95.2, 60],
                         "measure": ["亿元", "亿元", "亿元", "%"], "value_normalized": [220.5, 300, 95.2, 60],
                         "measure_normalized": ["亿元", "亿元", "亿元", "%"], "category": ["economy"] * 3 + ["ecology"],
                         "year": [2023, 2025, 2023, 2023], "is_target": [False, True, False, False],
                         "evidence": ["全县地区生产总值完成220.5亿元", "力争达到300亿元", "完成95.2亿元", "森林覆盖率60%"],
                         "start": 0, "end": 5})


@pytest.fixture
def industries():
    return pd.DataFrame({"unit": ["沁源县", "沁源县", "沁源县", "柞水县"], "industry": ["煤炭", "煤炭", "康养", "木耳"],
                         "industry_en": ["coal", "coal", "health & wellness", "wood-ear fungus"],
                         "gbt_section": ["B 采矿业", "B 采矿业", "Q 卫生和社会工作", "A 农、林、牧、渔业"],
                         "strategic_emerging": False, "status": ["targets", "has", "targets", "has"],
                         "mentions": [2, 5, 1, 3], "doc_id": "d1", "evidence": "", "start": 0, "end": 1})


@pytest.fixture
def distinctive_terms():
    return pd.DataFrame({"unit": ["沁源县"] * 3 + ["柞水县"] * 2, "term": ["煤炭", "太岳", "康养", "木耳", "秦岭"],
                         "score": [0.9, 0.5, 0.1, 0.8, 0.7], "count": [10, 5, 2, 8, 7]})


@pytest.fixture
def network():
    nodes = pd.DataFrame({"term": ["生态", "旅游", "康养"], "x": [0.0, 1.0, 0.5], "y": [0.0, 0.3, -0.6],
                          "weight": [30, 20, 12]})
    edges = pd.DataFrame({"source": ["生态", "旅游", "生态"], "target": ["旅游", "康养", "不在节点中"],
                          "weight": [9, 2, 1]})
    return nodes, edges


@pytest.fixture
def units():
    return pd.DataFrame({"unit": UNITS + ["某开发区"], "kind": ["county", "county", "county_city", "zone"],
                         "longitude": [112.36, 109.11, 110.45, None], "latitude": [36.5, 33.69, 34.87, None]})


def spec_title(spec: dict) -> str:
    title = spec["title"]
    return title["text"] if isinstance(title, dict) else title


def layer_values(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def assert_cjk_font(spec: dict):
    family = font_family()
    config = spec["config"]
    for path in (("font",), ("title", "font"), ("axis", "labelFont"), ("axis", "titleFont"),
                 ("legend", "labelFont"), ("legend", "titleFont"), ("header", "labelFont"), ("text", "font")):
        value = config
        for part in path:
            value = value[part]
        assert value.startswith(f'"{family}"'), path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_theme_profile(themes, lang):
    chart = charts.theme_profile_chart(themes, lang, order=["永济市", "沁源县", "柞水县"])
    assert isinstance(chart, alt.Chart)
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "share" and enc["x"]["stack"] == "normalize"
    assert enc["y"]["field"] == "unit" and enc["y"]["sort"] == ["永济市", "沁源县", "柞水县"]
    assert enc["color"]["field"] == "theme_label"
    labels = {row["theme_label"] for row in layer_values(spec)}
    assert labels == ({"生态", "旅游"} if lang == "zh" else {"ecology", "tourism"})
    # Keys the lexicon does not know follow its themes in the colour domain, grey: no theme's colour.
    scale = enc["color"]["scale"]
    assert set(scale["domain"][-2:]) == labels and scale["range"][-2:] == [charts.UNKNOWN_THEME_COLOR] * 2
    assert spec_title(spec) == t("chart.theme_profile.title", lang)
    assert_cjk_font(spec)


def test_theme_keys_get_lexicon_labels():
    from analytics.features.themes import theme_label

    keyed = pd.DataFrame({"unit": ["沁源县", "沁源县"], "theme": ["ecology", "没有的主题"],
                          "theme_en": ["Ecology & environment", None], "hits": [1, 1], "share": [0.5, 0.5]})
    zh = {r["theme_label"] for r in layer_values(charts.theme_profile_chart(keyed, "zh").to_dict())}
    en = {r["theme_label"] for r in layer_values(charts.theme_profile_chart(keyed, "en").to_dict())}
    assert zh == {theme_label("ecology", "zh"), "没有的主题"} and "生态" in theme_label("ecology", "zh")
    assert en == {"Ecology & environment", "没有的主题"}


def test_theme_titles_differ_by_language(themes):
    zh = spec_title(charts.theme_profile_chart(themes, "zh").to_dict())
    en = spec_title(charts.theme_profile_chart(themes, "en").to_dict())
    assert (zh, en) == ("各单位主题构成", "Theme profile by unit")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_similarity_heatmap(similarity, lang):
    order = ["永济市", "沁源县", "柞水县"]
    chart = charts.similarity_heatmap(similarity, order, lang)
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert rect["encoding"]["x"]["sort"] == order and rect["encoding"]["y"]["sort"] == order
    assert rect["encoding"]["color"]["field"] == "cosine"
    assert text["encoding"]["text"] == {"field": "cosine", "type": "quantitative", "format": ".2f"}
    cells = {(r["a"], r["b"]): r["cosine"] for r in layer_values(spec)}
    assert len(cells) == 6 and cells[("柞水县", "沁源县")] == cells[("沁源县", "柞水县")] == 0.42
    assert ("沁源县", "沁源县") not in cells  # diagonal left blank
    assert spec_title(spec) == t("chart.similarity.title", lang)
    assert_cjk_font(spec)


def test_similarity_heatmap_needs_a_level_when_mixed(similarity):
    mixed = pd.concat([similarity, similarity.assign(level="document")])
    with pytest.raises(ValueError, match="level"):
        charts.similarity_heatmap(mixed, UNITS)
    assert charts.similarity_heatmap(mixed, UNITS, level="unit").to_dict()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_bar_chart(figures, lang):
    chart = charts.figures_bar_chart(figures, "地区生产总值", lang)
    assert isinstance(chart, alt.Chart)
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "value_normalized"
    assert enc["x"]["title"] == t("axis.value_in_unit", lang, unit="亿元")
    assert enc["y"]["field"] == "unit" and enc["color"]["field"] == "status_label"
    assert enc["yOffset"]["field"] == "status_label"
    rows = layer_values(spec)
    assert {(r["unit"], r["status"]) for r in rows} == {("沁源县", "has"), ("沁源县", "targets"), ("柞水县", "has")}
    assert {r["status_label"] for r in rows} == ({"已有", "目标"} if lang == "zh" else {"Existing", "Targeted"})
    assert spec_title(spec) == t("chart.figures.title", lang, indicator="地区生产总值")
    assert_cjk_font(spec)


def test_figures_bar_chart_draws_one_measure(figures):
    mixed = figures.assign(indicator="地区生产总值")
    spec = charts.figures_bar_chart(mixed, "地区生产总值").to_dict()
    assert {r["unit"] for r in layer_values(spec)} == {"沁源县", "柞水县"}
    assert spec["title"]["subtitle"] == t("chart.figures.excluded", "zh", n=1)


def test_figures_bar_chart_without_rows(figures):
    assert charts.figures_bar_chart(figures, "没有的指标").to_dict()["encoding"]["x"]["title"] == "数值"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_industries_matrix(industries, lang):
    chart = charts.industries_matrix_chart(industries, lang)
    assert isinstance(chart, alt.Chart)
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "unit" and enc["y"]["field"] == "industry_label"
    assert enc["row"]["field"] == "section_label" and enc["color"]["field"] == "status_label"
    rows = layer_values(spec)
    coal = "煤炭" if lang == "zh" else "coal"
    # 'has' wins over 'targets' for the same unit × industry; mentions add up.
    assert [(r["status"], r["mentions"]) for r in rows if r["industry_label"] == coal] == [("has", 7)]
    sections = [r["section_label"] for r in rows]
    assert sections == sorted(sections)
    assert ("B 采矿业" if lang == "zh" else "B Mining") in sections
    assert spec_title(spec) == t("chart.industries.title", lang)
    assert_cjk_font(spec)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_distinctive_terms(distinctive_terms, lang):
    chart = charts.distinctive_terms_chart(distinctive_terms, lang, top_n=2)
    assert isinstance(chart, alt.Chart)
    spec = chart.to_dict()
    enc = spec["encoding"]
    assert enc["facet"]["field"] == "unit" and enc["y"]["field"] == "term" and enc["x"]["field"] == "score"
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert {r["term"] for r in layer_values(spec)} == {"煤炭", "太岳", "木耳", "秦岭"}
    assert spec_title(spec) == t("chart.terms.title", lang)
    assert spec["title"]["subtitle"] == t("chart.terms.subtitle", lang, n=2)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cooccurrence_network(network, lang):
    nodes, edges = network
    chart = charts.cooccurrence_network_chart(nodes, edges, lang)
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    edge, node, text = spec["layer"]
    assert edge["mark"]["type"] == "rule" and {"x", "y", "x2", "y2"} <= set(edge["encoding"])
    assert node["mark"]["type"] == "circle" and node["encoding"]["size"]["field"] == "weight"
    assert text["encoding"]["text"]["field"] == "term"
    assert edge["encoding"]["x"]["axis"] is None
    pairs = [r["pair"] for r in spec["datasets"][edge["data"]["name"]]]
    assert pairs == ["生态 – 旅游", "旅游 – 康养"]  # the edge to a missing node is dropped
    assert spec_title(spec) == t("chart.network.title", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_units_map(units, lang):
    chart = charts.units_map_chart(units, lang)
    spec = chart.to_dict()
    assert spec["projection"]["type"] == "mercator"
    points, labels = spec["layer"]
    assert points["encoding"]["longitude"]["field"] == "longitude"
    assert labels["encoding"]["text"]["field"] == "unit"
    rows = layer_values(spec)
    assert [r["unit"] for r in rows] == UNITS  # no coordinates, no point
    assert rows[2]["kind_label"] == ("县级市" if lang == "zh" else "County-level city")
    assert spec_title(spec) == t("chart.map.title", lang)


def test_unknown_language_is_refused(themes):
    with pytest.raises(ValueError):
        charts.theme_profile_chart(themes, "fr")


def test_similarity_heatmap_shows_cluster_bands():
    pairs = pd.DataFrame({"level": "unit", "a": ["甲县", "甲县", "乙县"], "b": ["乙县", "丙县", "丙县"],
                          "cosine": [0.3, 0.05, 0.1]})
    spec = charts.similarity_heatmap(pairs, ["甲县", "乙县", "丙县"], "zh", clusters=[1, 1, 2]).to_dict()
    band = spec["hconcat"][0]
    assert band["encoding"]["color"]["field"] == "cluster"
    assert [row["cluster"] for row in spec["datasets"][band["data"]["name"]]] == ["1", "1", "2"]


def test_a_heatmap_of_thirty_units_fits_a_laptop_screen_with_its_legend():
    """30 units at 1366 px: the grid within HEATMAP_GRID_PX, the legend under it, no unreadable numbers; the
    drawn SVG no wider than the screen's content area."""
    from analytics.export import files

    keys = [f"第{i}县" for i in range(30)]
    pairs = pd.DataFrame([{"level": "unit", "a": a, "b": b, "cosine": 0.1 + (i * j % 7) / 10}
                          for i, a in enumerate(keys) for j, b in enumerate(keys) if i < j])
    spec = charts.similarity_heatmap(pairs, keys, "zh").to_dict()
    assert spec["width"]["step"] * len(keys) <= charts.HEATMAP_GRID_PX
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect"]  # no numbers in small cells
    assert spec["layer"][0]["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert files.rendered_width(charts.similarity_heatmap(pairs, keys, "zh")) <= 1366 - 300  # sidebar + margins
    few = charts.similarity_heatmap(pairs[pairs["a"].isin(keys[:3]) & pairs["b"].isin(keys[:3])], keys[:3], "zh")
    assert [layer["mark"]["type"] for layer in few.to_dict()["layer"]] == ["rect", "text"]
    assert charts.heatmap_cell(3) == 36 and charts.heatmap_cell(300) == 14
