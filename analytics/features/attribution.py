"""A figure's own unit: the place its clause names, not only the unit of the passage it stands in.

A passage speaks for one unit (analytics.pipeline.units), but one sentence of a prefecture's report, a
ranking or a list can give figures for several units:

- the subject of a clause: a place that opens the clause (after a boundary and at most a lead word of
  data/clause_leads.txt: 其中, 如 …) is the subject of that clause and of the clauses after it in the
  sentence, until another place or a self-reference (全市, 我县: data/place_references.csv) opens a clause
  (仁怀市地区生产总值1768亿元，居全省县域第一 -> both 仁怀市's);
- respectively lists: "甲县、乙县森林覆盖率分别为81.2%、79.6%" gives the k-th value after 分别 to the
  k-th place of the list before it (a second 分别 in the sentence reuses the list: 分别增长5%、6%).

Positions are character offsets into the passage text; `mentions` are (start, end, unit) tuples of the
places and zones analytics.pipeline.units.locate_units found, relative to the same text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from analytics.pipeline.lexicon import longest_first
from analytics.resources import read_column, read_table

Mention = tuple[int, int, str]

# Where a clause starts: a Chinese clause mark, or an ASCII one not inside a number.
_BOUNDARY = re.compile(r"[，；：。！？!?\n（）()“”\"]|(?<!\d)[,:;]|[,:;](?!\d)")
_LIST_JOINERS = frozenset("、和与及 ")
_GAP_MARKS = re.compile(r"[\s—–\-·•●▲■◆★☆→]+")  # list dashes and bullets (——甲县……) open a clause too
RESPECTIVELY = re.compile(r"分别|依次|分列|分居")  # 甲县、乙县……分别为 / 分列前三
_LOOK_BACK_CLAUSES = 3  # how many clauses back a respectively list may stand (甲县、乙县……分列前三，分别为……)


@lru_cache(maxsize=1)
def _leads() -> re.Pattern:
    return re.compile(f"(?:{longest_first(read_column('clause_leads.txt', 'lead'))})?$")


@lru_cache(maxsize=1)
def _self_references() -> re.Pattern:
    return re.compile(longest_first(read_table("place_references.csv")["word"]))


def _opens_clause(sentence: str, start: int) -> bool:
    """True when only a boundary (or the sentence start) and at most a lead word precede `start`."""
    clause_start = 0
    for m in _BOUNDARY.finditer(sentence, 0, start):
        clause_start = m.end()
    gap = _GAP_MARKS.sub("", sentence[clause_start:start])
    return gap == "" or bool(_leads().fullmatch(gap))


def _quoted(sentence: str, position: int) -> bool:
    before = sentence[:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_subjects(sentence: str, mentions: list[Mention],
                    entities: list[tuple[int, int, str]] | None = None) -> list[tuple[int, str | None]]:
    """(position, unit) where a clause of `sentence` opens with a place (unit) or a self-reference (None:
    the passage's own unit again), in order. A place inside an entity's name (福建|银都菌业有限公司) opens
    nothing: the company is in the unit, not the province."""
    out: list[tuple[int, str | None]] = []
    inside_entity = [(a, b) for a, b, _ in entities or []]
    for i, (start, _, _unit) in enumerate(mentions):
        if _quoted(sentence, start):
            continue  # a slogan (“西安研发、柞水转化”) has no subject
        if any(a <= start < b for a, b in inside_entity):
            continue
        if _opens_clause(sentence, start):
            # 山西省吕梁市岚县: the place a chain of adjacent names ends with is the subject
            j = i
            while j + 1 < len(mentions) and mentions[j + 1][0] - mentions[j][1] <= 1:
                j += 1
            out.append((start, mentions[j][2]))
    for m in _self_references().finditer(sentence):
        if any(a <= m.start() < b for a, b, _ in mentions):
            continue  # 全州县 is a county's name, not 全州 speaking of itself
        if _opens_clause(sentence, m.start()) and not _quoted(sentence, m.start()):
            out.append((m.start(), None))
    # by position only: a place and a self-reference may start at one position (their units do not compare)
    return sorted(out, key=lambda subject: subject[0])


def listed_before(sentence: str, cue: int, mentions: list[Mention]) -> list[str]:
    """The places listed before position `cue` (甲县、乙县和丙县), in order: the last such list in the
    cue's clause or one of the few clauses before it; [] when there is none of two or more."""
    bounds = [0] + [m.end() for m in _BOUNDARY.finditer(sentence, 0, cue)]
    clause_start = bounds[max(0, len(bounds) - 1 - _LOOK_BACK_CLAUSES)]
    inside = [x for x in mentions if clause_start <= x[0] and x[1] <= cue and not _quoted(sentence, x[0])]
    runs: list[list[Mention]] = [[]]
    for x in inside:
        if runs[-1] and x[0] - runs[-1][-1][1] <= 0:
            runs[-1][-1] = x  # 鄂尔多斯市准格尔旗: the name a chain ends with is the listed place
            continue
        if runs[-1] and not set(sentence[runs[-1][-1][1]:x[0]]) <= _LIST_JOINERS:
            runs.append([])
        runs[-1].append(x)
    lists = [run for run in runs if len(run) >= 2]
    return [unit for _, _, unit in lists[-1]] if lists else []


def respective_units(sentence: str, positions: list[int], mentions: list[Mention]) -> dict[int, tuple[str, int]]:
    """Figure position -> (unit, position of the list's first value, whose indicator the others share) for
    the values of a respectively list (see the module docstring)."""
    out: dict[int, tuple[str, int]] = {}
    cues = list(RESPECTIVELY.finditer(sentence))
    listed: list[str] = []
    for i, cue in enumerate(cues):
        listed = listed_before(sentence, cue.start(), mentions) or listed
        if not listed:
            continue
        end = cues[i + 1].start() if i + 1 < len(cues) else len(sentence)
        after = [p for p in positions if cue.end() <= p < end]
        if len(after) >= len(listed):
            after = after[:len(listed)]
        for k, pos in enumerate(after):
            out[pos] = (listed[k], after[0])
    return out


def own_unit(sentence: str, position: int, subjects: list[tuple[int, str | None]], passage_unit: str) -> str:
    """The unit of the figure at `position`: the last clause subject before it, or the passage's unit."""
    unit = passage_unit
    for start, subject in subjects:
        if start >= position:
            break
        unit = subject or passage_unit
    return unit


# ---------------------------------------------------------------- entities inside a unit

_NAME_STOPS = frozenset("的与和及在是为将等对把从向由以了，。；：、！？（）()“”\"\n 　")
_NAME_MAX = 16
_NAME_MIN = 2  # characters a name keeps once its generic words are gone


@lru_cache(maxsize=1)
def _entity_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    suffixes = re.compile(longest_first(read_column("entity_suffixes.txt", "suffix")))
    generic = re.compile(longest_first(read_column("entity_generic.txt", "word")))
    # the verbs and time words an indicator name is cut after (data/indicator_trim.csv) end a name's
    # left context too: 此次集中开工|项目, 洪雅县累计签约|文旅项目
    trim = read_table("indicator_trim.csv")
    words = list(trim.loc[trim["role"] == "split", "word"]) + list(read_column("entity_generic.txt", "word"))
    cut = re.compile(longest_first(w for w in words if len(w) >= 2) + "|" + _self_references().pattern)
    return suffixes, generic, cut


def entity_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every named entity in `sentence` (香菇食品精深加工项目, 秦乳集团, 瓦屋山国家森林
    公园): a phrase ending with a suffix of data/entity_suffixes.txt, back to a particle or a mark, whose
    name is more than the generic words of data/entity_generic.txt (重点项目 and 开工项目 are classes)."""
    suffixes, generic, cut = _entity_patterns()
    found: list[tuple[int, int, str]] = []
    for m in suffixes.finditer(sentence):
        start = m.start()
        while start > 0 and sentence[start - 1] not in _NAME_STOPS and m.start() - start < _NAME_MAX:
            start -= 1
        for word in cut.finditer(sentence, start, m.start()):
            start = word.end()
        name = sentence[start:m.start()]
        if re.search(r"[\d亿万元]", name) or len(generic.sub("", name)) < _NAME_MIN:
            continue
        if found and found[-1][1] >= start and found[-1][0] <= start:
            found[-1] = (found[-1][0], m.end(), sentence[found[-1][0]:m.end()])  # 物流园|项目: one name
            continue
        found.append((start, m.end(), sentence[start:m.end()]))
    return found


def entity_of(sentence: str, position: int, end: int, entities: list[tuple[int, int, str]],
              subjects: list[tuple[int, str | None]], counted: bool) -> str:
    """The entity the figure at position..end is about: the nearest entity before it in its sentence with no
    ；, no unit subject and no self-reference between them, or the entity its own 的 introduces
    (总面积1.4万公顷的瓦屋山国家森林公园); '' when the figure is the unit's own. A count right after an
    entity's suffix counts such entities (储备项目60个) and has none."""
    after = [e for e in entities if e[0] == end + 1 and sentence[end:end + 1] == "的"]
    if after:
        return after[0][2]
    before = [e for e in entities if e[1] <= position]
    if not before:
        return ""
    if counted:
        return ""  # a count (储备项目60个, 民宿260家) counts things of the unit, not one entity's
    _, stop, name = before[-1]
    if "；" in sentence[stop:position] or any(stop <= s < position for s, _ in subjects):
        return ""
    return name
