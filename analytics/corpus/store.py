"""Files -> the user's corpus in an embedded database -> every table the dashboard shows.

Why SQLite (stdlib `sqlite3`) and not Parquet folders, DuckDB or a server:
* it ships with Python — nothing to install, nothing to run;
* writes are transactions: a document goes in with all its features in one `BEGIN IMMEDIATE … COMMIT`,
  or not at all, even if the process is killed half way (the journal is rolled back on the next open);
* WAL mode lets the dashboard read a consistent snapshot while a writer adds documents, and readers never
  block the writer (a Parquet folder would need our own locking and rename tricks for the same);
* the whole corpus is one file under `data/store/` (plus its `-wal`/`-shm` companions while open), easy
  to back up, copy or delete. `synchronous=NORMAL` in WAL mode keeps every commit through a process
  crash; only a power cut can lose the last commits, never corrupt the file.

Layout (one row is what the table is named for):
* `documents` — one stored document: doc_id (content hash, primary key), file_name (the safe base name),
  source ('seed' | 'upload' | 'folder'), added_at (UTC ISO time), the raw bytes, the clean text, the
  catalog fields and the cleaning report of `analytics.corpus.registry.TABLES['documents']`, `near_duplicate_of`
  (doc_id of the original, or NULL) with its estimated Jaccard, the MinHash signature, and
  `feature_rows` (JSON: rows written per feature table — lets `check_store` prove completeness).
* the per-document feature tables of `analytics.corpus.engine.PER_DOCUMENT` — units, passages, passage_tokens,
  figures, industries, assets — each a plain SQL table with a `doc_id` column that references
  documents (ON DELETE CASCADE), indexed on doc_id. Rows, not one Parquet blob per document and table:
  adding a document is a handful of `executemany` inserts, removing one is one DELETE, loading 3,000
  documents is one sequential scan per table instead of 18,000 blob decodes, and the store stays
  readable with the `sqlite3` shell. SQLite types are dynamic, so each column's pandas dtype is recorded
  in `meta` when written and restored on load (bool, Int64 with missing years …).
* `corpus_cache` — the corpus-wide tables (merged units, themes, similarity, distinctive terms) as
  Parquet blobs, keyed by `corpus_key`: a hash of the code and data files and of the set of doc_ids with
  their near-duplicate flags. An unchanged corpus loads without recomputing them.
* `corpus_cache` also keeps, under the same key, what an update needs: `_counts:unit` and
  `_counts:document` (the term counts of `analytics.analysis.similarity.LevelCounts`, npz) and `_state` (JSON:
  the code fingerprint, each document's near-duplicate flag and units, the refit counters).
* `meta` — store id, schema version, a generation counter bumped by every write (`store_fingerprint`),
  whether the seeds were added, the recorded dtypes, `corpus_refit` (per similarity level: keys at the
  last full fit of its pair table and keys changed since).

Corpus-wide tables after a change (`load_tables`). When the cached tables belong to another set of
documents (same code), only what the added/removed documents (or changed near-duplicate flags) touch
is recomputed; the affected units are those the changed documents mention:
* merged units and themes are per unit: the affected units' rows are recomputed, the others reused —
  exact;
* term counts per unit and per document (`LevelCounts`) are recounted for the affected keys only and
  merged into the sorted vocabulary — exactly the counts a full fit gives, so the TF-IDF rows (idf
  included) are exact too;
* distinctive terms: the pooled prior changes a little with every document, so they are recomputed for
  every unit (vectorised, ~0.1 s at N = 3,000) — exact, no drift;
* similarity (top-k rows, above `similarity.ALL_PAIRS_UP_TO` keys): the affected rows are recomputed
  against all rows (exact); another row's list only takes in an affected key whose cosine beats its
  k-th, and is recomputed itself when it held an affected key that left or lost cosine. The other rows'
  cosines keep the idf of when they were computed (the drift of one document in N is ~1/N in idf);
  when more than REFIT_SHARE (10 %) of a level's keys changed since its last full fit, the level's pair
  table is recomputed in full (exact again) and the counter, recorded in meta `corpus_refit`, resets.
  Small corpora (every pair kept) are always recomputed in full.
Other code or data (another code fingerprint), missing counts or a level that had < 2 keys: everything
is recomputed. Within one process the per-document tables are also read incrementally
(`_per_document_cached`): only the rows of documents added since the last load are read.

Test hook: with the environment variable `COUNTYLENS_STORE_TEST_PAUSE=STAGE[@N]`, the process prints
`PAUSED STAGE doc_id` on stdout and sleeps inside the N-th document transaction (default 1) after
STAGE — 'begin', 'documents', a feature table name, 'generation' — or after the commit ('commit').
tests/test_store.py kills it there with SIGKILL to prove that no half document survives.
"""
from __future__ import annotations

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
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from analytics.pipeline import hygiene
from analytics import paths
from analytics.pipeline.ingest import IngestError, Rejection, read_document, safe_file_name
from analytics.corpus.registry import TABLES

