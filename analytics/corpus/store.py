"""The corpus store: persistence of documents, their tables and the cached corpus tables in one SQLite file.

This module only persists: schema and migrations, transactions, reads, cache blobs, settings, and check,
backup and salvage of a damaged file. What turns bytes into stored documents — add, re-analyse, open with the
seeds, recover — is analytics.corpus.library (bytes -> ingest -> engine -> here).

Why SQLite (stdlib `sqlite3`) and not Parquet folders, DuckDB or a server:
* it ships with Python — nothing to install, nothing to run;
* writes are transactions: a document goes in with all its features in one `BEGIN IMMEDIATE … COMMIT`,
  or not at all, even if the process is killed half way (the journal is rolled back on the next open);
* WAL mode lets the dashboard read a consistent snapshot while a writer adds documents, and readers never
  block the writer (a Parquet folder would need our own locking and rename tricks for the same);
* the whole corpus is one file (plus its `-wal`/`-shm` companions while open), easy
  to back up, copy or delete. `synchronous=NORMAL` in WAL mode keeps every commit through a process
  crash; only a power cut can lose the last commits, never corrupt the file.

Layout (one row is what the table is named for):
* `documents` — one stored document: doc_id (content hash, primary key), file_name (the safe base name),
  source ('seed' | 'upload' | 'folder'), added_at (UTC ISO time), the raw bytes, the clean text, the
  catalog fields and the cleaning report of `analytics.registry.TABLES['documents']`, `near_duplicate_of`
  (doc_id of the original, or NULL) with its estimated Jaccard, the MinHash signature, and
  `feature_rows` (JSON: rows written per feature table — lets `check_store` prove completeness).
* the per-document feature tables of `analytics.corpus.engine.PER_DOCUMENT` — units, passages, passage_tokens,
  figures, industries, assets — each a plain SQL table with a `doc_id` column that references
  documents (ON DELETE CASCADE), indexed on doc_id. Rows, not one Parquet blob per document and table:
  adding a document is a handful of `executemany` inserts, removing one is one DELETE, loading 3,000
  documents is one sequential scan per table instead of 18,000 blob decodes, and the store stays
  readable with the `sqlite3` shell. SQLite types are dynamic, so each column's pandas dtype is restored
  on load from the registry (bool, Int64 with missing years …).
* `corpus_cache` — the corpus-wide tables (merged units, themes, similarity, distinctive terms) as
  Parquet blobs, keyed by `corpus_key`: a hash of the code and data files and of the set of doc_ids with
  their near-duplicate flags. An unchanged corpus loads without recomputing them.
* `corpus_cache` also keeps, under the same key, what an update needs: `_counts:unit` and
  `_counts:document` (the term counts of `analytics.analysis.similarity.LevelCounts`, npz) and `_state` (JSON:
  the code fingerprint, each document's near-duplicate flag and units, the refit counters).
* `meta` — store id, schema version, a generation counter bumped by every write (`store_fingerprint`),
  whether the seeds were added, `corpus_refit` (per similarity level: keys at the
  last full fit of its pair table and keys changed since).

Corpus-wide tables after a change are the engine's (analytics.corpus.engine.corpus_tables, incremental
from the cached state of the previous corpus); the store only (de)serialises them. Within one process the
per-document tables are also read incrementally (`per_document_cached`): only the rows of documents added
since the last load are read.

Analysis fingerprint: every document records `analysed_by` (fingerprint.analysis_fingerprint: the analysing
code and the reviewed data) and its catalog fields; `stale_documents` names those analysed by another
fingerprint, which analytics.corpus.library.open_store re-analyses from their stored bytes, so nothing stale
is shown after a lexicon or code change.

Test hook: with the environment variable `COUNTYLENS_STORE_TEST_PAUSE=STAGE[@N]`, the process prints
`PAUSED STAGE doc_id` on stdout and sleeps inside the N-th document transaction (default 1) after
STAGE — 'begin', 'documents', a feature table name, 'generation' — or after the commit ('commit').
tests/test_store.py kills it there with SIGKILL to prove that no half document survives.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from analytics.corpus.fingerprint import analysis_fingerprint, corpus_fingerprint
from analytics.corpus.errors import StoreError
from analytics.pipeline import hygiene
from analytics.registry import CORPUS_WIDE, FEATURE_TABLES, TABLES, typed

# 2: measure columns renamed, industries/assets per document, documents record analysed_by and catalog.
SCHEMA_VERSION = "3"
MIGRATES_FROM = {"1", "2"}  # older versions whose documents are kept and re-analysed from their bytes
CORPUS_CACHED = CORPUS_WIDE
# revision: how many times the document was analysed again since it was added (a correction, new code)
STORE_DOCUMENT_COLUMNS = ["added_at", "analysed_by", "revision", "near_duplicate_of", "near_duplicate_jaccard"]
LIST_COLUMNS = ["doc_id", "file_name", "title", "date", "place", "outlet", "source", "format", "encoding", "script",
                "n_chars", "pages", "ocr_confidence", "added_at", "analysed_by", "catalog", "near_duplicate_of",
                "near_duplicate_jaccard"]
PAUSE_ENV = "COUNTYLENS_STORE_TEST_PAUSE"
BUSY_TIMEOUT_S = 30.0  # a second writer waits this long for the first one's transaction


@dataclass
class Store:
    """An open store: its file, and the near-duplicate index cached for the generation it was built at."""

    path: Path
    read_only: str = ""  # why the store is served read-only ('' = writable): a read-only file or folder
    _index_generation: int | None = field(default=None, repr=False)
    _index: object = field(default=None, repr=False)
    _signatures: dict = field(default_factory=dict, repr=False)
    _order: dict = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Duplicate:
    """A file whose bytes are already stored (same doc_id)."""

    file_name: str
    doc_id: str
    existing_file_name: str

    def __str__(self) -> str:
        return f"{self.file_name}: exact duplicate of {self.existing_file_name} ({self.doc_id}), not stored again"


@dataclass(frozen=True)
class NearDuplicate:
    """A stored file flagged as a reprint of another document."""

    file_name: str
    doc_id: str
    original_doc_id: str
    jaccard: float

    def __str__(self) -> str:
        return (f"{self.file_name}: near-duplicate of {self.original_doc_id} (Jaccard ≈ {self.jaccard:.2f}); "
                "stored, left out of themes, similarity and distinctive terms")


# ---------------------------------------------------------------- connection and schema


SQLITE_HEADER = b"SQLite format 3\x00"
_RECOVER_HINT = ("run `python -m analytics check --store {path}` for the details, and "
                 "`python -m analytics recover --store {path} --out NEW.sqlite` to save its documents")


def sqlite_reason(error: sqlite3.Error) -> str:
    text = str(error)
    return "the disk is full" if "disk is full" in text else text


def _store_error(path: Path, error: sqlite3.Error) -> StoreError:
    """A real SQLite error as one line naming the store: a full disk says so."""
    text = str(error)
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(f"{path}: the disk is full; nothing was written — free some space and try again")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the store is read-only ({text}); nothing was written")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"{path}: the store is damaged ({text}); " + _RECOVER_HINT.format(path=path))
    return StoreError(f"{path}: {text}")


@contextmanager
def connect(store: Store) -> Iterator[sqlite3.Connection]:
    """A short-lived connection: one per operation keeps the Store usable from Streamlit's threads. A
    read-only store is opened read-only (immutable when its folder is not writable: WAL needs a -shm
    file). SQLite errors come out as StoreError naming the store."""
    try:
        if store.read_only:
            immutable = "&immutable=1" if not os.access(store.path.parent, os.W_OK) else ""
            conn = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro{immutable}", uri=True,
                                   timeout=BUSY_TIMEOUT_S, isolation_level=None)
        else:
            conn = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise _store_error(store.path, error) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not store.read_only:
            conn.execute("PRAGMA synchronous = NORMAL")
        yield conn
    except sqlite3.Error as error:
        raise _store_error(store.path, error) from None
    finally:
        conn.close()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front, so the read-check-write inside is atomic."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk): keep its error
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def refuse_if_read_only(store: Store) -> None:
    if store.read_only:
        raise StoreError(f"{store.path}: the store is read-only ({store.read_only}); nothing was changed")


def _q(name: str) -> str:
    """A quoted SQL identifier (columns such as `end` are keywords)."""
    return '"' + name.replace('"', '""') + '"'


def _feature_columns(name: str) -> list[str]:
    """Columns of a stored feature table: doc_id first, then the registry's columns."""
    return ["doc_id", *[c for c in TABLES[name] if c != "doc_id"]]


