"""analytics.corpus.engine: one document's tables do not depend on its batch; reprints change no count;
stored documents analysed by other code are re-analysed; stores of an unknown schema are refused."""
from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest

from analytics.analysis import terms
from analytics.corpus import engine
from analytics.corpus.corpus import Corpus
from analytics.corpus.fingerprint import analysis_fingerprint
from analytics.corpus.library import add_files, load_tables, open_store
from analytics.corpus.store import StoreError, list_documents, stale_documents
from analytics.pipeline.ingest import load_documents
from analytics.registry import FEATURE_TABLES, PER_DOCUMENT
from analytics.views import compare, figure_table, shared
from tests.conftest import SEED_FILES, seed_text


def test_a_document_gives_the_same_rows_alone_and_in_a_batch():
    documents, _ = load_documents(SEED_FILES)
    batch = engine.split_by_document(engine.analyse_documents(documents), documents["doc_id"].tolist())
    for i, doc_id in enumerate(documents["doc_id"]):
        alone = engine.analyse_documents(documents.iloc[[i]])
        for name in PER_DOCUMENT:
            pd.testing.assert_frame_equal(batch[i][name].reset_index(drop=True), alone[name].reset_index(drop=True),
                                          obj=f"{name} of {doc_id}")


def test_industries_are_rows_of_one_document_each():
    documents, _ = load_documents(SEED_FILES)
    industries = engine.analyse_documents(documents)["industries"]
    assert not industries.duplicated(["doc_id", "unit", "industry"]).any()


def test_a_failing_document_costs_only_itself(monkeypatch):
    documents, _ = load_documents(SEED_FILES[:3])
    real = engine.analyse_documents
    bad = documents["doc_id"].iloc[1]

    def flaky(docs, catalog=None):
        if bad in set(docs["doc_id"]):
            raise RuntimeError("stage broke")
        return real(docs, catalog)

    monkeypatch.setattr(engine, "analyse_documents", flaky)
    results = list(engine.analyse_many(documents))
    assert isinstance(results[1], str) and "stage broke" in results[1]
    assert [isinstance(r, dict) for r in results] == [True, False, True]


def _reprint(text: str, n: int) -> bytes:
    """A wire reprint: a new headline and source line, the body unchanged."""
    return f"转载{n}：{text.splitlines()[0]}\n来源：某市融媒体中心{n}\n{text}".encode("utf-8")


def _page_tables(corpus: Corpus, units: list[str]) -> dict[str, object]:
    """Every term table, count table and chart spec the Compare page and the deck show for the units."""
    out = {
        "top_terms": terms.top_terms(corpus["passage_tokens"], units),
        "distinctive": terms.distinctive_terms_of(corpus.tables, units),
        "themes": shared.theme_profile(corpus["themes"], units),
        "key_figures": figure_table.comparison_table(corpus, units).display,
        "industry_matrix": shared.industry_matrix(corpus["industries"], units),
        "counts_units": corpus["units"].set_index("unit").loc[units, ["n_passages", "n_chars"]],
    }
    for view in compare.compare_view(corpus, units, "zh").views:
        if view.table is not None:
            out[f"deck_{view.slug}"] = view.table
        if view.chart is not None:
            out[f"chart_{view.slug}"] = json.dumps(view.chart.to_dict(), sort_keys=True, ensure_ascii=False)
    return out


def test_three_reprints_change_no_count(store):
    units = ["沁源县", "岚县", "柞水县"]
    before = _page_tables(Corpus(load_tables(store)), units)
    text = seed_text("002")
    result = add_files(store, [(f"reprint{n}.txt", _reprint(text, n)) for n in range(3)])
    assert len(result.near_duplicates) == 3
    after = Corpus(load_tables(store))
    assert len(after.evidence["documents"]) == 8 and len(after.counted["documents"]) == 5
    for name, value in _page_tables(after, units).items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value.reset_index(drop=True), before[name].reset_index(drop=True), obj=name)
        else:
            assert value == before[name], name
    # the reprints stay readable: their figures are evidence
    reprints = {n.doc_id for n in result.near_duplicates}
    assert reprints <= set(after.evidence["figures"]["doc_id"]) and not reprints & set(after["figures"]["doc_id"])


def test_documents_analysed_by_other_code_are_reanalysed_on_open(store):
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE documents SET analysed_by = 'old'")
        doc_id = conn.execute("SELECT doc_id FROM documents LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM industries WHERE doc_id = ?", (doc_id,))  # what old code did not find
        conn.execute("UPDATE documents SET feature_rows = '{}' WHERE doc_id = ?", (doc_id,))
    assert len(stale_documents(store)) == 5
    progress = []
    reopened = open_store(store.path, progress=lambda done, total, name: progress.append((done, total)))
    assert progress[-1] == (5, 5) and stale_documents(reopened) == []
    assert set(list_documents(reopened)["analysed_by"]) == {analysis_fingerprint()}
    tables = load_tables(reopened)
    assert doc_id in set(tables["industries"]["doc_id"])
    from analytics.corpus.store import check_store

    assert check_store(reopened) == []


def test_a_store_of_an_unknown_schema_is_refused_with_what_to_run(store):
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match=r"schema 99.*python -m analytics add"):
        open_store(store.path)


def test_a_schema_1_store_is_migrated_and_reanalysed(store):
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        conn.execute("ALTER TABLE figures RENAME COLUMN measure TO unit_of_measure")
        conn.execute("ALTER TABLE documents DROP COLUMN compat_mapped")  # a column added since
    migrated = open_store(store.path)
    assert len(list_documents(migrated)) == 5 and stale_documents(migrated) == []
    with sqlite3.connect(store.path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(figures)")}
    assert "measure" in columns and "unit_of_measure" not in columns
    assert len(load_tables(migrated)["figures"]) > 0


def test_every_feature_table_is_stored_per_document(store):
    with sqlite3.connect(store.path) as conn:
        for name in FEATURE_TABLES:
            assert conn.execute(f'SELECT COUNT(*) FROM "{name}" WHERE doc_id IS NULL').fetchone()[0] == 0


def test_analyse_document_turns_raw_bytes_into_the_same_tables_as_a_batch():
    documents, _ = load_documents(SEED_FILES[2:3])
    batch = engine.analyse_documents(documents)
    alone = engine.analyse_document(SEED_FILES[2].name, SEED_FILES[2].read_bytes(), source="seed")
    for name in PER_DOCUMENT:
        pd.testing.assert_frame_equal(alone[name], batch[name], obj=name)
    assert set(alone["passages"]["unit"]) == {"岚县"} and len(alone["figures"]) > 0
