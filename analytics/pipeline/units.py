"""Clean documents + gazetteer -> units of comparison and the passages that speak for each.

A unit is a county-level place (县, 县级市, 市辖区), a development zone, or a prefecture city (or
province) where a document speaks for it. A document that speaks for one place gives it all its text; a
round-table or a report quoting officials is split at each speaker ('永济市委书记何伟' on its own line,
or inline '太原市发改委主任何爱萍表示'), and text no speaker claims goes to the document's own place.

Place names are found with an index of every gazetteer name and short name by first character (built
once per gazetteer), so a document costs one pass with a few dictionary look-ups per character, not one
pass per name. An office title whose place name a garbled run destroyed (大�发改委, U+FFFD) is read
against the full names of the document's province or prefecture (_damaged_place), only when the
evidence points at one place. The patterns of
zone endings, office titles and self-references live in data/ (zone_patterns.csv, speaker_cues.csv,
place_references.csv, office_prefixes.csv ...).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from analytics.pipeline.gazetteer import (everyday_forms, former_names, gazetteer_is_full, matchable_names,
                                          read_lines, read_table)
from analytics.pipeline.text import CJK, UNRECOVERABLE, sentence_spans
from analytics.registry import TABLES

UNKNOWN = "未知"
HOST_INFERRED = "host inferred from context"
_SPECIFICITY = {"zone": 0, "district": 1, "county": 1, "county_city": 1, "prefecture": 2, "province": 3}
_HEADER_MAX = 60
_HINT_MIN = 3
_TITLE_CHARS = 60
_TITLE_MAX = 40
_ZONE_MID_MAX = 6
_BOUNDARY = "，。、；：！？,.;:!?“”\"'‘’（）()《》〈〉【】 \t"
_OFFICE_MIN = 2     # a parallel office (发改委) is a name of at least two characters
_PLACED_SUBJECT_BONUS = 3  # 岚县位于……: the subject of a placing statement


# ---------------------------------------------------------------- matcher (built once per gazetteer)

def _first_index(names) -> dict[str, list[int]]:
    """First character -> the lengths of the names starting with it, longest first: the scan looks up
    a handful of slices per character instead of trying thousands of names (an index built once)."""
    index: dict[str, set[int]] = {}
    for name in names:
        index.setdefault(name[0], set()).add(len(name))
    return {ch: sorted(lengths, reverse=True) for ch, lengths in index.items()}


@dataclass
class _Matcher:
    col: dict[str, list]             # gazetteer columns as lists: row access without pandas overhead
    names: dict[str, list[int]]
    first: dict[str, list[int]]      # first character -> lengths of names starting with it, longest first
    zone_tail: re.Pattern
    free_zone: re.Pattern
    zone_suffix: dict[str, str]
    mid_dropped: re.Pattern
    roles: re.Pattern
    inline: re.Pattern
    continuation: re.Pattern
    references: list[tuple[str, str, int]]
    offices: dict[str, str]
    office_end: re.Pattern          # where an office's own name ends: a role, a party organ, punctuation
    display: list[str]
    name_set: frozenset = frozenset()  # the gazetteer's full names, for membership tests
    former: dict = field(default_factory=dict)  # former name (长垣县) -> row of its successor (长垣市)
    former_of: dict = field(default_factory=dict)  # row -> its former names, for the aliases
    colon_speaker: re.Pattern | None = None  # 清河县委书记 王立群：…… (a speech after a colon)
    host: re.Pattern | None = None  # 主持人：/ 记者： a line of the narrator's
    placing: re.Pattern | None = None  # 位于 / 地处: the places after it place the subject before it
    neighbour: re.Pattern | None = None  # 接壤 / 东邻: the places of its clause are neighbours, no evidence
    formal_tail: re.Pattern | None = None  # a formal zone ending right after a name (宁乡|经济技术开发区)
    name_follower: re.Pattern | None = None  # 芙蓉|镇, 青山|村: a short name inside a longer proper name
    everyday: dict = field(default_factory=dict)  # everyday-word names (合作, 城区) -> longer words (合作社)


_MATCHERS: dict[str, _Matcher] = {}


_FINGERPRINTS: dict[int, tuple[pd.DataFrame, str]] = {}


def _fingerprint(gazetteer: pd.DataFrame) -> str:
    # Hashing every column costs ~20 ms, once per find_units call: per document when the store adds
    # files one by one. The same (cached, read-only) gazetteer object is hashed once; the entry keeps
    # the object alive, so its id cannot be reused by another table.
    known = _FINGERPRINTS.get(id(gazetteer))
    if known is not None and known[0] is gazetteer:
        return known[1]
    key = _hash_gazetteer(gazetteer)
    if len(_FINGERPRINTS) > 8:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(gazetteer)] = (gazetteer, key)
    return key


def _hash_gazetteer(gazetteer: pd.DataFrame) -> str:
    digest = hashlib.sha1()
    for column in ("adcode", "name", "short_name", "level", "kind", "prefecture", "province"):
        digest.update("\x1f".join(map(str, gazetteer[column])).encode())
    return digest.hexdigest()


def _display_names(gazetteer: pd.DataFrame) -> list[str]:
    """Unit name of each gazetteer row: its name, or prefecture/province + name where the name alone
    is shared (朝阳区 -> 北京市朝阳区). Depends only on the gazetteer, so every batch agrees."""
    counts = Counter(gazetteer["name"])
    out = []
    for name, prefecture, province in zip(gazetteer["name"], gazetteer["prefecture"], gazetteer["province"]):
        parent = prefecture if prefecture and prefecture != name else province
        out.append(name if counts[name] == 1 or parent == name else parent + name)
    return out


def _matcher(gazetteer: pd.DataFrame) -> _Matcher:
    key = _fingerprint(gazetteer)
    if key in _MATCHERS:
        return _MATCHERS[key]
    gazetteer = gazetteer.reset_index(drop=True)
    names = matchable_names(gazetteer)
    former = former_names(gazetteer)
    for form, row in former.items():
        names.setdefault(form, [row])
    zones = read_table("zone_patterns.csv")
    suffixes = sorted(zones["suffix"], key=len, reverse=True)
    free = sorted(zones.loc[zones["free"] == "yes", "suffix"], key=len, reverse=True)
    stop = "".join(read_lines("zone_prefix_stopchars.txt", "char"))
    deictic = "".join(read_lines("zone_deictic_chars.txt", "char"))
    cues = read_table("speaker_cues.csv")
    roles = sorted(cues.loc[cues["type"] == "role", "cue"], key=len, reverse=True)
    verbs = sorted(cues.loc[cues["type"] == "verb", "cue"], key=len, reverse=True)
    pronouns = sorted(cues.loc[cues["type"] == "pronoun", "cue"], key=len, reverse=True)
    organs = sorted(cues.loc[cues["type"] == "organ", "cue"], key=len, reverse=True)
    hosts = sorted(cues.loc[cues["type"] == "host", "cue"], key=len, reverse=True)
    placing = sorted(cues.loc[cues["type"] == "placing", "cue"], key=len, reverse=True)
    neighbours = sorted(cues.loc[cues["type"] == "neighbour", "cue"], key=len, reverse=True)
    alt = lambda words: "(?:" + "|".join(map(re.escape, words)) + ")"  # noqa: E731
    refs = read_table("place_references.csv")
    offices = read_table("office_prefixes.csv")
    not_clause = r"[^，。；！？,.;!?\n“”\"：:]"
    matcher = _Matcher(
        col={c: gazetteer[c].tolist() for c in gazetteer.columns},
        names=names,
        first=_first_index(names),
        # place + short modifier + zone ending: 盐湖|高新技术产业开发区, 阳曲|现代农业产业|示范区
        zone_tail=re.compile(
            rf"(?P<mid>(?:(?![{re.escape(stop)}])[{CJK}]){{0,{_ZONE_MID_MAX}}}?)(?P<suffix>{alt(suffixes)})"),
        # a town's zone (风陵渡经济开发区) only where its name visibly starts: line start or after punctuation
        free_zone=re.compile(
            rf"(?:^|(?<=[{re.escape(_BOUNDARY)}]))(?P<prefix>(?![{re.escape(deictic)}])[{CJK}]{{2,4}}?)"
            rf"(?P<suffix>{alt(free)})", re.M),
        mid_dropped=re.compile(alt(sorted(read_lines("zone_mid_dropped.txt", "word"), key=len, reverse=True))),
        zone_suffix=dict(zip(zones["suffix"], zones["canonical_suffix"])),
        roles=re.compile(alt(roles)),
        inline=re.compile(
            rf"(?P<title>{not_clause}{{0,{_TITLE_MAX}}}?{alt(roles)})(?P<name>[{CJK}]{{2,3}})"
            rf"(?:{not_clause}{{0,6}}?地)?(?P<verb>{alt(verbs)})"),
        continuation=re.compile(rf"^\s*{alt(pronouns)}们?{not_clause}{{0,6}}?{alt(verbs)}"),
        references=[(w, lv, int(wt)) for w, lv, wt in zip(refs["word"], refs["level"], refs["weight"])],
        offices=dict(zip(offices["prefix"], offices["level"])),
        office_end=re.compile(rf"{alt(roles + organs)}|[^{CJK}]"),
        display=_display_names(gazetteer),
        name_set=frozenset(gazetteer["name"]),
        former=former,
        former_of={row: [form for form, r in former.items() if r == row] for row in set(former.values())},
        colon_speaker=re.compile(
            rf"^\s*(?P<title>{not_clause}{{0,{_TITLE_MAX}}}?{alt(roles)})\s*(?P<name>[{CJK}]{{2,4}})\s*[：:]"),
        host=re.compile(rf"^\s*{alt(hosts)}\s*[：:]") if hosts else None,
        placing=re.compile(alt(placing)) if placing else None,
        neighbour=re.compile(alt(neighbours)) if neighbours else None,
        formal_tail=re.compile(alt(free)),
        name_follower=re.compile(alt(sorted(read_lines("short_name_followers.txt", "word"), key=len, reverse=True))),
        everyday=everyday_forms() if gazetteer_is_full(gazetteer) else {},
    )
    _MATCHERS[key] = matcher
    return matcher


# ---------------------------------------------------------------- mentions

@dataclass
class _Mention:
    start: int
    end: int
    surface: str
    rows: list[int]                 # candidate gazetteer rows (place), or the zone prefix's candidates
    zone: str | None = None         # canonical zone name when this mention is a zone
    mid: str = ""
    suffix: str = ""
    row: int | None = None          # resolved gazetteer row (the place, or the zone's host)


def heading_end(text: str) -> int:
    """End of the first line when it is a heading of its own (at most 40 characters, text after it), else 0."""
    stripped = len(text) - len(text.lstrip())
    end = text.find("\n", stripped)
    return end if 0 <= end - stripped <= _TITLE_MAX and text[end:].strip() else 0


def first_line_end(text: str) -> int:
    """End of the first non-empty line: the title, or the lead paragraph that names the subject."""
    stripped = len(text) - len(text.lstrip())
    end = text.find("\n", stripped)
    end = len(text) if end < 0 else end
    # a first "line" that is a whole lead paragraph names its subject early
    return min(end, stripped + _TITLE_CHARS)


def _place_mentions(text: str, m: _Matcher) -> list[_Mention]:
    """Leftmost-longest, non-overlapping gazetteer names: 岢岚县 wins over 岚县 since the scan meets 岢 first."""
    out, i, n, first, names = [], 0, len(text), m.first, m.names
    while i < n:
        for length in first.get(text[i], ()):
            word = text[i:i + length]
            if word in names:
                # 从江|江阴高新区 gives way to the name inside it, unless the text writes 从江's own full name
                # (信阳市……信阳新县: 信阳 stands, 阳新县 is no reading)
                if word not in m.name_set and _stronger_inside(text, i, length, m) \
                        and not any(m.col["name"][r] in text for r in names[word]):
                    continue
                out.append(_Mention(i, i + length, word, names[word]))
                i += length
                break
        else:
            i += 1
    return out


def _stronger_inside(text: str, i: int, length: int, m: _Matcher) -> bool:
    """A short name at i (从江 in 从江阴高新技术产业开发区) that overlaps a name starting inside it which is
    written in full or carries a formal zone ending (江阴|高新技术产业开发区) gives way to that name."""
    for j in range(i + 1, i + length):
        for other in m.first.get(text[j], ()):
            word = text[j:j + other]
            # a two-character name (和县, 范县) is itself too weak to break a longer name (民和县)
            if word in m.names and ((word in m.name_set and len(word) > 2) or m.formal_tail.match(text, j + other)):
                return True
    return False


def _zone_mentions(text: str, places: list[_Mention], m: _Matcher) -> list[_Mention]:
    zones: list[_Mention] = []
    for p in places:
        tail = m.zone_tail.match(text, p.end)
        if tail:
            zones.append(_Mention(p.start, tail.end(), text[p.start:tail.end()], p.rows,
                                 zone="?", mid=tail["mid"], suffix=tail["suffix"]))
    taken = [(z.start, z.end) for z in zones] + [(p.start, p.end) for p in places]
    free: dict[str, tuple[str, str]] = {}
    for x in m.free_zone.finditer(text):
        # a prefix that starts with a gazetteer name was judged above (and rejected if it failed there)
        if any(a <= x.start() < b for a, b in taken):
            continue
        at_line_start = x.start() == 0 or text[x.start() - 1] == "\n"
        if at_line_start or text.count(x.group()) >= 2:
            free[x.group()] = (x["prefix"], x["suffix"])
    # A town zone found once where its name starts a line is then found wherever it is written.
    for surface, (prefix, suffix) in free.items():
        forms = {surface, prefix + m.zone_suffix[suffix]}
        for form in forms:
            for x in re.finditer(re.escape(form), text):
                if not any(z.start < x.end() and x.start() < z.end for z in zones):
                    zones.append(_Mention(x.start(), x.end(), form, [], zone=prefix + m.zone_suffix[suffix],
                                          mid="", suffix=suffix))
    return sorted(zones, key=lambda z: z.start)


def _corroborated(text: str, mentions: list[_Mention], m: _Matcher) -> None:
    """Drop candidates that a short name alone suggests and nothing else in the text supports.

    A short name (青山 in 绿水青山, 太平) counts only when the text also names the division in full or
    names its prefecture or province; province short names (山西) stand alone. A two-character name
    with a one-character stem (富县 in 产业富县, 范县 in 示范县) is read inside ordinary words so often
    that it needs its prefecture named, or a place in a heading line, or three mentions.
    """
    g = m.col
    names, levels = g["name"], g["level"]
    name_set = m.name_set
    candidates = [list(x.rows) for x in mentions]
    _everyday_in_context(text, mentions, m)
    full = {x.surface for x in mentions}
    counts = Counter(x.surface for x in mentions)
    areas = {names[r] for x in mentions for r in x.rows if levels[r] != "county"}
    prefectures, provinces = g["prefecture"], g["province"]
    title_end = heading_end(text)  # a heading line of its own (关于岚县……的思考), not a lead paragraph
    vouched = {x.surface for x in mentions if m.formal_tail.match(text, x.end)}
    # 炎陵黄桃……全县: a short name in the title (or named twice) of a text that calls itself 全县 / 我市 is the
    # division of that level it names
    hint = _level_hint(text, [(0, len(text))], m)
    kinds = g["kind"]
    starts = {x.start for x in mentions if x.rows}
    references = {word for word, _, _ in m.references}
    for x in mentions:
        if not x.rows:
            continue  # an everyday word out of a place context
        if x.surface in references and x.surface not in name_set:
            x.rows = []  # 全州 is the text speaking of its whole prefecture, not 全州县 by its short name
            continue
        if x.surface not in name_set and x.surface not in m.former and m.name_follower.match(text, x.end) \
                and x.end not in starts:
            x.rows = []  # 芙蓉镇, 青山村: a short name that begins a longer proper name names no division
            continue  # (but 台州|路桥 is two places, not 台州路)
        if x.surface in vouched:
            continue  # 宁乡经济技术开发区: a formal zone ending vouches for the name, wherever it is written
        if len(x.surface) == 2 and x.surface in name_set and levels[x.rows[0]] == "county":
            # 赵县2023年……: a name that opens the text, a line or a clause is no syllable of a word (示范县,
            # 产业富县), unless its 县 begins one (新县城, 县域)
            opens = _opens_item(text, x.start) and text[x.end:x.end + 1] not in _SUFFIX_WORD_TAILS
            x.rows = [r for r in x.rows if prefectures[r] in areas or x.start < title_end or counts[x.surface] >= 3
                      or opens]
            continue
        named_enough = x.start < title_end or counts[x.surface] >= 2
        x.rows = [r for r in x.rows
                  if x.surface == names[r] or x.surface in m.former or names[r] in full or levels[r] == "province"
                  or prefectures[r] in areas or provinces[r] in areas
                  or (hint is not None and named_enough and _matches_level(kinds[r], hint))]
    _listed_with_places(text, mentions, candidates, m)
    _everyday_as_named(text, mentions, candidates, m)


_ITEM_OPENERS = "、，；：,;:\n。！？"
_SUFFIX_WORD_TAILS = frozenset("城域级")  # 县城, 县域, 县级: the 县 of a short county name begins a word
_LIST_SPAN = 40  # how far the next item of a list of places may stand (its value between: 甲县38个、乙县35个)


def _opens_item(text: str, start: int) -> bool:
    """True when a mention at `start` opens a list item or a line (after 、，；： or a line break)."""
    j = start
    while j > 0 and text[j - 1] in " \t　-—·•●▲■◆": 
        j -= 1
    return j == 0 or text[j - 1] in _ITEM_OPENERS


def _placed_by(text: str, before: _Mention | None, x: _Mention, row: int, m: _Matcher) -> bool:
    """True when the mention right before `x` (河北|清河, 甘南州|合作) names the prefecture or province of `row`."""
    if before is None or not before.rows:
        return False
    gap = text[before.end:x.start]
    if len(gap) > 1 or (gap and gap not in "省市州盟地区"):
        return False
    g = m.col
    areas = {g["prefecture"][row], g["province"][row]}
    return any(g["name"][r] in areas for r in before.rows)


def _everyday_in_context(text: str, mentions: list[_Mention], m: _Matcher) -> None:
    """A county-level division whose name here is an everyday word (合作, 资源, 城区: gazetteer.everyday_forms)
    is read right after its prefecture or province, before a formal zone ending (仙桃|高新技术产业开发区),
    or, in a text that names it in full, where the word does not begin a longer dictionary word (合作|社);
    in a list of places `_listed_with_places` may restore it. Prefecture and province readings of the same
    form (长沙, 西安) are kept."""
    g = m.col
    levels, names = g["level"], g["name"]
    written = {x.surface for x in mentions}
    for i, x in enumerate(mentions):
        if m.everyday.get(x.surface) is None or m.formal_tail.match(text, x.end):
            continue
        before = mentions[i - 1] if i else None
        x.rows = [r for r in x.rows if levels[r] != "county" or _placed_by(text, before, x, r, m)
                  or _places_itself(text, x, mentions[i + 1:], r, m)
                  or (names[r] in written and names[r] != x.surface and _opens_as_name(text, x, m))]


def _places_itself(text: str, x: _Mention, after: list[_Mention], row: int, m: _Matcher) -> bool:
    """矿区位于山西省阳泉市: a placing cue right after the name and its prefecture or province named in that
    clause place the name as the division."""
    if m.placing is None or not m.placing.match(text, x.end):
        return False
    stop = re.search(r"[，。；！？\n]", text[x.end:])
    clause_end = x.end + (stop.start() if stop else len(text) - x.end)
    g = m.col
    areas = {g["prefecture"][row], g["province"][row]}
    return any(y.start < clause_end and any(g["name"][r] in areas for r in y.rows) for y in after)


def _opens_as_name(text: str, x: _Mention, m: _Matcher) -> bool:
    """An everyday-word name (合作, 城区) that opens a clause, a list item or a line and begins no longer
    dictionary word there (合作|社 does): read as the place where the text names the place elsewhere."""
    return _opens_item(text, x.start) and not any(text.startswith(w, x.start) for w in m.everyday.get(x.surface, ()))


def _everyday_as_named(text: str, mentions: list[_Mention], candidates: list[list[int]], m: _Matcher) -> None:
    """An everyday-word name left unsupported where the same form is a supported place elsewhere in the text
    (城区 in 分县区看，城区、矿区、郊区…… vouches for 城区加快推进……): supported where it opens as a name."""
    supported = {x.surface: x.rows for x in mentions if x.rows and x.surface in m.everyday}
    for i, x in enumerate(mentions):
        if not x.rows and x.surface in supported and _opens_as_name(text, x, m):
            x.rows = [r for r in candidates[i] if r in supported[x.surface]]


def _listed_with_places(text: str, mentions: list[_Mention], candidates: list[list[int]], m: _Matcher) -> None:
    """A county-level name the rules above left unsupported (兴县, 临县: a one-character stem; 合作: an
    everyday word) is a place when it is an item of a list of places (分县看，岚县、兴县、临县分别为……;
    甲县38个、乙县35个): each opens an item (after 、，；： or a line break), the next within a short span of the
    same sentence. A list vouches for its members of the province of its supported ones; a list of three or
    more with none supported, for the members that share one prefecture."""
    g = m.col
    levels, provinces, prefectures = g["level"], g["province"], g["prefecture"]
    runs: list[list[int]] = []
    for i, x in enumerate(mentions):
        if not any(levels[r] == "county" for r in candidates[i]) or not _opens_item(text, x.start):
            continue
        if runs and runs[-1][-1] == i - 1:
            y = mentions[i - 1]
            if x.start - y.end <= _LIST_SPAN and not re.search(r"[。！？\n]", text[y.end:x.start]):
                runs[-1].append(i)
                continue
        runs.append([i])
    for run in runs:
        if len(run) < 2:
            continue
        anchors = {provinces[r] for i in run for r in mentions[i].rows if levels[r] == "county"}
        if anchors:
            for i in run:
                if not mentions[i].rows:
                    mentions[i].rows = [r for r in candidates[i] if levels[r] == "county" and provinces[r] in anchors]
        elif len(run) >= 3:
            shared = set.intersection(*({prefectures[r] for r in candidates[i] if levels[r] == "county"} for i in run))
            shared.discard("")
            if len(shared) == 1:
                for i in run:
                    mentions[i].rows = [r for r in candidates[i] if prefectures[r] in shared]


def _resolve(mentions: list[_Mention], m: _Matcher) -> str:
    """Pick one gazetteer row per mention, preferring the document's most mentioned province; returns it."""
    g = m.col
    provinces, names, levels = g["province"], g["name"], g["level"]
    votes: Counter = Counter()
    for x in mentions:
        distinct = {provinces[r] for r in x.rows}
        for p in distinct:
            votes[p] += 1 / len(distinct)
    top = votes.most_common(1)[0][0] if votes else ""
    # the prefectures the text names unambiguously: a shared name (市中区, 城区) is the one under them
    named = {names[x.rows[0]] for x in mentions if len(x.rows) == 1 and levels[x.rows[0]] == "prefecture"}
    prefectures = g["prefecture"]
    rank = {"province": 0, "prefecture": 1, "county": 2}
    for x in mentions:
        if x.rows:
            x.row = min(x.rows, key=lambda r: (provinces[r] != top, levels[r] == "county" and prefectures[r] not in named,
                                               x.surface != names[r], rank[levels[r]], r))
    return top


