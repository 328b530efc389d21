"""The document readers against their alternatives, on documents made from known text (tests/documents_support).

`python benchmarks/readers.py [--markdown FILE]` prints three tables:

* PDF text layers — pypdfium2 (the project's engine, raw and through analytics.pipeline.readers.layout) against
  pdfplumber, on chromium-printed Chinese PDFs with CID fonts (two columns, running headers, page numbers, a
  table): character accuracy against the true text (page furniture counts as error) and time per page.
* OCR — RapidOCR (rapidocr-onnxruntime, the project's engine) against Debian's Tesseract with chi_sim, on the
  same pages rendered at 200 and 300 dpi, turned 0.6° and speckled: character accuracy, the share of the
  text's numbers read exactly, and time per page. Tesseract is measured only where `tesseract` is installed.
* Saved web pages — the article reader (trafilatura's choice of article, kept as the page's own blocks) against
  the whole page's text: body characters kept, furniture lines kept, title and date right.

Accuracy is 1 - edit distance / true length, with whitespace and page breaks left out.
"""
from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import documents_support as support  # noqa: E402


def accuracy(read: str, truth: str) -> float:
    from analytics.pipeline.clean import map_compatibility

    read = map_compatibility(read)[0]  # ⼈ -> 人 for every engine: cleaning does it for any reader
    a = "".join(read.split()).replace("\f", "").replace("|", "")
    b = "".join(truth.split()).replace("|", "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")
    return max(0.0, 1 - edits / len(b))


def numbers_read(read: str, truth: str) -> float:
    """The share of the true text's numbers (with their % or decimals) found in what was read."""
    wanted = re.findall(r"-?\d+(?:\.\d+)?%?", truth)
    found = re.findall(r"-?\d+(?:\.\d+)?%?", "".join(read.split()))
    pool = list(found)
    hits = 0
    for number in wanted:
        if number in pool:
            pool.remove(number)
            hits += 1
    return hits / len(wanted)


def report_truth(paragraphs: list[str], table: bool = True) -> str:
    rows = "".join(" | ".join(row) for row in support.REPORT_TABLE) if table else ""
    return support.REPORT_TITLE + "".join(paragraphs) + rows


def long_report(pages: int) -> tuple[str, str]:
    """A report of about `pages` pages: the paragraphs repeated, numbered so no two are equal."""
    paragraphs = [f"（{i + 1}）" + support.REPORT_PARAGRAPHS[i % len(support.REPORT_PARAGRAPHS)]
                  for i in range(pages * 4)]
    saved = support.REPORT_PARAGRAPHS[:]
    support.REPORT_PARAGRAPHS[:] = paragraphs
    try:
        page = support.report_html(pages=pages)
    finally:
        support.REPORT_PARAGRAPHS[:] = saved
    return page, report_truth(paragraphs)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def pdfium_raw(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def pdfplumber_raw(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def project_pdf(data: bytes) -> str:
    from analytics.pipeline.readers.pdf import read_pdf

    return read_pdf(data).text


def pdf_table(rows: list[str]) -> None:
    documents = {"report, 2 columns, 3 pages": (support.report_html(), report_truth(support.REPORT_PARAGRAPHS)),
                 "report, 2 columns, 30 pages": long_report(30)}
    readers = {"pypdfium2 (raw text)": pdfium_raw, "pdfplumber (extract_text)": pdfplumber_raw,
               "pypdfium2 + layout (project)": project_pdf}
    rows += ["| document | reader | pages | char accuracy | ms / page |", "|---|---|---:|---:|---:|"]
    for name, (page, truth) in documents.items():
        data = support.print_pdf(page)
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(data))
        for reader, function in readers.items():
            text, seconds = min((timed(function, data) for _ in range(3)), key=lambda x: x[1])
            rows.append(f"| {name} | {reader} | {pages} | {accuracy(text, truth):.3f} | {1000 * seconds / pages:.1f} |")


def rapidocr_page(image) -> str:
    from analytics.pipeline.readers.ocr import ocr_lines, ocr_page

    return ocr_page(ocr_lines(image), image.width)[0]


def tesseract_page(image) -> str:
    """Tesseract's words grouped into its lines (TSV output), then laid out like RapidOCR's boxes, so the two
    engines differ only in what they recognise."""
    from analytics.pipeline.readers.layout import Line
    from analytics.pipeline.readers.ocr import ocr_page

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "page.png"
        image.save(path)
        done = subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim", "--psm", "3", "tsv"],
                              capture_output=True, timeout=300)
    lines: dict[tuple, list] = {}
    for row in done.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = map(int, cells[6:10])
        words = lines.setdefault(tuple(cells[1:5]), [])
        words.append((left, top, left + width, top + height, cells[11].strip(), float(cells[10]) / 100))
    boxes = [Line("".join(w[4] for w in sorted(words)), min(w[0] for w in words), min(w[1] for w in words),
                  max(w[2] for w in words), max(w[3] for w in words), sum(w[5] for w in words) / len(words))
             for words in lines.values()]
    return ocr_page(boxes, image.width)[0]


