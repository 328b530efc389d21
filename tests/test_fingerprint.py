"""The fingerprints that decide what is re-analysed: every analysing package counts, each in its own key."""
from __future__ import annotations

import shutil

import pytest

from analytics import paths
from analytics.corpus import fingerprint


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """analytics/ and data/ copied, the fingerprints computed on the copies (their caches emptied)."""
    package, data = tmp_path / "analytics", tmp_path / "data"
    shutil.copytree(paths.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "PACKAGE", package)
    monkeypatch.setattr(paths, "DATA_DIR", data)

    def fingerprints() -> tuple[str, str]:
        fingerprint.analysis_fingerprint.cache_clear()
        fingerprint.corpus_fingerprint.cache_clear()
        return fingerprint.analysis_fingerprint(), fingerprint.corpus_fingerprint()

    yield package, data, fingerprints
    fingerprint.analysis_fingerprint.cache_clear()
    fingerprint.corpus_fingerprint.cache_clear()


@pytest.mark.parametrize("module, documents_change", [
    ("pipeline/clean.py", True), ("features/figures.py", True), ("corpus/engine.py", True), ("registry.py", True),
    ("resources.py", True),
    # the corpus-wide code: its tables are recomputed, no document is re-analysed
    ("analysis/similarity.py", False), ("analysis/terms.py", False), ("analysis/network.py", False)])
def test_a_change_in_analysing_code_moves_the_fingerprints_it_should(package_copy, module, documents_change):
    package, _, fingerprints = package_copy
    before = fingerprints()
    with open(package / module, "a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    after = fingerprints()
    assert (after[0] != before[0]) == documents_change and after[1] != before[1]


def test_a_change_in_a_reviewed_data_file_re_analyses_and_views_do_not(package_copy):
    package, data, fingerprints = package_copy
    before = fingerprints()
    with open(package / "views" / "compare.py", "a", encoding="utf-8") as f:
        f.write("\n# a view changes no table\n")
    assert fingerprints() == before
    reviewed = next(p for p in sorted(data.glob("*.csv")) if p.name != "manifest.csv")
    with open(reviewed, "a", encoding="utf-8") as f:
        f.write("\n")
    assert fingerprints()[0] != before[0]


@pytest.mark.parametrize("module, documents_stale", [("pipeline/units.py", True), ("features/industries.py", True),
                                                     ("analysis/similarity.py", False)])
def test_a_store_sees_what_a_change_makes_stale(store, package_copy, module, documents_stale):
    """After a change in an analysing package, the store's documents are stale (re-analysed on the next open)
    or, for the corpus-wide code, only its cached corpus tables' key moves (recomputed on the next load)."""
    from analytics.corpus.store import corpus_key, list_documents, stale_documents

    package, _, fingerprints = package_copy
    fingerprints()
    documents = list_documents(store)
    assert stale_documents(store) == []  # the copies are the code the store was analysed by
    before_key = corpus_key(documents)
    with open(package / module, "a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    fingerprints()
    assert set(stale_documents(store)) == (set(documents["doc_id"]) if documents_stale else set())
    assert corpus_key(documents) != before_key
