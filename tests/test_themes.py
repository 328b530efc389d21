"""analytics.features.themes: the theme lexicon, theme_shares and theme_label, golden shares on the seeds."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.features.themes import theme_hits, theme_label, theme_shares, themes
from analytics.pipeline.lexicon import read_lexicon
from analytics.registry import TABLES
from tests.seedpassages import passages_of, seed_passages

THEMES = ["ecology", "industry", "tourism_wellness", "investment", "innovation", "regional_integration",
          "infrastructure", "livelihood", "party_governance", "reform_business_env", "talent"]


@pytest.fixture(scope="module")
def seeds():
    return theme_shares(seed_passages())


# --- data integrity -------------------------------------------------------------------------------

def test_lexicon_columns_filled_and_keywords_unique():
    table = read_lexicon("themes.csv")
    assert list(table.columns) == ["theme", "theme_zh", "theme_en", "keyword"]
    assert (table != "").all().all()
    dupes = table.loc[table["keyword"].duplicated(keep=False), ["theme", "keyword"]]
    assert dupes.empty, dupes.to_dict("records")


def test_every_theme_has_25_to_60_keywords_and_one_label():
    table = read_lexicon("themes.csv")
    assert list(themes()["theme"]) == THEMES
    sizes = table.groupby("theme")["keyword"].size()
    assert sizes.between(25, 60).all(), sizes.to_dict()
    labels = table.groupby("theme")[["theme_zh", "theme_en"]].nunique()
    assert (labels == 1).all().all()


def test_brief_keywords_present():
    keywords = set(read_lexicon("themes.csv")["keyword"])
    for k in ["绿水青山", "生态修复", "碳达峰", "全域旅游", "康养", "招商引资", "双招双引", "一体化", "融合",
              "营商环境", "放管服", "人才", "党建"]:
        assert k in keywords, k


# --- behaviour -------------------------------------------------------------------------------------

def test_columns_and_full_grid():
    table = theme_shares(passages_of({"甲县": "推进全域旅游。", "乙县": "天气很好。"}))
    assert list(table.columns) == TABLES["themes"]
    assert len(table) == 2 * len(THEMES)
    assert table["hits"].dtype == "int64" and table["share"].dtype == "float64"


def test_shares_sum_to_one_and_zero_unit_gets_zeros():
    table = theme_shares(passages_of({"甲县": "优化营商环境，深化放管服改革，引进人才。", "乙县": "天气很好。"}))
    sums = table.groupby("unit")["share"].sum()
    assert sums["甲县"] == pytest.approx(1.0)
    assert sums["乙县"] == 0.0 and (table.loc[table["unit"] == "乙县", "hits"] == 0).all()


def test_longest_match_counts_once():
    hits = theme_hits(passages_of({"甲县": "坚持绿水青山就是金山银山，发展生态旅游。"}))
    assert sorted(zip(hits["theme"], hits["keyword"])) == [("ecology", "绿水青山就是金山银山"),
                                                           ("tourism_wellness", "生态旅游")]


def test_hits_add_up_over_a_units_passages():
    passages = passages_of({"甲县": "招商引资。"})
    passages = pd.concat([passages, passages.assign(passage_id="d0#1")], ignore_index=True)
    table = theme_shares(passages).set_index("theme")
    assert table.loc["investment", "hits"] == 2


def test_theme_label():
    assert theme_label("ecology") == "生态环保"
    assert theme_label("ecology", "zh") == "生态环保"
    assert theme_label("talent", "en") == "Talent"
    assert theme_label("no_such_theme", "en") == "no_such_theme"


# --- golden shares on the seeds ---------------------------------------------------------------------

def share(table, unit, theme):
    return table.set_index(["unit", "theme"]).loc[(unit, theme), "share"]


def test_every_seed_unit_sums_to_one(seeds):
    assert seeds.groupby("unit")["share"].sum().tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_seed_profiles(seeds):
    # 柞水: 西商融合 (regional integration) and 康养 tourism lead; 岚县: 党建统领 chapter; 沁源: 借智/人才
    assert share(seeds, "柞水县", "regional_integration") > 0.15
    assert share(seeds, "柞水县", "tourism_wellness") > share(seeds, "岚县", "tourism_wellness")
    assert share(seeds, "岚县", "party_governance") > share(seeds, "柞水县", "party_governance")
    assert share(seeds, "沁源县", "talent") > share(seeds, "岚县", "talent")
    assert share(seeds, "沁源县", "ecology") > 0.15
