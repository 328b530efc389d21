"""analytics.features.industries: the taxonomy file, extract_industries on fixtures, golden rows on the seeds."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from analytics.features.industries import (
    extract_industries,
    industry_blockers,
    industry_forms,
    industry_mentions,
    industry_taxonomy,
)
from analytics.pipeline.lexicon import read_lexicon, split_forms
from analytics.registry import TABLES
from tests.seedpassages import document_of, passages_of, seed_passages


@pytest.fixture(scope="module")
def seeds():
    passages = seed_passages()
    return passages, extract_industries(passages)


# --- data integrity -------------------------------------------------------------------------------

def test_taxonomy_columns_and_every_cell_filled():
    raw = read_lexicon("industries.csv")
    assert list(raw.columns) == ["industry", "industry_en", "synonyms", "gbt_section", "strategic_emerging",
                                 "group", "group_en"]
    assert (raw != "").all().all()
    assert 60 <= len(raw) <= 90
    assert not raw["industry"].duplicated().any()
    assert not raw["industry_en"].duplicated().any()


def test_no_surface_form_listed_twice():
    raw = read_lexicon("industries.csv")
    forms = [f for row in raw.itertuples() for f in [row.industry, *split_forms(row.synonyms)]]
    dupes = sorted({f for f in forms if forms.count(f) > 1})
    assert dupes == []
    assert all(len(f) >= 2 for f in forms), "one-character forms match inside unrelated words"


def test_gbt_sections_are_valid_gbt_4754_2017():
    sections = read_lexicon("gbt4754_sections.csv")
    assert list(sections["letter"]) == list("ABCDEFGHIJKLMNOPQRST")
    valid = {f"{r.letter} {r.name_zh}" for r in sections.itertuples()}
    assert set(read_lexicon("industries.csv")["gbt_section"]) <= valid


def test_strategic_flag_is_boolean():
    assert set(read_lexicon("industries.csv")["strategic_emerging"]) == {"true", "false"}
    assert industry_taxonomy()["strategic_emerging"].map(type).eq(bool).all()


def test_group_names_consistent():
    raw = read_lexicon("industries.csv")
    assert (raw.groupby("group")["group_en"].nunique() == 1).all()


def test_brief_coverage():
    forms = industry_forms()
    for form in ["煤炭", "焦化", "钢铁", "新材料", "风电", "光伏", "氢能", "储能", "装备制造", "汽车零部件",
                 "电池", "光电", "数字经济", "大数据", "生物医药", "中药材", "马铃薯", "小杂粮", "畜牧",
                 "水产养殖", "经济林", "木耳", "茶叶", "农产品加工", "食品", "文旅", "康养", "生态旅游",
                 "现代物流", "电商", "金融", "现代服务业", "建材", "纺织"]:
        assert form in forms, form


def test_blockers_contain_a_form_and_are_not_forms():
    forms = industry_forms()
    for blocker in industry_blockers():
        assert blocker not in forms
        assert any(f in blocker for f in forms), blocker


# --- behaviour on fixtures -------------------------------------------------------------------------

def test_columns_and_types():
    table = extract_industries(passages_of({"甲县": "甲县是中药大县。"}))
    assert list(table.columns) == TABLES["industries"]
    assert table["strategic_emerging"].dtype == bool
    assert table["mentions"].dtype == "int64"


def test_empty_input_gives_empty_table_with_columns():
    empty = passages_of({"甲县": "今天天气很好。"})
    assert list(extract_industries(empty).columns) == TABLES["industries"]
    assert extract_industries(empty).empty
    assert extract_industries(empty.iloc[0:0]).empty


def test_longest_match_no_double_counting():
    table = extract_industries(passages_of({"甲县": "打造新能源汽车零部件和新能源汽车产业，发展新能源。"}))
    counts = dict(zip(table["industry"], table["mentions"]))
    assert counts == {"新能源汽车": 2, "新能源": 1}


def test_status_has_when_any_mention_is_an_existing_base():
    table = extract_industries(passages_of({"甲县": "甲县是全省马铃薯大县。要大力发展马铃薯加工。"}))
    row = table.set_index("industry").loc["马铃薯"]
    assert (row["status"], row["mentions"]) == ("has", 2)
    assert "大县" in row["evidence"]


def test_status_targets_when_only_goals():
    table = extract_industries(passages_of({"甲县": "力争到2030年培育氢能产业集群。规划建设氢能产业园。"}))
    assert table.set_index("industry").loc["氢能", "status"] == "targets"


def test_clause_decides_before_sentence():
    # one sentence: an existing casting base, then a goal for new materials in another clause
    text = "依托传统铸造产业优势，承接发展新材料、高端装备制造等产业。"
    status = extract_industries(passages_of({"甲县": text})).set_index("industry")["status"]
    assert status["铸造锻造"] == "has"
    assert status["新材料"] == "targets"
    assert status["高端装备制造"] == "targets"


def test_plain_statement_counts_as_has():
    table = extract_industries(passages_of({"甲县": "规上工业中煤炭占比15%。"}))
    assert table.loc[0, "status"] == "has"
    table = extract_industries(passages_of({"甲县": "园区内有光伏电站。"}))
    assert table.loc[0, "status"] == "has"


def test_blocker_phrase_is_not_an_industry():
    table = extract_industries(passages_of({"甲县": "创建国家食品安全示范城市。发展绿色食品。"}))
    assert table.set_index("industry").loc["食品", "mentions"] == 1


def test_rows_per_unit_and_offsets_are_document_offsets():
    passages = passages_of({"甲县": "甲县盛产木耳和香菇。", "乙县": "乙县发展光伏。"}, offset=7)
    table = extract_industries(passages)
    assert set(zip(table["unit"], table["industry"])) == {("甲县", "食用菌"), ("乙县", "光伏")}
    assert table.set_index("unit").loc["甲县", "mentions"] == 2
    forms = industry_forms()
    for row in table.itertuples():
        span = document_of(passages, row.doc_id)[row.start:row.end]
        assert forms[span] == row.industry
        assert span in row.evidence


def test_mentions_table_is_a_concordance():
    mentions = industry_mentions(passages_of({"甲县": "发展木耳。已形成木耳基地。"}))
    assert list(mentions["cue"]) == ["targets", "has"]
    assert list(mentions["form"]) == ["木耳", "木耳"]


# --- golden rows on the seeds (checked by hand against the texts) -----------------------------------

def golden(table, unit, industry):
    rows = table[(table["unit"] == unit) & (table["industry"] == industry)]
    assert len(rows) == 1, (unit, industry)
    return rows.iloc[0]


def test_zhashui_edible_fungi_is_an_existing_base(seeds):
    _, table = seeds
    row = golden(table, "柞水县", "食用菌")  # 柞水木耳, a national geographical-indication product
    assert row["status"] == "has" and row["mentions"] >= 2
    assert "木耳" in row["evidence"]


def test_lanxian_potatoes(seeds):
    _, table = seeds
    row = golden(table, "岚县", "马铃薯")  # 马铃薯 / 土豆 / 种薯 across the document
    assert row["status"] == "has" and row["mentions"] >= 15
    assert row["gbt_section"] == "A 农、林、牧、渔业" and not row["strategic_emerging"]


def test_lanxian_coal_iron_and_new_energy_goals(seeds):
    _, table = seeds
    assert golden(table, "岚县", "煤炭")["status"] == "has"
    assert golden(table, "岚县", "铁矿")["status"] == "has"
    assert golden(table, "岚县", "新材料")["status"] == "targets"
    assert golden(table, "岚县", "新材料")["strategic_emerging"]


def test_qinyuan_tcm_and_forestry(seeds):
    _, table = seeds
    row = golden(table, "沁源县", "中药材")  # 中药大县
    assert row["status"] == "has" and "中药大县" in row["evidence"]
    assert golden(table, "沁源县", "林业")["status"] == "has"  # 山西林业大县
    assert golden(table, "沁源县", "康养")["status"] == "targets"  # 围绕“文旅+康养”下足功夫


def test_zhashui_wellness_and_tourism(seeds):
    _, table = seeds
    assert golden(table, "柞水县", "康养")["mentions"] >= 8
    assert golden(table, "柞水县", "文化旅游")["mentions"] >= 5


def test_seed_offsets_point_at_a_surface_form(seeds):
    passages, table = seeds
    texts = dict(zip(passages["doc_id"], passages["text"]))
    forms = industry_forms()
    for row in table.itertuples():
        span = texts[row.doc_id][row.start:row.end]
        assert forms[span] == row.industry
        assert span in row.evidence and row.evidence in texts[row.doc_id]


def test_many_documents_run_quickly():
    passages = seed_passages()
    many = pd.concat([passages.assign(passage_id=passages["passage_id"] + f"/{i}") for i in range(100)],
                     ignore_index=True)
    start = time.perf_counter()
    table = extract_industries(many)
    elapsed = time.perf_counter() - start
    assert len(table) == len(extract_industries(passages))
    assert elapsed < 10, f"{elapsed:.1f}s for 300 documents"
