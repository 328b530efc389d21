"""Text -> quantities: Chinese and Arabic numerals, ranges, hedges, magnitudes and units of measure.

The vocabulary is data, not code: units of measure with their normalisation (`data/measure_units.csv`),
magnitude prefixes 万/亿 … (`data/magnitudes.csv`), hedge words 约/多/以上 … (`data/hedges.csv`) and
words after which a number is a label, not a fact (`data/non_figure_followers.csv`). They are
compiled once into one regular expression, so a 10 KB document is scanned in one pass.

Conventions (tested in tests/test_numbers.py):
- A quantity is a number followed by a magnitude and/or a unit: 18.7万人, 76%, 1,512平方公里,
  3万多 (bare magnitude, measure_normalized ""), 百分之七十六. A bare number (a year, a list marker,
  a phone number, 十四五) is not a quantity.
- Ranges 3-5万亩 / 3至5万亩: `value` is the low bound, `value_high` the high bound; the matched
  span covers the whole range so the evidence shows it.
- Hedges (约, 近, 多, 余, 以上, 左右 …) never change the value; they are returned in `hedge` and the
  span includes them.
- value_normalized = value × magnitude × unit multiplier; measure_normalized is the unit's base
  (亿元→元, 万人→人, 万亩→亩, 万千瓦→千瓦, 名→人).
- Ratios 8.4:64.9:26.7 are one quantity of kind "ratio" whose parts are listed; figures.py decides
  what they mean.
- Chinese numerals are accepted only with units that admit them (`chinese_ok`): 五万亩 is a
  quantity, 两天 and 一个 are not; 五大 and 两个 need a countable noun after them, which figures.py checks
  (`needs_noun`). A Chinese 一 without magnitude is always idiom (一批, 一座城) and is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from analytics.pipeline.lexicon import longest_first
from analytics.resources import read_table

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_ZERO = "零〇"
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_ROUND_LEADS = {"百": 100.0, "千": 1000.0}
_MILESTONES = ("大关", "台阶", "目标")  # 冲刺地区生产总值千亿大关: a round figure named as a milestone

NUM_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral starts with a digit or 十 (百亩/千亩/万亩 alone are names of a class, not counts).
NUM_CN = (r"(?:[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:[万亿][零〇一二两三四五六七八九十百千]+)*"
          r"|[百千](?=[万亿]))")  # 千亿, 百万: a leading 百/千 means one hundred / one thousand
_NUM = f"(?:{NUM_AR}|{NUM_CN})"
_RANGE_SEP = r"[-~～—–至到]"
_RATIO_SEP = r"[:：︰∶]"

QUANTITY_COLUMNS = [
    "start", "end", "text", "value", "value_high", "hedge", "magnitude", "unit", "measure",
    "value_normalized", "measure_normalized", "measure_kind", "numeral", "needs_noun", "is_ratio", "parts",
]


def parse_chinese_integer(s: str) -> int | None:
    """Value of a Chinese integer numeral, or None when it is not well formed.

    Place notation (十二, 一百零五, 三万五千, 一亿二千万) and digit-by-digit years (二〇二五) are read;
    a run of bare digits without 〇/零 such as 五六 ("five or six") is ambiguous and gives None.

    >>> parse_chinese_integer("十二"), parse_chinese_integer("两千"), parse_chinese_integer("二〇二五")
    (12, 2000, 2025)
    """
    if not s:
        return None
    if not any(c in _CN_SMALL or c in _CN_BIG for c in s):
        if len(s) == 1 and s in _CN_DIGITS:
            return _CN_DIGITS[s]
        # Digit-by-digit only when a zero marks it as such (二〇二五); 五六 means "five or six".
        if len(s) > 1 and any(c in _CN_ZERO for c in s) and all(c in _CN_DIGITS or c in _CN_ZERO for c in s):
            return int("".join(str(_CN_DIGITS.get(c, 0)) for c in s))
        return None
    total = 0
    section = 0
    digit: int | None = None
    last_small = 10_000  # place values inside a section must fall: 二千三百, never 二十三百
    last_big = 10**13
    for ch in s:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        elif ch in _CN_ZERO:
            if digit is not None:
                return None
        elif ch in _CN_SMALL:
            place = _CN_SMALL[ch]
            if place >= last_small:
                return None
            if digit is None:
                if ch != "十":
                    return None
                digit = 1
            section += digit * place
            digit = None
            last_small = place
        elif ch in _CN_BIG:
            place = _CN_BIG[ch]
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                return None
            if place == 10_000:
                if last_big <= 10_000:
                    return None
                total += section * place
            else:
                # 亿 scales everything before it: 一万亿 = 10^12.
                total = (total + section) * place
            last_big = place
            section = 0
            last_small = 10_000
        else:
            return None
    return total + section + (digit or 0)


def to_chinese_numeral(n: int) -> str:
    """Standard Chinese numeral for 0 <= n < 10^12 (十二, 一百零五, 一万零一); the inverse of the parser.

    >>> to_chinese_numeral(10), to_chinese_numeral(1010), to_chinese_numeral(100000)
    ('十', '一千零一十', '十万')
    """
    if n < 0 or n >= 10**12:
        raise ValueError(n)
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"

    def four(k: int) -> str:
        out, zero = "", False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = k // place % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += digits[d] + name
        return out

    parts = []
    for place, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // place % 10_000
        parts.append((chunk, name))
    out = ""
    for i, (chunk, name) in enumerate(parts):
        if chunk == 0:
            continue
        if out and chunk < 1000:
            out += "零"
        out += four(chunk) + name
    # 一十 at the very start is written 十 (十二, 十万).
    if out.startswith("一十"):
        out = out[1:]
    return out


def parse_number(s: str) -> float | None:
    """Arabic (1,512 / 18.7) or Chinese (十二 / 两) numeral -> float; None when unreadable."""
    s = s.strip()
    if not s:
        return None
    if s[0].isdigit():
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    v = parse_chinese_integer(s)
    return None if v is None else float(v)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float | None
    value_high: float | None = None
    hedge: str = ""
    magnitude: str = ""
    unit: str = ""
    measure: str = ""
    value_normalized: float | None = None
    measure_normalized: str = ""
    measure_kind: str = ""
    numeral: str = "arabic"
    needs_noun: bool = False
    is_ratio: bool = False
    parts: tuple = field(default_factory=tuple)  # ratio: ((value, start, end), ...)
    scale_class: bool = False  # 300亿级 / 千亿级: the class an industry is built to, in 元


@dataclass(frozen=True)
class _Vocabulary:
    regex: re.Pattern
    units: dict  # unit -> row dict
    magnitudes: dict  # prefix -> multiplier
    followers: tuple


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    """The units, magnitudes and hedges from data/, compiled once into the quantity regex."""
    units_df = read_table("measure_units.csv")
    mags_df = read_table("magnitudes.csv")
    hedges_df = read_table("hedges.csv")
    follow_df = read_table("non_figure_followers.csv")
    units = {r["measure"]: {**r, "multiplier": float(r["multiplier"])} for r in units_df.to_dict("records")}
    mags = {r["prefix"]: float(r["multiplier"]) for r in mags_df.to_dict("records")}
    pre = longest_first(hedges_df.loc[hedges_df.position == "pre", "hedge"])
    mid = longest_first(hedges_df.loc[hedges_df.position == "mid", "hedge"])
    post = longest_first(hedges_df.loc[hedges_df.position == "post", "hedge"])
    mag = longest_first(mags)
    unit = longest_first(units)
    # Every quantity starts with a digit, a Chinese digit, 百(分之) or a hedge: a lookahead on that one
    # character lets the engine skip all other positions cheaply (twice as fast on Chinese prose).
    first = "".join(sorted(set("0123456789一二两三四五六七八九十百千") | {h[0] for h in hedges_df["hedge"]}))
    pattern = (
        rf"(?=[{re.escape(first)}])(?:"
        # A ratio is tried first at each position, so 8.4:64.9:26.7 is not read as 8.4.
        rf"(?P<ratio>{NUM_AR}(?:{_RATIO_SEP}{NUM_AR})+)"
        rf"|(?P<pre>{pre})?"
        rf"(?:百分之(?P<pnum>{_NUM})"
        rf"|(?P<num>{_NUM})(?:(?P<mag1>{mag})?{_RANGE_SEP}(?P<num2>{_NUM}))?"
        rf"(?P<h1>{mid})?(?P<space> )?"  # 3 个, 60 平方公里: a space may stand before the measure
        # Unit with or without magnitude first, bare magnitude last: 5千瓦 is 5 千瓦, not 5千 + 瓦.
        # The tail is required, so a bare number (a year, 一是, a phone number) never matches at all.
        rf"(?:(?P<big>大)|(?P<mag>{mag})?(?P<h2>{mid})?(?P<unit>{unit})|(?P<bare>{mag})(?P<h3>{mid})?))"
        rf"(?P<post>{post})?)"
    )
    return _Vocabulary(re.compile(pattern), units, mags, tuple(follow_df["follower"]))


def _quantity(m: re.Match, text: str, voc: _Vocabulary) -> Quantity | None:
    start, end = m.span()
    if m.group("ratio"):
        parts = []
        for p in re.finditer(NUM_AR, m.group("ratio")):
            parts.append((float(p.group().replace(",", "")), start + p.start(), start + p.end()))
        return Quantity(start, end, m.group(), None, is_ratio=True, parts=tuple(parts), numeral="arabic")
    num_text = m.group("pnum") or m.group("num")
    num_start = m.start("pnum") if m.group("pnum") else m.start("num")
    before = text[num_start - 1] if num_start > 0 else ""
    # 第二 is an ordinal; 5A / G5 / 1.2.3 are codes, not quantities.
    if before == "第" or (before and (before.isascii() and (before.isalnum() or before == "."))):
        return None
    follower = text[end:end + 1] in voc.followers
    scale = follower and text[end] == "级" and not m.group("unit") and (m.group("bare") or "") in ("亿", "万亿")
    if follower and not scale:
        return None
    # a leading 百/千 before 万/亿 (千亿, 百万) is one hundred / one thousand; alone it is no number
    value = _ROUND_LEADS[num_text] if num_text in _ROUND_LEADS else parse_number(num_text)
    if value is None:
        return None
    chinese = not num_text[0].isdigit()
    if _minus_before(text, num_start) and not m.group("pre"):
        value, start = -value, start - 1  # 增长-1.2%, -0.4‰: the sign is part of the number as written
    hedge = "".join(h for h in (m.group(g) for g in ("pre", "h1", "h2", "h3", "post")) if h)
    if m.group("pnum"):
        return Quantity(start, end, text[start:end], value, None, hedge, "", "%", "%", value, "%", "percent",
                        "chinese" if chinese else "arabic")
    mag = m.group("mag") or m.group("bare") or ""
    unit = m.group("unit") or ""
    big = bool(m.group("big"))
    if not (mag or unit or big):
        return None
    needs_noun = big
    if scale:
        mult = voc.magnitudes[m.group("bare")]
        return Quantity(start, end + 1, m.group() + "级", value, None, hedge, m.group("bare"), "元",
                        m.group("bare") + "元", value * mult, "元", "currency", "chinese" if chinese else "arabic",
                        scale_class=True)
    if chinese:
        if value == 1 and not mag:
            return None
        if unit:
            ok = voc.units[unit]["chinese_ok"]
            if ok == "no":
                return None
            needs_noun = needs_noun or ok == "noun"
        elif not big and not hedge and not (num_text in _ROUND_LEADS and text.startswith(_MILESTONES, end)):
            # 十万火急, 千万不要: a Chinese numeral with a bare magnitude is idiom; 过千亿 and 千亿大关 are not
            return None
    multiplier = voc.magnitudes.get(mag, 1.0)
    value_high = parse_number(m.group("num2")) if m.group("num2") else None
    if m.group("num2") and value_high is None:
        return None
    if big:
        uom, unorm, kind = "个", "个", "count"
    elif unit:
        row = voc.units[unit]
        multiplier *= row["multiplier"]
        uom, unorm, kind = mag + unit, row["measure_normalized"], row["kind"]
    else:
        uom, unorm, kind = mag, "", "count"
        needs_noun = True  # 3万多 what? only a following noun says
    return Quantity(
        start, end, text[start:end], value, value_high, hedge, mag, unit, uom, value * multiplier, unorm, kind,
        "chinese" if chinese else "arabic", needs_noun,
    )


_MINUS = "-−－﹣"


def _minus_before(text: str, at: int) -> bool:
    """A minus sign right before the number at `at` that is no range dash (1-9月) or word dash (H-1)."""
    if at == 0 or text[at - 1] not in _MINUS:
        return False
    before = text[at - 2] if at >= 2 else ""
    return not (before.isascii() and before.isalnum()) and not before.isdigit()


def scan_quantities(text: str) -> list[Quantity]:
    """All quantities in `text`, in order, as Quantity records (offsets into `text`)."""
    voc = vocabulary()
    out = []
    for m in voc.regex.finditer(text):
        q = _quantity(m, text, voc)
        if q is not None:
            out.append(q)
    return out


def find_quantities(text: str) -> pd.DataFrame:
    """Quantities of one text as a table.

    Output columns: start, end (offsets into `text`), text (the span, hedges and range included),
    value (low bound of a range), value_high, hedge, magnitude, unit, measure (magnitude+unit
    as written, e.g. 万人), value_normalized, measure_normalized, measure_kind, numeral (arabic|chinese),
    needs_noun, is_ratio, parts.

    >>> find_quantities("总人口18.7万人")[["value", "measure", "value_normalized"]].values.tolist()
    [[18.7, '万人', 187000.0]]
    """
    rows = [q.__dict__ for q in scan_quantities(text)]
    return pd.DataFrame(rows, columns=QUANTITY_COLUMNS)


def normalized_measure(value: float, measure: str) -> tuple[float, str]:
    """(value, measure as written: 65.25, 亿元) -> (value_normalized, measure_normalized): (6.525e9, 元).

    The same arithmetic as a scanned quantity; a measure the vocabulary does not know (位次) is its own base.
    """
    voc = vocabulary()
    if measure in voc.units:
        row = voc.units[measure]
        return value * row["multiplier"], row["measure_normalized"]
    for prefix in sorted(voc.magnitudes, key=len, reverse=True):
        if measure.startswith(prefix):
            rest = measure[len(prefix):]
            if not rest:
                return value * voc.magnitudes[prefix], ""
            if rest in voc.units:
                row = voc.units[rest]
                return value * voc.magnitudes[prefix] * row["multiplier"], row["measure_normalized"]
    return value, measure
