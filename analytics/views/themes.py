"""Corpus + units (+ a term) -> the Themes page: theme shares, top terms, co-occurrence network, KWIC.

Top terms and network leave out place names and the generic words the page passes (`exclude`: the
user's edited list, analysis.terms.effective_generic_terms); the network's thresholds are the user's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from analytics.analysis import network
from analytics.analysis.evidence import kwic
from analytics.analysis.terms import top_terms, top_terms_wide
from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.files import export_footer
from analytics.export.i18n import t
from analytics.views import figure_table, shared

TOP_TERMS = 10


@dataclass
class ThemesView:
    profile: pd.DataFrame        # unit × theme shares (what the chart draws and the download holds)
    chart: alt.TopLevelMixin
    footer: str
    top_terms: pd.DataFrame      # unit, rank, term, count
    top_terms_wide: pd.DataFrame
    network_nodes: pd.DataFrame  # term, x, y, weight, community
    network_edges: pd.DataFrame  # source, target, weight
    network_chart: alt.TopLevelMixin
    network_footer: str
    kwic: pd.DataFrame | None    # lines of the term in context (None without a term)
    thin_note: str = ""          # the units whose shares rest on a paragraph or two


@shared.memoised
def themes_view(corpus: Corpus, units: list[str], lang: str = "zh", term: str = "",
                exclude: frozenset[str] | None = None, min_frequency: int = network.MIN_TERM_FREQUENCY,
                min_weight: int = network.MIN_COOCCURRENCE) -> ThemesView:
    """Everything the Themes page shows for the units; KWIC lines when a term is given. `exclude`: the
    generic words left out of top terms and network (default: the reviewed list); `min_frequency` and
    `min_weight`: the sentences a network term, and a network edge, needs at least."""
    sources = shared.sources_for(corpus.tables, units)
    profile = shared.theme_profile(corpus["themes"], units)
    top = top_terms(corpus["passage_tokens"], units, n=TOP_TERMS, exclude=exclude)
    nodes, edges = corpus.network(tuple(units), exclude, min_frequency, min_weight)
    term = term.strip()
    return ThemesView(
        profile=profile,
        chart=charts.theme_profile_chart(profile, lang, order=units),
        footer=export_footer(sources, t("method.themes", lang), date.today(), lang),
        top_terms=top,
        top_terms_wide=top_terms_wide(top),
        network_nodes=nodes,
        network_edges=edges,
        network_chart=charts.cooccurrence_network_chart(nodes, edges, lang),
        network_footer=export_footer(sources, t("method.cooccurrence", lang), date.today(), lang),
        thin_note=figure_table.thin_note(figure_table.unit_evidence(corpus.tables, units), lang),
        kwic=kwic(corpus["documents"], corpus["passages"], term, units=units) if term else None,
    )
