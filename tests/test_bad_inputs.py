"""Bad input, through add_files and through the CLI: one message per file naming it and the reason,
the store unchanged by a rejected file, odd encodings read right, nothing written outside the store."""
from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.corpus.library import add_files, load_tables, open_store
from analytics.corpus.store import FEATURE_TABLES, check_store, list_documents
from analytics.pipeline.ingest import FORMATS, MAX_NAME_CHARS, safe_file_name
from tests.bad_inputs.make_bad_inputs import BIG5_SIMPLIFIED, GBK_TEXT, PLAIN_TEXT, Case, cases, oversized, write_corpus
from tests.conftest import ROOT

CASES = cases()


def snapshot(path: Path) -> dict[str, tuple[int, str]]:
    """Row count and content hash of every stored table (documents, features, meta)."""
    out = {}
    with sqlite3.connect(path) as conn:
        for table in ["documents", *FEATURE_TABLES, "meta"]:
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            out[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def files_under(directory: Path) -> set[Path]:
    return {p for p in directory.rglob("*")}


def check_added(case: Case, store, doc_id: str) -> None:
    """What an accepted bad input must look like once stored."""
    tables = load_tables(store)
    document = tables["documents"].set_index("doc_id").loc[doc_id]
    assert document["file_name"] == safe_file_name(case.name)
    assert "/" not in document["file_name"] and "\\" not in document["file_name"]
    assert "\x00" not in document["file_name"] and len(document["file_name"]) <= MAX_NAME_CHARS
    with sqlite3.connect(store.path) as conn:
        raw = conn.execute("SELECT raw FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0]
    assert raw == case.data  # the bytes are kept as given
    text = document["clean_text"]
    if case.name == "gbk.txt":
        assert document["encoding"] == "gb18030" and GBK_TEXT.rstrip("。") in text
    elif case.name == "big5.txt":
        assert document["encoding"] == "big5" and BIG5_SIMPLIFIED in text
    elif case.name in ("html_inside.txt", "page.html"):
        # Text, never markup: no tag, script or handler reaches the text the pages show.
        for markup in ("<script", "<b", "<img", "onerror", "onclick", "document.cookie"):
            assert markup not in text
        assert PLAIN_TEXT in text
    elif case.name in ("utf32.txt", "utf16_nobom.txt"):
        assert document["encoding"] in ("utf-32", "utf-16-le") and PLAIN_TEXT in text and "\x00" not in text
    elif case.name == "kangxi.txt":
        # Kangxi radicals mapped before parsing: the figures are read, and the mapping is counted
        assert "总人口18.7万人" in text and document["compat_mapped"] == 4
        figures = tables["figures"][tables["figures"]["doc_id"] == doc_id]
        assert {18.7, 30.0} <= set(figures["value"])
    elif case.name == "repeated_lines.txt":
        # 2,000 copies of one line are one line of text (the copies are boilerplate) and one figure
        assert text.count("坚持生态立县") == 1 and document["boilerplate_lines"] == 1999
        assert (tables["figures"]["doc_id"] == doc_id).sum() == 1
    elif case.name == "no_place.txt":
        assert document["place"] == "未知"
        assert set(tables["passages"].loc[tables["passages"]["doc_id"] == doc_id, "unit"]) == {"未知"}


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c.disk_name or 'name'}" for i, c in enumerate(CASES)])
def test_each_bad_input_through_add_files(case, store, tmp_path):
    before, outside = snapshot(store.path), files_under(tmp_path)
    result = add_files(store, [(case.name, case.data)])
    if case.expect == "reject":
        assert not result.added and not result.duplicates
        assert len(result.rejected) == 1
        rejection = result.rejected[0]
        assert rejection.file_name == safe_file_name(case.name)
        assert any(word in rejection.reason for word in case.reason), rejection.reason
        assert snapshot(store.path) == before
    else:
        assert not result.rejected and len(result.added) == 1
        check_added(case, store, result.added[0])
    # Nothing but the store's own files appears anywhere under the test's folder.
    new = files_under(tmp_path) - outside
    assert all(p.parent == store.path.parent and p.name.startswith(store.path.name) for p in new), new
    assert check_store(store) == []


def test_oversized_file_is_rejected_before_reading(store):
    before = snapshot(store.path)
    result = add_files(store, [("huge.txt", oversized())])
    assert [r.file_name for r in result.rejected] == ["huge.txt"]
    assert "limit" in result.rejected[0].reason and "文件过大" in result.rejected[0].reason
    assert snapshot(store.path) == before


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow  # a CLI subprocess: start-up and imports
def test_every_bad_input_through_the_cli(store, tmp_path):
    corpus = tmp_path / "a" / "b"
    paths = write_corpus(corpus)
    (corpus / "huge.txt").write_bytes(oversized())
    (tmp_path / "escape.txt").write_text(PLAIN_TEXT + "（相对路径）", encoding="utf-8")
    long_name = "l" * 200 + ".txt"
    (corpus / long_name).write_text(PLAIN_TEXT + "（超长文件名）", encoding="utf-8")
    arguments = [p.name for p in paths] + ["huge.txt", "../../escape.txt", str(corpus / long_name)]
    before_docs = len(list_documents(store))
    outside = files_under(tmp_path)

    run = run_cli("add", *arguments, "--store", str(store.path), cwd=corpus)

    assert run.returncode == 1, run.stderr
    rejected_lines = [line for line in run.stderr.splitlines() if line.startswith("rejected ")]
    expected_rejects = {c.disk_name: c for c in CASES if c.disk_name and c.expect == "reject"}
    assert len(rejected_lines) == len(expected_rejects) + 1  # + huge.txt
    for name, case in expected_rejects.items():
        lines = [line for line in rejected_lines if line.startswith(f"rejected {name}: ")]
        assert len(lines) == 1 and any(word in lines[0] for word in case.reason), (name, rejected_lines)
    assert any(line.startswith("rejected huge.txt: ") and "limit" in line for line in rejected_lines)
    assert "[" in run.stderr and "/" in run.stderr  # the progress bar
    added = [c for c in CASES if c.disk_name and c.expect == "add"]
    documents = list_documents(store)
    assert len(documents) == before_docs + len(added) + 2
    names = set(documents["file_name"])
    assert {c.disk_name for c in added} | {"escape.txt", safe_file_name(long_name)} <= names
    assert files_under(tmp_path) - outside <= {store.path.with_name(store.path.name + s) for s in ("-wal", "-shm")}
    assert check_store(store) == []

    listing = run_cli("list", "--store", str(store.path), cwd=tmp_path)
    assert listing.returncode == 0 and "escape.txt" in listing.stdout and "未知" in listing.stdout


@pytest.mark.slow  # a CLI subprocess: start-up and imports
def test_cli_remove_refuses_seeds_and_removes_uploads(store, tmp_path):
    upload = tmp_path / "u.txt"
    upload.write_text(PLAIN_TEXT, encoding="utf-8")
    assert run_cli("add", str(upload), "--store", str(store.path), cwd=tmp_path).returncode == 0
    documents = list_documents(store).set_index("file_name")
    seed_id, upload_id = documents["doc_id"].iloc[0], documents.loc["u.txt", "doc_id"]
    refused = run_cli("remove", seed_id, "--store", str(store.path), cwd=tmp_path)
    assert refused.returncode == 1 and "seed" in refused.stderr and "--force" in refused.stderr
    removed = run_cli("remove", upload_id, "--store", str(store.path), cwd=tmp_path)
    assert removed.returncode == 0 and upload_id in removed.stdout
    assert upload_id not in set(list_documents(store)["doc_id"])


# ---------------------------------------------------------------- any bytes, any name

@functools.lru_cache(maxsize=1)
def empty_store():
    """One seedless store for all examples (hypothesis re-runs the test body, not function fixtures)."""
    return open_store(Path(tempfile.mkdtemp(prefix="countylens_hyp_")) / "s.sqlite", seed=False)


names = st.builds(lambda stem, ext: stem + ext, st.text(max_size=300),
                  st.sampled_from([*FORMATS, "", ".exe", ".TXT", ".Docx"]))
contents = st.one_of(
    st.binary(max_size=4000),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5) | st.sampled_from("，。、 \n县市"),
            min_size=1, max_size=300).flatmap(
        lambda t: st.sampled_from(["utf-8", "gb18030", "utf-16"]).map(lambda e: t.encode(e))),
    st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, data=contents)
