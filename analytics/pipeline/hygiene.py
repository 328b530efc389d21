"""Documents -> corpus hygiene: exact duplicates, near-duplicates (wire reprints), and the statistics rule.

A county's strategy story is often reprinted by several outlets with a new headline line, a different
source line or a trimmed paragraph. Counted twice, such a reprint would make its two copies each
other's nearest neighbour (cosine ≈ 1) and double its terms' counts. So:

* an **exact duplicate** (same bytes, hence the same `doc_id`) is recognised and not stored again;
* a **near-duplicate** is a document whose clean text has an estimated Jaccard similarity of at least
  `NEAR_DUPLICATE_JACCARD` (0.8) with a document already in the corpus, over character 5-shingles
  (whitespace removed, so reflowed lines do not matter). It is stored — it may carry a figure the
  original lacks — but flagged: `documents.near_duplicate_of` names the original's doc_id.
* **Rule for every count** (`counted_tables`): the rows of flagged documents are left out of every
  table that anything is counted or compared on — themes, similarity, distinctive terms, top terms,
  the network, KWIC counts, key figures, industries. Their rows stay in the evidence tables so they
  can still be read and cited, and the Overview lists them from `near_duplicates(documents)`.

Character shingles rather than word shingles: they need no segmenter (so hygiene does not depend on the
dictionary) and are robust to the one-character edits reprints make. MinHash (128 permutations)
estimates Jaccard with a standard error of about 0.035 at 0.8; the LSH index (datasketch `MinHashLSH`)
keeps finding candidates sub-linear (banded for recall, then verified), so checking one new document against 3,000 stays in milliseconds.

>>> a = text_signature("山西省吕梁市岚县坚持生态优先，推动高质量发展，全面建设美丽岚县。" * 3)
>>> round(signature_jaccard(a, a), 2)
1.0
"""
from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_CHARS = 5
NUM_PERM = 128
_BATCH_SHINGLES = 50_000  # shingles hashed at once: 50,000 × 128 × 8 bytes = 51 MB at most
NEAR_DUPLICATE_JACCARD = 0.8
# Seed, scheme and shingle hash are part of the stored signatures' meaning (datasketch 2 requires naming
# the scheme when rebuilding from stored values). Changing one changes the analysis fingerprint, so every
# stored document is re-analysed and its signature made anew.
_SEED = 1
_SCHEME = "affine32"
# CRC-32 of each shingle's UTF-8 bytes: a C call, where datasketch's default SHA-1 wrapper costs ~15x
# more per shingle; the affine32 scheme mixes (fmix) the 32-bit value before permuting anyway.
_SHINGLE_HASH = zlib.crc32
# 32 bands of 4 rows: a pair at Jaccard 0.8 becomes a candidate with probability 1 - (1 - 0.8**4)**32
# > 0.9999999, where datasketch's own choice for threshold 0.8 (9 x 13) misses 60 % of such pairs;
# the price is more candidates (23 % of pairs at 0.3), which the exact signature check below discards.
LSH_BANDS = (32, 4)
_SPACE_RE = re.compile(r"\s+")
_PERMUTATIONS = None


def shingles(text: str, k: int = SHINGLE_CHARS) -> set[str]:
    """The set of character k-shingles of a text, whitespace removed; a text shorter than k is one shingle.

    >>> sorted(shingles("岚县 发展好", 5))
    ['岚县发展好']
    """
    compact = _SPACE_RE.sub("", text or "")
    if len(compact) <= k:
        return {compact} if compact else set()
    return {compact[i:i + k] for i in range(len(compact) - k + 1)}


def _permutations():
    """The (a, b) permutation parameters, drawn once: building them per MinHash would dominate the cost."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations
    return _PERMUTATIONS


def text_signature(text: str) -> np.ndarray:
    """MinHash signature (NUM_PERM uint64 values) of a text's character shingles.

    Input: clean text. Output: a numpy uint64 array, stored as bytes by `signature_bytes`.
    """
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_permutations(), scheme=_SCHEME,
                      hashfunc=_SHINGLE_HASH)
    grams = list(shingles(text))
    # in chunks: update_batch builds a (shingles × permutations) array, 1.6 GB for one 5 MB line at once
    for start in range(0, len(grams), _BATCH_SHINGLES):
        minhash.update_batch([g.encode("utf-8") for g in grams[start:start + _BATCH_SHINGLES]])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def signature_bytes(signature: np.ndarray) -> bytes:
    return np.asarray(signature, dtype="<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def signature_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal minimum hashes."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


def build_index(signatures: dict[str, np.ndarray]) -> MinHashLSH:
    """LSH index over doc_id -> signature (the originals only: a reprint is matched to its original)."""
    index = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    with index.insertion_session() as session:
        for doc_id, signature in signatures.items():
            session.insert(doc_id, _lean(signature))
    return index


def _lean(signature: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=_SEED, hashvalues=signature, scheme=_SCHEME)


def index_add(index: MinHashLSH, doc_id: str, signature: np.ndarray) -> None:
    index.insert(doc_id, _lean(signature))


def find_near_duplicate(index: MinHashLSH, signatures: dict[str, np.ndarray], signature: np.ndarray,
                        order: dict[str, int] | None = None) -> tuple[str, float] | None:
    """The indexed document a signature nearly duplicates, as (doc_id, jaccard), or None.

    LSH candidates are verified against the threshold (LSH has false positives); among several, the
    most similar wins, then the earliest in `order` (doc_id -> position), so the first copy stays
    the original.
    """
    candidates = index.query(_lean(signature))
    scored = [(signature_jaccard(signature, signatures[c]), c) for c in candidates if c in signatures]
    scored = [(j, c) for j, c in scored if j >= NEAR_DUPLICATE_JACCARD]
    if not scored:
        return None
    order = order or {}
    jaccard, doc_id = min(scored, key=lambda s: (-s[0], order.get(s[1], 0), s[1]))
    return doc_id, jaccard


def near_duplicates(documents: pd.DataFrame) -> pd.DataFrame:
    """The flagged documents: doc_id, file_name, title, near_duplicate_of, original_title (for the Overview)."""
    columns = ["doc_id", "file_name", "title", "near_duplicate_of", "original_title"]
    if "near_duplicate_of" not in documents:
        return pd.DataFrame(columns=columns)
    flagged = documents[documents["near_duplicate_of"].fillna("") != ""]
    titles = dict(zip(documents["doc_id"], documents.get("title", documents["file_name"])))
    out = flagged.assign(original_title=flagged["near_duplicate_of"].map(titles).fillna(""))
    return out.reindex(columns=columns).reset_index(drop=True)


def flagged_documents(documents: pd.DataFrame) -> set[str]:
    """doc_ids of the documents flagged as near-duplicates of another."""
    if "near_duplicate_of" not in documents:
        return set()
    return set(documents.loc[documents["near_duplicate_of"].fillna("") != "", "doc_id"])


def counted_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The rule for every count: tables without the rows of flagged documents.

    Input: tables by name, `documents` carrying `near_duplicate_of` ('' or None when not flagged).
    Output: the same dict with every table that has a doc_id column (documents included) filtered;
    corpus-wide tables (no doc_id) are passed through. Term counts, themes, similarity, distinctive
    terms, the network, KWIC counts, key figures and industry marks all read these; the evidence
    tables (every document) stay available for reading and citing.
    """
    flagged = flagged_documents(tables["documents"])
    if not flagged:
        return dict(tables)
    return {name: (table[~table["doc_id"].isin(flagged)].reset_index(drop=True) if "doc_id" in table else table)
            for name, table in tables.items()}
