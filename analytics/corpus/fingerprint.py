"""The analysing code and the reviewed data -> one fingerprint: what a stored document was analysed by.

Kept apart from the engine so that checking it (an unchanged build served from its cache, a store
opened for `list`) imports none of the stages.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

from analytics import paths

# What analyses a document: a change to any of these re-analyses stored documents.
_ANALYSIS_CODE = ("pipeline", "features", "corpus/engine.py", "registry.py", "resources.py")
# What computes the corpus-wide tables from the documents' tables (similarity, distinctive terms, network
# inputs) besides the above: a change here recomputes those tables and leaves the documents as they are.
_CORPUS_CODE = ("analysis",)


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """Hash of the analysing code (pipeline, features, engine, registry, reader) and the reviewed data."""
    data = sorted(p for p in paths.DATA_DIR.glob("*.*") if p.suffix in (".csv", ".tsv", ".txt")
                  and p.name != "manifest.csv")
    return _hash(_code_files(_ANALYSIS_CODE) + data)


@lru_cache(maxsize=1)
def corpus_fingerprint() -> str:
    """Hash of everything that makes the corpus-wide tables: the documents' analysis and analytics/analysis.
    The key of every cached corpus table and of an incremental refresh's state."""
    return _hash(_code_files(_CORPUS_CODE), seed=analysis_fingerprint())


def _code_files(parts: tuple[str, ...]) -> list:
    files = []
    for part in parts:
        path = paths.PACKAGE / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _hash(files: list, seed: str = "") -> str:
    digest = hashlib.sha256(seed.encode())
    for path in files:
        digest.update(path.relative_to(path.parent.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
