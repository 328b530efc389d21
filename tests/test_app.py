"""Every page through streamlit.testing.v1.AppTest: widgets driven, tables and the data the charts draw
asserted, language switch and URL state round trip."""
from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from analytics.export.i18n import label, t
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


def chart_frames(chart) -> list[pd.DataFrame]:
    """The data a chart draws: inline in its spec (charts.browser_spec), or beside it as Arrow tables."""
    tables = [d.data.data for d in chart.proto.datasets] + ([chart.proto.data.data] if chart.proto.data.data else [])
    inline = json.loads(chart.proto.spec).get("datasets", {})
    return ([pa.ipc.open_stream(table).read_all().to_pandas() for table in tables]
            + [pd.DataFrame(values) for values in inline.values() if isinstance(values, list)])


def chart_values(at: AppTest) -> set[str]:
    """Every text value drawn by the page's charts (unit names, industry and theme labels, terms …)."""
    return {value for chart in at.get("vega_lite_chart") for frame in chart_frames(chart)
            for name in frame.columns for value in frame[name] if isinstance(value, str)}


def column(at_frame: pd.DataFrame, name: str, lang: str = "zh") -> pd.Series:
    """A shown table's column by its data name (headers are localized ui_strings 'col.<name>')."""
    return at_frame[label("col", name, lang)]


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
    assert "关于柞水县打造西商融合协作发展先行区的思考" in column(documents, "title").tolist()
    units = at.dataframe[1].value
    assert {"沁源县", "岚县", "柞水县", "永济市", "长治经开区"} <= set(column(units, "unit"))
    headline = at.dataframe[2].value
    assert "18.7万人" in headline.to_string()
    assert {"沁源县", "岚县", "柞水县", "永济市"} <= chart_values(at)  # the map draws the units


def comparison_html(at: AppTest) -> str:
    """The comparison table as the page sends it (st.html)."""
    return "\n".join(h.proto.body for h in at.get("html") if "cl-table" in h.proto.body)


def table_rows(at: AppTest) -> list[str]:
    """The units of the comparison table, top to bottom (of its first block of columns)."""
    first = comparison_html(at).split("</table>")[0]
    return re.findall(r"<th class='cl-unit' scope='row'><span class='cl-name'>([^<]+)<", first)


def table_columns(at: AppTest) -> list[str]:
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", comparison_html(at)).group(1)
    return re.findall(r"<th>([^<]+)</th>", head)


def test_compare_defaults_to_the_counties_with_their_own_document():
    at = open_page("compare")
    assert at.multiselect[0].value == ["沁源县", "岚县", "柞水县"]
    assert at.title[0].value == "对比：沁源县 · 岚县 · 柞水县"  # the title says what is compared
    html = comparison_html(at)
    assert table_rows(at) == ["沁源县", "岚县", "柞水县"]
    # every cell opens its sentence: the highlighted evidence is in the cell
    assert "<mark>18.7万人</mark>" in html and "<span class='cl-num'>76</span>%" in html
    assert not at.get("vega_lite_chart")  # tabs are lazy: only the open one computes
    # each tab draws the three default units; industries and themes by their Chinese labels (食用菌 is
    # 柞水县's; 生态环保 a theme of data/themes.csv), the terms tab more than the unit names
    defaults = {"沁源县", "岚县", "柞水县"}
    for tab, drawn in [("industries", {"食用菌"}), ("themes", {"生态环保"}), ("terms", set())]:
        values = chart_values(open_page("compare", tab=tab))
        assert defaults | drawn <= values, tab
        assert len(values - defaults) >= 3, tab


def test_compare_selection_changes_the_view_and_the_url():
    at = open_page("compare")
    at.multiselect[0].set_value(["岚县", "长治经开区"]).run()
    assert not at.exception
    assert at.query_params["units"] == "岚县,长治经开区"
    assert table_rows(at) == ["岚县", "长治经开区"]
    html = comparison_html(at)
    assert "<span class='cl-num'>18.7</span>万人" in html
    # the zone's 163.92亿元 is one project batch's 总投资, not its fixed-asset investment: if a column shows
    # it, that is the 总投资 column
    numbers = re.findall(r"data-indicator='([^']+)'><details><summary><span class='cl-num'>([^<]*)</span>", html)
    assert numbers and {ident for ident, number in numbers if number == "163.92"} <= {"total_investment"}
    reopened = open_page("compare", units="岚县,长治经开区")
    assert reopened.multiselect[0].value == ["岚县", "长治经开区"]


