"""Library operations: documents in, documents out — bytes -> ingest -> engine -> the store.

Adding files (read here for trusted input, in bounded worker processes for uploads: analytics.corpus.isolation),
re-analysing stored documents whose analysing code or data changed or whose catalog a user corrected, opening
a store with the seeds, loading every table (the corpus-wide ones from the store's cache or computed by the
engine, incrementally), and recovering a damaged store into a new one. What is written and how is
analytics.corpus.store's; nothing here speaks SQL.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import paths
from analytics.corpus import engine
from analytics.corpus.errors import StoreError
from analytics.corpus.isolation import analyse_isolated
from analytics.corpus.store import (CORPUS_CACHED, COUNTS_BLOB, STATE_BLOB, Duplicate, NearDuplicate, Prepared, Store,
                                    cached_tables, checkpoint, connect, corpus_snapshot, document_catalog,
                                    mark_seeded, open_database, prepare, refuse_if_read_only, replace_features,
                                    salvage_rows, save_catalog, sqlite_reason, stale_documents, store_document,
                                    stored_file_name, stored_inputs, write_cache)
from analytics.pipeline.catalog import iso_date, read_catalog
from analytics.pipeline.ingest import (DOCUMENT_COLUMNS, IngestError, Rejection, document_id, document_paths,
                                       expand_archives, read_document, safe_file_name)


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)


def open_store(path: str | Path | None = None, seed: bool = True,
               progress: Callable[[int, int, str], None] | None = None, reanalyse: bool = True) -> Store:
    """Open (or create) the store at `path` (default: analytics.paths.default_store()).

    Creates the schema and, on first open, adds the documents of seeds/ with source 'seed' and the
    seeds' catalog. Seeding is recorded once it finished: a seed removed later is not added back, and a
    seeding that was interrupted resumes (already stored seeds count as duplicates). `seed=False`
    gives an empty store (tests, the build command). A store of an older schema is migrated; one of a
    newer schema is refused (StoreError). Documents analysed by other code or data than this
    process's (`fingerprint.analysis_fingerprint`) are re-analysed from their stored bytes, reporting
    `progress(done, total, file_name)`; `reanalyse=False` leaves that to the caller (the dashboard does
    it with a progress bar: `stale_documents`, `reanalyse_stale`). Output: a Store for the functions below.
    """
    store, seeded = open_database(Path(path or paths.default_store()))
    if store.read_only:
        return store
    if reanalyse:
        reanalyse_stale(store, progress)
    if seed and not seeded:
        add_seeds(store)
    return store


def reanalyse_stale(store: Store, progress: Callable[[int, int, str], None] | None = None,
                    limits=None) -> list[str]:
    """Re-analyse every stale document from its stored bytes (each in its own transaction). Returns the
    doc_ids re-analysed; a document that no longer analyses keeps its old rows and is reported on stderr.
    A read-only store is served as it is (nothing re-analysed). `limits` as for add_files: the server
    re-analyses in a worker, so a stored document that now takes too long never stalls it."""
    if store.read_only:
        return []
    return reanalyse(store, stale_documents(store), progress, limits)


def reanalyse(store: Store, doc_ids: list[str], progress: Callable[[int, int, str], None] | None = None,
              limits=None) -> list[str]:
    """Re-analyse the given documents from their stored bytes and catalog fields; see reanalyse_stale."""
    done: list[str] = []
    for start in range(0, len(doc_ids), 200):  # bounded memory: raw bytes of 200 documents at a time
        chunk = doc_ids[start:start + 200]
        rows = stored_inputs(store, chunk)
        catalog = _catalog_frame({name: json.loads(fields) for _, name, _, _, fields in rows if fields})
        with connect(store) as conn:
            for doc_id, name, prepared in _reanalysed(rows, catalog, limits):
                if isinstance(prepared, str):
                    print(f"{name}: not re-analysed: {prepared}", file=sys.stderr)
                    continue
                replace_features(conn, doc_id, prepared)
                done.append(doc_id)
                if progress:
                    progress(len(done), len(doc_ids), name)
    return done


def _reanalysed(rows: list[tuple], catalog: pd.DataFrame | None, limits) -> Iterator[tuple[str, str, Prepared | str]]:
    """(doc_id, file_name, Prepared or the reason it failed) of stored rows (doc_id, file_name, source, raw,
    catalog), read and analysed here or, with `limits`, in a worker (analytics.corpus.isolation)."""
    if limits is not None:
        items = [(index, name, bytes(raw), source) for index, (_, name, source, raw, _) in enumerate(rows)]
        for outcome in analyse_isolated(items, catalog, limits):
            doc_id = rows[outcome.index][0]
            yield doc_id, rows[outcome.index][1], outcome.prepared if outcome.prepared is not None else outcome.reason
        return
    documents = []
    for doc_id, name, source, raw, _ in rows:
        try:
            documents.append(read_document(name, bytes(raw), source))
        except IngestError as error:
            yield doc_id, name, error.reason
    frame = pd.DataFrame(documents, columns=DOCUMENT_COLUMNS)
    for document, prepared in zip(documents, engine.analyse_many(frame, catalog, finish=prepare)):
        yield document["doc_id"], document["file_name"], prepared


CORRECTABLE = ("title", "date", "place", "outlet")


def correct_document(store: Store, doc_id: str, corrections: dict[str, str], limits=None) -> None:
    """Set a document's catalog fields (CORRECTABLE: a user's title, date, place or outlet; '' clears one)
    and re-analyse it with them; kept with the document, so every later re-analysis keeps them too.
    Raises StoreError for a read-only store or an unknown doc_id, ValueError for an unknown field."""
    refuse_if_read_only(store)
    if not corrections:
        return
    unknown = set(corrections) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"not a correctable field: {', '.join(sorted(unknown))}")
    fields = document_catalog(store, doc_id)
    corrected = set(filter(None, fields.get("corrected", "").split(",")))
    for name, value in corrections.items():
        value = " ".join(str(value).split())
        if name == "date" and value:
            value = iso_date(value)
            if not value:
                raise ValueError(f"not a date: {corrections[name]!r} (write it as 2024-08-06)")
        if value:
            fields[name] = value
            corrected.add(name)
        else:
            fields.pop(name, None)
            corrected.discard(name)
    fields["corrected"] = ",".join(sorted(corrected))  # what the Library marks as the user's
    save_catalog(store, doc_id, fields)
    if not reanalyse(store, [doc_id], limits=limits):
        raise StoreError(f"{doc_id}: the corrected document could not be analysed again (重新分析失败)")


def _catalog_frame(catalogs: dict[str, dict]) -> pd.DataFrame | None:
    """{file_name: {field: value}} -> a catalog table indexed by file_name (None when all are empty)."""
    rows = {name: fields for name, fields in catalogs.items() if fields}
    if not rows:
        return None
    return pd.DataFrame.from_dict(rows, orient="index").fillna("").rename_axis("file_name")


def add_seeds(store: Store, progress: Callable[[int, int, str], None] | None = None) -> AddResult:
    """Add the seed documents (source 'seed', catalog fields from seeds/catalog.csv) and record it;
    `progress(done, total, file_name)` per document, as for add_files."""
    files = [(p.name, p.read_bytes()) for p in document_paths(paths.SEEDS_DIR)]
    result = add_files(store, files, progress=progress, source="seed", catalog=read_catalog(paths.SEEDS_DIR))
    mark_seeded(store)
    return result


def _analysed(pending: list[tuple[dict, bytes]], catalog: pd.DataFrame | None) -> Iterator[Prepared | str]:
    """Each pending document analysed and prepared for writing, in order (the engine's batches; a pool
    for large uploads, where the rows and signatures are made too)."""
    columns = DOCUMENT_COLUMNS
    documents = pd.DataFrame([{c: doc[c] for c in columns} for doc, _ in pending], columns=columns)
    yield from engine.analyse_many(documents, catalog, finish=prepare)


def _read_here(files, source, catalog, duplicate, result, tick) -> Iterator:
    """Trusted input (seeds, a recovery, a benchmark): read in this process, analysed by the engine's pool."""
    pending: list[tuple[dict, bytes]] = []
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
        if not duplicate(document["doc_id"], document["file_name"]):
            pending.append((document, bytes(data)))
    yield from zip(pending, _analysed(pending, catalog))


