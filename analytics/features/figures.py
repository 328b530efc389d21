"""Passages -> figures: every quantitative fact, with its indicator, normalised value, year, target flag and sentence.

One row of `figures` (columns: analytics.registry.TABLES["figures"]) is one quantity found by
analytics.features.quantities in a passage, placed in its sentence and named:

- indicator: the sentence's own indicator noun, normalised through `data/indicators.csv` when known
  (总人口, 森林覆盖率, 地区生产总值 …). Search order: a lexicon term right after the figure
  (76%的森林覆盖率); for counts, the countable noun after it (12个风电项目 -> 风电项目); the nearest
  lexicon term or indicator head (面积, 储量, 产值 … in `data/indicator_heads.csv`) before it in the
  same clause, whichever is nearer (煤田总面积, 康养产业产值); a lexicon term just after it
  (40万亩耕地); else the unit's default (人 -> 人口, ℃ -> 温度). "X占Y的85%" is named X占比;
  a growth word (增长, 提高) before a % is joined to the indicator it follows (地区生产总值增速).
- category: from the lexicon, the countable noun, the head, or the unit, in that order.
- ratios (三次产业比重 8.4:64.9:26.7): one figure per part, named from the lexicon's `parts`
  (第一产业占比 …), unit % when the parts sum to 100; a colon-separated run with no ratio
  indicator before it (a clock time) is not a figure.
- ranges: value is the low bound; the span (start:end) covers the range, so the evidence shows it.
- hedges (约, 多, 以上 …): value unchanged; the span includes the hedge.
- indicator_id, qualifier: the canonical indicator (data/indicator_catalogue.csv) the name maps to
  (canonical_indicator): 农村居民人均可支配收入 -> disposable_income / rural; 地区生产总值增速 -> gdp_growth.
- status: actual, estimate, target or plan, from the nearest cue of `data/status_cues.csv` before the
  figure (力争, 到2025年 -> target; 预计全年 -> estimate; 谋划, 拟 -> plan; 已建成, 打造了 -> actual);
  is_target is status == target.
- period: from `data/period_cues.csv` (上半年 -> h1, 年均 -> annual_avg, 每年 -> per_year, 累计 -> cumulative).
- year: for targets the cue's year (到2025年, 十四五末 via `data/plan_periods.csv`), else the last
  "YYYY年" (or 今年/去年/前年, resolved against the document's date when it has one) before the figure in
  its sentence, else the year that opens its paragraph.
- scope: a clause opening with a national/provincial subject (`data/scope_cues.csv`: 全国, 全省,
  我省 …) between the sentence start and the figure is not the unit's fact and is skipped; 全市/我市
  are skipped unless the unit itself is a 市.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from analytics.features.attribution import (COUNTY_LEVEL, RESPECTIVELY, Mention, Scope, SelfReference,
                                            clause_subjects, entity_of, entity_spans, listed_before,
                                            respective_units, self_reference_in)
from analytics.features.indicators import catch_all_ids, is_unnamed
from analytics.features.indicators import indicator as catalogued
from analytics.features.quantities import Quantity, normalized_measure, parse_number, scan_quantities, vocabulary
from analytics.features.tables import (Table, column_measure, find_tables, is_bare_growth, is_rank, is_total_row,
                                      number, table_measures)
from analytics.pipeline.lexicon import longest_first
from analytics.pipeline.text import CJK, sentence_spans
from analytics.registry import TABLES
from analytics.resources import read_column, read_table, taxonomy_values

COLUMNS = TABLES["figures"]
CATEGORIES = taxonomy_values("category")  # data/taxonomies.csv
MAX_INDICATOR_CHARS = 8
POST_WINDOW = 12
BOTTOM_RANK = "倒数位次"  # a rank counted from the bottom (倒数第二): never compared with one from the top
GROWTH_KINDS = ("growth", "decline")  # data/indicators.csv kinds of a rate word (增长; 下降 gives a negative value)
CHANGE = "增量"            # the name's ending of a change of a level (粮食产量增量)
CHANGE_ID = "_change"      # and its id's (grain_output_change)
# between a growth word and the amount it changes (减少0.3亿斤, 增加了1.2亿元, 下降到 is a level)
_CHANGE_GAP = re.compile(r"[了约近超逾达]{0,2}")

# Clause boundaries: Chinese punctuation always, ASCII , : ; only when not inside a number (1,512 / 8.4:64.9).
_CLAUSE = re.compile(r"[，；：、。！？!?\n（）()“”\"]|(?<!\d)[,:;]|[,:;](?!\d)")
_CLAUSE_NO_LIST = re.compile(r"[，；：。！？!?\n（）()“”\"]|(?<!\d)[,:;]|[,:;](?!\d)")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_LEADING_JUNK = re.compile(rf"^[^{CJK}A-Za-z]+")
# A noun phrase after a count ends at a particle, a list comma or the next number (4镇5乡136个行政村).
_NOUN_STOP = re.compile(r"[的和与及、\d]")
# 到2025年康养产业产值: the year is a time adverbial, not part of the indicator's name.
_YEAR_PREFIX = re.compile(r"^.*\d年")


def _read(name: str) -> pd.DataFrame:
    return read_table(name)


@dataclass(frozen=True)
class _Lexicons:
    indicators: list[dict]
    indicator_re: re.Pattern
    heads: dict
    head_re: re.Pattern
    nouns: dict
    noun_re: re.Pattern
    split_re: re.Pattern
    lead_re: re.Pattern
    status_cues: dict  # scope -> [(compiled cue, status)]
    period_cues: list  # [(compiled cue, period)]
    periods: dict
    scope_re: re.Pattern
    scope_suffix: dict
    units: dict
    canonical: dict  # indicator name -> (indicator_id, qualifier)
    head_ids: dict  # head or countable noun -> indicator_id
    rank_re: re.Pattern  # 居全省第12位 / 位列第39位 / 分列前三
    rank_hint: re.Pattern  # a cheap test that a sentence may hold a rank
    bare_growth: frozenset  # the names of a growth figure that names no subject (增速, 提高, 下降)
    decline_words: tuple  # the names a fall gives (下降), longest first
    growth_name: str  # the name of a plain growth rate (增速)
    rate_re: re.Pattern  # any rate word, in group "rise" (增长) or "fall" (下降)
    set_noun_re: re.Pattern  # (的)? … 项目 / 县 / 企业: what a threshold selects


@lru_cache(maxsize=1)
def lexicons() -> _Lexicons:
    """All data files of this stage, read and compiled once."""
    ind = _read("indicators.csv")
    rows = ind.to_dict("records")
    # Longer patterns first so 林草覆盖率 is preferred to 覆盖率-like shorter terms at one position;
    # one named group per row tells which row matched.
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["pattern"]), reverse=True)
    indicator_re = re.compile("|".join(f"(?P<i{i}>{rows[i]['pattern']})" for i in order))
    head_rows = _read("indicator_heads.csv").to_dict("records")
    noun_rows = _read("count_nouns.csv").to_dict("records")
    heads = {r["head"]: r["category"] for r in head_rows}
    nouns = {r["noun"]: (r["category"], r["keep"] == "1") for r in noun_rows}
    trim = _read("indicator_trim.csv")
    status_cues: dict = {"before": [], "clause": []}
    for r in _read("status_cues.csv").to_dict("records"):
        status_cues[r["scope"]].append((re.compile(r["cue"]), r["status"]))
    period_cues = [(re.compile(r["cue"]), r["period"]) for r in _read("period_cues.csv").to_dict("records")]
    periods = {r["period"]: int(r["end_year"]) for r in _read("plan_periods.csv").to_dict("records")}
    scope = _read("scope_cues.csv")
    scope_re = re.compile("|".join(f"(?P<s{i}>{c})" for i, c in enumerate(scope["cue"])))
    scope_suffix = {f"s{i}": s for i, s in enumerate(scope["own_suffix"])}
    units = {r["measure"]: r for r in _read("measure_units.csv").to_dict("records")}
    canonical = {r["indicator"]: (r["indicator_id"], r["qualifier"]) for r in rows}
    head_ids = {**{r["head"]: r["indicator_id"] for r in head_rows},
                **{r["noun"]: r["indicator_id"] for r in noun_rows}}
    verbs = longest_first(read_column("rank_verbs.txt", "verb"))
    cn = "[一二两三四五六七八九十]+"
    ordinal = rf"第(?:\d+|{cn})(?:位|名)?"
    rank_re = re.compile(
        rf"(?P<verb>{verbs})(?P<scope>[^，。；：！？、\d第首前]{{0,14}}?)"
        rf"(?P<rank>(?P<n>{ordinal}(?:、(?:倒数)?{ordinal})*)(?![届次批季个期轮])"
        rf"|(?P<first>首位|榜首|第一)|前(?P<top>\d+|{cn})(?:位|名)?)")
    return _Lexicons(
        rows, indicator_re, heads, re.compile(longest_first(heads)), nouns, re.compile(longest_first(nouns)),
        re.compile(longest_first(trim.loc[trim.role == "split", "word"])),
        re.compile("^(?:" + longest_first(trim.loc[trim.role == "lead", "word"]) + ")+"),
        status_cues, period_cues, periods, scope_re, scope_suffix, units, canonical, head_ids,
        rank_re, re.compile(rf"{verbs}"), frozenset(r["indicator"] for r in rows if r["kind"] in GROWTH_KINDS),
        tuple(sorted({r["indicator"] for r in rows if r["kind"] == "decline"}, key=len, reverse=True)),
        next(r["indicator"] for r in rows if r["kind"] == "growth"),
        re.compile("(?P<rise>" + "|".join(r["pattern"] for r in rows if r["kind"] == "growth") + ")|(?P<fall>"
                   + "|".join(r["pattern"] for r in rows if r["kind"] == "decline") + ")"),
        re.compile(rf"的?[^，。；、\d]{{0,12}}?(?:{longest_first(read_column('set_nouns.txt', 'noun'))})"),
    )


def _own_words(phrase: str, keep_tail: int, lx: _Lexicons) -> str:
    """The indicator as the sentence writes it: `phrase` ends with a head or countable noun of length
    `keep_tail`; cut after the last verb/particle before that tail and drop 全县/境内 …"""
    body, tail = phrase[:len(phrase) - keep_tail], phrase[len(phrase) - keep_tail:]
    body = _YEAR_PREFIX.sub("", body)
    last = None
    for last in lx.split_re.finditer(body):
        pass
    if last is not None:
        body = body[last.end():]
    return lx.lead_re.sub("", _LEADING_JUNK.sub("", body)) + tail


def _capped(name: str) -> str:
    # Long own-words names are mostly place or programme qualifiers; the head noun is at the end.
    return name[-MAX_INDICATOR_CHARS:]


def _last(regex: re.Pattern, text: str):
    m = None
    for m in regex.finditer(text):
        pass
    return m


def _lexicon_row(m: re.Match, lx: _Lexicons) -> dict:
    return lx.indicators[int(m.lastgroup[1:])]


def _noun_in(post: str, lx: _Lexicons):
    """First countable noun in the noun phrase that opens `post` (it stops at 的/和/、 or a number)."""
    stop = _NOUN_STOP.search(post)
    window = post[: stop.start() if stop else len(post)]
    return window, lx.noun_re.search(window)


def _name(q: Quantity, pre: str, post: str, lx: _Lexicons, pre_wide: str = "") -> tuple[str, str] | None:
    """(indicator, category) for quantity `q`, or None when it is not a figure (两个融入, 4个方面).

    `pre` is its clause before it, `post` the clause text after it (at most POST_WINDOW chars),
    `pre_wide` the clause before it with 、-lists kept whole (山地、丘陵占总面积的85%)."""
    unit_row = lx.units.get(q.unit, {})
    unit_category = unit_row.get("category", "other") or "other"
    counted = q.needs_noun or q.measure_kind in ("count", "people", "households")
    # 1. 76%的森林覆盖率, 15.6℃的年均气温
    if post.startswith("的"):
        m = lx.indicator_re.match(post, 1)
        if m and _lexicon_row(m, lx)["kind"] == "measure":
            row = _lexicon_row(m, lx)
            return row["indicator"], row["category"]
    # 2. 136个行政村, 12个风电项目, 五大产业
    if counted:
        window, m = _noun_in(post, lx)
        if m:
            category, keep = lx.nouns[m.group()]
            if not keep:
                return None
            phrase = window[: m.end()]
            if len(phrase) > MAX_INDICATOR_CHARS:
                phrase = phrase[-(len(m.group()) + 2):]
            return _lexicon_name(phrase, lx) or (phrase, category)
    if q.needs_noun:
        # Chinese counts, 五大 and bare 3万多 only count what the words right after them name.
        m = lx.indicator_re.search(post)
        if m and _lexicon_row(m, lx)["kind"] == "measure":
            row = _lexicon_row(m, lx)
            return row["indicator"], row["category"]
        return None
    # 3. nearest lexicon term, indicator head or countable noun before it in the clause
    share = q.measure_kind == "percent" and "占" in pre
    scope_text = pre_wide[: pre_wide.rfind("占")] if share and "占" in pre_wide else pre[: pre.rfind("占")] if share else pre
    lex = _last(lx.indicator_re, scope_text)
    growth, change = None, False
    if lex is not None and _lexicon_row(lex, lx)["kind"] in GROWTH_KINDS:
        growth, lex = lex, _last(lx.indicator_re, scope_text[: lex.start()])
        if q.measure_kind not in ("percent", "points", "multiple"):
            # 粮食产量减少0.3亿斤, 比上年增加1.2亿元: a growth word right before an amount makes it a change of
            # the level, never the level itself; further away (增长……，总投资5亿元) it names nothing
            change = _CHANGE_GAP.fullmatch(scope_text[growth.end():]) is not None
            growth = growth if change else None
    head = _last(lx.head_re, scope_text)
    # a measure that is a noun itself (5乡, 4镇) names its figure; a classifier (个, 家) leaves it to the noun
    generic_measure = unit_row.get("indicator_id", "") in catch_all_ids()
    noun = _last(lx.noun_re, scope_text) if counted and generic_measure else None
    candidates = []
    if lex is not None and _lexicon_row(lex, lx)["kind"] == "measure":
        candidates.append((lex.end(), 2, "lex", lex))
    if head is not None:
        candidates.append((head.end(), 1, "head", head))
    if noun is not None and lx.nouns[noun.group()][1]:
        candidates.append((noun.end(), 0, "noun", noun))
    if candidates:
        _, _, kind, m = max(candidates, key=lambda c: (c[0], c[1]))
        if kind == "lex":
            row = _lexicon_row(m, lx)
            name, category = row["indicator"], row["category"]
        else:
            phrase = _own_words(scope_text[: m.end()], len(m.group()), lx)
            fallback = lx.heads[m.group()] if kind == "head" else lx.nouns[m.group()][0]
            name, category = _lexicon_name(phrase, lx) or (_capped(phrase), fallback)
        category = category or unit_category
        if share and not re.search(r"(率|比|比重|占比)$", name):
            name += "占比"
        if growth is not None:
            name += _growth_words(growth, change, lx)
        return name, category
    if share:
        subject = _own_words(scope_text, 0, lx)
        if subject:
            return _capped(subject) + "占比", unit_category
    if growth is not None:
        return _growth_words(growth, change, lx), "economy"
    # 4. 40万亩耕地红线; 1100米隧道 -> 隧道长度
    m = lx.indicator_re.search(post)
    if m and _lexicon_row(m, lx)["kind"] == "measure":
        row = _lexicon_row(m, lx)
        return row["indicator"], row["category"]
    window, m = _noun_in(post, lx)
    if m and lx.nouns[m.group()][1] and m.start() <= 4:
        phrase = window[: m.end()]
        default = "" if counted else unit_row.get("default_indicator", "")
        return phrase + default, lx.nouns[m.group()][0]
    # 5. 10项课题: an Arabic count of things names them right after it
    if q.measure_kind == "count" and re.fullmatch(f"[{CJK}]+", window[:MAX_INDICATOR_CHARS] or "-"):
        return window[:MAX_INDICATOR_CHARS], unit_category
    # 6. the unit's default indicator (人 -> 人口, ℃ -> 温度)
    return unit_row.get("default_indicator", "") or "数值", unit_category


def _growth_words(growth: re.Match, change: bool, lx: _Lexicons) -> str:
    """The words a growth cue adds to a figure's name: the rate's (增速, 提高, 下降) or, for an amount, the
    change's (增量; 增量下降 for a fall), the fall kept visible until `signed_name` turns it into a sign."""
    row = _lexicon_row(growth, lx)
    if not change:
        return row["indicator"]
    return CHANGE + (row["indicator"] if row["kind"] == "decline" else "")


