"""Documents as analysts collect them (issue 19): PDFs in columns with running headers, scans, saved web
pages, .mhtml, .doc/.rtf/.odt, images, and zips of them — each read into the text a reader reads, with what
the document says about itself. The documents are made here from known text (tests/documents_support.py)."""
from __future__ import annotations

import difflib
import io
import json
import re
import zipfile

import pytest

from analytics.corpus.engine import analyse_documents
from analytics.pipeline.ingest import IngestError, expand_archives, read_document
from tests import documents_support as support

needs_chromium = pytest.mark.skipif(not support.chromium_available(), reason="Debian chromium prints the PDFs")


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return support.print_pdf(support.report_html())


@pytest.fixture(scope="module")
def scanned_report(report_pdf) -> bytes:
    return support.scanned_pdf(report_pdf)


def _analyse(document: dict):
    import pandas as pd

    return analyse_documents(pd.DataFrame([document]))


def _accuracy(read: str, truth: str) -> float:
    """Character accuracy: 1 - edit distance / length of the true text (whitespace and page breaks aside)."""
    a = "".join(read.split()).replace("\f", "")
    b = "".join(truth.split())
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")
    return 1 - edits / len(b)


def _truth() -> str:
    rows = "".join(" | ".join(row) for row in support.REPORT_TABLE)
    return support.REPORT_TITLE + "".join(support.REPORT_PARAGRAPHS) + rows


# ---------------------------------------------------------------- PDFs with a text layer

@needs_chromium
def test_a_two_column_report_reads_in_order_without_its_furniture(report_pdf):
    doc = read_document("report.pdf", report_pdf)
    text = doc["raw_text"]
    meta = json.loads(doc["meta"])
    assert meta["pages"] == 3 and "ocr_pages" not in meta
    assert support.RUNNING_HEADER not in text                      # the running header, on every page
    assert "— 2 —" not in text and "— 1 —" not in text             # the page numbers
    assert text.count("\f") == 2                                    # a break between pages, for "p. 3"
    for paragraph in support.REPORT_PARAGRAPHS:                    # each paragraph whole, on one line
        assert paragraph in text.replace("\n\f\n", ""), paragraph[:20]
    assert "地区生产总值 | 212.6亿元 | 5.8%" in text                # a table row keeps its cells
    assert _accuracy(text, _truth()) > 0.99


@needs_chromium
def test_a_profile_broken_inside_a_measure_keeps_the_measure():
    text = read_document("profile.pdf", support.print_pdf(support.profile_html()))["raw_text"]
    assert support.PROFILE_AREA in text and "森林覆盖率48.57%" in text and "门户网站" in text


@needs_chromium
def test_evidence_from_a_pdf_names_its_page(report_pdf):
    from analytics.analysis.evidence import page_at

    tables = _analyse(read_document("report.pdf", report_pdf))
    figures, text = tables["figures"], tables["documents"]["clean_text"].iat[0]
    visits = figures[figures["indicator_id"] == "tourist_visits"].iloc[0]
    assert visits["value"] == 536 and page_at(text, int(visits["start"])) == 2
    assert page_at(text, int(figures[figures["value"] == 212.6]["start"].iat[0])) == 1
    assert tables["documents"]["pages"].iat[0] == 3


# ---------------------------------------------------------------- scans and images (OCR)

@needs_chromium
def test_a_scanned_report_is_read_by_ocr_as_well_as_its_text_layer(report_pdf, scanned_report):
    doc = read_document("scan.pdf", scanned_report)
    meta = json.loads(doc["meta"])
    assert meta["ocr_pages"] == 3 and 0.9 < meta["ocr_confidence"] <= 1
    assert _accuracy(doc["raw_text"], _truth()) >= 0.97
    scanned = _analyse(doc)["figures"]
    layered = _analyse(read_document("report.pdf", report_pdf))["figures"]
    key = ["indicator_id", "value", "unit"]
    found = {tuple(r) for r in scanned[key].itertuples(index=False)}
    expected = {tuple(r) for r in layered[key].itertuples(index=False)}
    assert len(found & expected) >= 0.9 * len(expected), sorted(expected - found)
    assert scanned["low_confidence"].dtype == bool
    assert _analyse(doc)["documents"]["ocr_confidence"].iat[0] == pytest.approx(meta["ocr_confidence"])


@needs_chromium
def test_a_photographed_page_is_read(report_pdf):
    doc = read_document("page.png", support.page_image(report_pdf, page=1))
    assert "全年接待游客536万人次" in doc["raw_text"]
    assert json.loads(doc["meta"])["ocr_pages"] == 1


def test_a_huge_image_is_refused_before_it_is_decoded():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(buffer, format="PNG")  # 400 megapixels, a small file
    with pytest.raises(IngestError, match="megapixel"):
        read_document("huge.png", buffer.getvalue())


# ---------------------------------------------------------------- saved web pages

BODY, FURNITURE = support.NEWS_BODY, support.NEWS_FURNITURE


SITES = {"gov": (support.news_page, FURNITURE, "岚县农业农村局"),
         "media": (support.media_page, support.MEDIA_FURNITURE, "岚县融媒体中心")}


