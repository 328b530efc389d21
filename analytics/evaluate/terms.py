"""Do a unit's top terms carry content? Measured on realistic county texts, not on the seeds.

`python -m analytics.evaluate --terms` reads tests/evaluation/term_texts/ (twelve original texts in the forms of
county work reports, statistical communiqués, news and profiles, written by a helper who saw neither the code
nor the term lists) and its `expected.csv`: per file, the content terms an analyst wants at the top of the
text's list and the noise terms (measures, numerals, time words, report formulae, generic verbs) that occur
often and say nothing. Each text's top ten terms are ranked as the Themes page ranks them
(analysis.terms.top_terms: frequency, place names and the generic words left out), per document so that a
misattributed passage does not blur the measure. Reported: how many of the top ten are noise (a numeral or
measure counts as noise even when the annotator did not list it) and how many are listed content terms.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analytics import paths
from analytics.analysis.terms import top_terms

TERM_TEXTS = paths.ROOT / "tests" / "evaluation" / "term_texts"
TOP_N = 10
# A numeral or a number with its sign: noise in any term list whatever the annotation says.
_NUMERAL = re.compile(r"^[\d.,%％]+$|^[零〇一二三四五六七八九十百千万亿两]+$")


def read_expected(folder: Path = TERM_TEXTS) -> pd.DataFrame:
    """expected.csv: file, unit, content_terms and noise_terms as sets."""
    table = pd.read_csv(folder / "expected.csv", dtype=str)
    return table.assign(content_terms=table["content_terms"].map(lambda s: set(s.split("|"))),
                        noise_terms=table["noise_terms"].map(lambda s: set(s.split("|"))))


def score_top_terms(top: list[str], content: set[str], noise: set[str]) -> tuple[list[str], list[str]]:
    """(noise terms, content terms) among `top`."""
    return ([term for term in top if term in noise or _NUMERAL.match(term)],
            [term for term in top if term in content])


def term_quality(folder: Path = TERM_TEXTS, n: int = TOP_N) -> pd.DataFrame:
    """One row per text: file, top (its n top terms), noise, content (lists), n_noise, n_content."""
    from analytics.corpus.engine import analyse_documents
    from analytics.pipeline.ingest import read_document

    expected = read_expected(folder)
    documents = pd.DataFrame([read_document(name, (folder / name).read_bytes(), "evaluation")
                              for name in expected["file"]])
    tokens = analyse_documents(documents)["passage_tokens"]
    rows = []
    for row, doc_id in zip(expected.itertuples(), documents["doc_id"]):
        # each document as its own "unit": the ranking of top_terms, without attribution in the way
        own = tokens[tokens["doc_id"] == doc_id].assign(unit=row.file)
        top = top_terms(own, [row.file], n=n)["term"].tolist()
        noise, content = score_top_terms(top, row.content_terms, row.noise_terms)
        rows.append({"file": row.file, "top": top, "noise": noise, "content": content,
                     "n_noise": len(noise), "n_content": len(content)})
    return pd.DataFrame(rows)


def print_term_quality(folder: Path = TERM_TEXTS) -> int:
    table = term_quality(folder)
    for row in table.itertuples():
        print(f"{row.file:<26} noise {row.n_noise:>2}  content {row.n_content:>2}  top: {' '.join(row.top)}")
    total = TOP_N * len(table)
    print(f"noise in the top {TOP_N}: {table['n_noise'].sum()} / {total}; "
          f"listed content terms in the top {TOP_N}: {table['n_content'].sum()} / {total}")
    return 0
