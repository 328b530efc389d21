"""A corpus -> its tables as files; document folders -> a corpus -> files (`build`).

`build` is "put these documents into a corpus and export its tables": the documents go through the
same store (a temporary one, or the one named) and so the same engine, error isolation and
near-duplicate hygiene as an upload in the dashboard; the files written are the tables the dashboard
shows. An unchanged input (same files, catalogs and analysing code) is served from the output folder.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import paths
from analytics.corpus.fingerprint import corpus_fingerprint
from analytics.export.outputs import OutputError, store_files
from analytics.pipeline.ingest import IngestError, Rejection, document_paths, read_file
from analytics.registry import ALL_TABLES, REPORT_KEYS

# The store, the engine and the corpus (1.2-1.4 s to import with the stages they pull in) are imported
# where a build runs: an unchanged input is served from out_dir without them.

MANIFEST = "manifest.json"
WRITER = "countylens"  # the manifest's mark that a folder holds CountyLens's own output


@dataclass
class BuildResult:
    tables: dict[str, pd.DataFrame]
    rejections: list[Rejection] = field(default_factory=list)
    cached: bool = False
    seconds: float = 0.0
    out_dir: Path | None = None


def output_files(csv: bool) -> list[str]:
    """The files an export writes into its folder (besides clean/<doc_id>.txt)."""
    return [f"{name}.{ext}" for name in ALL_TABLES for ext in (("parquet", "csv") if csv else ("parquet",))] + \
        ["build_report.json", MANIFEST]


def check_out_dir(out_dir: Path, csv: bool, force: bool = False, protected: set[Path] | None = None) -> Path:
    """The output folder of an export or a build, or OutputError: a store file or any other file as the
    folder; a folder holding files of the names it would write that CountyLens did not write (a user's own
    figures.csv), unless `force`. A folder of an earlier export or build (its manifest says so) is updated."""
    target = Path(out_dir).expanduser()
    if target.resolve() in (protected or set()):
        raise OutputError(f"{out_dir}: this is the corpus store (or one of its files); choose another --out folder")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{out_dir}: is a file, not a folder; choose a folder for the tables")
    ours = _written_by_us(target / MANIFEST)
    clashes = [name for name in output_files(csv) if (target / name).exists()]
    if clashes and not ours and not force:
        raise OutputError(f"{out_dir}: already holds {clashes[0]}"
                          f"{f' and {len(clashes) - 1} more' if len(clashes) > 1 else ''}, not written by "
                          "CountyLens; choose another folder or add --force to replace them")
    return target


def _written_by_us(manifest: Path) -> bool:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("written_by") == WRITER
    except (OSError, ValueError, AttributeError):
        return False


def export_tables(corpus, out_dir: Path, csv: bool = False, force: bool = False,
                  protected: set[Path] | None = None) -> dict[str, int]:
    """Every table of the corpus (evidence: every document; documents carry near_duplicate_of) as
    Parquet (and CSV, UTF-8 with BOM for Excel, cells that would start a formula neutralised) under out_dir,
    clean texts under out_dir/clean/. Returns rows per table. The folder is checked first (check_out_dir);
    each file is written to a temporary name beside it and renamed into place; a file that cannot be
    written (a full disk) leaves no temporary behind and raises OutputError naming it."""
    from analytics.export.files import table_to_csv

    out_dir = check_out_dir(out_dir, csv, force, protected)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "clean").mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot write here: {error.strerror}") from None
    tables = corpus.evidence
    for name in ALL_TABLES:
        _replace(out_dir / f"{name}.parquet", lambda tmp, n=name: tables[n].to_parquet(tmp, index=False))
        if csv:
            _replace(out_dir / f"{name}.csv", lambda tmp, n=name: tmp.write_bytes(table_to_csv(tables[n])))
    for doc in tables["documents"].itertuples():
        _replace(out_dir / "clean" / f"{doc.doc_id}.txt",
                 lambda tmp, d=doc: tmp.write_text(d.clean_text, encoding="utf-8"))
    write_manifest(out_dir, {"csv": csv})
    return {name: int(len(tables[name])) for name in ALL_TABLES}


def write_manifest(out_dir: Path, fields: dict) -> None:
    manifest = {"written_by": WRITER, **fields}
    _replace(Path(out_dir) / MANIFEST,
             lambda tmp: tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"))


def _replace(target: Path, write) -> None:
    """Write through a temporary file beside `target`, renamed over it; OutputError naming the file when it
    cannot be written (the temporary file removed)."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        write(tmp)
        tmp.replace(target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror
        raise OutputError(f"{target}: not written: {reason}") from None


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(Path(out_dir) / f"{name}.parquet") for name in ALL_TABLES}


