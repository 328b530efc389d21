"""PDF bytes -> text by page: the text layer read with pdfium (pypdfium2), a page without one read by OCR.

pypdfium2 was chosen over pdfplumber by measuring both on PDFs printed by chromium with embedded CID fonts
(benchmarks/readers.py): the same characters, pdfium 15–30 times faster, its characters' boxes one C call
each. Each page's lines (pdfium's line breaks, with the boxes of their characters) go through
analytics.pipeline.readers.layout: table rows, reading order by column, running headers/footers and page
numbers removed, paragraphs re-joined. Pages are separated by a form feed (PAGE_BREAK) on a line of its
own, which cleaning keeps, so a passage's page is the number of breaks before it.

A PDF with only an owner password opens; one that needs a user password is refused. Bounded: MAX_PAGES
pages, MAX_TEXT_CHARS characters, OCR for at most MAX_OCR_PAGES pages.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analytics.pipeline.readers import layout
from analytics.pipeline.readers.ocr import LOW_CONFIDENCE, ocr_lines, ocr_page, page_image

PAGE_BREAK = "\f"
MAX_PAGES = 2000
MAX_OCR_PAGES = 300         # a scanned work report is 20–60 pages
OCR_DPI = 200
MIN_TEXT_CHARS = 8          # a page with fewer characters in its text layer is read by OCR


class PdfError(ValueError):
    """A PDF that cannot be read; str() is the reason, for the user."""


@dataclass
class PdfText:
    text: str                               # pages joined by PAGE_BREAK lines
    pages: int
    ocr_pages: int = 0
    confidence: float | None = None         # mean OCR confidence over OCR'd paragraphs, None without OCR
    low_confidence: list[str] = field(default_factory=list)  # OCR'd paragraphs under LOW_CONFIDENCE
    title: str = ""
    date: str = ""


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)  # an owner password alone does not stop pdfium reading
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise PdfError("encrypted PDF: remove its password and upload it again (PDF 已加密)") from None
        raise PdfError(f"corrupt PDF: {reason} (PDF 损坏)") from None


def _text_lines(page) -> list[layout.Line]:
    """The page's text-layer lines (pdfium's own line breaks) with their boxes, top-left origin."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        height = page.get_height()
        lines: list[layout.Line] = []
        chars: list[tuple[str, tuple[float, float, float, float]]] = []

        def close() -> None:
            visible = [(c, box) for c, box in chars if not c.isspace()]
            if visible:
                size = max(b[3] - b[1] for _, b in visible) or 1.0
                # pieces apart by more than one and a half characters are cells of a table row
                cells, piece = [], [visible[0][0]]
                for (_, before), (char, box) in zip(visible, visible[1:]):
                    if box[0] - before[2] > 1.5 * size:
                        cells.append("".join(piece))
                        piece = []
                    piece.append(char)
                cells.append("".join(piece))
                lines.append(layout.Line("".join(c for c, _ in chars).strip(),
                                         min(b[0] for _, b in visible), height - max(b[3] for _, b in visible),
                                         max(b[2] for _, b in visible), height - min(b[1] for _, b in visible),
                                         cells=cells if len(cells) > 1 else []))
            chars.clear()

        for index, char in enumerate(text[:count]):
            if char in "\r\n":
                close()
                continue
            chars.append((char, textpage.get_charbox(index)))
        close()
        return lines
    finally:
        textpage.close()


def read_pdf(data: bytes, progress: Callable[[int, int], None] | None = None,
             max_chars: int = 2_000_000) -> PdfText:
    """The text of a PDF, page by page; `progress(page, pages)` after each page (the worker's deadline
    runs per page). Raises PdfError naming the reason."""
    pdf = _open(data)
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise PdfError(f"{pages} pages, over the {MAX_PAGES}-page limit (文件过大)")
        page_lines: list[list[layout.Line]] = []
        widths, heights, scanned = [], [], []
        size = 0
        for number in range(pages):
            page = pdf[number]
            try:
                lines = _text_lines(page)
                widths.append(page.get_width())
                heights.append(page.get_height())
                characters = sum(len(x.text) for x in lines)
                if characters < MIN_TEXT_CHARS:
                    scanned.append(number)
                page_lines.append(lines)
                size += characters
            finally:
                page.close()
            if size > max_chars:
                raise PdfError(f"over {max_chars:,} characters of text (文字过多)")
            if progress:
                progress(number + 1, pages)
        if len(scanned) > MAX_OCR_PAGES:
            raise PdfError(f"{len(scanned)} pages without a text layer, over the {MAX_OCR_PAGES}-page limit "
                           "of OCR (扫描页过多)")
        scores: list[tuple[str, float]] = []
        if scanned:

            for k, number in enumerate(scanned, start=1):
                page = pdf[number]
                try:
                    image = page_image(page, OCR_DPI)
                finally:
                    page.close()
                scale = 72 / OCR_DPI  # OCR boxes are in pixels: back to points, as the text layer's
                page_lines[number] = [layout.Line(x.text, x.left * scale, x.top * scale, x.right * scale,
                                                  x.bottom * scale, x.score) for x in ocr_lines(image)]
                if progress:
                    progress(pages + k, pages + len(scanned))
        kept = layout.strip_furniture(page_lines, heights)
        texts = []
        for number, (lines, width) in enumerate(zip(kept, widths)):
            if number in scanned:
                text, paragraphs = ocr_page(lines, width)
                scores.extend(paragraphs)
            else:
                text, _ = layout.page_text(lines, width)
            texts.append(text)
        metadata = pdf.get_metadata_dict()
    finally:
        pdf.close()
    confidence = sum(s for _, s in scores) / len(scores) if scores else None
    return PdfText(f"\n{PAGE_BREAK}\n".join(texts), pages, len(scanned), confidence,
                   [t for t, s in scores if s < LOW_CONFIDENCE], _meta_title(metadata.get("Title", "")),
                   _meta_date(metadata.get("CreationDate", "")))


def _meta_title(title: str) -> str:
    """A PDF's own title when it is one (not a file name, not a tool's placeholder)."""
    title = (title or "").strip()
    if not title or title.lower().endswith((".doc", ".docx", ".pdf", ".html", ".htm")) or title.isascii():
        return ""
    return title[:120]


def _meta_date(value: str) -> str:
    """D:20240110093000+08'00' -> 2024-01-10."""
    digits = value.removeprefix("D:")[:8]
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return ""
