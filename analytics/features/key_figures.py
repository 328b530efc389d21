"""Figures -> key figures: the headline figure of a unit for each reviewed key-figure slot.

The slots — one canonical indicator each (data/indicator_catalogue.csv) with its qualifiers best first —
are data (`data/key_figures.csv`); the rule for choosing among a unit's figures lives here, so the Compare
table, the Overview's headline table, the deck and the HTML report pick the same figure:

- only the unit's own figures of the slot's indicator: never an entity's (a project's 总投资, a park's
  面积) and never another place's (the figures stage credits those to their own unit);
- best first: status actual, then estimate, target, plan; no period before a period (上半年, 年均); the
  slot's qualifiers in their order (常住人口 before 户籍人口); the most recent year; the first in the text.

Each chosen figure is then checked against its column with analytics.features.indicators.comparable: the
reference is the most common (qualifier, status, period) of the column, and a figure that differs from it is
kept but marked (`comparable` False, `why` naming the first difference: qualifier, status, period).
"""
from __future__ import annotations

import pandas as pd

from analytics.features.indicators import STATUSES, catch_all_ids, comparable, indicator, qualifier_or_default
from analytics.resources import read_table

KEY_FIGURE_COLUMNS = ["unit", "slot", "slot_zh", "slot_en", "indicator", "indicator_id", "qualifier", "value",
                      "measure", "value_normalized", "measure_normalized", "year", "status", "period", "entity", "is_target",
                      "comparable", "why", "low_confidence", "evidence", "doc_id", "start", "end"]
_STATUS_RANK = {status: i for i, status in enumerate(STATUSES)}


def key_figure_slots() -> pd.DataFrame:
    """data/key_figures.csv: slot, slot_zh, slot_en, indicator_id, qualifiers (a list, best first), in order."""
    slots = read_table("key_figures.csv")
    return slots.assign(qualifiers=slots["qualifiers"].map(lambda cell: [q for q in cell.split("|") if q]))


def indicator_slots(indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """The columns of a comparison table: the reviewed key-figure slots, or one slot per given canonical
    indicator — a reviewed slot where the list has one for it, else one made from the catalogue (its names,
    its qualifiers in catalogue order), in the order given."""
    reviewed = key_figure_slots()
    if indicator_ids is None:
        return reviewed
    by_indicator = {row["indicator_id"]: row for row in reviewed.to_dict("records")}
    rows = []
    for ident in dict.fromkeys(indicator_ids):
        entry = indicator(ident)
        if ident in by_indicator:
            rows.append(by_indicator[ident])
        elif entry is not None:
            rows.append({"slot": ident, "slot_zh": entry.zh, "slot_en": entry.en, "indicator_id": ident,
                         "qualifiers": list(entry.qualifiers)})
    return pd.DataFrame(rows, columns=reviewed.columns)


def selection_indicators(figures: pd.DataFrame, units: list[str]) -> list[str]:
    """The canonical indicators the units' own figures state, as comparison-table columns: those of the
    reviewed key-figure list first, in its order, then the others, most units first (ties: most figures).
    Catch-all ids and ranks are left out: neither compares across units."""
    left_out = catch_all_ids() | {"rank"}
    own = figures[figures["unit"].isin(units) & (figures["entity"].fillna("") == "")
                  & ~figures["indicator_id"].isin(left_out)]
    if own.empty:
        return []
    stats = own.groupby("indicator_id").agg(units=("unit", "nunique"), n=("unit", "size"))
    reviewed = [i for i in key_figure_slots()["indicator_id"] if i in stats.index]
    rest = stats.drop(index=reviewed).sort_values(["units", "n"], ascending=False, kind="stable")
    return reviewed + [i for i in rest.index if indicator(i) is not None]


DEFAULT_COLUMNS = 6  # a comparison table's columns unless the user chooses: what fits a 16:9 slide with six units


def default_indicators(cards: pd.DataFrame, options: list[str], limit: int = DEFAULT_COLUMNS) -> list[str]:
    """The columns a comparison opens with: of the `options` (selection_indicators' order: reviewed first),
    those whose key figures (`cards`, key_figures of every option) are comparable for the most units, ties in
    the options' order; at most `limit`. Every default column has a value, whatever units are chosen, and
    the columns most units share come first to be chosen (the same five reviewed columns for every selection
    left rows of dashes where the units' documents state other things)."""
    comparable_units = cards[cards["comparable"].astype(bool)].groupby("indicator_id")["unit"].nunique()
    ranked = sorted((o for o in options if comparable_units.get(o, 0)),
                    key=lambda o: (-int(comparable_units.get(o, 0)), options.index(o)))
    return ranked[:limit]


def _mark_comparability(chosen: pd.DataFrame) -> pd.DataFrame:
    """comparable / why of each figure of one slot against the column's most common kind of figure (on a
    tie, the kind the slot prefers: its first qualifier, an actual, no period; for a batch indicator, the
    document most of them come from), by the one rule, analytics.features.indicators.comparable."""
    rows = chosen.to_dict("records")
    batch = indicator(chosen["indicator_id"].iloc[0])
    keys = [(r["qualifier"], r["status"], r["period"], r["measure_normalized"],
             r["doc_id"] if batch is not None and batch.within_document else "") for r in rows]
    preference = {k: (r["_qualifier"], r["_status"], r["_period"]) for k, r in zip(keys, rows)}
    reference_key = max(dict.fromkeys(keys),
                        key=lambda k: (keys.count(k), tuple(-x for x in preference[k]), -keys.index(k)))
    reference = rows[keys.index(reference_key)]
    verdicts = [comparable(reference, r) for r in rows]
    return chosen.assign(comparable=[ok for ok, _ in verdicts], why=[why for _, why in verdicts])


def key_figures(figures: pd.DataFrame, units: list[str], indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """The headline figure per unit and slot (population, area, GDP, income, coverage, investment …);
    with `indicator_ids`, per unit and each of those canonical indicators (`indicator_slots`).

    Output: KEY_FIGURE_COLUMNS, one row per unit × filled slot, in slot order then unit order.
    """
    rows = []
    own = figures[figures["unit"].isin(units) & (figures["entity"].fillna("") == "")]
    order = {u: i for i, u in enumerate(units)}
    for slot in indicator_slots(indicator_ids).itertuples():
        candidates = own[own["indicator_id"] == slot.indicator_id]
        if candidates.empty:
            continue
        qualifier_rank = {q: i for i, q in enumerate(slot.qualifiers)}
        qualifiers = [qualifier_or_default(slot.indicator_id, q) for q in candidates["qualifier"].fillna("")]
        candidates = candidates.assign(
            qualifier=qualifiers,
            _status=candidates["status"].map(_STATUS_RANK).fillna(len(_STATUS_RANK)),
            _period=(candidates["period"].fillna("") != "").astype(int),
            _qualifier=[qualifier_rank.get(q, len(qualifier_rank)) for q in qualifiers],
            _year=candidates["year"].fillna(0), _unit=candidates["unit"].map(order))
        best = (candidates.sort_values(["_unit", "_status", "_period", "_qualifier", "_year", "start"],
                                       ascending=[True, True, True, True, False, True])
                .drop_duplicates("unit"))
        best = _mark_comparability(best)
        for row in best.to_dict("records"):
            rows.append({**{c: row.get(c) for c in KEY_FIGURE_COLUMNS},
                         "slot": slot.slot, "slot_zh": slot.slot_zh, "slot_en": slot.slot_en})
    return pd.DataFrame(rows, columns=KEY_FIGURE_COLUMNS)
