"""Raw document text -> clean, Simplified, normalized body text, its boilerplate and a cleaning report.

Each cleaner is a small function ``str -> (str, n_fixes)`` that does one thing (textacy style);
`clean_document` composes them in a fixed order and collects the counts into `CleanResult.report`.
Every offset elsewhere in the project points into `CleanResult.text`.

Order matters:
1. `strip_pinyin` first: annotations such as ``(xiàn)`` are ASCII bytes that would break the byte
   re-alignment of garbled runs, and one kind of annotation only exists inside garbled runs.
2. `repair_garbled` on the raw script: the garbled runs are GBK bytes of the *raw* (often Traditional)
   text, so they must be re-encoded before any conversion changes the characters.
3. `to_simplified`, then `normalize_whitespace` and `normalize_punctuation`.
4. `split_boilerplate` on normalized text (patterns need only one form of each mark), but before
   `join_cjk_spaces`, because space-separated name lists are only recognisable while the spaces exist.
"""
from __future__ import annotations

import bisect
import functools
import importlib.resources
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import opencc

from analytics.pipeline.text import CJK, UNRECOVERABLE
from analytics.resources import read_records

REPORT_KEYS = (
    "pinyin_removed", "chars_converted", "garbled_repaired", "garbled_flagged",
    "boilerplate_lines", "punct_normalized", "compat_mapped",
)
# Kangxi radicals, CJK radicals and compatibility ideographs (⽣⼈⼝⼗ from PDFs printed by Chromium) look like
# the ideographs they stand for but are other code points: no lexicon, numeral or name matches them.
_COMPAT_RE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


@functools.lru_cache(maxsize=1)
def _radical_forms() -> dict[str, str]:
    """data/radical_forms.tsv: CJK Radicals Supplement forms that PDFs emit for whole characters (⻔ -> 门)."""
    return {r["radical"]: r["character"] for r in _read_tsv("radical_forms.tsv")}


def map_compatibility(text: str) -> tuple[str, int]:
    """Radicals and compatibility ideographs to the ideographs they stand for (⽣ -> 生 and ⼗ -> 十 by NFKC;
    ⻔ -> 门, ⻢ -> 马 by data/radical_forms.tsv, which NFKC leaves); returns (text, characters mapped). The
    rest of the text is left as written: full NFKC would also fold full-width punctuation."""
    count = 0
    radicals = _radical_forms()

    def fold(m: re.Match) -> str:
        nonlocal count
        mapped = radicals.get(m.group()) or unicodedata.normalize("NFKC", m.group())
        count += mapped != m.group()
        return mapped

    return _COMPAT_RE.sub(fold, text), count


@dataclass(frozen=True)
class CleanResult:
    text: str          # the body: clean, Simplified, normalized; all offsets in the project point into this
    boilerplate: str   # the separated boilerplate lines, '\n'-joined (kept, never silently dropped)
    script: str        # 'traditional' or 'simplified', detected on the raw input
    report: dict[str, int]  # keys exactly REPORT_KEYS


def _read_tsv(name: str) -> list[dict[str, str]]:
    return read_records(name)


# --------------------------------------------------------------------------------------------------
# Shared, built once: converter, maps, regexes.

_T2S = opencc.OpenCC("t2s")  # not tw2sp: that one rewrites wording (智慧→智能)
_CHAR_FIXES = {r["traditional"]: r["simplified"] for r in _read_tsv("char_fixes.tsv")}
_CHAR_FIX_RE = re.compile("|".join(map(re.escape, _CHAR_FIXES)) or "(?!)")

