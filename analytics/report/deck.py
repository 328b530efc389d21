"""A comparison of units -> a 16:9 PowerPoint deck: slides per view, evidence in the speaker notes.

Drawn from the Comparison of analytics.views.compare (what the Compare page shows): editable tables,
native PowerPoint charts (analytics.views.series) one per slide, a picture only where PowerPoint has no
such chart (the similarity heatmap); every run names the CJK font as its East Asian typeface; every slide
carries the view's citation footer (documents, method, export date).

>>> Path("对比.pptx").write_bytes(build_deck(load_corpus(), ["沁源县", "岚县", "柞水县"]))  # doctest: +SKIP
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date

import altair as alt
import pandas as pd
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Inches, Pt

from analytics.corpus.corpus import Corpus
from analytics.export.files import chart_to_png
from analytics.export.fonts import FontNotFoundError, font_family
from analytics.export.i18n import t
from analytics.features.industries import unit_industries
from analytics.views import series as chart_series
from analytics.views.compare import Comparison, Evidence, Progress, View, _report, _text, compare_view, split_title

SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU = 12192000, 6858000  # PowerPoint's own 16:9 (13.333 × 7.5 in)
SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = SLIDE_WIDTH_EMU / 914400, SLIDE_HEIGHT_EMU / 914400
MARGIN_IN = 0.5
CONTENT_TOP_IN = 1.45
CONTENT_BOTTOM_IN = 6.7
FOOTER_TOP_IN = 6.82
TEXT_COLOR = "333333"
MUTED = "666666"
ACCENT = "1F5F99"
HEADER_FILL = "1F5F99"
BAND_FILL = "EEF3F8"
# Windows has no Noto Sans CJK: the theme names Microsoft YaHei for Simplified Chinese, and every
# run's East Asian font declares the GB2312 character set and a sans pitch family, which is what
# PowerPoint's font substitution matches on (ECMA-376 §21.1.2.5) when the named family is missing.
WINDOWS_EA_FONT = "Microsoft YaHei"
GB2312_CHARSET = "-122"       # 134 as the signed byte OOXML stores
SANS_PITCH_FAMILY = "34"      # variable pitch, swiss (sans) family
MAX_CHART_ZOOM = 1.7          # charts are drawn for screens; more than this and the type looks bloated
LINE_HEIGHT = 1.45  # Noto Sans CJK's ascent + descent is 1.448 em; viewers space lines by it
TITLE_FONT_PT = 26
CHART_FONT_PT = 16            # native charts: axis labels and values read from the back of a room
SUMMARY_FONT_SIZES = (24, 22, 20, 18, 16)  # the key differences: the largest that fits the slide
GAP_NOTE_IN = 0.32            # the line naming the units a chart leaves out
NOTE_FONT_PT = 10
NATIVE_KINDS = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "stacked": XL_CHART_TYPE.COLUMN_STACKED,
                "stacked100": XL_CHART_TYPE.COLUMN_STACKED_100, "bar": XL_CHART_TYPE.BAR_CLUSTERED}


def deck_font() -> str:
    """The CJK family the deck names (the one charts render with, e.g. 'Noto Sans CJK SC')."""
    try:
        return font_family()
    except FontNotFoundError:
        return WINDOWS_EA_FONT  # still a CJK family name, right for the Windows viewers of the deck


def set_east_asian_font(run, family: str) -> None:
    """Name `family` as the run's East Asian typeface (<a:ea>), which python-pptx does not set.

    `font.name` only writes <a:latin>, so without this PowerPoint, LibreOffice and WPS draw the
    Chinese characters in whatever East Asian font the theme or the system picks.
    """
    _set_east_asian(run._r.get_or_add_rPr(), family)


def _set_east_asian(r_pr, family: str) -> None:
    """<a:ea> on a run's or a chart's text properties (a:rPr or a:defRPr), in schema order."""
    for old in r_pr.findall(qn("a:ea")):
        r_pr.remove(old)
    ea = r_pr.makeelement(qn("a:ea"), {"typeface": family, "pitchFamily": SANS_PITCH_FAMILY,
                                       "charset": GB2312_CHARSET})
    latin = r_pr.find(qn("a:latin"))
    if latin is not None:
        latin.addnext(ea)  # schema order: latin, ea, cs, sym, hlinkClick …
    else:
        successors = [r_pr.find(qn(tag)) for tag in ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver",
                                                     "a:rtl", "a:extLst")]
        anchor = next((s for s in successors if s is not None), None)
        anchor.addprevious(ea) if anchor is not None else r_pr.append(ea)


def _style_run(run, family: str, lang: str, size: float, bold: bool = False, color: str = TEXT_COLOR) -> None:
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor.from_string(color)
    font.name = family
    set_east_asian_font(run, family)
    r_pr = run._r.get_or_add_rPr()
    # The language tells PowerPoint which proofing and which font slot (latin / ea) to prefer.
    r_pr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    r_pr.set("altLang", "en-US" if lang == "zh" else "zh-CN")


def _fill_text_frame(frame, lines: Sequence[str], family: str, lang: str, size: float, bold: bool = False,
                     color: str = TEXT_COLOR, align=None) -> None:
    """Write one paragraph per line into a text frame, each run styled with the CJK font."""
    lines = list(lines) or [""]
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        run = paragraph.add_run()
        run.text = line
        _style_run(run, family, lang, size, bold, color)
        if align is not None:
            paragraph.alignment = align


def _textbox(slide, left: float, top: float, width: float, height: float, lines: Sequence[str], family: str,
             lang: str, size: float, bold: bool = False, color: str = TEXT_COLOR, align=None, anchor=None):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.02))
    if anchor is not None:
        frame.vertical_anchor = anchor
    _fill_text_frame(frame, lines, family, lang, size, bold, color, align)
    return box


def bullet_size(lines: Sequence[str], width_in: float, height_in: float,
                sizes: Sequence[float] = SUMMARY_FONT_SIZES) -> float:
    """The largest of `sizes` at which `lines`, as hanging-indent bullets with space between them, fit the
    box (the smallest when none does)."""
    for size in sizes:
        text_width = width_in - _bullet_indent_in(size)
        rows = sum(_lines_needed(line, text_width, size) for line in lines)
        if rows * size * LINE_HEIGHT / 72 + max(len(lines) - 1, 0) * _bullet_gap_pt(size) / 72 <= height_in:
            return size
    return sizes[-1]


def _bullet_indent_in(size: float) -> float:
    return 1.2 * size / 72


def _bullet_gap_pt(size: float) -> float:
    return 0.5 * size


def _bullets(slide, left: float, top: float, width: float, height: float, lines: Sequence[str], family: str,
             lang: str) -> float:
    """`lines` as real bullets (a bullet character, wrapped lines hanging under the text, space between
    items) in the largest type that fits the box; returns the size used."""
    size = bullet_size(lines, width, height)
    box = _textbox(slide, left, top, width, height, lines, family, lang, size)
    indent = Inches(_bullet_indent_in(size))
    for paragraph in box.text_frame.paragraphs:
        paragraph.space_after = Pt(_bullet_gap_pt(size))
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(int(indent)))
        properties.set("indent", str(-int(indent)))
        properties.append(parse_xml(f'<a:buChar {nsdecls("a")} char="•"/>'))  # after spcAft, as the schema orders
    return size


def _text_width_em(text: str) -> float:
    # CJK and full-width characters are one em wide; Latin letters and digits about 0.6 em (bold).
    return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)


def _lines_needed(text: str, width_in: float, size_pt: float) -> int:
    per_line = max(1.0, (width_in * 72 - 8) / size_pt)  # ems per line, less the cell margins
    return sum(max(1, math.ceil(_text_width_em(part) / per_line)) for part in (text.split("\n") or [""]))


def _row_height_in(cells: Sequence[str], widths: Sequence[float], size_pt: float) -> float:
    lines = max(_lines_needed(text, w, size_pt) for text, w in zip(cells, widths))
    return lines * size_pt * LINE_HEIGHT / 72 + 0.1  # + cell margins (0.04 in each) and a little slack


def paginate_rows(table: pd.DataFrame, widths: Sequence[float], size_pt: float, height_in: float) -> list[pd.DataFrame]:
    """Split a table's rows into pages that fit `height_in` under a repeated header row."""
    header = _row_height_in([str(c) for c in table.columns], widths, size_pt)
    pages, current, used = [], [], header
    for i, row in enumerate(table.itertuples(index=False)):
        need = _row_height_in([_text(v) for v in row], widths, size_pt)
        if current and used + need > height_in:
            pages.append(table.iloc[current])
            current, used = [], header
        current.append(i)
        used += need
    pages.append(table.iloc[current])
    return pages


