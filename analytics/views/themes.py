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
    thin_note: str = ""          # the units whose shares rest on a paragraph or two


KWIC_SCOPES = ("selection", "corpus")
KWIC_SORTS = ("position", "left", "right")
KWIC_LINES = 2000  # lines shown and downloaded at most; the counts count every occurrence


@dataclass
class KwicView:
    lines: pd.DataFrame          # document (title), unit, left, match, right, doc_id, start, end — sorted
    by_unit: pd.DataFrame        # unit, occurrences (most first)
    by_document: pd.DataFrame    # document, unit, occurrences (most first)
    caption: str                 # how many occurrences, where: the selection's units or the whole corpus
    total: int


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
    )


@shared.memoised
def kwic_view(corpus: Corpus, term: str, units: list[str], scope: str = "selection", sort: str = "position",
              lang: str = "zh") -> KwicView:
    """Every occurrence of `term` in context, in the selection's units or (scope 'corpus') in every document
    — the caption says which — with its counts per unit and per document. Lines sorted in text order, or
    by their left context read from the term outwards (the word just before it first, as concordances do),
    or by their right context."""
    term = term.strip()
    chosen = list(units) if scope == "selection" else None
    every = kwic(corpus["documents"], corpus["passages"], term, units=chosen, limit=10**9)
    every = every.assign(document=[corpus.document_label(d) for d in every["doc_id"]])
    if sort == "left":
        every = every.assign(_key=every["left"].str[::-1]).sort_values(["_key", "right"], kind="stable")
    elif sort == "right":
        every = every.assign(_key=every["right"]).sort_values(["_key", "left"], kind="stable")
    lines = every[["document", "unit", "left", "match", "right", "doc_id", "start", "end"]].head(KWIC_LINES)
    by_unit = (every.groupby("unit").size().rename("occurrences").reset_index()
               .sort_values(["occurrences", "unit"], ascending=[False, True], kind="stable"))
    by_document = (every.groupby(["document", "unit"]).size().rename("occurrences").reset_index()
                   .sort_values(["occurrences", "document"], ascending=[False, True], kind="stable"))
    where = (t("kwic.in_selection", lang, units="、".join(units)) if scope == "selection"
             else t("kwic.in_corpus", lang, n=len(corpus["documents"])))
    caption = t("themes.kwic_count", lang, n=len(every), term=term) + " · " + where
    if len(every) > KWIC_LINES:
        caption += " · " + t("kwic.first_lines", lang, n=KWIC_LINES)
    return KwicView(lines.reset_index(drop=True), by_unit.reset_index(drop=True),
                    by_document.reset_index(drop=True), caption, len(every))
