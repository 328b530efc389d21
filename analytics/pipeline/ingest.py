"""Files -> documents: format and encoding detection, text extraction, stable ids, clear rejections.

A document row holds `doc_id` (content hash), `file_name`, `source`, `format`, `encoding` and
`raw_text`. A file that cannot become a document raises `IngestError` naming the file and the
reason; `load_documents` collects those instead of stopping, so one bad file never costs the rest.
"""
from __future__ import annotations

import functools
import hashlib
import json
import importlib.resources
import io
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pandas as pd
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from analytics.pipeline.text import has_cjk

MAX_FILE_BYTES = 20 * 1024 * 1024  # a county strategy is rarely over 1 MB; 20 MB leaves room for PDFs
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # .docx is a zip: refuse bombs before inflating them
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024  # the text part of a .docx: parsing 95 MB of XML took 3.4 GB of RAM
MAX_TEXT_CHARS = 2_000_000  # extracted characters: a county work report is ~30,000, a five-year plan ~150,000
MAX_NAME_CHARS = 120
FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".shtml": "html", ".mhtml": "mhtml", ".mht": "mhtml", ".docx": "docx", ".pdf": "pdf",
           ".doc": "doc", ".wps": "wps", ".rtf": "rtf", ".odt": "odt",
           ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
           ".bmp": "image", ".webp": "image"}
ARCHIVES = (".zip",)  # expanded into their documents before reading (expand_archives)
# meta: JSON of what the document says about itself (title, date, outlet, url; pages, OCR confidence and the
# OCR'd paragraphs read with low confidence)
DOCUMENT_COLUMNS = ["doc_id", "file_name", "source", "format", "encoding", "raw_text", "meta"]
MAX_ARCHIVE_ENTRIES = 5000  # documents in one .zip (a county's decade of reports is a few hundred)
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # one .zip as read or uploaded (its members are bounded one by one)


class IngestError(ValueError):
    """A file that cannot become a document; str() is the one-line message shown to the user."""

    def __init__(self, file_name: str, reason: str):
        super().__init__(f"{file_name}: {reason}")
        self.file_name = file_name
        self.reason = reason


@dataclass(frozen=True)
class Rejection:
    file_name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file_name}: {self.reason}"


def safe_file_name(name: str) -> str:
    """The base name of an uploaded file, without path parts, control characters or excess length.

    >>> safe_file_name("../../etc/x.txt"), safe_file_name("C:\\\\tmp\\\\a.txt"), safe_file_name("a\\x00b.txt")
    ('x.txt', 'a.txt', 'ab.txt')
    """
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(base) > MAX_NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        keep = MAX_NAME_CHARS - len(ext) - 1 if dot and len(ext) <= 10 else MAX_NAME_CHARS
        base = (stem[:keep] + "." + ext) if dot and len(ext) <= 10 else base[:keep]
    return base or "unnamed.txt"


def document_id(data: bytes) -> str:
    """Stable id of a document: the first 16 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),  # UTF-32 first: its LE BOM
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))                    # starts like UTF-16's


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 without a BOM: the NULs of its ASCII
    characters (newlines, digits) stand at odd (LE) or even (BE) positions only."""
    head = data[:8192]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 2 and even == 0:
        return "utf-16-le"
    if even >= 2 and odd == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes, file_name: str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes: a BOM (UTF-32, UTF-16), UTF-16 without a BOM, then UTF-8 (with or without BOM),
    then GB18030 or Big5 as detected.

    Returns (text, encoding). Raises IngestError for binary or undecodable bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise IngestError(file_name, f"undecodable {encoding.upper()} text (无法识别的编码)") from None
    bomless = _bomless_utf16(data)
    if bomless:
        try:
            text = data.decode(bomless)
        except UnicodeDecodeError:
            text = ""
        if text and _common_char_score(text) > 0.9:
            return text, bomless
    if not _looks_binary(data):
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ():
        # UTF-16 with no ASCII has no NULs to tell it by, and its bytes look binary: a decoding that is
        # nearly all common characters is the right one
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if has_cjk(text) and not _looks_binary(text.encode("utf-8")) and common_share(text) >= 0.9:
            return text, encoding
    if _looks_binary(data):
        raise IngestError(file_name, "binary content, not text (二进制内容，不是文本)")
    # GB18030 is a superset of GBK/GB2312, Big5 files often decode as GB18030 garbage, and UTF-16 without a
    # BOM and without ASCII has no NULs to tell it by: decode each strictly and keep the one whose Chinese
    # characters are the most common; when even that one reads as rare characters, it was a guess — refuse.
    candidates = []
    for encoding in ("gb18030", "big5", "utf-16-le", "utf-16-be"):
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            candidates.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    candidates = [(e, t) for e, t in candidates if not _looks_binary(t.encode("utf-8", "replace"))]
    if not candidates:
        raise IngestError(file_name, "undecodable text: not UTF-8, GB18030/GBK, Big5 or UTF-16 (无法识别的编码)")
    encoding, text = max(candidates, key=lambda c: (common_share(c[1]), _common_char_score(c[1])))
    if common_share(text) < MIN_COMMON_SHARE:
        raise IngestError(file_name, f"the text reads as rare characters in every encoding tried ({encoding} at best): "
                                     "save it as UTF-8 and upload it again (无法确定编码)")
    return text, encoding


