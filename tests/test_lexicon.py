"""analytics.pipeline.lexicon (longest-match regex, first characters, status cues) and the segmenter's data files."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.paths import data_file
from analytics.pipeline.lexicon import (
    HAS,
    TARGETS,
    clause_bounds,
    compile_terms,
    first_chars,
    read_lexicon,
    split_forms,
    status_cues,
)


def naive_longest_first(terms):
    return re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abcd", min_size=1, max_size=4), min_size=1, max_size=12),
       st.text(alphabet="abcde", max_size=60))
def test_trie_regex_is_a_longest_first_alternation(terms, text):
    trie = compile_terms(terms)
    naive = naive_longest_first(terms)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in naive.finditer(text)]


def test_longest_match_wins_and_no_overlap():
    p = compile_terms(["新能源", "新能源汽车", "汽车", "能源"])
    assert [m.group() for m in p.finditer("发展新能源汽车和新能源")] == ["新能源汽车", "新能源"]


def test_empty_term_list_matches_nothing():
    assert compile_terms([]).search("任何文本") is None


def test_split_forms():
    assert split_forms(" 木耳| 香菇 ||") == ["木耳", "香菇"]


@pytest.mark.parametrize("pattern, expected", [
    ("国家级?森林公园", {"国"}),
    ("(?:国家|省级)?湿地公园", {"国", "省", "湿"}),
    ("(?<![A4])A级景区", {"A"}),
    ("签约|框架协议", {"签", "框"}),
    ("[^，]协议", None),
])
def test_first_chars(pattern, expected):
    got = first_chars(pattern)
    assert (got if got is None else set(got)) == expected


def test_clause_bounds_cut_at_commas_not_at_enumeration_commas():
    text = "依托资源优势，承接发展新材料、高端装备制造等产业。"
    pos = text.index("新材料")
    a, b = clause_bounds(text, pos, 0, len(text))
    assert text[a:b] == "承接发展新材料、高端装备制造等产业"


def test_status_cues_file():
    table = read_lexicon("industry_status_cues.csv")
    assert list(table.columns) == ["status", "cue", "note"]
    assert set(table["status"]) == {HAS, TARGETS}
    assert (table != "").all().all()
    assert not table["cue"].duplicated().any()
    for cue in table["cue"]:
        re.compile(cue)
    cues = status_cues()
    assert cues.judge("岚县是马铃薯大县", 0, 8) == HAS
    assert cues.judge("力争引进龙头企业", 0, 8) == TARGETS
    assert cues.judge("实现有效衔接", 0, 6) == ""  # 现有 inside 实现有 is not an existing base


# --- segmenter data files -------------------------------------------------------------------------

def _dict_entries():
    lines = data_file("domain_dict.txt").read_text(encoding="utf-8").splitlines()
    return lines, [line.split() for line in lines if line.strip() and not line.startswith("#")]


def test_domain_dict_format():
    lines, entries = _dict_entries()
    assert lines[0].startswith("#")
    assert 150 <= len(entries) <= 700
    for parts in entries:
        assert len(parts) == 3 and parts[1].isdigit() and parts[2].isalpha(), parts
    words = [p[0] for p in entries]
    assert len(words) == len(set(words))
    for required in ["太忻一体化经济区", "绿水青山就是金山银山", "全域旅游", "康养", "西商融合", "双招双引",
                     "乡村振兴", "营商环境", "一泓清水入黄河", "专精特新"]:
        assert required in words


def test_domain_dict_keeps_theme_keywords_and_industry_names_whole():
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    _, entries = _dict_entries()
    for word, freq, tag in entries:
        tk.add_word(word, int(freq), tag)
    keywords = set(read_lexicon("themes.csv")["keyword"]) | set(read_lexicon("industries.csv")["industry"])
    # "<term>产业" may split into <term> + 产业 when <term> is listed itself (see the file's header)
    suffixes = ("产业", "产业链", "行业", "项目", "产业园")
    listed = keywords | set(read_lexicon("assets.csv")["asset"])
    redundant = {k for k in keywords for s in suffixes if k.endswith(s) and k[:-len(s)] in listed}
    split = [k for k in keywords - redundant if len(k) >= 2 and tk.lcut(k) != [k]]
    assert split == []


def test_stopwords_file():
    lines = data_file("stopwords.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    words = [w.strip() for w in lines if w.strip() and not w.startswith("#")]
    assert len(words) == len(set(words))
    for required in ["表示", "进行", "工作", "同志", "记者", "的", "，", "。", "、", "“", "”"]:
        assert required in words
    # a stopword must never hide a term the themes count
    assert not set(words) & set(read_lexicon("themes.csv")["keyword"])
