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
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

LEVELS = {"unit": "unit", "document": "doc_id"}
ALL_PAIRS_UP_TO = 300  # below this many keys every pair is kept; above, only each row's top k
TOP_K = 20
BLOCK_ROWS = 512
# Terms in more than this share of rows are multiplied as a dense block (BLAS) and the rest as sparse:
# a sparse product costs about df² per term, so the few very common terms (发展, 产业 …) cost most of
# it, while as dense columns they cost a few GEMM flops per pair. Capped so the dense block stays small.
DENSE_DF_SHARE = 0.125
DENSE_MAX_COLUMNS = 4096


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
    return _pairs(model.level, model.keys, model.matrix, top_k)


def _row_products(matrix: sparse.csr_matrix):
    """(lo, hi, dense matrix[lo:hi] @ matrix.T) block by block.

    Common terms go through a dense product and the others through a sparse one (see DENSE_DF_SHARE);
    the sum is the same cosine as the all-sparse product, up to floating-point rounding (~1e-16).
    """
    n, n_terms = matrix.shape
    df = np.bincount(matrix.indices, minlength=n_terms)
    common = np.flatnonzero(df > max(2.0, DENSE_DF_SHARE * n))
    if common.size > DENSE_MAX_COLUMNS:
        common = np.sort(common[np.argsort(-df[common], kind="stable")[:DENSE_MAX_COLUMNS]])
    if common.size:
        rare_mask = np.ones(n_terms, dtype=bool)
        rare_mask[common] = False
        dense = matrix[:, common].toarray()
        rare = matrix[:, np.flatnonzero(rare_mask)].tocsr()
    else:
        dense, rare = None, matrix
    rare_t = rare.T.tocsr()
    for lo in range(0, n, BLOCK_ROWS):
        hi = min(n, lo + BLOCK_ROWS)
        sims = (rare[lo:hi] @ rare_t).toarray()
        if dense is not None:
            sims += dense[lo:hi] @ dense.T
        yield lo, hi, sims


def _pairs(level: str, key_list: list[str], matrix: sparse.csr_matrix, top_k: int | None = None) -> pd.DataFrame:
    n = len(key_list)
    if top_k is None and n > ALL_PAIRS_UP_TO:
        top_k = TOP_K
    keys = np.array(key_list, dtype=object)
    frames = []
    for lo, hi, sims in _row_products(matrix):
        rows = np.arange(hi - lo)
        sims[rows, rows + lo] = -1.0  # exclude self
        if top_k is not None and top_k < n - 1:
            cols = np.argpartition(-sims, top_k, axis=1)[:, :top_k]
        else:
            cols = np.tile(np.arange(n), (hi - lo, 1))
        values = np.take_along_axis(sims, cols, axis=1)
        a = np.repeat(keys[lo:hi], cols.shape[1])
        frames.append(pd.DataFrame({"level": level, "a": a, "b": keys[cols.ravel()],
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

    The tree is cut into about sqrt(n) clusters (2 to 8): documents of one corpus share most of their
    vocabulary, so a fixed cosine threshold would leave nearly every unit alone.
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
    clusters = fcluster(tree, t=max(2, min(8, round(len(keys) ** 0.5))), criterion="maxclust")
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
    if len(texts) < 2:
        return pd.DataFrame(columns=["unit", "term", "score", "count"])
    counter = CountVectorizer(analyzer=_split)
    counts = counter.fit_transform(texts.to_list()).tocsr()
    return _distinctive(list(texts.index), counts, counter.get_feature_names_out(), top_n, prior_strength,
                        min_count)


def _distinctive(keys: list[str], counts: sparse.csr_matrix, vocab: np.ndarray, top_n: int,
                 prior_strength: float, min_count: int) -> pd.DataFrame:
    """distinctive_terms on a units x terms count matrix (rows in `keys` order).

    Works on the CSR arrays row by row (no sparse indexing, one DataFrame at the end): the same
    arithmetic, in the same order, as the straightforward version.
    """
    columns = ["unit", "term", "score", "count"]
    counts = counts.astype(np.float64)
    total = np.asarray(counts.sum(axis=0)).ravel()
    alpha = total * prior_strength + 0.01
    alpha0 = alpha.sum()
    n_all = total.sum()
    indptr, indices, data = counts.indptr, counts.indices, counts.data
    units, terms, scores, found = [], [], [], []
    for i, unit in enumerate(keys):
        row_data = data[indptr[i]:indptr[i + 1]]
        keep = row_data >= min_count
        if not keep.any():
            continue
        idx = indices[indptr[i]:indptr[i + 1]][keep]
        y_i = row_data[keep]
        y_j = total[idx] - y_i
        n_i = row_data.sum()
        n_j = n_all - n_i
        a = alpha[idx]
        delta = (np.log((y_i + a) / (n_i + alpha0 - y_i - a))
                 - np.log((y_j + a) / (n_j + alpha0 - y_j - a)))
        z = delta / np.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))
        best = np.argsort(-z)[:top_n]
        units.append(np.full(best.size, unit, dtype=object))
        terms.append(vocab[idx[best]])
        scores.append(z[best])
        found.append(y_i[best].astype(int))
    if not units:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({"unit": np.concatenate(units), "term": np.concatenate(terms),
                        "score": np.concatenate(scores), "count": np.concatenate(found)})
    return out[out["score"] > 0].reset_index(drop=True)


def similarity_tables(passage_tokens: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The build's corpus-wide tables: pair similarity of units and of documents, distinctive terms.

    The units' term counts are computed once and serve both the unit-level TF-IDF (TfidfTransformer
    on them is exactly what fit_model's TfidfVectorizer computes) and the distinctive terms.
    """
    frames, distinctive = [], None
    for level, column in LEVELS.items():
        if passage_tokens[column].nunique() < 2:
            continue
        texts = grouped_tokens(passage_tokens, level)
        counter = CountVectorizer(analyzer=_split)
        counts = counter.fit_transform(texts.to_list()).tocsr()
        matrix = TfidfTransformer(sublinear_tf=True, norm="l2").fit_transform(counts).tocsr()
        keys = [str(k) for k in texts.index]
        frames.append(_pairs(level, keys, matrix))
        if level == "unit":
            distinctive = _distinctive(list(texts.index), counts, counter.get_feature_names_out(),
                                       top_n=15, prior_strength=0.05, min_count=2)  # distinctive_terms defaults
    similarity = (pd.concat(frames, ignore_index=True) if frames
                  else pd.DataFrame(columns=["level", "a", "b", "cosine"]))
    if distinctive is None:
        distinctive = distinctive_terms(passage_tokens)
    return similarity, distinctive