SIX_UNITS = "沁源县,岚县,柞水县,永济市,长治经开区,风陵渡经开区"


def test_comparison_table_at_six_units_marks_thin_evidence_and_incomparable_cells():
    at = open_page("compare", units=SIX_UNITS)
    assert table_rows(at) == SIX_UNITS.split(",")
    html = comparison_html(at)
    # each unit says what it rests on; the zone resting on a paragraph is flagged
    row = html[html.index(">长治经开区<"):]  # the zone's row
    counts = re.search(r"<small class='cl-counts( cl-thin)?'[^>]*>([^<]+)</small>", row)
    assert counts.group(1) and "资料单薄" in counts.group(2)
    assert "<small class='cl-counts'" in html[html.index(">岚县<"):html.index(">柞水县<")]
    # 岚县's 林草覆盖率 sits under 森林覆盖率 marked, saying why on hover
    cell = re.search(r"<td class='cl-cell cl-odd' title='([^']+)' data-indicator='forest_coverage'>", html)
    assert cell and "口径不同" in cell.group(1)
    assert "资料单薄" in " ".join(c.value for c in at.caption)


def test_comparison_table_sorts_by_a_column_and_takes_more_indicators():
    at = open_page("compare", units=SIX_UNITS)
    assert "年均降水量" not in table_columns(at)
    picker = next(m for m in at.multiselect if m.key == "w_ind")
    picker.set_value([*picker.value, "precipitation"]).run()
    assert table_columns(at)[-1] == "年均降水量" and at.query_params["ind"]
    sort = next(s for s in at.selectbox if s.key == "w_sort")
    sort.set_value("population").run()
    assert table_rows(at)[:2] == ["岚县", "沁源县"]  # 18.7万 before 16万; units without a population last
    assert at.query_params["sort"] == "population"
    next(t for t in at.toggle if t.key == "w_desc").set_value(False).run()
    assert table_rows(at)[:2] == ["沁源县", "岚县"]
    reopened = open_page("compare", units=SIX_UNITS, sort="population", asc="1", ind="population,precipitation")
    assert table_columns(reopened) == ["单位", "人口", "年均降水量"] and table_rows(reopened)[0] == "沁源县"
    # the unit column sorts too: by division code, read in the yearbook's order (the toggle turns ascending)
    sort = next(s for s in reopened.selectbox if s.key == "w_sort")
    assert sort.format_func("division_code") == "行政区划顺序"
    sort.set_value("division_code").run()
    assert not next(t for t in reopened.toggle if t.key == "w_desc").value
    # 长治 140400s, 运城 140800s (风陵渡's host 芮城 before 永济), 吕梁 141100s, then 陕西 610000s
    assert table_rows(reopened) == ["长治经开区", "沁源县", "风陵渡经开区", "永济市", "岚县", "柞水县"]


