"""UI string keys -> Chinese or English text; every label shown lives in data/ui_strings.csv.

The dashboard is Chinese-first: `lang` defaults to 'zh' everywhere, and English is a toggle.
Keys are dotted groups (`page.*`, `chart.*`, `axis.*`, `legend.*`, `category.*`, `kind.*`,
`status.*`, `button.*`, `footer.*`, `method.*`), so a data value such as a figure category can be
looked up as `label("category", value)`.

>>> t("page.overview"), t("page.overview", "en")
('概览', 'Overview')
>>> t("chart.terms.subtitle", "en", n=10)
'Top 10 per unit'
"""
from __future__ import annotations

from functools import cache

from analytics.resources import TAXONOMIES, read_records

LANGS = ("zh", "en")
STRINGS_FILE = "ui_strings.csv"


@cache
def strings() -> dict[str, dict[str, str]]:
    """Every UI string: key -> {'zh': ..., 'en': ...}, read once from data/ui_strings.csv, plus the labels
    of the taxonomies (data/taxonomies.csv) as `taxonomy.value` keys (`category.ecology`, `kind.zone` …)."""
    out = {row["key"]: {lang: row[lang] for lang in LANGS} for row in read_records(STRINGS_FILE, strip=False)}
    for row in read_records(TAXONOMIES):
        key = f"{row['taxonomy']}.{row['value']}"
        if key in out:
            raise ValueError(f"{key} is defined in data/{STRINGS_FILE} and in data/{TAXONOMIES}: keep one")
        out[key] = {lang: row[lang] for lang in LANGS}
    return out


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return lang


def t(key: str, lang: str = "zh", **fmt) -> str:
    """The text of `key` in `lang`, with `{name}` placeholders filled from `fmt`."""
    check_lang(lang)
    try:
        text = strings()[key][lang]
    except KeyError:
        raise KeyError(f"unknown UI string {key!r}: add it to data/{STRINGS_FILE}") from None
    return text.format(**fmt) if fmt else text


def has_key(key: str) -> bool:
    return key in strings()


def label(group: str, value: object, lang: str = "zh") -> str:
    """The label of a data value in a key group (`label('status', 'has')` -> '已有').

    Data can carry values the strings file does not know yet (a new category from the
    pipeline); those are shown as they are rather than breaking a chart.
    """
    key = f"{group}.{value}"
    return t(key, lang) if has_key(key) else str(value)


def group_keys(group: str) -> list[str]:
    """The values defined for a key group, e.g. group_keys('status') -> ['has', 'targets']."""
    prefix = f"{group}."
    return [key[len(prefix):] for key in strings() if key.startswith(prefix)]
