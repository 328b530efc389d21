"""analytics.views: one function per page returns what the page shows; chart, table and download agree."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analytics.corpus.corpus import Corpus
from analytics.corpus.library import add_files, load_tables
from analytics.export.i18n import label
from analytics.views.compare import DECK_SECTIONS, compare_view
from analytics.views.figures import figures_view, indicator_chart
from analytics.views.overview import overview_view
from analytics.views.similarity import neighbours_view, similarity_view
from analytics.views.themes import themes_view
from tests.conftest import ROOT

UNITS = ["沁源县", "岚县", "柞水县"]


@pytest.fixture(scope="module")
def corpus(seed_tables) -> Corpus:
    return Corpus(seed_tables)


def chart_values(chart) -> list[dict]:
    """Every data row a chart spec carries (inline datasets)."""
    spec = chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_overview_counts_every_document_and_lists_the_units(corpus):
    view = overview_view(corpus, "zh")
    assert view.counts["documents"] == 5 == len(view.documents)
    assert set(UNITS) <= set(view.units[label("col", "unit", "zh")])
    assert set(UNITS) <= set(view.headline[label("col", "unit", "zh")])
    assert view.reprints.empty


def test_compare_view_gives_each_section_once_with_its_own_method(corpus):
    comparison = compare_view(corpus, UNITS, "en")
    views = comparison.views
    assert [v.slug for v in views] == list(DECK_SECTIONS)
    assert comparison.view("industries") is views[DECK_SECTIONS.index("industries")]  # computed once, shared
    footers = {v.slug: v.footer for v in views}
    assert "Log-odds" in footers["terms"] and "Theme-lexicon" in footers["themes"]
    assert "TF-IDF cosine" in footers["similarity"] and "TF-IDF" not in footers["themes"]
    with pytest.raises(ValueError, match="at least two"):
        compare_view(corpus, ["岚县"], "zh")


def test_industry_chart_matrix_and_section_table_read_the_same_rows(corpus):
    view = compare_view(corpus, UNITS, "zh").view("industries")
    data = view.data
    assert not data.duplicated(["unit", "industry"]).any()
    drawn = {(row["unit"], row["industry_label"], row["status"]) for row in chart_values(view.chart)}
    assert drawn == set(zip(data["unit"], data["industry"], data["status"]))
    matrix = view.parts["matrix"]
    for row in data.itertuples():
        cell = matrix.loc[matrix[label("col", "industry", "zh")] == row.industry, row.unit]
        assert cell.tolist() == [label("status", row.status, "zh")]


def _second_document(store, text: str) -> None:
    assert len(add_files(store, [("second.txt", text.encode("utf-8"))]).added) == 1


def test_a_unit_has_an_industry_when_any_of_its_documents_says_it_exists(store):
    # Document one (the seed) states 岚县's 马铃薯 base; a second document names it only as a goal.
    _second_document(store, "山西省吕梁市岚县将大力发展光伏产业，力争打造马铃薯全产业链和文旅康养产业。" * 3)
    corpus = Corpus(load_tables(store))
    industries = corpus["industries"]
    potatoes = industries[(industries["unit"] == "岚县") & (industries["industry"] == "马铃薯")]
    assert potatoes["doc_id"].nunique() == 2 and set(potatoes["status"]) == {"has", "targets"}
    view = compare_view(corpus, ["岚县", "沁源县"], "zh").view("industries")
    row = view.data[(view.data["unit"] == "岚县") & (view.data["industry"] == "马铃薯")].iloc[0]
    assert row["status"] == "has" and row["n_documents"] == 2
    assert row["mentions"] == potatoes["mentions"].sum()
    drawn = [r for r in chart_values(view.chart) if r["unit"] == "岚县" and r["industry_label"] == "马铃薯"]
    assert [r["status"] for r in drawn] == ["has"]
    sections = view.table.set_index(label("col", "gbt_section", "zh"))["岚县"]
    assert any("马铃薯" in cell and cell.startswith(label("status", "has", "zh")) for cell in sections)


def test_themes_view_counts_and_kwic(corpus):
    view = themes_view(corpus, UNITS, "zh", term="旅游")
    assert set(view.profile["unit"]) == set(UNITS)
    shares = view.profile.groupby("unit")["share"].sum()
    assert shares.round(6).eq(1.0).all()
    assert "kwic" not in vars(view)  # the concordance is its own view (kwic_view)
    assert corpus.network(tuple(UNITS)) is corpus.network(tuple(UNITS))  # memoised on the snapshot


def test_similarity_view_orders_keys_and_finds_neighbours(corpus):
    view = similarity_view(corpus, "unit", UNITS, "zh")
    assert sorted(view.order) == sorted(UNITS) and len(view.matrix) == 3
    cosines = [row["cosine"] for row in chart_values(view.chart) if "cosine" in row]
    assert cosines and all(0 <= c <= 1.0000001 for c in cosines)
    nearest, table = neighbours_view(corpus, "unit", "岚县", "zh")
    assert nearest and all(n.key != "岚县" for n in nearest) and len(table) == len(nearest)
    assert [n.cosine for n in nearest] == sorted((n.cosine for n in nearest), reverse=True)


def test_figures_view_filters_and_the_indicator_chart(corpus):
    view = figures_view(corpus, ["岚县"], [], "target", "", "zh")
    assert len(view.figures) > 0 and view.figures["is_target"].all() and set(view.figures["unit"]) == {"岚县"}
    assert len(view.shown) == len(view.figures) and view.total == len(corpus.evidence["figures"])
    assert "forest_coverage" in view.indicators or "forest_coverage" in figures_view(corpus, [], [], "", "").indicators
    chart, footer = indicator_chart(corpus, UNITS, "forest_coverage", "zh")
    # 柞水县's 森林覆盖率 is drawn; 岚县's 林草覆盖率 measures something else and is left out
    assert {row["unit"] for row in chart_values(chart) if "unit" in row} == {"柞水县"}
    assert "来源" in footer


@pytest.mark.slow
def test_a_changed_lexicon_shows_after_restart(store, tmp_path):
    """Remove 马铃薯 from a copy of the taxonomy: a fresh process re-analyses the stored documents."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    lines = (data / "industries.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "industries.csv").write_text("".join(l for l in lines if not l.startswith("马铃薯,")), encoding="utf-8")
    script = (
        "import sys, json\n"
        "import analytics.paths as p\n"
        f"p.DATA_DIR = __import__('pathlib').Path({str(data)!r})\n"
        "from analytics.corpus.corpus import load_corpus\n"
        "from analytics.corpus.library import open_store\n"
        "seen = []\n"
        f"corpus = load_corpus(open_store({str(store.path)!r}, progress=lambda d, t, n: seen.append(d)))\n"
        "ind = corpus['industries']\n"
        "print(json.dumps({'reanalysed': len(seen), "
        "'potatoes': int(((ind['unit'] == '岚县') & (ind['industry'] == '马铃薯')).sum())}))\n")
    before = load_tables(store)["industries"]
    assert ((before["unit"] == "岚县") & (before["industry"] == "马铃薯")).any()
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"reanalysed": 5, "potatoes": 0}