def _column_needs(table: pd.DataFrame) -> list[float]:
    """Each column's width need in ems: its longest cell line, or its header's longest word.

    Headers may wrap between words ('Per-capita / income'); cells such as '1,512平方公里' should not.
    """
    needs = []
    for column in table.columns:
        header = max((_text_width_em(word) for word in str(column).split()), default=1.0)
        cells = [_text_width_em(line) for v in table[column] for line in _text(v).split("\n")]
        needs.append(max(3.0, min(30.0, max([header, *cells]))))
    return needs


def _column_widths(table: pd.DataFrame, total_in: float, first_in: float | None = None) -> list[float]:
    """Column widths in inches, in proportion to each column's need; `first_in` fixes the first one."""
    needs = _column_needs(table)
    if first_in is None or len(needs) == 1:
        return [total_in * need / sum(needs) for need in needs]
    rest = total_in - first_in
    return [first_in] + [rest * need / sum(needs[1:]) for need in needs[1:]]


def fitting_size(table: pd.DataFrame, total_in: float, largest: float, smallest: float = 11) -> float:
    """The largest font size (pt) at which every column's need fits the table width on one line."""
    margins = 10 * len(table.columns)  # cell margins, in points
    fit = (total_in * 72 - margins) / sum(_column_needs(table))
    return max(smallest, min(largest, math.floor(fit)))