def test_add_files_never_crashes(name, data):
    store = empty_store()
    before = snapshot(store.path)
    result = add_files(store, [(name, data)])
    outcomes = len(result.added) + len(result.rejected) + len(result.duplicates)
    assert outcomes == 1
    for rejection in result.rejected:
        assert rejection.file_name and rejection.reason
        assert snapshot(store.path) == before
    assert check_store(store) == []


def test_the_bad_input_corpus_counts_its_classes(capsys):
    """Every class the corpus holds, counted: what is refused (with the words its message must hold) and
    what must be read right; each case is distinct bytes, so no case passes as another's duplicate."""
    refused = [c for c in CASES if c.expect == "reject"]
    read = [c for c in CASES if c.expect == "add"]
    assert len(CASES) == len(refused) + len(read) and all(c.reason for c in refused)
    assert len({c.data for c in CASES}) == len(CASES)
    # the oversized file, and the FIFO / device / sparse file / missing path of the CLI's stat() check,
    # come on top (tests below and tests/test_store_safety.py)
    with capsys.disabled():
        print(f"\nbad-input corpus: {len(CASES)} classes tried, {len(refused)} refused with a reason, "
              f"{len(read)} read right")
    assert len(refused) >= 11 and len(read) >= 13  # the classes held today: a case removed fails here