DEFAULT_STORE = paths.DATA_DIR / "store" / "countylens.sqlite"
SCHEMA_VERSION = "1"
FEATURE_TABLES = ["units", "passages", "passage_tokens", "figures", "industries", "assets"]
CORPUS_CACHED = ["units", "themes", "similarity", "distinctive_terms"]
STORE_DOCUMENT_COLUMNS = ["added_at", "near_duplicate_of", "near_duplicate_jaccard"]
LIST_COLUMNS = ["doc_id", "file_name", "title", "place", "source", "format", "encoding", "script", "n_chars",
                "added_at", "near_duplicate_of", "near_duplicate_jaccard"]
PAUSE_ENV = "COUNTYLENS_STORE_TEST_PAUSE"
POOL_FROM = 40  # below this many new documents a process pool costs more than it saves
BUSY_TIMEOUT_S = 30.0  # a second writer waits this long for the first one's transaction


class StoreError(ValueError):
    """A store operation refused (unknown document, seed removal without force); str() is the message."""


@dataclass
class Store:
    """An open store: its file, and the near-duplicate index cached for the generation it was built at."""

    path: Path
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


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)


# ---------------------------------------------------------------- connection and schema


@contextmanager
def _connect(store: Store) -> Iterator[sqlite3.Connection]:
    """A short-lived connection: one per operation keeps the Store usable from Streamlit's threads."""
    conn = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        yield conn
    finally:
        conn.close()


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front, so the read-check-write inside is atomic."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _q(name: str) -> str:
    """A quoted SQL identifier (columns such as `end` are keywords)."""
    return '"' + name.replace('"', '""') + '"'


def _feature_columns(name: str) -> list[str]:
    """Columns of a stored feature table: doc_id first, then the table's own columns."""
    from analytics.corpus.engine import columns_of

    return ["doc_id", *[c for c in columns_of(name) if c != "doc_id"]]


_DOCUMENT_FIXED = ["doc_id", "file_name", "source", "added_at", "raw", "minhash", "feature_rows",
                   "near_duplicate_of", "near_duplicate_jaccard"]


def _document_columns() -> list[str]:
    return [*_DOCUMENT_FIXED, *[c for c in TABLES["documents"] if c not in _DOCUMENT_FIXED]]


def _create_schema(conn: sqlite3.Connection) -> None:
    """Tables, indexes and meta rows, created if missing; new schema columns are added to old stores."""
    with _write(conn):
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
                           ("generation", "0"), ("seeded", "0"), ("dtypes", "{}")):
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


def open_store(path: str | Path | None = None, seed: bool = True) -> Store:
    """Open (or create) the store at `path` (default data/store/countylens.sqlite).

    Creates the schema and, on first open, adds the documents of seeds/ with source 'seed' and the
    seeds' catalog. Seeding is recorded once it finished: a seed removed later is not added back, and a
    seeding that was interrupted resumes (already stored seeds count as duplicates). `seed=False`
    gives an empty store (tests). Output: a Store for the functions below.
    """
    path = Path(path or DEFAULT_STORE)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    with _connect(store) as conn:
        conn.execute("PRAGMA journal_mode = WAL")  # persistent: recorded in the file itself
        _create_schema(conn)
        seeded = _meta(conn, "seeded") == "1"
    if seed and not seeded:
        add_seeds(store)
    return store


