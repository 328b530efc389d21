"""The engine: raw documents -> per-document tables -> corpus-wide tables. Every caller runs these.

Two functions do all the analysis, for the store, the build and export commands, the dashboard, the
report and the benchmark alike:

* `analyse_documents(documents, catalog)` — ingested documents (raw text) -> every per-document table
  (REGISTRY scope 'document'): clean text, units and passages, tokens, figures, industries, assets, and
  the document row with its catalog fields. A document's rows never depend on the other documents of
  the batch, so analysing one at a time or a thousand together gives the same rows (tested);
  `analyse_many` runs batches of them in a process pool and isolates a failing document.
* `corpus_tables(per_document, previous)` — the per-document tables of a corpus -> the corpus-wide
  ones (merged units, themes, similarity, distinctive terms), computed on the *counted* documents
  only (near-duplicates left out, analytics.pipeline.hygiene), and incrementally when given the
  previous result (see `_refresh`).

analytics.corpus.fingerprint.analysis_fingerprint() names the code and data that analysed a document: the
store records it with every document, and the library re-analyses documents analysed by another one.
`corpus_fingerprint()` adds analytics/analysis, which makes the corpus-wide tables: it keys their cache and
the incremental state, so a change there recomputes those tables and re-analyses no document.
"""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterator

import pandas as pd

from analytics.corpus.fingerprint import corpus_fingerprint
from analytics.pipeline import hygiene
from analytics.pipeline.catalog import describe_documents
from analytics.registry import CORPUS_WIDE, PER_DOCUMENT, REPORT_KEYS, TABLES, empty_table, typed

# The stages are imported where they run (measured `import` cost: clean 0.76 s with OpenCC, units 0.71 s,
# figures 0.65 s; similarity 2.3 s with scikit-learn): an unchanged build is served from its cache, and the
# store's `list`, `remove` and an unchanged corpus load without paying for them.
POOL_FROM = 40  # below this many documents a process pool costs more than it saves
BATCH = 16  # documents analysed together in one worker call (the stages are vectorised over a batch)
REFIT_SHARE = 0.10  # refit a level's pair table in full once this share of its keys changed since the last

# ---------------------------------------------------------------- one document's tables


def clean_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """documents (doc_id, file_name, ..., raw_text) -> + clean_text, boilerplate, script, report counts."""
    from analytics.pipeline.clean import clean_document

    rows = []
    for doc in documents.itertuples(index=False):
        result = clean_document(doc.raw_text)
        rows.append({"doc_id": doc.doc_id, "clean_text": result.text, "boilerplate": result.boilerplate,
                     "script": result.script, "n_chars": len(result.text),
                     **{key: int(result.report.get(key, 0)) for key in REPORT_KEYS}})
    cleaned = pd.DataFrame(rows, columns=["doc_id", "clean_text", "boilerplate", "script", "n_chars",
                                          *REPORT_KEYS])
    return documents.drop(columns=["raw_text"]).merge(cleaned, on="doc_id", how="left")