_DOCUMENT_FIXED = ["doc_id", "file_name", "source", "added_at", "raw", "minhash", "feature_rows",
                   "analysed_by", "revision", "catalog", "near_duplicate_of", "near_duplicate_jaccard"]


def _document_columns() -> list[str]:
    return [*_DOCUMENT_FIXED, *[c for c in TABLES["documents"] if c not in _DOCUMENT_FIXED]]


def _create_schema(conn: sqlite3.Connection) -> None:
    """Tables, indexes and meta rows, created if missing; new schema columns are added to old stores."""
    with transaction(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, file_name TEXT NOT NULL, "
            "source TEXT NOT NULL, added_at TEXT NOT NULL, raw BLOB NOT NULL, minhash BLOB, feature_rows TEXT, "
            "near_duplicate_of TEXT, near_duplicate_jaccard REAL)")
        _ensure_columns(conn, "documents", _document_columns())
        conn.execute("CREATE INDEX IF NOT EXISTS documents_near_duplicate ON documents (near_duplicate_of)")
        for name in FEATURE_TABLES:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {_q(name)} (doc_id TEXT NOT NULL "
                         "REFERENCES documents (doc_id) ON DELETE CASCADE)")
            _ensure_columns(conn, name, _feature_columns(name))
            conn.execute(f"CREATE INDEX IF NOT EXISTS {_q(name + '_doc_id')} ON {_q(name)} (doc_id)")
        conn.execute("CREATE TABLE IF NOT EXISTS corpus_cache (key TEXT NOT NULL, table_name TEXT NOT NULL, "
                     "data BLOB NOT NULL, PRIMARY KEY (key, table_name))")
        for key, value in (("schema_version", SCHEMA_VERSION), ("store_id", uuid.uuid4().hex),
                           ("generation", "0"), ("seeded", "0")):
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))


