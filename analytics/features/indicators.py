"""The canonical indicator catalogue (data/indicator_catalogue.csv) and the one comparability rule.

A figure keeps the sentence's own words (`indicator`) and says what it measures: `indicator_id` (an id of
the catalogue, or "<id>_growth" for a growth rate of it), `qualifier` (城镇 / 农村 / 全体居民, 森林 / 林草 …),
`status` (actual, estimate, target, plan), `period` and `entity`. Views compare two figures only when
`comparable` says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analytics.resources import read_records, taxonomy_values

GROWTH = "_growth"
STATUSES = tuple(taxonomy_values("figure_status"))  # actual, estimate, target, plan
PERIODS = ("", *taxonomy_values("period"))  # '' = a point or one calendar year
DIMENSIONS = {"people", "visits", "households", "area", "percent", "count", "money", "mass", "energy", "power",
              "temperature", "length", "duration", "volume", "concentration", "rank", "multiple", "other"}


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    dimension: str
    category: str
    qualifiers: tuple[str, ...]
    bare_measure: str
    catch_all: bool   # the last resort of a figure no narrower indicator names: never compared
    definition: str

    @property
    def default_qualifier(self) -> str:
        return self.qualifiers[0] if self.qualifiers else ""


@lru_cache(maxsize=None)
def catalogue() -> dict[str, Indicator]:
    out = {}
    for r in read_records("indicator_catalogue.csv"):
        qualifiers = tuple(q for q in r["qualifiers"].split("|") if q)
        out[r["id"]] = Indicator(r["id"], r["zh"], r["en"], r["dimension"], r["category"], qualifiers,
                                 r["bare_measure"], r["catch_all"] == "yes", r["definition"])
    return out


def base_id(indicator_id: str) -> str:
    return indicator_id[: -len(GROWTH)] if indicator_id.endswith(GROWTH) else indicator_id


def indicator(indicator_id: str) -> Indicator | None:
    """The catalogue entry of an id; a growth id gets a derived entry (地区生产总值增速, GDP growth)."""
    cat = catalogue()
    if indicator_id in cat:
        return cat[indicator_id]
    base = cat.get(base_id(indicator_id))
    if base is None or not indicator_id.endswith(GROWTH):
        return None
    return Indicator(indicator_id, base.zh + "增速", base.en + " growth", "percent", base.category,
                     base.qualifiers, "", False, f"growth rate of {base.en.lower()}")


@lru_cache(maxsize=None)
def catch_all_ids() -> frozenset[str]:
    """The catalogue's catch-all ids (count, amount, share, growth …: data/indicator_catalogue.csv)."""
    return frozenset(ident for ident, entry in catalogue().items() if entry.catch_all)


def is_known(indicator_id: str) -> bool:
    return indicator(indicator_id) is not None


def names(indicator_id: str) -> tuple[str, str]:
    """(zh, en) of an id; the id itself when it is not catalogued."""
    entry = indicator(indicator_id)
    return (entry.zh, entry.en) if entry else (indicator_id, indicator_id)


def qualifier_or_default(indicator_id: str, qualifier: str) -> str:
    entry = indicator(indicator_id)
    return qualifier or (entry.default_qualifier if entry else "")


def comparable(a: dict, b: dict) -> tuple[bool, str]:
    """Whether two figures measure the same thing, and if not, why (the first difference found).

    a, b: mappings with indicator_id, qualifier, status, period, entity and measure_normalized.
    """
    if a.get("indicator_id") != b.get("indicator_id"):
        return False, "indicator"
    ident = a.get("indicator_id", "")
    if qualifier_or_default(ident, a.get("qualifier", "")) != qualifier_or_default(ident, b.get("qualifier", "")):
        return False, "qualifier"
    if (a.get("status") or "actual") != (b.get("status") or "actual"):
        return False, "status"
    if (a.get("period") or "") != (b.get("period") or ""):
        return False, "period"
    if bool(a.get("entity")) or bool(b.get("entity")):
        return False, "entity"
    if a.get("measure_normalized") and b.get("measure_normalized") and \
            a["measure_normalized"] != b["measure_normalized"]:
        return False, "measure"
    return True, ""
