"""Evidence: sentence around an offset, KWIC, escaped highlighting."""
from __future__ import annotations

import pandas as pd

from analytics.analysis.evidence import evidence_parts, highlight_html, kwic, sentence_around, unit_at

TEXT = "甲县总人口18.7万人。乙县森林覆盖率76%，全县有木耳基地。\n丙县招商引资。"
DOCS = pd.DataFrame({"doc_id": ["d1"], "clean_text": [TEXT]})
PASSAGES = pd.DataFrame({"doc_id": ["d1", "d1"], "unit": ["甲县", "乙县"], "start": [0, 12],
                         "end": [12, len(TEXT)]})


def test_sentence_around_a_span():
    start = TEXT.index("76%")
    a, b = sentence_around(TEXT, start, start + 3)
    assert TEXT[a:b] == "乙县森林覆盖率76%，全县有木耳基地。"
    assert evidence_parts(TEXT, start, start + 3) == ("乙县森林覆盖率", "76%", "，全县有木耳基地。")


def test_highlight_escapes_document_text():
    html = highlight_html("<script>x</script>", "76%", "&")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>76%</mark>" in html


def test_unit_at_offsets():
    assert unit_at(PASSAGES, "d1", 3) == "甲县"
    assert unit_at(PASSAGES, "d1", 14) == "乙县"
    assert unit_at(PASSAGES, "d2", 3) == ""


def test_kwic_finds_every_occurrence_with_its_unit():
    table = kwic(DOCS, PASSAGES, "县", width=3)
    assert len(table) == TEXT.count("县")
    first = table.iloc[0]
    assert (first["unit"], first["match"], first["right"]) == ("甲县", "县", "总人口")
    for row in table.itertuples():
        assert TEXT[row.start:row.end] == row.match
    assert set(kwic(DOCS, PASSAGES, "县", units=["乙县"])["unit"]) == {"乙县"}
    assert kwic(DOCS, PASSAGES, "  ").empty