def _zone_name(z: _Mention, m: _Matcher) -> str:
    if z.row is None:
        return z.zone or z.surface
    return m.col["short_name"][z.row] + m.mid_dropped.sub("", z.mid) + m.zone_suffix[z.suffix]


def find_mentions(text: str, gazetteer: pd.DataFrame) -> pd.DataFrame:
    """Places and zones named in `text`.

    Output columns: start, end, surface, kind (a gazetteer kind or 'zone'), name (gazetteer name, or
    the zone's canonical name), adcode (the place's, or the zone host's; '' when unknown).
    """
    m = _matcher(gazetteer)
    mentions = _mentions(text, m)
    rows = []
    for x in mentions:
        host = "" if x.row is None else m.col["adcode"][x.row]
        if x.zone:
            rows.append((x.start, x.end, x.surface, "zone", x.zone, host))
        else:
            rows.append((x.start, x.end, x.surface, m.col["kind"][x.row], m.col["name"][x.row], host))
    return pd.DataFrame(rows, columns=["start", "end", "surface", "kind", "name", "adcode"])


def _mentions(text: str, m: _Matcher) -> list[_Mention]:
    places = _place_mentions(text, m)
    _corroborated(text, places, m)
    places = [p for p in places if p.rows]
    # zones are built on supported places only, so 青山……示范区 in 绿水青山 never becomes a zone
    zones = _zone_mentions(text, places, m)
    inside = [(z.start, z.end) for z in zones]
    places = [p for p in places if not any(a <= p.start and p.end <= b for a, b in inside)]
    mentions = sorted(places + zones, key=lambda x: x.start)
    _resolve(mentions, m)
    for z in zones:
        z.zone = _zone_name(z, m)
    return mentions


