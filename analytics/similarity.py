"""Tokens -> TF-IDF similarity between units (or documents), neighbours, shared and distinctive terms.

Follows scikit-learn's shape: `fit_model` once on the corpus, then query it (`pair_similarity`,
`neighbours`, `shared_terms`) or `transform` a new text against it. Similarity is kept sparse
(top-k per row) when the corpus is large, so memory grows linearly with the number of units.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

LEVELS = {"unit": "unit", "document": "doc_id"}
ALL_PAIRS_UP_TO = 300  # below this many keys every pair is kept; above, only each row's top k
TOP_K = 20


def _split(text: str) -> list[str]:
    return text.split()


@dataclass
class TfidfModel:
    """A fitted TF-IDF space: `keys[i]` is the unit (or doc_id) of row i of the L2-normalised `matrix`."""

    level: str
    keys: list[str]
    vectorizer: TfidfVectorizer
    matrix: sparse.csr_matrix

    def row(self, key: str) -> int:
        return self.keys.index(key)

    @property
    def vocabulary(self) -> np.ndarray:
        return self.vectorizer.get_feature_names_out()


def grouped_tokens(passage_tokens: pd.DataFrame, level: str = "unit") -> pd.Series:
    """passage_tokens (passage_id, doc_id, unit, tokens) -> one space-joined token string per key."""
    column = LEVELS[level]
    return passage_tokens.groupby(column, sort=True)["tokens"].agg(" ".join)


def fit_model(passage_tokens: pd.DataFrame, level: str = "unit") -> TfidfModel:
    """Fit TF-IDF (sublinear tf, smooth idf, L2 rows) on the units' or documents' tokens."""
    texts = grouped_tokens(passage_tokens, level)
    vectorizer = TfidfVectorizer(analyzer=_split, sublinear_tf=True, norm="l2")
    matrix = vectorizer.fit_transform(texts.to_list()).tocsr()
    return TfidfModel(level, [str(k) for k in texts.index], vectorizer, matrix)


def transform(model: TfidfModel, tokens: str) -> sparse.csr_matrix:
    """A new text's space-joined tokens in the fitted space (unknown terms are ignored)."""
    return model.vectorizer.transform([tokens]).tocsr()


def pair_similarity(model: TfidfModel, top_k: int | None = None) -> pd.DataFrame:
    """Cosine of every pair (a != b), or of each row's top_k neighbours for large corpora.

    Output columns: level, a, b, cosine. Rows are computed in blocks, never as one dense N x N.
    """
    n = len(model.keys)
    if top_k is None and n > ALL_PAIRS_UP_TO:
        top_k = TOP_K
    keys = np.array(model.keys, dtype=object)
    frames = []
    block = 512
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        sims = (model.matrix[lo:hi] @ model.matrix.T).toarray()
        rows = np.arange(hi - lo)
        sims[rows, rows + lo] = -1.0  # exclude self
        if top_k is not None and top_k < n - 1:
            cols = np.argpartition(-sims, top_k, axis=1)[:, :top_k]
        else:
            cols = np.tile(np.arange(n), (hi - lo, 1))
        values = np.take_along_axis(sims, cols, axis=1)
        a = np.repeat(keys[lo:hi], cols.shape[1])
        frames.append(pd.DataFrame({"level": model.level, "a": a, "b": keys[cols.ravel()],
                                    "cosine": values.ravel()}))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["level", "a", "b", "cosine"])
    table = table[table["a"] != table["b"]]
    return table.sort_values(["a", "cosine"], ascending=[True, False], ignore_index=True)


def neighbours(similarity: pd.DataFrame, key: str, k: int = 5) -> pd.DataFrame:
    """The k most similar units (or documents) to `key`: columns b, cosine."""
    rows = similarity[similarity["a"] == key]
    return rows.nlargest(k, "cosine")[["b", "cosine"]].reset_index(drop=True)