def _read_isolated(files, source, catalog, duplicate, result, tick, limits, cancelled, page=None) -> Iterator:
    """Uploads: exact duplicates found from the bytes here, everything else read and analysed in a worker
    process with `limits` (analytics.corpus.isolation); `page(name, page, pages)` as a PDF's pages are read."""
    items, raws = [], {}
    for index, (name, data) in enumerate(files):
        data = bytes(data)
        if data and duplicate(document_id(data), safe_file_name(str(name))):
            continue
        items.append((index, str(name), data, source))
        raws[index] = data
    names = {index: name for index, name, _, _ in items}
    on_page = (lambda index, done, pages: page(names[index], done, pages)) if page else None
    for outcome in analyse_isolated(items, catalog, limits, cancelled or (lambda: False), on_page):
        if outcome.prepared is None:
            result.rejected.append(Rejection(outcome.file_name, outcome.reason))
            tick(outcome.file_name)
            continue
        yield (outcome.document, raws[outcome.index]), outcome.prepared


def add_files(store: Store, files: list[tuple[str, bytes]], progress: Callable[[int, int, str], None] | None = None,
              source: str = "upload", catalog: pd.DataFrame | None = None, limits=None,
              cancelled: Callable[[], bool] | None = None) -> AddResult:
    """Add files (name, bytes) to the store; each is stored with all its features, or not at all.

    A .zip gives the documents inside it (ingest.expand_archives). Each file is read by
    `analytics.pipeline.ingest.read_document` (names reduced to a safe base name), exact
    duplicates (same doc_id, in the store or earlier in this batch) are reported and skipped, and only
    the new documents go through `analytics.corpus.engine.document_tables`. A near-duplicate is stored with
    `near_duplicate_of` set. `progress(done, total, file_name)` is called once per file, in order of
    completion. `catalog` (indexed by file_name) supplies title/place/outlet/date, as for the seeds.
    Output: AddResult(added doc_ids, rejected [Rejection], duplicates, near_duplicates). Never raises
    for a bad file: every file ends in exactly one of the four lists; a read-only store raises StoreError.
    `limits` (analytics.corpus.isolation.Limits): read and analyse in a worker process with a time and a
    memory limit per file, stopped when `cancelled()` turns true — for uploads, which may be hostile.
    """
    refuse_if_read_only(store)
    files, unpacked = expand_archives(files)  # a .zip gives its documents; what it cannot give is refused here
    result, total, done = AddResult(), len(files) + len(unpacked), 0

    def tick(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, name)

    for rejection in unpacked:
        result.rejected.append(rejection)
        tick(rejection.file_name)

    seen: dict[str, str] = {}
    with connect(store) as conn:

        def duplicate(doc_id: str, file_name: str) -> bool:
            stored = stored_file_name(conn, doc_id)
            if stored or doc_id in seen:
                result.duplicates.append(Duplicate(file_name, doc_id, stored or seen[doc_id]))
                tick(file_name)
                return True
            seen[doc_id] = file_name
            return False

        if limits is None:
            analysed = _read_here(files, source, catalog, duplicate, result, tick)
        else:
            def page(name: str, number: int, pages: int) -> None:  # a long PDF or scan shows its pages
                if progress:
                    progress(done, total, f"{safe_file_name(name)} · {number}/{pages}")

            analysed = _read_isolated(files, source, catalog, duplicate, result, tick, limits, cancelled, page)
        for nth, ((document, raw), prepared) in enumerate(analysed, start=1):
            name = document["file_name"]
            if isinstance(prepared, str):
                result.rejected.append(Rejection(name, prepared))
                tick(name)
                continue
            try:
                document["catalog"] = _catalog_fields(catalog, name)
                outcome = store_document(store, conn, document, raw, prepared, nth)
            except sqlite3.Error as error:  # disk full, lock timeout: this file is not stored, say why
                store._index_generation = None
                result.rejected.append(Rejection(name, f"could not be stored: {sqlite_reason(error)} (存储失败)"))
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


