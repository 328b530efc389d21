"""Passage tokens -> term tables: top terms and distinctive terms of units, place names left out.

Gazetteer names say where, not what: every term list (top terms, distinctive terms) leaves them out
the same way.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analytics.analysis.similarity import distinctive_terms
from analytics.pipeline.gazetteer import load_gazetteer


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Gazetteer names and short names: they say where, not what, so term lists leave them out."""
    table = load_gazetteer()
    return frozenset(table["name"]) | frozenset(n for n in table["short_name"] if len(n) >= 2)


def without_places(passage_tokens: pd.DataFrame) -> pd.DataFrame:
    """passage_tokens with place names removed from the token strings."""
    places = place_terms()
    return passage_tokens.assign(tokens=[" ".join(t for t in s.split() if t not in places)
                                         for s in passage_tokens["tokens"]])


def distinctive_terms_of(tables: dict[str, pd.DataFrame], units: list[str], top_n: int = 15) -> pd.DataFrame:
    """The selected units' distinctive terms against each other (place names left out)."""
    chosen = tables["passage_tokens"][tables["passage_tokens"]["unit"].isin(units)]
    return distinctive_terms(without_places(chosen), units=units, top_n=top_n)


def top_terms(passage_tokens: pd.DataFrame, units: list[str], n: int = 10) -> pd.DataFrame:
    """Each unit's n most frequent terms, place names left out: unit, rank, term, count."""
    rows = []
    chosen = without_places(passage_tokens[passage_tokens["unit"].isin(units)])
    for unit in units:
        tokens = " ".join(chosen.loc[chosen["unit"] == unit, "tokens"]).split()
        counts = pd.Series(tokens, dtype=str).value_counts().head(n)
        rows += [(unit, rank, term, int(count)) for rank, (term, count) in enumerate(counts.items(), 1)]
    return pd.DataFrame(rows, columns=["unit", "rank", "term", "count"])


def top_terms_wide(top: pd.DataFrame) -> pd.DataFrame:
    """top_terms side by side: one column per unit, 'term (count)' per rank."""
    if top.empty:
        return top
    cells = top.assign(cell=top["term"] + " (" + top["count"].astype(str) + ")")
    wide = cells.pivot_table(index="rank", columns="unit", values="cell", aggfunc="first")
    return wide.reindex(columns=list(dict.fromkeys(top["unit"]))).astype(object).fillna("").reset_index(drop=True)
