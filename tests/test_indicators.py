"""The canonical indicator catalogue, the name -> indicator mapping, and the one comparability rule."""
import pytest

from analytics.features.figures import canonical_indicator
from analytics.features.indicators import (DIMENSIONS, STATUSES, catalogue, comparable, indicator, names,
                                           qualifier_or_default)
from analytics.resources import read_records, taxonomy_values


def test_catalogue_is_well_formed():
    rows = read_records("indicator_catalogue.csv")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) and all(i.isidentifier() for i in ids)
    assert not any(i.endswith("_growth") for i in ids)  # growth ids are derived, never listed
    categories = set(taxonomy_values("category"))
    for r in rows:
        assert r["zh"] and r["en"] and r["definition"], r["id"]
        assert r["dimension"] in DIMENSIONS, r["id"]
        assert r["category"] in categories, r["id"]
        qualifiers = r["qualifiers"].split("|") if r["qualifiers"] else []
        assert len(qualifiers) == len(set(qualifiers)) and all(qualifiers), r["id"]


def test_every_mapped_id_is_catalogued():
    known = set(catalogue())
    for file, column in (("indicators.csv", "indicator_id"), ("indicator_heads.csv", "indicator_id"),
                         ("count_nouns.csv", "indicator_id"), ("measure_units.csv", "indicator_id")):
        for r in read_records(file):
            assert r[column] in known, (file, r)
    for r in read_records("indicators.csv"):
        if r["qualifier"]:
            assert r["qualifier"] in catalogue()[r["indicator_id"]].qualifiers, r


def test_catch_all_ids_are_the_last_resorts():
    from analytics.features.indicators import catch_all_ids

    assert {"count", "amount", "share", "growth", "other"} <= catch_all_ids()
    assert not catch_all_ids() & {"gdp", "population", "land_area", "forest_coverage"}
    assert canonical_indicator("数值增速", "%") == ("growth", "")  # a catch-all's growth is plain growth


def test_growth_ids_are_derived_from_their_base():
    gdp_growth = indicator("gdp_growth")
    assert gdp_growth is not None and gdp_growth.zh == "地区生产总值增速" and gdp_growth.dimension == "percent"
    assert names("tourist_visits_growth") == ("游客人次增速", "Tourist visits growth")
    assert indicator("no_such_growth") is None and indicator("nonsense") is None


@pytest.mark.parametrize("name, measure, expected", [
    ("农村居民人均可支配收入", "元", ("disposable_income", "rural")),
    ("城镇居民人均可支配收入", "元", ("disposable_income", "urban")),
    ("林草覆盖率", "%", ("forest_coverage", "forest_grass")),
    ("森林覆盖率", "%", ("forest_coverage", "forest")),
    ("常住人口", "万人", ("population", "resident")),
    ("地区生产总值增速", "%", ("gdp_growth", "")),
    ("一般公共预算收入增速", "%", ("budget_revenue_growth", "")),
    ("增速", "%", ("growth", "")),
    ("第二产业占比", "%", ("sector_share", "secondary")),
    ("康养产业产值", "亿元", ("output_value", "")),
    ("风电项目", "个", ("projects", "")),
    ("高新技术企业", "家", ("enterprises", "")),
    ("数值", "亿元", ("amount", "")),
    ("数值", "万人次", ("other", "")),          # person-times of what? the measure alone names nothing
    ("接待游客", "万人次", ("tourist_visits", "")),
    ("财政总收入", "亿元", ("amount", "")),     # total fiscal revenue is no general budget revenue
    ("地方级收入", "亿元", ("amount", "")),     # nor is any other revenue an operating revenue
    ("公益林面积", "万亩", ("area", "")),       # an area of the county is no land area
    ("森林覆盖率", "个", ("count", "")),        # 森林覆盖率超过75%的有23个: a count, whatever its words
    ("固定资产投资下降", "%", ("fixed_asset_investment_growth", "")),
    ("粮食产量增量", "亿斤", ("grain_output_change", "")),
    ("旅游总收入", "亿元", ("tourism_revenue", "")),
    ("实际利用外资", "亿美元", ("attracted_investment", "")),
    ("平遥县总面积", "平方公里", ("land_area", "")),
    ("农牧民人均可支配收入", "元", ("disposable_income", "all")),
])
def test_canonical_indicator(name, measure, expected):
    assert canonical_indicator(name, measure) == expected


def _figure(**kw):
    base = {"indicator_id": "disposable_income", "qualifier": "", "status": "actual", "period": "",
            "entity": "", "measure_normalized": "元"}
    return {**base, **kw}


def test_comparable_needs_the_same_indicator_qualifier_status_period_and_no_entity():
    a = _figure()
    assert comparable(a, _figure(qualifier="all")) == (True, "")  # the default qualifier is 'all'
    assert comparable(a, _figure(qualifier="rural")) == (False, "qualifier")
    assert comparable(a, _figure(indicator_id="gdp")) == (False, "indicator")
    assert comparable(a, _figure(status="target")) == (False, "status")
    assert comparable(a, _figure(period="h1")) == (False, "period")
    assert comparable(a, _figure(entity="某某集团")) == (False, "entity")
    assert comparable(a, _figure(measure_normalized="%")) == (False, "measure")
    assert qualifier_or_default("forest_coverage", "") == "forest"
    assert set(STATUSES) == {"actual", "estimate", "target", "plan"}