def ocr_table(rows: list[str]) -> None:
    import pypdfium2 as pdfium

    from analytics.pipeline.readers.ocr import page_image

    pdf = support.print_pdf(support.report_html())
    truth = report_truth(support.REPORT_PARAGRAPHS)
    engines = {"RapidOCR": rapidocr_page}
    if shutil.which("tesseract"):
        engines["Tesseract chi_sim"] = tesseract_page
    rows += ["", "| scan | engine | char accuracy | numbers read | s / page |", "|---|---|---:|---:|---:|"]
    for dpi in (200, 300):
        scan = pdfium.PdfDocument(support.scanned_pdf(pdf, dpi=dpi))
        images = [page_image(scan[i], dpi) for i in range(len(scan))]
        for engine, function in engines.items():
            function(images[0])  # models loaded before timing
            started = time.perf_counter()
            text = "\n".join(function(image) for image in images)
            seconds = (time.perf_counter() - started) / len(images)
            rows.append(f"| {dpi} dpi, 0.6°, speckled | {engine}, page by page | {accuracy(text, truth):.3f} | "
                        f"{numbers_read(text, truth):.3f} | {seconds:.2f} |")
        if dpi == 200:  # the project's reader: OCR at 200 dpi, then running headers and page numbers removed
            from analytics.pipeline.readers.pdf import read_pdf

            text, seconds = timed(read_pdf, support.scanned_pdf(pdf, dpi=dpi))
            rows.append(f"| {dpi} dpi, 0.6°, speckled | RapidOCR + layout (project's PDF reader) | "
                        f"{accuracy(text.text, truth):.3f} | {numbers_read(text.text, truth):.3f} | "
                        f"{seconds / len(images):.2f} |")


def web_table(rows: list[str]) -> None:
    from analytics.pipeline.clean import clean_document
    from analytics.pipeline.readers.web import block_text, read_html

    sites = {"政务公开 article": (support.news_page, support.NEWS_FURNITURE),
             "融媒体 news page": (support.media_page, support.MEDIA_FURNITURE)}
    shapes = {
        "<p> body": lambda: "".join(f"<p>{p}</p>" for p in support.NEWS_BODY),
        "<div><span> body": lambda: "".join(f"<div><span>{p}</span></div>" for p in support.NEWS_BODY),
        "<table> body": lambda: "<table>" + "".join(f"<tr><td>{p}</td></tr>" for p in support.NEWS_BODY) + "</table>",
        "title only in <title>": lambda: "",
    }
    totals = {"article reader (project)": [0, 0, 0, 0, 0], "whole page": [0, 0, 0, 0, 0]}
    for site, (make, furniture) in sites.items():
        for shape, body in shapes.items():
            page = make(support.NEWS_TITLE, body())
            if shape.startswith("title only"):
                page = re.sub(r"<h[12][^>]*>" + support.NEWS_TITLE + "</h[12]>", "", page)
                page = page.replace(f'<meta property="og:title" content="{support.NEWS_TITLE}">', "")
            for reader, text in (("article reader (project)", read_html(page).text), ("whole page", block_text(page))):
                clean = clean_document(text).text
                counts = totals[reader]
                counts[0] += sum(len(p) for p in support.NEWS_BODY if p in clean)
                counts[1] += sum(len(p) for p in support.NEWS_BODY)
                counts[2] += sum(1 for f in furniture if f in clean)
                counts[3] += len(furniture)
            found = read_html(page)
            totals["article reader (project)"][4] += found.title == support.NEWS_TITLE and "2024-06-04" in found.date
    rows += ["", "| reader (8 pages: 2 sites × 4 body shapes) | body characters kept | furniture lines kept | "
                 "title and date right |", "|---|---:|---:|---:|"]
    for reader, (kept, body, left, furniture, right) in totals.items():
        titles = f"{right}/8" if reader.startswith("article") else "—"
        rows.append(f"| {reader} | {kept / body:.1%} | {left / furniture:.1%} | {titles} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    if not support.chromium_available():
        sys.exit("benchmarks/readers.py prints its PDFs with Debian's chromium: install it first")
    rows: list[str] = []
    pdf_table(rows)
    ocr_table(rows)
    web_table(rows)
    print("\n".join(rows))
    if args.markdown:
        args.markdown.write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
