"""Every page through streamlit.testing.v1.AppTest: widgets driven, tables and chart specs asserted,
language switch and URL state round trip."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["overview", "compare", "similarity", "themes", "figures", "library"]
TIMEOUT = 120


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def spec_text(at: AppTest) -> str:
    return json.dumps(specs(at), ensure_ascii=False)


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page):
    chinese = open_page(page)
    english = open_page(page, lang="en")
    assert chinese.title[0].value != english.title[0].value
    assert not chinese.error and not english.error


def test_overview_lists_documents_units_and_cleaning():
    at = open_page("overview")
    documents = at.dataframe[0].value
    assert len(documents) == 5
    assert "关于柞水县打造西商融合协作发展先行区的思考" in documents.iloc[:, 1].tolist()
    units = at.dataframe[1].value
    assert {"沁源县", "岚县", "柞水县", "永济市", "长治经开区"} <= set(units.iloc[:, 0])
    headline = at.dataframe[2].value
    assert "18.7万人" in headline.to_string()
    assert "longitude" in spec_text(at)


def test_compare_defaults_to_the_counties_with_their_own_document():
    at = open_page("compare")
    assert at.multiselect[0].value == ["沁源县", "岚县", "柞水县"]
    metrics = {m.label: m.value for m in at.metric if m.value != "—"}
    assert "18.7万人" in metrics.values()
    assert "76%" in metrics.values()
    # every card's number opens its sentence: the popover holds the highlighted evidence
    assert "<mark>18.7万人</mark>" in markdown_text(at)
    assert not at.get("vega_lite_chart")  # tabs are lazy: only the open one computes
    for tab, field in [("industries", "industry_label"), ("themes", "theme_label"), ("terms", "term")]:
        assert field in spec_text(open_page("compare", tab=tab))


def test_compare_selection_changes_the_view_and_the_url():
    at = open_page("compare")
    at.multiselect[0].set_value(["岚县", "长治经开区"]).run()
    assert not at.exception
    assert at.query_params["units"] == "岚县,长治经开区"
    assert "163.92亿元" in {m.value for m in at.metric}
    reopened = open_page("compare", units="岚县,长治经开区")
    assert reopened.multiselect[0].value == ["岚县", "长治经开区"]


def test_compare_needs_two_units():
    at = open_page("compare", units="岚县")
    assert at.info and not at.get("vega_lite_chart")


def test_compare_evidence_picker_shows_the_chosen_sentence():
    at = open_page("compare", tab="industries")
    picker = next(s for s in at.selectbox if s.key == "ev_industries")
    options = picker.options
    choice = next(i for i, label in enumerate(options) if label.startswith("柞水县") and "食用菌" in label)
    picker.set_value(choice).run()
    assert "木耳" in markdown_text(at)


def test_similarity_heatmap_in_clustered_order_with_neighbours():
    at = open_page("similarity")
    spec = specs(at)[0]
    assert "cosine" in json.dumps(spec)
    assert any("·" in m.value and "0." in m.value for m in at.markdown)  # neighbours with cosine and shared terms
    at.segmented_control[0].set_value("document").run()
    assert not at.exception
    assert at.query_params["level"] == "document"


def test_themes_kwic_round_trips_through_the_url():
    at = open_page("themes")
    assert "theme_label" in spec_text(at)
    at.text_input[0].set_value("木耳").run()
    assert at.query_params["term"] == "木耳"
    kwic = at.dataframe[-1].value
    assert len(kwic) >= 1 and set(kwic.iloc[:, 3]) == {"木耳"}
    reopened = open_page("themes", term="木耳")
    assert reopened.text_input[0].value == "木耳"


def test_figures_filters_and_search():
    at = open_page("figures")
    all_rows = len(at.dataframe[0].value)
    at.text_input[0].set_value("森林覆盖率").run()
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < all_rows
    assert filtered.iloc[:, 1].str.contains("森林覆盖率").any() or filtered.iloc[:, -4].str.contains("森林覆盖率").all()
    at.radio[0].set_value("target").run()
    assert not at.exception


def test_english_labels_on_compare():
    at = open_page("compare", lang="en", tab="industries")
    assert at.title[0].value == "Compare"
    text = spec_text(at)
    assert "Industries" in text or "industr" in text.lower()


def test_presentation_mode_hides_the_chrome():
    at = open_page("compare", present="1")
    assert any("stSidebar" in m.value for m in at.markdown)


NEW_DOCUMENT = ("榆社县位于山西省晋中市。榆社县总人口13.5万人，森林覆盖率达到45%。"
                "榆社县大力发展全域旅游和康养产业，力争到2025年接待游客300万人次。").encode("gb18030")


def test_library_lists_documents_and_new_ones_reach_every_page(private_store):
    from analytics.corpus.store import add_files, open_store

    at = open_page("library")
    before = len(at.dataframe[0].value)
    result = add_files(open_store(private_store), [("yushe.txt", NEW_DOCUMENT)])
    assert result.added and not result.rejected
    at = open_page("library")
    assert len(at.dataframe[0].value) == before + 1
    compare = open_page("compare", units="榆社县,岚县")
    assert "13.5万人" in {m.value for m in compare.metric}
    overview = open_page("overview")
    assert "榆社县" in set(overview.dataframe[1].value.iloc[:, 0])
    # remove it again through the page
    at = open_page("library")
    at.button(key="remove_button").click().run()
    assert not at.exception and any("yushe" not in str(v) for v in at.dataframe[0].value.iloc[:, 1])
    assert len(at.dataframe[0].value) == before


def test_compare_builds_a_deck_with_progress():
    at = open_page("compare")
    at.button(key="build_pptx").click().run()
    assert not at.exception
    assert any(b.key == "download_pptx" for b in at.get("download_button"))