# ---------------------------------------------------------------- units (keys) and their areas

Key = tuple  # ('place', row) | ('zone', name) | ('unknown',)


@dataclass
class _Doc:
    text: str
    m: _Matcher
    mentions: list[_Mention]
    zone_hosts: dict[str, int | None] = field(default_factory=dict)
    zone_forms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _placing: tuple | None = None  # _placing_mentions, once per document
    publisher: list = field(default_factory=list)  # gazetteer rows the page furniture names (来源：盐池县融媒体中心)
    damaged_forms: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    _area: tuple[str, str] | None = None

    def key(self, x: _Mention) -> Key:
        if x.zone:
            self.zone_hosts.setdefault(x.zone, x.row)
            self.zone_forms[x.zone].add(x.surface)
            return ("zone", x.zone)
        return ("place", x.row)

    def kind(self, key: Key) -> str:
        if key[0] == "zone":
            return "zone"
        if key[0] == "place":
            return self.m.col["kind"][key[1]]
        return "unknown"

    def host_row(self, key: Key) -> int | None:
        return key[1] if key[0] == "place" else self.zone_hosts.get(key[1]) if key[0] == "zone" else None

    def areas(self, key: Key) -> dict[str, list[Key]]:
        """The places enclosing the unit (or its host) by level, nearest first: county, city (a
        county-level city, then its prefecture: 永济市 is a 市 inside 运城市), province."""
        row = self.host_row(key)
        if row is None:
            return {}
        g = self.m.col
        out: dict[str, list[Key]] = {}
        level, kind = g["level"][row], g["kind"][row]
        if level == "county":
            out["county"] = [("place", row)]
        city = [("place", row)] if kind in ("prefecture", "county_city") else []
        if level == "county":
            pref = self._row_of(g["prefecture"][row], "prefecture")
            if pref is not None:
                city.append(("place", pref))
        if city:
            out["city"] = city
        prov = self._row_of(g["province"][row], "province")
        if prov is not None:
            out["province"] = [("place", prov)]
        return out

    def _row_of(self, name: str, level: str) -> int | None:
        if not name:
            return None
        g = self.m.col
        for r in self.m.names.get(name, []):
            if g["level"][r] == level:
                return r
        return None


