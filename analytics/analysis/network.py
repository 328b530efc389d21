"""Passages -> co-occurrence network of key terms: nodes with a 2-D layout and a community, weighted edges.

Terms co-occur when they appear in the same sentence. Place names and generic policy words are left
out as from every term list (analysis.terms.left_out); the user sets how often a term must occur and
how often two terms must meet to be drawn. The layout starts from classical multidimensional scaling
of the terms' co-occurrence distance and is relaxed by a few hundred Fruchterman–Reingold steps;
communities are greedy modularity merges of the drawn edges. Both are deterministic (numpy only), so
the same selection always draws the same picture in the same colours.
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd

from analytics.analysis.terms import left_out
from analytics.pipeline.text import sentence_spans
from analytics.pipeline.tokens import terms

NODE_COLUMNS = ["term", "x", "y", "weight", "community"]
EDGE_COLUMNS = ["source", "target", "weight"]
TOP_TERMS = 30
# The defaults of the Themes page's two thresholds (sentences): every top term is drawn, and a link needs
# two sentences (one is a single turn of phrase). A user raises them to see a large selection's core.
MIN_TERM_FREQUENCY = 1
MIN_COOCCURRENCE = 2


def sentence_terms(passages: pd.DataFrame, drop: frozenset[str] = frozenset()) -> list[set[str]]:
    """The set of terms of every sentence of the passages (passages need a text column), `drop` left out."""
    out = []
    for text in passages["text"]:
        for a, b in sentence_spans(text):
            found = set(terms(text[a:b])) - drop
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


def communities(n_nodes: int, links: list[tuple[int, int, float]]) -> list[int]:
    """Community number (1 = the largest) of each node of a weighted graph, by greedy modularity
    (Clauset, Newman & Moore 2004): starting from one community per node, merge the two linked
    communities whose merge raises modularity most until no merge does. Ties go to the pair of lowest
    node indices, so the result depends on the graph only; nodes come in frequency order, so equal-sized
    communities are numbered by their most frequent term. A node without links is a community of its own.
    `links`: (i, j, weight) with i != j.
    """
    share = np.zeros((n_nodes, n_nodes))
    for i, j, weight in links:
        share[i, j] += weight
        share[j, i] += weight
    total = share.sum()
    members = [[i] for i in range(n_nodes)]
    if total > 0:
        share /= total  # share[c, d]: the fraction of edge ends between communities c and d
        degree = share.sum(axis=1)
        while True:
            gain = 2 * (share - np.outer(degree, degree))
            linked = np.triu(share > 0, k=1)
            if not linked.any():
                break
            gain = np.where(linked, gain, -np.inf)
            c, d = np.unravel_index(int(np.argmax(gain)), gain.shape)  # first maximum: lowest indices
            if gain[c, d] <= 1e-12:
                break
            share[c, :] += share[d, :]
            share[:, c] += share[:, d]
            share[d, :] = share[:, d] = 0.0
            degree[c] += degree[d]
            degree[d] = 0.0
            members[c] += members[d]
            members[d] = []
    groups = sorted((sorted(m) for m in members if m), key=lambda m: (-len(m), m[0]))
    number = [0] * n_nodes
    for k, group in enumerate(groups, start=1):
        for i in group:
            number[i] = k
    return number


def cooccurrence_network(passages: pd.DataFrame, top_n: int = TOP_TERMS, min_weight: int = MIN_COOCCURRENCE,
                         min_frequency: int = MIN_TERM_FREQUENCY, exclude: frozenset[str] | None = None
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The top_n most frequent terms (by sentences containing them, at least min_frequency) and their
    co-occurrence edges; place names and the generic words `exclude` (default: the reviewed list) left out.

    Returns (nodes: term, x, y, weight = sentences with the term, community; edges: source, target,
    weight = sentences with both, at least min_weight). Communities are found on the edges returned.
    """
    sentences = sentence_terms(passages, left_out(exclude))
    frequency = Counter(term for found in sentences for term in found)
    top = [term for term, count in frequency.most_common(top_n) if count >= min_frequency]
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
    kept = [(a, b, w) for (a, b), w in pairs.items() if w >= min_weight]
    community = communities(len(top), [(index[a], index[b], w) for a, b, w in kept])
    nodes = pd.DataFrame({"term": top, "x": coords[:, 0], "y": coords[:, 1], "weight": counts.astype(int),
                          "community": community})
    edges = pd.DataFrame(kept, columns=EDGE_COLUMNS)
    return nodes, edges.sort_values("weight", ascending=False, ignore_index=True)
