"""Regenerate the table of data/README.md from data/manifest.csv (tests/test_data_files.py checks they agree)."""
from analytics import resources
from analytics.paths import DATA_DIR

readme = DATA_DIR / "README.md"
lines = readme.read_text(encoding="utf-8").splitlines()
rows = [i for i, line in enumerate(lines) if line.startswith("|")]
table = resources.manifest_markdown().splitlines()
lines = lines[:rows[0]] + table + lines[rows[-1] + 1:] if rows else lines + [""] + table
readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
