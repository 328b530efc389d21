"""Passages + industry taxonomy -> industries: one row per unit x industry, with status and evidence.

The taxonomy (`data/industries.csv`) lists each industry with its Chinese surface forms, GB/T 4754-2017
section and whether it is on the national 战略性新兴产业 list. All surface forms go into one longest-match
regex built once (analytics.pipeline.lexicon), so 新能源汽车 counts for new-energy vehicles and not also for new
energy, and every character of text is counted for at most one industry. Phrases that contain a form but
are not about the industry (食品安全) are listed in `data/industry_blockers.csv` and matched only to be
dropped.

Status rule (cues in `data/industry_status_cues.csv`, Python regexes, most of them plain words):
  * each mention is judged in its clause (text between ，；：。 …), and if the clause has no cue, in its
    sentence; a scope with a `has` cue (现有, 已形成, 拥有, 大县, 依托…优势 …) marks an existing base, else one
    with a `targets` cue (打造, 培育, 发展, 力争, 建设, 引进, 规划 …) marks a goal; else the mention is neutral;
  * a unit x industry is 'has' when any of its mentions marks an existing base, 'targets' when none does
    and at least one marks a goal, and 'has' when all are neutral (a plain statement such as
    "煤炭占比15.85%" reports what exists).
The evidence is the sentence of the first mention that decided the status; start/end are the offsets of
that mention's surface form in the document's clean text.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from analytics.pipeline.lexicon import (
    HAS,
    TARGETS,
    compile_terms,
    find_mentions,
    read_lexicon,
    split_forms,
    status_cues,
)
from analytics.registry import TABLES

COLUMNS = TABLES["industries"]
MENTION_COLUMNS = ["passage_id", "doc_id", "unit", "industry", "form", "start", "end", "cue", "evidence"]


@lru_cache(maxsize=1)
def industry_taxonomy() -> pd.DataFrame:
    """data/industries.csv: industry, industry_en, synonyms, gbt_section, strategic_emerging (bool), group,
    group_en. Surface forms of an industry are its name plus its '|'-joined synonyms."""
    table = read_lexicon("industries.csv").copy()
    table["strategic_emerging"] = table["strategic_emerging"].str.lower().map({"true": True, "false": False})
    return table


def industry_forms(taxonomy: pd.DataFrame | None = None) -> dict[str, str]:
    """Every surface form -> its industry (the name itself is a form too)."""
    taxonomy = industry_taxonomy() if taxonomy is None else taxonomy
    forms: dict[str, str] = {}
    for row in taxonomy.itertuples(index=False):
        for form in [row.industry, *split_forms(row.synonyms)]:
            forms[form] = row.industry
    return forms


@lru_cache(maxsize=1)
def industry_blockers() -> frozenset[str]:
    """data/industry_blockers.csv forms: phrases that contain an industry form but are not about the
    industry (食品安全 is regulation, not the food industry). They join the longest-match regex, so they
    win over the shorter form inside them, and are then dropped."""
    return frozenset(read_lexicon("industry_blockers.csv")["form"])


@lru_cache(maxsize=1)
def _industry_matcher() -> tuple[re.Pattern, dict[str, str]]:
    forms = industry_forms()
    return compile_terms([*forms, *industry_blockers()]), forms


def industry_sections(text: str) -> set[str]:
    """The GB/T 4754 sections of the industries a short text names (矿泉水 -> {'C 制造业'})."""
    pattern, forms = _industry_matcher()
    sections = dict(zip(industry_taxonomy()["industry"], industry_taxonomy()["gbt_section"]))
    return {sections[forms[m.group()]] for m in pattern.finditer(text) if m.group() in forms}


def industry_mentions(passages: pd.DataFrame) -> pd.DataFrame:
    """Passages (passage_id, doc_id, unit, start, end, text) -> one row per industry mention:
    passage_id, doc_id, unit, industry, form, start, end, cue ('has'/'targets'/''), evidence (sentence).
    Useful on its own for a concordance of an industry."""
    pattern, forms = _industry_matcher()
    mentions = find_mentions(passages, pattern, lambda m: forms.get(m.group(), ""), status_cues())
    mentions = mentions[mentions["label"] != ""]  # blockers
    return mentions.rename(columns={"label": "industry"})[MENTION_COLUMNS].reset_index(drop=True)


def extract_industries(passages: pd.DataFrame) -> pd.DataFrame:
    """Passages -> industries table (TABLES['industries']): one row per document x unit x industry mentioned.

    Input columns: passage_id, doc_id, unit, start, end, text (text == clean_text[start:end]).
    Output columns: unit, industry, industry_en, gbt_section, strategic_emerging (bool), status
    ('has'/'targets'), mentions (non-overlapping longest matches of any surface form, int), doc_id,
    evidence (sentence that decided the status), start, end (offsets of that mention in clean_text).
    Rows are sorted by unit, then mentions (most first), then industry.

    >>> p = pd.DataFrame({"passage_id": ["d#0"], "doc_id": ["d"], "unit": ["甲县"], "start": [0],
    ...                   "end": [12], "text": ["甲县是中药大县。要大力发展光伏。"]})
    >>> extract_industries(p)[["industry", "status", "mentions"]].values.tolist()
    [['中药材', 'has', 1], ['光伏', 'targets', 1]]
    """
    mentions = industry_mentions(passages)
    if mentions.empty:
        return _typed(pd.DataFrame(columns=COLUMNS))
    keys = ["doc_id", "unit", "industry"]  # per document: a document's rows never depend on its batch
    grouped = mentions.assign(is_has=mentions["cue"] == HAS, is_target=mentions["cue"] == TARGETS).groupby(
        keys, sort=False)
    has_any = grouped["is_has"].transform("any")
    target_any = grouped["is_target"].transform("any")
    # The status rule of the module docstring: any existing base wins, then any goal, else a plain fact.
    mentions["status"] = (~has_any & target_any).map({True: TARGETS, False: HAS})
    mentions["mentions"] = grouped["cue"].transform("size")
    mentions["deciding"] = mentions["cue"] == mentions["status"]
    first = (mentions.reset_index(names="order")
             .sort_values(["deciding", "order"], ascending=[False, True], kind="stable")
             .drop_duplicates(keys))
    table = first.merge(
        industry_taxonomy()[["industry", "industry_en", "gbt_section", "strategic_emerging"]],
        on="industry", how="left")
    table = table.sort_values(["unit", "mentions", "industry"], ascending=[True, False, True],
                              kind="stable")
    return _typed(table[COLUMNS].reset_index(drop=True))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({"strategic_emerging": bool, "mentions": "int64", "start": "int64",
                         "end": "int64"})


UNIT_STATUS_COLUMNS = ["unit", "industry", "industry_en", "gbt_section", "strategic_emerging", "status",
                       "mentions", "n_documents", "doc_id", "evidence", "start", "end"]


def unit_industries(industries: pd.DataFrame, units: list[str] | None = None) -> pd.DataFrame:
    """Industries table (one row per document x unit x industry) -> one row per unit x industry.

    The rule every chart, table, download and slide uses: a unit 'has' an industry when any of its
    documents states it as existing, 'targets' it when all that mention it state it as a goal;
    mentions add up over documents; the evidence is that of the first document whose row decided the
    status. `units` (in their order) selects and orders the units; rows within a unit keep the order
    of most mentions first.
    """
    chosen = industries if units is None else industries[industries["unit"].isin(units)]
    if chosen.empty:
        return pd.DataFrame(columns=UNIT_STATUS_COLUMNS).astype({"mentions": "int64", "start": "int64",
                                                                 "end": "int64"})
    keys = ["unit", "industry"]
    grouped = chosen.assign(is_has=chosen["status"] == HAS).groupby(keys, sort=False)
    status = grouped["is_has"].transform("any").map({True: HAS, False: TARGETS})
    rows = chosen.assign(status=status, mentions=grouped["mentions"].transform("sum"),
                         n_documents=grouped["doc_id"].transform("nunique") if "doc_id" in chosen else 1,
                         _deciding=chosen["status"] == status)
    first = (rows.reset_index(names="_order").sort_values(["_deciding", "_order"], ascending=[False, True],
                                                           kind="stable").drop_duplicates(keys))
    order = units if units is not None else sorted(first["unit"].unique())
    first["_unit"] = first["unit"].map({u: i for i, u in enumerate(order)})
    first = first.sort_values(["_unit", "mentions", "industry"], ascending=[True, False, True], kind="stable")
    # Input with fewer columns (a chart's own rows) keeps what it has.
    return first[[c for c in UNIT_STATUS_COLUMNS if c in first]].reset_index(drop=True)
