"""Corpus + filters -> the Figures page: every figure with its evidence, an indicator chart, every table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.files import export_footer
from analytics.export.i18n import t
from analytics.features.key_figures import selection_indicators
from analytics.views import figure_table, shared


@dataclass
class FiguresView:
    figures: pd.DataFrame        # the filtered figures (tidy: what the evidence picker reads)
    shown: pd.DataFrame          # the same as the table shows
    download: pd.DataFrame       # the same as typed rows (value a number, indicator names, document, offsets)
    total: int                   # figures in the corpus (every document)
    indicators: list[str]        # canonical indicator ids to compare across units (key figures first)


@shared.memoised
def figures_view(corpus: Corpus, units: list[str], categories: list[str], target: str, search: str,
                 lang: str = "zh") -> FiguresView:
    """The Figures page reads every document's figures (reprints included): it is a reading list."""
    figures = corpus.evidence["figures"]
    view = shared.figures_view(figures, units, categories, target, search)
    pool = view if len(view) else figures
    return FiguresView(view, shared.figures_display(view, lang),
                       figure_table.typed_figures(view, lang, corpus.document_label), len(figures),
                       selection_indicators(pool, list(dict.fromkeys(pool["unit"]))))


def figure_categories(corpus: Corpus) -> list[str]:
    """The figure categories present in the corpus, for the filter."""
    return sorted(corpus.evidence["figures"]["category"].unique())


@shared.memoised
def indicator_chart(corpus: Corpus, units: list[str], indicator_id: str, lang: str = "zh") -> tuple[alt.TopLevelMixin, str]:
    """One canonical indicator across the units (the counted figures: a reprint is not a second bar; only
    the units' own figures that measure the same thing: shared.comparable_figures), and its footer."""
    figures = corpus["figures"]
    chosen = units or corpus.unit_options()
    rows, _ = shared.comparable_figures(figures[figures["unit"].isin(chosen)], indicator_id)
    name = shared.indicator_name(indicator_id, lang)
    chart = charts.figures_bar_chart(rows.assign(indicator=name), name, lang)
    return chart, export_footer(shared.sources_for(corpus.tables, chosen), t("method.figures", lang),
                                date.today(), lang)


@shared.memoised
def table_view(corpus: Corpus, name: str, lang: str = "zh") -> pd.DataFrame:
    """One corpus table as shown and offered for download (every document; documents without their texts),
    its headers in the UI language (`python -m analytics export` writes the tables with their column names)."""
    return shared.localize(shared.table_for_download(corpus.evidence, name), lang)
