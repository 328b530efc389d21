"""A comparison of units -> a PowerPoint deck (deck.py) or a standalone HTML report (html.py), and the
command line's entry that writes either (`python -m analytics report`)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from analytics.corpus.corpus import Corpus, load_corpus
from analytics.export.outputs import check_output, write_output
from analytics.report.deck import build_deck, deck_font  # noqa: F401 (the package's face)
from analytics.report.html import build_html_report
from analytics.views.compare import Progress

FORMATS = ("pptx", "html")

def parse_units(units: str | Sequence[str]) -> list[str]:
    """'沁源县,岚县，柞水县' (ASCII or full-width commas) or a list -> unit names."""
    if isinstance(units, str):
        units = re.split(r"[,，、]", units)
    return [u.strip() for u in units if u and u.strip()]


def write_report(units: str | Sequence[str], fmt: str, out_path: str | Path, lang: str = "zh",
                 progress: Progress = None, corpus: Corpus | None = None, force: bool = False,
                 protected: set[Path] | None = None) -> Path:
    """Build the deck ('pptx') or the HTML report ('html') for `units` from the built corpus and write it.

    Backs `python -m analytics report --units 沁源县,岚县,柞水县 --format pptx --out 对比.pptx`.
    Raises ValueError for an unknown format or unit (the message lists the known units), OutputError for
    an output that may not be written (the store's own files in `protected`, an existing file without
    `force`, a folder); the output path is checked before the report is built.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    check_output(Path(out_path), force, protected)
    corpus = corpus or load_corpus()
    build = build_deck if fmt == "pptx" else build_html_report
    data = build(corpus, parse_units(units), lang, progress)
    return write_output(Path(out_path), data, force, protected)
