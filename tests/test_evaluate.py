"""The evaluation corpus and its scorer (analytics.evaluate): the gold is well formed, the matching counts
what it says, and the engine holds the levels reached on the corpus."""
import pandas as pd
import pytest

from analytics.evaluate import (BLIND_DIR, COMPARE_DIR, CORPUS_DIR, FINAL_DIR, HELDOUT_DIR, check_texts, evaluate,
                                load_texts, match_figures)

# The levels reached (python -m analytics.evaluate); a change that lowers one fails here.
FLOORS = {"unit accuracy": 0.97, "recall": 0.98, "attributed recall": 0.96, "precision": 0.96,
          "indicator agreement": 0.95, "status agreement": 0.97, "entity agreement": 0.97}


HELDOUT_FLOORS = {"unit accuracy": 0.95, "recall": 0.95, "attributed recall": 0.95, "precision": 0.95,
                  "indicator agreement": 0.95, "sign agreement": 1.0}
# The texts that compare counties (issue 17): the levels it asks for, and a sign that is always right.
COMPARE_FLOORS = {"unit accuracy": 0.97, "attributed recall": 0.94, "precision": 0.96, "indicator agreement": 0.94,
                  "period agreement": 0.96, "sign agreement": 1.0}


def test_the_comparison_sets_are_well_formed_and_compare():
    for directory in (COMPARE_DIR, FINAL_DIR, BLIND_DIR):
        texts = load_texts(directory)
        assert len(texts) >= 25 and check_texts(texts) == []
        many = [t for t in texts if len({u for u in t.figures["unit"]}) >= 4]
        assert len(many) >= len(texts) / 2, f"{directory.name}: {len(many)} of {len(texts)} texts with 4+ units"
        assert sum(int((t.figures["value"].astype(float) < 0).sum()) for t in texts) >= 20  # declines, signed


def test_gold_corpus_is_well_formed():
    texts = load_texts()
    assert len(texts) >= 40, f"{len(texts)} texts in {CORPUS_DIR}"
    assert check_texts(texts) == []
    assert sum(len(t.figures) for t in texts) >= 200
    heldout = load_texts(HELDOUT_DIR)
    assert len(heldout) >= 15 and check_texts(heldout) == []
    assert not {t.name for t in heldout} & {t.name for t in texts}


def _found(**kw):
    base = {"unit": "甲县", "value": 1.0, "measure": "万人", "value_normalized": 10000.0,
            "measure_normalized": "人", "indicator": "人口", "indicator_id": "population", "status": "actual",
            "entity": "", "evidence": ""}
    return {**base, **kw}


def test_matching_is_one_to_one_and_checks_value_measure_and_unit():
    gold = pd.DataFrame([
        {"unit": "甲县", "value": 1, "measure": "万人", "indicator": "population", "status": "actual"},
        {"unit": "乙县", "value": 1, "measure": "万人", "indicator": "population", "status": "actual"},
        {"unit": "甲县", "value": 5, "measure": "%", "indicator": "gdp_growth", "status": "actual"},
    ])
    found = pd.DataFrame([
        _found(),                                           # 甲县 1万人: attributed
        _found(value=10000.0, measure="人"),                # the same figure written in 人: matches 乙县's by value
        _found(unit="丙县", value=5.0, measure="%", value_normalized=5.0, measure_normalized="%"),
        _found(value=7.0, value_normalized=70000.0),        # no gold figure: extra
    ])
    m = match_figures(gold, found)
    states = m["match"].value_counts().to_dict()
    assert states == {"attributed": 1, "found": 2, "extra": 3}  # two wrong-unit claims + one stray figure
    assert set(m.loc[m["match"] == "found", "g_unit"]) == {"乙县", "甲县"}


def test_a_figure_with_the_wrong_measure_is_missed():
    gold = pd.DataFrame([{"unit": "甲县", "value": 32, "measure": "万人", "indicator": "population",
                          "status": "actual"}])
    bare = pd.DataFrame([_found(value=32.0, measure="万", value_normalized=320000.0, measure_normalized="")])
    assert match_figures(gold, bare)["match"].tolist() == ["missed", "extra"]


@pytest.fixture(scope="module")
def evaluation():
    return evaluate()


def test_engine_holds_its_levels_on_the_corpus(evaluation):
    table, _, _ = evaluation
    overall = table.set_index("scope").loc["all"]
    low = {k: round(float(overall[k]), 3) for k, floor in FLOORS.items() if overall[k] < floor}
    assert low == {}, f"below the floors {FLOORS}: {low}"


def test_engine_holds_its_levels_on_the_held_out_texts():
    table, _, _ = evaluate(HELDOUT_DIR)
    overall = table.set_index("scope").loc["all"]
    low = {k: round(float(overall[k]), 3) for k, floor in HELDOUT_FLOORS.items() if overall[k] < floor}
    assert low == {}, f"below the floors {HELDOUT_FLOORS}: {low}"


@pytest.mark.parametrize("directory", [COMPARE_DIR, FINAL_DIR, BLIND_DIR],
                         ids=["heldout_compare", "heldout_final", "heldout_blind"])
def test_engine_holds_its_levels_on_texts_that_compare(directory):
    # the set issue 17 named is held to its 0.95 indicator agreement; the two written later to 0.94
    floors = {**COMPARE_FLOORS, "indicator agreement": 0.95} if directory == COMPARE_DIR else COMPARE_FLOORS
    table, _, _ = evaluate(directory)
    overall = table.set_index("scope").loc["all"]
    low = {k: round(float(overall[k]), 3) for k, floor in floors.items() if overall[k] < floor}
    assert low == {}, f"below the floors {floors}: {low}"


def test_a_fall_found_as_a_rise_counts_against_the_sign():
    gold = pd.DataFrame([{"unit": "甲县", "value": -4.2, "measure": "%", "indicator": "gdp_growth",
                          "status": "actual", "period": "", "entity": ""}])
    found = pd.DataFrame([_found(value=4.2, measure="%", value_normalized=4.2, measure_normalized="%",
                                 indicator_id="gdp_growth", period="")])
    from analytics.evaluate import measures
    m = match_figures(gold, found)
    docs = pd.DataFrame([{"text": "t", "gold_unit": "甲县", "unit": "甲县", "gold_units": ["甲县"], "units": ["甲县"]}])
    assert m["match"].tolist() == ["attributed"]
    assert measures(m.assign(text="t"), docs)["sign agreement"] == 0.0


def test_indicators_compare_as_what_they_measure():
    from analytics.evaluate import _as_measured
    assert _as_measured("uncatalogued", "亿元") == _as_measured("amount", "亿元") == "uncatalogued"
    assert _as_measured("grain_output_growth", "亿斤") == _as_measured("grain_output_change", "亿斤")
    assert _as_measured("gdp_growth", "%") == "gdp_growth" != _as_measured("gdp", "亿元")


def test_the_report_has_one_row_per_scope_and_styles_count_their_own_texts(evaluation):
    from analytics.evaluate import load_texts

    table, _, _ = evaluation
    assert table["scope"].is_unique  # a style named like a phenomenon (ranking, zone) is its own row
    texts = load_texts(CORPUS_DIR)
    for style in {t.style for t in texts}:
        row = table.set_index("scope").loc[f"style:{style}"]
        assert row["texts"] == sum(t.style == style for t in texts), style
