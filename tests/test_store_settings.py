"""A user's settings kept with the corpus (the store's meta table): they round-trip, change no corpus
generation, stay apart from the store's own keys, and a read-only store refuses to save one, saying why."""
from __future__ import annotations

import sqlite3

import pytest

from analytics.corpus import store as store_module
from analytics.corpus.errors import StoreError
from analytics.corpus.library import open_store
from analytics.corpus.store import save_setting, store_fingerprint, store_setting


@pytest.fixture
def empty_store(tmp_path):
    return open_store(tmp_path / "countylens.sqlite", seed=False)


def test_a_setting_round_trips_without_touching_the_corpus(empty_store):
    assert store_setting(empty_store, "generic_terms") is None
    before = store_fingerprint(empty_store)
    save_setting(empty_store, "generic_terms", '{"added": ["亮点"]}')
    save_setting(empty_store, "generic_terms", '{"added": ["亮点", "短板"]}')
    assert store_setting(empty_store, "generic_terms") == '{"added": ["亮点", "短板"]}'
    assert store_setting(open_store(empty_store.path, seed=False), "generic_terms") == '{"added": ["亮点", "短板"]}'
    assert store_fingerprint(empty_store) == before  # no session reloads its corpus for a setting


def test_a_setting_cannot_overwrite_the_stores_own_keys(empty_store):
    before = store_fingerprint(empty_store)
    save_setting(empty_store, "generation", "999")
    assert store_fingerprint(empty_store) == before
    assert store_setting(empty_store, "generation") == "999"
    assert store_setting(empty_store, "store_id") is None


def test_a_read_only_store_reads_settings_and_refuses_to_save_one(empty_store, monkeypatch):
    save_setting(empty_store, "generic_terms", "saved")
    with sqlite3.connect(empty_store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: mode != store_module.os.W_OK)
    read_only = open_store(empty_store.path)
    assert read_only.read_only
    assert store_setting(read_only, "generic_terms") == "saved"
    with pytest.raises(StoreError, match="read-only .*the setting was not saved"):
        save_setting(read_only, "generic_terms", "changed")
    monkeypatch.undo()
    assert store_setting(empty_store, "generic_terms") == "saved"


def test_the_fingerprint_follows_every_commit_of_another_writer_however_quick(empty_store):
    import sqlite3

    seen = {store_fingerprint(empty_store)}
    for n in range(30):  # commits within one clock tick, some after the log restarts
        with sqlite3.connect(empty_store.path) as other:
            other.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
            other.commit()
            if n % 7 == 0:
                other.execute("PRAGMA wal_checkpoint(RESTART)")
        fingerprint = store_fingerprint(empty_store)
        assert fingerprint not in seen
        seen.add(fingerprint)
