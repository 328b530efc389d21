"""Co-occurrence network: counts by sentence, deterministic layout."""
from __future__ import annotations

import pandas as pd

from analytics.analysis.network import cooccurrence_network

PASSAGES = pd.DataFrame({"text": [
    "发展全域旅游和康养产业。全域旅游带动康养。森林康养基地建设。",
    "煤炭产业转型升级。煤炭企业推动转型。全域旅游示范区创建。",
]})


def test_terms_in_the_same_sentence_are_linked():
    nodes, edges = cooccurrence_network(PASSAGES, top_n=10, min_weight=1)
    assert {"全域旅游", "康养", "煤炭"} <= set(nodes["term"])
    weights = {frozenset((e.source, e.target)): e.weight for e in edges.itertuples()}
    assert weights[frozenset(("全域旅游", "康养"))] == 2
    assert frozenset(("康养", "煤炭")) not in weights
    assert nodes.set_index("term").loc["全域旅游", "weight"] == 3


def test_layout_is_deterministic_and_close_for_linked_terms():
    first, _ = cooccurrence_network(PASSAGES, top_n=10, min_weight=1)
    second, _ = cooccurrence_network(PASSAGES, top_n=10, min_weight=1)
    pd.testing.assert_frame_equal(first, second)
    at = first.set_index("term")[["x", "y"]]
    near = ((at.loc["全域旅游"] - at.loc["康养"]) ** 2).sum()
    far = ((at.loc["康养"] - at.loc["煤炭"]) ** 2).sum()
    assert near < far