def _matches_level(kind: str, level: str) -> bool:
    return {
        "county": kind == "county",
        "city": kind in ("prefecture", "county_city"),
        "district": kind in ("district", "zone"),
        "province": kind == "province",
    }[level]


# ---------------------------------------------------------------- speakers

@dataclass
class _Speaker:
    start: int              # where the speaker's passage starts
    cue: int                # where the speaker cue (title) starts
    para_end: int
    header: bool
    speaker: str
    key: Key | None         # resolved unit, or None while it waits for the document's own place
    level: str | None = None  # office level for a deferred key (市委书记 -> city)
    host: bool = False      # a moderator's line (主持人：): the narrator's, ending the floor before it


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _title_unit(doc: _Doc, start: int, end: int, para_start: int) -> tuple[Key | None, str | None, bool]:
    """The unit an office title speaks for: the last place or zone named in it, else the nearest earlier
    place in the paragraph of the level its first character names (市委书记 -> the city just named).
    Returns (key, deferred level, resolvable)."""
    inside = [x for x in doc.mentions if start <= x.start and x.end <= end]
    if inside:
        return doc.key(inside[-1]), None, True
    damaged = _damaged_place(doc, start, end)
    if damaged is not None:
        return damaged, None, True
    title = doc.text[start:end].lstrip()
    level = doc.m.offices.get(title[:1])
    if level is None:
        return None, None, False
    before = [x for x in doc.mentions if para_start <= x.start and x.end <= start]
    for x in reversed(before):
        if _matches_level(doc.kind(doc.key(x)), level):
            return doc.key(x), None, True
    return None, level, True


