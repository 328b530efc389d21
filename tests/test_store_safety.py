"""Damaged, empty, read-only and full stores, and outputs that must never land on the store: one message
naming the store and what to run, nothing written into a damaged store, nothing silently re-created."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.corpus import store as store_module
from analytics.corpus.library import add_files, load_tables, open_store, recover_store
from analytics.corpus.store import StoreError, check_file, list_documents, remove_document

UPLOAD = ("上传.txt", "岚县坚持生态立县，全县森林覆盖率达到百分之三十八。".encode())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checkpointed(store) -> Path:
    """The store's file with its WAL folded in, so the bytes on disk are the whole store."""
    with sqlite3.connect(store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path


def damage(path: Path, at: int = 40960) -> None:
    with path.open("r+b") as f:
        f.seek(at)
        f.write(b"garbage!" * 512)


def test_a_damaged_store_is_refused_untouched_and_recoverable(store, tmp_path):
    path = checkpointed(store)
    damage(path)
    before = digest(path)
    with pytest.raises(StoreError) as refused:
        open_store(path)
    message = str(refused.value)
    assert str(path) in message and "damaged" in message and "recover" in message and "\n" not in message
    assert digest(path) == before  # nothing was written into it
    assert check_file(path) != []
    result, _ = recover_store(path, tmp_path / "recovered.sqlite")
    recovered = open_store(tmp_path / "recovered.sqlite", seed=False)
    assert len(result.added) == 5 and len(list_documents(recovered)) == 5
    assert check_file(tmp_path / "recovered.sqlite") == []
    assert digest(path) == before


@pytest.mark.parametrize("content, words", [
    (b"", "empty file"),                                     # a truncated copy: never re-created with the seeds
    (b"PK\x03\x04 not a database at all" * 100, "no SQLite header"),
])
def test_a_file_that_is_no_store_is_refused_and_kept(tmp_path, content, words):
    path = tmp_path / "countylens.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=words):
        open_store(path)
    assert path.read_bytes() == content


def test_a_truncated_store_is_refused(store):
    path = checkpointed(store)
    data = path.read_bytes()
    path.write_bytes(data[:3 * 4096])
    with pytest.raises(StoreError, match="damaged"):
        open_store(path)


def test_a_read_only_store_is_served_read_only(store, monkeypatch):
    path = checkpointed(store)
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: mode != store_module.os.W_OK)
    read_only = open_store(path)
    assert read_only.read_only and len(list_documents(read_only)) == 5
    with pytest.raises(StoreError, match="read-only"):
        add_files(read_only, [UPLOAD])
    with pytest.raises(StoreError, match="read-only"):
        remove_document(read_only, list_documents(read_only)["doc_id"].iloc[0], force=True)


def test_a_full_disk_says_so_and_stores_nothing(store, monkeypatch):
    before = len(list_documents(store))
    real_connect = store_module.sqlite3.connect

    def tiny(*args, **kwargs):  # a database that may not grow: SQLite reports it as a full disk
        conn = real_connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store_module.sqlite3, "connect", tiny)
    result = add_files(store, [("big.txt", ("岚县" + "生态产业发展" * 20000).encode())])
    monkeypatch.undo()
    (rejection,) = result.rejected  # one line naming the file and the real reason (not "cannot rollback")
    assert rejection.file_name == "big.txt" and "the disk is full" in rejection.reason and not result.added
    assert len(list_documents(open_store(store.path))) == before


def test_outputs_never_overwrite_the_store_or_an_existing_file(store, tmp_path, capsys):
    path = checkpointed(store)
    before = digest(path)
    assert main(["report", "--units", "岚县,沁源县", "--format", "html", "--out", str(path),
                 "--store", str(path)]) == 2
    assert "corpus store" in capsys.readouterr().err and digest(path) == before
    existing = tmp_path / "old.html"
    existing.write_text("keep me")
    assert main(["report", "--units", "岚县,沁源县", "--format", "html", "--out", str(existing),
                 "--store", str(path)]) == 2
    assert existing.read_text() == "keep me" and "--force" in capsys.readouterr().err
    assert main(["report", "--units", "岚县,沁源县", "--format", "html", "--out", str(existing), "--force",
                 "--store", str(path)]) == 0
    assert existing.read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    assert main(["report", "--units", "岚县,沁源县", "--format", "html", "--out", str(tmp_path),
                 "--store", str(path)]) == 2  # a folder


def test_a_mistyped_store_is_not_created(tmp_path, capsys):
    missing = tmp_path / "typo.sqlite"
    assert main(["list", "--store", str(missing)]) == 3
    assert "--create" in capsys.readouterr().err and not missing.exists()
    assert main(["list", "--store", str(missing), "--create"]) == 0 and missing.exists()