def signed_name(indicator: str, lx: _Lexicons | None = None) -> tuple[str, int]:
    """(name, sign) of a figure named with a fall (固定资产投资下降 -> 固定资产投资增速, -1; 粮食产量增量下降 ->
    粮食产量增量, -1): a decline is a negative growth or change, so a growth column never shows it as a rise."""
    lx = lx or lexicons()
    for word in lx.decline_words:
        if indicator.endswith(word):
            stem = indicator[: -len(word)]
            return (stem if stem.endswith(CHANGE) else stem + lx.growth_name), -1
    return indicator, 1


def _lexicon_name(phrase: str, lx: _Lexicons) -> tuple[str, str] | None:
    """The lexicon's name when the own-words phrase holds a known indicator (非物质文化遗产代表项目 -> 非遗项目)."""
    m = lx.indicator_re.search(phrase)
    if m and _lexicon_row(m, lx)["kind"] == "measure":
        row = _lexicon_row(m, lx)
        return row["indicator"], row["category"]
    return None


def _status(sentence: str, rel: int, clause_start: int, clause_end: int, lx: _Lexicons) -> tuple[str, int | None]:
    """(status, the year a target cue names or None) of the figure at `rel` in `sentence`.

    The nearest cue before the figure decides: a "before" cue anywhere in the sentence before it, a
    "clause" cue in its clause before it; a clause cue after it (总投资5亿元，计划明年建成) only when
    nothing is before. No cue: actual."""
    before, after = [], []  # (position, status, match)
    for cue, status in lx.status_cues["before"]:
        before.extend((m.start(), status, m) for m in cue.finditer(sentence, 0, rel))
    for cue, status in lx.status_cues["clause"]:
        for m in cue.finditer(sentence, clause_start, clause_end):
            (before if m.start() < rel else after).append((m.start(), status, m))
    if not before and not after:
        return "actual", None
    _, status, _ = max(before, key=_position) if before else min(after, key=_position)
    year = None
    if status == "target":  # the year of the nearest target cue that names one (力争到2025年, 十四五末)
        for _, cue_status, m in sorted(before or after, key=_position):
            if cue_status == "target":
                year = _cue_year(m.group(), lx) or year
    return status, year


