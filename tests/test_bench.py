"""The benchmark command at a small size: every measurement is taken and every row of the table filled."""
from __future__ import annotations

import pytest

import bench

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    markdown = work / "BENCHMARKS.md"
    assert bench.main(["--sizes", "20", "--work", str(work), "--markdown", str(markdown), "--keep"]) == 0
    return work, markdown.read_text(encoding="utf-8")


def test_synthetic_documents_speak_for_different_counties(tmp_path):
    pool = bench.seed_pool()
    files = bench.write_corpus(tmp_path / "docs", 6, pool)
    counties = bench.county_rows(6)
    assert len({c["adcode"] for c in counties}) == 6
    for path, county in zip(files, counties):
        text = path.read_text(encoding="utf-8")
        assert 8_000 <= len(text.encode()) <= 16_000
        if not path.name.startswith("00004"):  # one in five is Traditional: the name may be converted
            assert county["name"] in text.splitlines()[0]


def test_every_row_of_the_table_is_filled(small_run):
    _, text = small_run
    table = [line for line in text.splitlines() if line.startswith("| ")]
    labels = [label for _, label, _ in bench.ROWS]
    for label in labels:
        row = next(line for line in table if line.startswith(f"| {label} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] not in ("", "–"), label
    assert "N = 20" in text and "cores" in text and "python benchmarks/bench.py --sizes 20" in text


def test_the_smoke_run_built_and_stored_the_corpus(small_run):
    work, _ = small_run
    import json

    result = json.loads((work / "results.json").read_text(encoding="utf-8"))[0]
    assert result["n"] == 20 and result["rows"]["documents"] == 20
    assert result["rows"]["figures"] > 0 and result["rows"]["similarity"] > 0
    assert result["how"] == "store"
