"""A figure's own unit (analytics.features.attribution) and its use in the figures stage."""
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.features.attribution import SelfReference, clause_subjects, own_unit, respective_units
from analytics.features.figures import extract_figures


def _mentions(sentence: str, *names: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for name in names:
        at = sentence.index(name, pos)
        out.append((at, at + len(name), name))
        pos = at + len(name)
    return out


def test_a_place_opening_a_clause_is_the_subject_of_that_clause_and_the_next_ones():
    s = "全市完成造林9万亩，其中甲乙县完成3万亩，居全市第一；丙丁县完成2万亩。"
    m = _mentions(s, "甲乙县", "丙丁县")
    subjects = clause_subjects(s, m)
    assert [u for _, u in subjects] == ["city", "甲乙县", "丙丁县"]  # 全市 hands the clause back to the passage
    assert isinstance(subjects[0][1], SelfReference)
    assert own_unit(s, s.index("9万亩"), subjects, "某某市") == "某某市"
    assert own_unit(s, s.index("3万亩"), subjects, "某某市") == "甲乙县"
    assert own_unit(s, s.index("第一"), subjects, "某某市") == "甲乙县"
    assert own_unit(s, s.index("2万亩"), subjects, "某某市") == "丙丁县"


def test_a_place_inside_a_clause_or_a_slogan_is_no_subject():
    s = "全县森林覆盖率达62%，比甲乙县高出5个百分点，探索“甲乙县研发、本地转化”模式。"
    m = _mentions(s, "甲乙县", "甲乙县")
    assert [u for _, u in clause_subjects(s, m)] == ["county"]


def test_adjacent_names_make_the_last_one_the_subject():
    s = "某某省某某市甲乙县地区生产总值120亿元。"
    m = _mentions(s, "某某省", "某某市", "甲乙县")
    assert own_unit(s, s.index("120"), clause_subjects(s, m), "某某省") == "甲乙县"


def test_respectively_lists_pair_places_and_values_in_order():
    s = "甲乙县、丙丁县和戊己县森林覆盖率分别为81.2%、79.6%、77.1%，分别提高1.1、0.9、0.6个百分点。"
    m = _mentions(s, "甲乙县", "丙丁县", "戊己县")
    positions = [s.index(v) for v in ("81.2", "79.6", "77.1", "1.1", "0.9", "0.6")]
    got = respective_units(s, positions, m)
    assert [got[p][0] for p in positions] == ["甲乙县", "丙丁县", "戊己县"] * 2
    assert got[positions[1]][1] == positions[0] and got[positions[4]][1] == positions[3]


def test_extract_figures_credits_list_figures_to_their_units():
    text = "全市森林覆盖率为70.5%。分县看，崇义县、安远县森林覆盖率分别为88.4%、84.7%；全南县造林1.2万亩。"
    passages = pd.DataFrame([{"passage_id": "d:000", "doc_id": "d", "unit": "赣州市", "speaker": "",
                              "start": 0, "end": len(text), "text": text}])
    mentions = pd.DataFrame([{"doc_id": "d", "start": text.index(u), "end": text.index(u) + 3, "unit": u,
                              "kind": "county"} for u in ("崇义县", "安远县", "全南县")])
    figs = extract_figures(passages, mentions=mentions).set_index("value")
    assert figs.loc[70.5, "unit"] == "赣州市"
    assert figs.loc[88.4, "unit"] == "崇义县" and figs.loc[84.7, "unit"] == "安远县"
    assert figs.loc[84.7, "indicator"] == "森林覆盖率"  # the later value shares the first one's indicator
    assert figs.loc[1.2, "unit"] == "全南县"


def _entity(sentence: str, figure: str, counted: bool = False) -> str:
    from analytics.features.attribution import entity_of, entity_spans

    at = sentence.index(figure)
    return entity_of(sentence, at, at + len(figure), entity_spans(sentence), [], counted)


def test_a_figure_of_a_named_project_company_or_park_keeps_its_entity():
    s = "主会场的蘑菇深加工项目总投资7.2亿元，建成后预计年产值15亿元；全县当年完成投资88亿元。"
    assert _entity(s, "7.2亿元") == "蘑菇深加工项目"
    assert _entity(s, "15亿元") == "蘑菇深加工项目"     # the next clause of the same item
    assert _entity(s, "88亿元") == ""                   # after ；, the county again
    assert _entity("依托总面积2.6万公顷的青峰山国家森林公园发展康养。", "2.6万公顷") == "青峰山国家森林公园"
    assert _entity("星河集团是全国乳业龙头，去年实现产值31亿元。", "31亿元") == "星河集团"


def test_classes_and_counts_are_no_entity():
    assert _entity("此次集中开工项目共18个，总投资64亿元。", "64亿元") == ""   # 开工项目 is a class
    assert _entity("全县共谋划重点项目120个，年度计划投资150亿元。", "150亿元") == ""
    assert _entity("其中亿元以上项目9个。", "9个", counted=True) == ""


def test_a_place_whose_name_starts_like_a_self_reference_is_a_place():
    s = "全州县森林覆盖率达到71%，全县完成造林2万亩。"  # 全州县 (a county) begins like 全州 (a prefecture's own voice)
    m = _mentions(s, "全州县")
    subjects = clause_subjects(s, m)
    assert subjects == [(0, "全州县"), (s.index("全县"), "county")]
    assert isinstance(subjects[1][1], SelfReference) and not isinstance(subjects[0][1], SelfReference)
    assert own_unit(s, s.index("71%"), subjects, "桂林市") == "全州县"


FRAGMENTS = ["全州县", "全县", "全市", "岚县", "吕梁市", "山西省", "长治经开区", "分别为", "分列", "居全省", "第3位", "首位",
             "前三", "、", "，", "。", "；", "“", "”", "（", "）", "12个", "3.5亿元", "76%", "以上的", "的", "项目", "公司",
             "集团", "之一", "全国", "增长", "力争", "预计", "到2025年", "去年", "森林覆盖率", "总人口", "万", "\n"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60))
def test_any_arrangement_of_places_cues_and_numbers_analyses(parts):
    """Places, self-references, lists, ranks, thresholds and cues in any order: the engine never raises,
    and every figure names a unit the document has and points into its clean text."""
    from analytics.corpus.engine import analyse_documents

    text = "".join(parts)
    documents = pd.DataFrame([{"doc_id": "d", "file_name": "d.txt", "source": "test", "format": "txt",
                               "encoding": "utf-8", "raw_text": text}])
    tables = analyse_documents(documents)
    clean = tables["documents"]["clean_text"].iloc[0]
    assert set(tables["figures"]["unit"]) <= set(tables["units"]["unit"])
    for row in tables["figures"].itertuples():
        assert 0 <= row.start < row.end <= len(clean)