def _position(found: tuple) -> int:
    return found[0]


def _cue_year(cue: str, lx: _Lexicons) -> int | None:
    y = _YEAR.search(cue)
    if y:
        return int(y.group(1))
    return next((end_year for period, end_year in lx.periods.items() if period in cue), None)


_MONTH_PERIODS = {3: "q1", 6: "h1", 9: "q1_q3", 12: ""}
# the calendar periods a sentence hands on to the next (年均, 每年, 累计 qualify their own clause only)
CARRIED_PERIODS = frozenset(p for p in taxonomy_values("period") if p == "q1" or p == "h1" or p.startswith(("q1_", "m1_"))
                            or p == "holiday")
# measures of flows over a period (an amount, visits, an output, energy, a growth rate): a stock (a count, an
# area, people, a capacity) takes a period only from its own sentence
FLOW_KINDS = frozenset({"currency", "visits", "mass", "energy", "points"})
_COMPARISON_BASE = re.compile(r"(?:比|较|与|和|同|于|相比)\s*$")  # 增速比1—9月回落: a base, not the period


_UNTIL = "until_"  # 截至9月底: January to that month for a flow, a point for a stock


def _cue_period(m: re.Match, period: str) -> str:
    if "{m}" not in period:
        return period
    month = int(parse_number(m["m"]) or 0)
    until = period.startswith(_UNTIL)
    span = _MONTH_PERIODS.get(month, f"m1_m{month}" if 1 < month < 12 else "")
    return _UNTIL + span if until and span else span


def _period_cue(text: str, lx: _Lexicons, clause_start: int | None = None) -> tuple[int, str] | None:
    """(position, period) of the last period cue in `text` that is not a comparison's base, or None. With
    `clause_start`, a cue that qualifies its clause only (年均, 每年, 累计) counts only after it."""
    best: tuple[int, str] | None = None
    for cue, name in lx.period_cues:
        for m in cue.finditer(text):
            if _COMPARISON_BASE.search(text, max(0, m.start() - 3), m.start()):
                continue
            period = _cue_period(m, name)
            if clause_start is not None and m.start() < clause_start and period and \
                    period.removeprefix(_UNTIL) not in CARRIED_PERIODS:
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), period)
    return best




class _PeriodScope:
    """The period a paragraph's sentences speak of: the last period cue of an earlier sentence (上半年，……。
    规上工业增加值增长6%。 -> h1) until a sentence names a time of its own or the paragraph ends."""

    def __init__(self, title: str = "", lx: _Lexicons | None = None) -> None:
        # a title that names a period (上半年全市财政运行情况, 中秋国庆假期文旅市场综述) gives it to every
        # paragraph that names no time of its own
        cue = _period_cue(title, lx) if title and lx is not None else None
        self.document = cue[1] if cue else ""
        self.carried = self.document
        self._sentence_cue: tuple[int, str] | None = None

    def new_paragraph(self) -> None:
        self.carried, self._sentence_cue = self.document, None

    def read(self, sentence: str, lx: _Lexicons) -> None:
        """Take the next sentence: the one before hands on its last cue, if it had one; only a calendar
        period (一季度, 上半年, 1—10月, a holiday) carries on, not 年均 or 累计, which qualify their own clause."""
        if self._sentence_cue is not None:
            period = self._sentence_cue[1].removeprefix(_UNTIL)
            self.carried = period if period in CARRIED_PERIODS or not period else self.carried
        self._sentence_cue = _period_cue(sentence, lx)

    def period_at(self, sentence: str, rel: int, lx: _Lexicons, flow: bool = True) -> str:
        """The period of a figure at `rel`: its sentence's nearest cue, else, for a flow (an amount, visits,
        an output, a growth rate, a rank) the period carried into the sentence; a stock (a count of firms, an
        area, a capacity at 截至6月底) takes none it does not name itself."""
        clause_start = max([0] + [m.end() for m in _CLAUSE_NO_LIST.finditer(sentence, 0, rel)])
        found = _period_cue(sentence[:rel], lx, clause_start)
        if found:
            period = found[1]
            if period.startswith(_UNTIL):
                return period.removeprefix(_UNTIL) if flow else ""
            return period
        return self.carried if flow else ""


_RELATIVE_YEAR = re.compile(r"(今年|去年|上年|前年|明年)")
_RELATIVE_OFFSET = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


def _year_of(sentence: str, rel: int, paragraph_head: str, document_year: int | None) -> int | None:
    """The year a figure is of: the last YYYY年 (or 今年/去年 … resolved against the document's own year)
    before it in its sentence, else the year its paragraph opens with (2023年，全县……)."""
    for text in (sentence[:rel], paragraph_head):
        explicit = _last(_YEAR, text)
        relative = _last(_RELATIVE_YEAR, text) if document_year else None
        if explicit and (relative is None or explicit.start() > relative.start()):
            return int(explicit.group(1))
        if relative is not None:
            return document_year + _RELATIVE_OFFSET[relative.group(1)]
    return None


