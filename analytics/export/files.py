"""Charts and tables -> files to download: PNG, SVG (with a source footer), CSV, XLSX.

Charts are rendered by vl-convert in-process, after the CJK font is registered, so exported
images show Chinese rather than blanks. Tables are written for Excel first, because that is
where researchers open them: CSV carries a BOM, XLSX cells hold text as text.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

import altair as alt
import pandas as pd
import vl_convert
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from analytics.export.fonts import register_cjk_font
from analytics.export.i18n import t

FOOTER_COLOR = "#666666"
FOOTER_SIZE = 11
# Characters Excel, LibreOffice and Sheets read as the start of a formula (CSV/DDE injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# openpyxl refuses control characters other than tab, newline and carriage return.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export_footer(sources: Sequence[str], method: str | None = None, exported: date | None = None,
                  lang: str = "zh") -> str:
    """The citation line for an exported chart.

    >>> export_footer(["沁源县政府工作报告"], "TF-IDF 余弦", date(2026, 11, 23))
    '来源：沁源县政府工作报告；方法：TF-IDF 余弦；导出 2026-11-23'
    """
    parts = []
    if sources:
        parts.append(t("footer.source", lang, sources=t("footer.list_separator", lang).join(sources)))
    if method:
        parts.append(t("footer.method", lang, method=method))
    parts.append(t("footer.exported", lang, date=(exported or date.today()).isoformat()))
    return t("footer.separator", lang).join(parts)


def with_footer(chart: alt.TopLevelMixin, footer: str | Sequence[str] | None) -> alt.TopLevelMixin:
    """The chart with `footer` (one line, several lines, or None for none) written beneath it.

    The footer is the bottom-anchored title of a one-chart vconcat, so it is part of the image
    whatever the chart's own kind (layer, facet …) and keeps the chart's own title on top.
    Config is only allowed at the top of a spec, so it moves from the chart to the wrapper.
    """
    if not footer:
        return chart
    lines = footer.splitlines() if isinstance(footer, str) else list(footer)
    inner = chart.copy(deep=True)
    config = inner.config
    inner.config = alt.Undefined
    wrapped = alt.vconcat(inner, title=alt.TitleParams(
        lines, orient="bottom", anchor="start", fontSize=FOOTER_SIZE, fontWeight="normal",
        color=FOOTER_COLOR, offset=14, limit=0))
    wrapped.config = config
    return wrapped


def vl_version() -> str | None:
    """The Vega-Lite version Altair writes for, in vl-convert's form ('6.4'), if it has it."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vl_convert.get_vegalite_versions() else None


def _spec(chart: alt.TopLevelMixin, footer) -> dict:
    register_cjk_font()  # raises FontNotFoundError rather than exporting blank labels
    if footer:
        lines = footer.splitlines() if isinstance(footer, str) else list(footer)
        footer = wrap_text(lines, rendered_width(chart) - 2 * FOOTER_MARGIN, FOOTER_SIZE)
    return with_footer(chart, footer).to_dict()


FOOTER_MARGIN = 12  # the charts' padding (charts.theme_config): the footer starts and ends inside it
# A break after a list or clause separator, or at a space, or else between any two characters.
_BREAKS = re.compile(r".+?(?:[；;、，,。]\s*|\s+|$)")


def rendered_width(chart: alt.TopLevelMixin) -> float:
    """The chart's width in pixels as vl-convert draws it (its own title, axes and legend included)."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict(), vl_version=vl_version())
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg)
    return float(match.group(1)) if match else 600.0


def text_width(text: str, font_size: float) -> float:
    """An estimate of a line's drawn width: a full-width (CJK) character is one em, any other about 0.6 em."""
    return sum(font_size if unicodedata.east_asian_width(c) in "WF" else 0.6 * font_size for c in text)


def wrap_text(lines: Sequence[str], width: float, font_size: float) -> list[str]:
    """Each line broken so that none is wider than `width` pixels: after a separator or at a space where one
    fits, between characters where none does. A footer wider than its chart would widen the image and
    leave the chart in its left third on a slide."""
    width = max(width, 10 * font_size)
    out: list[str] = []
    for line in lines:
        current = ""
        for piece in _BREAKS.findall(line) or [line]:
            if text_width(current + piece, font_size) <= width:
                current += piece
                continue
            if current.strip():
                out.append(current.rstrip())
                current = ""
            for char in piece:  # a piece wider than the line on its own: break between characters
                if text_width(current + char, font_size) > width and current.strip():
                    out.append(current.rstrip())
                    current = ""
                current += char
        if current.strip() or not out:
            out.append(current.rstrip())
    return out


