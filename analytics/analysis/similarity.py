"""Tokens -> TF-IDF similarity between units (or documents), neighbours, shared and distinctive terms.

Follows scikit-learn's shape: `fit_model` once on the corpus, then query it (`pair_similarity`,
`neighbours`, `shared_terms`) or `transform` a new text against it. Similarity is kept sparse
(top-k per row) when the corpus is large, so memory grows linearly with the number of units.

Incremental updates (used by analytics.corpus.store after a document is added or removed): `LevelCounts`
holds a level's term counts, `update_counts` recounts only the affected keys (the result equals a full
count, so the TF-IDF rows and idf are exact), and `update_pairs` recomputes the affected rows of the
top-k table against every row, letting them into the other rows' lists where they beat the k-th
neighbour; those other rows keep the cosines of their last computation (idf drift ~ changed/N). The
store refits a level in full once REFIT_SHARE of its keys changed since the last full fit (see
analytics.corpus.store). Distinctive terms are vectorised over all units and simply recomputed (exact).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage, optimal_leaf_ordering
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from analytics.analysis.terms import left_out

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
    square = similarity_matrix(similarity, keys)
    distance = np.clip(1.0 - square.to_numpy(), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform((distance + distance.T) / 2, checks=False)
    tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
    order = leaves_list(tree)
    clusters = fcluster(tree, t=max(2, min(8, round(len(keys) ** 0.5))), criterion="maxclust")
    return [keys[i] for i in order], [int(clusters[i]) for i in order]


def shared_terms(model: TfidfModel, a: str, b: str, top_n: int = 10,
                 exclude: frozenset[str] | None = None) -> pd.DataFrame:
    """Terms that drive the cosine of a and b: columns term, contribution (all terms' contributions sum
    to the cosine). Place names and the generic words `exclude` (default: the reviewed list) are left
    out of the list, as of every term list (analysis.terms.left_out); they still count in the cosine."""
    product = model.matrix[model.row(a)].multiply(model.matrix[model.row(b)]).tocoo()
    if product.nnz == 0:
        return pd.DataFrame(columns=["term", "contribution"])
    vocab = model.vocabulary
    # a set lookup per shared term: Series.isin would turn the whole gazetteer into an array on every call
    dropped = left_out(exclude)
    kept = [i for i, term in enumerate(vocab[product.col]) if term not in dropped]
    table = pd.DataFrame({"term": vocab[product.col[kept]], "contribution": product.data[kept]})
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

    Vectorised over all the CSR entries at once (no loop over units): the same arithmetic as the
    straightforward per-unit version, so the same scores; within a unit the terms are ranked by score,
    ties by column (term) order, and the first `top_n` are kept. At N = 3,000 units this is cheap
    enough (~0.1 s) that an incremental refresh recomputes it for every unit, exactly.
    """
    columns = ["unit", "term", "score", "count"]
    counts = sparse.csr_matrix(counts, dtype=np.float64, copy=True)  # never touch the caller's arrays
    total = np.asarray(counts.sum(axis=0)).ravel()
    alpha = total * prior_strength + 0.01
    alpha0 = alpha.sum()
    n_all = total.sum()
    indptr, indices, data = counts.indptr, counts.indices, counts.data
    rows = np.repeat(np.arange(len(keys)), np.diff(indptr))
    n_row = np.asarray(counts.sum(axis=1)).ravel()  # integer counts: the float sums are exact
    keep = data >= min_count
    if not keep.any():
        return pd.DataFrame(columns=columns)
    rows, idx, y_i = rows[keep], indices[keep], data[keep]
    y_j = total[idx] - y_i
    n_i = n_row[rows]
    n_j = n_all - n_i
    a = alpha[idx]
    delta = (np.log((y_i + a) / (n_i + alpha0 - y_i - a))
             - np.log((y_j + a) / (n_j + alpha0 - y_j - a)))
    z = delta / np.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))
    order = np.lexsort((idx, -z, rows))  # by unit, then score descending, then term
    rows_sorted = rows[order]
    starts = np.searchsorted(rows_sorted, rows_sorted, side="left")
    best = order[(np.arange(order.size) - starts) < top_n]
    key_array = np.asarray(keys, dtype=object)
    out = pd.DataFrame({"unit": key_array[rows[best]], "term": np.asarray(vocab, dtype=object)[idx[best]],
                        "score": z[best], "count": y_i[best].astype(int)})
    return out[out["score"] > 0].reset_index(drop=True)