def _add_table(slide, table: pd.DataFrame, widths: Sequence[float], top: float, family: str, lang: str,
               size: float, empty: str = "—"):
    """A real PowerPoint table (editable in PowerPoint, LibreOffice, WPS): header row, banded body."""
    rows, cols = len(table) + 1, len(table.columns)
    heights = [_row_height_in([str(c) for c in table.columns], widths, size)] + [
        _row_height_in([_text(v) for v in row], widths, size) for row in table.itertuples(index=False)]
    shape = slide.shapes.add_table(rows, cols, Inches(MARGIN_IN), Inches(top), Inches(sum(widths)),
                                   Inches(sum(heights)))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False  # banding is painted below, so it looks the same in every viewer
    for j, width in enumerate(widths):
        grid.columns[j].width = Inches(width)
    for i, height in enumerate(heights):
        grid.rows[i].height = Inches(height)
    values = [list(map(str, table.columns))] + [[_text(v) or empty for v in row] for row in table.itertuples(index=False)]
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            cell = grid.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(
                HEADER_FILL if i == 0 else (BAND_FILL if i % 2 == 0 else "FFFFFF"))
            cell.text_frame.word_wrap = True
            _fill_text_frame(cell.text_frame, value.split("\n"), family, lang, size,
                             bold=(i == 0 or j == 0), color="FFFFFF" if i == 0 else TEXT_COLOR)
    return shape


def _set_notes(slide, lines: Sequence[str], family: str, lang: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    _fill_text_frame(frame, lines, family, lang, 12)


def _evidence_lines(items: Sequence[Evidence], lang: str) -> list[str]:
    lines = []
    for item in items:
        lines += [item.label, f"「{item.sentence}」",
                  "—— " + item.location(lang), ""]
    return lines


def _notes_lines(evidence: Sequence[Evidence], notes: Sequence[str], lang: str) -> list[str]:
    head = [t("report.evidence", lang), ""] if evidence else []
    return head + _evidence_lines(evidence, lang) + list(notes)


def slide_heading(title_text: str, subtitle: str, comparison: Comparison | None) -> tuple[str, str]:
    """The slide's title and subtitle, saying what is compared: '沁源县 · 岚县 — 关键数据' when that fits one
    line of the title, else the view's title over '沁源县 · 岚县 · … · 风陵渡经开区 · <subtitle>'."""
    if comparison is None:
        return title_text, subtitle
    heading = comparison.heading(title_text)
    if _lines_needed(heading, SLIDE_WIDTH_IN - 2 * MARGIN_IN, TITLE_FONT_PT) == 1:
        return heading, subtitle
    return title_text, " · ".join(x for x in (comparison.names, subtitle) if x)


def _slide_frame(prs, title_text: str, subtitle: str, footer: str, page: int, family: str, lang: str,
                 compared: Comparison | None = None):
    """A blank 16:9 slide with title, subtitle, accent rule, citation footer and page number; the title
    names the units `compared` (slide_heading)."""
    title_text, subtitle = slide_heading(title_text, subtitle, compared)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = SLIDE_WIDTH_IN - 2 * MARGIN_IN
    _textbox(slide, MARGIN_IN, 0.3, width, 0.62, [title_text], family, lang, TITLE_FONT_PT, bold=True)
    if subtitle:
        _textbox(slide, MARGIN_IN, 0.92, width, 0.36, [subtitle], family, lang, 13, color=MUTED)
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(MARGIN_IN), Inches(1.3), Inches(1.2), Inches(0.05))
    rule.fill.solid()
    rule.fill.fore_color.rgb = RGBColor.from_string(ACCENT)
    rule.line.fill.background()
    _textbox(slide, MARGIN_IN, FOOTER_TOP_IN, width - 0.8, SLIDE_HEIGHT_IN - FOOTER_TOP_IN - 0.1, [footer],
             family, lang, 9, color=MUTED)
    _textbox(slide, SLIDE_WIDTH_IN - MARGIN_IN - 0.7, FOOTER_TOP_IN, 0.7, 0.3, [str(page)], family, lang, 9,
             color=MUTED, align=PP_ALIGN.RIGHT)
    return slide


