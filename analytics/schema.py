"""The columns of every table the pipeline writes: one row of each is named by the table.

Offsets (`start`, `end`) are always character offsets into the document's `clean_text`, so any
number can be traced back: clean_text[start:end] is its evidence span.
"""
from __future__ import annotations

TABLES: dict[str, list[str]] = {
    # one document
    "documents": [
        "doc_id", "file_name", "source", "format", "encoding", "script", "title", "place", "outlet",
        "date", "n_chars", "clean_text", "boilerplate", "pinyin_removed", "chars_converted",
        "garbled_repaired", "garbled_flagged", "boilerplate_lines", "punct_normalized",
    ],
    # one unit of comparison (county-level place, development zone, prefecture city or its bureaus)
    "units": [
        "unit", "kind", "adcode", "province", "prefecture", "host", "aliases", "longitude", "latitude",
        "n_passages", "n_chars",
    ],
    # one stretch of one document that speaks for one unit
    "passages": ["passage_id", "doc_id", "unit", "speaker", "start", "end", "text"],
    # one quantitative fact
    "figures": [
        "doc_id", "unit", "indicator", "value", "unit_of_measure", "value_normalized",
        "unit_normalized", "category", "year", "is_target", "evidence", "start", "end",
    ],
    # one industry mention group: unit x industry
    "industries": [
        "unit", "industry", "industry_en", "gbt_section", "strategic_emerging", "status", "mentions",
        "doc_id", "evidence", "start", "end",
    ],
    # one qualitative asset (national forest park, 4A scenic area, signed projects ...)
    "assets": ["unit", "domain", "asset", "asset_en", "doc_id", "evidence", "start", "end"],
    # one unit x theme
    "themes": ["unit", "theme", "theme_en", "hits", "share"],
    # one pair of units (or documents): similarity
    "similarity": ["level", "a", "b", "cosine"],
    # one unit x distinctive term
    "distinctive_terms": ["unit", "term", "score", "count"],
}
