"""Images of pages (scans, photos, image-only PDF pages) -> positioned lines, by OCR.

RapidOCR (`rapidocr-onnxruntime`: its wheel carries the Chinese detection and recognition models, so nothing
is downloaded at run time) was chosen over Debian's Tesseract with chi_sim by measuring both on pages
rendered from known text, turned and speckled (benchmarks/readers.py; BENCHMARKS.md): RapidOCR read 96 % of
the numbers right, Tesseract 69–73 % (4.3% -> 4.354), at the same time per page. Each recognised box
becomes a layout.Line with its confidence; the page then goes through analytics.pipeline.readers.layout like
a text layer.
Lines under LOW_CONFIDENCE are reported, so that figures read from them are flagged.

Bounded: an image over MAX_PIXELS is refused before it is decoded; a large one is scaled down to
MAX_SIDE pixels on its long side first (the models read text of 20–60 px height best).
"""
from __future__ import annotations

import io
import re
from functools import lru_cache

from analytics.pipeline.readers.layout import Line, page_text

LOW_CONFIDENCE = 0.8     # a box read with less is flagged (and so is every figure in it)
MAX_PIXELS = 60_000_000  # an A0 poster at 200 dpi is 52 MP; 20,000 × 20,000 (400 MP) is refused
MAX_SIDE = 3500          # pixels on the long side that OCR reads (an A4 page at 300 dpi)


class ImageError(ValueError):
    """An image that cannot be read; str() is the reason, for the user."""


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _too_large(width: int, height: int) -> ImageError:
    return ImageError(f"image of {width:,} × {height:,} pixels, over the {MAX_PIXELS // 10**6}-megapixel limit "
                      "(图片过大)")


def open_image(data: bytes):
    """The image in `data` as an RGB PIL image, its size checked from the header before it is decoded."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # PIL's own bomb check, at our limit
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise _too_large(width, height)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at a reduced scale: less memory, same text
        image = image.convert("RGB")
    except Image.DecompressionBombError:
        # PIL refuses at twice its limit while reading the header, before we see the size
        raise ImageError(f"image over the {MAX_PIXELS // 10**6}-megapixel limit (图片过大)") from None
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, ImageError):
            raise
        raise ImageError(f"not a readable image: {error} (图片无法读取)") from None
    return _fit(image)


def _fit(image):
    longest = max(image.size)
    if longest <= MAX_SIDE:
        return image
    ratio = MAX_SIDE / longest
    return image.resize((round(image.width * ratio), round(image.height * ratio)))


def page_image(page, dpi: int):
    """A PDF page (pypdfium2) rendered for OCR."""
    return _fit(page.render(scale=dpi / 72).to_pil().convert("RGB"))


# A decimal point OCR doubles or reads as the ideographic full stop ("6..1%", "3。7%"): between two digits
# neither is ever written, so it is the point.
_MISREAD_POINT = re.compile(r"(?<=\d)(?:\.{2,}|。)(?=\d)")


def ocr_text(text: str) -> str:
    """Text as OCR read it, with the misreadings no writer makes put back."""
    return _MISREAD_POINT.sub(".", text.strip())


def ocr_page(lines: list[Line], width: float) -> tuple[str, list[tuple[str, float]]]:
    """layout.page_text of OCR'd lines, corrected once the boxes of a line are joined (a point OCR read as
    a box of its own, "6." + ".1%", only shows doubled then)."""
    text, paragraphs = page_text(lines, width)
    return ocr_text(text), [(ocr_text(p), score) for p, score in paragraphs]


def ocr_lines(image) -> list[Line]:
    """The text boxes OCR reads on an image, as lines with their confidence (pixel coordinates)."""
    import numpy as np

    result, _ = _engine()(np.asarray(image))
    lines = []
    for box, text, score in result or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        if text.strip():
            lines.append(Line(ocr_text(text), float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)),
                              float(score)))
    return lines