def _ensure_columns(conn: sqlite3.Connection, table: str, columns: list[str]) -> None:
    existing = {row[1] for row in conn.execute(f"PRAGMA table_info({_q(table)})")}
    for column in columns:
        if column not in existing:
            conn.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {_q(column)}")


def _meta(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (key, value))


def _bump_generation(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    return int(_meta(conn, "generation", "0"))


def open_database(path: Path) -> tuple[Store, bool]:
    """The store at `path` opened: a file that is no sound store refused (StoreError), a store of an older
    schema migrated, one of a newer schema refused, the schema created in a new file. Returns the Store and
    whether the seeds were ever added (analytics.corpus.library.open_store adds them and re-analyses)."""
    store = Store(path, read_only=_check_file(path))
    if store.read_only:
        with connect(store) as conn:
            _check_sound(conn, path)
            version = _meta(conn, "schema_version", "")
        if version != SCHEMA_VERSION:
            raise StoreError(f"{path}: a read-only store of schema {version or '?'}; this CountyLens needs schema "
                             f"{SCHEMA_VERSION} and cannot migrate a store it may not write")
        return store, True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{path}: cannot create the store's folder: {error.strerror}") from None
    with connect(store) as conn:
        if path.stat().st_size:
            _check_sound(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")  # persistent: recorded in the file itself
        _check_schema_version(conn, path)
        _create_schema(conn)
        seeded = _meta(conn, "seeded") == "1"
    return store, seeded


def _check_file(path: Path) -> str:
    """Before SQLite touches it: '' for a writable store (or none yet), the reason it must be served
    read-only, or StoreError for a file that is no store (empty, another kind of file)."""
    if not path.exists():
        if path.parent.exists() and not os.access(path.parent, os.W_OK):
            raise StoreError(f"{path}: no store there, and its folder is not writable")
        return ""
    if not path.is_file():
        raise StoreError(f"{path}: not a file; --store takes the store's file (…/countylens.sqlite)")
    with path.open("rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if not header:
        # never re-created silently: an empty file may be a store that a failed copy truncated
        raise StoreError(f"{path}: an empty file, not a store; remove it to start a new store, "
                         "or restore the store from its backup")
    if header != SQLITE_HEADER:
        raise StoreError(f"{path}: not a CountyLens store (no SQLite header: damaged, or another file); "
                         + _RECOVER_HINT.format(path=path))
    if not os.access(path, os.W_OK):
        return "the store file is not writable"
    if not os.access(path.parent, os.W_OK):
        return "the store's folder is not writable"
    return ""


def _check_sound(conn: sqlite3.Connection, path: Path) -> None:
    """PRAGMA quick_check on open: a damaged store is refused before anything reads or writes it."""
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        lines = [line.strip() for p in problems for line in p.splitlines()]
        found = "; ".join(line for line in lines if line and not line.startswith("***"))[:300]
        raise StoreError(f"{path}: the store is damaged ({found}); " + _RECOVER_HINT.format(path=path))


def _check_schema_version(conn: sqlite3.Connection, path: Path) -> None:
    """Migrate a store of an older schema (its feature tables are rebuilt by re-analysis), refuse a newer."""
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return
    version = _meta(conn, "schema_version", SCHEMA_VERSION)
    if version == SCHEMA_VERSION:
        return
    if version not in MIGRATES_FROM:
        raise StoreError(f"{path}: store schema {version}, this CountyLens reads schema {SCHEMA_VERSION}: "
                         "open it with the CountyLens version that wrote it (its `export` command writes its "
                         "tables), or start a new store: `python -m analytics add FILE... --store NEW.sqlite`")
    with transaction(conn):
        # The features of an old schema are not readable as today's: drop them; every document keeps its
        # bytes and is re-analysed (analysed_by NULL) on this open.
        for name in FEATURE_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {_q(name)}")
        conn.execute("DELETE FROM corpus_cache")
        # columns the registry added since (compat_mapped …): the re-analysis fills them
        _ensure_columns(conn, "documents", ["analysed_by", "catalog", *TABLES["documents"]])
        conn.execute("UPDATE documents SET analysed_by = NULL")
        _set_meta(conn, "schema_version", SCHEMA_VERSION)
        conn.execute("DELETE FROM meta WHERE key = 'dtypes'")
        _bump_generation(conn)


def stale_documents(store: Store) -> list[str]:
    """doc_ids of the documents analysed by other code or data than this process's."""
    with connect(store) as conn:
        return [r[0] for r in conn.execute(
            "SELECT doc_id FROM documents WHERE analysed_by IS NULL OR analysed_by <> ? ORDER BY rowid",
            (analysis_fingerprint(),))]


@dataclass
class Prepared:
    """One analysed document as the store writes it, made where it was analysed (a pool worker): the
    document row and every feature table as plain SQL rows, and the MinHash signature of its text."""

    document: dict
    rows: dict[str, list[tuple]]
    signature: np.ndarray


def prepare(tables: dict[str, pd.DataFrame]) -> Prepared:
    """engine.analyse_documents' tables of one document -> its Prepared rows (picklable, module level)."""
    documents = tables["documents"]
    document = dict(zip(TABLES["documents"], _records(documents, TABLES["documents"])[0]))
    doc_id = document["doc_id"]
    rows = {name: _records(tables[name], _feature_columns(name), {"doc_id": doc_id}) for name in FEATURE_TABLES}
    return Prepared(document, rows, hygiene.text_signature(document["clean_text"]))


def replace_features(conn: sqlite3.Connection, doc_id: str, prepared: Prepared) -> None:
    """A re-analysed document's rows in place of its old ones, and its analysed_by: one transaction."""
    columns = [c for c in TABLES["documents"] if c not in ("doc_id", "file_name", "source")]
    with transaction(conn):
        for name in FEATURE_TABLES:
            conn.execute(f"DELETE FROM {_q(name)} WHERE doc_id = ?", (doc_id,))
        _insert_features(conn, doc_id, prepared)
        conn.execute(f"UPDATE documents SET {', '.join(f'{_q(c)} = ?' for c in columns)}, analysed_by = ?, "
                     "feature_rows = ?, minhash = ?, revision = IFNULL(revision, 0) + 1 WHERE doc_id = ?",
                     (*[prepared.document[c] for c in columns], analysis_fingerprint(),
                      _feature_counts(prepared), hygiene.signature_bytes(prepared.signature), doc_id))
        # a document's rows changed in place: what a process read before is stale even with the same doc_ids
        _set_meta(conn, "revised", str(int(_meta(conn, "revised", "0")) + 1))
        _bump_generation(conn)


def _feature_counts(prepared: Prepared) -> str:
    return json.dumps({name: len(prepared.rows[name]) for name in FEATURE_TABLES})


def _insert_features(conn: sqlite3.Connection, doc_id: str, prepared: Prepared, nth: int | None = None) -> None:
    for name in FEATURE_TABLES:
        columns = _feature_columns(name)
        conn.executemany(f"INSERT INTO {_q(name)} ({', '.join(map(_q, columns))}) "
                         f"VALUES ({', '.join('?' * len(columns))})", prepared.rows[name])
        if nth is not None:
            _pause_hook(name, doc_id, nth)


def mark_seeded(store: Store) -> None:
    """Record that the seeds were added (or must never be: a recovered store), so they are not added again."""
    with connect(store) as conn, transaction(conn):
        _set_meta(conn, "seeded", "1")


def stored_inputs(store: Store, doc_ids: list[str]) -> list[tuple]:
    """(doc_id, file_name, source, raw bytes, catalog JSON) of the given documents, in the order added: what
    re-analysing them needs."""
    with connect(store) as conn:
        return conn.execute(f"SELECT doc_id, file_name, source, raw, catalog FROM documents WHERE doc_id IN "
                            f"({', '.join('?' * len(doc_ids))}) ORDER BY rowid", doc_ids).fetchall()


def stored_file_name(conn: sqlite3.Connection, doc_id: str) -> str | None:
    """The file name a document with this doc_id was stored under, None when it is not stored."""
    row = conn.execute("SELECT file_name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def document_catalog(store: Store, doc_id: str) -> dict:
    """A stored document's catalog fields (given title, date, place, outlet, which of them a user corrected);
    StoreError when there is no such document."""
    with connect(store) as conn:
        row = conn.execute("SELECT catalog FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if row is None:
        raise StoreError(f"no document {doc_id} in {store.path} (文档不存在)")
    return json.loads(row[0]) if row[0] else {}


def save_catalog(store: Store, doc_id: str, fields: dict) -> None:
    """Replace a document's catalog fields (its tables are re-analysed by the caller)."""
    refuse_if_read_only(store)
    with connect(store) as conn, transaction(conn):
        conn.execute("UPDATE documents SET catalog = ? WHERE doc_id = ?",
                     (json.dumps(fields, ensure_ascii=False), doc_id))
        _bump_generation(conn)


def corpus_snapshot(store: Store) -> tuple[dict[str, pd.DataFrame], str, dict[str, bytes], dict[str, bytes]]:
    """From one read snapshot (a concurrent add is either all seen or not): the per-document tables, their
    corpus_key, the corpus-wide tables cached under that key, and — when those are not all there — the blobs
    cached for an earlier corpus (with its STATE_BLOB), from which the engine updates incrementally."""
    with connect(store) as conn:
        conn.execute("BEGIN")
        per_document = per_document_cached(store, conn)
        key = corpus_key(per_document["documents"])
        cached = dict(conn.execute("SELECT table_name, data FROM corpus_cache WHERE key = ?", (key,)).fetchall())
        previous: dict[str, bytes] = {}
        if not set(CORPUS_CACHED) <= set(cached):
            stored: dict[str, dict] = {}
            for other, name, data in conn.execute("SELECT key, table_name, data FROM corpus_cache WHERE key <> ?",
                                                  (key,)):
                stored.setdefault(other, {})[name] = data
            previous = next((tables for tables in stored.values() if STATE_BLOB in tables), {})
        conn.execute("COMMIT")
    return per_document, key, cached, previous


def cached_tables(blobs: dict[str, bytes]) -> dict[str, pd.DataFrame]:
    """The corpus-wide tables of cached blobs, with their registry dtypes."""
    return {name: typed(pd.read_parquet(io.BytesIO(blobs[name])), name) for name in CORPUS_CACHED}


def checkpoint(store: Store) -> None:
    """Fold the write-ahead log into the store file (before the file is moved into place)."""
    with connect(store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def seeds_pending(store: Store) -> bool:
    """Whether the seeds were never added to this (writable) store: `add_seeds` is still to run."""
    if store.read_only:
        return False
    with connect(store) as conn:
        return _meta(conn, "seeded") != "1"


_FINGERPRINTS: dict[str, tuple[tuple, str]] = {}  # store path -> (its files' stat when read, fingerprint)


def _file_state(path: Path) -> tuple:
    """The store file's and its write-ahead log's size and modification time, and the log's header: a commit
    grows the log or, after a checkpoint restarted it, changes its salt (a clock tick may hold two commits)."""
    state: list = []
    for name in (path, Path(f"{path}-wal")):
        try:
            stat = name.stat()
            state.append((stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            state.append(None)
    try:
        with open(f"{path}-wal", "rb") as log:
            state.append(log.read(32))
    except OSError:
        state.append(None)
    return tuple(state)


def store_fingerprint(store: Store) -> str:
    """A cheap value that changes with every write: 'store_id:generation'. Cache the loaded tables on it.
    Read from the store only when its files changed since the last read (every page run of every session
    asks for it; opening the database each time was a tenth of the server's time with twenty sessions)."""
    state = _file_state(store.path)
    known = _FINGERPRINTS.get(str(store.path))
    if known is not None and known[0] == state:
        return known[1]
    with connect(store) as conn:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_id', 'generation')"))
    value = f"{rows.get('store_id', '')}:{rows.get('generation', '0')}"
    _FINGERPRINTS[str(store.path)] = (state, value)
    return value


# A user's setting is kept in `meta` under this prefix, apart from the store's own keys (generation …).
_SETTING_PREFIX = "setting:"


def store_setting(store: Store, key: str) -> str | None:
    """A setting saved with the corpus (save_setting), or None if there is none."""
    with connect(store) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (_SETTING_PREFIX + key,)).fetchone()
    return row[0] if row else None


def save_setting(store: Store, key: str, value: str) -> None:
    """Keep a user's setting (the Themes page's generic-word edits) with the corpus, for every later session.

    A setting changes no table, so the generation stays: no session reloads its corpus for it. A read-only
    store refuses with StoreError, saying why."""
    if store.read_only:
        raise StoreError(f"{store.path}: the store is read-only ({store.read_only}); the setting was not saved")
    with connect(store) as conn, transaction(conn):
        _set_meta(conn, _SETTING_PREFIX + key, value)


# ---------------------------------------------------------------- adding documents


def _pause_hook(stage: str, doc_id: str, nth: int) -> None:
    """The documented test hook (see the module docstring): pause here so a test can kill the process."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    name, _, count = wanted.partition("@")
    if name == stage and nth == int(count or 1):
        print(f"PAUSED {stage} {doc_id}", flush=True)
        time.sleep(600)


def _records(frame: pd.DataFrame, columns: list[str], fill: dict | None = None) -> list[tuple]:
    """Rows as tuples of plain Python values (sqlite3 takes neither numpy scalars nor pd.NA); `fill`
    gives columns one value for every row (a feature row's doc_id)."""
    if frame.empty:
        return []
    fill = fill or {}
    # Column by column through tolist(): 20x faster than astype(object) on a frame of Arrow strings.
    cells = [[fill[c]] * len(frame) if c in fill else
             [_plain(v) for v in frame[c].tolist()] if c in frame else [None] * len(frame) for c in columns]
    return list(zip(*cells))


def _plain(value):
    """NaN and pd.NA -> None (SQL NULL); everything else as it is."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def _originals(conn: sqlite3.Connection) -> tuple[dict, dict]:
    """MinHash signatures of the documents not flagged as reprints, and every document's add order."""
    signatures, order = {}, {}
    for rowid, doc_id, blob, flagged in conn.execute(
            "SELECT rowid, doc_id, minhash, near_duplicate_of FROM documents ORDER BY rowid"):
        order[doc_id] = rowid
        if blob is not None and flagged is None:
            signatures[doc_id] = hygiene.signature_from_bytes(blob)
    return signatures, order


def _refresh_index(conn: sqlite3.Connection, store: Store) -> None:
    """Rebuild the near-duplicate index from the store when another writer changed it since."""
    generation = int(_meta(conn, "generation", "0"))
    if store._index_generation == generation:
        return
    signatures, order = _originals(conn)
    store._signatures, store._order = signatures, order
    store._index = hygiene.build_index(signatures)
    store._index_generation = generation


def store_document(store: Store, conn: sqlite3.Connection, document: dict, raw: bytes, prepared: Prepared,
                    nth: int) -> tuple[str, tuple[str, float] | None] | Duplicate:
    """One document and all its features in one transaction. Returns ('added', near) or a Duplicate."""
    doc_id = document["doc_id"]
    doc_columns = _document_columns()
    with transaction(conn):
        _pause_hook("begin", doc_id, nth)
        existing = conn.execute("SELECT file_name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if existing:  # another writer stored the same bytes since the pre-check
            return Duplicate(document["file_name"], doc_id, existing[0])
        _refresh_index(conn, store)
        signature = prepared.signature
        near = hygiene.find_near_duplicate(store._index, store._signatures, signature, store._order)
        row = dict(prepared.document)
        row.update(doc_id=doc_id, file_name=document["file_name"], source=document["source"],
                   added_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), raw=raw,
                   minhash=hygiene.signature_bytes(signature), analysed_by=analysis_fingerprint(),
                   catalog=json.dumps(document.get("catalog") or {}, ensure_ascii=False),
                   feature_rows=_feature_counts(prepared),
                   near_duplicate_of=near[0] if near else None, near_duplicate_jaccard=near[1] if near else None)
        conn.execute(f"INSERT INTO documents ({', '.join(map(_q, doc_columns))}) "
                     f"VALUES ({', '.join('?' * len(doc_columns))})",
                     [row.get(c) for c in doc_columns])
        _pause_hook("documents", doc_id, nth)
        _insert_features(conn, doc_id, prepared, nth)
        generation = _bump_generation(conn)
        _pause_hook("generation", doc_id, nth)
    _pause_hook("commit", doc_id, nth)
    # Our own commit moved the generation: keep the cached index current instead of rebuilding it.
    store._order[doc_id] = max(store._order.values(), default=0) + 1
    if near is None:
        store._signatures[doc_id] = signature
        hygiene.index_add(store._index, doc_id, signature)
    store._index_generation = generation
    return "added", near


# ---------------------------------------------------------------- removing, listing, loading


def remove_document(store: Store, doc_id: str, force: bool = False) -> dict:
    """Remove one document and all its features (one transaction).

    Seeds are refused unless force=True (StoreError); an unknown doc_id raises StoreError. Documents
    flagged as near-duplicates of the removed one are re-checked against the remaining originals: the
    first of them that matches none becomes an original itself. Output: {'doc_id', 'file_name',
    'reflagged': {doc_id: new original or None}}.
    """
    refuse_if_read_only(store)
    with connect(store) as conn, transaction(conn):
        row = conn.execute("SELECT file_name, source FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise StoreError(f"no document {doc_id!r} in the store (see `python -m analytics list`)")
        file_name, source = row
        if source == "seed" and not force:
            raise StoreError(f"{doc_id} ({file_name}) is a seed document; pass force=True (CLI: --force) "
                             "to remove it")
        affected = [r[0] for r in conn.execute(
            "SELECT doc_id FROM documents WHERE near_duplicate_of = ? ORDER BY rowid", (doc_id,))]
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))  # features go by ON DELETE CASCADE
        reflagged = _reflag(conn, affected)
        _bump_generation(conn)
    store._index_generation = None  # the originals changed: rebuild the index on the next add
    return {"doc_id": doc_id, "file_name": file_name, "reflagged": reflagged}


def _reflag(conn: sqlite3.Connection, affected: list[str]) -> dict[str, str | None]:
    """Re-check documents whose original was removed, in the order they were added."""
    if not affected:
        return {}
    signatures, order = _originals(conn)
    index = hygiene.build_index(signatures)
    out = {}
    for did in affected:
        blob = conn.execute("SELECT minhash FROM documents WHERE doc_id = ?", (did,)).fetchone()[0]
        signature = hygiene.signature_from_bytes(blob)
        near = hygiene.find_near_duplicate(index, signatures, signature, order)
        conn.execute("UPDATE documents SET near_duplicate_of = ?, near_duplicate_jaccard = ? WHERE doc_id = ?",
                     (near[0] if near else None, near[1] if near else None, did))
        if near is None:
            signatures[did] = signature
            hygiene.index_add(index, did, signature)
        out[did] = near[0] if near else None
    return out


def list_documents(store: Store) -> pd.DataFrame:
    """The stored documents in the order they were added: LIST_COLUMNS (no texts, no bytes)."""
    with connect(store) as conn:
        return _with_flags(_select(conn, "documents", LIST_COLUMNS))


def _with_flags(documents: pd.DataFrame) -> pd.DataFrame:
    """near_duplicate_of as text ('' when not flagged) and its Jaccard as float, for simple filtering."""
    return documents.assign(near_duplicate_of=documents["near_duplicate_of"].fillna("").astype("str"),
                            near_duplicate_jaccard=documents["near_duplicate_jaccard"].astype("float64"))


def _select(conn: sqlite3.Connection, table: str, columns: list[str], doc_ids: list[str] | None = None
            ) -> pd.DataFrame:
    """A stored table as a DataFrame in insertion order, typed as the registry says (only the rows of
    `doc_ids` when given)."""
    where, params = "", ()
    if doc_ids is not None:
        where, params = f" WHERE doc_id IN ({', '.join('?' * len(doc_ids))})", tuple(doc_ids)
    cursor = conn.execute(f"SELECT {', '.join(map(_q, columns))} FROM {_q(table)}{where} ORDER BY rowid", params)
    return typed(pd.DataFrame.from_records(cursor.fetchall(), columns=columns), table)


def _read_raw(conn: sqlite3.Connection, doc_ids: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The per-document tables as stored, feature tables with their doc_id column."""
    doc_columns = [*TABLES["documents"], *STORE_DOCUMENT_COLUMNS]
    tables = {"documents": _with_flags(_select(conn, "documents", doc_columns, doc_ids))}
    for name in FEATURE_TABLES:
        # The registry's order; a table without its own doc_id (units) carries it last.
        columns = [*TABLES[name], *([] if "doc_id" in TABLES[name] else ["doc_id"])]
        tables[name] = _select(conn, name, columns, doc_ids)
    return tables


def _copies(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.copy() for name, frame in raw.items()}


def read_per_document(conn: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """Every per-document table as stored (documents without raw bytes and signatures)."""
    return _read_raw(conn)


# Per process: the per-document tables last read from each store, with the generation they were read
# at. A later load reads only the rows of documents added since (features are insert-only and in rowid
# order, re-analysis bumps the generation and is read in full), drops removed documents and refreshes the
# near-duplicate flags (the only column updated in place); any doubt reads everything again.
_PER_DOCUMENT_CACHE: dict[tuple[str, str], dict] = {}
_PER_DOCUMENT_LOCK = threading.Lock()


def per_document_cached(store: Store, conn: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """read_per_document, inside the caller's read transaction, reusing what this process read before."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_id', 'generation', 'revised')"))
    ident = (str(Path(store.path).resolve()), meta.get("store_id", ""))
    generation = meta.get("generation", "0")
    analysed = conn.execute("SELECT COUNT(DISTINCT analysed_by) || ':' || IFNULL(MAX(analysed_by), '') "
                            "FROM documents").fetchone()[0] + ":" + meta.get("revised", "0")
    with _PER_DOCUMENT_LOCK:
        entry = _PER_DOCUMENT_CACHE.get(ident)
    raw = None
    if entry is not None and entry["analysed"] == analysed:
        if entry["generation"] == generation:
            return _copies(entry["raw"])
        raw = _read_changes(conn, entry["raw"])
    if raw is None:
        raw = _read_raw(conn)
    with _PER_DOCUMENT_LOCK:
        _PER_DOCUMENT_CACHE[ident] = {"generation": generation, "analysed": analysed, "raw": raw}
    return _copies(raw)


def _read_changes(conn: sqlite3.Connection, raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """`raw` (tables read earlier) brought up to date: new documents read, removed ones dropped."""
    rows = conn.execute("SELECT doc_id, near_duplicate_of, near_duplicate_jaccard FROM documents "
                        "ORDER BY rowid").fetchall()
    current = [r[0] for r in rows]
    before = raw["documents"]["doc_id"].tolist()
    present = set(current)
    kept = [d for d in before if d in present]
    known = set(before)
    added = [d for d in current if d not in known]
    if kept + added != current:
        return None
    fresh = _read_raw(conn, added) if added else None
    out = {}
    for name, frame in raw.items():
        if len(kept) < len(before):
            frame = frame[frame["doc_id"].isin(present)]
        if fresh is not None and len(fresh[name]):
            frame = pd.concat([frame, fresh[name]], ignore_index=True) if len(frame) else fresh[name]
        out[name] = typed(frame.reset_index(drop=True), name)
    flags = pd.DataFrame(rows, columns=["doc_id", "near_duplicate_of", "near_duplicate_jaccard"]).set_index("doc_id")
    documents = out["documents"]
    documents["near_duplicate_of"] = documents["doc_id"].map(flags["near_duplicate_of"])
    documents["near_duplicate_jaccard"] = documents["doc_id"].map(flags["near_duplicate_jaccard"])
    out["documents"] = _with_flags(documents)
    return out


def corpus_key(documents: pd.DataFrame) -> str:
    """Hash of the analysing code and data and of the doc_ids with their near-duplicate flags and revisions."""
    digest = hashlib.sha256(corpus_fingerprint().encode())
    flags = documents["near_duplicate_of"].fillna("") if len(documents) else []
    revisions = documents["revision"].fillna(0).astype(int) if "revision" in documents else [0] * len(documents)
    for doc_id, flag, revision in sorted(zip(documents["doc_id"], flags, revisions)):
        digest.update(f"{doc_id}:{flag}:{revision}\n".encode())
    return digest.hexdigest()


def _to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


STATE_BLOB = "_state"  # JSON: code fingerprint, documents with flags, each document's units, refit counters
COUNTS_BLOB = "_counts:"  # + level: the LevelCounts of the last load (npz)


def write_cache(store: Store, key: str, corpus: dict[str, pd.DataFrame], counts: dict | None = None,
                state: dict | None = None) -> None:
    """Replace the cached corpus tables; a read-only or busy store only means the next load recomputes them."""
    if store.read_only:
        return
    blobs = [(key, name, _to_parquet(frame)) for name, frame in corpus.items()]
    blobs += [(key, COUNTS_BLOB + level, c.to_bytes()) for level, c in (counts or {}).items()]
    if state is not None:
        blobs.append((key, STATE_BLOB, json.dumps(state, ensure_ascii=False).encode("utf-8")))
    try:
        with connect(store) as conn:
            conn.execute("PRAGMA busy_timeout = 2000")
            with transaction(conn):
                conn.execute("DELETE FROM corpus_cache WHERE key <> ?", (key,))
                conn.executemany("INSERT OR REPLACE INTO corpus_cache (key, table_name, data) VALUES (?, ?, ?)",
                                 blobs)
                if state is not None:
                    _set_meta(conn, "corpus_refit", json.dumps(state.get("refit", {}), sort_keys=True))
    except (sqlite3.OperationalError, StoreError) as error:  # connect turns SQLite's errors into StoreError
        print(f"corpus cache not written: {error}", file=sys.stderr)


def check_store(store: Store) -> list[str]:
    """Integrity problems of a store, [] when sound.

    Checks SQLite's own integrity and foreign keys, that every document has exactly the feature rows
    recorded when it was committed (so no half document), at least one passage, one passage_tokens
    row per passage, and that no feature row lacks its document.
    """
    problems = []
    with connect(store) as conn:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            problems.append(f"integrity_check: {status}")
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} has no {parent} row")
        recorded = {doc_id: json.loads(rows or "{}") for doc_id, rows in
                    conn.execute("SELECT doc_id, feature_rows FROM documents")}
        for name in FEATURE_TABLES:
            counts = dict(conn.execute(f"SELECT doc_id, COUNT(*) FROM {_q(name)} GROUP BY doc_id"))
            for doc_id in set(counts) - set(recorded):
                problems.append(f"{name}: {counts[doc_id]} rows of missing document {doc_id}")
            for doc_id, expected in recorded.items():
                if counts.get(doc_id, 0) != expected.get(name):
                    problems.append(f"{doc_id}: {counts.get(doc_id, 0)} {name} rows, {expected.get(name)} committed")
        for doc_id, n in conn.execute("SELECT d.doc_id, COUNT(p.doc_id) FROM documents d LEFT JOIN passages p "
                                      "ON p.doc_id = d.doc_id GROUP BY d.doc_id HAVING COUNT(p.doc_id) = 0"):
            problems.append(f"{doc_id}: no passages")
    return problems


# ---------------------------------------------------------------- check, backup, recover (a store that may be damaged)

def check_file(path: str | Path) -> list[str]:
    """Every problem of the store file at `path` ([] when sound), without opening it for writing: the file
    itself (empty, no SQLite header), SQLite's full integrity_check, then check_store's own rules."""
    path = Path(path)
    try:
        read_only = _check_file(path)
    except StoreError as error:
        return [str(error)]
    if not path.exists():
        return [f"{path}: no store there"]
    store = Store(path, read_only=read_only or "opened for checking only")
    try:
        with connect(store) as conn:
            status = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if status != ["ok"]:
            return [f"integrity_check: {s}" for s in status]
        return check_store(store)
    except StoreError as error:
        return [str(error)]


def backup_store(path: str | Path, out: str | Path, force: bool = False) -> Path:
    """A consistent copy of the store (SQLite's online backup: safe while the app serves it), written to a
    temporary file and renamed to `out`. Refuses an `out` that is the store or exists without `force`."""
    from analytics.export.outputs import OutputError, check_output, store_files

    source = Path(path)
    target = check_output(Path(out), force, store_files(source))
    tmp = target.with_name(f".{target.name}.tmp")
    store = Store(source, read_only="backup")
    with connect(store) as conn:
        try:
            copy = sqlite3.connect(tmp)
            try:
                conn.backup(copy)
            finally:
                copy.close()
        except sqlite3.Error as error:  # the target's folder not writable, the disk full: say so of the copy
            tmp.unlink(missing_ok=True)
            raise OutputError(f"{out}: not written: {sqlite_reason(error)}") from None
    try:
        tmp.replace(target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{out}: not written: {error.strerror}") from None
    return target


_PROBE_ROWIDS = 1_000_000
_PROBE_GAP = 5_000  # rowids in a row with no document: the table has ended


def _has_documents(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def salvage_rows(path: Path) -> tuple[list[tuple], list[str]]:
    """(file_name, source, raw, catalog) of every document whose row can still be read, and the problems met.

    SQLite's own `.recover` (the sqlite3 shell) rebuilds what it can into a fresh database first; the rows
    are then read one by one, so one unreadable row costs only itself."""
    import shutil
    import subprocess
    import tempfile

    problems: list[str] = []
    readable = path
    scratch = Path(tempfile.mkdtemp(prefix="countylens-recover-"))
    shell = shutil.which("sqlite3")
    if shell:
        rebuilt = scratch / "rebuilt.sqlite"
        dump = subprocess.run([shell, str(path), ".recover"], capture_output=True, timeout=600)
        load = subprocess.run([shell, str(rebuilt)], input=dump.stdout, capture_output=True, timeout=600)
        if load.returncode == 0 and _has_documents(rebuilt):
            readable = rebuilt
        else:  # some builds of the shell lack .recover's extension ("SQL logic error")
            problems.append("SQLite's .recover could not rebuild the file; its rows are read one by one")
    rows: list[tuple] = []
    try:
        conn = sqlite3.connect(f"{readable.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return [], [f"the file cannot be opened at all: {error}"]
    try:
        ids = [r[0] for r in conn.execute("SELECT rowid FROM documents")]
    except sqlite3.Error as error:
        # the table's index pages are damaged: look every plausible rowid up on its own
        problems.append(f"the documents could not be listed ({error}); each row is looked up on its own")
        ids = range(1, _PROBE_ROWIDS + 1)
    missed = 0
    for rowid in ids:
        try:
            row = conn.execute("SELECT file_name, source, raw, catalog FROM documents WHERE rowid = ?",
                               (rowid,)).fetchone()
        except sqlite3.Error as error:
            problems.append(f"document row {rowid}: {error}")
            continue
        if row and row[2] is not None:
            rows.append((row[0], row[1], bytes(row[2]), row[3]))
            missed = 0
        elif isinstance(ids, range):
            missed += 1
            if missed > _PROBE_GAP:
                break
    conn.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return rows, problems