def test_presentation_mode_is_one_view_stepped_by_the_keys():
    at = open_page("compare", units=SIX_UNITS, present="1")
    assert at.title[0].value == f"{' · '.join(SIX_UNITS.split(','))} — 主要差异"  # the summary opens, as in the deck
    assert "人口：岚县 18" in markdown_text(at) and "是沁源县 16万人的" in markdown_text(at)
    at.button(key="present_next").click().run()
    assert at.title[0].value == f"{' · '.join(SIX_UNITS.split(','))} — 关键数据"
    assert table_rows(at) == SIX_UNITS.split(",")
    assert not at.get("download_button") and not [m for m in at.multiselect if m.key == "w_ind"]
    assert not at.tabs  # one view, no tab strip
    at.button(key="present_next").click().run()
    assert at.title[0].value.endswith("产业") and at.query_params["tab"] == "industries"
    for _ in range(3):
        at.button(key="present_prev").click().run()  # from the first view back to the last
    assert at.title[0].value.endswith("特色词")
    at.button(key="present_exit").click().run()
    assert "present" not in at.query_params and at.tabs


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
    heatmap = at.get("vega_lite_chart")[0]
    numbers = [v for f in chart_frames(heatmap) for c in f.columns if pd.api.types.is_float_dtype(f[c])
               for v in f[c]]
    assert numbers and all(-1e-9 <= v <= 1 + 1e-9 for v in numbers)  # cosines
    assert {"沁源县", "岚县", "柞水县"} <= {v for f in chart_frames(heatmap) for c in f.columns
                                          for v in f[c] if isinstance(v, str)}
    assert any("·" in m.value and "0." in m.value for m in at.markdown)  # neighbours with cosine and shared terms
    at.segmented_control[0].set_value("document").run()
    assert not at.exception
    assert at.query_params["level"] == "document"


def test_themes_kwic_round_trips_through_the_url():
    at = open_page("themes")
    assert {"生态环保", "文旅康养"} <= chart_values(at)  # theme labels of data/themes.csv
    at.text_input[0].set_value("木耳").run()
    assert at.query_params["term"] == "木耳"
    match, count = label("col", "match", "zh"), label("col", "occurrences", "zh")
    kwic = next(frame.value for frame in at.dataframe if match in frame.value.columns)
    assert len(kwic) >= 1 and set(column(kwic, "match")) == {"木耳"}
    counted = [frame.value for frame in at.dataframe if count in frame.value.columns]
    assert len(counted) == 2 and all(frame[count].sum() == len(kwic) for frame in counted)  # per unit, per document
    reopened = open_page("themes", term="木耳", kwic_scope="corpus")
    assert reopened.text_input[0].value == "木耳"
    assert any(t("kwic.in_corpus", "zh", n=5) in c.value for c in reopened.caption)


def test_figures_filters_and_search():
    at = open_page("figures")
    all_rows = len(at.dataframe[0].value)
    at.text_input[0].set_value("森林覆盖率").run()
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < all_rows
    # every row shown names the term in its indicator or its sentence; the seeds' own figure is named so
    in_indicator = column(filtered, "indicator").str.contains("森林覆盖率", regex=False)
    assert (in_indicator | column(filtered, "evidence").str.contains("森林覆盖率", regex=False)).all()
    assert in_indicator.any()
    at.text_input[0].set_value("").run()
    assert len(at.dataframe[0].value) == all_rows
    at.radio[0].set_value("target").run()
    assert not at.exception
    targets = at.dataframe[0].value
    assert 0 < len(targets) < all_rows and column(targets, "is_target").eq(True).all()
    at.radio[0].set_value("actual").run()
    actual = at.dataframe[0].value
    assert column(actual, "is_target").eq(False).all()
    assert len(targets) + len(actual) == all_rows


def test_english_labels_on_compare():
    at = open_page("compare", lang="en", tab="industries")
    assert at.title[0].value == "Compare: 沁源县 · 岚县 · 柞水县"
    values = chart_values(at)
    # industries and their GB/T sections are drawn by their English names (data/industries.csv
    # industry_en, data/gbt4754_sections.csv name_en), not the Chinese ones
    assert {"edible fungi", "A Agriculture, forestry, animal husbandry and fishery"} <= values
    assert not {"食用菌", "A 农、林、牧、渔业"} & values


@pytest.mark.parametrize("page", PAGES)
def test_presentation_mode_hides_the_chrome_and_esc_leaves_it_on_every_page(page):
    at = open_page(page, present="1")
    css = next(m.value for m in at.markdown if "stSidebar" in m.value)
    for hidden in ("stButton", "stMultiSelect", "stDownloadButton", "stPopover", "stSelectbox"):
        assert f'[data-testid="{hidden}"]' in css, hidden
    assert any("keydown" in h.proto.body for h in at.get("html"))  # the key script is on the page
    at.button(key="present_exit").click().run()  # what Esc clicks
    assert not at.exception and "present" not in at.query_params
    assert not any("stSidebar" in m.value for m in at.markdown)


