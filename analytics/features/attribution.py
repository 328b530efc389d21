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
_ITEM_END = re.compile(r"[、，；：。！？!?\n]|(?<!\d)[,:;]|[,:;](?!\d)")  # where a list item ends
_GAP_MARKS = re.compile(r"[\s—–\-·•●▲■◆★☆→【】〔〕\[\]]+")  # list dashes and bullets (——甲县……) open a clause too
RESPECTIVELY = re.compile(r"分别|依次|分列|分居")  # 甲县、乙县……分别为 / 分列前三
_LOOK_BACK_CLAUSES = 3  # how many clauses back a respectively list may stand (甲县、乙县……分列前三，分别为……)


@lru_cache(maxsize=1)
def _leads() -> re.Pattern:
    """What may stand between a clause boundary and its subject: lead words (其中, 如) and time or topic
    frames (2022年, 截至9月底, 一季度, 分县看: data/clause_frames.csv), in any sequence."""
    frames = [f"(?:{p})" for p in read_column("clause_frames.csv", "pattern")]
    return re.compile(f"(?:{longest_first(read_column('clause_leads.txt', 'lead'))}|{'|'.join(frames)})*")


@lru_cache(maxsize=1)
def _self_references() -> re.Pattern:
    return re.compile(longest_first(read_table("place_references.csv")["word"]))


def self_reference_in(text: str) -> bool:
    return _self_references().search(text) is not None


def _opens_clause(sentence: str, start: int, item_values: list[int] | None = None) -> bool:
    """True when only a boundary (or the sentence start) and lead words or time and topic frames precede
    `start`. With `item_values` (the positions of the sentence's figures), a list item that holds a figure
    of its own opens a clause too (分别为：甲县38个、乙县35个 -> 乙县 opens its item)."""
    clause_start = 0
    for m in _BOUNDARY.finditer(sentence, 0, start):
        clause_start = m.end()
    if item_values:
        item_start = sentence.rfind("、", clause_start, start) + 1
        if item_start > clause_start:
            item_end = _ITEM_END.search(sentence, start)
            stop = item_end.start() if item_end else len(sentence)
            if any(start < p < stop for p in item_values):
                clause_start = item_start
    gap = _GAP_MARKS.sub("", sentence[clause_start:start])
    return gap == "" or bool(_leads().fullmatch(gap))