_TONES = "".join(r["mark"] for r in _read_tsv("pinyin_tones.tsv"))
_PINYIN_LETTERS = f"a-zü{_TONES}"
# A syllable of lowercase pinyin letters with at least one tone mark, in ASCII or full-width parens.
_PINYIN_RE = re.compile(
    f"[(（][{_PINYIN_LETTERS}]*[{_TONES}][{_PINYIN_LETTERS}]*[)）]"
    # The opening paren of an annotation inside a garbled run was swallowed by the lost byte
    # shown as '?': `當?shù)` — remove the orphan tail too, leaving the '?' for repair_garbled.
    f"|(?<=\\?)[{_PINYIN_LETTERS}]*[{_TONES}][{_PINYIN_LETTERS}]*[)）]"
)

_PUNCT_ROWS = _read_tsv("punct_map.tsv")
_CJK_PUNCT = {r["source"]: r["target"] for r in _PUNCT_ROWS if r["context"] in ("cjk", "after_cjk")}
_PAIRS = [(r["source"], r["target"]) for r in _PUNCT_ROWS if r["context"] == "pair"]
_ALWAYS = {r["source"]: r["target"] for r in _PUNCT_ROWS if r["context"] == "always"}
# Full-width digits and Latin letters are ASCII shifted by 0xFEE0 (a Unicode rule, not a lexicon).
_FULLWIDTH_ALNUM = {
    chr(c + 0xFEE0): chr(c)
    for c in [*range(ord("0"), ord("9") + 1), *range(ord("A"), ord("Z") + 1), *range(ord("a"), ord("z") + 1)]
}
_ALWAYS_MAP = {**_ALWAYS, **_FULLWIDTH_ALNUM}
_ALWAYS_RE = re.compile("[" + re.escape("".join(_ALWAYS_MAP)) + "]")

# Chinese marks: the full-width marks we emit plus the `mark` rows. A neighbour that is an ideograph
# or one of these makes "Chinese context"; in a repaired garbled run they count as plausible text.
_FW_PUNCT = "".join(sorted(
    set(_CJK_PUNCT.values()) | {c for _, t in _PAIRS for c in t} | {r["target"] for r in _PUNCT_ROWS
                                                                   if r["context"] in ("always", "mark")}
    - set(_FULLWIDTH_ALNUM.values()) - {"%"}))
_CTX = CJK + re.escape(_FW_PUNCT)
_ASCII_CJK_PUNCT = "".join(k for k, v in _CJK_PUNCT.items() if k != ".")
# Runs of ASCII marks; the callback decides from the neighbours (cheaper than lookbehinds at every
# position). Between two digits (1,000  8.4:64.9) neither side is Chinese, so those stay ASCII.
_PUNCT_RUN_RE = re.compile(f"[{re.escape(_ASCII_CJK_PUNCT)}]+")
_CTX_RE = re.compile(f"[{_CTX}]")
# A full stop after an ideograph that does not start a number or an ellipsis ("2.0版" stays).
_PERIOD_RE = re.compile(f"(?<=[{CJK}])\\.(?![.\\d])")
_PAIR_RES = [
    (re.compile(f"{re.escape(src[0])}([^\\n{re.escape(src + tgt)}]{{0,200}}){re.escape(src[1])}"), tgt)
    for src, tgt in _PAIRS
]

_SPACES_RE = re.compile("[\t\u00a0\u2002\u2003\u2009\u3000]")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\ufeff]")
_MULTI_SPACE_RE = re.compile(" {2,}")
_LINE_EDGE_SPACE_RE = re.compile(r"^ +| +$", re.M)
_BLANK_LINES_RE = re.compile(r"\n{2,}")
_CJK_SPACE_RE = re.compile(f"(?<=[{_CTX}]) +(?=[{_CTX}])")

_BOILERPLATE_ROWS = _read_tsv("boilerplate.tsv")


def _scope_re(scope: str) -> re.Pattern:
    """All boilerplate patterns of one scope as a single alternation (one scan of the whole text)."""
    pats = [f"(?:{r['pattern']})" for r in _BOILERPLATE_ROWS if r["scope"] == scope]
    return re.compile("|".join(pats) or "(?!)", re.M)


