"""Numeral and quantity parsing: hand cases, data-file integrity and property tests."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analytics.features.quantities import (
    QUANTITY_COLUMNS,
    find_quantities,
    parse_chinese_integer,
    parse_number,
    scan_quantities,
    to_chinese_numeral,
    vocabulary,
)
from analytics.paths import data_file


@pytest.mark.parametrize("text, value", [
    ("十", 10), ("十二", 12), ("两", 2), ("二十", 20), ("一百零五", 105), ("一百一十", 110),
    ("两千", 2000), ("三万五千", 35000), ("十二万", 120000), ("一亿二千万", 120_000_000),
    ("一万亿", 10**12), ("二〇二五", 2025), ("一千零一十", 1010),
])
def test_parse_chinese_integer(text, value):
    assert parse_chinese_integer(text) == value


@pytest.mark.parametrize("text", ["五六", "二十三百", "千", "", "abc", "二二"])
def test_parse_chinese_integer_rejects_ambiguous_or_malformed(text):
    assert parse_chinese_integer(text) is None


def test_parse_number_arabic():
    assert parse_number("1,512") == 1512.0
    assert parse_number("18.7") == 18.7
    assert parse_number("十二") == 12.0


@given(st.integers(min_value=0, max_value=99_999))
def test_chinese_numeral_round_trip_small(n):
    s = to_chinese_numeral(n)
    assert re.fullmatch("[零一二三四五六七八九十百千万]+", s)
    assert parse_chinese_integer(s) == n if n else s == "零"


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numeral_round_trip_large(n):
    assert parse_chinese_integer(to_chinese_numeral(n)) == n


def _one(text: str) -> dict:
    qs = scan_quantities(text)
    assert len(qs) == 1, (text, qs)
    return qs[0].__dict__


def test_magnitude_and_unit_normalisation():
    q = _one("总人口18.7万人")
    assert (q["value"], q["measure"], q["value_normalized"], q["measure_normalized"]) == (18.7, "万人", 187000.0, "人")
    q = _one("实现163.92亿元")
    assert q["value_normalized"] == pytest.approx(163.92e8) and q["measure_normalized"] == "元"
    q = _one("装机100万千瓦")
    assert (q["measure"], q["value_normalized"], q["measure_normalized"]) == ("万千瓦", 1e6, "千瓦")
    q = _one("5千瓦")  # 千瓦 is a unit, not 千 + 瓦
    assert (q["value"], q["measure"], q["value_normalized"]) == (5.0, "千瓦", 5.0)
    q = _one("面积1,512平方公里")
    assert q["value"] == 1512.0 and q["text"] == "1,512平方公里"
    q = _one("储量20亿吨")
    assert q["value_normalized"] == 2e9 and q["measure_normalized"] == "吨"


def test_chinese_numerals_with_units():
    q = _one("五万亩")
    assert (q["value"], q["value_normalized"], q["numeral"]) == (5.0, 50000.0, "chinese")
    q = _one("提高两个百分点")
    assert (q["value"], q["measure_normalized"]) == (2.0, "百分点")
    q = _one("五大产业")
    assert q["value"] == 5.0 and q["needs_noun"]
    q = _one("覆盖率百分之七十六")
    assert (q["value"], q["measure_normalized"]) == (76.0, "%")


@pytest.mark.parametrize("text", [
    "两天的考察", "一个统领", "一座城", "亚洲第二大露天铁矿", "5A级景区", "十万火急", "千万不要",
    "2021年", "一是", "十四五", "电话0351-7654321", "晋政发〔2021〕12号", "8月8日", "五六千年前",
])
def test_not_quantities(text):
    assert scan_quantities(text) == []


def test_ranges_keep_low_bound_and_span_covers_range():
    for text in ("新增3-5万亩", "新增3至5万亩", "新增3万-5万亩"):
        q = _one(text)
        assert (q["value"], q["value_high"], q["value_normalized"]) == (3.0, 5.0, 30000.0)
        assert text[q["start"]:q["end"]].startswith("3") and text[q["start"]:q["end"]].endswith("万亩")


@pytest.mark.parametrize("text, value, hedge", [
    ("20多种", 20.0, "多"), ("30余万平方米", 30.0, "余"), ("120天左右", 120.0, "左右"),
    ("约65亿元", 65.0, "约"), ("8000个以上", 8000.0, "以上"), ("近3万人", 3.0, "近"),
])
def test_hedges_do_not_change_value(text, value, hedge):
    q = _one(text)
    assert q["value"] == value and q["hedge"] == hedge and q["text"] == text


def test_ratio_parts():
    q = _one("比重分别为8.4:64.9:26.7。")
    assert q["is_ratio"] and [v for v, _, _ in q["parts"]] == [8.4, 64.9, 26.7]
    text = "比重分别为8.4:64.9:26.7。"
    assert [text[a:b] for _, a, b in q["parts"]] == ["8.4", "64.9", "26.7"]


def test_find_quantities_table():
    df = find_quantities("年均气温6.9℃，无霜期120天左右，年均降水457毫米。")
    assert list(df.columns) == QUANTITY_COLUMNS
    assert df["value"].tolist() == [6.9, 120.0, 457.0]
    assert find_quantities("没有数字").empty


_UNITS = pd.read_csv(data_file("measure_units.csv"), dtype=str, keep_default_na=False)
_MAGS = pd.read_csv(data_file("magnitudes.csv"), dtype=str, keep_default_na=False)


@settings(max_examples=300)
@given(
    st.decimals(min_value=1, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([""] + _MAGS["prefix"].tolist()),
    st.sampled_from(_UNITS["measure"].tolist()),
)
def test_value_normalized_is_value_times_multiplier(number, mag, unit):
    text = f"达到{number}{mag}{unit}。"
    qs = scan_quantities(text)
    assert qs, text
    q = qs[0]
    assert q.value == pytest.approx(float(number))
    expected = float(number) * float(_MAGS.set_index("prefix")["multiplier"].get(mag, 1))
    # A magnitude glued to a unit that starts with the same character may be read either way
    # (千+米 vs 千米); the product is what must hold.
    row = _UNITS.set_index("measure").loc[q.unit]
    assert q.value_normalized == pytest.approx(q.value * float(_MAGS.set_index("prefix")["multiplier"].get(q.magnitude, 1)) * float(row["multiplier"]))
    if q.unit == unit and q.magnitude == mag:
        assert q.value_normalized == pytest.approx(expected * float(row["multiplier"]))
        assert q.measure_normalized == row["measure_normalized"]


@given(st.integers(min_value=2, max_value=99_999), st.sampled_from(["亩", "万亩", "万人", "亿元", "吨"]))
def test_chinese_quantity_round_trip(n, unit):
    # 一万亩 reads as 1 万亩 (like 18.7万人), so the round trip holds for the normalized value;
    # a numeral ending in 万 before 万亩 (一万万亩) is not Chinese anyone writes.
    assume(not (unit[0] in "万亿" and n >= 10_000))
    q = _one(f"共{to_chinese_numeral(n)}{unit}，")
    row = _UNITS.set_index("measure").loc[unit.lstrip("万亿") if unit not in set(_UNITS["measure"]) else unit]
    scale = float(_MAGS.set_index("prefix")["multiplier"].get(unit[0], 1)) if unit not in set(_UNITS["measure"]) else 1.0
    assert q["numeral"] == "chinese"
    assert q["value_normalized"] == pytest.approx(n * scale * float(row["multiplier"]))


def test_data_files_are_consistent():
    assert not _UNITS["measure"].duplicated().any()
    assert set(_UNITS["chinese_ok"]) <= {"yes", "no", "noun"}
    assert (_UNITS["multiplier"].astype(float) > 0).all()
    assert set(_UNITS["category"]) <= {"demography", "economy", "ecology", "tourism", "investment",
                                       "agriculture", "industry", "infrastructure", "other"}
    assert not _MAGS["prefix"].duplicated().any()
    hedges = pd.read_csv(data_file("hedges.csv"), dtype=str, keep_default_na=False)
    assert set(hedges["position"]) <= {"pre", "mid", "post"} and not hedges["hedge"].duplicated().any()
    assert vocabulary().regex.groups > 0


@pytest.mark.parametrize("text, value, measure, normalized", [
    ("打造百亿级产业集群", 100.0, "亿元", 1e10),
    ("建成300亿级新材料集群", 300.0, "亿元", 3e10),
    ("千亿级智能家电产业", 1000.0, "亿元", 1e11),
])
def test_scale_classes_are_quantities_of_their_own_kind(text, value, measure, normalized):
    (q,) = scan_quantities(text)
    assert q.scale_class and (q.value, q.measure, q.value_normalized) == (value, measure, normalized)
    assert text[q.start:q.end].endswith("级")


@pytest.mark.parametrize("text, value, measure, normalized", [
    ("辖6 个镇", 6.0, "个", 6.0),                       # a space before the measure
    ("面积2536 平方公里", 2536.0, "平方公里", 2536.0),
    ("年接待游客千万人次", 1000.0, "万人次", 1e7),         # a leading 千 before 万
    ("工业产值过千亿", 1000.0, "亿", 1e11),               # hedged round number, the measure comes from its noun
    ("九成以上", 9.0, "成", 90.0),                         # 成 = tenths, normalised to %
    ("床位6800张", 6800.0, "张", 6800.0),
    ("粮食产量31.2亿斤", 31.2, "亿斤", 31.2e8 * 0.5),       # 斤 = half a kilogram
])
def test_loosely_written_measures(text, value, measure, normalized):
    q = scan_quantities(text)[0]
    assert (q.value, q.measure) == (value, measure)
    assert q.value_normalized == pytest.approx(normalized)
