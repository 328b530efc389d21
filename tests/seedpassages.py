"""Whole-document passages of the Simplified seeds (000 沁源县, 002 岚县, 004 柞水县) for golden tests.

The seeds are read as they are (no cleaning stage needed: they are Simplified already), each as one
passage whose unit is the county the document is about, so offsets are offsets into the seed text.
"""
from __future__ import annotations

import pandas as pd

from tests.conftest import seed_text

SEED_UNITS = {"000": "沁源县", "002": "岚县", "004": "柞水县"}


def seed_passages() -> pd.DataFrame:
    rows = []
    for prefix, unit in SEED_UNITS.items():
        text = seed_text(prefix)
        rows.append({"passage_id": f"{prefix}#0", "doc_id": prefix, "unit": unit, "speaker": "",
                     "start": 0, "end": len(text), "text": text})
    return pd.DataFrame(rows)


def passages_of(texts: dict[str, str], offset: int = 0) -> pd.DataFrame:
    """Small fixture: one passage per unit; each passage sits at `offset` in a document padded before it,
    so tests also check that offsets are document offsets, not passage offsets."""
    rows = []
    for i, (unit, text) in enumerate(texts.items()):
        rows.append({"passage_id": f"d{i}#0", "doc_id": f"d{i}", "unit": unit, "speaker": "",
                     "start": offset, "end": offset + len(text), "text": text})
    return pd.DataFrame(rows)


def document_of(passages: pd.DataFrame, doc_id: str) -> str:
    """The clean text of a fixture document: padding, then its passage(s) at their offsets."""
    part = passages[passages["doc_id"] == doc_id].sort_values("start")
    text = ""
    for row in part.itertuples():
        text = text.ljust(row.start, "　") + row.text
    return text