@pytest.mark.parametrize("site", list(SITES))
@pytest.mark.parametrize("shape", ["paragraphs", "divs", "table", "title_only"])
def test_a_saved_county_page_keeps_its_article_and_drops_its_furniture(site, shape):
    make_page, furniture, outlet = SITES[site]
    title = "岚县马铃薯产业发展情况"
    if shape == "paragraphs":
        body = "".join(f"<p>{p}</p>" for p in BODY)
    elif shape == "divs":
        body = "".join(f"<div><span>{p}</span></div>" for p in BODY)
    elif shape == "table":
        body = f"<table><tr><td>{BODY[0]}</td></tr><tr><td>{BODY[1]}</td></tr><tr><td>{BODY[2]}</td></tr></table>"
    else:
        body = "".join(f"<p>{p}</p>" for p in BODY)
    page = make_page(title, body)
    if shape == "title_only":  # no heading and no og:title: the title is only in <title>
        page = re.sub(r"<h[12][^>]*>" + title + "</h[12]>", "", page)
        page = page.replace(f'<meta property="og:title" content="{title}">', "")
    doc = read_document("page.html", page.encode())
    tables = _analyse(doc)
    clean = tables["documents"]["clean_text"].iat[0]
    kept = sum(len(p) for p in BODY if p in clean) / sum(len(p) for p in BODY)
    assert kept >= 0.98
    assert [f for f in furniture if f in clean] == []
    row = tables["documents"].iloc[0]
    assert row["title"] == title and row["date"] == "2024-06-04"
    assert row["outlet"] == outlet and row["place"] == "岚县"
    if site == "gov":
        assert row["url"] == "http://www.lanxian.gov.cn/a/1.html"


def test_an_mhtml_page_is_read_like_the_page():
    page = support.news_page()
    import quopri

    mhtml = ("From: <Saved by Blink>\r\nSubject: page\r\nMIME-Version: 1.0\r\n"
             'Content-Type: multipart/related; boundary="----B"\r\n\r\n------B\r\n'
             "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
             ).encode() + quopri.encodestring(page.encode("utf-8")) + b"\r\n------B--\r\n"
    doc = read_document("page.mhtml", mhtml)
    assert BODY[1] in doc["raw_text"] and json.loads(doc["meta"])["date"] == "2024-06-04"


# ---------------------------------------------------------------- office files and archives

@pytest.mark.skipif(support.soffice() is None, reason="LibreOffice Writer converts the files")
@pytest.mark.parametrize("extension", ["doc", "rtf", "odt"])
def test_older_office_files_are_read_through_libreoffice(extension):
    text = "\n".join(BODY)
    doc = read_document(f"report.{extension}", support.office_file(text, extension))
    assert all(p in doc["raw_text"] for p in BODY)