@dataclass
class LevelCounts:
    """The raw term counts of one level: `counts[i]` is key `keys[i]` (sorted) over `vocab` (sorted).

    Exactly what CountVectorizer fits on `grouped_tokens(passage_tokens, level)`; kept by the store so
    that a corpus change only recounts the keys it touched (`update_counts`).
    """

    level: str
    keys: list[str]
    vocab: np.ndarray
    counts: sparse.csr_matrix

    def tfidf(self) -> sparse.csr_matrix:
        """The L2-normalised TF-IDF rows, exactly as fit_model / similarity_tables compute them."""
        return TfidfTransformer(sublinear_tf=True, norm="l2").fit_transform(self.counts).tocsr()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        data = self.counts.data  # counts: int32 halves the blob (read back as the int64 CountVectorizer gives)
        data = data.astype(np.int32) if data.size == 0 or data.max() < 2**31 else data
        np.savez(buffer, keys=np.asarray(self.keys, dtype=str), vocab=np.asarray(self.vocab, dtype=str),
                 indptr=self.counts.indptr, indices=self.counts.indices, data=data,
                 shape=np.asarray(self.counts.shape), level=np.asarray(self.level))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "LevelCounts":
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            counts = sparse.csr_matrix((z["data"].astype(np.int64), z["indices"], z["indptr"]),
                                       shape=tuple(z["shape"]))
            return cls(str(z["level"]), z["keys"].tolist(), z["vocab"].astype(object), counts)


def _count(texts: pd.Series) -> tuple[np.ndarray, sparse.csr_matrix]:
    try:
        counter = CountVectorizer(analyzer=_split)
        counts = counter.fit_transform(texts.to_list()).tocsr()
        return counter.get_feature_names_out(), counts
    except ValueError:  # no token at all: an empty vocabulary
        return np.array([], dtype=object), sparse.csr_matrix((len(texts), 0), dtype=np.int64)


def level_counts(passage_tokens: pd.DataFrame, level: str) -> LevelCounts:
    """Term counts of every key of `level` ('unit' or 'document')."""
    texts = grouped_tokens(passage_tokens, level)
    vocab, counts = _count(texts)
    counts.sort_indices()  # canonical order: an updated LevelCounts gives bit-identical TF-IDF rows
    return LevelCounts(level, [str(k) for k in texts.index], vocab, counts)


def update_counts(previous: LevelCounts, passage_tokens: pd.DataFrame, affected: set[str]) -> LevelCounts:
    """`previous` with the rows of the `affected` keys recounted from `passage_tokens` (the whole corpus).

    Keys that no longer have tokens are dropped, new ones inserted in order, new terms merged into the
    sorted vocabulary and terms nobody uses any more removed: the result equals `level_counts` on the
    whole corpus (same keys, vocabulary and counts), at the cost of counting the affected keys only.
    """
    column = LEVELS[previous.level]
    texts = grouped_tokens(passage_tokens[passage_tokens[column].astype(str).isin(affected)], previous.level)
    sub_vocab, sub_counts = _count(texts)
    old_vocab = np.asarray(previous.vocab, dtype=str)
    sub_vocab = np.asarray(sub_vocab, dtype=str)
    vocab = np.union1d(old_vocab, sub_vocab)
    old_map = np.searchsorted(vocab, old_vocab).astype(np.int64)
    sub_map = np.searchsorted(vocab, sub_vocab).astype(np.int64)
    kept = [i for i, key in enumerate(previous.keys) if key not in affected]
    old = previous.counts[kept] if kept else sparse.csr_matrix((0, len(old_vocab)), dtype=np.int64)
    old = sparse.csr_matrix((old.data, old_map[old.indices], old.indptr), shape=(old.shape[0], vocab.size))
    sub = sparse.csr_matrix((sub_counts.data, sub_map[sub_counts.indices], sub_counts.indptr),
                            shape=(sub_counts.shape[0], vocab.size))
    keys = [previous.keys[i] for i in kept] + [str(k) for k in texts.index]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    counts = sparse.vstack([old, sub], format="csr")[order]
    df = np.bincount(counts.indices, minlength=vocab.size)
    if (df == 0).any():  # terms only the removed texts used: a full count would not have them
        used = df > 0
        remap = np.cumsum(used) - 1
        counts = sparse.csr_matrix((counts.data, remap[counts.indices], counts.indptr),
                                   shape=(counts.shape[0], int(used.sum())))
        vocab = vocab[used]
    counts = counts.astype(previous.counts.dtype)
    counts.sort_indices()
    return LevelCounts(previous.level, [keys[i] for i in order], vocab.astype(object), counts)


def _top_rows(level: str, keys: np.ndarray, rows: np.ndarray, sims: np.ndarray, top_k: int | None) -> pd.DataFrame:
    """Pairs (a = keys[rows[i]], b, cosine) of each row of `sims` (one row per `rows` entry, all keys as
    columns), self excluded, every pair or only the top_k; the selection of `_pairs`."""
    n = len(keys)
    sims[np.arange(len(rows)), rows] = -1.0  # exclude self
    if top_k is not None and top_k < n - 1:
        cols = np.argpartition(-sims, top_k, axis=1)[:, :top_k]
    else:
        cols = np.tile(np.arange(n), (len(rows), 1))
    values = np.take_along_axis(sims, cols, axis=1)
    a = np.repeat(keys[rows], cols.shape[1])
    return pd.DataFrame({"level": level, "a": a, "b": keys[cols.ravel()], "cosine": values.ravel()})


