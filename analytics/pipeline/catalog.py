"""Documents -> catalog fields: title, place, outlet and date, from a catalog file or the text itself.

A folder may carry `catalog.csv` (file_name, title, place, outlet, date, script, note), written by a
person; where it is silent, the fields are read off the document: the first line as title, a
`来源：` line as outlet, the first full date near the top or in the boilerplate as date.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

CATALOG_FILE = "catalog.csv"
CATALOG_FIELDS = ["title", "place", "outlet", "date"]
_DATE_RE = re.compile(r"(20\d{2}|19\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_OUTLET_RE = re.compile(r"来源\s*[:：]\s*([^\s|｜,，。:：]{2,20})")
_TITLE_MAX = 60


def read_catalog(directory: Path) -> pd.DataFrame:
    """The folder's catalog.csv as a table indexed by file_name (empty when there is none)."""
    path = Path(directory) / CATALOG_FILE
    if not path.exists():
        return pd.DataFrame(columns=["file_name", *CATALOG_FIELDS]).set_index("file_name")
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("file_name")


_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE_WORDS = re.compile(r"(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?|(?:星期|周)[一二三四五六日天]|[上下]午")


def infer_title(clean_text: str) -> str:
    """The first line that reads as words: a date line, a page number or a stray mark above the title is
    passed over (four Chinese characters besides any date)."""
    lines = [line.strip() for line in clean_text.splitlines() if line.strip()]
    first = next((line for line in lines[:20] if len(_CJK.findall(_DATE_WORDS.sub("", line))) >= 4),
                 lines[0] if lines else "")
    return first if len(first) <= _TITLE_MAX else first[:_TITLE_MAX - 1] + "…"


def infer_date(clean_text: str, boilerplate: str = "") -> str:
    """ISO date stated near the top of the text or in its boilerplate, else ''."""
    for haystack in (clean_text[:400], boilerplate):
        match = _DATE_RE.search(haystack)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def infer_outlet(clean_text: str, boilerplate: str = "") -> str:
    match = _OUTLET_RE.search(clean_text[:400]) or _OUTLET_RE.search(boilerplate)
    return match.group(1) if match else ""


def document_meta(value) -> dict:
    """The `meta` JSON a reader wrote for a document (analytics.pipeline.ingest), {} when there is none."""
    if not isinstance(value, str) or not value:
        return {}
    try:
        meta = json.loads(value)
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def iso_date(value: str) -> str:
    """The first full date in value as YYYY-MM-DD ('' when there is none)."""
    match = _DATE_RE.search(value or "")
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def describe_documents(documents: pd.DataFrame, catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add title, outlet, date, url, pages and OCR confidence (and place where the catalog gives it).

    documents needs file_name, clean_text, boilerplate, and may carry `meta` (what the document says about
    itself: a page's <title> and canonical URL, a PDF's pages). A catalog (a folder's catalog.csv, or the
    corrections a user made in the Library) wins over the document's own words, and those over what is
    read off the text.
    """
    out = documents.copy()
    metas = [document_meta(m) for m in out["meta"]] if "meta" in out else [{} for _ in range(len(out))]
    out["title"] = [m.get("title") or infer_title(t) for m, t in zip(metas, out["clean_text"])]
    out["outlet"] = [m.get("outlet") or infer_outlet(t, b)
                     for m, t, b in zip(metas, out["clean_text"], out["boilerplate"])]
    out["date"] = [iso_date(m.get("date", "")) or infer_date(t, b) or iso_date(m.get("created", ""))
                   for m, t, b in zip(metas, out["clean_text"], out["boilerplate"])]
    out["url"] = [m.get("url", "") for m in metas]
    out["pages"] = [int(m.get("pages") or 0) for m in metas]
    out["ocr_confidence"] = [float(m["ocr_confidence"]) if m.get("ocr_confidence") is not None else float("nan")
                             for m in metas]
    out["place"] = ""
    if catalog is not None and len(catalog):
        for field in CATALOG_FIELDS:
            if field in catalog:
                given = out["file_name"].map(catalog[field]).fillna("")
                out[field] = given.where(given != "", out[field])
    return out


def low_confidence_spans(clean_text: str, meta: dict) -> list[tuple[int, int]]:
    """Where in the clean text the paragraphs OCR read with low confidence stand (each paragraph cleaned
    like the document, then found in order), as (start, end) offsets."""
    from analytics.pipeline.clean import clean_document

    spans, position = [], 0
    for paragraph in meta.get("low_confidence", []):
        cleaned = clean_document(paragraph).text.strip()
        if not cleaned:
            continue
        found = clean_text.find(cleaned, position)
        if found < 0:
            found = clean_text.find(cleaned)
        if found >= 0:
            spans.append((found, found + len(cleaned)))
            position = found + len(cleaned)
    return spans
