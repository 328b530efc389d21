"""A loaded corpus: the evidence tables (every document) and the counted tables (near-duplicates left out).

Views read two explicit sets. `counted` is what anything is counted or compared on — term counts,
themes, similarity, distinctive terms, the network, KWIC counts, key figures, industry marks — so a
reprint of a document changes no number. `evidence` holds every document's rows, for reading and
citing (the Figures page, the Library, the sentence behind a number). The corpus-wide tables are the
same in both: the engine computes them on the counted documents.

>>> corpus = load_corpus()                          # doctest: +SKIP
>>> corpus.counted["figures"], corpus.evidence["documents"]  # doctest: +SKIP
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from analytics.pipeline.hygiene import counted_tables
from analytics.resources import taxonomy_values

# The similarity model (2.3 s to import scikit-learn), the network and the units matcher (0.6-0.7 s each)
# are imported where a view first needs them, not when the corpus is loaded.

# Kinds of unit compared side by side by default (provinces and unknown places are context): data.
COMPARABLE_KINDS = taxonomy_values("kind", comparable="yes")


@dataclass
class Corpus:
    """Every table of one corpus snapshot, with the lookups views need."""

    evidence: dict[str, pd.DataFrame]
    rejections: list = field(default_factory=list)
    # Results that cost more than a rerun should (a fitted TF-IDF model, a network layout), kept with the
    # snapshot they were computed on: a corpus shared by every session computes each once.
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _pending: dict = field(default_factory=dict, repr=False)  # key -> Future of a computation under way
    MEMO_ENTRIES = 128

    def memo(self, key: tuple, compute):
        """compute(), or its earlier result for the same key on this snapshot (least recently used kept).
        Sessions asking for the same key at once wait for the one computing it rather than each computing
        it again (twenty analysts opening one page after a start would otherwise compute it twenty times)."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            pending = self._pending.get(key)
            computing = pending is None
            if computing:
                pending = self._pending[key] = Future()
        if not computing:
            return pending.result()
        try:
            value = compute()
        except BaseException as error:
            with self._memo_lock:
                del self._pending[key]
            pending.set_exception(error)
            raise
        with self._memo_lock:
            self._memo[key] = value
            del self._pending[key]
            while len(self._memo) > self.MEMO_ENTRIES:
                self._memo.popitem(last=False)
        pending.set_result(value)
        return value

    def tfidf_model(self, level: str):
        """The TF-IDF model of a similarity level ('unit' | 'document'), fitted on the counted tokens."""
        from analytics.analysis.similarity import fit_model

        return self.memo(("tfidf", level), lambda: fit_model(self.counted["passage_tokens"], level))

    def network(self, units: tuple[str, ...], exclude: frozenset[str] | None = None,
                min_frequency: int | None = None, min_weight: int | None = None):
        """The co-occurrence network (nodes, edges) of the units' counted passages, without place names
        and the generic words `exclude` (default: the reviewed list), thresholds as given (default: the
        network's). Memoised on everything that changes it."""
        from analytics.analysis import network
        from analytics.analysis.terms import generic_terms

        exclude = generic_terms() if exclude is None else frozenset(exclude)
        min_frequency = network.MIN_TERM_FREQUENCY if min_frequency is None else int(min_frequency)
        min_weight = network.MIN_COOCCURRENCE if min_weight is None else int(min_weight)
        passages = self.counted["passages"]
        return self.memo(("network", tuple(units), exclude, min_frequency, min_weight),
                         lambda: network.cooccurrence_network(passages[passages["unit"].isin(units)],
                                                              min_weight=min_weight, min_frequency=min_frequency,
                                                              exclude=exclude))

    @cached_property
    def counted(self) -> dict[str, pd.DataFrame]:
        return counted_tables(self.evidence)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The counted tables: what views compare and count on."""
        return self.counted

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.counted[name]

    @cached_property
    def _texts(self) -> dict[str, str]:
        docs = self.evidence["documents"]
        return dict(zip(docs["doc_id"], docs["clean_text"]))

    @cached_property
    def _titles(self) -> dict[str, str]:
        docs = self.evidence["documents"]
        return {d: (title or name) for d, title, name in zip(docs["doc_id"], docs["title"], docs["file_name"])}

    def clean_text(self, doc_id: str) -> str:
        return self._texts[doc_id]

    def document_label(self, doc_id: str) -> str:
        return self._titles.get(doc_id, doc_id)

    def unit_options(self) -> list[str]:
        """Units to choose from: comparable kinds first (by text size), then the context places."""
        units = self.counted["units"]
        comparable = units["kind"].isin(COMPARABLE_KINDS)
        ordered = units.assign(_c=~comparable).sort_values(["_c", "n_chars"], ascending=[True, False])
        return ordered["unit"].tolist()

    def default_units(self, n: int = 3) -> list[str]:
        """The default comparison: the units that have a document of their own, in document order."""
        chosen = main_units(self.counted["passages"], self.counted["units"])[:n]
        return chosen or self.unit_options()[:n]

    def unit_label(self, unit: str) -> str:
        return unit

    def default_keys(self, level: str, n: int = 30) -> list[str]:
        """Default similarity keys: comparable units (no provinces, no unknowns), or the largest documents."""
        if level == "unit":
            units = self.counted["units"]
            comparable = set(units.loc[units["kind"].isin(COMPARABLE_KINDS), "unit"])
            return [u for u in self.unit_options() if u in comparable][:n]
        return self.counted["documents"].sort_values("n_chars", ascending=False)["doc_id"].tolist()[:n]


def main_units(passages: pd.DataFrame, units: pd.DataFrame, share: float = 0.8) -> list[str]:
    """Units that hold at least `share` of some document's text (a document of their own), in doc order."""
    from analytics.pipeline.units import unit_shares

    comparable = set(units.loc[units["kind"].isin(COMPARABLE_KINDS), "unit"])
    per_unit = unit_shares(passages)
    own = per_unit[(per_unit["share"] >= share) & per_unit["unit"].isin(comparable)]
    return list(dict.fromkeys(own["unit"]))


def load_corpus(store=None, progress=None) -> Corpus:
    """Every table of a corpus store (default: analytics.paths.default_store(), seeded on first open)."""
    from analytics.corpus.library import load_tables, open_store

    return Corpus(load_tables(store or open_store(progress=progress)))
