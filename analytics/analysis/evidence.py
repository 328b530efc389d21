"""Offsets -> evidence: the sentence around any span, keyword-in-context, safe highlighted HTML.

Every number in CountyLens carries (doc_id, start, end) into its document's clean text; these
functions turn that back into what the user reads and checks.
"""
from __future__ import annotations

import bisect
import html
import re

import pandas as pd

from analytics.pipeline.readers.pdf import PAGE_BREAK
from analytics.pipeline.text import sentence_spans

KWIC_COLUMNS = ["doc_id", "unit", "left", "match", "right", "start", "end"]


def page_at(text: str, offset: int) -> int:
    """The 1-based page of a paged document (a PDF or scan) that holds offset; 0 for unpaged text."""
    if PAGE_BREAK not in text:
        return 0
    return text.count(PAGE_BREAK, 0, max(0, offset)) + 1


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) of `text` that contain text[start:end]."""
    spans = sentence_spans(text)
    first = next((a for a, b in spans if a <= start < b), start)
    last = next((b for a, b in reversed(spans) if a < end <= b), end)
    return min(first, start), max(last, end)


def evidence_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, match, after) within the sentence around text[start:end]."""
    a, b = sentence_around(text, start, end)
    return text[a:start], text[start:end], text[end:b]


def _text(s: str) -> str:
    # HTML-escaped, and $ as an entity: a $…$ pair must not become a KaTeX formula
    return html.escape(s).replace("$", "&#36;")


def highlight_html(before: str, match: str, after: str) -> str:
    """The sentence as HTML with the match marked; all document text is escaped, never markup."""
    return f"{_text(before)}<mark>{_text(match)}</mark>{_text(after)}"


def unit_at(passages: pd.DataFrame, doc_id: str, offset: int) -> str:
    """The unit whose passage of doc_id contains offset ('' if none)."""
    rows = passages[passages["doc_id"] == doc_id].sort_values("start")
    starts = rows["start"].tolist()
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and offset < rows["end"].iloc[i]:
        return str(rows["unit"].iloc[i])
    return ""


def kwic(documents: pd.DataFrame, passages: pd.DataFrame, term: str, width: int = 20,
         units: list[str] | None = None, limit: int = 500) -> pd.DataFrame:
    """Keyword in context: every occurrence of `term` in the clean texts, with its unit.

    documents needs doc_id, clean_text; passages doc_id, unit, start, end. Output columns:
    doc_id, unit, left, match, right, start, end (left/right are `width` characters, one line).
    """
    term = term.strip()
    if not term:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    pattern = re.compile(re.escape(term))
    rows = []
    for doc in documents.itertuples():
        text = doc.clean_text
        for m in pattern.finditer(text):
            unit = unit_at(passages, doc.doc_id, m.start())
            if units is not None and unit not in units:
                continue
            left = text[max(0, m.start() - width):m.start()].replace("\n", " ")
            right = text[m.end():m.end() + width].replace("\n", " ")
            rows.append((doc.doc_id, unit, left, m.group(), right, m.start(), m.end()))
            if len(rows) >= limit:
                return pd.DataFrame(rows, columns=KWIC_COLUMNS)
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)
