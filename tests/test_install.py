"""A non-editable install works from any directory: the reviewed data and the seeds travel with the package,
and the store goes to the user's data directory, never into the source tree."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_non_editable_install_runs_from_another_directory(tmp_path):
    target, work = tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True, timeout=300)
    assert (target / "analytics" / "_data" / "manifest.csv").exists()
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    env.pop("COUNTYLENS_STORE", None)
    probe = subprocess.run([sys.executable, "-c", "import analytics.paths as p; print(p.DATA_DIR); print(p.SEEDS_DIR)"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=60)
    assert probe.stdout.split() == [str(target / "analytics" / "_data"), str(target / "analytics" / "_seeds")]
    listed = subprocess.run([sys.executable, "-m", "analytics", "list"], cwd=work, env=env, capture_output=True,
                            text=True, timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip().endswith("5 documents")
    assert (tmp_path / "xdg" / "countylens" / "countylens.sqlite").exists()
