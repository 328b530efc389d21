"""Corpus + keys -> the Similarity page: clustered cosine heatmap, clusters, matrix, nearest neighbours."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from analytics.analysis import similarity
from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.files import export_footer
from analytics.export.i18n import t
from analytics.views import figure_table, shared

NEIGHBOURS = 5
SHARED_TERMS = 8


@dataclass
class Neighbour:
    key: str
    label: str
    cosine: float
    shared_terms: list[str]


@dataclass
class SimilarityView:
    level: str
    order: list[str]             # the keys in clustering order
    labels: dict[str, str]       # key -> display name
    chart: alt.TopLevelMixin
    footer: str
    clusters: pd.DataFrame       # position, key, cluster (localized headers)
    matrix: pd.DataFrame         # the square cosine matrix in clustering order (localized)
    thin_note: str = ""          # the units whose cosines rest on a paragraph or two (unit level)


@shared.memoised
def similarity_view(corpus: Corpus, level: str, keys: list[str], lang: str = "zh") -> SimilarityView:
    """The heatmap of the keys (units or documents) and its tables."""
    pairs = corpus["similarity"]
    pairs = pairs[pairs["level"] == level]
    order, clusters = similarity.cluster_order(pairs, keys)
    labels = shared.key_labels(corpus.tables, level)
    chart = charts.similarity_heatmap(shared.label_pairs(pairs, level, labels), [labels[k] for k in order], lang,
                                      level=level, clusters=clusters)
    matrix = (similarity.similarity_matrix(pairs, order).rename(index=labels, columns=labels)
              .rename_axis("key").reset_index())
    footer = export_footer(_sources(corpus, level, keys), t("method.similarity", lang), date.today(), lang)
    thin = figure_table.thin_note(figure_table.unit_evidence(corpus.tables, keys), lang) if level == "unit" else ""
    return SimilarityView(level, order, labels, chart, footer,
                          shared.cluster_table(order, clusters, labels, lang), shared.localize(matrix, lang), thin)


def _sources(corpus: Corpus, level: str, keys: list[str]) -> list[str]:
    """The documents behind the heatmap: of the shown units, or the shown documents themselves."""
    if level == "unit":
        return shared.sources_for(corpus.tables, keys)
    documents = corpus["documents"]
    return [corpus.document_label(d) for d in documents.loc[documents["doc_id"].isin(keys), "doc_id"]]


@shared.memoised
def neighbours_view(corpus: Corpus, level: str, focus: str, lang: str = "zh",
                    among: list[str] | None = None, exclude: frozenset[str] | None = None
                    ) -> tuple[list[Neighbour], pd.DataFrame]:
    """The focus key's nearest neighbours with the terms they share most (place names and the generic
    words `exclude` left out, default the reviewed list), and the same as a table.

    `among`: look only among these keys (the page's selection, so the list agrees with the heatmap above
    it); None searches the whole corpus.
    """
    pairs = corpus["similarity"]
    pairs = pairs[pairs["level"] == level]
    if among is not None:
        pairs = pairs[pairs["b"].isin(among)]
    labels = shared.key_labels(corpus.tables, level)
    nearest = similarity.neighbours(pairs, focus, k=NEIGHBOURS)
    model = corpus.tfidf_model(level)
    rows = [Neighbour(row.b, labels.get(row.b, row.b), float(row.cosine),
                      similarity.shared_terms(model, focus, row.b, top_n=SHARED_TERMS,
                                              exclude=exclude)["term"].tolist())
            for row in nearest.itertuples()]
    return rows, shared.localize(nearest.assign(b=nearest["b"].map(labels)), lang)