COMMON_CHARACTERS = 4000  # the characters that make up nearly all of any Chinese text
MIN_COMMON_SHARE = 0.6    # a right decoding of Chinese is ~0.99 common characters; mojibake ~0.1–0.3
_DICTIONARY = ("jieba", "dict.txt")


@functools.lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """The COMMON_CHARACTERS most frequent Chinese characters by the segmenter's dictionary (each word's
    frequency counted for each of its characters)."""
    counts: dict[str, int] = {}
    path = importlib.resources.files(_DICTIONARY[0]).joinpath(_DICTIONARY[1])
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, rest = line.partition(" ")
            freq = int(rest.split(" ", 1)[0] or 0)
            for ch in word:
                if "\u4e00" <= ch <= "\u9fff":
                    counts[ch] = counts.get(ch, 0) + freq
    return frozenset(sorted(counts, key=counts.get, reverse=True)[:COMMON_CHARACTERS])


@functools.lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def common_share(text: str, sample: int = 20000) -> float:
    """Share of a text's letters beyond ASCII (of its first `sample` characters, Traditional read as
    Simplified) that are common Chinese characters: a right decoding of a Chinese text is nearly all of them,
    mojibake is rare ideographs, Hangul, private-use or other scripts. 1.0 for a text of ASCII only."""
    letters = [ch for ch in _to_simplified().convert(text[:sample])
               if not ch.isascii() and unicodedata.category(ch)[0] in "LC"]
    if not letters:
        return 1.0
    common = common_characters()
    return sum(ch in common for ch in letters) / len(letters)


def _common_char_score(text: str) -> float:
    """Share of characters in the CJK block's most used range plus ASCII: garbage decodes score low."""
    if not text:
        return 0.0
    common = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fa5" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef")
    return common / len(text)


MAX_HTML_DEPTH = 1000  # real pages nest well under 100 elements deep; 200,000 nested <div> took lexbor 93 s
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


# Elements an HTML parser closes when another of their kind starts right inside them (<p>, <li> …)
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd option tr td th thead tbody tfoot".split())


