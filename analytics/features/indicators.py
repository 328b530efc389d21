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
CHANGE = "_change"  # a change of a level in its own measure (粮食产量减少0.3亿斤 -> grain_output_change, -0.3)
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
    within_document: bool = False  # one event's batch (签约项目): compared only within one document

    @property
    def default_qualifier(self) -> str:
        return self.qualifiers[0] if self.qualifiers else ""


@lru_cache(maxsize=None)
def catalogue() -> dict[str, Indicator]:
    out = {}
    for r in read_records("indicator_catalogue.csv"):
        qualifiers = tuple(q for q in r["qualifiers"].split("|") if q)
        out[r["id"]] = Indicator(r["id"], r["zh"], r["en"], r["dimension"], r["category"], qualifiers,
                                 r["bare_measure"], r["catch_all"] == "yes", r["definition"],
                                 r["compared"] == "within_document")
    return out


def base_id(indicator_id: str) -> str:
    for suffix in (GROWTH, CHANGE):
        if indicator_id.endswith(suffix):
            return indicator_id[: -len(suffix)]
    return indicator_id


def indicator(indicator_id: str) -> Indicator | None:
    """The catalogue entry of an id; a growth id gets a derived entry (地区生产总值增速, GDP growth), and so
    does a change id (粮食产量增量, grain output change: the base's dimension, never comparable with it)."""
    cat = catalogue()
    if indicator_id in cat:
        return cat[indicator_id]
    base = cat.get(base_id(indicator_id))
    if base is None or base.catch_all:
        return None
    if indicator_id.endswith(GROWTH):
        return Indicator(indicator_id, base.zh + "增速", base.en + " growth", "percent", base.category,
                         base.qualifiers, "", False, f"growth rate of {base.en.lower()}", base.within_document)
    if indicator_id.endswith(CHANGE):
        return Indicator(indicator_id, base.zh + "增量", base.en + " change", base.dimension, base.category,
                         base.qualifiers, base.bare_measure, False, f"change of {base.en.lower()} in a period",
                         base.within_document)
    return None


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

    a, b: mappings with indicator_id, qualifier, status, period, entity, measure_normalized and doc_id.
    Never comparable: different indicators (a level and its growth rate included); a figure that no
    catalogue indicator names (a catch-all: its own words only); different qualifiers, statuses or periods;
    an entity's figure; different measures; two batches of an event reported by two documents (签约项目
    of two ceremonies: the catalogue's compared=within_document).
    """
    if a.get("indicator_id") != b.get("indicator_id"):
        return False, "indicator"
    ident = a.get("indicator_id", "")
    entry = indicator(ident)
    if entry is None or entry.catch_all:
        return False, "uncatalogued"
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
    if entry.within_document and a.get("doc_id") != b.get("doc_id"):
        return False, "batch"
    return True, ""


@lru_cache(maxsize=1)
def _no_names() -> frozenset[str]:
    """Own words that name nothing (比例, 数量, 金额, 人数, 数值, 增速 …): the catch-all indicators' Chinese names,
    the names a measure gives a figure that names nothing where that measure's indicator is a catch-all
    (data/measure_units.csv: 元 -> 金额; not 乡 -> 乡数, which names administrative divisions), and the bare
    rate words; never a word the lexicon or an indicator head names (人口)."""
    catch_all = {ident for ident, entry in catalogue().items() if entry.catch_all}
    words = {entry.zh for entry in catalogue().values() if entry.catch_all}
    words |= {r["default_indicator"] for r in read_records("measure_units.csv")
              if r["default_indicator"] and r["indicator_id"] in catch_all}
    words -= {r["indicator"] for r in read_records("indicators.csv") if r["kind"] == "measure"}
    words -= {r["head"] for r in read_records("indicator_heads.csv") if r["indicator_id"] not in catch_all}
    words |= {r["indicator"] for r in read_records("indicators.csv") if r["kind"] in ("growth", "decline")}
    words |= {w + "增速" for w in words} | {w + "增量" for w in words}
    return frozenset(words | {"增量"})


def is_unnamed(own_words: str) -> bool:
    """True when a figure's own words say nothing of what it measures (比例, 数量增速): such a figure is
    kept, but out of every comparison."""
    return not own_words or own_words in _no_names()