def canonical_indicator(name: str, measure: str, lx: _Lexicons | None = None) -> tuple[str, str]:
    """(indicator_id, qualifier) of a figure named `name` (the sentence's own words, as named above) with
    measure `measure` as written: the lexicon's id for a lexicon name, else the id of the lexicon term, head
    or countable noun the name ends with, else the measure's (元 -> amount); a growth name
    (地区生产总值增速) is "<id>_growth"."""
    lx = lx or lexicons()
    growth, change = "", False
    if name.endswith(CHANGE) and name != CHANGE:
        growth, change, name = CHANGE, True, name[: -len(CHANGE)]
    for row in lx.indicators:
        if growth:
            break
        if row["kind"] in GROWTH_KINDS and name.endswith(row["indicator"]) and name != row["indicator"]:
            growth, name = row["indicator"], name[: -len(row["indicator"])]
    ident, qualifier = lx.canonical.get(name, ("", ""))
    if name == CHANGE:
        return "change", ""
    if not ident:
        lex = _last(lx.indicator_re, name)
        if lex is not None and _lexicon_row(lex, lx)["kind"] not in GROWTH_KINDS and lex.end() == len(name):
            row = _lexicon_row(lex, lx)
            ident, qualifier = row["indicator_id"], row["qualifier"]
    if not ident:
        tail = max((t for t in lx.head_ids if name.endswith(t)), key=len, default="")
        if name.endswith(("占比", "比重")) or name.endswith("率"):
            ident = "share"
        elif tail:
            ident = lx.head_ids[tail]
            if _other_industry(name[: -len(tail)], ident):
                ident = ""  # 矿泉水产量: a head's farm id never takes a manufactured product's output
    unit = lx.units.get(_base_measure(measure, lx), {})
    if ident and not growth and not _fits(ident, unit.get("kind", "")):
        ident, qualifier = "", ""  # 森林覆盖率超过75%的有23个: a count is no coverage, whatever its words
    if not ident:
        ident = unit.get("indicator_id", "") or "other"
    if change:
        return (ident + CHANGE_ID if ident not in catch_all_ids() else "change"), qualifier
    if growth:
        return (ident + "_growth" if ident not in catch_all_ids() else "growth"), qualifier
    return ident, qualifier


def _other_industry(product: str, ident: str) -> bool:
    """True when the words before a head name a product of an industry outside the catalogue entry's own
    sector (GB/T 4754 section A for an agriculture entry): the industry taxonomy decides, not a word list."""
    from analytics.features.industries import industry_sections

    entry = catalogued(ident)
    if entry is None or entry.category != "agriculture" or not product:
        return False
    sections = industry_sections(product)
    return bool(sections) and not any(section.startswith("A") for section in sections)


# The dimensions a measure of each kind (data/measure_units.csv) may give a catalogue indicator; a firm
# counted in 户 is a count, a household a count of 户.
_FITTING_DIMENSIONS = {
    "percent": {"percent"}, "permille": {"percent"}, "currency": {"money"}, "people": {"people"},
    "visits": {"visits"}, "area": {"area"}, "count": {"count", "households", "people"},  # 就业岗位1200个
    "households": {"households", "count"},
    "mass": {"mass"}, "energy": {"energy"}, "power": {"power"}, "temperature": {"temperature"},
    "length": {"length"}, "duration": {"duration"}, "volume": {"volume"}, "multiple": {"multiple"},
}


def _fits(ident: str, measure_kind: str) -> bool:
    """True when a figure of this measure's kind can be what the catalogue entry measures (its dimension):
    a catalogue id is given only where its definition fits. Unknown kinds and bare magnitudes pass."""
    entry = catalogued(ident)
    allowed = _FITTING_DIMENSIONS.get(measure_kind)
    if entry is None or allowed is None or entry.dimension in ("other", "rank"):
        return True
    return entry.dimension in allowed


def _base_measure(measure: str, lx: _Lexicons) -> str:
    if measure in lx.units:
        return measure
    for length in range(1, 3):
        if measure[length:] in lx.units:
            return measure[length:]
    return measure


_SHARE_MARKERS = "占以"  # 占全市……的27.2%, 以全市约3%的土地: a share of the scope's total is the unit's own
_RELATIVE_KINDS = ("multiple", "points")  # 是全省均值的3倍, 高出全国5个百分点: the unit's own comparison
# 存栏1000只以上的规模养殖场有86家: "的" + what is selected, then its count or share
_SELECTED = re.compile(rf"的[{CJK}A-Za-z“”]{{0,12}}?(?=[有达占共为])")  # 的县有 / 的有
_THRESHOLD_HEDGES = ("以上", "以下", "超过", "超", "不低于", "不少于", "不足", "不到", "逾", "过")


def _out_of_scope(sentence: str, rel: int, unit: str, kind: str, subjects, lx: _Lexicons,
                  mentions: list[Mention] = ()) -> bool:
    """True when the figure at `rel` is the nation's, the province's or another area's (全国森林覆盖率
    24.02%, 远高于全国平均水平24.02%, 纳入全省40个重点县) rather than `unit`'s.

    A scope word (data/scope_cues.csv) counts in the figure's own clause (for a figure in parentheses, the
    clause the parenthesis stands in) unless 占/以 stands before it in that clause or the figure is a
    multiple or a percentage-point gap; at the start of the sentence it counts unless a place or a
    self-reference opens a later clause before the figure. 全市 is the unit's own when the unit is a 市."""
    clause_start = max([0] + [m.end() for m in _CLAUSE.finditer(sentence, 0, rel)])
    opening = sentence.rfind("（", 0, rel)
    if opening >= 0 and sentence.rfind("）", 0, rel) < opening:
        clause_start = max([0] + [m.end() for m in _CLAUSE.finditer(sentence, 0, opening)])
    sentence_start = len(sentence) - len(sentence.lstrip(" \u3000“”\"'"))
    last_subject = max([start for start, _ in subjects if start < rel], default=-1)
    for m in lx.scope_re.finditer(sentence, 0, rel):
        if any(a <= m.start() < b for a, b, _ in mentions):
            continue  # 全州县 is a county, not 全州 the whole prefecture
        suffix = lx.scope_suffix[m.lastgroup]
        if suffix and unit.endswith(suffix):
            continue
        if m.start() >= clause_start:
            if any(c in sentence[clause_start:rel][:max(0, m.start() - clause_start) + 1] for c in _SHARE_MARKERS):
                continue
            if kind in _RELATIVE_KINDS:
                continue
            return True
        if m.start() == sentence_start and last_subject < m.start():
            return True
    return False


def _set_or_threshold(q: Quantity, sentence: str, rel_end: int) -> bool:
    """True for a count of a set the unit belongs to (全国500个产粮大县之一) and for a threshold inside a
    qualifier (1亿元以上项目20个, 超过80%的县有9个): neither is a figure of the unit."""
    # to the end of the clause, parentheses included: 县（市、区）有3个, 边境县（市）之一
    stop = re.search(r"[，。；！？,;!?\n]", sentence[rel_end:])
    after = sentence[rel_end:rel_end + stop.start()] if stop else sentence[rel_end:]
    if q.measure_kind in ("count", "people") and re.match(rf"[{CJK}A-Za-z0-9“”（）()、]{{1,20}}之一", after):
        return True
    if not any(h in q.hedge for h in _THRESHOLD_HEDGES):
        return False
    m = lexicons().set_noun_re.match(after) or _SELECTED.match(after)
    return bool(m) and bool(re.search(r"[有达占共为\d一二两三四五六七八九十]", after[m.end():]))


_DIMENSION_OF_KIND = {"percent": "percent", "currency": "money", "people": "people", "visits": "visits",
                      "area": "area", "count": "count"}


def _growth_suffix(indicator: str, lx: _Lexicons) -> str:
    return next((g for g in lx.bare_growth if indicator.endswith(g)), "")


def _measure_default(q: Quantity, lx: _Lexicons) -> str:
    return lx.units.get(q.unit, {}).get("default_indicator", "") or "数值"


def _sentence_term(sentence: str, clause_start: int, q: Quantity, lx: _Lexicons) -> str:
    """The last lexicon indicator in the sentence's earlier clauses whose dimension fits the figure's
    measure: the name a figure that names nothing in its own clause takes from its sentence."""
    dimension = _DIMENSION_OF_KIND.get(q.measure_kind)
    m = _last(lx.indicator_re, sentence[:clause_start])
    if m is None or dimension is None or _lexicon_row(m, lx)["kind"] != "measure":
        return ""
    row = _lexicon_row(m, lx)
    entry = catalogued(row["indicator_id"])
    return row["indicator"] if entry is not None and entry.dimension == dimension else ""


_ORDINAL_ITEM = re.compile(r"第?([一二三四五六七八九十])")
_ORDINAL_TAIL = re.compile(r"第?([一二三四五六七八九十])(.+)")