def html_depth(html: str) -> int:
    """How deep the parser will nest the page's elements at the most: one linear scan of its tags kept as the
    parser keeps its stack of open elements — an end tag closes the nearest open element of its name and
    those above it, an end tag with no open element of its name is ignored (so `<div></i>` × N nests N deep,
    as the parser builds it), a <p> or <li> starting right inside another closes it."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    deepest = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            if open_count.get(name):
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
        elif not self_closing and name not in _VOID:
            if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == name:
                continue  # the previous one is closed and this one takes its place
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            deepest = max(deepest, len(stack))
    return deepest


def _check_depth(html: str, file_name: str) -> None:
    depth = html_depth(html)
    if depth > MAX_HTML_DEPTH:
        raise IngestError(file_name, f"HTML nested {depth:,} elements deep, over the {MAX_HTML_DEPTH:,} limit: "
                                     "not a web page (网页结构异常)")


def html_to_text(html: str, file_name: str = "<html>") -> str:
    """Visible text of an HTML page, one line per block (readers.web.block_text): scripts and styles
    removed, a paragraph split by inline elements one line, table rows as `a | b`. Raises IngestError for a
    page nested deeper than MAX_HTML_DEPTH (checked before parsing)."""
    from analytics.pipeline.readers.web import block_text

    _check_depth(html, file_name)
    return block_text(html)


# Linear patterns: a link's text may not hold another `[` (nor its target another `(`), so the run scanned
# from one bracket ends at the next and no character is scanned twice. `[^\]]*` rescanned the rest of the
# text from every `[`: 100,000 unclosed `![` took minutes, and Python's regex holds the interpreter lock,
# so every session of the server stalled. An image inside a link is taken by a second pass.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_MD_BLOCK_MARK = re.compile(r"^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d{1,9}\.)[ \t]+", re.M)
_MD_EMPHASIS = re.compile(r"\*\*|__|\*|_|`")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>\n]*>")


def markdown_to_text(md: str) -> str:
    """Markdown without its markup: headings, emphasis, links and images reduced to their text."""
    text = _MD_LINK.sub(r"\1", md)
    text = _MD_LINK.sub(r"\1", text)  # an image inside a link: [![alt](src)](href)
    text = _MD_BLOCK_MARK.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    return html_to_text(text) if _HTML_TAG.search(text) else text


def docx_to_text(data: bytes, file_name: str) -> str:
    """Paragraph and table text of a .docx; refuses corrupt files and zip bombs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > MAX_UNZIPPED_BYTES:
                raise IngestError(file_name, f"docx expands to {inflated // 2**20} MB, over the "
                                             f"{MAX_UNZIPPED_BYTES // 2**20} MB limit (疑似压缩炸弹)")
            if "word/document.xml" not in archive.namelist():
                raise IngestError(file_name, "corrupt .docx: no word/document.xml (文件损坏)")
            body = archive.getinfo("word/document.xml").file_size
            if body > MAX_DOCX_XML_BYTES:
                raise IngestError(file_name, f"docx text part is {body // 2**20} MB of XML, over the "
                                             f"{MAX_DOCX_XML_BYTES // 2**20} MB limit (文件过大)")
    except zipfile.BadZipFile:
        raise IngestError(file_name, "corrupt .docx: not a zip archive (文件损坏)") from None

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for broken XML
        raise IngestError(file_name, f"corrupt .docx: {type(error).__name__} (文件损坏)") from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_to_text(data: bytes, file_name: str, progress=None) -> tuple[str, dict]:
    """(text, meta) of a PDF: its text layer by page, a page without one read by OCR
    (analytics.pipeline.readers.pdf). Raises IngestError."""
    from analytics.pipeline.readers.ocr import ImageError
    from analytics.pipeline.readers.pdf import PAGE_BREAK, PdfError, read_pdf

    try:
        pdf = read_pdf(data, progress, MAX_TEXT_CHARS)
    except (PdfError, ImageError) as error:
        raise IngestError(file_name, str(error)) from None
    if not pdf.text.replace(PAGE_BREAK, "").strip():
        raise IngestError(file_name, "PDF has no text layer and OCR reads no text in it (PDF 无文字层)")
    # a PDF's creation date is when the file was made (often an export years later): the report's own date
    # line comes first, the file's date only where the text has none (catalog.describe_documents)
    meta = {"pages": pdf.pages, "title": pdf.title, "created": pdf.date}
    if pdf.ocr_pages:
        meta.update(ocr_pages=pdf.ocr_pages, ocr_confidence=pdf.confidence, low_confidence=pdf.low_confidence)
    return pdf.text, meta


def image_to_text(data: bytes, file_name: str) -> tuple[str, dict]:
    """(text, meta) of a photographed or scanned page, by OCR (analytics.pipeline.readers.ocr)."""
    from analytics.pipeline.readers.ocr import LOW_CONFIDENCE, ImageError, ocr_lines, ocr_page, open_image

    try:
        image = open_image(data)
    except ImageError as error:
        raise IngestError(file_name, str(error)) from None
    text, paragraphs = ocr_page(ocr_lines(image), image.width)
    scores = [score for _, score in paragraphs]
    return text, {"ocr_pages": 1, "ocr_confidence": sum(scores) / len(scores) if scores else None,
                  "low_confidence": [t for t, score in paragraphs if score < LOW_CONFIDENCE]}


