"""Ingest: formats, encodings, ids and one clear rejection per bad file."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.pipeline.ingest import (
    MAX_FILE_BYTES,
    IngestError,
    document_id,
    load_documents,
    read_document,
    safe_file_name,
)
from tests.conftest import SEED_FILES

TEXT = "岚县位于山西省西北部，总人口18.7万人。"


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(text: str | None) -> bytes:
    """A one-page PDF; with text=None it has no text layer, like a scan."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_chinese_encodings_are_read_right(encoding):
    doc = read_document("a.txt", TEXT.encode(encoding))
    assert doc["raw_text"] == TEXT


def test_big5_is_read_right():
    text = "臺灣縣市發展規劃，森林覆蓋率百分之七十六。"
    doc = read_document("b.txt", text.encode("big5"))
    assert doc["raw_text"] == text
    assert doc["encoding"] == "big5"


def test_html_tags_and_scripts_are_stripped():
    html = f"<html><body><h1>标题</h1><p>{TEXT}</p><script>alert('x')</script></body></html>"
    doc = read_document("page.html", html.encode())
    assert "标题" in doc["raw_text"] and TEXT in doc["raw_text"]
    assert "alert" not in doc["raw_text"] and "<p>" not in doc["raw_text"]


def test_markdown_markup_is_reduced_to_text():
    doc = read_document("n.md", f"# 岚县\n\n**{TEXT}** [链接](http://x)".encode())
    assert doc["raw_text"].splitlines()[0] == "岚县"
    assert TEXT in doc["raw_text"] and "链接" in doc["raw_text"] and "http" not in doc["raw_text"]


def test_docx_paragraphs_are_read():
    doc = read_document("d.docx", make_docx(["柞水县", TEXT]))
    assert doc["raw_text"] == f"柞水县\n{TEXT}"
    assert doc["format"] == "docx"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty"),
    ("bin.txt", bytes(range(256)) * 4, "binary"),
    ("bad.txt", b"\x80\xff\xfa" * 50 + b"\x81", "undecodable"),
    ("scan.pdf", make_pdf(None), "no text layer"),
    ("fake.pdf", b"not a pdf at all", "not a PDF"),
    ("broken.docx", b"PK\x03\x04 broken zip", "corrupt"),
    ("english.txt", b"County strategy without Chinese.", "no Chinese"),
    ("table.xls", TEXT.encode(), "unsupported"),
])
def test_bad_files_get_one_clear_reason(name, data, reason):
    with pytest.raises(IngestError) as error:
        read_document(name, data)
    assert error.value.file_name == name
    assert reason in str(error.value)
    assert str(error.value).startswith(name + ": ")


def test_oversized_file_is_rejected_with_the_limit():
    with pytest.raises(IngestError, match="MB limit"):
        read_document("big.txt", b"a" * (MAX_FILE_BYTES + 1))


def test_docx_zip_bomb_is_refused_before_inflating():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (120 * 2**20))
    with pytest.raises(IngestError, match="expands to"):
        read_document("bomb.docx", buffer.getvalue())


@pytest.mark.parametrize("raw,expected", [
    ("../../x.txt", "x.txt"), ("/etc/passwd.txt", "passwd.txt"), ("C:\\a\\b.txt", "b.txt"),
    ("a\x00b.txt", "ab.txt"), ("", "unnamed.txt"), ("..", "unnamed.txt"),
])
def test_file_names_lose_their_path_parts(raw, expected):
    assert safe_file_name(raw) == expected


def test_long_file_names_keep_their_extension():
    name = safe_file_name("县" * 500 + ".txt")
    assert len(name) <= 120 and name.endswith(".txt")


def test_document_id_is_the_content_hash():
    assert document_id(b"abc") == document_id(b"abc") != document_id(b"abd")
    assert read_document("x.txt", TEXT.encode())["doc_id"] == read_document("y.txt", TEXT.encode())["doc_id"]


def test_load_documents_keeps_good_files_and_lists_bad_ones(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    documents, rejections = load_documents(sorted(tmp_path.iterdir()))
    assert len(documents) == 1
    reasons = {r.file_name: r.reason for r in rejections}
    assert "empty" in reasons["empty.txt"] and "duplicate" in reasons["good.txt"]


def test_seeds_load_unchanged():
    documents, rejections = load_documents(SEED_FILES)
    assert rejections == [] and len(documents) == 5
    for path, text in zip(SEED_FILES, documents["raw_text"]):
        assert text == path.read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["a.txt", "a.md", "a.html", "a.docx", "a.pdf"]))
def test_arbitrary_bytes_give_a_document_or_a_clear_rejection(data, name):
    try:
        doc = read_document(name, data)
    except IngestError as error:
        assert error.reason
    else:
        assert doc["raw_text"].strip()


def ascii_pdf(text: str, owner_password: str | None = None) -> bytes:
    """A one-page PDF whose text layer is `text` (ASCII, Helvetica); with `owner_password`, restricted by an
    owner password only, as offices publish reports that may not be edited."""
    from pypdf import PdfReader, PdfWriter

    content = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    if owner_password is None:
        return out.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.encrypt(user_password="", owner_password=owner_password)
    locked = io.BytesIO()
    writer.write(locked)
    return locked.getvalue()


def test_a_pdf_with_only_an_owner_password_is_read():
    from analytics.pipeline.ingest import pdf_to_text

    data = ascii_pdf("County population 18.7", owner_password="no-edits")
    assert b"/Encrypt" in data
    assert "County population 18.7" in pdf_to_text(data, "owner.pdf")


def test_utf16_without_bom_or_ascii_is_read_and_mojibake_is_refused():
    pure = "岚县森林覆盖率稳定提升全县经济社会持续发展坚持生态立县"
    for encoding in ("utf-16-le", "utf-16-be"):
        doc = read_document("u.txt", pure.encode(encoding))
        assert doc["raw_text"] == pure and doc["encoding"] == encoding
    import random
    rng = random.Random(7)
    noise = bytes(rng.randrange(0x81, 0xFE) for _ in range(600))  # high bytes: decodable, meaningless
    with pytest.raises(IngestError, match="无法确定编码"):
        read_document("noise.txt", noise)


def test_a_page_whose_stray_end_tags_hide_its_depth_is_refused_fast():
    import time

    from analytics.pipeline.ingest import html_depth

    assert html_depth("<div></i>" * 5000) == 5000      # the parser nests every <div>: </i> closes nothing
    assert html_depth("<p>一段" * 5000) == 1             # each <p> closes the one before
    started = time.monotonic()
    with pytest.raises(IngestError, match="网页结构异常"):
        read_document("stray.html", ("<div></i>" * 100_000).encode())
    assert time.monotonic() - started < 10
