"""The Themes page through AppTest: the generic-words expander edits what top terms and network leave out,
and the network's two thresholds are widgets mirrored in the URL."""
from __future__ import annotations

from analytics.analysis.network import MIN_TERM_FREQUENCY
from analytics.analysis.terms import generic_terms, place_terms
from analytics.export.i18n import t
from tests.test_app import chart_frames, open_page


def top_terms_shown(at) -> list[str]:
    """The terms of the top-terms table (cells 'term (count)', one column per unit), in reading order."""
    table = at.dataframe[0].value
    return [cell.rsplit(" (", 1)[0] for name in table.columns for cell in table[name] if cell]


def network_frame(at):
    """The nodes the network chart draws (the one dataset with a community column)."""
    return next(frame for chart in at.get("vega_lite_chart") for frame in chart_frames(chart)
                if "community" in frame.columns)


def network_edges(at) -> int:
    return max(len(frame) for chart in at.get("vega_lite_chart") for frame in chart_frames(chart)
               if "pair" in frame.columns)


def test_the_expander_edits_what_top_terms_and_network_leave_out():
    at = open_page("themes")
    assert t("themes.generic_words", "zh") in [e.label for e in at.expander]
    shown = top_terms_shown(at)
    assert shown and set(shown).isdisjoint(generic_terms() | place_terms())
    assert set(network_frame(at)["term"]).isdisjoint(generic_terms() | place_terms())

    first = shown[0]
    at.text_input(key="w_generic_add").input(first).run()
    assert not at.exception
    after = top_terms_shown(at)
    assert first not in after and len(after) == len(shown)  # the next term takes its place
    assert first not in set(network_frame(at)["term"])
    assert at.text_input(key="w_generic_add").value == ""

    # 发展, the seeds' most frequent word, is a reviewed generic word: counted again once removed
    assert "发展" not in after
    at.multiselect(key="w_generic_removed").select("发展").run()
    assert "发展" in top_terms_shown(at) and first not in top_terms_shown(at)


def test_the_network_thresholds_are_widgets_mirrored_in_the_url():
    at = open_page("themes")
    edges = network_edges(at)
    at.number_input(key="w_min_cooccurrence").set_value(4).run()
    assert at.query_params["min_cooccurrence"] == "4"
    assert 0 < network_edges(at) < edges
    at.number_input(key="w_min_frequency").set_value(10).run()
    assert at.query_params["min_frequency"] == "10"
    assert (network_frame(at)["weight"] >= 10).all()
    reopened = open_page("themes", min_cooccurrence="4", min_frequency="oops")
    assert reopened.number_input(key="w_min_cooccurrence").value == 4
    assert reopened.number_input(key="w_min_frequency").value == MIN_TERM_FREQUENCY  # no number: the default