def add_seeds(store: Store) -> AddResult:
    """Add the seed documents (source 'seed', catalog fields from seeds/catalog.csv) and record it."""
    from analytics.pipeline.catalog import read_catalog
    from analytics.pipeline.ingest import document_paths

    files = [(p.name, p.read_bytes()) for p in document_paths(paths.SEEDS_DIR)]
    result = add_files(store, files, source="seed", catalog=read_catalog(paths.SEEDS_DIR))
    with _connect(store) as conn, _write(conn):
        _set_meta(conn, "seeded", "1")
    return result


def store_fingerprint(store: Store) -> str:
    """A cheap value that changes with every write: 'store_id:generation'. Cache the loaded tables on it."""
    with _connect(store) as conn:
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_id', 'generation')"))
    return f"{rows.get('store_id', '')}:{rows.get('generation', '0')}"


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


def _document_features(document: dict) -> dict[str, pd.DataFrame] | str:
    """All per-document tables of one ingested document, or the error message (picklable for a pool)."""
    from analytics.corpus.engine import document_tables

    try:
        return document_tables(pd.DataFrame([document]))
    except Exception as error:  # a stage failing on one odd text must not cost the other files
        return f"could not be analysed: {type(error).__name__}: {error} (分析失败)"


def _describe(tables: dict[str, pd.DataFrame], catalog: pd.DataFrame | None) -> pd.DataFrame:
    """The document row with title, outlet, date and place (catalog first, then read off the text)."""
    from analytics.corpus.engine import fill_place  # the build's rule for a place no catalog names
    from analytics.pipeline.catalog import describe_documents

    described = describe_documents(tables["documents"], catalog)
    return fill_place(described, tables["passages"])


def _records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows as tuples of plain Python values (sqlite3 takes neither numpy scalars nor pd.NA)."""
    if frame.empty:
        return []
    values = frame.reindex(columns=columns).astype(object)
    values = values.where(values.notna(), None)
    return [tuple(row) for row in values.itertuples(index=False, name=None)]


def _record_dtypes(conn: sqlite3.Connection, tables: dict[str, pd.DataFrame]) -> None:
    """Remember each column's pandas dtype, so load_tables restores bool and Int64 columns."""
    recorded = json.loads(_meta(conn, "dtypes", "{}"))
    changed = False
    for name, frame in tables.items():
        if frame.empty:
            continue  # an empty frame's dtypes are placeholders (object), not the real ones
        known = recorded.setdefault(name, {})
        for column, dtype in frame.dtypes.astype(str).items():
            if known.get(column) != dtype:
                known[column], changed = dtype, True
    if changed:
        _set_meta(conn, "dtypes", json.dumps(recorded, sort_keys=True))


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


