"""Reviewed data files (data/) -> tables and word lists: the one reader every stage uses.

Formats: `.csv` (comma) and `.tsv` (tab, no quoting: the cleaning maps hold quote characters) with a
header row; `.txt` one entry per line. In every format a line whose first non-blank character is `#`
is a comment, and blank lines are skipped. Cells are strings, an empty cell is '' (never NaN); CSV
cells are stripped unless asked not to, TSV cells are kept as written (a punctuation map may map to a space).
`data/manifest.csv` says for each file what one row is, its key and its references; the integrity
test (tests/test_data_files.py) checks every file against it.
"""
from __future__ import annotations

import csv
import io
from functools import lru_cache

import pandas as pd

from analytics.paths import data_file


def _content_lines(name: str) -> list[str]:
    text = data_file(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def _records(name: str, strip: bool = True) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    lines = _content_lines(name)
    if name.endswith(".tsv"):
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE))
    elif name.endswith((".csv", ".txt")):  # a headed .txt is a one-column CSV
        rows = [[cell.strip() if strip else cell for cell in row]
                for row in csv.reader(io.StringIO("\n".join(lines)))]
    else:
        raise ValueError(f"{name}: not a table (.csv, .tsv or headed .txt)")
    if not rows:
        raise ValueError(f"data/{name}: no header row")
    header, body = tuple(rows[0]), rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ValueError(f"data/{name}: data row {number} has {len(row)} cells, the header {len(header)}")
    return header, tuple(tuple(row) for row in body)


def read_table(name: str) -> pd.DataFrame:
    """A headed data file as a table of strings (a fresh copy: callers may change it)."""
    header, body = _records(name)
    return pd.DataFrame(list(body), columns=list(header), dtype=object).astype(str) if body else \
        pd.DataFrame(columns=list(header), dtype=object)


def read_records(name: str, strip: bool = True) -> list[dict[str, str]]:
    """A headed data file as a list of {column: cell} dicts (`strip=False`: CSV cells as written, for
    UI strings whose separators carry their spaces)."""
    header, body = _records(name, strip)
    return [dict(zip(header, row)) for row in body]


def read_column(name: str, column: str) -> list[str]:
    """One column of a headed data file, empty cells left out."""
    return [row[column] for row in read_records(name) if row[column]]


@lru_cache(maxsize=None)
def read_lines(name: str) -> tuple[str, ...]:
    """A .txt data file: its entries, one per line, stripped."""
    if not name.endswith(".txt"):
        raise ValueError(f"{name}: not a word list (.txt)")
    return tuple(line.strip() for line in _content_lines(name))


MANIFEST = "manifest.csv"
_MANIFEST_COLUMNS = (("file", "file"), ("one_row_is", "one row is"), ("key", "key"), ("used_by", "used by"),
                     ("tested_by", "tested by"))


def manifest_markdown() -> str:
    """data/manifest.csv as the markdown table of data/README.md (file · one row is · key · used by ·
    tested by); tests/test_data_files.py checks that the README holds exactly this table."""
    def code_list(cell: str, joiner: str) -> str:
        return joiner.join(f"`{part}`" for part in cell.split("|") if part) or "—"

    lines = ["| " + " | ".join(title for _, title in _MANIFEST_COLUMNS) + " |",
             "|" + "|".join("---" for _ in _MANIFEST_COLUMNS) + "|"]
    for row in read_records(MANIFEST):
        cells = [f"`{row['file']}`", row["one_row_is"].replace("|", "\\|"), code_list(row["key"], " + "),
                 code_list(row["used_by"], ", "), code_list(row["tested_by"], ", ")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


TAXONOMIES = "taxonomies.csv"


def taxonomy(name: str) -> list[dict[str, str]]:
    """The values of one taxonomy of data/taxonomies.csv (figure categories, unit kinds, industry statuses,
    asset domains), in their reviewed order, each with its zh and en label and flags."""
    rows = [row for row in read_records(TAXONOMIES) if row["taxonomy"] == name]
    if not rows:
        raise KeyError(f"no taxonomy {name!r} in data/{TAXONOMIES}")
    return rows


def taxonomy_values(name: str, **flags: str) -> tuple[str, ...]:
    """The values of a taxonomy, in order; `flags` keep only the rows whose columns hold those values
    (`taxonomy_values('kind', comparable='yes')`)."""
    return tuple(row["value"] for row in taxonomy(name) if all(row[k] == v for k, v in flags.items()))
