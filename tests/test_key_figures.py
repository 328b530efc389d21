"""Key figures (analytics.features.key_figures): only a unit's own figure of the slot's indicator, the
best of them, and a mark where a column mixes figures that do not measure the same thing."""
import pandas as pd

from analytics.features.key_figures import key_figures


def _fig(unit, indicator_id, value, *, qualifier="", status="actual", period="", entity="", year=None, start=0):
    return {"doc_id": "d", "unit": unit, "indicator": indicator_id, "indicator_id": indicator_id,
            "qualifier": qualifier, "value": value, "measure": "亿元", "value_normalized": value * 1e8,
            "measure_normalized": "元", "category": "economy", "year": year, "status": status, "period": period,
            "entity": entity, "is_target": status == "target", "evidence": "", "start": start, "end": start + 1}


def test_the_units_own_actual_figure_of_the_slot_wins():
    figures = pd.DataFrame([
        _fig("甲县", "fixed_asset_investment", 70.0, entity="某某项目"),    # a project's: never a key figure
        _fig("甲县", "fixed_asset_investment", 90.0, status="target"),
        _fig("甲县", "fixed_asset_investment", 55.0, period="h1", start=5),
        _fig("甲县", "fixed_asset_investment", 48.0, year=2023, start=9),
        _fig("甲县", "total_investment", 163.9),                             # another indicator: no slot
    ])
    cards = key_figures(figures, ["甲县"]).set_index("slot")
    assert cards.loc["investment", "value"] == 48.0  # actual, no period, before h1 and the target
    assert "total_investment" not in set(cards["indicator_id"])


def test_a_figure_that_does_not_measure_what_its_column_does_is_marked():
    figures = pd.DataFrame([
        _fig("甲县", "disposable_income", 3.1, qualifier="all"),
        _fig("乙县", "disposable_income", 3.3, qualifier=""),                 # the default qualifier: all
        _fig("丙县", "disposable_income", 1.9, qualifier="rural"),
        _fig("甲县", "gdp", 120.0), _fig("乙县", "gdp", 200.0, status="target"),
    ])
    cards = key_figures(figures, ["甲县", "乙县", "丙县"])
    income = cards[cards["slot"] == "income"].set_index("unit")
    assert income["comparable"].tolist() == [True, True, False] and income.loc["丙县", "why"] == "qualifier"
    gdp = cards[cards["slot"] == "gdp"].set_index("unit")
    # one actual, one target: the tie goes to the actual, the target is marked
    assert gdp.loc["甲县", "comparable"] and not gdp.loc["乙县", "comparable"] and gdp.loc["乙县", "why"] == "status"
