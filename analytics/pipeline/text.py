"""Small text helpers shared by the stages: character classes and sentence spans."""
from __future__ import annotations

import re

# CJK Unified Ideographs (basic + extension A) and compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# Shown in clean text where bytes could not be recovered; tokens never contain it.
UNRECOVERABLE = "\ufffd"

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n+")
# A sentence is at most this long: longer runs (a page without punctuation, a pasted table) are cut at
# their last clause mark or space before the limit, else at the limit. Every stage judges cues within a
# sentence, so the cap keeps each of them linear in the text. Real sentences stay far below it (the
# seeds' longest is 240 characters).
MAX_SENTENCE_CHARS = 400
_SOFT_CUTS = ("，", ",", "、", "：", ":", " ", "\u3000")


def has_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of text[start:end], offsets into `text`, whitespace trimmed.

    A sentence ends at 。！？；, their ASCII forms, or a line break; closing quotes stay with it. A
    longer run than MAX_SENTENCE_CHARS is cut into pieces of at most that length.

    >>> t = "一是好。二是“更好！”\\n三"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['一是好。', '二是“更好！”', '三']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        stop = m.end() if text[m.start()] != "\n" else m.start()
        spans.append((pos, stop))
        pos = m.end()
    spans.append((pos, end))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        while b - a > MAX_SENTENCE_CHARS:
            limit = a + MAX_SENTENCE_CHARS
            cut = max(text.rfind(mark, a + MAX_SENTENCE_CHARS // 2, limit) for mark in _SOFT_CUTS)
            cut = cut + 1 if cut > a else limit
            trimmed.append((a, cut))
            a = cut
            while a < b and text[a].isspace():
                a += 1
        if a < b:
            trimmed.append((a, b))
    return trimmed