def _add_chart_picture(slide, chart: alt.TopLevelMixin, alt_text: str) -> None:
    """The chart as a 2x PNG, as large as the content area allows (up to MAX_CHART_ZOOM), centred."""
    png = chart_to_png(chart, scale=2)
    px_w, px_h = Image.open(io.BytesIO(png)).size
    natural_w, natural_h = px_w / 2 / 96, px_h / 2 / 96   # inches at the chart's CSS size
    box_w, box_h = SLIDE_WIDTH_IN - 2 * MARGIN_IN, CONTENT_BOTTOM_IN - CONTENT_TOP_IN
    zoom = min(box_w / natural_w, box_h / natural_h, MAX_CHART_ZOOM)
    width, height = natural_w * zoom, natural_h * zoom
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches((SLIDE_WIDTH_IN - width) / 2), Inches(CONTENT_TOP_IN),
                                       Inches(width), Inches(height))
    # Alt text carries the citation, so a picture copied into another deck keeps its source.
    picture._element.nvPicPr.cNvPr.set("descr", alt_text)


def _chart_text(font, family: str, size: float, color: str = TEXT_COLOR) -> None:
    font.size = Pt(size)
    font.name = family
    font.color.rgb = RGBColor.from_string(color)
    _set_east_asian(font._rPr, family)


def add_native_chart(slide, chart: chart_series.Series, family: str, lang: str, top: float = CONTENT_TOP_IN,
                     bottom: float = CONTENT_BOTTOM_IN):
    """A PowerPoint chart object (editable in PowerPoint, LibreOffice, WPS: right-click → Edit Data) filling
    the content area: the series' colours, values written on the bars, the CJK font on every label."""
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, values)
    width, height = SLIDE_WIDTH_IN - 2 * MARGIN_IN, bottom - top
    frame = slide.shapes.add_chart(NATIVE_KINDS[chart.kind], Inches(MARGIN_IN), Inches(top), Inches(width),
                                   Inches(height), data)
    native = frame.chart
    native.has_title = False  # the slide's title names the chart
    _chart_text(native.font, family, CHART_FONT_PT)
    native.has_legend = len(chart.series) > 1
    if native.has_legend:
        native.legend.position = XL_LEGEND_POSITION.BOTTOM
        native.legend.include_in_layout = False
        _chart_text(native.legend.font, family, CHART_FONT_PT - 2)
    plot = native.plots[0]
    plot.gap_width = 60
    if chart.kind in ("stacked", "stacked100"):
        plot.overlap = 100
    for one, color in zip(native.series, chart.colors):
        one.format.fill.solid()
        one.format.fill.fore_color.rgb = RGBColor.from_string(color)
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = _label_format(chart), False
    labels.position = XL_LABEL_POSITION.CENTER if chart.kind.startswith("stacked") else XL_LABEL_POSITION.OUTSIDE_END
    _chart_text(labels.font, family, CHART_FONT_PT - 2, "FFFFFF" if chart.kind.startswith("stacked") else TEXT_COLOR)
    value_axis = native.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("E6E6E6")
    value_axis.tick_labels.number_format, value_axis.tick_labels.number_format_is_linked = chart.number_format, False
    value_axis.format.line.fill.background()
    if chart.value_title:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = chart.value_title
        for paragraph in value_axis.axis_title.text_frame.paragraphs:
            for run in paragraph.runs:
                _style_run(run, family, lang, CHART_FONT_PT - 2, color=MUTED)
    if all(v is None or v >= 0 for _, values in chart.series for v in values):
        value_axis.minimum_scale = 0  # a bar that starts above zero overstates every difference
    category_axis = native.category_axis
    category_axis.format.line.color.rgb = RGBColor.from_string("999999")
    category_axis.has_major_gridlines = False
    _every_category_label(category_axis)
    return frame


