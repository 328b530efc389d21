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
_RESPECTIVELY = re.compile(r"分别|依次|分列|分居")
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
    gap = sentence[clause_start:start].strip()
    return gap == "" or bool(_leads().fullmatch(gap))


def _quoted(sentence: str, position: int) -> bool:
    before = sentence[:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_subjects(sentence: str, mentions: list[Mention]) -> list[tuple[int, str | None]]:
    """(position, unit) where a clause of `sentence` opens with a place (unit) or a self-reference (None:
    the passage's own unit again), in order."""
    out: list[tuple[int, str | None]] = []
    for i, (start, _, unit) in enumerate(mentions):
        if _quoted(sentence, start):
            continue  # a slogan (“西安研发、柞水转化”) has no subject
        if _opens_clause(sentence, start):
            # 山西省吕梁市岚县: the place a chain of adjacent names ends with is the subject
            j = i
            while j + 1 < len(mentions) and mentions[j + 1][0] - mentions[j][1] <= 1:
                j += 1
            out.append((start, mentions[j][2]))
    for m in _self_references().finditer(sentence):
        if _opens_clause(sentence, m.start()) and not _quoted(sentence, m.start()):
            out.append((m.start(), None))
    return sorted(out)


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
    cues = list(_RESPECTIVELY.finditer(sentence))
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