# ---------------------------------------------------------------- places in damaged titles

def _context_area(doc: _Doc) -> tuple[str, str]:
    """(province, prefecture) the document is about: the province most of its resolved places (and zone
    hosts) lie in, and the prefecture when every prefecture or county it names there shares one and
    the document does not speak of itself as a province (我省, 全省); ('', '') when it names no known
    place."""
    if doc._area is None:
        g = doc.m.col
        rows = [x.row for x in doc.mentions if x.row is not None]
        votes = Counter(g["province"][r] for r in rows)
        province = votes.most_common(1)[0][0] if votes else ""
        prefectures = {g["name"][r] if g["level"][r] == "prefecture" else g["prefecture"][r]
                       for r in rows if g["province"][r] == province and g["level"][r] != "province"}
        provincial = _level_hint(doc.text, [(0, len(doc.text))], doc.m) == "province"
        known = len(prefectures) == 1 and not provincial
        doc._area = (province, next(iter(prefectures)) if known else "")
    return doc._area


def _area_rows(doc: _Doc) -> list[int]:
    """Gazetteer rows of the context area: its province, and the prefecture(s) and counties under it
    (under the context prefecture only, when one is known), each under its full name."""
    province, prefecture = _context_area(doc)
    if not province:
        return []
    g, names = doc.m.col, doc.m.names
    out = []
    for r, (name, level) in enumerate(zip(g["name"], g["level"])):
        if g["province"][r] != province or r not in names.get(name, ()):
            continue  # outside the area, or a municipality's prefecture row repeating its province
        if prefecture and level != "province" and prefecture not in (name, g["prefecture"][r]):
            continue
        out.append(r)
    return out


def _damaged_fits(doc: _Doc, start: int, end: int) -> dict[int, list[tuple[int, int]]]:
    """Context-area places whose full name fits a damaged stretch of text[start:end].

    Each run of k UNRECOVERABLE characters stands for k to 2k lost characters (one may hide two). A
    name fits when it reads: a tail of the CJK characters just before the run, the lost characters,
    a head of the CJK characters just after it (大� fits 大同市 = 大 + 同市 lost, 晋�市 fits 晋中市
    and 晋城市). Its first character, or two after the run, must survive (a lone 县 is no evidence).
    The fewest lost characters that let any name fit win (忻�市 is 忻州市, not 忻府区 with 市 left
    over). Returns row -> [(start, end)] of the fitting surfaces in the text.
    """
    text, g = doc.text, doc.m.col
    rows = None
    best: dict[int, list[tuple[int, int]]] = {}
    best_lost = None
    pos = start
    while True:
        p = text.find(UNRECOVERABLE, pos, end)
        if p < 0:
            break
        q = p
        while q < end and text[q] == UNRECOVERABLE:
            q += 1
        pos = q
        left = p
        while left > start and re.match(f"[{CJK}]", text[left - 1]):
            left -= 1
        right = q
        while right < end and re.match(f"[{CJK}]", text[right]):
            right += 1
        before, after, k = text[left:p], text[q:right], q - p
        rows = _area_rows(doc) if rows is None else rows
        for r in rows:
            name = g["name"][r]
            for kept in range(min(len(before), len(name)), -1, -1):
                if kept and not name.startswith(before[len(before) - kept:]):
                    continue
                for lost in range(k, 2 * k + 1):
                    rest = name[kept + lost:]
                    if kept + lost > len(name) or not after.startswith(rest):
                        continue
                    if kept == 0 and len(rest) < 2:
                        continue  # only the admin suffix (or nothing) survives: no evidence of the name
                    if best_lost is None or lost < best_lost:
                        best, best_lost = {}, lost
                    if lost == best_lost:
                        best.setdefault(r, []).append((p - kept, q + len(rest)))
    return best


def _office_after(doc: _Doc, at: int, end: int) -> str:
    """The office named right after a place (发改委 in 大同市发改委党组书记): up to a role, a party organ
    or punctuation."""
    x = doc.m.office_end.search(doc.text, at, end)
    return doc.text[at:x.start() if x else end]


def _damaged_place(doc: _Doc, start: int, end: int) -> Key | None:
    """The place an office title names in a damaged span (大�发改委党组书记 -> 大同市), or None.

    Accepted only when the evidence points at one context-area place: exactly one name fits; else
    exactly one of the fitting places is named elsewhere in the document; else the same office
    (发改委) follows resolved places of one administrative level elsewhere in the document
    (太原市发改委 -> a prefecture) and exactly one fitting place is of that level. The damaged surface
    (大�) becomes an alias of the unit, so a reader sees it was inferred.
    """
    if UNRECOVERABLE not in doc.text[start:end]:
        return None
    fits = _damaged_fits(doc, start, end)
    g = doc.m.col
    places = [x for x in doc.mentions if x.row is not None and not x.zone and not start <= x.start < end]
    chosen = list(fits)
    if len(chosen) > 1:
        named = {x.row for x in places}
        chosen = [r for r in fits if r in named] or chosen
    if len(chosen) > 1:
        held: dict[str, set[str]] = defaultdict(set)  # office -> levels of the places holding it
        for x in places:
            held[_office_after(doc, x.end, len(doc.text))].add(g["level"][x.row])
        chosen = [r for r in chosen
                  if any(len(o) >= _OFFICE_MIN and held.get(o) == {g["level"][r]}
                         for o in {_office_after(doc, b, end) for _, b in fits[r]})]
    if len(chosen) != 1:
        return None
    r = chosen[0]
    key: Key = ("place", r)
    doc.damaged_forms[key].update(doc.text[a:b] for a, b in fits[r])
    return key


def _speakers(doc: _Doc) -> list[_Speaker]:
    text, m = doc.text, doc.m
    found: list[_Speaker] = []
    in_header = False
    for a, b in _paragraphs(text):
        line = text[a:b]
        stripped = line.strip()
        roles = list(m.roles.finditer(line))
        if roles and len(stripped) <= _HEADER_MAX and not re.search(r"[。！？；：!?;:]", stripped):
            last = roles[-1]
            name = re.sub(r"\s+", "", line[last.end():])
            if re.fullmatch(f"[{CJK}]{{2,4}}", name):
                key, level, ok = _title_unit(doc, a, a + last.end(), a)
                if ok:
                    found.append(_Speaker(a, a, b, True, re.sub(r"\s+", " ", stripped), key, level))
                    in_header = True
                    continue
        if m.host is not None and m.host.match(line):
            found.append(_Speaker(a, a, b, True, "", None, host=True))  # the moderator's line: the narrator's
            in_header = True
            continue
        colon = m.colon_speaker.match(line)
        if colon:
            key, level, ok = _title_unit(doc, a + colon.start("title"), a + colon.end("title"), a)
            if ok:
                found.append(_Speaker(a, a, b, True, re.sub(r"\s+", " ", line[:colon.end("name")].strip()),
                                      key, level))
                in_header = True
                continue
        if in_header:
            continue  # inside a header speaker's speech, quoted officials do not take the floor
        first_in_para = True
        for x in m.inline.finditer(text, a, b):
            t0 = x.start("title") + (len(x["title"]) - len(x["title"].lstrip()))
            key, level, ok = _title_unit(doc, t0, x.end("title"), a)
            if not ok:
                continue
            start = a if first_in_para else max([s for s, _ in sentence_spans(text, a, b) if s <= t0], default=t0)
            found.append(_Speaker(start, t0, b, False, text[t0:x.end("name")], key, level))
            first_in_para = False
    return found