def input_fingerprint(files: list[Path]) -> str:
    """The analysing code and data, and every input file with its folder's catalog."""
    digest = hashlib.sha256(corpus_fingerprint().encode())
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
        catalog = path.parent / "catalog.csv"
        if catalog.exists():
            digest.update(catalog.read_bytes())
    return digest.hexdigest()


def add_folders(store, doc_dirs: list[Path], limits=None) -> list[Rejection]:
    """Every document of the folders into the store, each folder with its catalog.csv; rejections. `limits`
    (analytics.corpus.isolation.Limits) as for add_files: a document that hangs or eats memory is refused in
    its worker, never stalling the build."""
    from analytics.corpus.library import add_files
    from analytics.pipeline.catalog import read_catalog

    rejections = []
    for directory in doc_dirs:
        source = "seed" if Path(directory).resolve() == paths.SEEDS_DIR.resolve() else "folder"
        files = []
        for path in document_paths(Path(directory)):
            try:
                files.append((path.name, read_file(path)))  # bounded: a FIFO or a 3 GB file is refused unread
            except IngestError as error:
                rejections.append(Rejection(error.file_name, error.reason))
        result = add_files(store, files, source=source, catalog=read_catalog(Path(directory)), limits=limits)
        rejections += result.rejected
    return rejections


def build_limits():
    """The limits of a build: an upload's, with a worker per core (nobody else is served meanwhile)."""
    from analytics.corpus.isolation import Limits

    return Limits(workers=os.cpu_count() or 1)


def build(doc_dirs: list[Path], out_dir: Path, csv: bool = False, force: bool = False,
          store_path: Path | None = None, limits="default") -> BuildResult:
    """The documents of the folders into a corpus (a temporary store, or `store_path`), its tables
    into out_dir (checked before anything is read: check_out_dir); an unchanged input is served from
    out_dir's previous build. `force` rebuilds and replaces files CountyLens did not write. `limits`: each
    document read and analysed in a worker with a time and memory limit (build_limits); None reads in this
    process with the engine's pool (trusted input)."""
    started = time.perf_counter()
    doc_dirs = [Path(d) for d in doc_dirs]
    out_dir = check_out_dir(out_dir, csv, force, store_files(store_path))
    fingerprint = input_fingerprint([p for d in doc_dirs for p in document_paths(d)])
    manifest_path = out_dir / MANIFEST
    if not force and store_path is None and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("fingerprint") == fingerprint and manifest.get("csv", False) >= csv:
            rejections = [Rejection(**r) for r in manifest.get("rejections", [])]
            return BuildResult(read_tables(out_dir), rejections, True, time.perf_counter() - started, out_dir)
    from analytics.corpus.corpus import load_corpus
    from analytics.corpus.library import open_store

    with tempfile.TemporaryDirectory(prefix="countylens-build-") as scratch:
        store = open_store(store_path or Path(scratch) / "build.sqlite", seed=False)
        rejections = add_folders(store, doc_dirs, build_limits() if limits == "default" else limits)
        corpus = load_corpus(store)
    export_tables(corpus, out_dir, csv, force=True)  # the folder was checked before the build
    report = build_report(corpus.evidence, rejections)
    _replace(out_dir / "build_report.json",
             lambda tmp: tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"))
    write_manifest(out_dir, {"fingerprint": fingerprint, "csv": csv,
                             "rejections": [{"file_name": r.file_name, "reason": r.reason} for r in rejections]})
    return BuildResult(corpus.evidence, rejections, False, time.perf_counter() - started, out_dir)


def build_report(tables: dict[str, pd.DataFrame], rejections: list[Rejection]) -> dict:
    """What was built: row counts, cleaning fixes per document, rejected files."""
    documents = tables["documents"]
    return {
        "rows": {name: int(len(tables[name])) for name in ALL_TABLES},
        "cleaning": documents[["doc_id", "file_name", *REPORT_KEYS]].to_dict(orient="records"),
        "rejected": [{"file_name": r.file_name, "reason": r.reason} for r in rejections],
    }
