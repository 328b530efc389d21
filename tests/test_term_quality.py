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


def test_top_terms_of_realistic_texts_carry_content():
    """Measured on texts nobody tuned the rules on: before part-of-speech filtering and keyness, 53 of the
    120 top-ten places were measures, numerals, time words or report verbs, and 25 listed content terms."""
    from analytics.pipeline.tokens import measure_tokens

    table = term_quality()
    assert table["n_noise"].sum() <= 8, table[["file", "noise"]].to_string()
    assert table["n_content"].sum() >= 45
    for row in table.itertuples():
        assert not set(row.top) & measure_tokens(), row.file  # no measure ever
        assert not [t for t in row.top if t[0].isdigit()], row.file


def test_keyness_puts_what_is_rare_in_the_language_above_what_is_merely_frequent():
    import pandas as pd

    from analytics.analysis.terms import keyness, top_terms

    scores = keyness(pd.Series({"产业": 6, "脐橙": 4}))
    assert scores["脐橙"] > scores["产业"] > 0  # more often here, but 产业 is common everywhere
    bag = pd.DataFrame({"passage_id": ["p1"], "doc_id": ["d"], "unit": ["甲县"],
                        "tokens": [" ".join(["产业"] * 6 + ["脐橙"] * 4 + ["茯苓"])]})
    top = top_terms(bag, ["甲县"], n=3, exclude=frozenset())
    assert top["term"].tolist() == ["脐橙", "产业", "茯苓"]  # 茯苓 once: after every term seen twice
