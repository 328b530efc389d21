"""Co-occurrence network: communities (greedy modularity, deterministic), the user's two thresholds, the
chart's community colours and the corpus memo keyed on everything that changes the network."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics.analysis.network import (MIN_COOCCURRENCE, MIN_TERM_FREQUENCY, NODE_COLUMNS, communities,
                                        cooccurrence_network)
from analytics.analysis.terms import effective_generic_terms
from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.i18n import t

# Two triangles, strongly linked inside, joined by one weak edge (2-3), and a node without links (6).
TWO_CLUSTERS = [(0, 1, 5), (1, 2, 4), (0, 2, 6), (3, 4, 5), (4, 5, 6), (3, 5, 4), (2, 3, 1)]


def test_two_obvious_clusters_are_two_communities():
    found = communities(7, TWO_CLUSTERS)
    assert found[0] == found[1] == found[2]
    assert found[3] == found[4] == found[5]
    assert found[0] != found[3]
    assert found[6] not in found[:6]  # alone: a community of its own
    assert sorted(set(found)) == [1, 2, 3]


def test_communities_are_deterministic_and_numbered_largest_first():
    assert communities(7, TWO_CLUSTERS) == communities(7, list(reversed(TWO_CLUSTERS)))
    # a bigger second cluster gets number 1
    bigger = TWO_CLUSTERS + [(5, 6, 5), (4, 6, 5)]
    found = communities(7, bigger)
    assert found[3] == found[4] == found[5] == found[6] == 1 and found[0] == 2
    assert communities(3, []) == [1, 2, 3]


SENTENCES = pd.DataFrame({"text": [
    "全域旅游带动康养产业。全域旅游和康养融合。森林康养与全域旅游。康养小镇和全域旅游。",
    "煤炭焦化转型升级。煤炭焦化循环。焦化和煤炭延链。煤炭与焦化联营。",
    "全域旅游和煤炭。木耳种植。",
]})


def test_a_network_of_two_topics_has_two_communities():
    nodes, edges = cooccurrence_network(SENTENCES, top_n=20, min_weight=2, min_frequency=2)
    assert list(nodes.columns) == NODE_COLUMNS
    community = nodes.set_index("term")["community"]
    assert community["全域旅游"] == community["康养"] != community["煤炭"] == community["焦化"]
    assert frozenset(("全域旅游", "煤炭")) not in {frozenset((e.source, e.target)) for e in edges.itertuples()}


def test_thresholds_reduce_nodes_and_edges():
    nodes, edges = cooccurrence_network(SENTENCES, top_n=20, min_weight=1, min_frequency=1)
    fewer_nodes, _ = cooccurrence_network(SENTENCES, top_n=20, min_weight=1, min_frequency=3)
    _, fewer_edges = cooccurrence_network(SENTENCES, top_n=20, min_weight=3, min_frequency=1)
    assert "木耳" in set(nodes["term"]) and "木耳" not in set(fewer_nodes["term"])
    assert set(fewer_nodes["term"]) < set(nodes["term"])
    assert (fewer_nodes["weight"] >= 3).all()
    assert 0 < len(fewer_edges) < len(edges) and (fewer_edges["weight"] >= 3).all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_chart_colours_nodes_by_community(lang):
    nodes, edges = cooccurrence_network(SENTENCES, top_n=20, min_weight=2, min_frequency=2)
    spec = charts.cooccurrence_network_chart(nodes, edges, lang).to_dict()
    _, node, _ = spec["layer"]
    color = node["encoding"]["color"]
    assert color["field"] == "community" and color["type"] == "nominal"
    assert color["title"] == t("legend.community", lang) == ("社区" if lang == "zh" else "Community")
    drawn = spec["datasets"][node["data"]["name"]]
    assert {(r["term"], r["community"]) for r in drawn} == set(zip(nodes["term"], nodes["community"]))


def test_the_corpus_memoises_the_network_on_words_and_thresholds(seed_tables):
    corpus = Corpus(seed_tables)
    units = ("沁源县", "岚县", "柞水县")
    default = corpus.network(units)
    spelled_out = corpus.network(units, effective_generic_terms(), MIN_TERM_FREQUENCY, MIN_COOCCURRENCE)
    assert spelled_out is default
    first = default[0]["term"].iloc[0]
    edited = corpus.network(units, effective_generic_terms(added=[first]))
    assert first not in set(edited[0]["term"]) and len(edited[0]) == len(default[0])
    assert corpus.network(units, effective_generic_terms(added=[first])) is edited
    strict = corpus.network(units, min_weight=4)
    assert 0 < len(strict[1]) < len(default[1])
    rare = default[0]["weight"].min()
    frequent, _ = corpus.network(units, min_frequency=rare + 1)
    assert len(frequent) and (frequent["weight"] > rare).all()