def _quoted(sentence: str, position: int) -> bool:
    before = sentence[:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_subjects(sentence: str, mentions: list[Mention],
                    entities: list[tuple[int, int, str]] | None = None,
                    values: list[int] | None = None, kinds: dict[str, str] | None = None) -> list[tuple[int, str | None]]:
    """(position, unit) where a clause of `sentence` opens with a place (unit) or a self-reference (a
    SelfReference: the passage's own unit, or the unit the paragraph speaks of), in order. A place inside
    an entity's name (福建|银都菌业有限公司) opens nothing: the company is in the unit, not the province; a
    county-level place does (临县|碛口古镇景区: the scenic area is in it; `kinds`: unit -> kind).
    `values`: positions of the sentence's figures, so that a list item with a figure of its own opens."""
    out: list[tuple[int, str | None]] = []
    inside_entity = [(a, b) for a, b, _ in entities or []]
    for i, (start, _, _unit) in enumerate(mentions):
        if _quoted(sentence, start):
            continue  # a slogan (“西安研发、柞水转化”) has no subject
        if any(a <= start < b for a, b in inside_entity) and (kinds or {}).get(_unit) not in COUNTY_LEVEL:
            continue
        if _opens_clause(sentence, start, values):
            # 山西省吕梁市岚县: the place a chain of adjacent names ends with is the subject
            j = i
            while j + 1 < len(mentions) and mentions[j + 1][0] - mentions[j][1] <= 1:
                j += 1
            out.append((start, mentions[j][2]))
    for m in _self_references().finditer(sentence):
        if any(a <= m.start() < b for a, b, _ in mentions):
            continue  # 全州县 is a county's name, not 全州 speaking of itself
        if _opens_clause(sentence, m.start(), values) and not _quoted(sentence, m.start()):
            out.append((m.start(), SelfReference(reference_levels()[m.group()])))
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


class SelfReference(str):
    """A clause subject that is a self-reference (全县, 我市): its value is the level it names (county, city,
    district, province); the unit it stands for is decided by `Scope.resolve`."""


@lru_cache(maxsize=1)
def reference_levels() -> dict[str, str]:
    """Self-reference word -> level (data/place_references.csv)."""
    refs = read_table("place_references.csv")
    return dict(zip(refs["word"], refs["level"]))


_LEVEL_KINDS = {"county": ("county",), "city": ("county_city", "prefecture"), "district": ("district", "zone"),
                "province": ("province",)}
COUNTY_LEVEL = frozenset({"county", "county_city", "district", "zone"})


class Scope:
    """Whose figures a paragraph's clauses give, clause by clause: the scope of a place mention.

    A place that opens a clause is the subject of that clause and of the clauses after it; in a text about
    several units (a prefecture's bulletin, a province's list, a roundup) a county-level subject stays the
    topic of the sentences after it in its paragraph, and a place standing alone on a heading line is the
    topic of the paragraphs after it. A self-reference (全县, 我市) stands for the passage's own unit when
    that unit is of the level it names, else for the topic when the topic is (甲县……。全县森林覆盖率…… in a
    province's list), else for the passage's unit.
    """

    def __init__(self, passage_unit: str, kinds: dict[str, str], carry: bool):
        self.passage_unit, self.kinds, self.carry = passage_unit, kinds, carry
        self.topic: str | None = None       # the subject carried from earlier sentences of the paragraph
        self.heading: str | None = None     # the unit of the last heading line
        self.opener: str | None = None      # the county-level unit the paragraph opens with (【甲县】……)
        self._first = False

    def new_paragraph(self, heading: str | None = None) -> None:
        if heading is not None:
            self.heading = heading
        self.topic, self.opener, self._first = None, None, True

    def fallback(self) -> str:
        return self.topic or self.opener or self.heading or self.passage_unit

    def resolve(self, subject: str) -> str:
        """A clause subject's unit. A self-reference names, of the units of its level: the unit the paragraph
        opens with or stands under (a yearbook's 【甲市】……全市……), else the passage's own unit (a
        prefecture's bulletin's 全市), else the topic."""
        if not isinstance(subject, SelfReference):
            return subject
        kinds = _LEVEL_KINDS.get(str(subject), ())
        for unit in (self.opener, self.heading):
            if unit and self.kinds.get(unit) in kinds:
                return unit
        if self.kinds.get(self.passage_unit) in kinds:
            return self.passage_unit
        if self.topic and self.kinds.get(self.topic) in kinds:
            return self.topic
        return self.passage_unit

    def open_sentence(self, sentence: str, subjects: list[tuple[int, str]]) -> None:
        """Before a sentence's figures: the first sentence of a paragraph in a text about several units
        that opens with a county-level place makes it the paragraph's own (【甲县】……。全县……)."""
        if self._first and self.carry and subjects and not _BOUNDARY.search(sentence, 0, subjects[0][0]) \
                and not isinstance(subjects[0][1], SelfReference) and self.kinds.get(subjects[0][1]) in COUNTY_LEVEL:
            self.opener = subjects[0][1]
        self._first = False

    def unit_at(self, position: int, subjects: list[tuple[int, str]]) -> str:
        """The unit of a figure at `position`: the last clause subject before it, or the carried topic."""
        unit = self.fallback()
        for start, subject in subjects:
            if start >= position:
                break
            unit = self.resolve(subject)
        return unit

    def end_sentence(self, subjects: list[tuple[int, str]]) -> None:
        """After a sentence: its last subject becomes the topic when topics carry and it is county-level
        (a self-reference to the passage's own unit ends the topic)."""
        if not subjects or not self.carry:
            return
        unit = self.resolve(subjects[-1][1])
        if unit == self.passage_unit:
            self.topic = None
        elif self.kinds.get(unit) in COUNTY_LEVEL:
            self.topic = unit


def own_unit(sentence: str, position: int, subjects: list[tuple[int, str]], passage_unit: str) -> str:
    """The unit of the figure at `position`: the last clause subject before it, or the passage's unit."""
    return Scope(passage_unit, {}, carry=False).unit_at(position, subjects)


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