def _label_format(chart: chart_series.Series) -> str:
    """Values written on the bars; in a stack, none for an empty or a sliver segment (they would overprint)."""
    if chart.kind == "stacked100":
        return '[<0.04]"";' + chart.number_format
    if chart.kind == "stacked":
        return f'{chart.number_format};-{chart.number_format};;'
    return chart.number_format


def _every_category_label(axis) -> None:
    """Label every category (<c:tickLblSkip val=1>): viewers otherwise skip labels they think crowded."""
    element = axis._element
    for old in element.findall(qn("c:tickLblSkip")):
        element.remove(old)
    skip = element.makeelement(qn("c:tickLblSkip"), {"val": "1"})
    # schema order: … lblOffset, tickLblSkip, tickMarkSkip, noMultiLvlLbl, extLst
    anchor = next((element.find(qn(tag)) for tag in ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")
                   if element.find(qn(tag)) is not None), None)
    anchor.addprevious(skip) if anchor is not None else element.append(skip)


def _set_theme_fonts(prs, family: str) -> None:
    """Theme fonts: `family` for Latin and East Asian text, Microsoft YaHei for Simplified Chinese.

    Text an analyst adds to the deck later takes the theme fonts, so it gets a CJK font too.
    """
    theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for scheme in root.iterfind(".//a:fontScheme/*", ns):
        for tag in ("latin", "ea"):
            element = scheme.find(f"a:{tag}", ns)
            if element is not None:
                element.set("typeface", family)
        for script_font in scheme.iterfind("a:font[@script='Hans']", ns):
            script_font.set("typeface", WINDOWS_EA_FONT)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table_slides(prs, view: View, family: str, lang: str, page: int, compared: Comparison | None = None) -> int:
    """The view's table on as many slides as it needs (header repeated); returns the next page number."""
    table = view.table
    width = SLIDE_WIDTH_IN - 2 * MARGIN_IN
    n_units = max(1, len(table.columns) - 1)
    # Key figures are few and read from the back of a room; the industry and source tables are dense.
    if view.slug == "key_figures":
        size = fitting_size(table, width, 18 if len(table) <= 4 else 16)
    else:
        size = 12 if n_units <= 3 else 10
    if len(table.columns) < 2 or table.empty:  # nothing to set side by side: say so rather than draw a husk
        slide = _slide_frame(prs, view.title, view.subtitle, view.footer, page, family, lang, compared)
        _textbox(slide, MARGIN_IN, CONTENT_TOP_IN, width, 1.0, [t("deck.empty_table", lang)], family, lang,
                 SUMMARY_FONT_SIZES[2], color=MUTED)
        return page + 1
    first = 2.6 if view.slug == "industries" else None
    widths = _column_widths(table, width, first)
    # the note under the table takes the lines it needs (the reasons of every † cell can run long)
    note_space = (_lines_needed(view.table_note, width, NOTE_FONT_PT) * NOTE_FONT_PT * LINE_HEIGHT / 72 + 0.1
                  if view.table_note else 0.0)
    pages = paginate_rows(table, widths, size, CONTENT_BOTTOM_IN - CONTENT_TOP_IN - note_space)
    for k, part in enumerate(pages):
        title_text = view.title + (t("report.continued", lang) if k else "")
        slide = _slide_frame(prs, title_text, view.subtitle, view.footer, page, family, lang, compared)
        shape = _add_table(slide, part, widths, CONTENT_TOP_IN, family, lang, size)
        if view.table_note:
            bottom = CONTENT_TOP_IN + shape.height / 914400 + 0.08
            _textbox(slide, MARGIN_IN, min(bottom, CONTENT_BOTTOM_IN - note_space), width, note_space,
                     [view.table_note], family, lang, NOTE_FONT_PT, color=MUTED)
        rows_here = set(part.iloc[:, 0].astype(str))
        shown = [e for e in view.evidence if not e.row or e.row in rows_here]
        _set_notes(slide, _notes_lines(shown, view.notes, lang), family, lang)
        page += 1
    return page