_BOILER_LINE, _BOILER_TAIL, _BOILER_BLOCK = _scope_re("line"), _scope_re("tail"), _scope_re("block")
# Span patterns run once over the whole body; `$` means end of line, and patterns use `[ ]` not `\s`
# so that no span reaches across a line break.
_BOILER_SPANS = [re.compile(r["pattern"], re.M) for r in _BOILERPLATE_ROWS if r["scope"] == "span"]
_TAIL_LINES = 5      # credits (reporter name lists) sit in the last few lines
_REPEAT_MIN_CHARS = 4  # a repeated line shorter than this (一、, 二是) is a marker, not a copy
_BLOCK_MAX_AFTER = 15  # a "related articles" header starts a trailing list of at most this many lines


# --------------------------------------------------------------------------------------------------
# 1. Pinyin annotations

def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin annotations; return (text, number removed).

    An annotation is a parenthesised lowercase syllable with at least one tone mark, in ASCII or
    full-width parentheses; real parentheses such as (二) or (永濟段) stay.

    >>> strip_pinyin("現(xiàn)代（èr）(二)")
    ('現代(二)', 2)
    """
    return _PINYIN_RE.subn("", text)


# --------------------------------------------------------------------------------------------------
# 2. Garbled runs: GBK bytes read one byte off

@functools.cache
def _lexicon() -> tuple[dict[str, int], frozenset[str]]:
    """Word frequencies (2-4 characters) and the most common single characters, from jieba's
    reviewed dictionary (only loaded when a document has a candidate garbled run)."""
    words: dict[str, int] = {}
    singles: list[tuple[int, str]] = []
    raw = (importlib.resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        parts = line.split(" ")
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        if len(word) == 1:
            singles.append((freq, word))
        elif len(word) <= 4 and freq >= 5:
            words[word] = freq
    singles.sort(reverse=True)
    return words, frozenset(w for _, w in singles[:_COMMON_SINGLES])


_COMMON_SINGLES = 300     # a lone recovered character is trusted only if it is this common
_GUESS_MIN_FREQ = 50      # a guessed lead byte must make a word at least this frequent
_STRONG_MIN_GOOD = 2      # a run repaired on its own evidence recovers at least this many good chars
_STRONG_MIN_SHARE = 0.6
_WEAK_MAX_GARBLED_SHARE = 0.5  # a weak run is taken only where the text as found is not plausible
_WINDOW = 300             # how far a run is followed before giving up on re-alignment
_GOOD_PUNCT = frozenset(_FW_PUNCT)
_QMARK_RE = re.compile(r"\?(?=[^\x00-\x7f]|[!?,:;()])")
# ASCII marks inside a run are full-width marks folded to ASCII after mis-decoding: unfold them.
_UNFOLD = {**{k: v for k, v in _CJK_PUNCT.items() if k != "."}, "(": "（", ")": "）"}
_OPAQUE = -1  # stands for a byte pair that the first decoder swallowed into a '?'


def _gbk_pair(lead: int, trail: int) -> str | None:
    try:
        return bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None


def _run_bytes(window: str) -> tuple[list[int], list[int]]:
    """GBK bytes of the characters after the '?', and the byte offset where each character starts.

    Stops at the first character GBK cannot encode. An inner '?' followed by ASCII (or the end) is an
    invalid pair the first decoder swallowed (`?/p>` was `”</p>`): it becomes one opaque byte.
    """
    out: list[int] = []
    starts: list[int] = []
    for i, ch in enumerate(window):
        if ch == "\n":
            break
        if ch == "?" and (i + 1 == len(window) or ord(window[i + 1]) < 0x80):
            starts.append(len(out))
            out.append(_OPAQUE)
            break
        try:
            b = _UNFOLD.get(ch, ch).encode("gbk")
        except UnicodeEncodeError:
            break
        starts.append(len(out))
        out.extend(b)
    return out, starts


def _good_mask(context_left: str, run: str, context_right: str) -> list[bool]:
    """For each character of `run` (Simplified): is it plausible text? Known punctuation, part of a
    dictionary word (2-4 chars, reading into the context) or a very common character."""
    words, common = _lexicon()
    s = context_left + run + context_right
    off = len(context_left)
    good = [c in _GOOD_PUNCT or c in common for c in run]
    for n in (2, 3, 4):
        for i in range(max(0, off - n + 1), min(len(s) - n, off + len(run) - 1) + 1):
            if s[i:i + n] in words:
                for j in range(max(i, off), min(i + n, off + len(run))):
                    good[j - off] = True
    return good


@functools.cache
def _lead_candidates(trail: int) -> dict[int, str]:
    """Every GBK character with this trail byte, by lead byte."""
    return {lead: c for lead in range(0x81, 0xFF) if (c := _gbk_pair(lead, trail)) and len(c) == 1}


def _guess_first(trail: int, prev2: str, nxt: str) -> str:
    """The character whose lead byte was lost, given its trail byte, the two characters before it and
    the decoded one after it.

    A lead byte wins when it makes a frequent word with a neighbour (确 + ? -> 确保) more frequent
    than the word the previous character already closes; otherwise Chinese punctuation from the
    punctuation rows (方向 + ? -> 方向。: 。 is far more frequent than any character sharing its trail
    byte); otherwise the word candidate if any; else UNRECOVERABLE.
    """
    words, _ = _lexicon()
    cands = _lead_candidates(trail)
    if not cands:
        return UNRECOVERABLE
    leads = list(cands)
    # One conversion call for all candidates: "prev2 c next" per line.
    simp = _T2S.convert("\n".join(prev2 + cands[k] + nxt for k in leads)).split("\n")
    mid = len(prev2)
    best, best_freq = None, 0
    for lead, trio in zip(leads, simp):
        if len(trio) != len(prev2) + 1 + len(nxt):
            continue
        freq = max(words.get(trio[mid - 1:mid + 1], 0) if prev2 else 0,
                   words.get(trio[mid:mid + 2], 0) if nxt else 0)
        if freq > best_freq:
            best, best_freq = cands[lead], freq
    left_word = words.get(_T2S.convert(prev2), 0) if len(prev2) == 2 else 0
    if best is not None and best_freq >= _GUESS_MIN_FREQ and best_freq > left_word:
        return best
    for lead in (0xA1, 0xA3):  # GBK rows holding Chinese punctuation
        if cands.get(lead) in _GOOD_PUNCT:
            return cands[lead]
    if best is not None and best_freq >= _GUESS_MIN_FREQ:
        return best
    return UNRECOVERABLE


def _decode_run(text: str, q: int) -> dict | None:
    """Re-align the run starting at the '?' at `text[q]`; None when it does not decode at all.

    Returns end (index after the run in `text`), chars (decoded characters, first one guessed) and
    kinds ('guess', 'ok', 'lost' per character).
    """
    window = text[q + 1:q + 1 + _WINDOW]
    stream, starts = _run_bytes(window)
    if not stream or stream[0] == _OPAQUE or not (0x40 <= stream[0] <= 0xFE) or stream[0] == 0x7F:
        return None
    boundaries = set(starts) | {len(stream)}
    chars: list[str] = []
    kinds: list[str] = []
    p = 1
    while p < len(stream) and p not in boundaries:
        b = stream[p]
        if b == _OPAQUE or (p + 1 < len(stream) and stream[p + 1] == _OPAQUE):
            chars.append(UNRECOVERABLE)
            kinds.append("lost")
            p = min(x for x in boundaries if x > p + (stream[p] != _OPAQUE))
            break
        if b < 0x80:
            chars.append(chr(b))
            kinds.append("ok")
            p += 1
            continue
        c = _gbk_pair(b, stream[p + 1]) if p + 1 < len(stream) else None
        if c is None or len(c) != 1:
            chars.append(UNRECOVERABLE)
            kinds.append("lost")
            p = min(x for x in boundaries if x > p)
            break
        chars.append(c)
        kinds.append("ok")
        p += 2
    if p < len(stream) and p not in boundaries:
        return None
    n_chars = sum(1 for s in starts if s < p)
    end = q + 1 + n_chars
    nxt = chars[0] if chars and kinds[0] == "ok" else (text[end] if end < len(text) else "")
    first = _guess_first(stream[0], text[max(0, q - 2):q], nxt)
    return {"end": end, "chars": [first, *chars], "kinds": ["guess", *kinds]}


def _judge_run(text: str, q: int, run: dict) -> tuple[str, int, int, str]:
    """Score a decoded run: (replacement, n_repaired, n_flagged, verdict).

    Decoded characters that are not plausible (see _good_mask) become UNRECOVERABLE. The verdict is
    'strong' when the run is convincing on its own (enough plausible characters, more plausible than
    the garbled text), 'weak' when too short to tell but the garbled text is not plausible text
    itself, else 'reject' (a real question mark followed by real text).
    """
    end = run["end"]
    decoded = "".join(run["chars"])
    left = _T2S.convert(text[max(0, q - 2):q])
    right = _T2S.convert(text[end:end + 2])
    simp = _T2S.convert(decoded)
    if len(simp) != len(decoded):
        simp = decoded
    mask = _good_mask(left, simp, right)
    out = []
    repaired = flagged = n_good = n_scored = 0
    for c, kind, ok in zip(run["chars"], run["kinds"], mask):
        if c == UNRECOVERABLE:
            out.append(c)
            flagged += 1
            continue
        if kind == "ok" and ord(c) >= 0x80:
            n_scored += 1
            n_good += ok
        if ok or kind == "guess":  # the guess was already chosen by word frequency / punctuation
            out.append(c)
            repaired += 1
        else:
            out.append(UNRECOVERABLE)
            flagged += 1
    garbled = _T2S.convert(text[q + 1:end])
    garbled_good = sum(_good_mask(left, garbled, right)) / max(1, len(garbled))
    share = n_good / n_scored if n_scored else 0.0
    if n_good >= _STRONG_MIN_GOOD and share >= _STRONG_MIN_SHARE and share > garbled_good:
        verdict = "strong"
    elif garbled_good < _WEAK_MAX_GARBLED_SHARE:
        verdict = "weak"
    else:
        verdict = "reject"
    return "".join(out), repaired, flagged, verdict


def _garble_counts(text: str) -> tuple[str, int, int]:
    pieces: list[str] = []
    weak: list[tuple[int, int, str, int, int]] = []
    strong: list[tuple[int, int, str, int, int]] = []
    last = 0
    for m in _QMARK_RE.finditer(text):
        q = m.start()
        if q < last:
            continue
        run = _decode_run(text, q)
        if run is None:
            continue
        repl, rep, flag, verdict = _judge_run(text, q, run)
        if verdict != "reject":
            (strong if verdict == "strong" else weak).append((q, run["end"], repl, rep, flag))
            last = run["end"]
    # A weak run (too short to judge on its own, e.g. `?!?/p>`) is trusted only in a document that
    # is shown to be garbled by at least one strong run; a real question mark stays a question mark.
    accepted = sorted(strong + (weak if strong else []))
    repaired = flagged = 0
    pos = 0
    for start, end, repl, rep, flag in accepted:
        pieces.append(text[pos:start])
        pieces.append(repl)
        pos = end
        repaired += rep
        flagged += flag
    pieces.append(text[pos:])
    return "".join(pieces), repaired, flagged


def repair_garbled(text: str) -> tuple[str, int]:
    """Re-align runs of GBK bytes that were decoded one byte off; return (text, characters repaired).

    Such a run starts with '?' (the lost lead byte) and ends where the shifted reading meets a
    character boundary again. The run is re-encoded as GBK (ASCII marks unfolded to full-width),
    decoded with a guessed lead byte, and kept only where the result is plausible text. Lost
    characters become UNRECOVERABLE; use `repair_garbled_counts` for the flagged count.

    >>> repair_garbled("開新局??疾鞂W習結束後")[0]
    '開新局。考察學習結束後'
    """
    fixed, repaired, _ = _garble_counts(text)
    return fixed, repaired


def repair_garbled_counts(text: str) -> tuple[str, int, int]:
    """Like repair_garbled, returning (text, characters repaired, characters flagged UNRECOVERABLE)."""
    return _garble_counts(text)


# --------------------------------------------------------------------------------------------------
# 3. Script

def _count_changed(a: str, b: str) -> int:
    """How many characters differ between two strings (vectorised; lengths normally equal)."""
    if len(a) == len(b):
        x = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
        y = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
        return int((x != y).sum())
    return sum(abs(a.count(c) - b.count(c)) for c in set(a) ^ set(b)) or abs(len(a) - len(b))


def _simplify(text: str) -> str:
    return _CHAR_FIX_RE.sub(lambda m: _CHAR_FIXES[m.group()], _T2S.convert(text))


# The CJK ranges of analytics.pipeline.text as code point pairs, for counting without building a match list.
_CJK_RANGES = [(ord(CJK[i]), ord(CJK[i + 2])) for i in range(0, len(CJK), 3)]


def _count_cjk(text: str) -> int:
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return int(sum(((cps >= lo) & (cps <= hi)).sum() for lo, hi in _CJK_RANGES))


def _script_of(n_changed: int, text: str) -> str:
    n_cjk = _count_cjk(text)
    return "traditional" if n_changed >= 3 and n_changed >= 0.02 * n_cjk else "simplified"


def detect_script(text: str) -> str:
    """'traditional' if t2s would change at least 2% of the CJK characters (min. 3), else 'simplified'."""
    return _script_of(_count_changed(text, _simplify(text)), text)


def is_simplified_char(ch: str) -> bool:
    """A character the Simplified standard has (GB2312): never rewritten in a Simplified document."""
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def to_simplified(text: str, keep_simplified: bool = False) -> tuple[str, int]:
    """Traditional -> Simplified with OpenCC t2s plus data/char_fixes.tsv; return (text, chars changed).

    With keep_simplified (for a document already in Simplified script) only characters outside
    GB2312 — Traditional-only forms — are converted: t2s would otherwise rewrite valid Simplified
    characters by context (引乾济石 → 引干济石, a place name).

    >>> to_simplified("陜西省發展")
    ('陕西省发展', 2)
    >>> to_simplified("引乾济石，發展", keep_simplified=True)
    ('引乾济石，发展', 1)
    """
    out = _simplify(text)
    if keep_simplified and len(out) == len(text):
        out = "".join(o if o != c and not is_simplified_char(c) else c for c, o in zip(text, out))
    return out, _count_changed(text, out)


# --------------------------------------------------------------------------------------------------
# 4. Whitespace and punctuation

_CELL_GAP = re.compile(r"\t+|\u3000+| {2,}")
TABLE_MIN_LINES = 3  # a header and two rows: fewer is no table


def _table_cells(line: str) -> list[str]:
    """A line's cells split at tabs, full-width spaces or runs of spaces; single characters spaced out in one
    cell (全  市, 合  计: a label padded to the column's width) are joined again."""
    out: list[str] = []
    for cell in (c for c in _CELL_GAP.split(line.strip()) if c):
        if out and len(cell) == 1 and len(out[-1]) == 1 and not (cell + out[-1]).isascii() \
                and not cell.isdigit() and not out[-1].isdigit():
            out[-1] += cell
        else:
            out.append(cell)
    return out


def mark_table_cells(text: str) -> tuple[str, int]:
    """Keep the columns of a table flattened to text (a yearbook's or a bulletin's columns set apart by tabs,
    full-width spaces or runs of spaces): three or more consecutive lines that split into the same number
    (two or more) of cells have their cells rejoined with ' | ', which the later whitespace steps keep and
    analytics.features.tables reads; return (text, lines marked). Lines that already hold '|' are left."""
    lines = text.split("\n")
    cells = [[] if "|" in line else _table_cells(line) for line in lines]
    widths = [len(c) for c in cells]
    marked = 0
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and widths[j + 1] == widths[i]:
            j += 1
        if widths[i] >= 2 and j - i + 1 >= TABLE_MIN_LINES:
            for k in range(i, j + 1):
                lines[k] = " | ".join(cells[k])
            marked += j - i + 1
        i = j + 1
    return "\n".join(lines), marked


def normalize_whitespace(text: str) -> tuple[str, int]:
    """Unify line breaks and space characters, trim lines, collapse space runs and blank lines
    (paragraphs are separated by one '\\n'); return (text, 0) — layout changes are not counted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _MULTI_SPACE_RE.sub(" ", text)
    text = _LINE_EDGE_SPACE_RE.sub("", text)
    text = _BLANK_LINES_RE.sub("\n", text)
    return text.strip("\n"), 0


def join_cjk_spaces(text: str) -> tuple[str, int]:
    """Remove spaces between two Chinese characters or marks ('何 伟' -> '何伟'); return (text, 0)."""
    return _CJK_SPACE_RE.sub("", text), 0


def normalize_punctuation(text: str) -> tuple[str, int]:
    """Chinese full-width punctuation in Chinese context, ASCII for full-width digits, letters and ％;
    return (text, characters changed).

    ASCII , ; : ! ? touching Chinese become ，；：！？ and '.' after an ideograph becomes 。 (not in
    2.0 or 134.66); ASCII between digits stays (1,000  8.4:64.9). A ( ) or " " pair becomes （）/“”
    when it encloses or touches Chinese. 「」『』 become “”‘’.

    >>> normalize_punctuation("共签约项目23个,总投资134.66亿元(二)")
    ('共签约项目23个，总投资134.66亿元（二）', 3)
    """
    # Context-free marks first, so that 「 already counts as Chinese context for the marks beside it.
    text, count = _ALWAYS_RE.subn(lambda m: _ALWAYS_MAP[m.group()], text)

    def run(m: re.Match) -> str:
        nonlocal count
        s, e = m.start(), m.end()
        # Chinese context: the neighbour on either side, looking past one space.
        before = m.string[max(0, s - 2):s].rstrip(" ")[-1:]
        after = m.string[e:e + 2].lstrip(" ")[:1]
        if not (_CTX_RE.match(before) or _CTX_RE.match(after)):
            return m.group()
        count += len(m.group())
        return "".join(_CJK_PUNCT[c] for c in m.group())

    def pair(m: re.Match, target: str) -> str:
        nonlocal count
        s, e = m.start(), m.end()
        if not _CTX_RE.search(m.group(1) + m.string[max(0, s - 2):s] + m.string[e:e + 2]):
            return m.group()
        count += 2
        return target[0] + m.group(1) + target[1]

    # Each conversion creates Chinese context for its neighbours ("好(1)," -> "好（1）,"), so repeat
    # until nothing changes: that is what makes the cleaner idempotent.
    for _ in range(8):
        before = count
        text, n = _PERIOD_RE.subn(_CJK_PUNCT["."], text)
        count += n
        text = _PUNCT_RUN_RE.sub(run, text)
        for pattern, target in _PAIR_RES:
            text = pattern.sub(lambda m, t=target: pair(m, t), text)
        if count == before:
            break
    return text, count


# --------------------------------------------------------------------------------------------------
# 5. Boilerplate

def split_boilerplate(text: str) -> tuple[str, str, int]:
    """Separate boilerplate from the body; return (body, boilerplate '\\n'-joined, pieces moved).

    Patterns live in data/boilerplate.tsv (kind, scope, pattern): scope `line` moves the whole line,
    `span` only the match, `tail` a whole line among the last few, `block` a trailing header such as
    相关文章 and the short list after it. Bylines are `span`s on purpose: a photo caption such as
    "…共签约项目23个，总投资134.66亿元…记者 雷哲侠 摄" carries facts, so only "记者 雷哲侠 摄" leaves
    the body and the sentence stays where figures can be found.
    """
    # (line number, column, piece): boilerplate is returned in document order.
    pieces: list[tuple[int, int, str]] = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # Separate scans (each regex keeps its fast literal prefix search); overlapping matches: first wins.
    spans = sorted((m.start(), m.end()) for pat in _BOILER_SPANS for m in pat.finditer(text))
    kept: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        piece = text[start:end].strip()
        if piece:
            i = bisect.bisect_right(line_starts, start) - 1
            pieces.append((i, start - line_starts[i], piece))
        kept.append(text[pos:start])
        pos = end
    kept.append(text[pos:])
    text = "".join(kept)  # spans never cross a line break: line numbers hold
    lines = text.split("\n")
    n = len(lines)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def hits(pattern: re.Pattern) -> set[int]:
        # One scan of the whole text per scope, in C, instead of one search per line.
        return {bisect.bisect_right(starts, m.start()) - 1 for m in pattern.finditer(text)}

    whole = hits(_BOILER_LINE) | {i for i in hits(_BOILER_TAIL) if n - i <= _TAIL_LINES}
    # A line repeated word for word (a navigation bar on every page of a saved site, 100,000 pasted copies)
    # is kept once: its copies are boilerplate, so they are neither counted twice nor analysed twice.
    seen: set[str] = set()
    for i, line in enumerate(lines):
        key = line.strip()
        if len(key) < _REPEAT_MIN_CHARS:
            continue
        if key in seen:
            whole.add(i)
        seen.add(key)
    block = min((i for i in hits(_BOILER_BLOCK) if n - i - 1 <= _BLOCK_MAX_AFTER), default=n)
    body: list[str] = []
    for i, line in enumerate(lines):
        if i >= block or i in whole:
            if line.strip():
                pieces.append((i, -1, line.strip()))
        else:
            body.append(line)
    removed = [p for _, _, p in sorted(pieces)]
    text = "\n".join(body)
    return text, "\n".join(removed), len(removed)


# --------------------------------------------------------------------------------------------------
# The composition

def clean_document(raw: str) -> CleanResult:
    """Raw document text -> CleanResult (body text, boilerplate, script, report with REPORT_KEYS).

    >>> r = clean_document("確?!耙汇逅朦S河”。\\n責任編輯: 吉政")
    >>> r.script, r.boilerplate
    ('traditional', '责任编辑： 吉政')
    """
    text, compat = map_compatibility(raw)
    text, pinyin = strip_pinyin(text)
    text, repaired, flagged = repair_garbled_counts(text)
    # Script judged on the raw characters (annotations and garbage aside), reusing the one conversion.
    before = text
    converted_text, converted = to_simplified(text)
    script = _script_of(converted, before)
    text, converted = (converted_text, converted) if script == "traditional" else to_simplified(text, True)
    text, _ = mark_table_cells(text)  # layout, like whitespace: not counted
    text, _ = normalize_whitespace(text)
    text, punct = normalize_punctuation(text)
    text, boilerplate, n_boiler = split_boilerplate(text)
    text, _ = join_cjk_spaces(text)
    text, _ = normalize_whitespace(text)
    report = {
        "pinyin_removed": pinyin, "chars_converted": converted, "garbled_repaired": repaired,
        "garbled_flagged": flagged, "boilerplate_lines": n_boiler, "punct_normalized": punct,
        "compat_mapped": compat,
    }
    return CleanResult(text=text, boilerplate=boilerplate, script=script, report=report)
