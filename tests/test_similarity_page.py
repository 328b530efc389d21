"""The Similarity page tells the truth: an absolute cosine scale, and neighbours among the keys it shows unless
asked to search the whole corpus (a toggle mirrored in the URL)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.views.similarity import neighbours_view, similarity_view
from tests.test_app import open_page

UNITS = ["沁源县", "岚县", "柞水县"]
NEIGHBOUR_LINE = re.compile(r"^\*\*(?P<label>.+?)\*\* · ")


@pytest.fixture(scope="module")
def corpus(seed_tables) -> Corpus:
    return Corpus(seed_tables)


def marks(spec: dict, kind: str) -> list[dict]:
    """Every single-mark chart of `kind` in a spec (through layers and concatenations)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            mark = node.get("mark")
            if mark is not None and (mark if isinstance(mark, str) else mark["type"]) == kind:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def cosine_scales(spec: dict) -> list[dict]:
    """The colour encodings of the cosine cells."""
    return [m["encoding"]["color"] for m in marks(spec, "rect") if m["encoding"]["color"].get("field") == "cosine"]


@pytest.mark.parametrize("clusters", [None, [1, 1, 2]])
def test_heatmap_colour_scale_is_absolute(clusters):
    # All cosines low, as between documents of one genre: the scale must still run 0-1, not 0-0.3.
    pairs = pd.DataFrame({"level": "unit", "a": ["甲县", "甲县", "乙县"], "b": ["乙县", "丙县", "丙县"],
                          "cosine": [0.3, 0.05, 0.1]})
    spec = charts.similarity_heatmap(pairs, ["甲县", "乙县", "丙县"], "zh", clusters=clusters).to_dict()
    [colour] = cosine_scales(spec)
    assert colour["scale"]["domain"] == [0, 1]
    assert colour["title"] == "余弦相似度"  # an absolute scale needs no "relative" in its legend
    # numbers turn white only on cells the absolute scale draws dark
    [text] = marks(spec, "text")
    assert text["encoding"]["color"]["condition"]["test"] == f"(datum.cosine > {charts.WHITE_TEXT_ABOVE})"
    assert 0.5 <= charts.WHITE_TEXT_ABOVE < 1


def test_similarity_view_heatmap_is_absolute_on_the_seeds(corpus):
    for level, keys in (("unit", UNITS), ("document", corpus["documents"]["doc_id"].tolist()[:3])):
        spec = similarity_view(corpus, level, keys, "en").chart.to_dict()
        assert [c["scale"]["domain"] for c in cosine_scales(spec)] == [[0, 1]], level


def test_neighbours_among_the_selected_keys(corpus):
    among = UNITS[1:]
    nearest, table = neighbours_view(corpus, "unit", UNITS[0], "zh", among=among)
    assert nearest and {n.key for n in nearest} <= set(among) and len(table) == len(nearest)
    everywhere, _ = neighbours_view(corpus, "unit", UNITS[0], "zh")
    assert {n.key for n in everywhere} - set(among), "the whole corpus offers other neighbours"
    assert neighbours_view(corpus, "unit", UNITS[0], "zh", among=[])[0] == []


def neighbour_labels(at) -> list[str]:
    return [m["label"] for m in (NEIGHBOUR_LINE.match(md.value) for md in at.markdown) if m]


def test_similarity_page_neighbours_default_to_the_selection_and_toggle_to_the_corpus():
    selected = UNITS[:2]
    at = open_page("similarity", keys_unit=",".join(selected))
    assert at.multiselect[0].value == selected
    focus = at.selectbox(key="w_focus").value
    toggle = at.toggle(key="w_whole_corpus")
    assert toggle.value is False and "whole_corpus" not in at.query_params
    assert neighbour_labels(at) == [u for u in selected if u != focus]

    toggle.set_value(True).run()
    assert not at.exception
    assert at.query_params["whole_corpus"] == "1"
    labels = neighbour_labels(at)
    assert len(labels) > 1 and set(labels) - set(selected) and focus not in labels

    reopened = open_page("similarity", keys_unit=",".join(selected), whole_corpus="1")
    assert reopened.toggle(key="w_whole_corpus").value is True
    assert neighbour_labels(reopened) == labels
