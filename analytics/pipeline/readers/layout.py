"""Positioned lines of a page (a PDF's text layer, or OCR) -> running text in reading order.

A printed report breaks its sentences every thirty characters, sets them in two columns, repeats a header
and a page number on every page and draws tables. The text layer (or the OCR) gives lines with their boxes;
this module turns them back into what a reader reads:

- `rows`: segments that share a line of the page; three or more are a table row, its cells joined by
  ` | ` (analytics.features.tables reads such rows);
- `reading_order`: a page in two columns (a gutter no body line crosses) reads its left column, then its
  right one, between the lines that span both (a title, a table);
- `strip_furniture`: the lines at the top or bottom of the pages that repeat (digits aside) on at least
  two pages in five — running headers and footers — and bare page numbers are removed;
- `paragraphs`: a line that fills its column and is followed, in the same column, by a line that is not
  indented continues into it: joined without a break (never a space between Chinese characters, so
  1149.5平⏎方公里 becomes 1149.5平方公里); anything else ends a paragraph.

Coordinates are points from the page's top-left corner.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

CELL_SEPARATOR = " | "
_SENTENCE_END = "。！？；：!?;:”」』）)"
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·•第]*(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*[/／]\s*\d{1,4})?[\s\-—–－·•页]*$", re.I)
_DIGITS = re.compile(r"\d+")


@dataclass
class Line:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    score: float = 1.0                     # OCR confidence (1.0 for a text layer)
    cells: list[str] = field(default_factory=list)  # a table row's cells

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def width(self) -> float:
        return self.right - self.left


def _vertical_overlap(a: Line, b: Line) -> float:
    return max(0.0, min(a.bottom, b.bottom) - max(a.top, b.top)) / min(a.height, b.height)


def rows(lines: list[Line], min_cells: int = 3) -> list[Line]:
    """Segments on one line of the page with `min_cells` or more pieces become one table row."""
    ordered = sorted(lines, key=lambda x: (x.top, x.left))
    out: list[Line] = []
    i = 0
    while i < len(ordered):
        group = [ordered[i]]
        j = i + 1
        while j < len(ordered) and _vertical_overlap(ordered[i], ordered[j]) >= 0.6:
            group.append(ordered[j])
            j += 1
        group.sort(key=lambda x: x.left)
        group = _close_up(group)
        pieces = [cell for segment in group for cell in (segment.cells or _gap_cells(segment))]
        if len(pieces) >= min_cells:
            out.append(Line(CELL_SEPARATOR.join(pieces), min(x.left for x in group), min(x.top for x in group),
                            max(x.right for x in group), max(x.bottom for x in group),
                            min(x.score for x in group), pieces))
        else:
            out.extend(group)
        i = j
    return out


def _close_up(group: list[Line]) -> list[Line]:
    """Segments of one row that nearly touch are one piece (OCR cuts -3.7% into -3 and .7%)."""
    out: list[Line] = []
    for segment in group:
        if out and not out[-1].cells and not segment.cells and \
                segment.left - out[-1].right < 0.8 * min(out[-1].height, segment.height):
            prev = out[-1]
            out[-1] = Line(prev.text + segment.text, prev.left, min(prev.top, segment.top), segment.right,
                           max(prev.bottom, segment.bottom), min(prev.score, segment.score))
        else:
            out.append(segment)
    return out


def _gap_cells(line: Line) -> list[str]:
    """The cells of a text-layer line whose pieces stand apart by wide spaces (212.6   5.8%)."""
    parts = [p for p in re.split(r"\s{2,}|\t", line.text.strip()) if p]
    return parts if len(parts) > 1 else [line.text.strip()]


def _gutter(lines: list[Line], width: float) -> float | None:
    """The x of a gutter between two columns: a stretch near the page's middle that no narrow line
    crosses while enough narrow lines stand on both sides; None for a page in one column."""
    narrow = [x for x in lines if x.width < 0.55 * width and not x.cells]
    if len(narrow) < 4:
        return None
    step = max(width / 200, 1.0)
    # a line centred on the page (a title, a running header, a date line) spans the columns: it never
    # counts against a gutter; of the others, a few may cross it (a heading set across both columns)
    crossers = [x for x in narrow if abs((x.left + x.right) / 2 - width / 2) > 0.03 * width]
    allowed = max(1, len(narrow) // 10)
    best, best_len, run_start, run = None, 0.0, None, 0
    x = 0.25 * width
    while x <= 0.75 * width:
        crossing = sum(line.left < x < line.right for line in crossers) > allowed
        if not crossing:
            run_start = x if run == 0 else run_start
            run += 1
            if run * step > best_len:
                best_len, best = run * step, run_start + run * step / 2
        else:
            run = 0
        x += step
    if best is None or best_len < 0.015 * width:
        return None
    left = [line for line in narrow if line.right <= best]
    right = [line for line in narrow if line.left >= best]
    # columns stand side by side: lines of each side at the height of lines of the other
    beside = sum(any(_vertical_overlap(a, b) > 0.5 for b in right) for a in left)
    return best if len(left) >= 2 and len(right) >= 2 and beside >= 2 else None


def reading_order(lines: list[Line], width: float) -> list[Line]:
    """The page's lines as they are read: by column between the lines that span the gutter, if any."""
    ordered = sorted(lines, key=lambda x: (x.top, x.left))
    gutter = _gutter(ordered, width)
    if gutter is None:
        return ordered
    out: list[Line] = []
    block: list[Line] = []

    def flush() -> None:
        out.extend(sorted((x for x in block if x.right <= gutter), key=lambda x: x.top))
        out.extend(sorted((x for x in block if x.right > gutter), key=lambda x: x.top))
        block.clear()

    for line in ordered:
        if line.left < gutter < line.right:  # a title, a table row: it ends the columns above it
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return out