def build_deck(corpus: Corpus, units: Sequence[str], lang: str = "zh", progress: Progress = None,
               exported: date | None = None, exclude: frozenset[str] | None = None) -> bytes:
    """The comparison as a 16:9 .pptx: title slide, the key differences, the comparison table and a chart per
    indicator, industries, ecology · tourism · investment, targets, themes, similarity, distinctive terms,
    sources; evidence in the notes.

    Tables are real PowerPoint tables; bar, stacked and grouped charts are native PowerPoint charts (their
    data editable); only the similarity heatmap, which PowerPoint cannot draw, is a 2x PNG. Every run names
    the CJK font as its East Asian typeface; every slide carries the citation footer (documents, method,
    export date).
    `progress(fraction, message)` is called as the work advances (for a progress bar).
    """
    comparison = compare_view(corpus, units, lang, exported, progress=_scaled(progress, 0.0, 0.25),
                              exclude=exclude)  # the generic words the user left out, as on the page
    family = deck_font()
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU
    _set_theme_fonts(prs, family)
    prs.core_properties.title = f"{comparison.title}：{'、'.join(comparison.units)}"
    prs.core_properties.author = "CountyLens"
    prs.core_properties.language = "zh-CN" if lang == "zh" else "en-US"

    _title_slide(prs, comparison, family)
    page = 2
    steps = len(comparison.views) + 1
    for i, view in enumerate(comparison.views):
        _report(progress, 0.25 + 0.7 * i / steps, t("report.progress.render", lang, view=view.title))
        page = VIEW_SLIDES.get(view.slug, _view_slides)(prs, comparison, view, family, page)
    _report(progress, 0.25 + 0.7 * (steps - 1) / steps, t("report.progress.render", lang,
                                                          view=t("report.sources.title", lang)))
    _sources_slides(prs, comparison, family, page)
    _report(progress, 0.97, t("report.progress.save", lang))
    buffer = io.BytesIO()
    prs.save(buffer)
    _report(progress, 1.0, t("report.progress.done", lang))
    return buffer.getvalue()


def _view_slides(prs, comparison: Comparison, view: View, family: str, page: int) -> int:
    """A view's table on as many slides as it needs, or its chart as a picture (a heatmap: PowerPoint has
    no such chart) on one."""
    lang = comparison.lang
    if view.table is not None:
        return _table_slides(prs, view, family, lang, page, comparison)
    slide = _slide_frame(prs, view.title, view.subtitle, view.footer, page, family, lang, comparison)
    _add_chart_picture(slide, split_title(view.chart)[0], f"{view.title}. {view.footer}")  # the slide titles it
    _set_notes(slide, _notes_lines(view.evidence, view.notes, lang), family, lang)
    _gap_note(slide, view.gap_note, family, lang)
    return page + 1


def _native_slide(prs, view: View, chart: chart_series.Series, family: str, lang: str, page: int,
                  evidence: Sequence[Evidence] = (), notes: Sequence[str] = (),
                  compared: Comparison | None = None) -> int:
    """One native chart on its own slide, titled by the chart (and the units `compared`, unless the chart
    is one unit's), cited by the view's footer; the units it leaves out named above the footer."""
    slide = _slide_frame(prs, chart.title, chart.subtitle, view.footer, page, family, lang, compared)
    gap = "；".join(chart.left_out) or view.gap_note
    add_native_chart(slide, chart, family, lang, bottom=CONTENT_BOTTOM_IN - (GAP_NOTE_IN if gap else 0))
    _set_notes(slide, _notes_lines(evidence, notes, lang), family, lang)
    _gap_note(slide, gap, family, lang)
    return page + 1


def _gap_note(slide, gap: str, family: str, lang: str) -> None:
    """What the slide's chart leaves out, and why, in small type above the footer."""
    if gap:
        _textbox(slide, MARGIN_IN, CONTENT_BOTTOM_IN - GAP_NOTE_IN, SLIDE_WIDTH_IN - 2 * MARGIN_IN, GAP_NOTE_IN,
                 [gap], family, lang, 11, color=MUTED)


