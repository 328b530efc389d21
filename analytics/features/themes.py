"""Passages + theme lexicon -> themes: one row per unit x theme, keyword hits and their share.

`data/themes.csv` has one row per keyword (theme, theme_zh, theme_en, keyword). All keywords of all themes
run as one longest-match regex (analytics.pipeline.lexicon), so overlapping keywords are never double counted:
生态旅游 is one tourism hit, not a tourism hit plus an ecology hit for 生态.

Counting on the clean text rather than on tokens keeps a theme count independent of how the segmenter
cuts a phrase; the same lexicon feeds the segmenter's dictionary (data/domain_dict.txt) so both agree.
Each theme's one display colour is in data/theme_colors.csv (`theme_colors`).
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analytics.pipeline.lexicon import compile_terms, read_lexicon
from analytics.registry import TABLES
from analytics.resources import read_records

COLUMNS = TABLES["themes"]


@lru_cache(maxsize=1)
def theme_lexicon() -> pd.DataFrame:
    """data/themes.csv: theme (key), theme_zh, theme_en, keyword — one row per keyword."""
    return read_lexicon("themes.csv")


@lru_cache(maxsize=1)
def themes() -> pd.DataFrame:
    """One row per theme, in file order: theme, theme_zh, theme_en."""
    return theme_lexicon()[["theme", "theme_zh", "theme_en"]].drop_duplicates("theme").reset_index(drop=True)


@lru_cache(maxsize=1)
def _theme_matcher():
    lexicon = theme_lexicon()
    keyword_theme = dict(zip(lexicon["keyword"], lexicon["theme"]))
    return compile_terms(keyword_theme), keyword_theme


@lru_cache(maxsize=1)
def theme_colors() -> dict[str, str]:
    """Theme key -> its one colour ('#rrggbb'), in lexicon order, from data/theme_colors.csv.

    Every chart, page and deck slide that colours by theme reads this, so a theme keeps its colour whatever
    the selection or language. A theme without a colour, or a colour for no theme, is an error here rather
    than a chart that silently borrows another theme's colour.
    """
    colors = {row["theme"]: row["color"].lower() for row in read_records("theme_colors.csv")}
    keys = themes()["theme"].tolist()
    missing, unknown = sorted(set(keys) - set(colors)), sorted(set(colors) - set(keys))
    if missing or unknown:
        raise ValueError(f"data/theme_colors.csv: themes without a colour {missing}, colours of no theme {unknown}")
    return {key: colors[key] for key in keys}


def theme_label(theme: str, lang: str = "zh") -> str:
    """Display name of a theme key: theme_label('ecology', 'zh') == '生态环保'; lang 'en' gives English.

    An unknown key is returned unchanged, so a label never hides data.
    """
    labels = _theme_labels().get(theme)
    if labels is None:
        return theme
    return labels[1] if lang == "en" else labels[0]


@lru_cache(maxsize=1)
def _theme_labels() -> dict[str, tuple[str, str]]:
    """theme key -> (theme_zh, theme_en), first row of each key (charts label every row with it)."""
    table = themes()
    return {key: (str(zh), str(en)) for key, zh, en in zip(table["theme"], table["theme_zh"], table["theme_en"])}


def theme_hits(passages: pd.DataFrame) -> pd.DataFrame:
    """Passages (unit, text) -> one row per unit x keyword found: unit, theme, keyword, hits."""
    pattern, keyword_theme = _theme_matcher()
    counts: dict[tuple[str, str], int] = {}
    for unit, text in zip(passages["unit"], passages["text"]):
        for m in pattern.finditer(text):
            key = (unit, m.group())
            counts[key] = counts.get(key, 0) + 1
    rows = [(unit, keyword_theme[kw], kw, n) for (unit, kw), n in counts.items()]
    return pd.DataFrame(rows, columns=["unit", "theme", "keyword", "hits"]).astype({"hits": "int64"})


def theme_shares(passages: pd.DataFrame) -> pd.DataFrame:
    """Passages -> themes table (TABLES['themes']): one row per unit x theme.

    Input columns: unit, text (other passage columns are ignored).
    Output columns: unit, theme (key), theme_en, hits (keyword occurrences in the unit's passages, int),
    share (hits / all theme hits of the unit, float). Every unit that has passages gets one row for every
    theme, zeros included, so charts and comparisons see a full grid; a unit's shares sum to 1, except for
    a unit with no theme hit at all, whose shares are all 0 (not NaN). Sorted by unit, then theme in
    lexicon order.

    >>> p = pd.DataFrame({"unit": ["甲县"], "text": ["坚持绿水青山就是金山银山，发展全域旅游。"]})
    >>> t = theme_shares(p)
    >>> t.loc[t["hits"] > 0, ["theme", "hits", "share"]].values.tolist()
    [['ecology', 1, 0.5], ['tourism_wellness', 1, 0.5]]
    """
    hits = theme_hits(passages).groupby(["unit", "theme"], as_index=False)["hits"].sum()
    units = pd.Series(pd.unique(passages["unit"]), name="unit", dtype="str").sort_values()
    grid = units.to_frame().merge(themes()[["theme", "theme_en"]], how="cross")
    table = grid.merge(hits, on=["unit", "theme"], how="left")
    table["hits"] = table["hits"].fillna(0).astype("int64")
    total = table.groupby("unit")["hits"].transform("sum")
    table["share"] = (table["hits"] / total.where(total > 0)).fillna(0.0).astype("float64")
    return table[COLUMNS].reset_index(drop=True)