def _respective_names(sentence: str, positions: list[int], lx: _Lexicons) -> dict[int, str]:
    """Figure position -> indicator for "A、B分别为x、y" lists of indicators: 城镇、农村居民人均可支配收入
    分别达到41200元、19800元 -> 城镇居民人均可支配收入, 农村居民人均可支配收入 (a short first item borrows
    the last item's tail); a later 分别 in the sentence (分别增长8.1%、8.7%) reuses the list."""
    out: dict[int, str] = {}
    cues = list(RESPECTIVELY.finditer(sentence))
    names: list[str] = []
    for k, cue in enumerate(cues):
        clause_start = max([0] + [m.end() for m in _CLAUSE_NO_LIST.finditer(sentence, 0, cue.start())])
        parts = sentence[clause_start:cue.start()].split("、")
        if len(parts) >= 2:
            last_term = _last(lx.indicator_re, parts[-1])
            if last_term is not None and _lexicon_row(last_term, lx)["kind"] == "measure":
                last = _YEAR_PREFIX.sub("", parts[-1][:last_term.end()])
                last = lx.lead_re.sub("", _LEADING_JUNK.sub("", last))
                items = [lx.lead_re.sub("", _LEADING_JUNK.sub("", _YEAR_PREFIX.sub("", p))) for p in parts[:-1]]
                ordinal = _ORDINAL_TAIL.match(last)
                if ordinal and all(_ORDINAL_ITEM.fullmatch(item) for item in items):
                    # 第一、二、三产业增加值: each ordinal takes the tail the last item writes in full
                    names = [f"第{_ORDINAL_ITEM.fullmatch(item)[1]}{ordinal[2]}" for item in items] + \
                        [f"第{ordinal[1]}{ordinal[2]}"]
                else:
                    names = [item if _lexicon_name(item, lx) or len(item) >= len(last) else item + last[len(item):]
                             for item in items] + [last]
        if not names:
            continue
        end = cues[k + 1].start() if k + 1 < len(cues) else len(sentence)
        after = [p for p in positions if cue.end() <= p < end][:len(names)]
        if len(after) == len(names):
            out.update(zip(after, names))
    return out


class _Sentence:
    """One sentence of a passage and what its figures share, computed once and only when a figure needs it:
    clause subjects and respectively units (attribution), named entities, respectively names, and the
    indicators its earlier figures named (for a growth rate that names no subject)."""

    def __init__(self, text: str, s0: int, s1: int, quantities: list[Quantity], mentions: list[Mention],
                 lx: _Lexicons, kinds: dict[str, str] | None = None):
        self.text, self.s0, self.lx = text[s0:s1], s0, lx
        self.positions = [q.start - s0 for q in quantities if s0 <= q.start < s1]
        self.percent_positions = [q.start - s0 for q in quantities if s0 <= q.start < s1 and q.measure_kind == "percent"]
        self.mentions = [(a - s0, b - s0, u) for a, b, u in mentions if s0 <= a and b <= s1]
        self.entities = entity_spans(self.text)
        # a self-reference (全市) opens a clause too: it ends a topic carried from an earlier sentence
        self.subjects = clause_subjects(self.text, self.mentions, self.entities, self.positions, kinds) \
            if self.mentions or self_reference_in(self.text) else []
        self.respective = respective_units(self.text, self.positions, self.mentions) if self.mentions else {}
        self.names_at: dict[int, tuple[str, str]] = {}  # figure position -> (indicator, category)
        self.levels: list[str] = []  # level (not rate) indicators named so far
        self.rates: list[str] = []   # rates (%) named so far
        self.growths: list[str] = []  # the subjects of the growth rates named so far
        self.named_by_measure: dict[str, str] = {}  # measure -> the last name a figure of it took
        self._names: dict[int, str] | None = None
        self._level_rates: dict[int, str] | None = None

    def respective_names(self) -> dict[int, str]:
        if self._names is None:
            self._names = _respective_names(self.text, self.positions, self.lx)
        return self._names

    def rate_list(self, rel: int) -> bool:
        """True when the last 分别 before `rel` is followed by a rate word (分别增长) before the figure."""
        cue = None
        for cue in RESPECTIVELY.finditer(self.text, 0, rel):
            pass
        return cue is not None and self.lx.rate_re.search(self.text, cue.end(), rel) is not None

    def respective_levels(self) -> dict[int, str]:
        """分别增长x%、y% after figures of their own: the k-th rate is the growth of the k-th level before
        (read once the levels before the first rate are named)."""
        if self._level_rates is None:
            self._level_rates = {}
            for cue in RESPECTIVELY.finditer(self.text):
                after = [r for r in self.percent_positions if r > cue.end()]
                if not after or not self.lx.rate_re.search(self.text, cue.end(), after[0]):
                    continue  # 分别占40%、60%: shares, not the levels' growth
                n = len([r for r in after if not _CLAUSE_NO_LIST.search(self.text, cue.end(), r)])
                if 2 <= n <= len(self.levels):
                    self._level_rates.update(zip(after[:n], self.levels[-n:]))
        return self._level_rates


def _base(p: dict, text: str, s0: int, sentence: str, rel: int, rel_end: int, unit: str, lx: _Lexicons,
          document_year: int | None) -> dict:
    """The columns a figure at sentence position rel..rel_end gets from its context: unit, status, year,
    period, evidence (and the clause bounds, for naming)."""
    clause_start = max([0] + [m.end() for m in _CLAUSE.finditer(sentence, 0, rel)])
    nxt = _CLAUSE.search(sentence, rel_end)
    clause_end = nxt.start() if nxt else len(sentence)
    # status cues read a clause across a 、 list (打造精细化工、装备制造两个500亿级产业集群)
    list_start = max([0] + [m.end() for m in _CLAUSE_NO_LIST.finditer(sentence, 0, rel)])
    list_next = _CLAUSE_NO_LIST.search(sentence, rel_end)
    status, target_year = _status(sentence, rel, list_start, list_next.start() if list_next else len(sentence), lx)
    if status == "actual" and target_year is None:
        # 预计全年地区生产总值……；一般公共预算收入……: the cue of an earlier ；-part of the sentence
        lead = text[max(text.rfind(c, 0, s0) for c in "。！？\n") + 1:s0]
        if lead.strip():
            carried, carried_year = _status(lead, len(lead), len(lead), len(lead), lx)
            if carried in ("estimate", "target"):
                status, target_year = carried, carried_year
    if status == "target" and target_year and document_year and target_year < document_year:
        status, target_year = "actual", None  # 由2016年的98.5亿元增加到2021年的156.2亿元 in a 2022 text
    para_start = text.rfind("\n", 0, s0) + 1
    para_first_clause = _CLAUSE.split(text[para_start:s0], 1)[0] if para_start < s0 else ""
    year = target_year or _year_of(sentence, rel, para_first_clause, document_year)
    return {"doc_id": p["doc_id"], "unit": unit, "year": year, "status": status,
            "is_target": status == "target", "period": "", "entity": "",  # the caller's _PeriodScope sets it
            "evidence": sentence, "_clause": (clause_start, clause_end)}


def _rank_value(m: re.Match) -> list[float]:
    if m["first"]:
        return [1.0]
    if m["top"]:
        return []
    return [parse_number(n) for n in re.findall(r"\d+|[一二两三四五六七八九十]+", m["n"])]


_LIST_SIZE = re.compile(r"(\d+|[一二两三四五六七八九十]+)个(?:县市区|县区|县市|旗县|旗区|县（市、区）|县（市）|县|区|市|旗)")


def _list_size(text: str, position: int) -> int | None:
    """How many units a ranking ranks, where its paragraph (or the text before it) says (全州12个县市中)."""
    para = text.rfind("\n", 0, position) + 1
    for start in (para, 0):
        found = _last(_LIST_SIZE, text[start:position])
        if found is not None:
            return int(parse_number(found.group(1)) or 0) or None
    return None