NEW_DOCUMENT = ("榆社县位于山西省晋中市。榆社县总人口13.5万人，森林覆盖率达到45%。"
                "榆社县大力发展全域旅游和康养产业，力争到2025年接待游客300万人次。").encode("gb18030")


def test_library_lists_documents_and_new_ones_reach_every_page(private_store):
    from analytics.corpus.library import add_files, open_store

    at = open_page("library")
    before = len(at.dataframe[0].value)
    result = add_files(open_store(private_store), [("yushe.txt", NEW_DOCUMENT)])
    assert result.added and not result.rejected
    at = open_page("library")
    assert len(at.dataframe[0].value) == before + 1
    assert "yushe.txt" in set(column(at.dataframe[0].value, "file_name"))
    compare = open_page("compare", units="榆社县,岚县")
    assert "<span class='cl-num'>13.5</span>万人" in comparison_html(compare)
    overview = open_page("overview")
    assert "榆社县" in set(overview.dataframe[1].value.iloc[:, 0])
    # remove it again through the page
    at = open_page("library")
    at.button(key="remove_button").click().run()
    assert not at.exception
    assert "yushe.txt" not in set(column(at.dataframe[0].value, "file_name"))
    assert len(at.dataframe[0].value) == before
    assert "榆社县" not in set(column(open_page("overview").dataframe[1].value, "unit"))


@pytest.mark.slow  # renders every chart of the deck
def test_compare_builds_a_deck_with_progress():
    at = open_page("compare")
    at.button(key="build_pptx").click().run()
    assert not at.exception
    assert any(b.key == "download_pptx" for b in at.get("download_button"))


def test_documents_analysed_by_other_code_are_reanalysed_when_the_app_opens(private_store):
    import sqlite3

    from analytics.corpus.fingerprint import analysis_fingerprint
    from analytics.corpus.library import open_store
    from analytics.corpus.store import list_documents, stale_documents

    open_page("overview")  # the store exists and is seeded
    with sqlite3.connect(private_store) as conn:
        conn.execute("UPDATE documents SET analysed_by = 'an older CountyLens'")
    store = open_store(private_store, reanalyse=False)
    assert len(stale_documents(store)) == len(list_documents(store)) > 0
    at = open_page("overview")
    assert not at.exception
    assert stale_documents(store) == []
    assert set(list_documents(store)["analysed_by"]) == {analysis_fingerprint()}


def test_a_shared_link_with_too_many_duplicate_or_unknown_units_gives_notices_not_tracebacks():
    units = "沁源县,岚县,岚县,柞水县,永济市,临猗县,稷山县,运城市,不存在县"
    for page in ("compare", "themes"):
        at = open_page(page, units=units)
        assert not at.exception, page
        chosen = at.multiselect[0].value
        assert len(chosen) == 6 and len(set(chosen)) == 6 and "不存在县" not in chosen
        warnings = " ".join(w.value for w in at.warning)
        assert "不存在县" in warnings and "6" in warnings


def test_the_tables_choices_survive_another_tab_and_presentation_mode():
    at = open_page("compare", units=SIX_UNITS)
    picker = next(m for m in at.multiselect if m.key == "w_ind")
    picker.set_value([*picker.value, "precipitation"]).run()
    next(s for s in at.selectbox if s.key == "w_sort").set_value("population").run()
    wanted = (table_columns(at), table_rows(at))
    assert "年均降水量" in wanted[0] and wanted[1][0] == "岚县"
    next(t for t in at.tabs if t.label == "产业")  # the tab strip is there
    at.query_params["tab"] = "industries"
    at.session_state["w_tab_zh"] = "产业"
    at.run()
    assert not comparison_html(at)  # the table's tab is shut: its pickers are not drawn
    at.session_state["w_tab_zh"] = "关键数据"
    at.run()
    assert (table_columns(at), table_rows(at)) == wanted
    assert at.query_params["sort"] == "population" and "precipitation" in at.query_params["ind"]