def test_page_views_are_memoised_on_the_snapshot_and_keyed_on_every_argument(corpus):
    assert overview_view(corpus, "zh") is overview_view(corpus, "zh")
    assert overview_view(corpus, "en") is not overview_view(corpus, "zh")
    first = figures_view(corpus, UNITS, [], "all", "", "zh")
    assert figures_view(corpus, list(UNITS), [], "all", "", "zh") is first  # a new list, the same selection
    assert figures_view(corpus, UNITS[:2], [], "all", "", "zh") is not first
    assert similarity_view(corpus, "unit", UNITS, "zh") is similarity_view(corpus, "unit", UNITS, "zh")
    assert Corpus(corpus.evidence).memo(("overview",), lambda: 1) == 1  # another snapshot, its own memo


def test_sessions_asking_at_once_compute_a_view_once_and_a_failure_is_not_kept(seed_tables):
    import threading
    import time

    snapshot = Corpus(seed_tables)
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.3)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(snapshot.memo(("k",), slow))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(results) == 6 and all(r is results[0] for r in results)

    def broken():
        raise ValueError("no")

    with pytest.raises(ValueError):
        snapshot.memo(("bad",), broken)
    assert snapshot.memo(("bad",), lambda: 2) == 2  # the failure was not remembered


def test_default_columns_are_those_most_units_state_comparably_and_an_empty_row_says_why(corpus):
    from analytics.features.key_figures import default_indicators, key_figures
    from analytics.views.figure_table import comparison_table, table_html, table_note

    units = ["沁源县", "岚县", "柞水县"]
    table = comparison_table(corpus, units)
    every = key_figures(corpus["figures"], units, table.options)
    shared_by = every[every["comparable"].astype(bool)].groupby("indicator_id")["unit"].nunique()
    assert table.default_columns and all(shared_by.get(i, 0) >= 1 for i in table.default_columns)
    counts = [int(shared_by[i]) for i in table.default_columns]
    assert counts == sorted(counts, reverse=True)  # the most widely stated columns are chosen first
    assert shared_by.max() >= 2 and counts[0] == shared_by.max()
    # a hand-made case: b is stated by two units, a (reviewed first) by one, c by none comparably
    cards = pd.DataFrame({"indicator_id": ["a", "b", "b", "c"], "unit": ["x", "x", "y", "x"],
                          "comparable": [True, True, True, False]})
    assert default_indicators(cards, ["a", "b", "c"]) == ["b", "a"]
    assert default_indicators(cards, ["a", "b", "c"], limit=1) == ["b"]

    with_empty = comparison_table(corpus, ["岚县", "永济市"])
    assert not with_empty.cells["unit"].eq("永济市").any()
    html = table_html(with_empty, corpus.clean_text, {})
    assert "其文档未给出所选指标中的任何一项" in html
    assert "永济市" in table_note(with_empty)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_built_table_is_shown_with_labelled_headers(corpus, lang):
    from analytics.registry import ALL_TABLES
    from analytics.views.figures import table_view
    from analytics.views.shared import table_for_download

    for name in ALL_TABLES:
        raw = list(table_for_download(corpus.evidence, name).columns)
        shown = list(table_view(corpus, name, lang).columns)
        assert len(shown) == len(raw)
        unlabelled = [c for c, header in zip(raw, shown) if header == c]
        assert not unlabelled, (name, unlabelled)  # no doc_id, indicator_id … in the view an analyst reads


