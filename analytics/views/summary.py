"""The comparison's tables -> its key differences in words: the deck's summary slide, the report's opening.

Every sentence is generated from the rows the other views show — the comparison table (only figures that
are comparable within their column), the industry rows and the theme shares — so the summary never says
what a table does not:

- for each indicator column with two or more comparable figures, the largest gap: a ratio for amounts
  (地区生产总值：沁源县 312.5亿元，是岚县 65.25亿元的 4.8 倍), a difference for rates (percentage
  points) and temperatures;
  the columns with the largest relative gap first;
- the indicators only one unit states (nothing to compare them with);
- the industries every unit has, and how many are each unit's own;
- each unit's leading theme.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.export.i18n import t
from analytics.features.indicators import indicator
from analytics.features.themes import theme_label
from analytics.views.figure_table import ComparisonTable, cell_text, thin_note
from analytics.views.shared import format_value

MAX_GAPS = 5
MAX_ALONE = 6
# Dimensions on an interval scale: 15.6℃ is not "2.3 times" 6.9℃, so their gap is a difference.
DIFFERENCE_DIMENSIONS = {"percent", "temperature"}


@dataclass(frozen=True)
class Gap:
    """The largest difference within one indicator column, between comparable figures."""

    indicator_id: str
    name: str
    high: dict      # the cells (key_figures rows) with the largest and the smallest normalized value
    low: dict
    relative: float  # (high - low) / high: what orders the gaps
    as_difference: bool  # a rate or a temperature: the gap is a difference (percentage points, ℃), not a ratio


def _as_difference(card: dict) -> bool:
    entry = indicator(card["indicator_id"])
    return card["measure_normalized"] == "%" or (entry is not None and entry.dimension in DIFFERENCE_DIMENSIONS)


def column_gaps(table: ComparisonTable) -> list[Gap]:
    """Per column, the gap between its highest and lowest comparable figure (same measure); largest first."""
    gaps = []
    for ident, name in table.column_names.items():
        cells = table.comparable_cells(ident)
        if not cells:
            continue
        high = max(cells, key=lambda c: c["value_normalized"])
        low = min(cells, key=lambda c: c["value_normalized"])
        if high["value_normalized"] <= 0 or high["value_normalized"] == low["value_normalized"]:
            continue
        relative = (high["value_normalized"] - low["value_normalized"]) / abs(high["value_normalized"])
        gaps.append(Gap(ident, name, high, low, relative, _as_difference(high)))
    return sorted(gaps, key=lambda g: g.relative, reverse=True)


def gap_sentence(gap: Gap, lang: str) -> str:
    high, low = gap.high, gap.low
    values = {"indicator": gap.name, "high_unit": high["unit"], "high": cell_text(high, lang),
              "low_unit": low["unit"], "low": cell_text(low, lang)}
    if gap.as_difference:
        difference = round(high["value_normalized"] - low["value_normalized"], 2)
        if high["measure_normalized"] == "%":
            return t("summary.gap_points", lang, points=format_value(difference, ""), **values)
        return t("summary.gap_difference", lang, difference=format_value(difference, high["measure_normalized"] or ""),
                 **values)
    if low["value_normalized"] > 0:
        ratio = high["value_normalized"] / low["value_normalized"]
        return t("summary.gap_ratio", lang, ratio=f"{ratio:.1f}", **values)
    return t("summary.gap_plain", lang, **values)


def key_differences(table: ComparisonTable, industries: pd.DataFrame, themes: pd.DataFrame,
                    max_gaps: int = MAX_GAPS) -> list[str]:
    """The summary's sentences: the largest gaps, the unmatched indicators, shared and own industries,
    leading themes (`industries`: unit_industries rows; `themes`: theme profile rows of the units)."""
    lang = table.lang
    lines = [gap_sentence(g, lang) for g in column_gaps(table)[:max_gaps]]
    sep = t("footer.list_separator", lang)
    alone = []
    for ident, name in table.column_names.items():
        holders = [u for u in table.units if table.cell(u, ident)]
        if len(holders) == 1:
            alone.append(t("summary.alone_item", lang, indicator=name, unit=holders[0]))
    if alone:
        more = t("summary.more", lang, n=len(alone) - MAX_ALONE) if len(alone) > MAX_ALONE else ""
        lines.append(t("summary.alone", lang, items=sep.join(alone[:MAX_ALONE]) + more))
    existing = industries[industries["status"] == "has"] if len(industries) else industries
    name = "industry" if lang == "zh" else "industry_en"
    if len(existing):
        per_unit = {u: set(existing.loc[existing["unit"] == u, name]) for u in table.units}
        shared_by_all = set.intersection(*per_unit.values()) if all(per_unit.values()) else set()
        if shared_by_all:
            lines.append(t("summary.industries_shared", lang, items=sep.join(sorted(shared_by_all))))
        others = {u: set().union(*(v for k, v in per_unit.items() if k != u)) for u in per_unit}
        own = [t("summary.own_item", lang, unit=u, n=len(per_unit[u] - others[u]))
               for u in table.units if per_unit[u] - others[u]]
        if own:
            lines.append(t("summary.industries_own", lang, items=sep.join(own)))
    if len(themes):
        lead = (themes[themes["hits"] > 0].sort_values("share", ascending=False).drop_duplicates("unit")
                .set_index("unit"))
        items = [t("summary.theme_item", lang, unit=u, theme=theme_label(lead.at[u, "theme"], lang),
                   share=f"{lead.at[u, 'share']:.0%}") for u in table.units if u in lead.index]
        if items:
            lines.append(t("summary.themes", lang, items=sep.join(items)))
    caveat = thin_note(table.evidence, lang)  # shares of a unit resting on a paragraph say little
    return lines + ([caveat] if caveat and lines else [])
