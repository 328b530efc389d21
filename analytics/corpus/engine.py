"""The order of the stages: files -> documents -> clean text -> units/passages -> tokens -> features.

`document_tables` runs every per-document stage for a batch of documents (in a process pool when the
batch is large); `corpus_tables` adds what needs the whole corpus (merged units, themes, similarity,
distinctive terms). `build` wires both to files, and serves an unchanged input from its cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import paths
from analytics.pipeline.catalog import describe_documents, read_catalog
from analytics.pipeline.ingest import Rejection, document_paths, load_documents
from analytics.corpus.registry import TABLES
from analytics.pipeline.tokens import PASSAGE_TOKEN_COLUMNS  # cheap: the segmenter loads on first use

# The other stages (and scikit-learn, scipy, OpenCC behind them) are imported where they run: an
# unchanged input is served from the cache without paying 1-2 s of imports (`python -m analytics build`).

PER_DOCUMENT = ["documents", "units", "passages", "passage_tokens", "figures", "industries", "assets"]
CORPUS_WIDE = ["themes", "similarity", "distinctive_terms"]
ALL_TABLES = [*PER_DOCUMENT, *CORPUS_WIDE]
REPORT_KEYS = ["pinyin_removed", "chars_converted", "garbled_repaired", "garbled_flagged",
               "boilerplate_lines", "punct_normalized"]
POOL_FROM = 40  # below this many documents a process pool costs more than it saves


def columns_of(name: str) -> list[str]:
    return PASSAGE_TOKEN_COLUMNS if name == "passage_tokens" else TABLES[name]


def clean_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """documents (doc_id, file_name, ..., raw_text) -> + clean_text, boilerplate, script, report counts."""
    from analytics.pipeline.clean import clean_document

    rows = []
    for doc in documents.itertuples(index=False):
        result = clean_document(doc.raw_text)
        rows.append({"doc_id": doc.doc_id, "clean_text": result.text, "boilerplate": result.boilerplate,
                     "script": result.script, "n_chars": len(result.text),
                     **{key: int(result.report.get(key, 0)) for key in REPORT_KEYS}})
    cleaned = pd.DataFrame(rows, columns=["doc_id", "clean_text", "boilerplate", "script", "n_chars",
                                          *REPORT_KEYS])
    return documents.drop(columns=["raw_text"]).merge(cleaned, on="doc_id", how="left")


def document_tables(documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every per-document table for a batch of ingested documents (raw_text present)."""
    from analytics.features.assets import extract_assets
    from analytics.features.figures import extract_figures
    from analytics.pipeline.gazetteer import load_gazetteer
    from analytics.features.industries import extract_industries
    from analytics.pipeline.tokens import passage_tokens
    from analytics.pipeline.units import find_units

    cleaned = clean_documents(documents)
    units, passages = find_units(cleaned, load_gazetteer())
    tables = {
        "documents": cleaned,
        "units": units,
        "passages": passages,
        "passage_tokens": passage_tokens(passages),
        "figures": extract_figures(passages),
        "industries": extract_industries(passages),
        "assets": extract_assets(passages),
    }
    return tables


def _split_batches(documents: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    size = -(-len(documents) // n)
    return [documents.iloc[i:i + size] for i in range(0, len(documents), size)]


def concat_tables(parts: list[dict[str, pd.DataFrame]], names: list[str]) -> dict[str, pd.DataFrame]:
    out = {}
    for name in names:
        frames = [p[name] for p in parts if name in p and len(p[name])]
        out[name] = (pd.concat(frames, ignore_index=True) if frames
                     else pd.DataFrame(columns=columns_of(name) if name != "documents" else None))
    return out


def run_document_stages(documents: pd.DataFrame, workers: int | None = None) -> dict[str, pd.DataFrame]:
    """document_tables over all documents, split over a process pool when there are many."""
    workers = workers or min(os.cpu_count() or 1, 8)
    if len(documents) < POOL_FROM or workers < 2:
        return document_tables(documents)
    batches = _split_batches(documents, workers * 4)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(document_tables, batches))
    return concat_tables(parts, PER_DOCUMENT)


def merge_units(units: pd.DataFrame) -> pd.DataFrame:
    """One row per unit across documents: passages and characters summed, aliases united."""
    if units.empty:
        return units
    first = units.groupby("unit", sort=True).first()
    sums = units.groupby("unit", sort=True)[["n_passages", "n_chars"]].sum()
    aliases = units.groupby("unit", sort=True)["aliases"].agg(
        lambda values: "|".join(sorted({a for v in values if isinstance(v, str) for a in v.split("|") if a})))
    merged = first.assign(n_passages=sums["n_passages"], n_chars=sums["n_chars"], aliases=aliases)
    return merged.reset_index()[TABLES["units"]]


def corpus_tables(per_document: dict[str, pd.DataFrame], counts: dict | None = None) -> dict[str, pd.DataFrame]:
    """Per-document tables -> all tables, adding merged units, themes, similarity, distinctive terms.

    `counts`, when a dict, receives the term counts of each similarity level (`LevelCounts`): the store
    keeps them to update the tables incrementally after a change (analytics.corpus.store.load_tables).
    """
    from analytics.analysis.similarity import similarity_tables
    from analytics.features.themes import theme_shares

    tables = dict(per_document)
    tables["units"] = merge_units(per_document["units"])
    tables["themes"] = theme_shares(per_document["passages"])
    tables["similarity"], tables["distinctive_terms"] = similarity_tables(per_document["passage_tokens"], counts)
    return tables


@dataclass
class BuildResult:
    tables: dict[str, pd.DataFrame]
    rejections: list[Rejection] = field(default_factory=list)
    cached: bool = False
    seconds: float = 0.0
    out_dir: Path | None = None


def code_and_data_fingerprint() -> str:
    """Hash of the analytics code and the reviewed data files: a change to either rebuilds."""
    digest = hashlib.sha256()
    for path in sorted([*Path(paths.ROOT / "analytics").rglob("*.py"), *paths.DATA_DIR.glob("*.*")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256(code_and_data_fingerprint().encode())
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
        catalog = path.parent / "catalog.csv"
        if catalog.exists():
            digest.update(catalog.read_bytes())
    return digest.hexdigest()


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out_dir / f"{name}.parquet") for name in ALL_TABLES}


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path, csv: bool = False) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ALL_TABLES:
        table = tables[name]
        table.to_parquet(out_dir / f"{name}.parquet", index=False)
        if csv:
            table.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")
    clean_dir = out_dir / "clean"
    clean_dir.mkdir(exist_ok=True)
    for doc in tables["documents"].itertuples():
        (clean_dir / f"{doc.doc_id}.txt").write_text(doc.clean_text, encoding="utf-8")