def _ranks(p: dict, text: str, s0: int, sentence: str, subjects, mentions: list[Mention], lx: _Lexicons,
           document_year: int | None, units: Scope, periods: "_PeriodScope") -> list[dict]:
    """居全省第12位, 位列第39位, 居全市首位; 甲县、乙县、丙县分列前三 (ranks 1..3 of the listed units);
    甲县、乙县分别位列第11位、第13位: one figure per rank, indicator_id 'rank', measure 位次, the indicator
    naming what is ranked and where (县域经济综合排名（全省）)."""
    rows = []
    for m in lx.rank_re.finditer(sentence):
        values = _rank_value(m)
        clause_start = max([0] + [c.end() for c in _CLAUSE_NO_LIST.finditer(sentence, 0, m.start())])
        listed = listed_before(sentence, m.start(), mentions) if m["top"] or m["verb"] in ("分列", "分居") or \
            "分别" in sentence[clause_start:m.start()] else []
        if m["top"]:
            if not listed:
                continue  # 进入全省前十: a set the unit belongs to, not its rank
            values = [float(k) for k in range(1, int(parse_number(m["top"]) or 0) + 1)][:len(listed)]
        clause_start = max([0] + [c.end() for c in _CLAUSE.finditer(sentence, 0, m.start())])
        what = _LEADING_JUNK.sub("", sentence[clause_start:m.start()])
        for a, b, _ in mentions:
            if clause_start <= a and b <= m.start():
                what = what.replace(sentence[a:b], "")
        scope = m["scope"].strip("的")
        indicator = (lx.lead_re.sub("", what)[-MAX_INDICATOR_CHARS:] or "") + "排名" + (f"（{scope}）" if scope else "")
        # 居全市倒数第一: counted from the bottom — from the top where the text says how many there are
        # (在全州12个县市中分列倒数第二、倒数第一 -> 11, 12), else a rank of its own kind
        bottom = "倒数" in scope or "倒数" in m["n"] if m["n"] else "倒数" in scope
        size = _list_size(text, s0 + m.start()) if bottom else None
        measure = BOTTOM_RANK if bottom and size is None else "位次"
        for k, value in enumerate(values):
            if value is None:
                continue
            if bottom and size is not None:
                value = float(size + 1 - value)
            unit = listed[k] if k < len(listed) else units.unit_at(m.start(), subjects)
            row = _base(p, text, s0, sentence, m.start(), m.end(), unit, lx, document_year)
            row.pop("_clause")
            row["period"] = periods.period_at(sentence, m.start(), lx)  # a rank of a period's figure
            rows.append({**row, "indicator": indicator, "indicator_id": "rank", "qualifier": "",
                         "value": value, "measure": measure, "value_normalized": value,
                         "measure_normalized": measure, "category": "other",
                         "start": p["start"] + s0 + m.start("rank"), "end": p["start"] + s0 + m.end("rank")})
    return rows


def _figures_of_passage(p: dict, lx: _Lexicons, document_year: int | None = None,
                        mentions: list[Mention] | None = None, kinds: dict[str, str] | None = None) -> list[dict]:
    """One passage's figures, sentence by sentence in order, so that the scope of each place mention
    (attribution.Scope: clause subjects, a topic carried through a paragraph, heading lines) decides whose
    each figure is. `kinds`: unit -> kind of the units the mentions name."""
    text = p["text"]
    quantities = scan_quantities(text)
    spans = sentence_spans(text)
    sent_starts = [a for a, _ in spans]
    passage_unit = p["unit"] if isinstance(p["unit"], str) else ""
    mentions = mentions or []
    by_sentence: dict[int, list[Quantity]] = {}
    for q in quantities:
        i = bisect.bisect_right(sent_starts, q.start) - 1
        if i >= 0 and q.start < spans[i][1]:  # a quantity cannot straddle sentences
            by_sentence.setdefault(i, []).append(q)
    sentences = [_Sentence(text, s0, s1, by_sentence.get(i, []), mentions, lx, kinds)
                 if by_sentence.get(i) or _has_mention(mentions, s0, s1) or lx.rank_hint.search(text, s0, s1)
                 else None for i, (s0, s1) in enumerate(spans)]
    scope = Scope(passage_unit, kinds or {}, carry=_topics_carry(passage_unit, sentences, kinds or {}))
    periods = _PeriodScope(_title(text), lx)
    rows = []
    tabled: list[tuple[int, int]] = []  # the lines of flattened tables, read by their columns instead
    for table in find_tables(text):
        rows.extend(_table_figures(table, p, text, mentions, passage_unit, lx, document_year))
        tabled.append((table.rows[0].start - 1, table.rows[-1].end))
    previous_end = 0
    for i, (s0, s1) in enumerate(spans):
        sent = sentences[i]
        if any(a <= s0 < b for a, b in tabled):
            continue
        if "\n" in text[previous_end:s0] or i == 0:
            scope.new_paragraph(_heading_unit(text, s0, s1, sent))
            periods.new_paragraph()
        previous_end = s1
        if sent is None:
            continue
        periods.read(sent.text, lx)
        scope.open_sentence(sent.text, sent.subjects)
        if lx.rank_hint.search(text, s0, s1):
            rows.extend(_ranks(p, text, s0, sent.text, sent.subjects, sent.mentions, lx, document_year, scope,
                               periods))
        for q in by_sentence.get(i, ()):
            row = _figure(q, p, text, sent, scope, periods, lx, document_year)
            if row is not None:
                rows.extend(row)
        scope.end_sentence(sent.subjects)
    return rows


def _table_figures(table: Table, p: dict, text: str, mentions: list[Mention], passage_unit: str, lx: _Lexicons,
                   document_year: int | None) -> list[dict]:
    """The figures of a flattened table (analytics.features.tables): each numeric cell of a row whose label
    names a place (or 全市/合计: the passage's own unit), named by its column, dated by the table's title."""
    title = text[table.title_start:table.rows[0].start]
    year_match = _last(_YEAR, title)
    year = int(year_match.group(1)) if year_match else None
    period = _period_cue(title, lx)
    measures = table_measures(title)
    names: list[str] = []
    for k, column in enumerate(table.header):
        if k > 0 and is_bare_growth(column.name):
            names.append(names[-1] + lx.growth_name if names and names[-1] else lx.growth_name)
        else:
            names.append(column.name)
    out = []
    for row in table.rows:
        label = row.cells[table.label]
        placed = [u for a, b, u in mentions if label.start <= a and b <= label.end]
        unit = placed[-1] if placed else passage_unit if is_total_row(label.text) else None
        if unit is None:
            continue
        for k, cell in enumerate(row.cells):
            parsed = number(cell.text) if k != table.label else None
            if parsed is None:
                continue
            value, written = parsed
            column = table.header[k]
            if is_rank(column.name):
                indicator, ident, qualifier, measure = "排名", "rank", "", "位次"
            else:
                measure = written or column_measure(column, measures)
                indicator = names[k]
                ident, qualifier = canonical_indicator(indicator, measure, lx)
            normalized, base = normalized_measure(value, measure)
            entry = catalogued(ident)
            out.append({"doc_id": p["doc_id"], "unit": unit, "year": year, "status": "actual", "is_target": False,
                        "period": period[1] if period else "", "entity": "",
                        "evidence": text[row.start:row.end].strip(), "indicator": indicator,
                        "indicator_id": ident, "qualifier": qualifier, "value": value, "measure": measure,
                        "value_normalized": normalized, "measure_normalized": base,
                        "category": entry.category if entry is not None and entry.category in CATEGORIES else "other",
                        "start": p["start"] + cell.start, "end": p["start"] + cell.end})
    return out


def _title(text: str) -> str:
    """The passage's first line when it is a title (a short line of its own), else ''."""
    end = text.find("\n")
    return text[:end] if 0 < end <= 40 else ""


_UNIT_SET_BEFORE = re.compile(r"[的个](?:县市区|县区|县市|旗县|旗区|县|区|市|旗)(?:[（(][县市区旗、]+[)）])?(?:中|里)?(?:有|达|为|共)$")
_UNIT_SET_AFTER = re.compile(r"^(?:县市区|县区|县市|旗县|旗区|县|区|市|旗)(?:[（(][县市区旗、]+[)）])?")


def _counts_units(sentence: str, rel: int, rel_end: int) -> bool:
    """True for a count of county-level units (收入超过2万元的县（市、区）有6个, 有5个县市负增长)."""
    return bool(_UNIT_SET_BEFORE.search(sentence[max(0, rel - 12):rel])) or \
        bool(_UNIT_SET_AFTER.match(sentence[rel_end:rel_end + 8])) and sentence[rel_end - 1:rel_end] == "个"


def _has_mention(mentions: list[Mention], s0: int, s1: int) -> bool:
    return any(s0 <= a and b <= s1 for a, b, _ in mentions)