def _catalog_fields(catalog: pd.DataFrame | None, file_name: str) -> dict[str, str]:
    """The catalog row given for a file (kept with the document, so a re-analysis keeps it)."""
    if catalog is None or file_name not in catalog.index:
        return {}
    row = catalog.loc[file_name]
    row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
    return {k: str(v) for k, v in row.items() if isinstance(v, str) and v}


def load_tables(store: Store) -> dict[str, pd.DataFrame]:
    """Every table of the stored corpus: the per-document tables of every document (in the order they
    were added; documents also carry source, added_at, analysed_by, near_duplicate_of/_jaccard) and the
    corpus-wide tables of `engine.corpus_tables`, cached in the store under `corpus_key` so an unchanged
    corpus loads without recomputing them, and refreshed incrementally from the cached state of the
    previous corpus after a change. All tables come from one read snapshot, even while a writer adds.
    """
    per_document, key, cached, previous = corpus_snapshot(store)
    if set(CORPUS_CACHED) <= set(cached):
        return {**per_document, **cached_tables(cached)}
    result = engine.corpus_tables(per_document, _previous_state(previous))
    write_cache(store, key, result.tables, result.counts, result.state)
    return {**per_document, **result.tables}


def _previous_state(blobs: dict[str, bytes]) -> engine.CorpusState | None:
    """The cached result of an earlier corpus, as the engine's incremental update takes it."""
    from analytics.analysis.similarity import LevelCounts  # 2.3 s (scikit-learn): only when a corpus changed

    if not blobs or not set(CORPUS_CACHED) | {STATE_BLOB} <= set(blobs):
        return None
    counts = {name[len(COUNTS_BLOB):]: LevelCounts.from_bytes(data) for name, data in blobs.items()
              if name.startswith(COUNTS_BLOB)}
    return engine.CorpusState(cached_tables(blobs), counts, json.loads(blobs[STATE_BLOB]))