def _store_document(store: Store, conn: sqlite3.Connection, document: dict, raw: bytes,
                    tables: dict[str, pd.DataFrame], signature: np.ndarray, nth: int
                    ) -> tuple[str, tuple[str, float] | None] | Duplicate:
    """One document and all its features in one transaction. Returns ('added', near) or a Duplicate."""
    doc_id = document["doc_id"]
    doc_columns = _document_columns()
    with _write(conn):
        _pause_hook("begin", doc_id, nth)
        existing = conn.execute("SELECT file_name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if existing:  # another writer stored the same bytes since the pre-check
            return Duplicate(document["file_name"], doc_id, existing[0])
        _refresh_index(conn, store)
        near = hygiene.find_near_duplicate(store._index, store._signatures, signature, store._order)
        row = tables["documents"].iloc[0].to_dict()
        row.update(doc_id=doc_id, file_name=document["file_name"], source=document["source"],
                   added_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), raw=raw,
                   minhash=hygiene.signature_bytes(signature),
                   feature_rows=json.dumps({name: int(len(tables[name])) for name in FEATURE_TABLES}),
                   near_duplicate_of=near[0] if near else None, near_duplicate_jaccard=near[1] if near else None)
        conn.execute(f"INSERT INTO documents ({', '.join(map(_q, doc_columns))}) "
                     f"VALUES ({', '.join('?' * len(doc_columns))})",
                     _records(pd.DataFrame([row]), doc_columns)[0])
        _pause_hook("documents", doc_id, nth)
        for name in FEATURE_TABLES:
            columns = _feature_columns(name)
            frame = tables[name].assign(doc_id=doc_id)
            conn.executemany(f"INSERT INTO {_q(name)} ({', '.join(map(_q, columns))}) "
                             f"VALUES ({', '.join('?' * len(columns))})", _records(frame, columns))
            _pause_hook(name, doc_id, nth)
        _record_dtypes(conn, {"documents": tables["documents"], **{n: tables[n] for n in FEATURE_TABLES}})
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


def _analysed(pending: list[tuple[dict, bytes]]) -> Iterator[dict[str, pd.DataFrame] | str]:
    """Features of each pending document in order; a process pool for large uploads."""
    documents = [doc for doc, _ in pending]
    if len(documents) < POOL_FROM or (os.cpu_count() or 1) < 2:
        for doc in documents:
            yield _document_features(doc)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 8)) as pool:
        yield from pool.map(_document_features, documents, chunksize=4)