def _topics_carry(passage_unit: str, sentences: list, kinds: dict[str, str]) -> bool:
    """Whether a county-level subject stays the topic of the sentences after it: in a text that speaks
    for a wider area (a prefecture's bulletin, a province's list) or names three or more county-level
    subjects (a roundup), never in one county's own text, where a neighbour named once stays in its clause."""
    if kinds.get(passage_unit) not in COUNTY_LEVEL:
        return True
    subjects = {u for sent in sentences if sent is not None for _, u in sent.subjects
                if not isinstance(u, SelfReference) and kinds.get(u) in COUNTY_LEVEL}
    return len(subjects - {passage_unit}) >= 2


_HEADING_MARKS = re.compile(r"^[\s\d一二三四五六七八九十、.．:：（）()【】〔〕▲■●◆★☆▶►\-—·]*|[\s：:】〕）)]*$")


def _heading_unit(text: str, s0: int, s1: int, sent) -> str | None:
    """The unit a heading line names when the line is nothing but one place (一、甲县 / 【甲县】 / 甲县：)."""
    if sent is None or len(sent.mentions) != 1:
        return None
    line_end = text.find("\n", s0)
    if line_end >= 0 and line_end < s1 or (line_end >= 0 and text[s1:line_end].strip()):
        return None  # the sentence does not end its line: a lead clause, not a heading
    a, b, unit = sent.mentions[0]
    body = _HEADING_MARKS.sub("", sent.text)
    return unit if body == sent.text[a:b] else None


def _figure(q: Quantity, p: dict, text: str, sent: "_Sentence", scope: Scope, periods: "_PeriodScope",
            lx: _Lexicons, document_year: int | None) -> list[dict] | None:
    """The figure rows of quantity `q` in its sentence (several for a ratio), or None when it is none."""
    s0, sentence = sent.s0, sent.text
    rel, rel_end = q.start - s0, min(q.end - s0, len(sentence))
    listed = sent.respective.get(rel)
    unit = listed[0] if listed else scope.unit_at(rel, sent.subjects)
    if not listed and _counts_units(sentence, rel, rel_end) and not any(p < rel for p, _ in sent.subjects):
        unit = scope.passage_unit  # 超过2万元的县（市、区）有6个: the area that counts them, not the topic
    if _out_of_scope(sentence, rel, unit, q.measure_kind, sent.subjects, lx, sent.mentions):
        return None
    base = _base(p, text, s0, sentence, rel, rel_end, unit, lx, document_year)
    base["period"] = periods.period_at(sentence, rel, lx, flow=q.measure_kind in FLOW_KINDS
                                       or (q.measure_kind == "percent" and _rate_word_before(sentence, rel, lx)))
    clause_start, clause_end = base.pop("_clause")
    if _set_or_threshold(q, sentence, rel_end):
        return None
    pre = sentence[clause_start:rel]
    post = sentence[rel_end:min(clause_end, rel_end + POST_WINDOW)]
    if q.is_ratio:
        paragraph = text[text.rfind("\n", 0, q.start) + 1:q.start]
        return _ratio_parts(q, pre, base, p["start"], lx, paragraph)
    wide_start = max([0] + [m.end() for m in _CLAUSE_NO_LIST.finditer(sentence, 0, rel)])
    if q.scale_class:
        named = ("产业规模等级", "industry")
    else:
        named = _name(q, pre, post, lx, sentence[wide_start:rel])
        if named is None and q.magnitude and not q.unit:
            q, named = _bare_magnitude(q, pre, post, lx, sentence[wide_start:rel])
    if listed and listed[1] != rel and listed[1] in sent.names_at:
        named = sent.names_at[listed[1]]  # 甲县、乙县GDP分别为……: the later values share the first's name
    if named is None:
        return None
    sent.names_at[rel] = named
    indicator, sign = signed_name(_subject_of_rate(named[0], q, rel, listed, clause_start, sent, lx,
                                                   (sentence[:clause_start], *_context_before(text, s0)),
                                                   _names_nothing(sentence, clause_start, rel, sent.mentions, lx)), lx)
    if sign > 0 and q.measure_kind in ("percent", "points") and _falls(sentence, wide_start, rel, lx):
        sign = -1  # 分别增长5%、3%和下降2%: the fall word before this item of the list
    if q.value < 0:
        sign = 1  # 增长-1.2%: the number carries its own sign
    ident, qualifier = canonical_indicator(indicator, q.measure, lx)
    if q.scale_class:
        ident, qualifier = "industry_scale_class", ""
    entry = catalogued(ident)
    if entry is not None and entry.within_document and not base["period"]:
        base["period"] = periods.period_at(sentence, rel, lx)  # 1—9月……签约项目215个: a batch is a flow
    base["entity"] = entity_of(sentence, rel, rel_end, sent.entities, sent.subjects,
                               q.needs_noun or q.measure_kind == "count")
    return [{**base, "indicator": indicator, "indicator_id": ident, "qualifier": qualifier,
             "value": sign * q.value, "measure": q.measure,
             "value_normalized": sign * q.value_normalized, "measure_normalized": q.measure_normalized,
             "category": named[1] if named[1] in CATEGORIES else "other",
             "start": p["start"] + q.start, "end": p["start"] + q.end}]


_FRAME_WORDS = re.compile(r"(?:同比|比上年|较上年|分别|其中|共|约|达到|达|为|是|有|完成|实现|累计|全年|今年|去年)")


def _names_nothing(sentence: str, clause_start: int, rel: int, mentions: list[Mention], lx: _Lexicons) -> bool:
    """True when the figure's clause says nothing of what it measures: only places, rate words, verbs and
    particles stand before it (西华县4.97亿元 / 长阳县增长6.8% / 甲县、乙县分别为13675元、13418元), so it
    may take its name from the text before (its paragraph's term); 全旗高标准农田将累计达到300万亩 names
    高标准农田 even if no lexicon knows it."""
    pre = sentence[clause_start:rel]
    for a, b, _ in sorted(mentions, reverse=True):
        if clause_start <= a and b <= rel:
            pre = pre[: a - clause_start] + pre[b - clause_start:]
    pre = lx.rate_re.sub("", pre)
    pre = _FRAME_WORDS.sub("", lx.split_re.sub("", lx.lead_re.sub("", _YEAR_PREFIX.sub("", pre))))
    return len(re.findall(f"[{CJK}]", pre)) < 2


def _context_before(text: str, s0: int) -> tuple[str, ...]:
    """The texts a sentence at s0 may take a name from, nearest first: its paragraph before it, the paragraph
    before that, and the passage's first line (the title)."""
    para = text.rfind("\n", 0, s0) + 1
    previous = text.rfind("\n", 0, max(0, para - 1)) + 1 if para else para
    first = text.find("\n")
    title = text[:first] if 0 < first < previous else ""
    return tuple(t for t in (text[para:s0], text[previous:para], title) if t)


def _rate_word_before(sentence: str, rel: int, lx: _Lexicons) -> bool:
    """True when a rate word (增长, 下降) stands in the figure's clause before it: a growth rate, a flow."""
    clause_start = max([0] + [m.end() for m in _CLAUSE_NO_LIST.finditer(sentence, 0, rel)])
    return lx.rate_re.search(sentence, clause_start, rel) is not None


def _falls(sentence: str, list_start: int, rel: int, lx: _Lexicons) -> bool:
    """True when the nearest rate word before the figure at `rel` in its 、-list is a fall (下降, 减少)."""
    rate = None
    for m in lx.rate_re.finditer(sentence, list_start, rel):
        rate = m
    return rate is not None and rate.lastgroup == "fall"


def _paragraph_term(indicator: str, q: Quantity, lx: _Lexicons, context: tuple[str, ...]) -> str:
    """The name a figure takes from the text before its sentence when its own words name nothing (金额, 增速)
    or only the tail of a term named there (投资 after 固定资产投资, 收入 after 人均可支配收入): the last
    lexicon term of its paragraph, else of the paragraph before or the title, that fits its measure (any
    level, for a growth rate). '' when there is none: 分县看，……长阳县增长6.8% -> 固定资产投资增速."""
    growth = _growth_suffix(indicator, lx) or (CHANGE if indicator.endswith(CHANGE) else "")
    base = indicator[: len(indicator) - len(growth)] if growth else indicator
    unnamed = is_unnamed(base) or base == _measure_default(q, lx)
    if not unnamed and len(base) > 3:
        return ""
    fitting = None if growth in lx.bare_growth else _FITTING_DIMENSIONS.get(q.measure_kind)
    for text in context:
        for m in reversed(list(lx.indicator_re.finditer(text))):
            row = _lexicon_row(m, lx)
            if row["kind"] != "measure":
                continue
            entry = catalogued(row["indicator_id"])
            if fitting is not None and (entry is None or entry.dimension not in fitting):
                continue
            if unnamed or (row["indicator"] != base and row["indicator"].endswith(base)):
                return row["indicator"] + growth
            break  # the nearest term of the right dimension names another thing: keep the own words
    return ""


