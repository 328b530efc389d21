"""The comparison's rows -> category series: what the deck draws as native, editable PowerPoint charts.

A `Series` chart is categories (units, or a unit's terms) and one or more named series of numbers, with
the kind of chart (grouped columns, stacked, 100 % stacked, horizontal bars), the number format and the
value axis title. Each is computed from the same rows the page's Altair chart and its download use:

- one indicator of the comparison table: the comparable figures of its column, in one measure;
- industries: how many each unit has and targets (stacked);
- themes: each unit's shares, one series per theme in the lexicon's order and colour (100 % stacked);
- distinctive terms: one unit's top terms by score (bars).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.export import charts
from analytics.export.i18n import label, t
from analytics.features.themes import theme_colors, theme_label
from analytics.views.figure_table import ComparisonTable, cell_meta

def _hex(color: str) -> str:
    return color.lstrip("#").upper()  # PowerPoint's RGB form of a CSS colour


STATUS_COLORS = {status: _hex(color) for status, color in charts.STATUS_COLORS.items()}  # as the page's charts
ACCENT = _hex(charts.BAR_COLOR)


def number_format(values: list[float | None]) -> str:
    """Excel's format for the values: no decimals for whole numbers, else as many as they have (at most two);
    '#,##0.##' would draw whole numbers with a trailing point ('16.')."""
    decimals = 0
    for v in values:
        if v is not None and pd.notna(v):
            text = f"{float(v):.2f}".rstrip("0").rstrip(".")
            decimals = max(decimals, len(text.split(".")[1]) if "." in text else 0)
    return "#,##0" + ("." + "0" * decimals if decimals else "")


@dataclass
class Series:
    kind: str                     # "column" | "stacked" | "stacked100" | "bar"
    title: str
    subtitle: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    colors: list[str] = field(default_factory=list)  # one hex (no '#') per series
    number_format: str = "#,##0"
    value_title: str = ""
    left_out: list[str] = field(default_factory=list)  # what the chart cannot show, each with the reason
    indicator_id: str = ""  # the comparison-table column it draws, if any


def indicator_series(table: ComparisonTable) -> list[Series]:
    """One column chart per indicator column with two or more comparable figures of one measure: the
    values in the measure most of them are written in (亿元, 万人 …), so the bars read as the text does."""
    out = []
    for ident, name in table.column_names.items():
        cells = [(c["unit"], c) for c in table.comparable_cells(ident) if c["value"]]
        if len(cells) < 2:
            continue
        measures = pd.Series([c["measure"] or "" for _, c in cells])
        measure = measures.mode().iloc[0]
        reference = next(c for _, c in cells if (c["measure"] or "") == measure)
        per_unit = reference["value_normalized"] / reference["value"]  # normalized units per written unit
        values = [round(c["value_normalized"] / per_unit, 4) for _, c in cells]
        years = sorted({int(c["year"]) for _, c in cells if pd.notna(c["year"])})
        meta = {m for _, c in cells for m in cell_meta(c, table.lang, with_year=False)}  # the same for all
        subtitle = t("deck.indicator_subtitle", table.lang, measure=measure or "—",
                     years="、".join(map(str, years)) or "—")
        if meta:
            subtitle += " · " + "、".join(sorted(meta))
        shown = [u for u, _ in cells]
        left_out = [t("gap.indicator", table.lang, unit=u, indicator=name) for u in table.units if u not in shown]
        out.append(Series("column", name, subtitle, shown, [(name, values)], [ACCENT], number_format(values),
                          measure, left_out, ident))
    return out


def industry_series(industries: pd.DataFrame, units: list[str], lang: str) -> Series:
    """How many industries each unit has and targets (unit_industries rows), stacked."""
    counts = industries.groupby(["unit", "status"]).size() if len(industries) else pd.Series(dtype=int)
    shown = [u for u in units if u in set(industries["unit"])]
    series = [(label("status", status, lang), [int(counts.get((u, status), 0)) for u in shown])
              for status in ("has", "targets")]
    return Series("stacked", t("deck.industry_counts", lang), t("deck.industry_counts_subtitle", lang), shown,
                  series, [STATUS_COLORS["has"], STATUS_COLORS["targets"]], number_format="0",
                  value_title=t("deck.industries_axis", lang))


def theme_series(profile: pd.DataFrame, units: list[str], lang: str, title: str, subtitle: str) -> Series:
    """Each unit's theme shares, one series per theme in the lexicon's order and colour."""
    shown = [u for u in units if u in set(profile.loc[profile["hits"] > 0, "unit"])]
    shares = profile.set_index(["unit", "theme"])["share"]
    colors = theme_colors()
    series, palette = [], []
    for theme, color in colors.items():
        values = [float(shares.get((u, theme), 0.0) or 0.0) for u in shown]
        if any(values):
            series.append((theme_label(theme, lang), values))
            palette.append(_hex(color))
    return Series("stacked100", title, subtitle, shown, series, palette, number_format="0%",
                  value_title=t("axis.share", lang))


def term_series(terms: pd.DataFrame, unit: str, lang: str, top_n: int = 10) -> Series:
    """One unit's most distinctive terms by score, the highest on top."""
    top = terms[terms["unit"] == unit].nlargest(top_n, "score").iloc[::-1]  # bar charts draw bottom-up
    return Series("bar", t("deck.terms_title", lang, unit=unit), t("deck.terms_subtitle", lang, n=len(top)),
                  top["term"].astype(str).tolist(), [(unit, [round(float(v), 1) for v in top["score"]])],
                  [ACCENT], number_format="0.0", value_title=t("axis.score", lang))
