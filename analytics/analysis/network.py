"""Passages -> co-occurrence network of key terms: nodes with a 2-D layout, weighted edges.

Terms co-occur when they appear in the same sentence. The layout starts from classical
multidimensional scaling of the terms' co-occurrence distance and is relaxed by a few hundred
Fruchterman–Reingold steps (deterministic, numpy only), so the same selection always draws the same
picture and outlying terms do not squeeze the rest into a corner.
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd

from analytics.pipeline.text import sentence_spans
from analytics.pipeline.tokens import terms

NODE_COLUMNS = ["term", "x", "y", "weight"]
EDGE_COLUMNS = ["source", "target", "weight"]


def sentence_terms(passages: pd.DataFrame) -> list[set[str]]:
    """The set of terms of every sentence of the passages (passages need a text column)."""
    out = []
    for text in passages["text"]:
        for a, b in sentence_spans(text):
            found = set(terms(text[a:b]))
            if found:
                out.append(found)
    return out


def _classical_mds(distance: np.ndarray) -> np.ndarray:
    n = distance.shape[0]
    centering = np.eye(n) - np.ones((n, n)) / n
    gram = -0.5 * centering @ (distance ** 2) @ centering
    values, vectors = np.linalg.eigh(gram)
    top = np.argsort(values)[::-1][:2]
    coords = vectors[:, top] * np.sqrt(np.clip(values[top], 1e-12, None))
    # eigenvector signs are arbitrary: fix them so the picture does not flip between runs
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(2)])
    return coords * np.where(signs == 0, 1, signs)


def _relax(coords: np.ndarray, weights: np.ndarray, steps: int = 300) -> np.ndarray:
    """Fruchterman–Reingold: linked terms attract by edge weight, all terms repel; unit-box result."""
    n = len(coords)
    pos = coords - coords.mean(axis=0)
    pos = pos / (np.abs(pos).max() or 1.0)
    k = np.sqrt(4.0 / n)
    strength = weights / (weights.max() or 1.0)
    temperature = 0.1
    for _ in range(steps):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        force = (k * k / distance ** 2 - strength * distance / k)[:, :, None] * delta
        np.einsum("iij->ij", force)[:] = 0.0
        move = force.sum(axis=1)
        length = np.maximum(np.linalg.norm(move, axis=1, keepdims=True), 1e-9)
        pos = pos + move / length * np.minimum(length, temperature)
        temperature *= 0.985
    pos = pos - pos.mean(axis=0)
    return pos / (np.abs(pos).max() or 1.0)


def cooccurrence_network(passages: pd.DataFrame, top_n: int = 30,
                         min_weight: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The top_n most frequent terms (by sentences containing them) and their co-occurrence edges.

    Returns (nodes: term, x, y, weight = sentences with the term; edges: source, target, weight =
    sentences with both, at least min_weight).
    """
    sentences = sentence_terms(passages)
    frequency = Counter(term for found in sentences for term in found)
    top = [term for term, _ in frequency.most_common(top_n)]
    if len(top) < 2:
        return pd.DataFrame(columns=NODE_COLUMNS), pd.DataFrame(columns=EDGE_COLUMNS)
    index = {term: i for i, term in enumerate(top)}
    pairs: Counter = Counter()
    for found in sentences:
        present = sorted((t for t in found if t in index), key=index.get)
        pairs.update(combinations(present, 2))
    counts = np.array([frequency[t] for t in top], dtype=float)
    together = np.zeros((len(top), len(top)))
    for (a, b), weight in pairs.items():
        together[index[a], index[b]] = together[index[b], index[a]] = weight
    # Jaccard distance: terms that nearly always appear together sit close
    union = counts[:, None] + counts[None, :] - together
    distance = 1.0 - together / np.where(union > 0, union, 1)
    np.fill_diagonal(distance, 0.0)
    coords = _relax(_classical_mds(distance), together)
    nodes = pd.DataFrame({"term": top, "x": coords[:, 0], "y": coords[:, 1], "weight": counts.astype(int)})
    edges = pd.DataFrame([(a, b, w) for (a, b), w in pairs.items() if w >= min_weight],
                         columns=EDGE_COLUMNS)
    return nodes, edges.sort_values("weight", ascending=False, ignore_index=True)
