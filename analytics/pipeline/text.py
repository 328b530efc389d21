"""Small text helpers shared by the stages: character classes and sentence spans."""
from __future__ import annotations

import re

# CJK Unified Ideographs (basic + extension A) and compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# Shown in clean text where bytes could not be recovered; tokens never contain it.
UNRECOVERABLE = "\ufffd"

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n+")


def has_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of text[start:end], offsets into `text`, whitespace trimmed.

    A sentence ends at 。！？；, their ASCII forms, or a line break; closing quotes stay with it.

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
        if a < b:
            trimmed.append((a, b))
    return trimmed
