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
    from analytics.corpus.export import build

    return build([SEEDS], tmp_path_factory.mktemp("build"), force=True).tables


@pytest.fixture(scope="session", autouse=True)
def private_store(tmp_path_factory):
    """Every test (and any server a test starts) uses its own corpus store, never the user's."""
    import os

    from analytics.paths import STORE_ENV

    path = tmp_path_factory.mktemp("store") / "countylens.sqlite"
    previous = os.environ.get(STORE_ENV)
    os.environ[STORE_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(STORE_ENV, None)
    else:
        os.environ[STORE_ENV] = previous


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """A store with the seeds, made once; tests work on copies of it (seeding costs seconds)."""
    from analytics.corpus.library import open_store

    path = tmp_path_factory.mktemp("template") / "countylens.sqlite"
    open_store(path)
    return path


@pytest.fixture
def store(seeded_template, tmp_path):
    """A fresh copy of the seeded store for one test."""
    import shutil

    from analytics.corpus.library import open_store

    path = tmp_path / "store" / "countylens.sqlite"
    path.parent.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{seeded_template}{suffix}").exists():
            shutil.copy(f"{seeded_template}{suffix}", f"{path}{suffix}")
    return open_store(path)
