"""Every chart footer cites its own method and the documents behind that chart, on every page that exports one.

Each view of the Themes, Similarity, Figures and Compare pages (and so of the deck and the HTML report, which
show the Compare views) is built on the seeds; its footer must be exactly the citation of the expected method
string and the expected documents. A footer naming another chart's method, or citing no documents, fails.
The method strings themselves are checked to name the method the code runs.
"""
from __future__ import annotations

from datetime import date

import pytest

from analytics.corpus.corpus import Corpus
from analytics.export.files import export_footer
from analytics.export.i18n import t
from analytics.views import compare
from analytics.views.figures import indicator_chart
from analytics.views.similarity import similarity_view
from analytics.views.themes import themes_view

UNITS = ["沁源县", "岚县", "柞水县"]
EXPORTED = date(2026, 11, 23)
# What each method string must say, in (Chinese, English): the method the code runs (analysis/similarity.py
# TF-IDF cosine and weighted log-odds with an informative Dirichlet prior; analysis/network.py sentence
# co-occurrence; features/themes.py shares of data/themes.csv hits; features/figures.py rules;
# features/industries.py GB/T 4754 lexicon).
METHOD_WORDS = {
    "method.similarity": (("TF-IDF", "余弦"), ("TF-IDF", "cosine")),
    "method.distinctive_terms": (("加权对数几率", "狄利克雷"), ("weighted log-odds", "Dirichlet")),
    "method.themes": (("主题词典", "占比", "data/themes.csv"), ("Theme-lexicon", "shares", "data/themes.csv")),
    "method.cooccurrence": (("句内共现",), ("Sentence co-occurrence",)),
    "method.figures": (("规则抽取",), ("Rule-based extraction",)),
    "method.industries": (("产业词表", "GB/T 4754"), ("Industry-lexicon", "GB/T 4754")),
}
# Compare view slug -> its method (the deck and the report show these views with their footers).
COMPARE_METHODS = {"summary": "method.compare", "key_figures": "method.figures", "industries": "method.industries",
                   "domains": "method.figures", "targets": "method.figures", "themes": "method.themes",
                   "similarity": "method.similarity", "terms": "method.distinctive_terms"}


@pytest.fixture(scope="module")
def corpus(seed_tables) -> Corpus:
    return Corpus(seed_tables)


def unit_documents(corpus: Corpus, units: list[str]) -> list[str]:
    """Titles of the documents holding the units' passages, in document order."""
    passages, documents = corpus["passages"], corpus["documents"]
    cited = set(passages.loc[passages["unit"].isin(units), "doc_id"])
    return documents.loc[documents["doc_id"].isin(cited), "title"].tolist()


def expected(sources: list[str], method_key: str, lang: str, exported: date | None = None) -> str:
    assert sources, "every chart rests on some documents"
    return export_footer(sources, t(method_key, lang), exported or date.today(), lang)


@pytest.mark.parametrize("key", sorted(METHOD_WORDS))
def test_method_strings_name_the_method_the_code_runs(key):
    for lang, words in zip(("zh", "en"), METHOD_WORDS[key]):
        assert all(word in t(key, lang) for word in words), (key, lang, t(key, lang))


def test_the_method_strings_are_told_apart():
    """Each chart's method is its own string: an expected footer could not pass for another chart's."""
    for lang in ("zh", "en"):
        texts = [t(key, lang) for key in METHOD_WORDS]
        assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_themes_page_footers(corpus, lang):
    view = themes_view(corpus, UNITS, lang)
    sources = unit_documents(corpus, UNITS)
    assert view.footer == expected(sources, "method.themes", lang)
    assert view.network_footer == expected(sources, "method.cooccurrence", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_similarity_page_footers_cite_the_shown_keys(corpus, lang):
    units = UNITS[:2]
    view = similarity_view(corpus, "unit", units, lang)
    assert view.footer == expected(unit_documents(corpus, units), "method.similarity", lang)
    documents = corpus["documents"]
    shown = documents["doc_id"].tolist()[:3]
    view = similarity_view(corpus, "document", shown, lang)
    titles = [title or name for title, name in zip(documents["title"][:3], documents["file_name"][:3])]
    assert view.footer == expected(titles, "method.similarity", lang)
    assert len(documents) > 3 and documents["title"].iloc[3] not in view.footer  # only the shown documents


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures_page_footer(corpus, lang):
    _, footer = indicator_chart(corpus, UNITS, "forest_coverage", lang)
    assert footer == expected(unit_documents(corpus, UNITS), "method.figures", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_page_deck_and_report_footers(corpus, lang):
    comparison = compare.compare_view(corpus, UNITS, lang, EXPORTED)
    sources = unit_documents(corpus, UNITS)
    assert set(COMPARE_METHODS) == set(compare.SECTIONS), "a view without an expected method"
    for slug, method_key in COMPARE_METHODS.items():
        view = comparison.view(slug)
        assert view.footer == expected(sources, method_key, lang, EXPORTED), slug
        assert view.method == t(method_key, lang), slug  # the workbook's second sheet names the same method
    assert comparison.footer == expected(sources, "method.compare", lang, EXPORTED)
