"""The store's refusals, importable without the store (the CLI catches them before anything heavy loads)."""
from __future__ import annotations


class StoreError(ValueError):
    """A store operation refused (unknown document, seed removal without force, a store of an unknown
    schema); str() is the message."""