def test_a_huge_search_term_leaves_a_link_that_loads():
    from app_pages.common import MAX_URL_TEXT

    at = open_page("themes", units="岚县,沁源县")
    term = "岚" * 100_000
    at.text_input[0].set_value(term).run()
    assert not at.exception
    assert 0 < len(at.query_params["term"]) <= MAX_URL_TEXT
    again = open_page("themes", units="岚县,沁源县", term="岚" * 100_000)  # a link someone pasted anyway
    assert not again.exception


def test_the_language_toggle_flipped_ten_times_keeps_the_comparison():
    at = open_page("compare", units="沁源县,岚县,柞水县", ind="population,gdp,forest_coverage", sort="gdp")
    chosen = list(at.multiselect(key="w_ind").value)
    assert chosen == ["population", "gdp", "forest_coverage"]
    for i in range(10):
        at.toggle(key="lang_en").set_value(i % 2 == 0).run()
        assert not at.exception, (i, [e.value for e in at.exception])
        assert list(at.multiselect(key="w_ind").value) == chosen
        assert at.selectbox(key="w_sort").value == "gdp"
        labels = at.multiselect(key="w_ind").options
        assert all(isinstance(label, str) and label for label in labels)


def test_library_corrections_change_the_document_and_survive_reanalysis(private_store):
    from analytics.corpus.library import add_files, open_store, reanalyse

    store = open_store(private_store)
    untitled = "今年全县新增造林1.2万亩，森林覆盖率达到41.3%，接待游客86万人次。".encode()
    assert add_files(store, [("note.txt", untitled)]).added
    at = open_page("library")
    names = dict(zip(column(at.dataframe[0].value, "doc_id"), column(at.dataframe[0].value, "file_name")))
    note = next(d for d, name in names.items() if name == "note.txt")
    at.selectbox(key="w_correct").set_value(note).run()
    # a form sends its values with its submit button
    at.text_input[0].input("某县林业工作简报")
    at.selectbox(key=f"w_place_{note}").set_value("山西省吕梁市岚县")
    at.text_input[1].input("2024年3月5日")
    next(b for b in at.button if b.label == label("button", "correct")).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    listed = at.dataframe[0].value.set_index(label("col", "doc_id"))
    assert listed.loc[note, label("col", "title")] == "某县林业工作简报 ✎"
    assert listed.loc[note, label("col", "date")] == "2024-03-05 ✎"
    assert listed.loc[note, label("col", "place")] == "山西省吕梁市岚县 ✎"
    # the text names no place: the place the user gave is where its figures belong, and stays so
    from analytics.corpus.corpus import load_corpus

    for _ in range(2):
        mine = load_corpus(store).tables["figures"]
        assert set(mine[mine["doc_id"] == note]["unit"]) == {"岚县"}
        assert reanalyse(store, [note]) == [note]


def test_a_first_start_adds_the_seeds_from_the_page_with_its_progress(tmp_path, monkeypatch):
    import streamlit as st

    from analytics.corpus.library import open_store
    from analytics.corpus.store import list_documents, seeds_pending
    from analytics.paths import STORE_ENV

    path = tmp_path / "new" / "countylens.sqlite"
    monkeypatch.setenv(STORE_ENV, str(path))
    st.cache_resource.clear()
    try:
        at = open_page("overview")
        store = open_store(path, seed=False, reanalyse=False)
        assert not seeds_pending(store) and len(list_documents(store)) == 5
        shown = {m.value for m in at.metric}
        assert "5" in shown  # the first page shows the seeds it has just added
    finally:
        st.cache_resource.clear()


def test_a_seventh_unit_is_refused_in_the_interface_language():
    at = open_page("compare")
    options = at.multiselect[0].options
    assert len(options) >= 7
    at.multiselect[0].set_value(options[:7]).run()
    assert not at.exception
    assert len(at.multiselect[0].value) == 6 and at.multiselect[0].value == options[:6]
    assert any(w.value == t("message.too_many_chosen", "zh", n=6) for w in at.warning)
    assert len(at.query_params["units"].split(",")) == 6