def similarity_matrix(similarity: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Square cosine table over `keys` (1.0 on the diagonal; missing pairs 0)."""
    sub = similarity[similarity["a"].isin(keys) & similarity["b"].isin(keys)]
    square = sub.pivot_table(index="a", columns="b", values="cosine", aggfunc="max")
    values = square.reindex(index=keys, columns=keys).fillna(0.0).to_numpy(dtype=float, copy=True)
    np.fill_diagonal(values, 1.0)
    return pd.DataFrame(values, index=keys, columns=keys)


def cluster_order(similarity: pd.DataFrame, keys: list[str]) -> tuple[list[str], list[int]]:
    """Keys in average-linkage hierarchical-clustering order, and a cluster number for each.

    Clusters are cut at distance 0.8 (cosine 0.2), so bands group units that share vocabulary.
    """
    if len(keys) < 3:
        return list(keys), [1] * len(keys)
    from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    square = similarity_matrix(similarity, keys)
    distance = np.clip(1.0 - square.to_numpy(), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform((distance + distance.T) / 2, checks=False)
    tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
    order = leaves_list(tree)
    clusters = fcluster(tree, t=0.8, criterion="distance")
    return [keys[i] for i in order], [int(clusters[i]) for i in order]


def shared_terms(model: TfidfModel, a: str, b: str, top_n: int = 10) -> pd.DataFrame:
    """Terms that drive the cosine of a and b: columns term, contribution (sums to the cosine)."""
    product = model.matrix[model.row(a)].multiply(model.matrix[model.row(b)]).tocoo()
    if product.nnz == 0:
        return pd.DataFrame(columns=["term", "contribution"])
    vocab = model.vocabulary
    table = pd.DataFrame({"term": vocab[product.col], "contribution": product.data})
    return table.nlargest(top_n, "contribution").reset_index(drop=True)


def distinctive_terms(passage_tokens: pd.DataFrame, units: list[str] | None = None, top_n: int = 15,
                      prior_strength: float = 0.05, min_count: int = 2) -> pd.DataFrame:
    """Each unit's most distinctive terms against the other units given (all units if None).

    Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008): the prior
    is the pooled counts of the compared units, scaled by `prior_strength`; the score is the
    z-score of the log-odds difference between a unit and all the others together, so any number
    of units can be compared at once. Output columns: unit, term, score, count.
    """
    table = passage_tokens if units is None else passage_tokens[passage_tokens["unit"].isin(units)]
    texts = grouped_tokens(table, "unit")
    columns = ["unit", "term", "score", "count"]
    if len(texts) < 2:
        return pd.DataFrame(columns=columns)
    counter = CountVectorizer(analyzer=_split)
    counts = counter.fit_transform(texts.to_list()).tocsr().astype(np.float64)
    vocab = counter.get_feature_names_out()
    total = np.asarray(counts.sum(axis=0)).ravel()
    alpha = total * prior_strength + 0.01
    alpha0 = alpha.sum()
    n_all = total.sum()
    frames = []
    for i, unit in enumerate(texts.index):
        row = counts[i]
        idx = row.indices[row.data >= min_count]
        if idx.size == 0:
            continue
        y_i = np.asarray(row[:, idx].todense()).ravel()
        y_j = total[idx] - y_i
        n_i = row.sum()
        n_j = n_all - n_i
        a = alpha[idx]
        delta = (np.log((y_i + a) / (n_i + alpha0 - y_i - a))
                 - np.log((y_j + a) / (n_j + alpha0 - y_j - a)))
        z = delta / np.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))
        best = np.argsort(-z)[:top_n]
        frames.append(pd.DataFrame({"unit": unit, "term": vocab[idx[best]], "score": z[best],
                                    "count": y_i[best].astype(int)}))
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)
    return out[out["score"] > 0].reset_index(drop=True)


def similarity_tables(passage_tokens: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The build's corpus-wide tables: pair similarity of units and of documents, distinctive terms."""
    frames = [pair_similarity(fit_model(passage_tokens, level)) for level in LEVELS
              if passage_tokens[LEVELS[level]].nunique() >= 2]
    similarity = (pd.concat(frames, ignore_index=True) if frames
                  else pd.DataFrame(columns=["level", "a", "b", "cosine"]))
    return similarity, distinctive_terms(passage_tokens)
