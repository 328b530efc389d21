"""Documents as analysts collect them (issue 19): PDFs in columns with running headers, scans, saved web
pages, .mhtml, .doc/.rtf/.odt, images, and zips of them — each read into the text a reader reads, with what
the document says about itself. The documents are made here from known text (tests/documents_support.py)."""
from __future__ import annotations

import difflib
import io
import json
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

COUNTY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_岚县人民政府</title>
<meta property="og:title" content="{title}"><link rel="canonical" href="http://www.lanxian.gov.cn/a/1.html">
</head><body>
<div class="top">今天是：2025年6月4日 星期三 <a href="#">无障碍</a></div>
<div class="nav"><a href="/">首页</a> <a>政务公开</a> <a>动态</a> <a>政务服务</a></div>
<div class="crumb">首页 &gt; 政务公开 &gt; 部门动态</div>
<div class="article"><h1>{title}</h1>
<div class="info">发布时间：2024-06-04　来源：岚县农业农村局　浏览次数：1386</div>
<div class="content">{body}</div>
<div class="share">分享到：微信 微博【打印本页】【关闭窗口】</div></div>
<div class="related"><h3>相关阅读</h3><ul><li><a>岚县召开春耕备耕工作会议</a></li></ul></div>
<div class="footer">主办：岚县人民政府办公室 晋ICP备12345678号</div></body></html>"""
BODY = ["今年以来，岚县坚持把马铃薯产业作为富民强县的主导产业，全县马铃薯种植面积稳定在20万亩。",
        "全县建成马铃薯良种繁育基地3个，培育龙头企业12家，带动农户2.3万户。",
        "下一步，岚县将继续延伸产业链条，力争到2025年全产业链产值突破30亿元。"]
FURNITURE = ["今天是", "无障碍", "政务服务", "打印本页", "关闭窗口", "相关阅读", "春耕备耕", "ICP备", "分享到"]


@pytest.mark.parametrize("shape", ["paragraphs", "divs", "table", "title_only"])
def test_a_saved_county_page_keeps_its_article_and_drops_its_furniture(shape):
    title = "岚县马铃薯产业发展情况"
    if shape == "paragraphs":
        body = "".join(f"<p>{p}</p>" for p in BODY)
    elif shape == "divs":
        body = "".join(f"<div><span>{p}</span></div>" for p in BODY)
    elif shape == "table":
        body = f"<table><tr><td>{BODY[0]}</td></tr><tr><td>{BODY[1]}</td></tr><tr><td>{BODY[2]}</td></tr></table>"
    else:
        body = "".join(f"<p>{p}</p>" for p in BODY)
    page = COUNTY_PAGE.format(title=title, body=body)
    if shape == "title_only":  # no <h1> and no og:title: the title is only in <title>
        page = page.replace(f"<h1>{title}</h1>", "").replace(f'<meta property="og:title" content="{title}">', "")
    doc = read_document("page.html", page.encode())
    tables = _analyse(doc)
    clean = tables["documents"]["clean_text"].iat[0]
    kept = sum(len(p) for p in BODY if p in clean) / sum(len(p) for p in BODY)
    assert kept >= 0.98
    assert [f for f in FURNITURE if f in clean] == []
    row = tables["documents"].iloc[0]
    assert row["title"].startswith(title) and row["date"] == "2024-06-04"
    assert row["outlet"] == "岚县农业农村局" and row["url"] == "http://www.lanxian.gov.cn/a/1.html"


def test_an_mhtml_page_is_read_like_the_page():
    page = COUNTY_PAGE.format(title="岚县马铃薯产业发展情况", body="".join(f"<p>{p}</p>" for p in BODY))
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