def test_an_office_file_without_libreoffice_says_what_to_install(monkeypatch):
    from analytics.pipeline.readers import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(IngestError, match="libreoffice-writer"):
        read_document("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_gives_its_documents_and_names_what_it_cannot():
    data = _zip({"县情/岚县.txt": "岚县坚持生态立县。".encode(), "notes.exe": b"MZ", "inner.zip": b"PK",
                 "__MACOSX/._x": b"", "报告.html": f"<p>{BODY[0]}</p>".encode()})
    files, rejected = expand_archives([("folder.zip", data), ("plain.txt", "岚县".encode())])
    assert sorted(name for name, _ in files) == ["plain.txt", "岚县.txt", "报告.html"]
    assert {r.file_name for r in rejected} == {"folder.zip/notes.exe", "folder.zip/inner.zip"}


def test_a_zip_of_too_many_entries_is_refused_fast():
    import time

    from analytics.pipeline.ingest import MAX_ARCHIVE_ENTRIES

    data = _zip({f"f{i}.txt": b"" for i in range(MAX_ARCHIVE_ENTRIES + 1)})
    started = time.monotonic()
    files, rejected = expand_archives([("many.zip", data)])
    assert files == [] and "limit" in rejected[0].reason and time.monotonic() - started < 10


def test_figures_from_lines_ocr_was_unsure_of_are_marked_in_every_table():
    from analytics.views.figure_table import cell_meta, typed_figures
    from analytics.views.shared import figures_display

    sure, unsure = "岚县全年地区生产总值达到96.5亿元。", "岚县森林覆盖率达到36.2%。"
    doc = read_document("scan.png.txt", (sure + "\n" + unsure).encode())
    doc["meta"] = json.dumps({"ocr_pages": 1, "ocr_confidence": 0.7, "low_confidence": [unsure]})
    figures = _analyse(doc)["figures"].set_index("value")
    assert not figures.loc[96.5, "low_confidence"] and figures.loc[36.2, "low_confidence"]
    assert (figures_display(figures.reset_index(), "en")["OCR check"] == "OCR uncertain").sum() == 1
    card = figures.reset_index().to_dict("records")
    assert [("OCR uncertain" in cell_meta(c, "en")) for c in card] == [False, True]
    assert typed_figures(figures.reset_index(), "zh")["识别核对"].tolist() == [False, True]


# ---------------------------------------------------------------- a folder, as collected

@needs_chromium
@pytest.mark.skipif(support.soffice() is None, reason="LibreOffice Writer converts the .doc")
def test_one_command_takes_a_folder_of_what_analysts_collect(tmp_path, capsys):
    """A saved news page, a two-column work report PDF, a scanned page, a .doc and a .docx in a folder (one
    inside a subfolder): `add DIR` stores each with its own title, date, outlet and place."""
    import docx

    from analytics.cli import main
    from analytics.corpus.corpus import load_corpus
    from analytics.corpus.library import open_store
    from analytics.corpus.store import list_documents
    from analytics.views.shared import span_label

    folder = tmp_path / "收集"
    (folder / "扫描件").mkdir(parents=True)
    (folder / "岚县新闻.html").write_text(support.media_page(), encoding="utf-8")
    report = support.print_pdf(support.report_html(dateline="——2024年1月10日在沁源县第十七届人民代表大会第四次会议上"))
    (folder / "沁源县政府工作报告.pdf").write_bytes(report)
    (folder / "扫描件" / "第2页.png").write_bytes(support.page_image(report, page=1))
    (folder / "柞水县.doc").write_bytes(support.office_file(
        "柞水县木耳产业发展情况\n2023年5月12日　来源：柞水县融媒体中心\n"
        "柞水县木耳种植规模达到1.05亿袋，带动2.6万户群众增收。", "doc"))
    word = docx.Document()
    for line in ("永济市文化旅游发展报告", "2023年11月2日", "永济市全年接待游客1050万人次，旅游收入达到86.4亿元。"):
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    (folder / "永济市.docx").write_bytes(buffer.getvalue())

    store_path = tmp_path / "store.sqlite"
    assert main(["add", str(folder), "--store", str(store_path), "--create"]) == 0
    out = capsys.readouterr()
    assert "5 added" in out.out and "[" in out.err  # the summary, and the progress bar on stderr

    store = open_store(store_path, seed=False)
    listed = list_documents(store).set_index("file_name")
    expected = {"岚县新闻.html": ("岚县马铃薯产业发展情况", "2024-06-04", "岚县融媒体中心", "岚县"),
                "沁源县政府工作报告.pdf": (support.REPORT_TITLE, "2024-01-10", "", "沁源县"),
                "柞水县.doc": ("柞水县木耳产业发展情况", "2023-05-12", "柞水县融媒体中心", "柞水县"),
                "永济市.docx": ("永济市文化旅游发展报告", "2023-11-02", "", "永济市")}
    for name, (title, date, outlet, place) in expected.items():
        row = listed.loc[name]
        assert (row["title"], row["date"], row["outlet"], row["place"]) == (title, date, outlet, place), name
    scan = listed.loc["第2页.png"]
    assert scan["place"] == "沁源县" and 0.9 < scan["ocr_confidence"] <= 1
    tables = load_corpus(store).tables
    figures = tables["figures"]
    visits = figures[(figures["doc_id"] == scan["doc_id"]) & (figures["indicator_id"] == "tourist_visits")]
    assert visits["value"].tolist() == [536.0]
    pdf = listed.loc["沁源县政府工作报告.pdf"]
    text = tables["documents"].set_index("doc_id").loc[pdf["doc_id"], "clean_text"]
    visits = figures[(figures["doc_id"] == pdf["doc_id"]) & (figures["indicator_id"] == "tourist_visits")].iloc[0]
    assert span_label(text, visits["start"], visits["end"]).startswith("第 2 页")
    page_text = tables["documents"].set_index("doc_id").loc[listed.loc["岚县新闻.html", "doc_id"], "clean_text"]
    assert [f for f in support.MEDIA_FURNITURE if f in page_text] == []


def test_a_title_is_never_a_date_line():
    from analytics.pipeline.catalog import infer_title

    assert infer_title("2025年6月4日 星期三\n— 3 —\n岚县马铃薯产业发展情况\n正文。") == "岚县马铃薯产业发展情况"
    assert infer_title("2024年1月10日\n") == "2024年1月10日"  # nothing else: the line there is


@needs_chromium
def test_an_upload_shows_the_pages_of_a_scan_as_they_are_read(scanned_report, tmp_path):
    from analytics.corpus.isolation import Limits
    from analytics.corpus.library import add_files, open_store

    calls = []
    store = open_store(tmp_path / "store.sqlite", seed=False)
    result = add_files(store, [("scan.pdf", scanned_report)], progress=lambda *a: calls.append(a), limits=Limits())
    assert len(result.added) == 1
    pages = [name for _, _, name in calls if "·" in name]
    # 3 pages looked at for a text layer, then the 3 without one read by OCR
    assert pages[0] == "scan.pdf · 1/3" and pages[-1] == "scan.pdf · 6/6" and len(pages) == 6
    assert calls[-1] == (1, 1, "scan.pdf")


def test_the_server_takes_an_upload_as_large_as_the_largest_archive():
    import tomllib

    from analytics.pipeline.ingest import MAX_ARCHIVE_BYTES
    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_ARCHIVE_BYTES // 2**20
