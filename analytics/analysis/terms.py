"""Passage tokens -> term tables: top terms and distinctive terms of units, place names and generic words
left out.

Gazetteer names say where, not what, and generic policy words (发展, 建设, 打造 … data/generic_terms.txt)
say nothing about what a strategy is about: every term list — top terms, distinctive terms, shared terms
(analysis.similarity.shared_terms) and the co-occurrence network (analysis.network) — leaves both out the
same way, through `left_out`. The generic words are a parameter (`exclude`, default the reviewed list) so
a view can pass a user's edited list (`effective_generic_terms`); place names are always left out.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.pipeline.gazetteer import load_gazetteer
from analytics.resources import read_lines

GENERIC_TERMS = "generic_terms.txt"
# How a user types a list of words: separated by 、，, ; or whitespace.
_WORD_SEPARATORS = re.compile(r"[\s、，,;；]+")


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Gazetteer names and short names: they say where, not what, so term lists leave them out."""
    table = load_gazetteer()
    return frozenset(table["name"]) | frozenset(n for n in table["short_name"] if len(n) >= 2)


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """The reviewed generic policy words (data/generic_terms.txt): the default `exclude` of every term list."""
    return frozenset(read_lines(GENERIC_TERMS))


def effective_generic_terms(added: Iterable[str] = (), removed: Iterable[str] = ()) -> frozenset[str]:
    """The reviewed list with a user's edits: words `added` are left out too, words `removed` count again."""
    return (generic_terms() | frozenset(added)) - frozenset(removed)


def add_generic_words(added: list[str], removed: list[str], typed: str) -> tuple[list[str], list[str]]:
    """A user's edits after typing words to leave out: new words join `added` (a reviewed word needs no
    adding), and a typed word the user had counted again is left out again. Returns (added, removed)."""
    new = split_terms(typed)
    added = list(dict.fromkeys([*added, *(w for w in new if w not in generic_terms())]))
    return added, [w for w in removed if w not in new]


def left_out(exclude: frozenset[str] | None = None) -> frozenset[str]:
    """What term lists leave out: place names and the generic words `exclude` (default: the reviewed list)."""
    return place_terms() | (generic_terms() if exclude is None else frozenset(exclude))


def split_terms(text: str) -> list[str]:
    """Words as a user types a list of them (发展、建设 or 发展 建设), each once, in order."""
    return list(dict.fromkeys(word for word in _WORD_SEPARATORS.split(text) if word))


def generic_edits_setting(added: Iterable[str], removed: Iterable[str]) -> str:
    """A user's edits of the generic words as the text a store keeps (store.save_setting)."""
    return json.dumps({"added": sorted(set(added)), "removed": sorted(set(removed))}, ensure_ascii=False)


def generic_edits_from_setting(text: str | None) -> tuple[list[str], list[str]]:
    """(added, removed) back from `generic_edits_setting`'s text; none for no setting or an unreadable one
    (a setting is a convenience: a damaged one must not keep the page from opening)."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return [], []
    edits = [value.get(part, []) for part in ("added", "removed")] if isinstance(value, dict) else None
    if edits is None or not all(isinstance(e, list) and all(isinstance(w, str) for w in e) for e in edits):
        return [], []
    return edits[0], edits[1]


def without_terms(passage_tokens: pd.DataFrame, drop: frozenset[str]) -> pd.DataFrame:
    """passage_tokens with the terms of `drop` removed from the token strings."""
    return passage_tokens.assign(tokens=[" ".join(t for t in s.split() if t not in drop)
                                         for s in passage_tokens["tokens"]])


def distinctive_terms_of(tables: dict[str, pd.DataFrame], units: list[str], top_n: int = 15,
                         exclude: frozenset[str] | None = None) -> pd.DataFrame:
    """The selected units' distinctive terms against each other, place names and the generic words
    `exclude` left out of the counts before scoring, so each unit still gets its top_n terms."""
    from analytics.analysis.similarity import distinctive_terms  # scikit-learn: imported when first needed

    chosen = tables["passage_tokens"][tables["passage_tokens"]["unit"].isin(units)]
    return distinctive_terms(without_terms(chosen, left_out(exclude)), units=units, top_n=top_n)


def top_terms(passage_tokens: pd.DataFrame, units: list[str], n: int = 10,
              exclude: frozenset[str] | None = None, min_count: int = 2) -> pd.DataFrame:
    """Each unit's n key terms, place names and the generic words `exclude` left out: unit, rank, term,
    count, keyness.

    Ranked by keyness against general Chinese (`keyness`), not by frequency: 产业, 项目, 企业 are frequent in
    every county's text and in the language at large, 脐橙 or 茯苓 only in the county that grows them. Terms
    seen fewer than `min_count` times are ranked after the others (one mention is not a unit's theme)."""
    rows = []
    chosen = without_terms(passage_tokens[passage_tokens["unit"].isin(units)], left_out(exclude))
    for unit in units:
        tokens = " ".join(chosen.loc[chosen["unit"] == unit, "tokens"]).split()
        counts = pd.Series(tokens, dtype=str).value_counts()
        scores = keyness(counts)
        ranked = (pd.DataFrame({"term": counts.index, "count": counts.to_numpy(), "keyness": scores.to_numpy(),
                                "enough": counts.to_numpy() >= min_count})
                  .sort_values(["enough", "keyness", "count", "term"], ascending=[False, False, False, True])
                  .head(n))
        rows += [(unit, rank, r.term, int(r.count), float(r.keyness))
                 for rank, r in enumerate(ranked.itertuples(), 1)]
    return pd.DataFrame(rows, columns=["unit", "rank", "term", "count", "keyness"])


@lru_cache(maxsize=1)
def background_frequencies() -> tuple[dict[str, int], int]:
    """General Chinese word frequencies: the dictionary jieba ships (word, count in its reference corpus;
    rjieba segments with the same dictionary), and their total. The reference of `keyness`."""
    import jieba

    counts: dict[str, int] = {}
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                counts[parts[0]] = int(parts[1])
    return counts, sum(counts.values())


def keyness(counts: pd.Series) -> pd.Series:
    """Each term's keyness in a text against general Chinese: count × ln(share in the text / share in the
    background), the background add-one smoothed (a word the dictionary lacks counts once: a local name or a
    new compound is as rare as can be). Positive for terms the text uses more than the language does."""
    background, total = background_frequencies()
    size = max(int(counts.sum()), 1)
    reference = np.array([background.get(term, 0) + 1 for term in counts.index], dtype=float) / (total + len(background))
    return pd.Series(counts.to_numpy() * np.log((counts.to_numpy() / size) / reference), index=counts.index)


def top_terms_wide(top: pd.DataFrame) -> pd.DataFrame:
    """top_terms side by side: one column per unit, 'term (count)' per rank."""
    if top.empty:
        return top
    cells = top.assign(cell=top["term"] + " (" + top["count"].astype(str) + ")")
    wide = cells.pivot_table(index="rank", columns="unit", values="cell", aggfunc="first")
    return wide.reindex(columns=list(dict.fromkeys(top["unit"]))).astype(object).fillna("").reset_index(drop=True)