def _speaker_spans(doc: _Doc, speakers: list[_Speaker]) -> list[tuple[int, int, _Speaker]]:
    """(start, end, speaker): a header speaker holds the floor until the next speaker; an inline one
    until its paragraph ends (or the next speaker), plus paragraphs continuing it (他表示……)."""
    paras = _paragraphs(doc.text)
    spans = []
    for i, sp in enumerate(speakers):
        nxt = speakers[i + 1].start if i + 1 < len(speakers) else len(doc.text)
        if sp.header:
            end = nxt
        else:
            end = sp.para_end
            for a, b in paras:
                if a > end and a < nxt and a == end + 1 and doc.m.continuation.match(doc.text, a, b):
                    end = b
            end = min(end, nxt)
        spans.append((sp.start, end, sp))
    return spans


# ---------------------------------------------------------------- the document's own place

def _level_hint(text: str, spans: list[tuple[int, int]], m: _Matcher) -> str | None:
    score: Counter = Counter()
    for a, b in spans:
        chunk = text[a:b]
        for word, level, weight in m.references:
            score[level] += weight * chunk.count(word)
    (level, top), *rest = score.most_common(2) + [(None, 0), (None, 0)]
    # one passing 全省 is no self-reference; a document calling itself 我市 twice is
    return level if top >= _HINT_MIN and top > rest[0][1] else None


def _encloses(doc: _Doc, area: int, row: int) -> bool:
    g = doc.m.col
    return area != row and g["name"][area] in (g["prefecture"][row], g["province"][row])


def _placing_mentions(doc: _Doc) -> tuple[set[int], Counter]:
    """(indexes of mentions that only place another place, subject bonus per key).

    A prefecture or province written right before a place inside it (山西省吕梁市岚县) or after 位于/地处 in
    the clause (岚县位于山西省吕梁市北部) places that subject; it is no evidence that the text is about the
    area. The subject of 位于 (the place just before it in its clause) gets a bonus."""
    if doc._placing is not None:
        return doc._placing
    text, mentions = doc.text, doc.mentions
    placing: set[int] = set()
    bonus: Counter = Counter()
    for i, x in enumerate(mentions):
        if x.row is None or x.zone:
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and nxt.start - x.end <= 1:
            host = nxt.row
            if host is not None and _encloses(doc, x.row, host):
                placing.add(i)
    if doc.m.placing is not None:
        for cue in doc.m.placing.finditer(text):
            clause_start = max(text.rfind(c, 0, cue.start()) for c in "，。；！？\n") + 1
            clause_end = min([j for j in (text.find(c, cue.end()) for c in "，。；！？\n") if j >= 0] or [len(text)])
            subject = [x for x in mentions if clause_start <= x.start and x.end <= cue.start()]
            if subject and (subject[-1].row is not None or subject[-1].zone):
                bonus[doc.key(subject[-1])] += _PLACED_SUBJECT_BONUS
            # the places after the cue place the subject, named or not (我县……，地处长白山余脉)
            for i, x in enumerate(mentions):
                if cue.end() <= x.start < clause_end and not x.zone and x.row is not None:
                    placing.add(i)
    if doc.m.neighbour is not None:
        # 东与吉林省集安市接壤 / 北邻兴县: the neighbours of the clause are no evidence; its subject (the place
        # that opens it) is
        for cue in doc.m.neighbour.finditer(text):
            clause_start = max(text.rfind(c, 0, cue.start()) for c in "，。；！？\n") + 1
            clause_end = min([j for j in (text.find(c, cue.end()) for c in "，。；！？\n") if j >= 0] or [len(text)])
            inside = [i for i, x in enumerate(mentions) if clause_start <= x.start < clause_end and not x.zone]
            if inside and mentions[inside[0]].start - clause_start <= 1 and mentions[inside[0]].end <= cue.start() \
                    and not re.search("[与和同]", text[clause_start:mentions[inside[0]].start]):
                inside = inside[1:]
            placing.update(inside)
    doc._placing = (placing, bonus)
    return doc._placing


def _mention_scores(doc: _Doc, spans: list[tuple[int, int]], title_weight: int = 3,
                    exclude_title: bool = False) -> Counter:
    """Evidence per unit inside `spans`: each mention counts once, `title_weight` times in the first line
    (the title; not at all with `exclude_title`), not at all where it only places another place; the
    subject of 位于/地处 gets a bonus."""
    title_end = first_line_end(doc.text)
    if exclude_title:
        spans = [(max(a, title_end), b) for a, b in spans if b > title_end]
    placing, bonus = _placing_mentions(doc)
    score: Counter = Counter()
    for i, x in enumerate(doc.mentions):
        if x.row is None and not x.zone:
            continue
        if any(a <= x.start < b for a, b in spans):
            key = doc.key(x)
            score[key] += 0 if i in placing else title_weight if x.start < title_end else 1
    for key, extra in bonus.items():
        if key in score:
            score[key] += extra
    return score


def _publishers(furniture: str, m: _Matcher, text: str = "") -> list[int]:
    """The gazetteer rows the page furniture names: the outlet, the bureau or the portal that publishes the
    text (来源：黄山日报, 锡林郭勒盟统计局, 首页 > 走进桓仁), its short names read with the text's support."""
    if not furniture.strip():
        return []
    both = furniture + "\n" + text
    return list(dict.fromkeys(x.row for x in _mentions(both, m)
                              if x.start < len(furniture) and x.row is not None and not x.zone))


def _published_by(doc: _Doc, hint: str | None, candidates: list[Key]) -> Key | None:
    """The place whose outlet publishes a text that speaks of itself at that place's level (全市 in a text
    from 黄山日报, 全县 on 盐池县融媒体中心's page): the one furniture place of the self-references' level,
    unless the text names another place of that level it does not enclose."""
    if hint is None or not doc.publisher:
        return None
    fitting = [r for r in dict.fromkeys(doc.publisher) if _matches_level(doc.m.col["kind"][r], hint)]
    if len(fitting) != 1:
        return None
    row = fitting[0]
    rivals = [k for k in candidates if k[0] == "place" and k[1] != row and _matches_level(doc.kind(k), hint)
              and doc.kind(k) == doc.m.col["kind"][row] and not _encloses(doc, row, k[1])]
    return None if rivals else ("place", row)