def test_check_and_backup_commands(store, tmp_path, capsys):
    path = checkpointed(store)
    assert main(["check", "--store", str(path)]) == 0
    copy = tmp_path / "copy.sqlite"
    assert main(["backup", "--store", str(path), "--out", str(copy)]) == 0
    assert check_file(copy) == [] and len(list_documents(open_store(copy))) == 5
    assert main(["backup", "--store", str(path), "--out", str(copy)]) == 2  # exists: --force needed
    damage(path)
    assert main(["check", "--store", str(path)]) == 3


def test_uploads_are_analysed_in_a_worker_with_a_time_limit(store):
    from analytics.corpus.isolation import Limits

    endless = ("岚县生态产业创新建设森林旅游投资" * 60000).encode()  # one unpunctuated line of 960,000 characters
    files = [("好.txt", UPLOAD[1]), ("同一份.txt", UPLOAD[1]), ("长.txt", endless),
             ("另一份.txt", "沁源县森林覆盖率达到百分之五十九。".encode())]
    result = add_files(store, files, limits=Limits(seconds_per_file=1.0))
    assert len(result.added) == 2 and [d.file_name for d in result.duplicates] == ["同一份.txt"]
    (slow,) = result.rejected
    assert slow.file_name == "长.txt" and "longer than 1 s" in slow.reason
    assert check_file(store.path) == []


def test_a_cancelled_upload_stops_and_stores_nothing(store):
    from analytics.corpus.isolation import Limits

    before = len(list_documents(store))
    result = add_files(store, [UPLOAD], limits=Limits(), cancelled=lambda: True)
    assert not result.added and len(list_documents(store)) == before


@pytest.mark.slow  # a pathological upload analysed for several seconds
def test_other_sessions_keep_being_served_while_an_upload_is_analysed(store):
    """A hostile upload (one unpunctuated line, a regex-heavy parse) is analysed in the worker; meanwhile
    this thread — another session — keeps computing comparisons: they all finish before the upload does,
    instead of waiting behind it for the interpreter lock."""
    import threading
    import time

    from analytics.corpus.corpus import Corpus
    from analytics.corpus.isolation import Limits
    from analytics.corpus.library import load_tables
    from analytics.views.compare import compare_view

    corpus = Corpus(load_tables(store))
    hostile = [("一行.txt", ("岚县生态产业创新建设森林旅游投资" * 60000).encode()),
               ("嵌套.html", ("<div>" * 50000 + "岚县坚持生态立县" + "</div>" * 50000).encode())]
    finished: dict[str, float] = {}

    def upload():
        add_files(store, hostile, limits=Limits(seconds_per_file=6))
        finished["upload"] = time.monotonic()

    worker = threading.Thread(target=upload)
    worker.start()
    time.sleep(0.5)  # the worker process is reading the first file
    served = []
    deadline = time.monotonic() + 60
    while worker.is_alive() and time.monotonic() < deadline:
        units = [["岚县", "沁源县"], ["柞水县", "岚县", "沁源县"]][len(served) % 2]
        corpus._memo.clear()  # each comparison computed afresh, as for a new selection
        compare_view(corpus, units).view("key_figures")
        served.append(time.monotonic())
    worker.join(60)
    assert "upload" in finished
    # served all along: several comparisons finished while the upload was still being analysed
    during = [moment for moment in served if moment < finished["upload"]]
    assert len(during) >= 3, (len(during), len(served), finished["upload"] - served[0] if served else None)


def test_paths_that_are_no_regular_file_are_refused_before_reading(tmp_path):
    import os

    from analytics.pipeline.ingest import IngestError, MAX_FILE_BYTES, read_file

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block for ever
    sparse = tmp_path / "sparse.txt"
    with sparse.open("wb") as f:
        f.truncate(MAX_FILE_BYTES * 100)  # 2 GB that take no disk and must take no memory
    for path, words in ((fifo, "not a regular file"), (Path("/dev/zero"), "not a regular file"),
                        (tmp_path, "not a regular file"), (sparse, "limit"), (tmp_path / "missing.txt", "cannot read")):
        with pytest.raises(IngestError, match=words):
            read_file(path)


def test_a_read_only_store_with_a_stale_cache_is_still_served_and_exported(store, monkeypatch, tmp_path):
    with sqlite3.connect(store.path) as conn:
        conn.execute("DELETE FROM corpus_cache")  # the corpus tables must be computed, and cannot be cached
    path = checkpointed(store)
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: mode != store_module.os.W_OK)
    read_only = open_store(path)
    assert read_only.read_only
    tables = load_tables(read_only)
    assert len(tables["documents"]) == 5 and len(tables["similarity"]) > 0
    assert main(["export", "--store", str(path), "--out", str(tmp_path / "tables")]) == 0
    assert (tmp_path / "tables" / "figures.parquet").exists()
