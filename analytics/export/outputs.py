"""Where CountyLens writes what a user asked for: checked first, written to a temporary file, renamed.

One mistyped argument must never cost a corpus: an output path that is the store (or its -wal / -shm
files) is refused, an existing file is kept unless the caller forces it, a folder or an unwritable place
gives one message naming the path. The write goes to a temporary file beside the target and is renamed
over it, so a crash or a full disk leaves the old file (or none), never half of one.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

STORE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


class OutputError(ValueError):
    """An output that cannot or may not be written; str() is the one-line message for the user."""


def store_files(store_path: Path | None) -> set[Path]:
    if store_path is None:
        return set()
    base = Path(store_path).expanduser().resolve()
    return {base.with_name(base.name + side) for side in STORE_SIDE_FILES}


def check_output(path: Path, force: bool = False, protected: set[Path] | None = None) -> Path:
    """The resolved output path, or OutputError: a store file, a folder, an existing file without `force`."""
    target = Path(path).expanduser()
    resolved = target.resolve()
    if resolved in (protected or set()):
        raise OutputError(f"{path}: this is the corpus store (or one of its files); choose another --out")
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name, e.g. {Path(path) / 'comparison'}")
    if target.exists() and not force:
        raise OutputError(f"{path}: exists; add --force to replace it")
    return resolved


def write_output(path: Path, data: bytes, force: bool = False, protected: set[Path] | None = None) -> Path:
    """Write `data` to `path` safely (see the module docstring); returns the path written."""
    target = check_output(path, force, protected)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(f"{path}: cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror
        raise OutputError(f"{path}: not written: {reason}") from None
    return target
