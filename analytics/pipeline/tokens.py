"""Passages -> tokens: jieba-compatible segmentation (rjieba) with the domain dictionary and stopwords.

The domain dictionary (`data/domain_dict.txt`, jieba's `word freq tag` format) keeps policy terms such as
太忻一体化经济区 or 绿水青山就是金山银山 whole; county and prefecture names from the gazetteer are added
too, so that places are never cut apart. `data/stopwords.txt` holds function words and report filler.

A term is what a text names: the segmenter tags each token in its sentence, and the parts of speech of
`data/term_pos.csv` (numerals and quantities, measure words, time words, verbs, function words) never count;
nor does a measure with its magnitude (万人, 亿千瓦时: data/magnitudes.csv × data/measure_units.csv), which
the tagger sometimes calls a noun. Measured on realistic texts by `python -m analytics.evaluate --terms`.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import rjieba

from analytics.pipeline.gazetteer import load_gazetteer
from analytics.pipeline.text import CJK, UNRECOVERABLE
from analytics.resources import read_lines, read_table

# A token worth counting has a CJK character or a Latin letter; pure numbers and punctuation are not terms.
_TERM_RE = re.compile(f"[{CJK}A-Za-z]")
PASSAGE_TOKEN_COLUMNS = ["passage_id", "doc_id", "unit", "tokens"]


def _data_lines(name: str) -> tuple[str, ...]:
    return read_lines(name)


@lru_cache(maxsize=1)
def domain_dictionary() -> tuple[tuple[str, int | None, str | None], ...]:
    """Entries of data/domain_dict.txt as (word, freq or None, tag or None)."""
    entries = []
    for line in _data_lines("domain_dict.txt"):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, tag))
    return tuple(entries)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_data_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def non_term_pos() -> frozenset[str]:
    """The parts of speech whose words are never terms (data/term_pos.csv)."""
    return frozenset(read_table("term_pos.csv")["pos"])


@lru_cache(maxsize=1)
def measure_tokens() -> frozenset[str]:
    """Measures as a token: each measure unit alone and after each magnitude (万人, 亿元, 万千瓦)."""
    measures = set(read_table("measure_units.csv")["measure"])
    magnitudes = set(read_table("magnitudes.csv")["prefix"])
    return frozenset(measures | {m + u for m in magnitudes for u in measures})


def _place_names() -> list[str]:
    """Gazetteer names (full and short) so that segmentation keeps every place whole."""
    table = load_gazetteer()
    names = set(table["name"].dropna())
    if "short_name" in table:
        names |= {n for n in table["short_name"].dropna() if len(n) >= 2}
    return sorted(names)


@lru_cache(maxsize=1)
def segmenter():
    """The shared rjieba segmenter with domain terms and place names added (built once per process)."""
    jieba = rjieba.Jieba()
    for word, freq, tag in domain_dictionary():
        jieba.add_word(word, freq, tag)
    for name in _place_names():
        jieba.add_word(name, None, "ns")
    return jieba


def segment(text: str) -> list[str]:
    """All tokens of a text, in order, as the segmenter cuts them (nothing filtered)."""
    return segmenter().cut(text, True)


def is_term(token: str, stop: frozenset[str] | None = None) -> bool:
    """A token that counts as a term: two or more characters, has CJK or Latin, not a stopword."""
    stop = stopwords() if stop is None else stop
    return (len(token) >= 2 and UNRECOVERABLE not in token and token not in stop
            and bool(_TERM_RE.search(token)))


def terms(text: str) -> list[str]:
    """The countable terms of a text, in order: tokens of a term's part of speech that are no stopword and
    no measure (see the module's docstring)."""
    stop, has_letter, pos, measures = stopwords(), _TERM_RE.search, non_term_pos(), measure_tokens()
    # is_term inlined: this runs for every token of the corpus (a function call each cost ~40% of it)
    return [tok for tok, tag in segmenter().tag(text, True)
            if len(tok) >= 2 and tag not in pos and tok not in stop and tok not in measures
            and UNRECOVERABLE not in tok and has_letter(tok)]


def passage_tokens(passages: pd.DataFrame) -> pd.DataFrame:
    """passages (passage_id, doc_id, unit, text) -> one row per passage with its terms space-joined."""
    rows = [(p.passage_id, p.doc_id, p.unit, " ".join(terms(p.text))) for p in passages.itertuples()]
    return pd.DataFrame(rows, columns=PASSAGE_TOKEN_COLUMNS)
