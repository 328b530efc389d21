"""Where reviewed data files and built tables live."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
BUILD_DIR = DATA_DIR / "build"


def data_file(name: str) -> Path:
    """Path of a reviewed data file under `data/` (lexicons, taxonomy, dictionary, stopwords)."""
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"data file missing: {path}")
    return path
