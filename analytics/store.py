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
  catalog fields and the cleaning report of `analytics.schema.TABLES['documents']`, `near_duplicate_of`
  (doc_id of the original, or NULL) with its estimated Jaccard, the MinHash signature, and
  `feature_rows` (JSON: rows written per feature table — lets `check_store` prove completeness).
* the per-document feature tables of `analytics.build.PER_DOCUMENT` — units, passages, passage_tokens,
  figures, industries, assets — each a plain SQL table with a `doc_id` column that references
  documents (ON DELETE CASCADE), indexed on doc_id. Rows, not one Parquet blob per document and table:
  adding a document is a handful of `executemany` inserts, removing one is one DELETE, loading 3,000
  documents is one sequential scan per table instead of 18,000 blob decodes, and the store stays
  readable with the `sqlite3` shell. SQLite types are dynamic, so each column's pandas dtype is recorded
  in `meta` when written and restored on load (bool, Int64 with missing years …).
* `corpus_cache` — the corpus-wide tables (merged units, themes, similarity, distinctive terms) as
  Parquet blobs, keyed by `corpus_key`: a hash of the code and data files and of the set of doc_ids with
  their near-duplicate flags. An unchanged corpus loads without recomputing them.
* `meta` — store id, schema version, a generation counter bumped by every write (`store_fingerprint`),
  whether the seeds were added, the recorded dtypes.

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
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from analytics import hygiene, paths
from analytics.ingest import IngestError, Rejection, read_document, safe_file_name
from analytics.schema import TABLES

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
    from analytics.build import columns_of

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
    from analytics.catalog import read_catalog
    from analytics.ingest import document_paths

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
    from analytics.build import document_tables

    try:
        return document_tables(pd.DataFrame([document]))
    except Exception as error:  # a stage failing on one odd text must not cost the other files
        return f"could not be analysed: {type(error).__name__}: {error} (分析失败)"


def _describe(tables: dict[str, pd.DataFrame], catalog: pd.DataFrame | None) -> pd.DataFrame:
    """The document row with title, outlet, date and place (catalog first, then read off the text)."""
    from analytics.build import _fill_place  # the build's rule for a place no catalog names
    from analytics.catalog import describe_documents

    described = describe_documents(tables["documents"], catalog)
    return _fill_place(described, tables["passages"])


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


def _refresh_index(conn: sqlite3.Connection, store: Store) -> None:
    """Rebuild the near-duplicate index from the store when another writer changed it since."""
    generation = int(_meta(conn, "generation", "0"))
    if store._index_generation == generation:
        return
    signatures, order = {}, {}
    for rowid, doc_id, blob, flagged in conn.execute(
            "SELECT rowid, doc_id, minhash, near_duplicate_of FROM documents ORDER BY rowid"):
        order[doc_id] = rowid
        if blob is not None and flagged is None:
            signatures[doc_id] = hygiene.signature_from_bytes(blob)
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

    Each file is read by `analytics.ingest.read_document` (names reduced to a safe base name), exact
    duplicates (same doc_id, in the store or earlier in this batch) are reported and skipped, and only
    the new documents go through `analytics.build.document_tables`. A near-duplicate is stored with
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
    signatures, order = {}, {}
    for rowid, did, blob, flagged in conn.execute(
            "SELECT rowid, doc_id, minhash, near_duplicate_of FROM documents ORDER BY rowid"):
        order[did] = rowid
        if blob is not None and flagged is None:
            signatures[did] = hygiene.signature_from_bytes(blob)
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


def _select(conn: sqlite3.Connection, table: str, columns: list[str], dtypes: dict) -> pd.DataFrame:
    """A stored table as a DataFrame in insertion order, its recorded dtypes restored."""
    cursor = conn.execute(f"SELECT {', '.join(map(_q, columns))} FROM {_q(table)} ORDER BY rowid")
    frame = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    for column, dtype in dtypes.get(table, {}).items():
        if column in frame and str(frame[column].dtype) != dtype:
            try:
                frame[column] = frame[column].astype(dtype)
            except (TypeError, ValueError):  # a NULL in an int column: keep what pandas inferred
                pass
    return frame


def read_per_document(conn: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """Every per-document table as stored (documents without raw bytes and signatures)."""
    from analytics.build import columns_of

    dtypes = json.loads(_meta(conn, "dtypes", "{}"))
    doc_columns = [*TABLES["documents"], *STORE_DOCUMENT_COLUMNS]
    tables = {"documents": _with_flags(_select(conn, "documents", doc_columns, dtypes))}
    for name in FEATURE_TABLES:
        frame = _select(conn, name, _feature_columns(name), dtypes)
        tables[name] = frame[columns_of(name)]  # units carry doc_id only in the store
    return tables


def corpus_key(documents: pd.DataFrame) -> str:
    """Hash of the code and data files and of the doc_ids with their near-duplicate flags."""
    import hashlib

    from analytics.build import code_and_data_fingerprint

    digest = hashlib.sha256(code_and_data_fingerprint().encode())
    flags = documents["near_duplicate_of"].fillna("") if len(documents) else []
    for doc_id, flag in sorted(zip(documents["doc_id"], flags)):
        digest.update(f"{doc_id}:{flag}\n".encode())
    return digest.hexdigest()


def _to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def load_tables(store: Store) -> dict[str, pd.DataFrame]:
    """Every table of the stored corpus, as `analytics.build.build` returns them for a folder.

    Per-document tables are concatenated in the order documents were added (documents also carry
    source, added_at, near_duplicate_of, near_duplicate_jaccard); units are merged across documents;
    themes, similarity and distinctive terms are computed without the near-duplicates' passages (see
    analytics.hygiene) and cached in the store under `corpus_key`, so an unchanged corpus loads them
    without recomputing. All tables come from one read snapshot, even while a writer adds documents.
    """
    from analytics.build import corpus_tables

    with _connect(store) as conn:
        conn.execute("BEGIN")  # one snapshot for every table: a concurrent add is either all seen or not
        per_document = read_per_document(conn)
        key = corpus_key(per_document["documents"])
        cached = dict(conn.execute("SELECT table_name, data FROM corpus_cache WHERE key = ?", (key,)).fetchall())
        conn.execute("COMMIT")
    if set(CORPUS_CACHED) <= set(cached):
        corpus = {name: pd.read_parquet(io.BytesIO(cached[name])) for name in CORPUS_CACHED}
        return {**per_document, **corpus}
    computed = corpus_tables(hygiene.corpus_statistics_input(per_document))
    corpus = {name: computed[name] for name in CORPUS_CACHED}
    _write_cache(store, key, corpus)
    return {**per_document, **corpus}


def _write_cache(store: Store, key: str, corpus: dict[str, pd.DataFrame]) -> None:
    """Replace the cached corpus tables; a busy store only means the next load recomputes them."""
    blobs = [(key, name, _to_parquet(frame)) for name, frame in corpus.items()]
    try:
        with _connect(store) as conn:
            conn.execute("PRAGMA busy_timeout = 2000")
            with _write(conn):
                conn.execute("DELETE FROM corpus_cache WHERE key <> ?", (key,))
                conn.executemany("INSERT OR REPLACE INTO corpus_cache (key, table_name, data) VALUES (?, ?, ?)",
                                 blobs)
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