def test_kwic_in_the_selection_or_the_whole_corpus_with_counts_and_sorted_contexts(corpus):
    from analytics.views.themes import kwic_view

    selection = kwic_view(corpus, "旅游", UNITS, "selection", "position", "zh")
    everywhere = kwic_view(corpus, "旅游", UNITS, "corpus", "position", "zh")
    assert selection.total > 0 and everywhere.total >= selection.total
    assert set(selection.lines["unit"]) <= set(UNITS) and selection.lines["match"].eq("旅游").all()
    assert "沁源县" in selection.caption and "5 篇文档" in everywhere.caption
    # the counts count every line, per unit and per document
    assert selection.by_unit["occurrences"].sum() == selection.total == selection.by_document["occurrences"].sum()
    assert selection.by_unit["occurrences"].is_monotonic_decreasing
    # sorted by the left context read outwards from the term, or by the right context
    by_left = kwic_view(corpus, "旅游", UNITS, "selection", "left", "zh").lines
    keys = [left[::-1] for left in by_left["left"]]
    assert keys == sorted(keys) and len(by_left) == selection.total
    by_right = kwic_view(corpus, "旅游", UNITS, "selection", "right", "zh").lines
    assert list(by_right["right"]) == sorted(by_right["right"])
    # every line still points at its sentence
    text = corpus.clean_text(by_right.at[0, "doc_id"])
    assert text[by_right.at[0, "start"]:by_right.at[0, "end"]] == "旅游"