def _own_place(doc: _Doc, narrator: list[tuple[int, int]], speakers: list[_Speaker]) -> Key:
    """The place the document itself speaks for, from the evidence of the whole text.

    With speakers of two or more units: the area at the level the narrator uses for itself (我市, 我省
    ...) that holds the most speakers (a round-table of 运城 counties under '我市' -> 运城市); without
    such a word, the smallest area all speakers share. Otherwise the candidates are the places named (a
    mention that only places another place — 山西省吕梁市岚县, 位于吕梁市 — is no evidence for it), at the
    level of the self-references (全县, 我县, 我市 …) when there are any; among them the county-level place
    or zone the title names first; else the one with most evidence (title mentions count three times, the
    subject of 位于 gets a bonus), and a prefecture or province that encloses the one county-level place
    the text names at least twice gives way to it. Returns ('unknown',) when no known place is named.
    """
    hint = _level_hint(doc.text, narrator, doc.m)
    scores = _mention_scores(doc, narrator)
    rank = lambda k: (scores[k], -_SPECIFICITY[doc.kind(k)])  # noqa: E731
    placed = [sp.key for sp in speakers if sp.key is not None and not sp.host]
    if len(set(placed)) >= 2:
        areas = [doc.areas(k) for k in placed]
        if hint is None:
            for level in ("county", "city", "province"):
                shared = set.intersection(*(set(a.get(level, ())) for a in areas))
                if shared:
                    return max(shared, key=rank)
        elif hint == "district":
            counts = Counter(k for k in placed if _matches_level(doc.kind(k), "district"))
            if counts:
                return max(counts, key=lambda k: (counts[k], *rank(k)))
        else:
            counts = Counter(k for a in areas for k in a.get(hint, ()))
            if counts:
                return max(counts, key=lambda k: (counts[k], *rank(k)))
    if placed and not scores:
        return Counter(placed).most_common(1)[0][0]
    published = _published_by(doc, hint, [k for k in scores if scores[k] > 0])
    if published is not None and not placed:
        return published
    if not scores and len(doc.publisher) == 1 and not placed:
        return ("place", doc.publisher[0])  # the text names no place; its publisher's is the one there is
    if not scores:
        return ("unknown",)
    candidates = [k for k in scores if scores[k] > 0] or list(scores)
    area = _enclosing_area(doc, scores, hint)
    if area is not None:
        return area
    if hint and any(_matches_level(doc.kind(k), hint) for k in candidates):
        candidates = [k for k in candidates if _matches_level(doc.kind(k), hint)]
    title_end = first_line_end(doc.text)
    titled = [doc.key(x) for x in doc.mentions if x.start < title_end and (x.row is not None or x.zone)]
    titled = [k for k in titled if k in candidates and _SPECIFICITY[doc.kind(k)] <= 1]
    if titled:
        # the county-level place or zone the title names first (关于柞水县融入西安……), unless the body
        # names another county-level place or zone at least twice as often (a title's 徽州古村落 for a
        # text about 黟县)
        body = _mention_scores(doc, narrator, title_weight=1, exclude_title=True)
        first = titled[0]
        rivals = [k for k in candidates if _SPECIFICITY[doc.kind(k)] <= 1 and k != first
                  and body[k] >= max(2, 2 * body[first])]
        return max(rivals, key=lambda k: body[k]) if rivals else first
    if placed:
        return Counter(placed).most_common(1)[0][0]
    best = max(candidates, key=rank)
    if doc.kind(best) in ("prefecture", "province") and hint not in ("city", "province"):
        inside = [k for k in candidates if k[0] == "place" and _SPECIFICITY[doc.kind(k)] <= 1
                  and _encloses(doc, best[1], k[1])]
        if len(inside) == 1 and scores[inside[0]] >= 2:
            return inside[0]
    return best


_AREA_SHARE = 0.75  # the share of a text's county-level units an area must hold to be the text's own


def _enclosing_area(doc: _Doc, scores: Counter, hint: str | None) -> Key | None:
    """The prefecture or province a text comparing its county-level units speaks for (a prefecture's
    bulletin that calls itself 全市, a province's list), or None.

    Such a text names three or more county-level units none of which dominates (the most named has less
    than twice the evidence of the next, and no title names one); or it calls itself 全市/全省 and names two
    or more of them without the most named being a county-level city that dominates. Its own unit is the
    area that holds at least three in four of them: the prefecture, else the province (at once with 全省)."""
    g = doc.m.col
    units = [k for k in scores if k[0] == "place" and doc.kind(k) in ("county", "county_city", "district")]
    if len(units) < 2:
        return None
    ranked = sorted((scores[k] for k in units), reverse=True)
    title_end = heading_end(doc.text)
    placing, _ = _placing_mentions(doc)
    titled = {x.row for i, x in enumerate(doc.mentions)
              if x.start < title_end and x.row is not None and not x.zone and i not in placing}
    area = None
    for level in ("province",) if hint == "province" else ("prefecture", "province"):
        areas = Counter(g[level][k[1]] for k in units)
        name, held = areas.most_common(1)[0]
        if name and held >= _AREA_SHARE * len(units):
            area = doc._row_of(name, level)
            if area is not None:
                break
    if area is None:
        return None
    # a title that names the area (湖南县域经济十强出炉 长沙县继续领跑) speaks for it whatever county it names too
    if area in titled:
        return ("place", area)
    if len(units) < 3 and hint not in ("city", "province"):
        return None
    if ranked[0] >= 2 * max(ranked[1], 1) or any(("place", r) in units for r in titled):
        return None
    return ("place", area)


def _deferred(doc: _Doc, sp: _Speaker, own: Key) -> Key:
    """A speaker whose office names no place (市文化和旅游局局长) speaks for the own place's area of
    that level, or the own place itself."""
    if sp.level and own[0] != "unknown":
        area = doc.areas(own).get(sp.level)
        if area:
            return area[0]
    return own


# ---------------------------------------------------------------- tables

def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _given_place(place: str, m: _Matcher) -> int | None:
    """The gazetteer row a person named as a document's place (a catalog's 山西省吕梁市岚县, a correction in
    the Library): its most specific place."""
    found = [x.row for x in _mentions(place, m) if x.row is not None and not x.zone]
    if not found:
        return None
    return min(reversed(found), key=lambda r: _SPECIFICITY.get(m.col["kind"][r], 9))


def _document_passages(text: str, m: _Matcher, furniture: str = "", place: str = "") -> tuple[
        list[dict], dict[Key, dict], list[tuple[int, int, dict]]]:
    """One document's passages (dicts with unit key, speaker, start, end), its units' descriptions, and its
    unit mentions (start, end, description) for the figures' own units. `furniture`: the page furniture
    cleaning set apart (byline, breadcrumb, footer), evidence of who publishes the text; `place`: the place a
    person gave for the document, which stands in for its publisher (the text's own place mentions still
    decide where they speak)."""
    doc = _Doc(text, m, _mentions(text, m))
    given = _given_place(place, m) if place else None
    doc.publisher = [given] if given is not None else _publishers(furniture, m, text)
    speakers = _speakers(doc)
    spans = _speaker_spans(doc, speakers)
    narrator, pos = [], 0
    for a, b, sp in spans:
        if sp.host:
            continue  # a moderator's line is the narrator's own
        if a > pos:
            narrator.append((pos, a))
        pos = max(pos, b)
    narrator.append((pos, len(text)))
    own = _own_place(doc, narrator, speakers)

    raw: list[tuple[int, int, Key, str]] = []
    pos = 0
    for a, b, sp in spans:
        if a > pos:
            raw.append((pos, a, own, ""))
        key = own if sp.host else sp.key if sp.key is not None else _deferred(doc, sp, own)
        raw.append((a, b, key, sp.speaker))
        pos = b
    raw.append((pos, len(text), own, ""))

    passages: list[dict] = []
    for a, b, key, speaker in raw:
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        last = passages[-1] if passages else None
        if last and last["key"] == key and last["speaker"] == speaker and not text[last["end"]:a].strip():
            last["end"] = b
        else:
            passages.append({"key": key, "speaker": speaker, "start": a, "end": b})
    if not passages:
        passages.append({"key": own, "speaker": "", "start": 0, "end": 0})

    units: dict[Key, dict] = {}
    for p in passages:
        units.setdefault(p["key"], _describe(doc, p["key"], own))
    mentioned: list[tuple[int, int, dict]] = []
    described: dict[Key, dict] = dict(units)
    for x in doc.mentions:
        if x.row is None and not x.zone:
            continue
        key = doc.key(x)
        if key not in described:
            described[key] = _describe(doc, key, own)
        mentioned.append((x.start, x.end, described[key]))
    return passages, units, mentioned


