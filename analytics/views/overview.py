"""Corpus -> the Overview page: counts, documents, units and their map, headline figures, cleaning."""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.pipeline.hygiene import near_duplicates
from analytics.views import figure_table, shared


@dataclass
class OverviewView:
    counts: dict[str, int]
    documents: pd.DataFrame      # every document (reprints included, marked)
    units: pd.DataFrame
    map_chart: alt.TopLevelMixin
    headline: pd.DataFrame       # units × key figures, as text: the comparison table of every unit
    headline_download: pd.DataFrame  # the same figures as typed rows
    cleaning: pd.DataFrame
    flagged: pd.DataFrame        # spans cleaning could not recover
    reprints: pd.DataFrame       # near-duplicates and their originals


@shared.memoised
def overview_view(corpus: Corpus, lang: str = "zh") -> OverviewView:
    """Everything the Overview shows, in the UI language."""
    documents = corpus.evidence["documents"]
    headline = figure_table.comparison_table(corpus, corpus.unit_options(), lang)
    return OverviewView(
        counts=shared.corpus_counts(corpus.tables),
        documents=shared.documents_view(documents, lang),
        units=shared.units_view(corpus["units"], lang),
        map_chart=charts.units_map_chart(corpus["units"], lang),
        headline=headline.display,
        headline_download=headline.export,
        cleaning=shared.cleaning_view(documents, lang),
        flagged=shared.localize(shared.flagged_spans(documents), lang),
        reprints=shared.localize(near_duplicates(documents), lang),
    )
