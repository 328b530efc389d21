"""Corpus + units (+ a term) -> the Themes page: theme shares, top terms, co-occurrence network, KWIC."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from analytics.analysis.evidence import kwic
from analytics.analysis.terms import top_terms, top_terms_wide
from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.files import export_footer
from analytics.export.i18n import t
from analytics.views import shared

TOP_TERMS = 10


@dataclass
class ThemesView:
    profile: pd.DataFrame        # unit × theme shares (what the chart draws and the download holds)
    chart: alt.TopLevelMixin
    footer: str
    top_terms: pd.DataFrame      # unit, rank, term, count
    top_terms_wide: pd.DataFrame
    network_chart: alt.TopLevelMixin
    network_footer: str
    kwic: pd.DataFrame | None    # lines of the term in context (None without a term)


def themes_view(corpus: Corpus, units: list[str], lang: str = "zh", term: str = "") -> ThemesView:
    """Everything the Themes page shows for the units; KWIC lines when a term is given."""
    sources = shared.sources_for(corpus.tables, units)
    profile = shared.theme_profile(corpus["themes"], units)
    top = top_terms(corpus["passage_tokens"], units, n=TOP_TERMS)
    nodes, edges = corpus.network(tuple(units))
    term = term.strip()
    return ThemesView(
        profile=profile,
        chart=charts.theme_profile_chart(profile, lang, order=units),
        footer=export_footer(sources, t("method.themes", lang), date.today(), lang),
        top_terms=top,
        top_terms_wide=top_terms_wide(top),
        network_chart=charts.cooccurrence_network_chart(nodes, edges, lang),
        network_footer=export_footer(sources, t("method.cooccurrence", lang), date.today(), lang),
        kwic=kwic(corpus["documents"], corpus["passages"], term, units=units) if term else None,
    )
