"""Every table of the corpus: its name (what one row is), columns, dtypes and scope.

The store's SQL, the dtype restoring on load, the export of tables and every list of tables derive
from `REGISTRY`; nothing else names a table's columns. Scope 'document': written once per analysed
document (rows carry doc_id); scope 'corpus': computed from the per-document tables of the whole
corpus (analytics.corpus.engine.corpus_tables).

Offsets (`start`, `end`) are always character offsets into the document's `clean_text`, so any
number can be traced back: clean_text[start:end] is its evidence span. "unit" always means an
administrative unit (county, zone, prefecture …); a unit of measure is a `measure`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TEXT, FLOAT, INT, YEAR, BOOL = "object", "float64", "int64", "Int64", "bool"


@dataclass(frozen=True)
class Table:
    name: str
    one_row_is: str
    scope: str  # 'document' | 'corpus'
    columns: dict[str, str]  # column -> pandas dtype

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)


_CLEANING_REPORT = {"pinyin_removed": INT, "chars_converted": INT, "garbled_repaired": INT,
                    "garbled_flagged": INT, "boilerplate_lines": INT, "punct_normalized": INT,
                    "compat_mapped": INT}

REGISTRY: dict[str, Table] = {t.name: t for t in [
    Table("documents", "one analysed document", "document", {
        "doc_id": TEXT, "file_name": TEXT, "source": TEXT, "format": TEXT, "encoding": TEXT, "script": TEXT,
        "title": TEXT, "place": TEXT, "outlet": TEXT, "date": TEXT, "url": TEXT, "pages": INT,
        "ocr_confidence": FLOAT, "n_chars": INT, "clean_text": TEXT, "boilerplate": TEXT, **_CLEANING_REPORT}),
    Table("units", "one unit of comparison in one document (county-level place, zone, prefecture …); "
          "corpus-wide: one unit over all documents", "document", {
        "unit": TEXT, "kind": TEXT, "adcode": TEXT, "province": TEXT, "prefecture": TEXT, "host": TEXT,
        "aliases": TEXT, "longitude": FLOAT, "latitude": FLOAT, "n_passages": INT, "n_chars": INT}),
    Table("passages", "one stretch of one document that speaks for one unit", "document", {
        "passage_id": TEXT, "doc_id": TEXT, "unit": TEXT, "speaker": TEXT, "start": INT, "end": INT,
        "text": TEXT}),
    Table("passage_tokens", "the segmented tokens of one passage", "document", {
        "passage_id": TEXT, "doc_id": TEXT, "unit": TEXT, "tokens": TEXT}),
    Table("figures", "one quantitative fact", "document", {
        "doc_id": TEXT, "unit": TEXT, "indicator": TEXT, "indicator_id": TEXT, "qualifier": TEXT,
        "value": FLOAT, "measure": TEXT, "value_normalized": FLOAT, "measure_normalized": TEXT, "category": TEXT,
        "year": YEAR, "status": TEXT, "period": TEXT, "entity": TEXT, "is_target": BOOL,
        "low_confidence": BOOL, "evidence": TEXT, "start": INT, "end": INT}),
    Table("industries", "one document x unit x industry mentioned", "document", {
        "unit": TEXT, "industry": TEXT, "industry_en": TEXT, "gbt_section": TEXT, "strategic_emerging": BOOL,
        "status": TEXT, "mentions": INT, "doc_id": TEXT, "evidence": TEXT, "start": INT, "end": INT}),
    Table("assets", "one document x unit x qualitative asset (national forest park, 4A scenic area …)",
          "document", {
        "unit": TEXT, "domain": TEXT, "asset": TEXT, "asset_en": TEXT, "doc_id": TEXT, "evidence": TEXT,
        "start": INT, "end": INT}),
    Table("themes", "one unit x theme", "corpus", {
        "unit": TEXT, "theme": TEXT, "theme_en": TEXT, "hits": INT, "share": FLOAT}),
    Table("similarity", "one pair of units (or documents) and their TF-IDF cosine", "corpus", {
        "level": TEXT, "a": TEXT, "b": TEXT, "cosine": FLOAT}),
    Table("distinctive_terms", "one unit x distinctive term", "corpus", {
        "unit": TEXT, "term": TEXT, "score": FLOAT, "count": INT}),
]}

PER_DOCUMENT = [name for name, table in REGISTRY.items() if table.scope == "document"]
FEATURE_TABLES = [name for name in PER_DOCUMENT if name != "documents"]  # the rows a document owns
CORPUS_WIDE = ["units", *[name for name, table in REGISTRY.items() if table.scope == "corpus"]]
ALL_TABLES = list(REGISTRY)
REPORT_KEYS = list(_CLEANING_REPORT)

# name -> column names: the form most callers need.
TABLES: dict[str, list[str]] = {name: table.column_names for name, table in REGISTRY.items()}


def columns_of(name: str) -> list[str]:
    return TABLES[name]


def empty_table(name: str) -> pd.DataFrame:
    """A table with no rows but the registry's columns and dtypes."""
    return typed(pd.DataFrame(columns=TABLES[name]), name)


def typed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """`frame` with the registry's dtypes for the columns it has (a NULL in an int column -> float)."""
    out = frame
    for column, dtype in REGISTRY[name].columns.items():
        if column not in out or str(out[column].dtype) == dtype:
            continue
        if out is frame:
            out = frame.copy()
        try:
            if dtype == BOOL:
                out[column] = out[column].map(lambda v: bool(v) if pd.notna(v) else False).astype(bool)
            elif dtype == YEAR:
                out[column] = pd.to_numeric(out[column], errors="coerce").astype(YEAR)
            elif dtype == INT and out[column].isna().any():
                out[column] = pd.to_numeric(out[column], errors="coerce")
            else:
                out[column] = out[column].astype(dtype)
        except (TypeError, ValueError):
            pass
    return out
