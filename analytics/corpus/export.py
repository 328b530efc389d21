"""A corpus -> its tables as files; document folders -> a corpus -> files (`build`).

`build` is "put these documents into a corpus and export its tables": the documents go through the
same store (a temporary one, or the one named) and so the same engine, error isolation and
near-duplicate hygiene as an upload in the dashboard; the files written are the tables the dashboard
shows. An unchanged input (same files, catalogs and analysing code) is served from the output folder.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import paths
from analytics.corpus.fingerprint import analysis_fingerprint
from analytics.pipeline.ingest import Rejection, document_paths
from analytics.registry import ALL_TABLES, REPORT_KEYS

# The store, the engine and the corpus (1.2-1.4 s to import with the stages they pull in) are imported
# where a build runs: an unchanged input is served from out_dir without them.

MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    tables: dict[str, pd.DataFrame]
    rejections: list[Rejection] = field(default_factory=list)
    cached: bool = False
    seconds: float = 0.0
    out_dir: Path | None = None


def export_tables(corpus, out_dir: Path, csv: bool = False) -> dict[str, int]:
    """Every table of the corpus (evidence: every document; documents carry near_duplicate_of) as
    Parquet (and CSV, UTF-8 with BOM for Excel) under out_dir, clean texts under out_dir/clean/.
    Returns rows per table. Files are written to a temporary name and renamed into place."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = corpus.evidence
    for name in ALL_TABLES:
        _replace(out_dir / f"{name}.parquet", lambda tmp, n=name: tables[n].to_parquet(tmp, index=False))
        if csv:
            _replace(out_dir / f"{name}.csv",
                     lambda tmp, n=name: tables[n].to_csv(tmp, index=False, encoding="utf-8-sig"))
    clean_dir = out_dir / "clean"
    clean_dir.mkdir(exist_ok=True)
    for doc in tables["documents"].itertuples():
        (clean_dir / f"{doc.doc_id}.txt").write_text(doc.clean_text, encoding="utf-8")
    return {name: int(len(tables[name])) for name in ALL_TABLES}


def _replace(target: Path, write) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    write(tmp)
    tmp.replace(target)


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(Path(out_dir) / f"{name}.parquet") for name in ALL_TABLES}


def input_fingerprint(files: list[Path]) -> str:
    """The analysing code and data, and every input file with its folder's catalog."""
    digest = hashlib.sha256(analysis_fingerprint().encode())
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
        catalog = path.parent / "catalog.csv"
        if catalog.exists():
            digest.update(catalog.read_bytes())
    return digest.hexdigest()


def add_folders(store, doc_dirs: list[Path]) -> list[Rejection]:
    """Every document of the folders into the store, each folder with its catalog.csv; rejections."""
    from analytics.corpus.store import add_files
    from analytics.pipeline.catalog import read_catalog

    rejections = []
    for directory in doc_dirs:
        source = "seed" if Path(directory).resolve() == paths.SEEDS_DIR.resolve() else "folder"
        files = [(p.name, p.read_bytes()) for p in document_paths(Path(directory))]
        result = add_files(store, files, source=source, catalog=read_catalog(Path(directory)))
        rejections += result.rejected
    return rejections


def build(doc_dirs: list[Path], out_dir: Path, csv: bool = False, force: bool = False,
          store_path: Path | None = None) -> BuildResult:
    """The documents of the folders into a corpus (a temporary store, or `store_path`), its tables
    into out_dir; an unchanged input is served from out_dir's previous build."""
    started = time.perf_counter()
    doc_dirs = [Path(d) for d in doc_dirs]
    out_dir = Path(out_dir)
    fingerprint = input_fingerprint([p for d in doc_dirs for p in document_paths(d)])
    manifest_path = out_dir / MANIFEST
    if not force and store_path is None and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("fingerprint") == fingerprint and manifest.get("csv", False) >= csv:
            rejections = [Rejection(**r) for r in manifest.get("rejections", [])]
            return BuildResult(read_tables(out_dir), rejections, True, time.perf_counter() - started, out_dir)
    from analytics.corpus.corpus import load_corpus
    from analytics.corpus.store import open_store

    with tempfile.TemporaryDirectory(prefix="countylens-build-") as scratch:
        store = open_store(store_path or Path(scratch) / "build.sqlite", seed=False)
        rejections = add_folders(store, doc_dirs)
        corpus = load_corpus(store)
    export_tables(corpus, out_dir, csv)
    report = build_report(corpus.evidence, rejections)
    (out_dir / "build_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    manifest = {"fingerprint": fingerprint, "csv": csv,
                "rejections": [{"file_name": r.file_name, "reason": r.reason} for r in rejections]}
    _replace(manifest_path, lambda tmp: tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"))
    return BuildResult(corpus.evidence, rejections, False, time.perf_counter() - started, out_dir)


def build_report(tables: dict[str, pd.DataFrame], rejections: list[Rejection]) -> dict:
    """What was built: row counts, cleaning fixes per document, rejected files."""
    documents = tables["documents"]
    return {
        "rows": {name: int(len(tables[name])) for name in ALL_TABLES},
        "cleaning": documents[["doc_id", "file_name", *REPORT_KEYS]].to_dict(orient="records"),
        "rejected": [{"file_name": r.file_name, "reason": r.reason} for r in rejections],
    }
