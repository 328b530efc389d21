"""Reviewed lexicon files -> matchers and mentions: read CSV lexicons, longest-match regex, status cues.

Industries, themes and assets all count surface forms in text. They share one rule: at each position the
longest listed form wins and matches never overlap, so 新能源汽车 is one match (not 新能源 + 汽车) and a
form is never counted twice. The regex is a character trie (新能源(?:汽车)?...), which gives exactly the
leftmost-longest semantics of a longest-first alternation but scans thousands of documents far faster,
because at each position the engine follows one branch instead of trying every term.

`find_mentions` runs any such regex over passages and returns each match with its sentence and the
status cue of its clause (data/industry_status_cues.csv: has = an existing base, targets = a goal).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

import pandas as pd

from analytics.pipeline.text import sentence_spans
from analytics.resources import read_table

SEPARATOR = "|"
HAS, TARGETS = "has", "targets"


@lru_cache(maxsize=None)
def read_lexicon(name: str) -> pd.DataFrame:
    """A reviewed CSV under data/ as strings, empty cells as "" (never NaN). Cached: copy before changing."""
    return read_table(name)


def split_forms(cell: str) -> list[str]:
    """'a|b| c' -> ['a', 'b', 'c']: the '|'-joined surface forms of one lexicon cell, blanks dropped."""
    return [part.strip() for part in str(cell).split(SEPARATOR) if part.strip()]


def trie_pattern(terms: Iterable[str]) -> str:
    """Regex source matching any of `terms`, longest term first at each position.

    >>> p = re.compile(trie_pattern(["新能源", "新能源汽车", "新材料"]))
    >>> [m.group() for m in p.finditer("新能源汽车和新能源、新材料")]
    ['新能源汽车', '新能源', '新材料']
    """
    root: dict = {}
    for term in terms:
        if not term:
            continue
        node = root
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = True  # end-of-term marker; "" is never a character key
    if not root:
        return r"(?!x)x"  # matches nothing
    return _node_pattern(root)


def _node_pattern(node: dict) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    alternatives = "|".join(branches)
    if "" in node:
        # A term ends here but longer ones continue: the greedy `?` tries the longer continuation first
        # and falls back to stopping here, which is what makes the match the longest one.
        return f"(?:{alternatives})?"
    return branches[0] if len(branches) == 1 else f"(?:{alternatives})"


def longest_first(words: Iterable[str]) -> str:
    """A plain alternation of the words, longest first, so 个百分点 wins over 个 and 千瓦时 over 千瓦
    (for patterns that embed it; `trie_pattern` is the faster form of the same match)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def compile_terms(terms: Iterable[str]) -> re.Pattern:
    """Compiled longest-match regex over `terms` (see trie_pattern)."""
    return re.compile(trie_pattern(terms))


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with, or None when that cannot be bounded.

    Used to put a one-character lookahead in front of an alternation of many regexes: Python's engine
    otherwise tries every alternative at every position, and the lookahead rejects most positions at once.

    >>> sorted(first_chars("(?:国家|省级)?森林公园"))
    ['国', '森', '省']
    """
    from re import _constants as c  # the stdlib's own regex parser (sre_parse)
    from re import _parser

    def seq(items) -> frozenset[str] | None:
        chars: set[str] = set()
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue  # zero-width: the next item decides
            if op is c.LITERAL:
                return frozenset(chars | {chr(av)})
            if op is c.IN:
                if any(o is not c.LITERAL for o, _ in av):
                    return None  # ranges, negation, categories: give up
                return frozenset(chars | {chr(v) for _, v in av})
            if op is c.SUBPATTERN:
                inner = seq(av[-1])
            elif op is c.BRANCH:
                parts = [seq(b) for b in av[1]]
                inner = None if any(p is None for p in parts) else frozenset().union(*parts)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                inner = seq(av[2])
                if inner is not None and av[0] == 0:
                    chars |= inner
                    continue  # optional: what follows may start the match too
            else:
                return None
            return None if inner is None else frozenset(chars | inner)
        return None  # could match the empty string

    return seq(_parser.parse(pattern))


def clause_bounds(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause of text[lo:hi] around position `pos`: cut at ，,；;：:。！？ and line breaks.

    Cues are judged in the clause of a match first, because one long sentence often both names an existing
    base (依托…优势) and a new goal (承接发展新材料): the clause is where a verb governs its object.
    """
    # str.rfind and one regex search run in C: a clause without marks costs no Python loop per character.
    a = max(lo, max(text.rfind(mark, lo, pos) for mark in _CLAUSE_CUTS) + 1)
    found = _CLAUSE_CUT_RE.search(text, pos, hi)
    return a, found.start() if found else hi


_CLAUSE_CUTS = tuple("，,；;：:。！？!?\n")
_CLAUSE_CUT_RE = re.compile("[" + re.escape("".join(_CLAUSE_CUTS)) + "]")


@dataclass(frozen=True)
class StatusCues:
    has: re.Pattern
    targets: re.Pattern

    def judge(self, text: str, start: int, end: int) -> str:
        """'has', 'targets' or '' for the cues found in text[start:end]."""
        if self.has.search(text, start, end):
            return HAS
        if self.targets.search(text, start, end):
            return TARGETS
        return ""


@lru_cache(maxsize=1)
def status_cues() -> StatusCues:
    """The cue regexes of data/industry_status_cues.csv, one alternation per status (shared by the
    industry status and the choice of asset evidence)."""
    table = read_lexicon("industry_status_cues.csv")

    def alternation(status: str) -> re.Pattern:
        cues = table.loc[table["status"] == status, "cue"]
        return re.compile("|".join(f"(?:{cue})" for cue in cues))

    return StatusCues(has=alternation(HAS), targets=alternation(TARGETS))


def mention_cue(text: str, start: int, end: int, sentence: tuple[int, int], cues: StatusCues) -> str:
    """The cue that governs the match text[start:end]: its clause's cue, else its sentence's ('' if none).

    The matched form itself is blanked out of the scope so that a form never cues itself.
    """
    lo, hi = sentence
    a, b = clause_bounds(text, start, lo, hi)
    scope = text[a:start] + "\u3000" + text[end:b]
    cue = cues.judge(scope, 0, len(scope))
    if cue:
        return cue
    scope = text[lo:start] + "\u3000" + text[end:hi]
    return cues.judge(scope, 0, len(scope))


def find_mentions(passages: pd.DataFrame, pattern: re.Pattern, label: Callable[[re.Match], str],
                  cues: StatusCues | None = None) -> pd.DataFrame:
    """Passages -> one row per match of `pattern`: passage_id, doc_id, unit, label (label(match)), form,
    start, end, cue, evidence. Offsets are into the clean text (passage start + offset in the passage);
    evidence is the sentence around the match; cue is 'has'/'targets'/'' (always '' when `cues` is None)."""
    rows = []
    for p in passages.itertuples(index=False):
        text = p.text
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        sentences = sentence_spans(text) or [(0, len(text))]
        sentence_starts = [s for s, _ in sentences]
        for m in matches:
            sentence = sentences[max(bisect.bisect_right(sentence_starts, m.start()) - 1, 0)]
            cue = mention_cue(text, m.start(), m.end(), sentence, cues) if cues is not None else ""
            rows.append((p.passage_id, p.doc_id, p.unit, label(m), m.group(),
                         int(p.start) + m.start(), int(p.start) + m.end(), cue,
                         text[sentence[0]:sentence[1]]))
    return pd.DataFrame(rows, columns=["passage_id", "doc_id", "unit", "label", "form", "start", "end",
                                       "cue", "evidence"])
