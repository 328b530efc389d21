"""Where the reviewed data, the seed documents and the user's outputs live.

Reviewed inputs (data/, seeds/) are read from the checkout when running from one, and from the copies
installed inside the package (analytics/_data, analytics/_seeds) otherwise, so a non-editable
`pip install .` works from any directory. Outputs — the corpus store, exported tables — never go into
either: they live in the user's data directory unless a path is given (`--store`, COUNTYLENS_STORE).
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
_CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "data").is_dir() and (ROOT / "seeds").is_dir()
DATA_DIR = ROOT / "data" if _CHECKOUT else PACKAGE / "_data"
SEEDS_DIR = ROOT / "seeds" if _CHECKOUT else PACKAGE / "_seeds"
STORE_ENV = "COUNTYLENS_STORE"
STORE_FILE = "countylens.sqlite"


def user_data_dir() -> Path:
    """$XDG_DATA_HOME/countylens (default ~/.local/share/countylens): the user's own outputs."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "countylens"


def default_store() -> Path:
    """The store the dashboard and the CLI use when none is named: $COUNTYLENS_STORE, else the user's."""
    return Path(os.environ.get(STORE_ENV) or user_data_dir() / STORE_FILE)


def data_file(name: str) -> Path:
    """Path of a reviewed data file under `data/` (read them through analytics.resources)."""
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"data file missing: {path}")
    return path