def build_tables(doc_dirs: list[Path]) -> tuple[dict[str, pd.DataFrame], list[Rejection]]:
    """All tables from the documents in the given folders (no files written)."""
    frames, rejections, catalogs = [], [], []
    for directory in doc_dirs:
        docs, rejected = load_documents(document_paths(directory), source="seed"
                                        if Path(directory).resolve() == paths.SEEDS_DIR else "folder")
        frames.append(docs)
        rejections += rejected
        catalogs.append(read_catalog(directory))
    documents = pd.concat(frames, ignore_index=True).drop_duplicates("doc_id")
    tables = corpus_tables(run_document_stages(documents))
    catalog = pd.concat(catalogs) if catalogs else None
    tables["documents"] = describe_documents(tables["documents"], catalog)
    tables["documents"] = fill_place(tables["documents"], tables["passages"])
    return tables, rejections


def fill_place(documents: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """A document's place, where no catalog names it: the unit with most of its passage text."""
    if passages.empty:
        return documents
    from analytics.pipeline.units import unit_shares

    main = unit_shares(passages).drop_duplicates("doc_id").set_index("doc_id")["unit"]
    out = documents.copy()
    inferred = out["doc_id"].map(main).fillna("")
    out["place"] = out["place"].where(out["place"] != "", inferred)
    return out[TABLES["documents"]]


def build(doc_dirs: list[Path] | None = None, out_dir: Path | None = None, csv: bool = False,
          force: bool = False) -> BuildResult:
    """Build every table from the folders (seeds by default) into out_dir, or serve it from cache."""
    started = time.perf_counter()
    doc_dirs = [Path(d) for d in (doc_dirs or [paths.SEEDS_DIR])]
    out_dir = Path(out_dir or paths.BUILD_DIR)
    files = [p for d in doc_dirs for p in document_paths(d)]
    fingerprint = input_fingerprint(files)
    manifest_path = out_dir / "manifest.json"
    if not force and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("fingerprint") == fingerprint and manifest.get("csv", False) >= csv:
            rejections = [Rejection(**r) for r in manifest.get("rejections", [])]
            return BuildResult(read_tables(out_dir), rejections, True, time.perf_counter() - started, out_dir)
    tables, rejections = build_tables(doc_dirs)
    write_tables(tables, out_dir, csv)
    report = build_report(tables, rejections)
    (out_dir / "build_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    manifest = {"fingerprint": fingerprint, "csv": csv,
                "rejections": [{"file_name": r.file_name, "reason": r.reason} for r in rejections]}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return BuildResult(tables, rejections, False, time.perf_counter() - started, out_dir)


def build_report(tables: dict[str, pd.DataFrame], rejections: list[Rejection]) -> dict:
    """What was built: row counts, cleaning fixes per document, rejected files."""
    documents = tables["documents"]
    return {
        "rows": {name: int(len(tables[name])) for name in ALL_TABLES},
        "cleaning": documents[["doc_id", "file_name", *REPORT_KEYS]].to_dict(orient="records"),
        "rejected": [{"file_name": r.file_name, "reason": r.reason} for r in rejections],
    }
