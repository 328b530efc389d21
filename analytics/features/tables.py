"""Tables flattened to text -> figures: a header line naming the columns, then one line per unit.

Statistical bulletins, rankings and saved pages often carry a table that has lost its markup:

    旗区 | 地区生产总值（亿元） | 增速（%）
    东胜区 | 812.4 | 5.6

with cells split by `|`, tabs, or runs of two or more spaces (or a full-width space). A block is a header
line and at least two rows with the same number of cells; one column names the rows' units (a place, or
全市/合计 for the area the text speaks for), the others hold numbers. Each number becomes a figure of its
row's unit, named by its column's header (its measure in brackets: 亿元, %, 万人次; 位次 names a rank;
a bare 增速 / 同比 column is the growth of the column before it) and dated by the lines above the table.
Every figure keeps the row as its evidence and the cell's offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"^(?P<sign>[-−－﹣])?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>%|‰)?$")
_HEADER_MEASURE = re.compile(r"^(?P<name>.*?)\s*[（(](?P<measure>[^（）()]{1,8})[）)]\s*$")
_TOTAL_ROWS = re.compile(r"^(?:全[市省州盟区县旗]|合计|总计|全部|小计)$")
MIN_ROWS = 2


@dataclass
class Cell:
    start: int          # offset of the cell's text in the passage
    end: int
    text: str


@dataclass
class Column:
    name: str           # the header's words without the measure (地区生产总值)
    measure: str        # the measure the header gives (亿元, %, 万人次) or ''


@dataclass
class Row:
    start: int
    end: int
    cells: list[Cell]


@dataclass
class Table:
    title_start: int    # where the lines above the header (the table's title) begin
    header: list[Column]
    rows: list[Row]
    label: int          # the column that names each row's unit


_PIPE = re.compile(r"\|")
_GAP = re.compile(r"\t+|\u3000+| {2,}")


def _cells(line: str, offset: int) -> list[Cell]:
    """The non-empty cells of a line split by `|` (when it has one), else by tabs, full-width spaces or
    runs of two or more spaces."""
    bounds, pos = [], 0
    for sep in (_PIPE if "|" in line else _GAP).finditer(line):
        bounds.append((pos, sep.start()))
        pos = sep.end()
    bounds.append((pos, len(line)))
    cells = []
    for a, b in bounds:
        segment = line[a:b]
        if segment.strip():
            lead = len(segment) - len(segment.lstrip())
            cells.append(Cell(offset + a + lead, offset + a + len(segment.rstrip()), segment.strip()))
    return cells


def number(cell: str) -> tuple[float, str] | None:
    """(value, measure written in the cell: % or ‰ or '') of a numeric cell, or None."""
    m = _NUMBER.match(cell.strip())
    if not m:
        return None
    value = float(m["num"].replace(",", ""))
    return (-value if m["sign"] else value), m["unit"] or ""


def _column(header: str) -> Column:
    header = _SUBSET.sub("", header.strip())  # 其中：税收收入 is a column of its own
    m = _HEADER_MEASURE.match(header)
    if m:
        return Column(m["name"].strip(), m["measure"].strip())
    return Column(header, "")


_SUBSET = re.compile(r"^其中[：:，,]?")
_TABLE_UNITS = re.compile(r"(?:计量)?单位[：:]\s*(?P<units>[^\n）)]{1,20})")


def table_measures(title: str) -> list[str]:
    """The measures a table's title line gives all its columns (单位：万元、% -> ['万元', '%'])."""
    m = _TABLE_UNITS.search(title)
    return [u.strip() for u in re.split(r"[、，,/／;；]", m["units"]) if u.strip()] if m else []


def column_measure(column: Column, measures: list[str]) -> str:
    """A column's measure: its header's, else from the title's 单位 line — % for a rate column (增幅, 同比,
    比重), the first other measure for the rest."""
    if column.measure:
        return column.measure
    rate = is_bare_growth(column.name) or column.name.endswith(("率", "比重", "占比", "增幅", "增速"))
    if rate:
        return "%" if "%" in measures or "％" in measures else ""
    return next((u for u in measures if u not in ("%", "％")), "")


def find_tables(text: str) -> list[Table]:
    """The flattened tables of `text` (offsets into it), in order."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        header = _cells(line, start)
        if len(header) < 2 or any(number(c.text) for c in header):
            i += 1
            continue
        rows: list[Row] = []
        j = i + 1
        while j < len(lines):
            row_start, row_line = lines[j]
            cells = _cells(row_line, row_start)
            if len(cells) != len(header):
                break
            rows.append(Row(row_start, row_start + len(row_line), cells))
            j += 1
        label = _label_column(rows)
        if len(rows) >= MIN_ROWS and label is not None:
            title_start = lines[max(0, i - 3)][0]
            tables.append(Table(title_start, [_column(c.text) for c in header], rows, label))
            i = j
        else:
            i += 1
    return tables


def _label_column(rows: list[Row]) -> int | None:
    """The one column whose cells are words (the rows' units) while every other column is numeric."""
    if not rows:
        return None
    width = len(rows[0].cells)
    wordy = [k for k in range(width) if all(number(r.cells[k].text) is None for r in rows)]
    numeric = [k for k in range(width)
               if k not in wordy and sum(number(r.cells[k].text) is not None for r in rows) >= len(rows) - 1]
    if len(wordy) != 1 or len(numeric) != width - 1:
        return None
    return wordy[0]


def is_total_row(label: str) -> bool:
    """全市 / 合计 rows: the figures of the area the text speaks for."""
    return bool(_TOTAL_ROWS.match(label.strip()))


_BARE_GROWTH = re.compile(r"^(?:同比|比上年|较上年|比上年同期)?(?:增长|增速|增幅|增减|增长率|±)?(?:[（(]?%[)）]?)?$")
_RANK = re.compile(r"^(?:位次|排名|名次|排序|序号)$")


def is_bare_growth(name: str) -> bool:
    """增速 / 同比 / 同比增长: a column that is the growth rate of the column before it."""
    return bool(name) and bool(_BARE_GROWTH.match(name))


def is_rank(name: str) -> bool:
    return bool(_RANK.match(name))
