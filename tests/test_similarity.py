"""Similarity: TF-IDF cosine, sparse top-k, clustering order, shared and distinctive terms."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.analysis.similarity import (
    cluster_order,
    distinctive_terms,
    fit_model,
    neighbours,
    pair_similarity,
    shared_terms,
    similarity_matrix,
    transform,
)


def tokens_table(bags: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"passage_id": range(len(bags)), "doc_id": [f"d{i}" for i in range(len(bags))],
                         "unit": list(bags), "tokens": list(bags.values())})


BAGS = tokens_table({
    "甲县": "森林 旅游 康养 森林 生态",
    "乙县": "森林 旅游 康养 生态 木耳",
    "丙县": "煤炭 焦化 钢铁 煤炭 园区",
    "丁县": "煤炭 焦化 园区 招商",
})


def test_similar_vocabularies_are_nearest():
    sims = pair_similarity(fit_model(BAGS))
    assert neighbours(sims, "甲县", 1)["b"].tolist() == ["乙县"]
    assert neighbours(sims, "丙县", 1)["b"].tolist() == ["丁县"]
    cos = similarity_matrix(sims, ["甲县", "乙县", "丙县"])
    assert cos.loc["甲县", "丙县"] == pytest.approx(0.0)
    assert 0 < cos.loc["甲县", "乙县"] < 1
    assert np.allclose(cos.to_numpy(), cos.to_numpy().T)


def test_top_k_keeps_each_rows_best_pairs_only():
    sims = pair_similarity(fit_model(BAGS), top_k=1)
    assert sims.groupby("a").size().max() == 1
    assert set(sims["a"]) == set(BAGS["unit"])


def test_cluster_order_puts_alike_units_together():
    sims = pair_similarity(fit_model(BAGS))
    order, clusters = cluster_order(sims, ["甲县", "丙县", "乙县", "丁县"])
    position = {unit: i for i, unit in enumerate(order)}
    assert abs(position["甲县"] - position["乙县"]) == 1
    assert abs(position["丙县"] - position["丁县"]) == 1
    assert clusters[order.index("甲县")] == clusters[order.index("乙县")] != clusters[order.index("丙县")]


def test_shared_terms_sum_to_the_cosine():
    model = fit_model(BAGS)
    shared = shared_terms(model, "甲县", "乙县", top_n=50)
    cos = similarity_matrix(pair_similarity(model), ["甲县", "乙县"]).loc["甲县", "乙县"]
    assert set(shared["term"]) == {"森林", "旅游", "康养", "生态"}
    assert shared["contribution"].sum() == pytest.approx(cos)


def test_transform_places_a_new_text_near_its_kind():
    model = fit_model(BAGS)
    vector = transform(model, "煤炭 焦化 钢铁")
    scores = (model.matrix @ vector.T).toarray().ravel()
    assert model.keys[int(scores.argmax())] == "丙县"


def test_distinctive_terms_for_more_than_two_units():
    table = distinctive_terms(BAGS, min_count=1)
    top = table.sort_values("score", ascending=False).groupby("unit")["term"].first()
    assert top["丙县"] == "煤炭" and top["甲县"] == "森林"
    assert set(table["unit"]) == {"甲县", "乙县", "丙县", "丁县"}
    assert (table["score"] > 0).all()


def test_distinctive_terms_respect_the_selection():
    table = distinctive_terms(BAGS, units=["甲县", "丙县"], min_count=1)
    assert set(table["unit"]) == {"甲县", "丙县"}


def test_update_counts_equals_counting_the_whole_corpus():
    from analytics.analysis.similarity import level_counts, update_counts

    before = BAGS.iloc[:3]
    after = pd.concat([BAGS, tokens_table({"戊县": "新词 煤炭 旅游"}).assign(passage_id=9, doc_id="d9")])
    after = after[after["unit"] != "乙县"]  # one unit gone (its only term 木耳 with it), one new
    updated = update_counts(level_counts(before, "unit"), after, {"乙县", "丁县", "戊县"})
    full = level_counts(after, "unit")
    assert updated.keys == full.keys and list(updated.vocab) == list(full.vocab)
    assert (updated.counts != full.counts).nnz == 0
    assert (updated.tfidf() != full.tfidf()).nnz == 0


def test_update_pairs_recomputes_affected_rows_and_lets_them_into_others_top_k(monkeypatch):
    from analytics.analysis import similarity
    from analytics.analysis.similarity import _pairs, level_counts, update_pairs

    monkeypatch.setattr(similarity, "ALL_PAIRS_UP_TO", 3)  # 30 keys take the top-k path

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    bags = {f"u{i:02d}": " ".join(rng.choice(words, 12)) for i in range(30)}
    old = level_counts(tokens_table(bags), "unit")
    previous = _pairs("unit", old.keys, old.tfidf(), top_k=4)
    bags["u03"] = bags["u07"]  # u03 now equals u07: it must enter u07's list
    del bags["u11"]
    new = level_counts(tokens_table(bags), "unit")
    table, recomputed = update_pairs("unit", new.keys, new.tfidf(), previous, {"u03", "u11"}, top_k=4)
    exact = _pairs("unit", new.keys, new.tfidf(), top_k=4)
    assert 2 <= recomputed < len(new.keys)
    assert "u11" not in set(table["a"]) | set(table["b"])
    assert (table.groupby("a").size() == 4).all() and len(table) == len(exact)
    assert neighbours(table, "u07", 1)["b"].tolist() == ["u03"]
    mine = table[table["a"] == "u03"].sort_values("b").reset_index(drop=True)
    full = exact[exact["a"] == "u03"].sort_values("b").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, full)