def _describe(doc: _Doc, key: Key, own: Key) -> dict:
    """The units-table row of one unit (without the counts)."""
    g, m = doc.m.col, doc.m
    empty = {"adcode": "", "province": "", "prefecture": "", "host": "", "longitude": float("nan"),
             "latitude": float("nan")}
    if key[0] == "unknown":
        return {"unit": UNKNOWN, "kind": "unknown", "aliases": UNKNOWN, **empty}
    if key[0] == "place":
        r = key[1]
        name, short = g["name"][r], g["short_name"][r]
        prefecture = name if g["level"][r] == "prefecture" else g["prefecture"][r]
        return {"unit": m.display[r], "kind": g["kind"][r], "adcode": g["adcode"][r],
                "province": g["province"][r], "prefecture": prefecture, "host": "",
                "aliases": "|".join(dict.fromkeys([name, short, *m.former_of.get(r, ()),
                                                   *sorted(doc.damaged_forms.get(key, ()))])),
                "longitude": float(g["longitude"][r]), "latitude": float(g["latitude"][r])}
    name = key[1]
    host = doc.zone_hosts.get(name)
    aliases = [name, *sorted(doc.zone_forms.get(name, ()))]
    if host is None:
        # A town's zone (风陵渡): the document's own place, or the city around it, hosts it.
        own_areas = doc.areas(own)
        host_keys = own_areas.get("county") or own_areas.get("city") or own_areas.get("province")
        host = host_keys[0][1] if host_keys else None
        aliases.append(HOST_INFERRED)
    if host is None:
        return {"unit": name, "kind": "zone", "aliases": "|".join(dict.fromkeys(aliases)), **empty}
    level = g["level"][host]
    return {"unit": name, "kind": "zone", "adcode": g["adcode"][host], "province": g["province"][host],
            "prefecture": g["name"][host] if level == "prefecture" else g["prefecture"][host],
            "host": m.display[host], "aliases": "|".join(dict.fromkeys(aliases)),
            "longitude": float(g["longitude"][host]), "latitude": float(g["latitude"][host])}


def find_units(documents: pd.DataFrame, gazetteer: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents -> (units, passages): locate_units without the mentions."""
    units, passages, _ = locate_units(documents, gazetteer)
    return units, passages


MENTION_COLUMNS = ["doc_id", "start", "end", *[c for c in TABLES["units"] if c not in ("n_passages", "n_chars")]]


def locate_units(documents: pd.DataFrame, gazetteer: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Documents -> (units, passages, mentions).

    Input columns: doc_id, clean_text; optional boilerplate (page furniture) and given_place (the place a
    catalog or a user's correction names for the document). `gazetteer` is `load_gazetteer()` or a table
    with its columns.
    Output: units with TABLES['units'] columns (one row per unit over all given documents: kind one of
    county, county_city, district, zone, prefecture, province, unknown; adcode of the place or of a
    zone's host; host = the place hosting a zone; aliases '|'-joined; n_passages, n_chars summed), and
    passages with TABLES['passages'] columns (passage_id 'doc_id:NNN', speaker '' for the narrator;
    text == clean_text[start:end]; passages of a document never overlap and cover every
    non-space character of its clean_text). A document naming no known place is one passage of '未知'.
    mentions (MENTION_COLUMNS): every resolved place or zone named, with its offsets and its units-table
    description, so that a figure can go to the unit its own clause names (analytics.features.figures).
    """
    m = _matcher(gazetteer)  # fingerprinted and cached: built once per gazetteer, not per call
    passage_rows, unit_rows, mention_rows = [], {}, []
    furniture = documents["boilerplate"] if "boilerplate" in documents else [""] * len(documents)
    given = documents["given_place"] if "given_place" in documents else [""] * len(documents)
    for doc_id, text, chrome, place in zip(documents["doc_id"], documents["clean_text"], furniture, given):
        text = text if isinstance(text, str) else ""
        passages, units, mentioned = _document_passages(text, m, chrome if isinstance(chrome, str) else "",
                                                        place if isinstance(place, str) else "")
        for i, p in enumerate(passages):
            info = units[p["key"]]
            passage_rows.append({"passage_id": f"{doc_id}:{i:03d}", "doc_id": doc_id, "unit": info["unit"],
                                 "speaker": p["speaker"], "start": p["start"], "end": p["end"],
                                 "text": text[p["start"]:p["end"]]})
            row = unit_rows.setdefault(info["unit"], {**info, "n_passages": 0, "n_chars": 0})
            if row["aliases"] != info["aliases"]:
                row["aliases"] = "|".join(dict.fromkeys(row["aliases"].split("|") + info["aliases"].split("|")))
            row["n_passages"] += 1
            row["n_chars"] += p["end"] - p["start"]
        mention_rows.extend({"doc_id": doc_id, "start": a, "end": b, **info} for a, b, info in mentioned)
    passages = pd.DataFrame(passage_rows, columns=TABLES["passages"])
    units = pd.DataFrame(list(unit_rows.values()), columns=TABLES["units"])
    passages = passages.astype({"passage_id": str, "doc_id": str, "unit": str, "speaker": str,
                                "start": "int64", "end": "int64", "text": str})
    units = units.astype({"n_passages": "int64", "n_chars": "int64", "longitude": float, "latitude": float})
    mentions = pd.DataFrame(mention_rows, columns=MENTION_COLUMNS)
    return units.sort_values("unit", ignore_index=True), passages, mentions


def unit_shares(passages: pd.DataFrame) -> pd.DataFrame:
    """passages -> one row per document × unit: doc_id, unit, n_chars, share of the document's passage text.

    Rows keep the order in which documents and units first appear; within a document the largest
    share comes first, so `drop_duplicates("doc_id")` gives each document's main unit.
    """
    sizes = passages.assign(n_chars=passages["end"] - passages["start"])
    per_unit = sizes.groupby(["doc_id", "unit"], sort=False)["n_chars"].sum().reset_index()
    per_unit["share"] = per_unit["n_chars"] / per_unit.groupby("doc_id")["n_chars"].transform("sum")
    order = {doc: i for i, doc in enumerate(dict.fromkeys(per_unit["doc_id"]))}
    return (per_unit.assign(_doc=per_unit["doc_id"].map(order))
            .sort_values(["_doc", "share"], ascending=[True, False], kind="stable")
            .drop(columns="_doc").reset_index(drop=True))