def strip_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Each page without its running header and footer (the top or bottom lines that recur, digits aside,
    on at least two pages and two in five of them) and its bare page numbers."""
    def band(page: list[Line], height: float) -> list[Line]:
        ordered = sorted(page, key=lambda x: x.top)
        top = [x for x in ordered[:2] if x.top < 0.15 * height]
        bottom = [x for x in ordered[-2:] if x.bottom > 0.85 * height]
        return top + bottom

    def key(line: Line) -> str:  # letters and digits only: OCR reads a bracket ）on one page, ) on the next
        return _DIGITS.sub("#", "".join(ch for ch in line.text if ch.isalnum()))

    seen = Counter(k for page, h in zip(pages, heights) for k in {key(x) for x in band(page, h)})
    repeated = {k for k, n in seen.items() if n >= 2 and n >= 0.4 * len(pages)}
    out = []
    for page, height in zip(pages, heights):
        edges = {id(x) for x in band(page, height)}
        out.append([x for x in page if not (id(x) in edges and (key(x) in repeated or _PAGE_NUMBER.match(x.text)))])
    return out


def _continues(prev: Line, nxt: Line, column_right: float, column_left: float) -> bool:
    """Whether `nxt` carries on `prev`'s paragraph: `prev` fills its column and ends mid-sentence or at a
    comma, `nxt` stands right below it in the same column and is not indented."""
    size = min(prev.height, nxt.height)
    if prev.cells or nxt.cells:
        return False
    below = 0 <= nxt.top - prev.bottom <= 1.2 * size
    same_column = nxt.left < prev.right and prev.left < nxt.right
    if nxt.top < prev.top and nxt.left >= prev.right:  # from the foot of one column to the head of the next
        below, same_column, column_left = True, True, nxt.left
    full = prev.right >= column_right - 2.5 * size  # ragged right (unjustified text) ends a little short
    indented = nxt.left > column_left + 0.8 * size
    return below and same_column and full and not indented and not prev.text.rstrip().endswith(("。", "！", "？"))


def _joined(a: str, b: str) -> str:
    a, b = a.rstrip(), b.lstrip()
    # words of a Latin script broken at a line end keep a space; Chinese never gets one
    space = " " if a[-1:].isascii() and a[-1:].isalpha() and b[:1].isascii() and b[:1].isalpha() else ""
    return a + space + b


def paragraphs(lines: list[Line], gutter: float | None = None) -> list[Line]:
    """Lines in reading order -> paragraphs: continuation lines joined to the line they continue. A column
    is the lines on one side of the `gutter` (the whole page when there is none); tables and lines that
    span the gutter stand alone."""
    def column_of(line: Line) -> list[Line]:
        if gutter is not None and line.left < gutter < line.right:
            return [line]
        return [x for x in lines if not x.cells and not (gutter is not None and x.left < gutter < x.right)
                and (gutter is None or (x.right <= gutter) == (line.right <= gutter))]

    edges: dict[int, tuple[float, float]] = {}
    for line in lines:
        column = column_of(line)
        edges[id(line)] = (min(x.left for x in column), max(x.right for x in column))
    def spans(line: Line) -> bool:
        return gutter is not None and line.left < gutter < line.right

    out: list[Line] = []
    last: Line | None = None  # the last physical line of the paragraph being built
    for line in lines:
        if out and last is not None and spans(last) == spans(line):
            left, right = edges[id(last)]
            if _continues(last, line, right, left):
                out[-1] = replace(out[-1], text=_joined(out[-1].text, line.text), score=min(out[-1].score, line.score))
                last = line
                continue
        out.append(line)
        last = line
    return out


def page_text(lines: list[Line], width: float) -> tuple[str, list[tuple[str, float]]]:
    """(the page's text, its paragraphs with their OCR confidence): rows, reading order, paragraphs."""
    segments = rows(lines)
    ordered = paragraphs(reading_order(segments, width), _gutter(segments, width))
    return "\n".join(x.text for x in ordered), [(x.text, x.score) for x in ordered]