def chart_to_png(chart: alt.TopLevelMixin, scale: float = 2, footer: str | Sequence[str] | None = None,
                 ppi: float | None = None) -> bytes:
    """PNG bytes of the chart (scale 2 is sharp on slides), with an optional source footer."""
    return vl_convert.vegalite_to_png(_spec(chart, footer), vl_version=vl_version(), scale=scale,
                                      ppi=ppi)


def chart_to_svg(chart: alt.TopLevelMixin, footer: str | Sequence[str] | None = None) -> bytes:
    """SVG bytes (UTF-8) of the chart. The SVG names the font but does not embed it."""
    return vl_convert.vegalite_to_svg(_spec(chart, footer), vl_version=vl_version()).encode("utf-8")


def _neutralize(value):
    # A leading apostrophe is Excel's own "this is text" marker, so the cell shows as written.
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_to_csv(df: pd.DataFrame, excel_safe: bool = True) -> bytes:
    """CSV bytes in UTF-8 with a BOM (Excel otherwise guesses GBK and garbles Chinese).

    With `excel_safe`, text cells starting with = + - @ get a leading apostrophe so Excel
    cannot run them as formulas; pass False for a byte-exact file meant for pandas or R.
    """
    out = df.map(_neutralize) if excel_safe else df
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, not empty, not quoted, at most 31 characters."""
    cleaned = SHEET_NAME_BAD.sub("_", ILLEGAL_XML.sub("", str(name))).strip().strip("'")
    cleaned = cleaned[:SHEET_NAME_MAX].strip()
    # 'History' is reserved by Excel for change tracking.
    if not cleaned:
        cleaned = "data"
    elif cleaned.lower() == "history":
        cleaned = f"{cleaned}_"
    return cleaned


def _cell_value(value):
    if isinstance(value, (list, tuple, set, dict)):
        value = "、".join(map(str, value)) if not isinstance(value, dict) else str(value)
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        # openpyxl rejects time-zone-aware datetimes.
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()  # numpy scalar -> Python scalar
    if isinstance(value, str):
        return ILLEGAL_XML.sub("", value)
    return value


def about_table(method: str, sources: pd.DataFrame | None = None, exported: date | None = None,
                lang: str = "zh", notes: str = "") -> pd.DataFrame:
    """The second sheet of a workbook: what the table is (method, notes, export date) and the documents
    behind it (title, outlet, date, doc_id per row), as two columns a reader of the file alone understands."""
    rows = [(t("about.method", lang), method)]
    if notes:
        rows.append((t("about.notes", lang), notes))
    rows.append((t("about.exported", lang), (exported or date.today()).isoformat()))
    rows.append((t("about.tool", lang), t("footer.made_with", lang)))
    for doc in (sources if sources is not None else pd.DataFrame()).itertuples():
        parts = [str(getattr(doc, c)) for c in ("title", "outlet", "date", "doc_id")
                 if isinstance(getattr(doc, c, None), str) and getattr(doc, c)]
        rows.append((t("about.source", lang), " · ".join(parts)))
    return pd.DataFrame(rows, columns=[t("about.field", lang), t("about.value", lang)])


def _write_sheet(sheet, df: pd.DataFrame) -> None:
    sheet.append([_cell_value(str(c)) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        sheet.append([_cell_value(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(df.columns, start=1):
        # Width in characters; CJK characters are about two wide.
        # str() per value: in pandas 3, astype(str) keeps missing values as NaN floats.
        sample = [str(column)] + [str(v) for v in df[column].head(200)]
        width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) for s in sample)
        sheet.column_dimensions[get_column_letter(i)].width = min(80, max(8, width + 2))


def table_to_xlsx(df: pd.DataFrame, sheet_name: str = "data", about: pd.DataFrame | None = None,
                  about_name: str = "about") -> bytes:
    """XLSX bytes of the table on one sheet, header bold and frozen; `about` (sources and method,
    `about_table`) on a second sheet.

    Numbers are stored as numbers, so a pivot or a sum works. Text cells are stored as text, never
    formulas: openpyxl would otherwise write a string starting with '=' as a formula, and Excel would
    run it. The text itself is unchanged, so the file reads back into the same rows.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = safe_sheet_name(sheet_name)
    _write_sheet(sheet, df)
    if about is not None:
        second = safe_sheet_name(about_name)
        _write_sheet(book.create_sheet(second if second != sheet.title else f"{second}_"), about)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