def recover_store(path: str | Path, out: str | Path, force: bool = False) -> tuple[AddResult, list[str]]:
    """A new store at `out` holding every document of the damaged store at `path` that can still be read,
    each re-analysed from its stored bytes (so no feature row of the damaged file is trusted). The damaged
    file is never written. Returns (what was added, the problems met)."""
    from analytics.export.outputs import STORE_SIDE_FILES, check_output, store_files

    source = Path(path)
    target = check_output(Path(out), force, store_files(source))
    rows, problems = salvage_rows(source)
    tmp = target.with_name(f".{target.name}.recovering")
    for side in STORE_SIDE_FILES:
        Path(str(tmp) + side).unlink(missing_ok=True)
    new = open_store(tmp, seed=False)
    result = AddResult()
    catalogs = {name: json.loads(catalog) for name, _, _, catalog in rows if catalog}
    catalog = _catalog_frame(catalogs) if catalogs else None
    for source_name in dict.fromkeys(r[1] for r in rows):
        chosen = [(name, raw) for name, src, raw, _ in rows if src == source_name]
        part = add_files(new, chosen, source=source_name, catalog=catalog)
        for field_name in ("added", "rejected", "duplicates", "near_duplicates"):
            getattr(result, field_name).extend(getattr(part, field_name))
    mark_seeded(new)  # never re-seed a recovered store
    checkpoint(new)
    for side in STORE_SIDE_FILES[1:]:
        Path(str(tmp) + side).unlink(missing_ok=True)
    tmp.replace(target)
    return result, problems
