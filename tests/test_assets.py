"""analytics.features.assets: the asset pattern file, extract_assets on fixtures, golden rows on the seeds."""
from __future__ import annotations

import re

import pytest

from analytics.features.assets import DOMAINS, asset_lexicon, extract_assets
from analytics.pipeline.lexicon import read_lexicon
from analytics.registry import TABLES
from tests.seedpassages import document_of, passages_of, seed_passages


@pytest.fixture(scope="module")
def seeds():
    passages = seed_passages()
    return passages, extract_assets(passages)


def assets_of(text: str) -> list[str]:
    return list(extract_assets(passages_of({"甲县": text}))["asset"])


# --- data integrity -------------------------------------------------------------------------------

def test_asset_file_columns_filled_and_unique():
    table = asset_lexicon()
    assert list(table.columns) == ["domain", "asset", "asset_en", "pattern"]
    assert (table != "").all().all()
    assert set(table["domain"]) == set(DOMAINS)
    assert not table["asset"].duplicated().any()
    assert not table["asset_en"].duplicated().any()


def test_patterns_compile_without_capturing_groups():
    for pattern in asset_lexicon()["pattern"]:
        assert re.compile(pattern).groups == 0, pattern  # the named group around it must be the one that closes


def test_asset_cues_file():
    table = read_lexicon("asset_cues.csv")
    assert set(table["status"]) == {"absent", "aspiration"}
    assert (table != "").all().all() and not table["cue"].duplicated().any()
    for cue in table["cue"]:
        re.compile(cue)



# --- behaviour on fixtures -------------------------------------------------------------------------

def test_columns():
    table = extract_assets(passages_of({"甲县": "境内有国家森林公园。"}))
    assert list(table.columns) == TABLES["assets"]
    assert list(extract_assets(passages_of({"甲县": "无。"})).columns) == TABLES["assets"]


@pytest.mark.parametrize("text, asset", [
    ("牛背梁国家森林公园风光秀美。", "国家森林公园"),
    ("境内有省级森林公园一处。", "省级森林公园"),
    ("拥有国家级自然保护区。", "国家级自然保护区"),
    ("汾河国家湿地公园是生态名片。", "国家湿地公园"),
    ("白龙山是国家AAAA级旅游景区。", "4A级景区"),
    ("该景区为4A级景区。", "4A级景区"),
    ("关公故里是国家5A级旅游景区。", "5A级景区"),
    ("获评中国天然氧吧。", "中国天然氧吧"),
    ("被命名为国家生态文明建设示范区。", "生态文明建设示范区"),
    ("获评“绿水青山就是金山银山”实践创新基地。", "两山实践创新基地"),
    ("岚县面塑是非物质文化遗产。", "非物质文化遗产"),
    ("有全国重点文物保护单位3处。", "文物保护单位"),
    ("被评为国家全域旅游示范区。", "全域旅游示范区"),
    ("本次共签约项目23个。", "签约项目"),
    ("深化双招双引。", "双招双引"),
    ("依托省级经济技术开发区。", "省级开发区"),
])
def test_asset_patterns(text, asset):
    assert assets_of(text) == [asset]


def test_negated_and_aspired_titles_are_not_assets():
    assert assets_of("目前全省虽无一家国家级森林公园。") == []
    assert assets_of("要积极申报国家森林公园。") == []
    assert assets_of("以创建国家全域旅游示范区为牵引。") == []


def test_planned_investment_is_still_investment_activity():
    assert assets_of("力争签约项目10个。") == ["签约项目"]


def test_one_row_per_unit_and_asset_with_document_offsets():
    passages = passages_of({"甲县": "有国家森林公园两处。又有国家森林公园。", "乙县": "签约项目3个。"}, offset=5)
    table = extract_assets(passages)
    assert list(zip(table["unit"], table["asset"])) == [("乙县", "签约项目"), ("甲县", "国家森林公园")]
    for row in table.itertuples():
        span = document_of(passages, row.doc_id)[row.start:row.end]
        assert re.fullmatch(asset_lexicon().set_index("asset").loc[row.asset, "pattern"], span)
        assert span in row.evidence


# --- golden rows on the seeds -------------------------------------------------------------------

def unit_assets(table, unit):
    return set(table.loc[table["unit"] == unit, "asset"])


def test_zhashui_scenic_and_ecological_titles(seeds):
    _, table = seeds
    got = unit_assets(table, "柞水县")
    assert {"国家森林公园", "国家级旅游度假区", "最佳旅游乡村", "中国天然氧吧", "全域旅游示范区",
            "生态文明建设示范区"} <= got


def test_lanxian_heritage_and_development_zone(seeds):
    _, table = seeds
    got = unit_assets(table, "岚县")
    assert {"非物质文化遗产", "革命遗址", "国家园林县城", "省级开发区"} <= got
    assert "国家森林城市" not in got  # 实施国家森林城市创建行动: not yet a title


def test_qinyuan_investment_attraction(seeds):
    _, table = seeds
    got = unit_assets(table, "沁源县")
    assert {"双招双引", "招商引资", "合作协议"} <= got
    assert "国家森林公园" not in got  # 要积极申报…; 山西虽无一家


def test_seed_offsets(seeds):
    passages, table = seeds
    texts = dict(zip(passages["doc_id"], passages["text"]))
    patterns = asset_lexicon().set_index("asset")["pattern"]
    for row in table.itertuples():
        span = texts[row.doc_id][row.start:row.end]
        assert re.fullmatch(patterns[row.asset], span), (row.asset, span)
        assert span in row.evidence
