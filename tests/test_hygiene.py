"""Hygiene: shingles, MinHash signatures, the LSH near-duplicate search and the corpus-statistics rule."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.pipeline.hygiene import (
    NEAR_DUPLICATE_JACCARD,
    build_index,
    counted_tables,
    find_near_duplicate,
    near_duplicates,
    shingles,
    signature_bytes,
    signature_from_bytes,
    signature_jaccard,
    text_signature,
)
from tests.conftest import seed_text


def true_jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def test_shingles_ignore_whitespace_and_keep_short_texts():
    assert shingles("岚县 发展\n好") == {"岚县发展好"}
    assert shingles("一二三四五六") == {"一二三四五", "二三四五六"}
    assert shingles("   ") == set()


def test_signature_round_trips_and_estimates_jaccard():
    text = seed_text("002")
    signature = text_signature(text)
    assert signature.dtype == np.uint64 and len(signature) == 128
    assert np.array_equal(signature_from_bytes(signature_bytes(signature)), signature)
    assert signature_jaccard(signature, text_signature(text.replace("\n", "\n\n"))) == 1.0
    reprint = "来源：新华网\n" + text[: len(text) * 9 // 10]
    estimate = signature_jaccard(signature, text_signature(reprint))
    assert abs(estimate - true_jaccard(text, reprint)) < 0.1 and estimate >= NEAR_DUPLICATE_JACCARD
    assert signature_jaccard(signature, text_signature(seed_text("004"))) < 0.2


def test_index_finds_reprints_among_many_and_prefers_the_first_copy():
    rng = np.random.default_rng(0)
    signatures = {f"noise{i}": rng.integers(0, 2**32, 128, dtype=np.uint64) for i in range(2000)}
    text = seed_text("004")
    signatures["first"] = text_signature(text)
    signatures["second"] = text_signature(text + "。")
    order = {key: i for i, key in enumerate(signatures)}
    index = build_index(signatures)
    # Cut until the true Jaccard is just above the threshold: LSH must still surface the pair.
    cut = next(n for n in range(len(text), 0, -10) if true_jaccard(text, text[:n]) < 0.84)
    found = find_near_duplicate(index, signatures, text_signature(text[:cut]), order)
    assert found is not None and found[0] == "first"
    assert find_near_duplicate(index, signatures, text_signature(seed_text("002")), order) is None


def test_counted_tables_leave_out_flagged_documents_only():
    documents = pd.DataFrame({"doc_id": ["a", "b"], "file_name": ["a.txt", "b.txt"], "title": ["A", "B"],
                              "near_duplicate_of": ["", "a"]})
    passages = pd.DataFrame({"doc_id": ["a", "b"], "unit": ["岚县", "岚县"], "text": ["x", "x"]})
    figures = pd.DataFrame({"doc_id": ["a", "b"], "value": [1.0, 1.0]})
    tables = {"documents": documents, "passages": passages, "passage_tokens": passages, "figures": figures}
    themes = pd.DataFrame({"unit": ["岚县"], "hits": [3]})  # corpus-wide: no doc_id, passed through
    filtered = counted_tables({**tables, "themes": themes})
    assert filtered["passages"]["doc_id"].tolist() == ["a"] and filtered["passage_tokens"]["doc_id"].tolist() == ["a"]
    assert filtered["figures"]["doc_id"].tolist() == ["a"] and filtered["documents"]["doc_id"].tolist() == ["a"]
    assert filtered["themes"] is themes
    assert len(tables["figures"]) == 2  # the evidence tables themselves are untouched
    listed = near_duplicates(documents)
    assert listed[["doc_id", "near_duplicate_of", "original_title"]].values.tolist() == [["b", "a", "A"]]


def test_a_signature_of_a_huge_text_stays_in_bounded_memory():
    import resource

    from analytics.pipeline.hygiene import text_signature

    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1_500_000))  # one line, 1.5M shingles
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    signature = text_signature(text)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(signature) == 128 and grown_mb < 600, f"{grown_mb:.0f} MB"
    assert (text_signature(text) == signature).all()  # chunks give the same signature every time
