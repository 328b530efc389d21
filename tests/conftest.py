"""Shared fixtures: the seed files, and the seeds built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(prefix: str) -> str:
    """Raw text of the seed whose file name starts with prefix ('000' … '004')."""
    return next(p for p in SEED_FILES if p.name.startswith(prefix)).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_tables(tmp_path_factory):
    """Every table built from the seeds (once per test session, into a temporary folder)."""
    from analytics.build import build

    return build([SEEDS], tmp_path_factory.mktemp("build"), force=True).tables
