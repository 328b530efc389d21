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


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """Hash of the analysing code (pipeline, features, engine, registry, reader) and the reviewed data."""
    digest = hashlib.sha256()
    files = []
    for part in _ANALYSIS_CODE:
        path = paths.PACKAGE / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    files += sorted(p for p in paths.DATA_DIR.glob("*.*") if p.suffix in (".csv", ".tsv", ".txt")
                    and p.name != "manifest.csv")
    for path in files:
        digest.update(path.relative_to(path.parent.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