def _summary_slides(prs, comparison: Comparison, view: View, family: str, page: int) -> int:
    """The key differences, one bullet per sentence, in type that reads from the back of the room."""
    lang = comparison.lang
    slide = _slide_frame(prs, view.title, view.subtitle, view.footer, page, family, lang, comparison)
    lines = view.parts["lines"]
    _bullets(slide, MARGIN_IN, CONTENT_TOP_IN, SLIDE_WIDTH_IN - 2 * MARGIN_IN, CONTENT_BOTTOM_IN - CONTENT_TOP_IN,
             lines, family, lang)
    _set_notes(slide, lines, family, lang)
    return page + 1


def _key_figure_slides(prs, comparison: Comparison, view: View, family: str, page: int) -> int:
    """The comparison table, then one native column chart per indicator with comparable figures."""
    lang = comparison.lang
    page = _table_slides(prs, view, family, lang, page, comparison)
    for chart in chart_series.indicator_series(view.parts["table"]):
        shown = [e for e in view.evidence if e.indicator_id == chart.indicator_id and e.row in chart.categories]
        page = _native_slide(prs, view, chart, family, lang, page, shown, compared=comparison)
    return page


def _industry_slides(prs, comparison: Comparison, view: View, family: str, page: int) -> int:
    """The section table, then the counts of existing and targeted industries as a stacked chart."""
    lang = comparison.lang
    page = _table_slides(prs, view, family, lang, page, comparison)
    merged = unit_industries(comparison.corpus["industries"], comparison.units)
    return _native_slide(prs, view, chart_series.industry_series(merged, comparison.units, lang), family, lang,
                         page, compared=comparison)


def _theme_slides(prs, comparison: Comparison, view: View, family: str, page: int) -> int:
    chart = chart_series.theme_series(view.data, comparison.units, comparison.lang, view.title, view.subtitle)
    return _native_slide(prs, view, chart, family, comparison.lang, page, view.evidence, view.notes, comparison)


def _term_slides(prs, comparison: Comparison, view: View, family: str, page: int) -> int:
    """One bar chart of distinctive terms per unit: one chart per slide, big enough to read."""
    lang = comparison.lang
    for unit in comparison.units:
        if unit not in set(view.data["unit"]):
            continue
        mine = [e for e in view.evidence if e.label.startswith(unit)]
        page = _native_slide(prs, view, chart_series.term_series(view.data, unit, lang), family, lang, page, mine)
    return page


VIEW_SLIDES = {"summary": _summary_slides, "key_figures": _key_figure_slides, "industries": _industry_slides,
               "themes": _theme_slides, "terms": _term_slides}


def _scaled(progress: Progress, lo: float, hi: float) -> Progress:
    """A progress callback for a sub-task that fills the span lo..hi of the whole."""
    if progress is None:
        return None
    return lambda fraction, message: progress(lo + (hi - lo) * fraction, message)


def _title_slide(prs, comparison: Comparison, family: str) -> None:
    lang = comparison.lang
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Inches(0.22))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(ACCENT)
    band.line.fill.background()
    width = SLIDE_WIDTH_IN - 2 * MARGIN_IN
    _textbox(slide, MARGIN_IN, 1.5, width, 0.8, [comparison.title], family, lang, 30, color=MUTED)
    # Two lines of names must still clear the date below: smaller type for longer lists.
    n = len(comparison.units)
    _textbox(slide, MARGIN_IN, 2.4, width, 1.7, [t("report.unit_separator", lang).join(comparison.units)],
             family, lang, 48 if n <= 3 else (36 if n <= 5 else 28), bold=True)
    _textbox(slide, MARGIN_IN, 4.3, width, 1.0,
             [t("report.date", lang, date=comparison.exported.isoformat()), comparison.corpus_line],
             family, lang, 18, color=MUTED)
    _textbox(slide, MARGIN_IN, FOOTER_TOP_IN - 0.2, width, SLIDE_HEIGHT_IN - FOOTER_TOP_IN,
             [comparison.footer, t("footer.made_with", lang)], family, lang, 9, color=MUTED)


def _sources_slides(prs, comparison: Comparison, family: str, page: int) -> int:
    lang = comparison.lang
    view = View("sources", t("report.sources.title", lang),
                t("report.sources.subtitle", lang, cited=len(comparison.sources), total=comparison.n_documents),
                comparison.footer, table=comparison.sources)
    return _table_slides(prs, view, family, lang, page)