def web_to_text(html: str, file_name: str) -> tuple[str, dict]:
    """(text, meta) of a saved web page: its article, title, date, outlet and URL (readers.web)."""
    from analytics.pipeline.readers.web import read_html

    _check_depth(html, file_name)
    page = read_html(html, lambda whole: html_to_text(whole, file_name))
    return page.text, {"title": page.title, "date": page.date, "outlet": page.outlet, "url": page.url}


def detect_format(file_name: str, data: bytes) -> str:
    """Format from the extension, checked against the content's magic bytes."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in FORMATS:
        raise IngestError(file_name, f"unsupported file type '{suffix or '(none)'}'; use .txt, .md, .html, "
                                     ".mhtml, .docx, .doc, .wps, .rtf, .odt, .pdf, an image or a .zip of them "
                                     "(不支持的文件类型)")
    fmt = FORMATS[suffix]
    if fmt == "pdf" and not data.startswith(b"%PDF"):
        raise IngestError(file_name, "not a PDF: the content does not start with %PDF (文件损坏)")
    return fmt


def _too_long(n_chars: int) -> str:
    return (f"{n_chars:,} characters of text, over the {MAX_TEXT_CHARS:,}-character limit: split the document "
            "(文字过多，请拆分文件)")


def read_file(path: Path) -> bytes:
    """The bytes of a document file, its size checked before reading: a FIFO, a device or a directory is
    refused (reading /dev/zero never ends), and so is a file over MAX_FILE_BYTES, an archive over
    MAX_ARCHIVE_BYTES (a sparse 3 GB file once took 3.3 GB of RAM before its refusal). Raises IngestError."""
    path = Path(path)
    name = safe_file_name(path.name)
    limit = MAX_ARCHIVE_BYTES if path.suffix.lower() in ARCHIVES else MAX_FILE_BYTES
    try:
        info = path.stat()
    except OSError as error:
        raise IngestError(name, f"cannot read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(name, "not a regular file (a directory, FIFO or device) (不是普通文件)")
    if info.st_size > limit:
        raise IngestError(name, f"{info.st_size / 2**20:.1f} MB is over the {limit // 2**20} MB limit (文件过大)")
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)  # a file that grows while read is still bounded
    except OSError as error:
        raise IngestError(name, f"cannot read: {error.strerror}") from None
    if len(data) > limit:
        raise IngestError(name, f"over the {limit // 2**20} MB limit (文件过大)")
    return data


def read_document(file_name: str, data: bytes, source: str = "upload", progress=None) -> dict:
    """One document row from a file's name and bytes. Raises IngestError with the reason. `progress(done,
    total)` is called as the pages of a PDF are read (the worker's deadline runs per page)."""
    from analytics.pipeline.readers.office import OFFICE_FORMATS, OfficeError, office_to_text

    file_name = safe_file_name(file_name)
    if not data:
        raise IngestError(file_name, "empty file (空文件)")
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(file_name, f"{len(data) / 2**20:.1f} MB is over the "
                                     f"{MAX_FILE_BYTES // 2**20} MB limit (文件过大)")
    fmt = detect_format(file_name, data)
    encoding, meta = "utf-8", {}
    if fmt == "docx":
        text = docx_to_text(data, file_name)
    elif fmt == "pdf":
        text, meta = pdf_to_text(data, file_name, progress)
    elif fmt == "image":
        text, meta = image_to_text(data, file_name)
    elif fmt in OFFICE_FORMATS:
        try:
            text = office_to_text(data, fmt)
        except OfficeError as error:
            raise IngestError(file_name, str(error)) from None
    elif fmt == "mhtml":
        from analytics.pipeline.readers.web import mhtml_html

        html = mhtml_html(data)
        if not html:
            raise IngestError(file_name, "no web page inside the .mhtml file (文件无网页内容)")
        text, meta = web_to_text(html, file_name)
    else:
        text, encoding = decode_text(data, file_name)
        if fmt == "html":
            text, meta = web_to_text(text, file_name)
        elif fmt == "md":
            text = markdown_to_text(text)
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(file_name, _too_long(len(text)))
    if not text.strip():
        raise IngestError(file_name, "no text in the file (没有文字)")
    if not has_cjk(text):
        raise IngestError(file_name, "no Chinese text found (没有中文内容)")
    return {"doc_id": document_id(data), "file_name": file_name, "source": source, "format": fmt,
            "encoding": encoding, "raw_text": text,
            "meta": json.dumps({k: v for k, v in meta.items() if v not in ("", None, [])}, ensure_ascii=False)}


def load_documents(paths: list[Path], source: str = "seed") -> tuple[pd.DataFrame, list[Rejection]]:
    """Documents from files; unreadable ones become Rejections. Duplicate contents are kept once."""
    rows, rejections, seen = [], [], set()
    for path in sorted(paths):
        try:
            row = read_document(Path(path).name, read_file(Path(path)), source)
        except IngestError as error:
            rejections.append(Rejection(error.file_name, error.reason))
            continue
        if row["doc_id"] in seen:
            rejections.append(Rejection(row["file_name"], "exact duplicate of a document already loaded (重复文件)"))
            continue
        seen.add(row["doc_id"])
        rows.append(row)
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS), rejections


def document_paths(directory: Path) -> list[Path]:
    """The files of a folder and its subfolders that look like documents or archives of them (hidden files
    and folders and the catalog skipped), in a stable order."""
    root = Path(directory)
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and p.suffix.lower() in (*FORMATS, *ARCHIVES)
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def _member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name as its maker wrote it: names without the UTF-8 flag are GBK on Chinese systems
    (zipfile reads them as cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def expand_archives(files: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[Rejection]]:
    """The files with every .zip replaced by the documents inside it (their names as inside, without their
    folders), and what could not be taken out, with the reason shown as `archive.zip/member`. Bounded like a
    .docx: at most MAX_ARCHIVE_ENTRIES files and MAX_UNZIPPED_BYTES unpacked — counted as read, so a member
    lying about its size is stopped too — each member at most MAX_FILE_BYTES; an archive inside an archive
    is not opened."""
    out: list[tuple[str, bytes]] = []
    rejected: list[Rejection] = []
    for name, data in files:
        if Path(str(name)).suffix.lower() not in ARCHIVES:
            out.append((name, data))
            continue
        archive_name = safe_file_name(str(name))
        try:
            if len(data) > MAX_ARCHIVE_BYTES:
                raise IngestError(archive_name, f"{len(data) / 2**20:.0f} MB is over the "
                                                f"{MAX_ARCHIVE_BYTES // 2**20} MB limit of one archive (压缩包过大)")
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [i for i in archive.infolist() if not i.is_dir()]
                if len(members) > MAX_ARCHIVE_ENTRIES:
                    raise IngestError(archive_name, f"{len(members):,} files, over the {MAX_ARCHIVE_ENTRIES:,}-file "
                                                    "limit of one archive (压缩包文件过多)")
                inflated = sum(i.file_size for i in members)
                if inflated > MAX_UNZIPPED_BYTES:
                    raise IngestError(archive_name, f"expands to {inflated // 2**20} MB, over the "
                                                    f"{MAX_UNZIPPED_BYTES // 2**20} MB limit (疑似压缩炸弹)")
                unpacked, taken = 0, []
                for info in members:
                    member = _member_name(info)
                    base = member.rsplit("/", 1)[-1]
                    shown = f"{archive_name}/{base}"
                    if base.startswith(".") or "__MACOSX" in member:
                        continue
                    suffix = Path(base).suffix.lower()
                    if suffix in ARCHIVES:
                        rejected.append(Rejection(shown, "an archive inside an archive is not opened (压缩包嵌套)"))
                    elif suffix not in FORMATS:
                        rejected.append(Rejection(shown, f"unsupported file type '{suffix or '(none)'}' (不支持的文件类型)"))
                    elif info.file_size > MAX_FILE_BYTES:
                        rejected.append(Rejection(shown, f"over the {MAX_FILE_BYTES // 2**20} MB limit (文件过大)"))
                    else:
                        with archive.open(info) as f:
                            content = f.read(MAX_FILE_BYTES + 1)  # a member lying about its size is bounded too
                        unpacked += len(content)
                        if unpacked > MAX_UNZIPPED_BYTES:
                            raise IngestError(archive_name, f"expands to over {MAX_UNZIPPED_BYTES // 2**20} MB "
                                                            "(疑似压缩炸弹)")
                        taken.append((base, content))
                out.extend(taken)  # all of an archive or, when it turns out a bomb, none of it
        except IngestError as error:
            rejected.append(Rejection(error.file_name, error.reason))
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
            rejected.append(Rejection(archive_name, f"corrupt or encrypted archive: {error} (压缩包损坏)"))
    return out, rejected