def update_pairs(level: str, keys: list[str], matrix: sparse.csr_matrix, previous: pd.DataFrame,
                 affected: set[str], top_k: int | None = None) -> tuple[pd.DataFrame, int]:
    """The pair table of one level after the rows of `affected` keys changed (see the module docstring).

    `previous`: the level's pair table before (top-k rows, columns level, a, b, cosine); `matrix`: the
    current TF-IDF rows of `keys`. Rows of affected keys are recomputed against every row; a row whose
    list held an affected key that is gone or whose cosine went down is recomputed too (its k-th
    neighbour is unknown otherwise); every other row keeps its list, the affected keys entering it where
    their new cosine beats its k-th. Output: (table sorted like `_pairs`, number of rows recomputed).
    Small corpora (every pair kept) are simply recomputed in full.
    """
    n = len(keys)
    if top_k is None and n > ALL_PAIRS_UP_TO:
        top_k = TOP_K
    if top_k is None or top_k >= n - 1 or previous["a"].nunique() <= ALL_PAIRS_UP_TO:
        return _pairs(level, keys, matrix, top_k), n
    key_array = np.array(keys, dtype=object)
    index = pd.Index(keys)
    present = [key for key in keys if key in affected]
    present_rows = index.get_indexer(present)
    matrix_t = matrix.T.tocsr()
    fresh = (matrix[present_rows] @ matrix_t).toarray() if present else np.zeros((0, n))
    fresh_pos = pd.Series(np.arange(len(present)), index=present, dtype="int64")

    previous = previous[~previous["a"].isin(affected)]
    stale = previous[previous["b"].isin(affected)]
    b_pos = fresh_pos.reindex(stale["b"]).to_numpy()
    a_rows = index.get_indexer(stale["a"])
    new_cos = np.full(len(stale), -np.inf)
    known = ~np.isnan(b_pos)
    new_cos[known] = fresh[b_pos[known].astype(int), a_rows[known]]
    worse = stale["a"].to_numpy()[new_cos < stale["cosine"].to_numpy()]
    redo = set(worse)
    redo_rows = index.get_indexer(sorted(redo))
    parts = []
    if present:
        parts.append(_top_rows(level, key_array, present_rows, fresh.copy(), top_k))
    if len(redo_rows):
        sims = (matrix[redo_rows] @ matrix_t).toarray()
        parts.append(_top_rows(level, key_array, redo_rows, sims, top_k))
    kept = previous[~previous["a"].isin(redo) & ~previous["b"].isin(affected)]
    if present:  # the affected keys as candidates in every other row
        others = np.setdiff1d(np.arange(n), np.concatenate([present_rows, redo_rows]).astype(int))
        candidates = pd.DataFrame({"level": level, "a": np.tile(key_array[others], len(present)),
                                   "b": np.repeat(np.array(present, dtype=object), len(others)),
                                   "cosine": fresh[:, others].ravel()})
        merged = pd.concat([kept, candidates], ignore_index=True)
        merged = merged.sort_values(["a", "cosine"], ascending=[True, False], kind="stable")
        kept = merged[merged.groupby("a", sort=False).cumcount() < top_k]
    table = pd.concat([kept, *parts], ignore_index=True)
    table = table[table["a"] != table["b"]]
    table = table.sort_values(["a", "cosine"], ascending=[True, False], ignore_index=True)
    return table, len(present) + len(redo_rows)


def similarity_from_counts(counts: dict[str, LevelCounts]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pair similarity of every level in `counts` (all pairs) and the units' distinctive terms."""
    frames, distinctive = [], None
    for level, state in counts.items():
        if len(state.keys) < 2:
            continue
        frames.append(_pairs(level, state.keys, state.tfidf()))
        if level == "unit":
            distinctive = unit_distinctive(state)
    similarity = (pd.concat(frames, ignore_index=True) if frames
                  else pd.DataFrame(columns=["level", "a", "b", "cosine"]))
    if distinctive is None:
        distinctive = pd.DataFrame(columns=["unit", "term", "score", "count"])
    return similarity, distinctive


def unit_distinctive(state: LevelCounts) -> pd.DataFrame:
    """distinctive_terms (its defaults) of every unit, from the units' counts."""
    if len(state.keys) < 2:
        return pd.DataFrame(columns=["unit", "term", "score", "count"])
    return _distinctive(state.keys, state.counts, np.asarray(state.vocab, dtype=object),
                        top_n=15, prior_strength=0.05, min_count=2)  # distinctive_terms defaults


def similarity_tables(passage_tokens: pd.DataFrame, counts: dict | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The build's corpus-wide tables: pair similarity of units and of documents, distinctive terms.

    The units' term counts are computed once and serve both the unit-level TF-IDF (TfidfTransformer
    on them is exactly what fit_model's TfidfVectorizer computes) and the distinctive terms. When a dict
    is passed as `counts`, it receives each level's LevelCounts (the store keeps them for updates).
    """
    states = {level: level_counts(passage_tokens, level) for level, column in LEVELS.items()
              if passage_tokens[column].nunique() >= 2}
    if counts is not None:
        counts.update(states)
    return similarity_from_counts(states)
