"""Store: seeds on first open, incremental and atomic adds, removal, loading equal to the build, crash safety."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.corpus import engine
from analytics.corpus import store as store_module
from analytics.corpus.library import add_files, load_tables, open_store
from analytics.corpus.store import (FEATURE_TABLES, StoreError, check_store, list_documents, remove_document,
                                    store_fingerprint)
from analytics.registry import ALL_TABLES
from tests.conftest import ROOT, seed_text

UPLOAD = ("山西省吕梁市岚县坚持生态优先，推动马铃薯产业提质增效，全县马铃薯种植面积达到20万亩，"
          "建设现代农业产业园，发展全域旅游。").encode("utf-8")


def sorted_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].sort_values(columns).reset_index(drop=True)


def test_first_open_adds_the_seeds_once(store):
    documents = list_documents(store)
    assert len(documents) == 5 and set(documents["source"]) == {"seed"}
    assert documents["place"].tolist()[0] == "山西省长治市沁源县"  # from seeds/catalog.csv
    fingerprint = store_fingerprint(store)
    again = open_store(store.path)
    assert len(list_documents(again)) == 5 and store_fingerprint(again) == fingerprint
    assert check_store(store) == []


def test_store_file_is_wal_sqlite(store):
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_loaded_tables_equal_the_build_of_the_seeds(store, seed_tables):
    loaded = load_tables(store)
    assert set(ALL_TABLES) <= set(loaded)
    for name in ALL_TABLES:
        built = seed_tables[name]
        columns = [c for c in built.columns if c != "added_at"]  # when each copy was stored
        pd.testing.assert_frame_equal(sorted_frame(loaded[name], columns), sorted_frame(built, columns),
                                      obj=name)


def test_unchanged_corpus_loads_corpus_tables_from_the_cache(store, monkeypatch):
    first = load_tables(store)

    def fail(*_):
        raise AssertionError("corpus tables recomputed for an unchanged corpus")

    monkeypatch.setattr("analytics.corpus.engine.corpus_tables", fail)
    second = load_tables(store)
    for name in ("units", "themes", "similarity", "distinctive_terms"):
        pd.testing.assert_frame_equal(first[name], second[name])


def test_add_processes_only_the_new_document_and_reports_progress(store, monkeypatch):
    import analytics.corpus.engine

    seen, real = [], analytics.corpus.engine.analyse_documents
    monkeypatch.setattr(analytics.corpus.engine, "analyse_documents",
                        lambda docs, catalog=None: seen.extend(docs["doc_id"]) or real(docs, catalog))
    calls = []
    result = add_files(store, [("岚县.txt", UPLOAD), ("english.txt", b"no Chinese here")],
                       progress=lambda *a: calls.append(a))
    assert len(result.added) == 1 and seen == result.added
    assert [c[:2] for c in calls] == [(1, 2), (2, 2)] and {c[2] for c in calls} == {"岚县.txt", "english.txt"}
    assert result.rejected[0].file_name == "english.txt"
    loaded = load_tables(store)
    doc_id = result.added[0]
    assert doc_id in set(loaded["passages"]["doc_id"]) and doc_id in set(loaded["passage_tokens"]["doc_id"])
    row = loaded["documents"].set_index("doc_id").loc[doc_id]
    assert row["source"] == "upload" and row["place"] == "岚县" and row["added_at"]
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT raw FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0] == UPLOAD
    assert check_store(store) == []


def test_exact_duplicates_are_reported_not_stored_twice(store):
    seed = (ROOT / "seeds").glob("002_*.txt").__next__()
    before = store_fingerprint(store)
    result = add_files(store, [("copy_of_seed.txt", seed.read_bytes())])
    assert not result.added and result.duplicates[0].existing_file_name == seed.name
    assert store_fingerprint(store) == before
    twice = add_files(store, [("a.txt", UPLOAD), ("b.txt", UPLOAD)])
    assert len(twice.added) == 1 and [d.file_name for d in twice.duplicates] == ["b.txt"]
    assert len(list_documents(store)) == 6


def test_near_duplicate_is_stored_flagged_and_left_out_of_corpus_statistics(store):
    before = load_tables(store)
    original = seed_text("002")
    reprint = "来源：某某日报\n" + original[: len(original) * 95 // 100]  # a reprint: new source line, cut ending
    result = add_files(store, [("reprint.txt", reprint.encode("utf-8"))])
    assert len(result.added) == 1 and len(result.near_duplicates) == 1
    original_id = list_documents(store).set_index("file_name").loc["002_12060930e0124454.txt", "doc_id"]
    near = result.near_duplicates[0]
    assert near.original_doc_id == original_id and near.jaccard >= 0.8
    after = load_tables(store)
    flagged = after["documents"].set_index("doc_id").loc[near.doc_id]
    assert flagged["near_duplicate_of"] == original_id
    assert near.doc_id in set(after["passages"]["doc_id"])  # evidence stays available
    for name in ("themes", "similarity", "distinctive_terms"):  # but it counts for nothing corpus-wide
        columns = list(before[name].columns)
        pd.testing.assert_frame_equal(sorted_frame(after[name], columns), sorted_frame(before[name], columns))


def test_remove_document_and_its_features(store):
    doc_id = add_files(store, [("岚县.txt", UPLOAD)]).added[0]
    fingerprint = store_fingerprint(store)
    removed = remove_document(store, doc_id)
    assert removed["file_name"] == "岚县.txt" and store_fingerprint(store) != fingerprint
    with sqlite3.connect(store.path) as conn:
        for name in ["documents", *FEATURE_TABLES]:
            assert conn.execute(f'SELECT COUNT(*) FROM "{name}" WHERE doc_id = ?', (doc_id,)).fetchone()[0] == 0
    assert check_store(store) == []
    with pytest.raises(StoreError, match="no document"):
        remove_document(store, doc_id)


def test_seeds_are_removed_only_with_force_and_stay_removed(store):
    seed_id = list_documents(store)["doc_id"].iloc[0]
    with pytest.raises(StoreError, match="seed"):
        remove_document(store, seed_id)
    remove_document(store, seed_id, force=True)
    assert seed_id not in set(list_documents(open_store(store.path))["doc_id"])  # not re-seeded


def test_removing_an_original_unflags_its_reprint(store):
    text = seed_text("004")
    original = add_files(store, [("o.txt", ("原文。" + text).encode())]).added[0]
    reprint = add_files(store, [("r.txt", ("转载。" + text).encode())])
    assert reprint.near_duplicates[0].original_doc_id in {original, list_documents(store)["doc_id"].iloc[4]}
    # Both copies nearly duplicate seed 004 as well: remove it and the upload, the reprint stands alone.
    remove_document(store, list_documents(store)["doc_id"].iloc[4], force=True)
    remove_document(store, original)
    documents = list_documents(store).set_index("doc_id")
    assert documents.loc[reprint.added[0], "near_duplicate_of"] == ""


# ---------------------------------------------------------------- crash safety

CHILD = """
import sys
from analytics.corpus.library import add_files, open_store
store = open_store(sys.argv[1])
files = [(f"doc{i}.txt", ("岚县推动产业发展，编号" + str(i) + "。" + sys.argv[2] * 6000).encode())
         for i in range(int(sys.argv[3]))]
