"""Passages + asset patterns -> assets: one row per unit x qualitative asset (ecology, tourism, investment).

`data/assets.csv` lists each asset class (国家森林公园, 4A级景区, 全域旅游示范区, 签约项目, 省级开发区 …)
with a regex pattern. All patterns run as one alternation, each a named group, so one scan finds every
asset. At a given position the earlier row wins, which is why the file lists specific classes
(国家级自然保护区) before general ones (自然保护区); a match starting earlier always wins, so
牛背梁国家森林公园 is found as 国家森林公园 and not as the 森林公园 inside it.

The asset is the class, not the proper name: the evidence sentence carries the name.

Not every mention is an asset held. `data/asset_cues.csv` lists cues judged in the clause of a mention
(text between ，；：。 …): an `absent` cue (无一, 尚未 …) drops the mention in every domain; an `aspiration`
cue (申报, 创建, 争创 …) drops it for ecology and tourism titles, which a unit either holds or is still
working for, but not for investment, where a planned signing or park is itself investment activity.
Among the remaining mentions of an asset the evidence is the first one whose clause has no goal cue of
`data/industry_status_cues.csv`, so that a title held is shown in preference to a plan around it.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from analytics.pipeline.lexicon import TARGETS, clause_bounds, find_mentions, first_chars, read_lexicon, status_cues
from analytics.registry import TABLES
from analytics.resources import taxonomy_values

COLUMNS = TABLES["assets"]
DOMAINS = taxonomy_values("domain")  # data/taxonomies.csv, in the order rows are sorted by


@lru_cache(maxsize=1)
def asset_lexicon() -> pd.DataFrame:
    """data/assets.csv: domain, asset, asset_en, pattern (a Python regex without capturing groups)."""
    return read_lexicon("assets.csv")


@lru_cache(maxsize=1)
def _asset_matcher() -> tuple[re.Pattern, dict[str, str]]:
    table = asset_lexicon()
    groups = {f"a{i}": asset for i, asset in enumerate(table["asset"])}
    pattern = "|".join(f"(?P<a{i}>{p})" for i, p in enumerate(table["pattern"]))
    starts = [first_chars(p) for p in table["pattern"]]
    if all(s is not None for s in starts):
        # Reject at once the many positions where no asset can start (about 10x faster on long texts).
        pattern = f"(?=[{re.escape(''.join(sorted(frozenset().union(*starts))))}])(?:{pattern})"
    return re.compile(pattern), groups


@lru_cache(maxsize=1)
def asset_cues() -> dict[str, re.Pattern]:
    """data/asset_cues.csv as one regex per status ('absent', 'aspiration')."""
    table = read_lexicon("asset_cues.csv")
    return {status: re.compile("|".join(f"(?:{c})" for c in group["cue"]))
            for status, group in table.groupby("status")}


def asset_mentions(passages: pd.DataFrame) -> pd.DataFrame:
    """Passages -> one row per asset mention: passage_id, doc_id, unit, asset, form, start, end, cue
    ('has'/'targets'/'' from the industry status cues), claim ('absent'/'aspiration'/'' from
    data/asset_cues.csv, judged in the clause), evidence (the sentence)."""
    pattern, groups = _asset_matcher()
    mentions = find_mentions(passages, pattern, lambda m: groups[m.lastgroup], status_cues())
    mentions = mentions.rename(columns={"label": "asset"})
    mentions["claim"] = [_claim(t, s, e) for t, s, e in
                         zip(_passage_texts(passages, mentions), mentions["start"], mentions["end"])]
    return mentions


def _passage_texts(passages: pd.DataFrame, mentions: pd.DataFrame) -> list[tuple[str, int]]:
    texts = dict(zip(passages["passage_id"], zip(passages["text"], passages["start"].astype(int))))
    return [texts[pid] for pid in mentions["passage_id"]]


def _claim(passage: tuple[str, int], start: int, end: int) -> str:
    """'absent' or 'aspiration' when the clause of the mention says so, else ''."""
    text, offset = passage
    a, b = clause_bounds(text, start - offset, 0, len(text))
    scope = text[a:start - offset] + "\u3000" + text[end - offset:b]
    for status in ("absent", "aspiration"):
        cue = asset_cues().get(status)
        if cue is not None and cue.search(scope):
            return status
    return ""


# One row per document x unit x asset: a document's rows never depend on which other documents were
# analysed with it (the store analyses one at a time, the engine in batches).
KEYS = ["doc_id", "unit", "asset"]


def extract_assets(passages: pd.DataFrame) -> pd.DataFrame:
    """Passages -> assets table (TABLES['assets']): one row per document x unit x asset class mentioned.

    Input columns: passage_id, doc_id, unit, start, end, text (text == clean_text[start:end]).
    Output columns: unit, domain ('ecology'/'tourism'/'investment'), asset, asset_en, doc_id,
    evidence (a sentence naming it), start, end (offsets of the matched words in clean_text).
    Rows are sorted by unit, domain (in DOMAINS order), then order of first mention.

    >>> p = pd.DataFrame({"passage_id": ["d#0"], "doc_id": ["d"], "unit": ["甲县"], "start": [0],
    ...                   "end": [14], "text": ["境内有牛背梁国家森林公园。"]})
    >>> extract_assets(p)[["asset", "domain"]].values.tolist()
    [['国家森林公园', 'ecology']]
    """
    mentions = asset_mentions(passages)
    if not mentions.empty:
        domain = mentions["asset"].map(dict(zip(asset_lexicon()["asset"], asset_lexicon()["domain"])))
        dropped = (mentions["claim"] == "absent") | (
            (mentions["claim"] == "aspiration") & (domain != "investment"))
        mentions = mentions[~dropped].reset_index(drop=True)
    if mentions.empty:
        return pd.DataFrame(columns=COLUMNS).astype({"start": "int64", "end": "int64"})
    # Prefer a mention that is not stated as a goal, so the evidence shows the asset as held.
    mentions["is_goal"] = mentions["cue"] == TARGETS
    first = (mentions.reset_index(names="order")
             .sort_values(["is_goal", "order"], kind="stable")
             .drop_duplicates(KEYS))
    order = mentions.drop_duplicates(KEYS).reset_index(names="order")[[*KEYS, "order"]]
    table = (first.drop(columns="order").merge(order, on=KEYS)
             .merge(asset_lexicon()[["asset", "domain", "asset_en"]], on="asset", how="left"))
    table["domain_rank"] = table["domain"].map({d: i for i, d in enumerate(DOMAINS)})
    table = table.sort_values(["unit", "domain_rank", "order"], kind="stable")
    return table[COLUMNS].reset_index(drop=True).astype({"start": "int64", "end": "int64"})
