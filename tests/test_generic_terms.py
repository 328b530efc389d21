"""Generic policy words (data/generic_terms.txt): the list's integrity, and that every term list — top
terms, distinctive terms, shared terms, the co-occurrence network — leaves them (and place names) out the
same way, while a user's edits bring a word back or leave one more out."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from analytics import resources
from analytics.analysis.network import cooccurrence_network
from analytics.analysis.similarity import fit_model, shared_terms
from analytics.analysis.terms import (
    GENERIC_TERMS,
    distinctive_terms_of,
    effective_generic_terms,
    generic_edits_from_setting,
    generic_edits_setting,
    generic_terms,
    place_terms,
    split_terms,
    top_terms,
)
from analytics.features.industries import industry_forms
from analytics.features.themes import theme_lexicon
from analytics.pipeline.tokens import stopwords

SUBSTANTIVE = {"旅游", "生态", "光伏", "乡村振兴", "康养", "煤炭"}
PLACE = "西安"


def tokens_table(bags: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"passage_id": range(len(bags)), "doc_id": [f"d{i}" for i in range(len(bags))],
                         "unit": list(bags), "tokens": list(bags.values())})


def bag(**counts: int) -> str:
    return " ".join(term for term, n in counts.items() for _ in range(n))


# Generic words and a place outnumber every substantive term, as in real strategy texts.
BAGS = tokens_table({
    "甲县": " ".join([bag(发展=12, 打造=9, 优势=7), f"{PLACE} " * 8, bag(旅游=5, 康养=4, 森林=3, 木耳=3, 生态=2)]),
    "乙县": " ".join([bag(发展=3, 打造=1, 优势=1), bag(煤炭=6, 焦化=5, 钢铁=3, 园区=3, 生态=2)]),
})


# ---------------------------------------------------------------- the reviewed list

def _entries() -> list[str]:
    return list(resources.read_lines(GENERIC_TERMS))


def test_the_list_is_a_real_reviewed_list_of_generic_words():
    entries = _entries()
    assert 80 <= len(entries) <= 150
    assert [e for e, n in Counter(entries).items() if n > 1] == []
    assert [e for e in entries if not re.fullmatch(r"[\u4e00-\u9fff]{2,}", e)] == []
    assert {"发展", "建设", "打造", "实施", "优势", "提升", "完善", "落实", "促进", "强化"} <= generic_terms()
    assert generic_terms() == frozenset(entries)


def test_no_entry_is_a_substantive_term():
    entries = set(_entries())
    assert sorted(entries & set(theme_lexicon()["keyword"])) == [], "a theme keyword is what a strategy is about"
    assert sorted(entries & set(industry_forms())) == [], "an industry is what a strategy is about"
    assert entries.isdisjoint(SUBSTANTIVE)


def test_no_entry_is_a_stopword_or_a_place():
    # Stopwords never reach the token tables: listed here, a user could not bring them back.
    entries = set(_entries())
    assert sorted(entries & stopwords()) == []
    assert sorted(entries & place_terms()) == []


def test_a_users_edits_add_and_remove_words():
    edited = effective_generic_terms(added=["亮点"], removed=["发展"])
    assert "亮点" in edited and "发展" not in edited
    assert edited - {"亮点"} == generic_terms() - {"发展"}
    assert effective_generic_terms() == generic_terms()


def test_typed_word_lists_and_saved_edits_read_back():
    assert split_terms(" 亮点、短板  抓手，亮点 ") == ["亮点", "短板", "抓手"]
    text = generic_edits_setting(["短板", "亮点"], ["发展"])
    assert generic_edits_from_setting(text) == (["亮点", "短板"], ["发展"])
    for damaged in (None, "", "not json", "[1, 2]", '{"added": "亮点"}', '{"removed": [3]}'):
        assert generic_edits_from_setting(damaged) == ([], []), damaged


# ---------------------------------------------------------------- every term list leaves them out

def test_top_terms_leave_out_generic_words_and_places():
    shown = set(top_terms(BAGS, ["甲县", "乙县"], n=5)["term"])
    assert shown.isdisjoint(generic_terms()) and PLACE not in shown
    assert {"旅游", "康养", "煤炭", "焦化"} <= shown
    everything = set(top_terms(BAGS, ["甲县"], n=5, exclude=frozenset())["term"])
    assert {"发展", "打造", "优势"} <= everything and PLACE not in everything  # places always left out


def test_a_removed_word_comes_back_and_an_added_word_vanishes():
    edited = effective_generic_terms(added=["旅游"], removed=["发展"])
    top = top_terms(BAGS, ["甲县"], n=3, exclude=edited)
    assert top["term"].iloc[0] == "发展" and "旅游" not in set(top["term"])


def test_each_unit_still_gets_n_distinctive_terms_after_filtering():
    tables = {"passage_tokens": BAGS}
    unfiltered = distinctive_terms_of(tables, ["甲县", "乙县"], top_n=3, exclude=frozenset())
    assert set(unfiltered.loc[unfiltered["unit"] == "甲县", "term"]) & generic_terms()  # the problem
    terms = distinctive_terms_of(tables, ["甲县", "乙县"], top_n=3)
    assert terms.groupby("unit").size().to_dict() == {"甲县": 3, "乙县": 3}
    assert set(terms["term"]).isdisjoint(generic_terms()) and PLACE not in set(terms["term"])
    assert {"旅游", "煤炭"} <= set(terms["term"])
    edited = distinctive_terms_of(tables, ["甲县", "乙县"], top_n=3, exclude=effective_generic_terms(added=["旅游"]))
    assert "旅游" not in set(edited["term"]) and edited.groupby("unit").size().to_dict() == {"甲县": 3, "乙县": 3}


def test_shared_terms_leave_out_generic_words_and_places():
    model = fit_model(tokens_table({"甲县": f"发展 建设 {PLACE} 旅游 康养 森林", "乙县": f"发展 建设 {PLACE} 旅游 康养 木耳",
                                    "丙县": "煤炭 焦化 园区"}))
    everything = set(shared_terms(model, "甲县", "乙县", top_n=10, exclude=frozenset())["term"])
    assert everything == {"发展", "建设", "旅游", "康养"}
    assert set(shared_terms(model, "甲县", "乙县", top_n=10)["term"]) == {"旅游", "康养"}
    edited = effective_generic_terms(added=["旅游"], removed=["建设"])
    assert set(shared_terms(model, "甲县", "乙县", top_n=10, exclude=edited)["term"]) == {"建设", "康养"}


PASSAGES = pd.DataFrame({"text": [
    "西安发展全域旅游和康养产业。打造全域旅游带动康养。森林康养基地建设。",
    "发展煤炭产业转型升级。西安煤炭企业推动转型。全域旅游示范区创建。",
]})


@pytest.mark.parametrize("exclude", [None, generic_terms()])
def test_the_network_leaves_out_generic_words_and_places(exclude):
    nodes, _ = cooccurrence_network(PASSAGES, top_n=20, min_weight=1, min_frequency=1, exclude=exclude)
    shown = set(nodes["term"])
    assert {"全域旅游", "康养", "煤炭"} <= shown
    assert shown.isdisjoint(generic_terms()) and PLACE not in shown


def test_the_network_follows_a_users_edits():
    edited = effective_generic_terms(added=["煤炭"], removed=["发展"])
    nodes, edges = cooccurrence_network(PASSAGES, top_n=20, min_weight=1, min_frequency=1, exclude=edited)
    assert "发展" in set(nodes["term"]) and "煤炭" not in set(nodes["term"])
    assert "煤炭" not in set(edges["source"]) | set(edges["target"])


def test_typed_words_join_the_edits_and_a_counted_again_word_is_left_out_again():
    from analytics.analysis.terms import add_generic_words

    added, removed = add_generic_words(["示范"], ["发展", "建设"], "建设、园区 示范 园区")
    assert added == ["示范", "园区"]  # each once; 建设 is reviewed already, so it needs no adding
    assert removed == ["发展"]  # 建设, typed again, is left out again
