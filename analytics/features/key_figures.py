"""Figures -> key figures: the headline figure of a unit for each reviewed key-figure slot.

The slots and the indicators that fill them, best first, are data (`data/key_figures.csv`); the rule
for choosing among a unit's figures lives here, so the Compare cards, the Overview's headline table,
the deck and the HTML report pick the same figure.
"""
from __future__ import annotations

import pandas as pd

from analytics.resources import read_table

KEY_FIGURE_COLUMNS = ["unit", "slot", "slot_zh", "slot_en", "indicator", "value", "measure",
                      "value_normalized", "measure_normalized", "year", "is_target", "evidence", "doc_id",
                      "start", "end"]


def key_figure_slots() -> pd.DataFrame:
    """data/key_figures.csv: slot, slot_zh, slot_en, indicators ('|'-joined), in card order."""
    slots = read_table("key_figures.csv")
    return slots.assign(indicators=slots["indicators"].str.split("|"))


def key_figures(figures: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """The headline figure per unit and card slot (population, area, GDP, coverage, investment …).

    Per slot the first listed indicator the unit has wins; an actual figure wins over a target,
    a recent year over an older one. Output: KEY_FIGURE_COLUMNS, one row per unit × filled slot.
    """
    rows = []
    selected = figures[figures["unit"].isin(units)]
    for slot in key_figure_slots().itertuples():
        rank = {name: i for i, name in enumerate(slot.indicators)}
        candidates = selected[selected["indicator"].isin(rank)].assign(
            _rank=lambda f: f["indicator"].map(rank), _year=lambda f: f["year"].fillna(0))
        if candidates.empty:
            continue
        best = candidates.sort_values(["unit", "_rank", "is_target", "_year", "start"],
                                      ascending=[True, True, True, False, True]).drop_duplicates("unit")
        for row in best.itertuples():
            rows.append({"unit": row.unit, "slot": slot.slot, "slot_zh": slot.slot_zh, "slot_en": slot.slot_en,
                         **{c: getattr(row, c) for c in KEY_FIGURE_COLUMNS if c not in
                            ("unit", "slot", "slot_zh", "slot_en")}})
    return pd.DataFrame(rows, columns=KEY_FIGURE_COLUMNS)
