"""The term-quality evaluation (analytics.evaluate.terms): its annotated texts and its scoring."""
from __future__ import annotations

from analytics.evaluate.terms import TERM_TEXTS, read_expected, score_top_terms, term_quality


def test_the_annotation_holds_for_its_texts():
    expected = read_expected()
    assert len(expected) == 12 and expected["unit"].nunique() == 12
    for row in expected.itertuples():
        text = (TERM_TEXTS / row.file).read_text(encoding="utf-8")
        assert 8 <= len(row.content_terms) <= 12 and 8 <= len(row.noise_terms) <= 12, row.file
        assert not row.content_terms & row.noise_terms, row.file
        assert all(text.count(term) >= 2 for term in row.content_terms), row.file
        assert all(text.count(term) >= 3 for term in row.noise_terms), row.file


def test_numerals_count_as_noise_even_unlisted():
    noise, content = score_top_terms(["脐橙", "2023", "十九", "亿元", "稀土", "12.5%"], {"脐橙", "稀土"}, {"亿元"})
    assert noise == ["2023", "十九", "亿元", "12.5%"] and content == ["脐橙", "稀土"]


def test_term_quality_scores_every_text_by_its_own_top_terms():
    table = term_quality(n=10)
    assert len(table) == 12 and (table["top"].map(len) == 10).all()
    for row in table.itertuples():
        assert row.n_noise == len(row.noise) and set(row.noise) <= set(row.top)
        assert set(row.content) <= set(row.top)
