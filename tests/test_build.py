"""The whole pipeline on the seeds: schemas, evidence offsets, units of 001/003, cache, CLI."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from analytics.cli import main
from analytics.corpus.export import build
from analytics.pipeline.clean import is_simplified_char
from analytics.pipeline.text import has_cjk
from analytics.registry import ALL_TABLES, columns_of
from tests.conftest import ROOT, SEED_FILES, SEEDS

PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


def doc_of(tables, prefix: str) -> str:
    docs = tables["documents"]
    return docs.loc[docs["file_name"].str.startswith(prefix), "doc_id"].item()


def test_every_table_has_its_columns(seed_tables):
    # The registry's columns first, in order; the store adds only its own bookkeeping to documents.
    # (units: the merged corpus-wide table, one row per unit, no doc_id)
    from analytics.corpus.store import STORE_DOCUMENT_COLUMNS

    for name in ALL_TABLES:
        columns = list(seed_tables[name].columns)
        assert columns[:len(columns_of(name))] == columns_of(name), name
        extra = columns[len(columns_of(name)):]
        assert extra == (STORE_DOCUMENT_COLUMNS if name == "documents" else []), (name, extra)


def test_clean_texts_meet_the_bar(seed_tables):
    import opencc

    t2s = opencc.OpenCC("t2s")
    for text in seed_tables["documents"]["clean_text"]:
        assert not PINYIN.search(text)
        converted = t2s.convert(text)
        assert [c for c, o in zip(text, converted) if c != o and not is_simplified_char(c)] == []
        assert not re.search(r"\?[!\"]|</?p>", text)


@pytest.mark.parametrize("table", ["figures", "industries", "assets"])
def test_every_row_opens_its_sentence(seed_tables, table):
    texts = dict(zip(seed_tables["documents"]["doc_id"], seed_tables["documents"]["clean_text"]))
    rows = seed_tables[table]
    assert len(rows) > 0
    for row in rows.itertuples():
        text = texts[row.doc_id]
        span = text[row.start:row.end]
        assert span and span in row.evidence, (table, row)
        assert row.evidence in text


def test_figures_are_credited_to_the_passage_unit_or_the_unit_their_sentence_names(seed_tables):
    passages, units = seed_tables["passages"], seed_tables["units"]
    for row in seed_tables["figures"].itertuples():
        owner = passages[(passages["doc_id"] == row.doc_id) & (passages["start"] <= row.start)
                         & (passages["end"] >= row.end)]
        assert len(owner) == 1, row
        if owner["unit"].iloc[0] != row.unit:
            names = units.loc[units["unit"] == row.unit, "aliases"].iloc[0].split("|")
            assert any(name in row.evidence for name in names), row


def test_single_county_documents(seed_tables):
    passages = seed_tables["passages"]
    for prefix, unit in [("000", "沁源县"), ("002", "岚县"), ("004", "柞水县")]:
        units = set(passages.loc[passages["doc_id"] == doc_of(seed_tables, prefix), "unit"])
        assert units == {unit}


def test_roundtable_001_is_split_by_speaker(seed_tables):
    passages = seed_tables["passages"]
    units = set(passages.loc[passages["doc_id"] == doc_of(seed_tables, "001"), "unit"])
    assert {"永济市", "临猗县", "稷山县", "盐湖高新区", "风陵渡经开区", "运城市"} <= units


def test_zone_officials_003_are_split_by_speaker(seed_tables):
    passages = seed_tables["passages"]
    units = set(passages.loc[passages["doc_id"] == doc_of(seed_tables, "003"), "unit"])
    expected = {"太原市", "大同市", "定襄经开区", "山西综改示范区", "长治经开区", "晋城经开区", "古交市", "运城经开区"}
    assert expected <= units
    assert any(u.startswith("阳曲") for u in units)


def test_units_carry_gazetteer_facts(seed_tables):
    units = seed_tables["units"].set_index("unit")
    assert units.loc["柞水县", ["province", "prefecture", "kind"]].tolist() == ["陕西省", "商洛市", "county"]
    assert units.loc["长治经开区", "kind"] == "zone" and units.loc["长治经开区", "prefecture"] == "长治市"
    assert 33 < units.loc["柞水县", "latitude"] < 34


def test_golden_figures(seed_tables):
    figures = seed_tables["figures"]

    def one(unit, indicator, value):
        rows = figures[(figures["unit"] == unit) & (figures["indicator"] == indicator) & (figures["value"] == value)]
        assert len(rows) >= 1, (unit, indicator, value)
        return rows.iloc[0]

    population = one("岚县", "总人口", 18.7)
    assert (population.measure, population.value_normalized, population.category) == ("万人", 187000, "demography")
    assert one("柞水县", "森林覆盖率", 76).category == "ecology"
    assert one("长治经开区", "开工项目", 56).category == "investment"
    money = one("长治经开区", "总投资", 163.92)
    assert money.value_normalized == pytest.approx(163.92e8) and money.measure_normalized == "元"


def test_unchanged_input_is_served_from_cache(tmp_path):
    first = build([SEEDS], tmp_path)
    second = build([SEEDS], tmp_path)
    assert not first.cached and second.cached
    assert len(second.tables["figures"]) == len(first.tables["figures"])


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow  # a CLI subprocess: start-up and imports
def test_cli_builds_tables_and_names_bad_files(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in SEED_FILES[:2]:
        shutil.copy(path, docs / path.name)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "image.pdf").write_bytes(b"%PDF-1.4 broken")
    out = tmp_path / "out"
    result = run_cli("build", "--docs", str(docs), "--out", str(out), "--csv")
    assert result.returncode == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2 and any("empty.txt" in line for line in skipped)
    assert (out / "figures.parquet").exists() and (out / "figures.csv").exists()
    assert len(list((out / "clean").glob("*.txt"))) == 2
    again = run_cli("build", "--docs", str(docs), "--out", str(out), "--csv")
    assert "cache" in again.stdout and again.returncode == 1


def test_build_report_counts_fixes(seed_tables):
    docs = seed_tables["documents"].set_index("file_name")
    traditional = docs[docs["script"] == "traditional"]
    assert len(traditional) == 2 and (traditional["pinyin_removed"] > 200).all()
    assert (traditional["garbled_repaired"] > 0).all()
    assert all(has_cjk(title) for title in docs["title"])


@pytest.mark.slow  # a CLI subprocess: start-up and imports
def test_cli_report_writes_a_deck_and_refuses_unknown_units(tmp_path):
    out = tmp_path / "cmp.pptx"
    result = run_cli("report", "--units", "沁源县,岚县,柞水县", "--format", "pptx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"
    bad = run_cli("report", "--units", "沁源县,不存在县", "--format", "html", "--out", str(tmp_path / "x.html"))
    assert bad.returncode == 2 and "不存在县" in bad.stderr


def test_export_writes_the_tables_the_store_serves(store, tmp_path, capsys):
    import pandas as pd

    from analytics.cli import main
    from analytics.corpus.library import load_tables

    out = tmp_path / "tables"
    assert main(["export", "--store", str(store.path), "--out", str(out), "--csv"]) == 0
    served = load_tables(store)
    for name in ALL_TABLES:
        written = pd.read_parquet(out / f"{name}.parquet")
        assert len(written) == len(served[name]), name
        assert (out / f"{name}.csv").exists()
    assert "exported" in capsys.readouterr().out


def test_a_store_of_another_schema_is_refused_with_exit_code_3(store, capsys):
    import sqlite3

    from analytics.cli import main

    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    assert main(["list", "--store", str(store.path)]) == 3
    message = capsys.readouterr().err
    assert str(store.path) in message and "schema 7" in message and "python -m analytics add" in message


def test_outputs_never_replace_files_countylens_did_not_write(store, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "figures.csv").write_text("my own work", encoding="utf-8")
    assert main(["export", "--store", str(store.path), "--out", str(out), "--csv"]) == 2
    message = capsys.readouterr().err
    assert "figures.csv" in message and "--force" in message and "\n" not in message.strip()
    assert (out / "figures.csv").read_text(encoding="utf-8") == "my own work"
    assert main(["build", "--out", str(out), "--csv"]) == 2
    assert (out / "figures.csv").read_text(encoding="utf-8") == "my own work"
    # an earlier export's own folder is updated, and --force replaces what is in the way
    assert main(["export", "--store", str(store.path), "--out", str(tmp_path / "ours")]) == 0
    assert main(["export", "--store", str(store.path), "--out", str(tmp_path / "ours")]) == 0
    assert main(["export", "--store", str(store.path), "--out", str(out), "--csv", "--force"]) == 0
    assert (out / "figures.csv").read_text(encoding="utf-8-sig").startswith("doc_id")


@pytest.mark.parametrize("command", ["export", "build"])
def test_an_output_at_the_store_file_is_a_usage_error(store, capsys, command):
    args = [command, "--out", str(store.path)] + (["--store", str(store.path)] if command == "export" else [])
    assert main(args) == 2
    assert str(store.path) in capsys.readouterr().err
    assert store.path.stat().st_size > 0


def test_a_full_disk_leaves_no_temporary_file(store, tmp_path, monkeypatch, capsys):
    import errno
    from pathlib import Path

    out = tmp_path / "full"
    real_replace = Path.replace

    def full(self, target):  # the disk fills while the first table goes into place
        if Path(target).parent == out:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", full)
    assert main(["export", "--store", str(store.path), "--out", str(out)]) == 2
    assert "the disk is full" in capsys.readouterr().err
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_csv_exports_neutralise_cells_that_would_start_a_formula(tmp_path):
    from analytics.corpus.corpus import load_corpus
    from analytics.corpus.library import add_files, open_store

    store = open_store(tmp_path / "f.sqlite", seed=False)
    add_files(store, [("=cmd|' /C calc'!A0.txt", "=1+2 岚县坚持生态立县，全县森林覆盖率达到百分之三十八。".encode())])
    assert main(["export", "--store", str(store.path), "--out", str(tmp_path / "csv"), "--csv"]) == 0
    documents = (tmp_path / "csv" / "documents.csv").read_text(encoding="utf-8-sig")
    assert ",=" not in documents and "\n=" not in documents
    assert ",'=1+2" in documents
    assert load_corpus(store).evidence["documents"]["clean_text"].iat[0].startswith("=1+2")  # stored as written