def _subject_of_rate(indicator: str, q: Quantity, rel: int, listed, clause_start: int, sent: _Sentence,
                     lx: _Lexicons, context: tuple[str, ...] = (), names_nothing: bool = False) -> str:
    """The indicator with the subject a growth rate or an unnamed figure takes from its sentence, and the
    sentence's record of what its figures named updated."""
    own = sent.respective_names().get(rel)
    growth = _growth_suffix(indicator, lx)
    if own is None and (growth or is_unnamed(indicator)) and rel in sent.respective_levels():
        own = sent.respective_levels()[rel]  # 游客85万人次、收入6.2亿元，分别增长12%、15%
        growth = growth or lx.growth_name
    if own and not listed:
        # 城镇、农村居民人均可支配收入分别达到……，分别增长4.6%、8.2%: the list's rates are growth rates
        rate = growth or (lx.growth_name if q.measure_kind in ("percent", "points") and sent.rate_list(rel) else "")
        indicator = own + rate
    elif indicator in lx.bare_growth and q.measure_kind == "points" and sent.rates:
        indicator = sent.rates[-1] + indicator  # 城镇化率达到52.3%，提高1.2个百分点
    elif indicator in lx.bare_growth and sent.levels:
        indicator = sent.levels[-1] + indicator  # 地区生产总值完成86.2亿元，增长6.1%: the growth of that
    elif indicator in lx.bare_growth and sent.growths:
        indicator = sent.growths[-1] + indicator  # 规上工业增加值增长8.3%，其中长兴县增长10.2%
    elif indicator == CHANGE and sent.levels:
        indicator = sent.levels[-1] + indicator  # 粮食总产量31.7万吨，比上年减少0.4万吨
    elif is_unnamed(indicator) and names_nothing and q.measure_normalized in sent.named_by_measure:
        indicator = sent.named_by_measure[q.measure_normalized]  # 在建项目27个，其中格尔木市在建12个，德令哈市9个
    elif indicator == _measure_default(q, lx):
        indicator = _sentence_term(sent.text, clause_start, q, lx) or indicator  # 崇义县……森林覆盖率……，分别为88.4%
    if names_nothing:
        indicator = _paragraph_term(indicator, q, lx, context) or indicator
    if not growth and q.measure_kind not in ("percent", "points"):
        sent.levels.append(indicator)
    elif not growth and q.measure_kind == "percent":
        sent.rates.append(indicator)
    rate = _growth_suffix(indicator, lx)
    if rate and indicator != rate:
        sent.growths.append(indicator[: -len(rate)])
    if not is_unnamed(indicator) and q.measure_normalized:
        sent.named_by_measure[q.measure_normalized] = indicator
    return indicator


def _ratio_parts(q: Quantity, pre: str, base: dict, passage_start: int, lx: _Lexicons,
                 paragraph: str = "") -> list[dict]:
    """三次产业比重8.4:64.9:26.7: one figure per part, named from the lexicon's parts; no ratio indicator
    before it (9:30, a score) is no structure. Parts summing to 100 take the structure named earlier in
    their paragraph (北林区三次产业结构为……；肇东市为26.4:29.8:43.8)."""
    m = _last(lx.indicator_re, pre)
    if (m is None or _lexicon_row(m, lx)["kind"] != "ratio") and abs(sum(v for v, _, _ in q.parts) - 100) < 0.6:
        m = next((x for x in reversed(list(lx.indicator_re.finditer(paragraph)))
                  if _lexicon_row(x, lx)["kind"] == "ratio"), None)
    if m is None or _lexicon_row(m, lx)["kind"] != "ratio":
        return []
    row = _lexicon_row(m, lx)
    names = [n for n in row["parts"].split("|") if n]
    measure = "%" if abs(sum(v for v, _, _ in q.parts) - 100) < 0.6 else ""
    out = []
    for k, (v, a, b) in enumerate(q.parts):
        name = names[k] if len(names) == len(q.parts) else f"{row['indicator']}（{k + 1}）"
        ident, qualifier = canonical_indicator(name, measure, lx)
        out.append({**base, "indicator": name, "indicator_id": ident, "qualifier": qualifier, "value": v,
                    "measure": measure, "value_normalized": v, "measure_normalized": measure,
                    "category": row["category"], "start": passage_start + a, "end": passage_start + b})
    return out


def _bare_magnitude(q: Quantity, pre: str, post: str, lx: _Lexicons, pre_wide: str):
    """人口32万, 游客650万, 产值过千亿: a bare 万/亿 after an indicator whose catalogue entry says what it
    counts (bare_measure 人, 人次, 元) is that measure: (the quantity with its measure, its name) or (q, None)."""
    named = _name(replace(q, needs_noun=False, measure_kind=""), pre, post, lx, pre_wide)
    if named is None:
        return q, None
    entry = catalogued(canonical_indicator(named[0], "", lx)[0])
    if entry is None or not entry.bare_measure:
        return q, None
    unit = vocabulary().units[entry.bare_measure]
    return replace(q, unit=entry.bare_measure, measure=q.magnitude + entry.bare_measure,
                   value_normalized=q.value_normalized * unit["multiplier"],
                   measure_normalized=unit["measure_normalized"], measure_kind=unit["kind"],
                   needs_noun=False), named


def _document_year(date: str) -> int | None:
    m = re.match(r"((?:19|20)\d{2})", date or "")
    return int(m.group(1)) if m else None


def extract_figures(passages: pd.DataFrame, dates: dict[str, str] | None = None,
                    mentions: pd.DataFrame | None = None, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Passages -> figures.

    Input columns: passage_id, doc_id, unit, speaker, start, end, text (text == clean_text[start:end]).
    Output columns (TABLES["figures"]): doc_id, unit, indicator, value (float; low bound of a range),
    measure (as written: 万人), value_normalized (float), measure_normalized (人), category,
    year (Int64, <NA> when unknown), is_target (bool), evidence (the sentence), start, end (offsets of
    the figure span in the document's clean text, so clean_text[start:end] is the figure as written).

    >>> p = pd.DataFrame([{"passage_id": 0, "doc_id": "d", "unit": "某县", "speaker": "", "start": 10,
    ...                    "end": 20, "text": "全县总人口18.7万人。"}])
    >>> extract_figures(p)[["indicator", "value_normalized", "measure_normalized", "start"]].values.tolist()
    [['总人口', 187000.0, '人', 15]]
    """
    lx = lexicons()
    rows: list[dict] = []
    dates = dates or {}
    named: dict[str, list[Mention]] = {}
    kinds: dict[str, dict[str, str]] = {}
    # the kind of every unit, also of a passage's unit its text never names (a publisher's place)
    known = dict(zip(units["unit"], units["kind"])) if units is not None and len(units) else {}
    if mentions is not None and len(mentions):
        for doc_id, a, b, unit, kind in mentions[["doc_id", "start", "end", "unit", "kind"]].itertuples(index=False):
            named.setdefault(doc_id, []).append((a, b, unit))
            kinds.setdefault(doc_id, {})[unit] = kind
    for p in passages[["doc_id", "unit", "start", "end", "text"]].to_dict("records"):
        if isinstance(p["text"], str) and p["text"]:
            inside = [(a - p["start"], b - p["start"], u) for a, b, u in named.get(p["doc_id"], ())
                      if p["start"] <= a and b <= p["end"]]
            rows.extend(_figures_of_passage(p, lx, _document_year(dates.get(p["doc_id"], "")), inside,
                                            {**known, **kinds.get(p["doc_id"], {})}))
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({"value": "float64", "value_normalized": "float64", "year": "Int64",
                       "is_target": "bool", "start": "int64", "end": "int64"})