def add_files(store: Store, files: list[tuple[str, bytes]], progress: Callable[[int, int, str], None] | None = None,
              source: str = "upload", catalog: pd.DataFrame | None = None) -> AddResult:
    """Add files (name, bytes) to the store; each is stored with all its features, or not at all.

    Each file is read by `analytics.pipeline.ingest.read_document` (names reduced to a safe base name), exact
    duplicates (same doc_id, in the store or earlier in this batch) are reported and skipped, and only
    the new documents go through `analytics.corpus.engine.document_tables`. A near-duplicate is stored with
    `near_duplicate_of` set. `progress(done, total, file_name)` is called once per file, in order of
    completion. `catalog` (indexed by file_name) supplies title/place/outlet/date, as for the seeds.
    Output: AddResult(added doc_ids, rejected [Rejection], duplicates, near_duplicates). Never raises
    for a bad file: every file ends in exactly one of the four lists.
    """
    result, total, done = AddResult(), len(files), 0

    def tick(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, name)

    pending: list[tuple[dict, bytes]] = []
    seen: dict[str, str] = {}
    with _connect(store) as conn:
        for name, data in files:
            try:
                document = read_document(str(name), bytes(data), source)
            except IngestError as error:
                result.rejected.append(Rejection(error.file_name, error.reason))
                tick(error.file_name)
                continue
            except Exception as error:  # parsers (pypdf, python-docx, lexbor) raise many kinds on hostile bytes
                safe = safe_file_name(str(name))
                result.rejected.append(Rejection(safe, f"could not be read: {type(error).__name__} (无法读取)"))
                tick(safe)
                continue
            doc_id = document["doc_id"]
            stored = conn.execute("SELECT file_name FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            if stored or doc_id in seen:
                result.duplicates.append(Duplicate(document["file_name"], doc_id, stored[0] if stored else seen[doc_id]))
                tick(document["file_name"])
                continue
            seen[doc_id] = document["file_name"]
            pending.append((document, bytes(data)))

        for nth, ((document, raw), tables) in enumerate(zip(pending, _analysed(pending)), start=1):
            name = document["file_name"]
            if isinstance(tables, str):
                result.rejected.append(Rejection(name, tables))
                tick(name)
                continue
            try:
                tables = {**tables, "documents": _describe(tables, catalog)}
                signature = hygiene.text_signature(tables["documents"]["clean_text"].iloc[0])
                outcome = _store_document(store, conn, document, raw, tables, signature, nth)
            except sqlite3.Error as error:  # disk full, lock timeout: this file is not stored, say why
                store._index_generation = None
                result.rejected.append(Rejection(name, f"could not be stored: {error} (存储失败)"))
                tick(name)
                continue
            except Exception as error:  # an odd document breaking a describe step must not stop the batch
                store._index_generation = None
                result.rejected.append(Rejection(name, f"could not be analysed: {type(error).__name__}: {error} (分析失败)"))
                tick(name)
                continue
            if isinstance(outcome, Duplicate):
                result.duplicates.append(outcome)
            else:
                result.added.append(document["doc_id"])
                near = outcome[1]
                if near:
                    result.near_duplicates.append(NearDuplicate(name, document["doc_id"], near[0], near[1]))
            tick(name)
    return result


# ---------------------------------------------------------------- removing, listing, loading


def remove_document(store: Store, doc_id: str, force: bool = False) -> dict:
    """Remove one document and all its features (one transaction).

    Seeds are refused unless force=True (StoreError); an unknown doc_id raises StoreError. Documents
    flagged as near-duplicates of the removed one are re-checked against the remaining originals: the
    first of them that matches none becomes an original itself. Output: {'doc_id', 'file_name',
    'reflagged': {doc_id: new original or None}}.
    """
    with _connect(store) as conn, _write(conn):
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
    with _connect(store) as conn:
        return _with_flags(_select(conn, "documents", LIST_COLUMNS, json.loads(_meta(conn, "dtypes", "{}"))))


def _with_flags(documents: pd.DataFrame) -> pd.DataFrame:
    """near_duplicate_of as text ('' when not flagged) and its Jaccard as float, for simple filtering."""
    return documents.assign(near_duplicate_of=documents["near_duplicate_of"].fillna("").astype("str"),
                            near_duplicate_jaccard=documents["near_duplicate_jaccard"].astype("float64"))


def _select(conn: sqlite3.Connection, table: str, columns: list[str], dtypes: dict,
            doc_ids: list[str] | None = None) -> pd.DataFrame:
    """A stored table as a DataFrame in insertion order, its recorded dtypes restored (only the rows of
    `doc_ids` when given)."""
    where, params = "", ()
    if doc_ids is not None:
        where, params = f" WHERE doc_id IN ({', '.join('?' * len(doc_ids))})", tuple(doc_ids)
    cursor = conn.execute(f"SELECT {', '.join(map(_q, columns))} FROM {_q(table)}{where} ORDER BY rowid", params)
    frame = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    return _restore_dtypes(frame, table, dtypes)


def _restore_dtypes(frame: pd.DataFrame, table: str, dtypes: dict) -> pd.DataFrame:
    for column, dtype in dtypes.get(table, {}).items():
        if column in frame and str(frame[column].dtype) != dtype:
            try:
                frame[column] = frame[column].astype(dtype)
            except (TypeError, ValueError):  # a NULL in an int column: keep what pandas inferred
                pass
    return frame


def _read_raw(conn: sqlite3.Connection, dtypes: dict, doc_ids: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The per-document tables as stored, feature tables with their doc_id column."""
    doc_columns = [*TABLES["documents"], *STORE_DOCUMENT_COLUMNS]
    tables = {"documents": _with_flags(_select(conn, "documents", doc_columns, dtypes, doc_ids))}
    for name in FEATURE_TABLES:
        tables[name] = _select(conn, name, _feature_columns(name), dtypes, doc_ids)
    return tables


def _project(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Stored tables -> the build's columns (units carry doc_id only in the store); copies."""
    from analytics.corpus.engine import columns_of

    out = {"documents": raw["documents"].copy()}
    for name in FEATURE_TABLES:
        out[name] = raw[name][columns_of(name)].copy()
    return out


def read_per_document(conn: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """Every per-document table as stored (documents without raw bytes and signatures)."""
    return _project(_read_raw(conn, json.loads(_meta(conn, "dtypes", "{}"))))


# Per process: the per-document tables last read from each store, with the generation they were read
# at. A later load reads only the rows of documents added since (features are insert-only and in rowid
# order), drops removed documents and refreshes the near-duplicate flags (the only column updated in
# place); any doubt (other dtypes, another order) reads everything again.
_PER_DOCUMENT_CACHE: dict[tuple[str, str], dict] = {}
_PER_DOCUMENT_LOCK = threading.Lock()


def _per_document_cached(store: Store, conn: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """read_per_document, inside the caller's read transaction, reusing what this process read before."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_id', 'generation', 'dtypes')"))
    ident = (str(Path(store.path).resolve()), meta.get("store_id", ""))
    generation, dtypes_text = meta.get("generation", "0"), meta.get("dtypes", "{}")
    dtypes = json.loads(dtypes_text)
    with _PER_DOCUMENT_LOCK:
        entry = _PER_DOCUMENT_CACHE.get(ident)
    if entry is not None and entry["dtypes"] == dtypes_text:
        if entry["generation"] == generation:
            return _project(entry["raw"])
        raw = _read_changes(conn, entry["raw"], dtypes)
    else:
        raw = None
    if raw is None:
        raw = _read_raw(conn, dtypes)
    with _PER_DOCUMENT_LOCK:
        _PER_DOCUMENT_CACHE[ident] = {"generation": generation, "dtypes": dtypes_text, "raw": raw}
    return _project(raw)


def _read_changes(conn: sqlite3.Connection, raw: dict[str, pd.DataFrame], dtypes: dict
                  ) -> dict[str, pd.DataFrame] | None:
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
    fresh = _read_raw(conn, dtypes, added) if added else None
    out = {}
    for name, frame in raw.items():
        if len(kept) < len(before):
            frame = frame[frame["doc_id"].isin(present)]
        if fresh is not None and len(fresh[name]):
            frame = pd.concat([frame, fresh[name]], ignore_index=True) if len(frame) else fresh[name]
        out[name] = _restore_dtypes(frame.reset_index(drop=True), name, dtypes)
    flags = pd.DataFrame(rows, columns=["doc_id", "near_duplicate_of", "near_duplicate_jaccard"]).set_index("doc_id")
    documents = out["documents"]
    documents["near_duplicate_of"] = documents["doc_id"].map(flags["near_duplicate_of"])
    documents["near_duplicate_jaccard"] = documents["doc_id"].map(flags["near_duplicate_jaccard"])
    out["documents"] = _with_flags(documents)
    return out


def corpus_key(documents: pd.DataFrame, code: str | None = None) -> str:
    """Hash of the code and data files (`code`, computed if None) and of the doc_ids with their flags."""
    import hashlib

    from analytics.corpus.engine import code_and_data_fingerprint

    digest = hashlib.sha256((code or code_and_data_fingerprint()).encode())
    flags = documents["near_duplicate_of"].fillna("") if len(documents) else []
    for doc_id, flag in sorted(zip(documents["doc_id"], flags)):
        digest.update(f"{doc_id}:{flag}\n".encode())
    return digest.hexdigest()


def _to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


_STATE = "_state"  # JSON: code fingerprint, documents with flags, each document's units, refit counters
_COUNTS = "_counts:"  # + level: the LevelCounts of the last load (npz)
REFIT_SHARE = 0.10  # refit a level's pair table in full once this share of its keys changed since the last


def load_tables(store: Store) -> dict[str, pd.DataFrame]:
    """Every table of the stored corpus, as `analytics.corpus.engine.build` returns them for a folder.

    Per-document tables are concatenated in the order documents were added (documents also carry
    source, added_at, near_duplicate_of, near_duplicate_jaccard); units are merged across documents;
    themes, similarity and distinctive terms are computed without the near-duplicates' passages (see
    analytics.pipeline.hygiene) and cached in the store under `corpus_key`, so an unchanged corpus loads without
    recomputing them. After documents were added or removed, the cached tables of the previous corpus
    are refreshed incrementally (`_refresh`, see the section "Corpus-wide tables after a change" of
    the module docstring). All tables come from one read snapshot, even while a writer adds documents.
    """
    from analytics.corpus.engine import code_and_data_fingerprint

    code = code_and_data_fingerprint()
    with _connect(store) as conn:
        conn.execute("BEGIN")  # one snapshot for every table: a concurrent add is either all seen or not
        per_document = _per_document_cached(store, conn)
        key = corpus_key(per_document["documents"], code)
        cached = dict(conn.execute("SELECT table_name, data FROM corpus_cache WHERE key = ?", (key,)).fetchall())
        previous = {}
        if not set(CORPUS_CACHED) <= set(cached):
            stored: dict[str, dict] = {}
            for other, name, data in conn.execute("SELECT key, table_name, data FROM corpus_cache WHERE key <> ?",
                                                  (key,)):
                stored.setdefault(other, {})[name] = data
            previous = next((tables for tables in stored.values() if _STATE in tables), {})
            doc_units = conn.execute("SELECT DISTINCT doc_id, unit FROM units").fetchall()
        conn.execute("COMMIT")
    if set(CORPUS_CACHED) <= set(cached):
        corpus = {name: pd.read_parquet(io.BytesIO(cached[name])) for name in CORPUS_CACHED}
        return {**per_document, **corpus}
    units_of: dict[str, list[str]] = {}
    for doc_id, unit in doc_units:
        units_of.setdefault(doc_id, []).append(unit)
    documents = per_document["documents"]
    state = {"code": code, "docs": dict(zip(documents["doc_id"], documents["near_duplicate_of"].fillna(""))),
             "units_of": units_of}
    statistics = hygiene.corpus_statistics_input(per_document)
    corpus, counts = None, {}
    if previous and set(CORPUS_CACHED) | {_STATE} <= set(previous):
        corpus, counts = _refresh(per_document, statistics, previous, state)
    if corpus is None:
        corpus, counts = _full(statistics, state)
    _write_cache(store, key, corpus, counts, state)
    return {**per_document, **corpus}


def _full(statistics: dict[str, pd.DataFrame], state: dict) -> tuple[dict, dict]:
    """Every corpus-wide table from scratch (build.corpus_tables), the level counts kept for updates."""
    from analytics.corpus.engine import corpus_tables

    counts: dict = {}
    computed = corpus_tables(statistics, counts=counts)
    state["refit"] = {level: {"keys_at_fit": len(c.keys), "changed": 0} for level, c in counts.items()}
    return {name: computed[name] for name in CORPUS_CACHED}, counts


def _replace_rows(previous: pd.DataFrame, fresh: pd.DataFrame, affected: set[str], by: str) -> pd.DataFrame:
    """previous without the rows of `affected` values of `by`, plus `fresh`, in `by` order (stable)."""
    kept = previous[~previous[by].astype(str).isin(affected)]
    table = pd.concat([kept, fresh], ignore_index=True) if len(fresh) else kept.reset_index(drop=True)
    return table.sort_values(by, kind="stable", ignore_index=True)


def _refresh(per_document: dict[str, pd.DataFrame], statistics: dict[str, pd.DataFrame], previous: dict,
             state: dict) -> tuple[dict | None, dict]:
    """The corpus-wide tables of the previous corpus updated for the documents added or removed since.

    Returns (None, {}) when an update cannot be made (other code, missing level counts): then the
    caller recomputes everything.
    """
    from analytics.corpus.engine import merge_units
    from analytics.analysis.similarity import LEVELS, LevelCounts, _pairs, unit_distinctive, update_counts, update_pairs
    from analytics.features.themes import theme_shares

    old = json.loads(previous[_STATE])
    if old.get("code") != state["code"]:
        return None, {}
    old_docs, new_docs = old["docs"], state["docs"]
    changed = set(old_docs) ^ set(new_docs)
    changed |= {d for d in set(old_docs) & set(new_docs) if bool(old_docs[d]) != bool(new_docs[d])}
    affected_units = {u for d in changed for u in [*old["units_of"].get(d, []), *state["units_of"].get(d, [])]}
    levels = {"unit": affected_units, "document": changed}
    old_counts = {}
    for level in old.get("refit", {}):
        blob = previous.get(_COUNTS + level)
        if blob is None:
            return None, {}
        old_counts[level] = LevelCounts.from_bytes(blob)
    tables = {name: pd.read_parquet(io.BytesIO(previous[name])) for name in ("units", "themes", "similarity")}
    corpus = {}
    units = per_document["units"]
    corpus["units"] = _replace_rows(tables["units"], merge_units(units[units["unit"].isin(affected_units)]),
                                    affected_units, "unit")
    passages = statistics["passages"]
    corpus["themes"] = _replace_rows(tables["themes"],
                                     theme_shares(passages[passages["unit"].isin(affected_units)]),
                                     affected_units, "unit")
    tokens = statistics["passage_tokens"]
    counts, frames, refit = {}, [], {}
    for level, column in LEVELS.items():
        if tokens[column].nunique() < 2:
            continue
        if level not in old_counts:
            return None, {}  # a level that had fewer than two keys: simplest to start over
        counts[level] = update_counts(old_counts[level], tokens, {str(k) for k in levels[level]})
        record = dict(old["refit"][level])
        record["changed"] += len(levels[level])
        matrix = counts[level].tfidf()
        level_table = tables["similarity"][tables["similarity"]["level"] == level]
        if record["changed"] > REFIT_SHARE * max(record["keys_at_fit"], 1):
            frames.append(_pairs(level, counts[level].keys, matrix))
            record = {"keys_at_fit": len(counts[level].keys), "changed": 0}
        else:
            table, recomputed = update_pairs(level, counts[level].keys, matrix, level_table,
                                             {str(k) for k in levels[level]})
            frames.append(table)
            if recomputed == len(counts[level].keys):  # a small corpus: every pair recomputed, exact
                record = {"keys_at_fit": len(counts[level].keys), "changed": 0}
        refit[level] = record
    state["refit"] = refit
    corpus["similarity"] = (pd.concat(frames, ignore_index=True) if frames
                            else pd.DataFrame(columns=["level", "a", "b", "cosine"]))
    corpus["distinctive_terms"] = (unit_distinctive(counts["unit"]) if "unit" in counts
                                   else pd.DataFrame(columns=["unit", "term", "score", "count"]))
    return corpus, counts


def _write_cache(store: Store, key: str, corpus: dict[str, pd.DataFrame], counts: dict | None = None,
                 state: dict | None = None) -> None:
    """Replace the cached corpus tables; a busy store only means the next load recomputes them."""
    blobs = [(key, name, _to_parquet(frame)) for name, frame in corpus.items()]
    blobs += [(key, _COUNTS + level, c.to_bytes()) for level, c in (counts or {}).items()]
    if state is not None:
        blobs.append((key, _STATE, json.dumps(state, ensure_ascii=False).encode("utf-8")))
    try:
        with _connect(store) as conn:
            conn.execute("PRAGMA busy_timeout = 2000")
            with _write(conn):
                conn.execute("DELETE FROM corpus_cache WHERE key <> ?", (key,))
                conn.executemany("INSERT OR REPLACE INTO corpus_cache (key, table_name, data) VALUES (?, ?, ?)",
                                 blobs)
                if state is not None:
                    _set_meta(conn, "corpus_refit", json.dumps(state.get("refit", {}), sort_keys=True))
    except sqlite3.OperationalError as error:
        print(f"corpus cache not written: {error}", file=sys.stderr)


def check_store(store: Store) -> list[str]:
    """Integrity problems of a store, [] when sound.

    Checks SQLite's own integrity and foreign keys, that every document has exactly the feature rows
    recorded when it was committed (so no half document), at least one passage, one passage_tokens
    row per passage, and that no feature row lacks its document.
    """
    problems = []
    with _connect(store) as conn:
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