def analyse_documents(documents: pd.DataFrame, catalog: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Ingested documents (analytics.pipeline.ingest: doc_id, file_name, source, format, encoding,
    raw_text) -> every per-document table, typed as the registry says.

    `catalog` (indexed by file_name: title, place, outlet, date) overrides what is read off the text.
    """
    from analytics.features.assets import extract_assets
    from analytics.features.figures import extract_figures
    from analytics.features.industries import extract_industries
    from analytics.pipeline.gazetteer import load_gazetteer
    from analytics.pipeline.tokens import passage_tokens
    from analytics.pipeline.units import locate_units, unit_shares

    cleaned = clean_documents(documents)
    given = catalog["place"] if catalog is not None and "place" in catalog else None
    located = cleaned.assign(given_place=cleaned["file_name"].map(given).fillna("")) if given is not None else cleaned
    units, passages, mentions = locate_units(located, load_gazetteer())
    described = describe_documents(cleaned, catalog)
    if len(passages):  # a place no catalog names: the unit with most of the document's passage text
        main = unit_shares(passages).drop_duplicates("doc_id").set_index("doc_id")["unit"]
        inferred = described["doc_id"].map(main).fillna("")
        described["place"] = described["place"].where(described["place"] != "", inferred)
    figures = extract_figures(passages, dict(zip(described["doc_id"], described["date"])), mentions, units)
    figures = figures.assign(low_confidence=_low_confidence(figures, cleaned))
    tables = {
        "documents": described[TABLES["documents"]],
        # one row per document x unit (its doc_id last, as the store serves it); merge_units merges them
        "units": document_units(units, passages, cleaned["doc_id"].tolist(), figures, mentions),
        "passages": passages,
        "passage_tokens": passage_tokens(passages),
        "figures": figures,
        "industries": extract_industries(passages),
        "assets": extract_assets(passages),
    }
    return {name: typed(table.reset_index(drop=True), name) for name, table in tables.items()}


def _low_confidence(figures: pd.DataFrame, cleaned: pd.DataFrame) -> list[bool]:
    """Each figure's flag: it stands in a paragraph OCR read with low confidence."""
    from analytics.pipeline.catalog import document_meta, low_confidence_spans

    if "meta" not in cleaned or not len(figures):
        return [False] * len(figures)
    spans = {doc_id: low_confidence_spans(text, document_meta(meta))
             for doc_id, text, meta in zip(cleaned["doc_id"], cleaned["clean_text"], cleaned["meta"])
             if "low_confidence" in str(meta)}
    return [any(a <= start < b for a, b in spans.get(doc_id, ()))
            for doc_id, start in zip(figures["doc_id"], figures["start"])]


def analyse_document(file_name: str, data: bytes, source: str = "upload",
                     catalog: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Raw bytes of one file -> every per-document table (raises IngestError for a file that is no
    document)."""
    from analytics.pipeline.ingest import read_document

    return analyse_documents(pd.DataFrame([read_document(file_name, data, source)]), catalog)


def split_by_document(tables: dict[str, pd.DataFrame], doc_ids: list[str]) -> list[dict[str, pd.DataFrame]]:
    """Batch tables -> one dict of tables per doc_id."""
    groups = {name: dict(tuple(tables[name].groupby("doc_id", sort=False))) for name in PER_DOCUMENT}
    return [{name: (groups[name][doc_id].reset_index(drop=True) if doc_id in groups[name]
                    else tables[name].iloc[0:0].reset_index(drop=True)) for name in PER_DOCUMENT}
            for doc_id in doc_ids]


def document_units(units: pd.DataFrame, passages: pd.DataFrame, doc_ids: list[str],
                   figures: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """A batch's units table (one row per unit) -> one row per document x unit its passages name, with
    that document's own passage and character counts; documents in `doc_ids` order, units in the units
    table's order. A unit that only its figures name (甲县81.2%、乙县79.6% in a prefecture's report) is a
    unit of the document too, with no passage (n_passages = n_chars = 0), described from its mention.
    One grouping for the whole batch (a loop over documents cost 70 ms each)."""
    sizes = (passages.assign(n=(passages["end"] - passages["start"]).astype("int64"))
             .groupby(["doc_id", "unit"], sort=False).agg(n_passages=("passage_id", "size"), n_chars=("n", "sum"))
             .reset_index())
    table = sizes.merge(units.drop(columns=["n_passages", "n_chars"]), on="unit", how="inner")
    if figures is not None and mentions is not None and len(figures):
        have = set(zip(table["doc_id"], table["unit"]))
        wanted = figures[["doc_id", "unit"]].drop_duplicates()
        wanted = wanted[[pair not in have for pair in zip(wanted["doc_id"], wanted["unit"])]]
        if len(wanted):
            described = mentions.drop(columns=["start", "end"]).drop_duplicates(["doc_id", "unit"])
            extra = wanted.merge(described, on=["doc_id", "unit"], how="inner").assign(n_passages=0, n_chars=0)
            table = pd.concat([table, extra[table.columns]], ignore_index=True)
    order = list(dict.fromkeys([*units["unit"], *table["unit"]]))  # units found by figures only come last
    table["_doc"] = table["doc_id"].map({d: i for i, d in enumerate(doc_ids)})
    table["_unit"] = table["unit"].map({u: i for i, u in enumerate(order)})
    table = table.sort_values(["_doc", "_unit"], kind="stable")
    return typed(table[[*TABLES["units"], "doc_id"]].reset_index(drop=True), "units")


def _analyse_batch(batch: tuple) -> list:
    """One worker call: a batch analysed together and split per document, each document's tables passed
    through `finish` when given; a failing batch is retried one document at a time so that only the
    failing document is lost (picklable for a pool)."""
    documents, catalog, finish = batch
    try:
        tables = split_by_document(analyse_documents(documents, catalog), documents["doc_id"].tolist())
        return [finish(t) for t in tables] if finish else tables
    except Exception:  # noqa: BLE001 - find the one document that breaks a stage
        if len(documents) == 1:
            import traceback

            error = traceback.format_exc(limit=1).strip().splitlines()[-1]
            return [f"could not be analysed: {error} (分析失败)"]
        return [result for i in range(len(documents))
                for result in _analyse_batch((documents.iloc[[i]], catalog, finish))]


def analyse_many(documents: pd.DataFrame, catalog: pd.DataFrame | None = None, workers: int | None = None,
                 finish: Callable | None = None) -> Iterator:
    """analyse_documents over many ingested documents, yielding one result per document in order: its
    tables (or `finish(tables)`, run where the document was analysed: a module-level function, for the
    pool), or the one-line reason it could not be analysed. A process pool for large inputs."""
    workers = workers or min(os.cpu_count() or 1, 8)
    batches = [(documents.iloc[i:i + BATCH], catalog, finish) for i in range(0, len(documents), BATCH)]
    if len(documents) < POOL_FROM or workers < 2:
        for batch in batches:
            yield from _analyse_batch(batch)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for results in pool.map(_analyse_batch, batches):
            yield from results


# ---------------------------------------------------------------- the corpus-wide tables


def merge_units(units: pd.DataFrame) -> pd.DataFrame:
    """One row per unit across documents: passages and characters summed, aliases united."""
    if units.empty:
        return empty_table("units")
    first = units.groupby("unit", sort=True).first()
    sums = units.groupby("unit", sort=True)[["n_passages", "n_chars"]].sum()
    aliases = units.groupby("unit", sort=True)["aliases"].agg(
        lambda values: "|".join(sorted({a for v in values if isinstance(v, str) for a in v.split("|") if a})))
    merged = first.assign(n_passages=sums["n_passages"], n_chars=sums["n_chars"], aliases=aliases)
    return typed(merged.reset_index()[TABLES["units"]], "units")


@dataclass
class CorpusState:
    """What an incremental update needs from the previous result: its tables, term counts and state."""

    tables: dict[str, pd.DataFrame]
    counts: dict = field(default_factory=dict)  # level -> analytics.analysis.similarity.LevelCounts
    state: dict = field(default_factory=dict)  # code, docs (doc_id -> flag), units_of, revisions, refit


def corpus_tables(per_document: dict[str, pd.DataFrame], previous: CorpusState | None = None) -> CorpusState:
    """Per-document tables of a corpus -> the corpus-wide tables (CORPUS_WIDE), on the counted documents.

    `per_document['documents']` carries `near_duplicate_of` ('' when the document is an original):
    flagged documents are left out of every count (analytics.pipeline.hygiene.counted_tables). With
    `previous` (the CorpusState of an earlier call, same code), only what the added or removed
    documents touch is recomputed (`_refresh`); otherwise, or when that cannot be done, everything.
    """
    counted = hygiene.counted_tables(per_document)
    documents = per_document["documents"]
    flags = documents["near_duplicate_of"].fillna("") if "near_duplicate_of" in documents else [""] * len(documents)
    units = counted["units"]
    units_of: dict[str, list[str]] = {}
    if "doc_id" in units:
        for doc_id, unit in zip(units["doc_id"], units["unit"]):
            units_of.setdefault(doc_id, []).append(unit)
    revisions = documents["revision"].fillna(0).astype(int) if "revision" in documents else [0] * len(documents)
    state = {"code": corpus_fingerprint(), "docs": dict(zip(documents["doc_id"], flags)), "units_of": units_of,
             "revisions": {d: int(r) for d, r in zip(documents["doc_id"], revisions) if r}}
    if previous is not None and previous.state.get("code") == state["code"]:
        refreshed = _refresh(counted, previous, state)
        if refreshed is not None:
            return refreshed
    return _full(counted, state)


def _full(counted: dict[str, pd.DataFrame], state: dict) -> CorpusState:
    from analytics.analysis.similarity import similarity_tables
    from analytics.features.themes import theme_shares

    counts: dict = {}
    tables = {"units": merge_units(counted["units"]), "themes": theme_shares(counted["passages"])}
    tables["similarity"], tables["distinctive_terms"] = similarity_tables(counted["passage_tokens"], counts)
    state["refit"] = {level: {"keys_at_fit": len(c.keys), "changed": 0} for level, c in counts.items()}
    return CorpusState({name: typed(tables[name], name) for name in CORPUS_WIDE}, counts, state)


def _replace_rows(previous: pd.DataFrame, fresh: pd.DataFrame, affected: set[str], by: str) -> pd.DataFrame:
    """previous without the rows of `affected` values of `by`, plus `fresh`, in `by` order (stable)."""
    kept = previous[~previous[by].astype(str).isin(affected)]
    table = pd.concat([kept, fresh], ignore_index=True) if len(fresh) else kept.reset_index(drop=True)
    return table.sort_values(by, kind="stable", ignore_index=True)


def _refresh(counted: dict[str, pd.DataFrame], previous: CorpusState, state: dict) -> CorpusState | None:
    """The previous corpus-wide tables updated for the documents added, removed or re-flagged since.

    * merged units and themes are per unit: the affected units' rows are recomputed — exact;
    * term counts per unit and per document are recounted for the affected keys only, so the TF-IDF
      rows (idf included) are exact too; distinctive terms are recomputed for every unit — exact;
    * similarity (top-k rows): the affected rows are recomputed against all rows; another row's list
      takes in an affected key only when it beats its k-th. Other rows keep the idf of when they were
      computed (drift ~1/N); once REFIT_SHARE of a level's keys changed since its last full fit, the
      level is recomputed in full. Small corpora (every pair kept) are always exact.
    Returns None when no update can be made (a level without counts): the caller recomputes all.
    """
    from analytics.analysis.similarity import LEVELS, _pairs, unit_distinctive, update_counts, update_pairs
    from analytics.features.themes import theme_shares

    old = previous.state
    old_docs, new_docs = old.get("docs", {}), state["docs"]
    changed = set(old_docs) ^ set(new_docs)
    changed |= {d for d in set(old_docs) & set(new_docs) if bool(old_docs[d]) != bool(new_docs[d])}
    # a document analysed again (a user's correction) may have moved between units: its old ones and new ones
    old_revisions, new_revisions = old.get("revisions", {}), state.get("revisions", {})
    changed |= {d for d in set(old_docs) & set(new_docs) if old_revisions.get(d, 0) != new_revisions.get(d, 0)}
    affected_units = {u for d in changed for u in [*old.get("units_of", {}).get(d, []),
                                                   *state["units_of"].get(d, [])]}
    keys_of = {"unit": {str(u) for u in affected_units}, "document": {str(d) for d in changed}}
    if any(level not in previous.counts for level in old.get("refit", {})):
        return None
    units, passages, tokens = counted["units"], counted["passages"], counted["passage_tokens"]
    tables = {
        "units": _replace_rows(previous.tables["units"], merge_units(units[units["unit"].isin(affected_units)]),
                               affected_units, "unit"),
        "themes": _replace_rows(previous.tables["themes"],
                                theme_shares(passages[passages["unit"].isin(affected_units)]), affected_units, "unit"),
    }
    counts, frames, refit = {}, [], {}
    for level, column in LEVELS.items():
        if tokens[column].nunique() < 2:
            continue
        if level not in previous.counts:
            return None  # a level that had fewer than two keys: simplest to start over
        counts[level] = update_counts(previous.counts[level], tokens, keys_of[level])
        record = dict(old["refit"][level])
        record["changed"] += len(keys_of[level])
        matrix = counts[level].tfidf()
        similarity = previous.tables["similarity"]
        if record["changed"] > REFIT_SHARE * max(record["keys_at_fit"], 1):
            frames.append(_pairs(level, counts[level].keys, matrix))
            record = {"keys_at_fit": len(counts[level].keys), "changed": 0}
        else:
            table, recomputed = update_pairs(level, counts[level].keys, matrix,
                                             similarity[similarity["level"] == level], keys_of[level])
            frames.append(table)
            if recomputed == len(counts[level].keys):  # a small corpus: every pair recomputed, exact
                record = {"keys_at_fit": len(counts[level].keys), "changed": 0}
        refit[level] = record
    state["refit"] = refit
    tables["similarity"] = pd.concat(frames, ignore_index=True) if frames else empty_table("similarity")
    tables["distinctive_terms"] = (unit_distinctive(counts["unit"]) if "unit" in counts
                                   else empty_table("distinctive_terms"))
    return CorpusState({name: typed(tables[name], name) for name in CORPUS_WIDE}, counts, state)