add_files(store, files, progress=lambda done, total, name: print("DONE", done, name, flush=True))
print("FINISHED", flush=True)
"""
STAGES = ["begin", "documents", *FEATURE_TABLES, "generation", "commit"]


def run_child(store_path: Path, pause: str, text: str, count: int = 3) -> subprocess.Popen:
    env = {**os.environ, store_module.PAUSE_ENV: pause, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(store_path), text, str(count)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_sound(path: Path, expected_documents: int) -> None:
    reopened = open_store(path)
    assert check_store(reopened) == []
    documents = list_documents(reopened)
    assert len(documents) == expected_documents
    tables = load_tables(reopened)
    assert set(tables["passages"]["doc_id"]) == set(documents["doc_id"])
    assert set(tables["figures"]["doc_id"]) <= set(documents["doc_id"])


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.slow
def test_sigkill_inside_a_transaction_leaves_no_half_document(store, stage):
    child = run_child(store.path, f"{stage}@2", f"阶段{stage}")
    try:
        line = child.stdout.readline()
        while line and not line.startswith("PAUSED"):
            line = child.stdout.readline()
        assert line.startswith(f"PAUSED {stage}"), child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
    # The first document was committed before the kill; the second only if the kill came after COMMIT.
    assert_sound(store.path, 5 + 1 + (stage == "commit"))


@pytest.mark.parametrize("delay", [0.1, 0.3, 0.6])
@pytest.mark.slow
def test_sigkill_at_arbitrary_times_while_adding(store, delay):
    child = run_child(store.path, "", f"时刻{delay}", count=39)  # most a batch adds without a pool
    try:
        line = child.stdout.readline()  # the first commit: the child is now in its add loop
        assert line.startswith("DONE"), child.stderr.read()
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        output = child.stdout.read().splitlines()
        assert "FINISHED" not in output  # the kill has to land while documents are still being added
        reported = 1 + sum(1 for out in output if out.startswith("DONE"))
    finally:
        child.kill()
        child.wait(30)
    stored = len(list_documents(open_store(store.path))) - 5
    assert reported <= stored <= min(reported + 1, 39)  # a commit may land just before its progress line
    assert_sound(store.path, 5 + stored)


_REAL_FULL = engine._full  # the tests below patch engine._full to prove it is not called


def _full_recompute(store) -> dict[str, pd.DataFrame]:
    from analytics.pipeline.hygiene import counted_tables

    with store_module.connect(store) as conn:
        per_document = store_module.read_per_document(conn)
    return _REAL_FULL(counted_tables(per_document), {}).tables


def test_corpus_tables_are_refreshed_incrementally_then_refit_exactly(store, monkeypatch):
    import json

    from analytics.analysis import similarity

    monkeypatch.setattr(similarity, "ALL_PAIRS_UP_TO", 3)  # the seeds' few units take the top-k path
    monkeypatch.setattr(similarity, "TOP_K", 3)
    monkeypatch.setattr(engine, "REFIT_SHARE", 100.0)  # no periodic refit yet
    load_tables(store)
    doc_id = add_files(store, [("岚县.txt", UPLOAD)]).added[0]
    monkeypatch.setattr(engine, "_full", lambda *_: pytest.fail("recomputed from scratch"))
    loaded = load_tables(store)
    full = _full_recompute(store)
    for name in ("units", "themes", "distinctive_terms"):  # per unit, or recomputed vectorised: exact
        columns = list(full[name].columns)
        pd.testing.assert_frame_equal(sorted_frame(loaded[name], columns), sorted_frame(full[name], columns))
    new_units = set(loaded["passages"].loc[loaded["passages"]["doc_id"] == doc_id, "unit"])
    affected = new_units | {doc_id}
    assert affected
    pick = lambda t: t[t["a"].isin(affected)].sort_values(["a", "b"]).reset_index(drop=True)  # noqa: E731
    mine, exact = pick(loaded["similarity"]), pick(full["similarity"])
    assert mine[["a", "b"]].equals(exact[["a", "b"]])
    assert np.allclose(mine["cosine"], exact["cosine"], atol=1e-9, rtol=0)  # the affected rows are exact
    assert (loaded["similarity"].groupby(["level", "a"]).size() == 3).all()
    # other rows keep their neighbours, scored with the idf of the last fit: close, not exact
    both = loaded["similarity"].merge(full["similarity"], on=["level", "a", "b"])
    assert (both["cosine_x"] - both["cosine_y"]).abs().max() < 0.05
    refit = json.loads(sqlite3.connect(store.path).execute(
        "SELECT value FROM meta WHERE key = 'corpus_refit'").fetchone()[0])
    assert refit["unit"]["changed"] >= len(new_units) and refit["document"]["changed"] == 1

    monkeypatch.setattr(engine, "REFIT_SHARE", 0.0)  # the next change passes the share: refit
    remove_document(store, doc_id)
    loaded, full = load_tables(store), _full_recompute(store)
    for name in ("units", "themes", "similarity", "distinctive_terms"):
        columns = list(full[name].columns)
        pd.testing.assert_frame_equal(sorted_frame(loaded[name], columns), sorted_frame(full[name], columns),
                                      obj=name)


def test_per_document_tables_are_read_incrementally_within_a_process(store):
    load_tables(store)
    doc_id = add_files(store, [("岚县.txt", UPLOAD)]).added[0]
    cached = load_tables(store)
    with store_module.connect(store) as conn:
        fresh = store_module.read_per_document(conn)
    for name in ["documents", *[n for n in FEATURE_TABLES if n != "units"]]:
        pd.testing.assert_frame_equal(cached[name], fresh[name], obj=name)
    remove_document(store, doc_id)
    cached = load_tables(store)
    with store_module.connect(store) as conn:
        fresh = store_module.read_per_document(conn)
    assert doc_id not in set(cached["documents"]["doc_id"])
    for name in ["documents", *[n for n in FEATURE_TABLES if n != "units"]]:
        pd.testing.assert_frame_equal(cached[name], fresh[name], obj=name)


UNPLACED = "今年全县新增造林1.2万亩，森林覆盖率达到41.3%，接待游客86万人次。".encode()


def test_a_correction_moves_an_unplaced_text_and_every_table_follows(store):
    from analytics.corpus.library import correct_document, reanalyse

    doc_id = add_files(store, [("note.txt", UNPLACED)]).added[0]
    before = load_tables(store)  # loaded once: the next load must not serve these rows again
    assert set(before["figures"][before["figures"]["doc_id"] == doc_id]["unit"]) == {"未知"}
    correct_document(store, doc_id, {"place": "山西省吕梁市岚县", "title": "林业简报"})
    after = load_tables(store)
    assert set(after["figures"][after["figures"]["doc_id"] == doc_id]["unit"]) == {"岚县"}
    units = after["units"].set_index("unit")
    assert units.loc["岚县", "n_chars"] > before["units"].set_index("unit").loc["岚县", "n_chars"]
    listed = list_documents(store).set_index("doc_id").loc[doc_id]
    assert (listed["title"], listed["place"]) == ("林业简报", "山西省吕梁市岚县")
    # a re-analysis (new code) keeps what the user said
    assert reanalyse(store, [doc_id]) == [doc_id]
    again = list_documents(store).set_index("doc_id").loc[doc_id]
    assert (again["title"], again["place"]) == ("林业简报", "山西省吕梁市岚县")
    # clearing a field gives the document's own back
    correct_document(store, doc_id, {"title": ""})
    assert list_documents(store).set_index("doc_id").loc[doc_id, "title"].startswith("今年全县新增造林")


def test_a_correction_is_checked(store):
    from analytics.corpus.library import correct_document

    doc_id = add_files(store, [("note.txt", UNPLACED)]).added[0]
    with pytest.raises(ValueError, match="not a date"):
        correct_document(store, doc_id, {"date": "去年春天"})
    with pytest.raises(ValueError, match="not a correctable field"):
        correct_document(store, doc_id, {"raw": "x"})
    with pytest.raises(StoreError):
        correct_document(store, "0" * 16, {"title": "x"})


def test_a_zip_is_added_as_its_documents(store):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("县域/岚县.txt", UPLOAD)
        archive.writestr("县域/说明.xlsx", b"PK")
        archive.writestr("县域/空.txt", b"")
    calls = []
    result = add_files(store, [("folder.zip", buffer.getvalue())], progress=lambda *a: calls.append(a))
    assert len(result.added) == 1
    assert sorted(r.file_name for r in result.rejected) == ["folder.zip/说明.xlsx", "空.txt"]
    assert calls[-1][:2] == (3, 3)
