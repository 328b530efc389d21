"""The bad-input corpus: files a user may upload that must be rejected with a reason, or read right.

Each case is an upload name, its bytes (built here, so nothing binary is committed), and what must
happen: `reject` with words the message must contain, or `add` (with a check in tests/test_bad_inputs.py).
`python tests/bad_inputs/make_bad_inputs.py [DIR]` writes the files whose names a file system can hold
(default tests/bad_inputs/corpus/) for trying them by hand: `python -m analytics add DIR/* --store /tmp/s`.
The oversized file (over analytics.pipeline.ingest.MAX_FILE_BYTES) is made in memory by `oversized()` only.
"""
from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Texts that name no known place on purpose, so they cannot pass as any seed's county.
PLAIN_TEXT = "坚持生态优先、绿色发展，推动产业转型升级，建设宜居宜业的美丽家园。"
GBK_TEXT = "山西省吕梁市岚县坚持生态立县，推动马铃薯产业高质量发展，二〇二四年地区生产总值增长百分之六。"
BIG5_TEXT = "陝西省商洛市柞水縣打造西商融合協作發展先行區，發展木耳產業與全域旅遊。"
BIG5_SIMPLIFIED = "柞水县打造西商融合协作发展先行区"


@dataclass(frozen=True)
class Case:
    name: str            # the upload name exactly as given (may hold path parts or NUL)
    data: bytes
    expect: str          # 'reject' or 'add'
    reason: tuple = ()   # words the rejection message must contain (any one of them)
    disk_name: str = ""  # a name the file can have on disk for the CLI ('' = the case is API-only)


def blank_pdf() -> bytes:
    """A one-page PDF with no text layer, as a scanner makes (pypdf writes it)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def many_pages_pdf(pages: int = 5000) -> bytes:
    """A PDF of `pages` blank pages: over the reader's page limit, refused before any page is read."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bomb(inflated_mb: int = 110) -> bytes:
    """A .docx-shaped zip whose word/document.xml inflates past MAX_UNZIPPED_BYTES (about 110 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 2**20
            for _ in range(inflated_mb):
                member.write(chunk)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """A PDF locked with a password (pypdf writes it)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_with_huge_text(xml_mb: int = 40) -> bytes:
    """A .docx whose word/document.xml is over MAX_DOCX_XML_BYTES but packs small (under the bomb limit)."""
    buffer = io.BytesIO()
    paragraph = f"<w:p><w:r><w:t>{PLAIN_TEXT}</w:t></w:r></w:p>".encode()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b"<w:document><w:body>")
            for _ in range(xml_mb * 2**20 // len(paragraph) + 1):
                member.write(paragraph)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def too_many_characters() -> bytes:
    """Plain text under MAX_FILE_BYTES whose characters are over MAX_TEXT_CHARS (ASCII digits: one byte each)."""
    from analytics.pipeline.ingest import MAX_TEXT_CHARS

    return (PLAIN_TEXT + "\n").encode() + b"1" * (MAX_TEXT_CHARS + 10)


def oversized() -> bytes:
    """A text file one byte over analytics.pipeline.ingest.MAX_FILE_BYTES (kept in memory, never committed)."""
    from analytics.pipeline.ingest import MAX_FILE_BYTES

    unit = PLAIN_TEXT.encode("utf-8")
    return (unit * (MAX_FILE_BYTES // len(unit) + 1))[:MAX_FILE_BYTES + 1]


def cases() -> list[Case]:
    """Every case of the corpus, in a fixed order."""
    text = lambda tag: f"{PLAIN_TEXT}（{tag}）".encode("utf-8")  # distinct bytes: no case duplicates another
    return [
        Case("empty.txt", b"", "reject", ("empty", "空文件"), "empty.txt"),
        Case("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "reject", ("binary", "二进制"), "binary.txt"),
        Case("invalid_utf8.txt", "中文".encode() + b"\xc3\x28\xa0\xa1\xff\xff\xfe", "reject",
             ("undecodable", "无法识别"), "invalid_utf8.txt"),
        Case("gbk.txt", GBK_TEXT.encode("gbk"), "add", (), "gbk.txt"),
        Case("big5.txt", BIG5_TEXT.encode("big5"), "add", (), "big5.txt"),
        Case("scanned.pdf", blank_pdf(), "reject", ("no text layer", "无文字层"), "scanned.pdf"),
        Case("corrupt.docx", b"PK\x03\x04" + b"\x14\x00broken zip" * 20, "reject", ("corrupt", "损坏"), "corrupt.docx"),
        Case("bomb.docx", docx_bomb(), "reject", ("limit", "压缩炸弹"), "bomb.docx"),
        Case("../../escape.txt", text("相对路径"), "add", (), ""),
        Case("/etc/absolute.txt", text("绝对路径"), "add", (), ""),
        Case("nul\x00byte.txt", text("空字符"), "add", (), ""),
        Case("长" * 300 + ".txt", text("超长文件名"), "add", (), ""),
        Case("html_inside.txt", (PLAIN_TEXT + '<script>alert("x")</script><b onclick="steal()">粗体</b>'
                                 '<img src=x onerror=alert(1)>').encode(), "add", (), "html_inside.txt"),
        Case("page.html", ("<html><head><script>document.cookie='x'</script><style>p{}</style></head>"
                           f"<body><p>{PLAIN_TEXT}</p><p>网页版</p></body></html>").encode(), "add", (), "page.html"),
        Case("english.txt", b"County development strategy, in English only.\n", "reject",
             ("no Chinese", "没有中文"), "english.txt"),
        Case("no_place.txt", text("无地名"), "add", (), "no_place.txt"),
        Case("utf32.txt", f"{PLAIN_TEXT}（UTF-32）\n".encode("utf-32"), "add", (), "utf32.txt"),
        Case("utf16_nobom.txt", f"{PLAIN_TEXT}（UTF-16 无BOM）\n第2行\n".encode("utf-16-le"), "add", (),
             "utf16_nobom.txt"),
        Case("locked.pdf", encrypted_pdf(), "reject", ("encrypted", "加密"), "locked.pdf"),
        Case("huge_text.docx", docx_with_huge_text(), "reject", ("XML", "文件过大"), "huge_text.docx"),
        Case("long_text.txt", too_many_characters(), "reject", ("characters", "文字过多"), "long_text.txt"),
        Case("nested.html", ("<html><body>" + "<div>" * 1500 + PLAIN_TEXT + "</div>" * 1500 + "</body></html>").encode(),
             "reject", ("nested", "网页结构异常"), "nested.html"),
        Case("kangxi.txt", "全县总⼈⼝18.7万⼈，森林覆盖率百分之三⼗。坚持生态立县。".encode(), "add", (), "kangxi.txt"),
        Case("5000_pages.pdf", many_pages_pdf(), "reject", ("page limit", "文件过大"), "5000_pages.pdf"),
        Case("repeated_lines.txt", ("坚持生态立县，全县地区生产总值增长百分之六。\n" * 2000).encode(), "add", (),
             "repeated_lines.txt"),
    ]


def write_corpus(directory: Path) -> list[Path]:
    """Write the cases that have a disk name into directory; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases():
        if case.disk_name:
            path = directory / case.disk_name
            path.write_bytes(case.data)
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "corpus"
    for path in write_corpus(target):
        print(path)
