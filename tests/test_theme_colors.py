"""One colour per theme (data/theme_colors.csv): the file covers the lexicon, and every chart that colours by
theme takes its colours from it, so a theme looks the same whatever the selection, page or language."""
from __future__ import annotations

import re

import pytest

from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.features import themes as theme_features
from analytics.features.themes import theme_colors, theme_label, themes
from analytics.resources import read_records
from analytics.views import compare
from analytics.views.themes import themes_view

HEX = re.compile(r"^#[0-9a-f]{6}$")
# Two selections of the seeds whose themes rank differently: a colour by rank would differ between them.
SELECTION_A = ["沁源县", "岚县"]
SELECTION_B = ["柞水县", "永济市"]


@pytest.fixture(scope="module")
def corpus(seed_tables) -> Corpus:
    return Corpus(seed_tables)


def colours(chart) -> dict[str, str]:
    """Theme label -> colour, as the chart's colour scale assigns them."""
    scale = chart.to_dict()["encoding"]["color"]["scale"]
    assert "scheme" not in scale, "a scheme colours by position in the selection, not by theme"
    return dict(zip(scale["domain"], scale["range"]))


def by_key(chart, lang: str) -> dict[str, str]:
    """Theme key -> colour of a chart labelled in `lang`."""
    shown = colours(chart)
    return {key: shown[theme_label(key, lang)] for key in themes()["theme"]}


def test_every_theme_has_exactly_one_colour():
    rows = read_records("theme_colors.csv")
    keys = [row["theme"] for row in rows]
    assert sorted(keys) == sorted(themes()["theme"]), "one row for each theme of data/themes.csv, no other"
    assert len(keys) == len(set(keys))
    hexes = [row["color"] for row in rows]
    assert [c for c in hexes if not HEX.match(c)] == [], "colours are lower-case #rrggbb"
    assert len(set(hexes)) == len(hexes), "two themes share a colour"
    assert list(theme_colors()) == themes()["theme"].tolist()  # in lexicon order, as the charts stack them


def test_a_theme_without_a_colour_is_refused(monkeypatch):
    rows = read_records("theme_colors.csv")[1:]
    monkeypatch.setattr(theme_features, "read_records", lambda name: rows)
    theme_features.theme_colors.cache_clear()
    try:
        with pytest.raises(ValueError, match="without a colour"):
            theme_colors()
    finally:
        theme_features.theme_colors.cache_clear()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_theme_chart_scale_comes_from_the_data_file(corpus, lang):
    chart = themes_view(corpus, SELECTION_A, lang).chart
    scale = chart.to_dict()["encoding"]["color"]["scale"]
    assert scale["domain"] == [theme_label(key, lang) for key in themes()["theme"]]
    file_colours = {row["theme"]: row["color"] for row in read_records("theme_colors.csv")}
    assert scale["range"] == [file_colours[key] for key in themes()["theme"]]


def test_same_theme_same_colour_across_selections_pages_and_languages(corpus):
    profile = corpus["themes"]
    ranks = [profile[profile["unit"].isin(units)].groupby("theme")["share"].sum().sort_values().index.tolist()
             for units in (SELECTION_A, SELECTION_B)]
    assert ranks[0] != ranks[1], "pick selections whose themes rank differently"
    drawn = [by_key(themes_view(corpus, SELECTION_A, "zh").chart, "zh"),
             by_key(themes_view(corpus, SELECTION_B, "en").chart, "en"),
             by_key(compare.themes_view(corpus, SELECTION_B, "zh").chart, "zh"),
             by_key(compare.themes_view(corpus, SELECTION_A, "en").chart, "en")]
    assert all(d == theme_colors() for d in drawn)


def test_stacks_follow_the_lexicon_order(corpus):
    spec = themes_view(corpus, SELECTION_B, "zh").chart.to_dict()
    rows = [row for data in spec["datasets"].values() for row in data]
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert spec["encoding"]["order"]["field"] == "theme_rank"
    assert all(domain[row["theme_rank"]] == row["theme_label"] for row in rows)


def test_a_key_the_lexicon_does_not_know_is_grey_not_a_theme_colour():
    scale = charts.theme_scale("zh", themes()["theme_zh"].tolist() + ["没有的主题"]).to_dict()
    assert scale["domain"][-1] == "没有的主题" and scale["range"][-1] == charts.UNKNOWN_THEME_COLOR
    assert charts.UNKNOWN_THEME_COLOR not in theme_colors().values()
