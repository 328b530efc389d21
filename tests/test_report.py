"""Deck and HTML report built from the seeds: slides, editable tables, notes, fonts, footers, offline HTML.

The LibreOffice tests convert the deck to PDF and look at the pixels, because a text assertion passes
even when every glyph is a box. One example deck, its PDF and the HTML report are kept under
tests/artifacts/ (ignored by git) for a person to look at; a rendered slide too (copy it to docs/slide.png to refresh the README).
"""
from __future__ import annotations

import html
import io
import itertools
import re
import shutil
import subprocess
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from analytics import report
from analytics.analysis.evidence import evidence_parts
from analytics.corpus import corpus as corpus_tables
from analytics.export.i18n import t
from analytics.features import key_figures
from analytics.views import compare as compare_views
from analytics.views import figure_table, shared

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
UNITS = ["沁源县", "岚县", "柞水县"]
EXPORTED = date(2026, 11, 23)
SOFFICE_TIMEOUT = 180  # seconds; a first start builds the profile and font cache (~5 s here)
PAYLOAD = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def corpus(seed_tables) -> corpus_tables.Corpus:
    return corpus_tables.Corpus(seed_tables)


@pytest.fixture(scope="module")
def deck_bytes(corpus) -> bytes:
    started = time.perf_counter()
    data = report.build_deck(corpus, UNITS, "zh", exported=EXPORTED)
    print(f"deck built in {time.perf_counter() - started:.2f}s")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report_deck.pptx").write_bytes(data)
    return data


@pytest.fixture(scope="module")
def deck(deck_bytes) -> Presentation:
    return Presentation(io.BytesIO(deck_bytes))


@pytest.fixture(scope="module")
def html_bytes(corpus) -> bytes:
    data = report.build_html_report(corpus, UNITS, "zh", exported=EXPORTED)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report.html").write_bytes(data)
    return data


def slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


COMPARED = t("present.title", units=" · ".join(UNITS), view="")  # '沁源县 · 岚县 · 柞水县 — '


def slide_title(slide) -> str:
    """The slide's own title, without the units every view slide names first."""
    return slide_texts(slide)[0].removeprefix(COMPARED)


def tables(slide) -> list[pd.DataFrame]:
    found = []
    for shape in slide.shapes:
        if shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            found.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return found


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def slides_titled(deck, title: str) -> list:
    return [s for s in deck.slides if slide_title(s).startswith(title)]


# ---- the deck ------------------------------------------------------------------------------------

def test_deck_is_16_9_with_a_slide_per_view(deck):
    assert deck.slide_width * 9 == deck.slide_height * 16
    titles = [slide_title(s) for s in deck.slides]
    expected = [t("summary.title"), t("report.key_figures.title"), t("report.industries.title"), t("tab.domains"),
                t("compare.targets"), t("chart.theme_profile.title"), t("chart.similarity.title"),
                t("deck.terms_title", unit=UNITS[0]), t("report.sources.title")]
    positions = [next(i for i, title in enumerate(titles) if title.startswith(e)) for e in expected]
    assert positions == sorted(positions) and positions[0] == 1, titles
    assert all(unit in " ".join(slide_texts(deck.slides[0])) for unit in UNITS)
    assert str(EXPORTED) in " ".join(slide_texts(deck.slides[0]))


def test_view_slides_say_what_is_compared(deck, corpus):
    titles = [slide_texts(s)[0] for s in deck.slides]
    per_unit = t("deck.terms_title", unit="")
    for title in titles[1:]:
        if title.startswith(t("report.sources.title")) or per_unit.strip() in title:
            continue  # a source list, and one unit's distinctive terms, name what they hold themselves
        assert title.startswith(COMPARED), title
    assert titles[1] == COMPARED + t("summary.title")
    # six units with long names do not fit a title line: they open the subtitle instead
    six = ["沁源县", "岚县", "柞水县", "永济市", "长治经开区", "风陵渡经开区"]
    comparison = compare_views.Comparison(corpus, six, "zh")
    title, subtitle = report.deck.slide_heading("各单位产业门类与目标产业", "每格：已有 · 目标", comparison)
    assert title == "各单位产业门类与目标产业" and subtitle == " · ".join(six) + " · 每格：已有 · 目标"
    short, _ = report.deck.slide_heading("关键数据", "", compare_views.Comparison(corpus, six[:2], "zh"))
    assert short == "沁源县 · 岚县 — 关键数据"


def charts_of(deck) -> list:
    return [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]


def test_bar_stacked_and_grouped_charts_are_native_editable_charts(deck, corpus):
    """PowerPoint chart objects (their data editable), not pictures: an indicator's comparable figures as
    columns, industries stacked, theme shares 100 % stacked in the theme file's colours, terms as bars."""
    from pptx.enum.chart import XL_CHART_TYPE

    from analytics.features.themes import theme_colors, theme_label

    kinds = {}
    for chart in charts_of(deck):
        kinds.setdefault(chart.chart_type, []).append(chart)
    assert {XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.COLUMN_STACKED_100,
            XL_CHART_TYPE.BAR_CLUSTERED} <= set(kinds)
    (population,) = [c for c in kinds[XL_CHART_TYPE.COLUMN_CLUSTERED] if c.series[0].name == "人口"]
    assert list(population.plots[0].categories) == ["沁源县", "岚县"]  # 柞水县 states no population
    assert list(population.series[0].values) == [16, 18.7]
    (themes,) = kinds[XL_CHART_TYPE.COLUMN_STACKED_100]
    colors = {theme_label(k): c.lstrip("#").upper() for k, c in theme_colors().items()}
    for series in themes.series:
        assert str(series.format.fill.fore_color.rgb) == colors[series.name]
    assert len(kinds[XL_CHART_TYPE.BAR_CLUSTERED]) == len(UNITS)  # one slide of terms per unit
    family = report.deck_font()
    for chart in charts_of(deck):
        ea = chart._chartSpace.find(f".//{qn('a:defRPr')}/{qn('a:ea')}")
        assert ea is not None and ea.get("typeface") == family
        assert not chart.has_title  # the slide title names it


def test_summary_slide_words_the_largest_gaps_from_the_table(deck):
    (slide,) = slides_titled(deck, t("summary.title"))
    text = "\n".join(slide_texts(slide))
    assert "人口：岚县 18.7万人，是沁源县 16万人的 1.2 倍" in text
    assert "平均气温：柞水县 15.6℃，比岚县 6.9℃高 8.7℃" in text  # a temperature gap is a difference
    assert "43.62" not in text  # 岚县's 林草覆盖率 is not compared with 柞水县's 森林覆盖率
    # real bullets: a bullet character and a hanging indent, not a typed '•' the wrapped lines run under
    box = next(shape for shape in slide.shapes if shape.has_text_frame and "人口：" in shape.text_frame.text)
    paragraphs = box.text_frame.paragraphs
    assert not any(p.text.startswith("•") for p in paragraphs)
    for p in paragraphs:
        properties = p._p.pPr
        assert properties.find(qn("a:buChar")).get("char") == "•"
        assert -int(properties.get("indent")) == int(properties.get("marL")) > 0
    # a few short lines take the largest type; many long ones a smaller one that still fits
    assert {run.font.size.pt for p in paragraphs for run in p.runs} == {24}
    assert report.deck.bullet_size(["差异" * 30] * 12, 12.33, 5.25) < 24


def test_bullet_size_is_the_largest_that_fits():
    lines = ["人口：甲县 18.7万人，是乙县 16万人的 1.2 倍"] * 4
    assert report.deck.bullet_size(lines, 12.33, 5.25) == 24
    assert report.deck.bullet_size(lines, 12.33, 0.5) == 16  # nothing fits: the smallest
    many = ["字" * 60] * 5  # two lines each: ten rows and four gaps are 5.5 in at 24 pt, 5.0 in at 22 pt
    assert report.deck.bullet_size(many, 12.33, 5.25) == 22
    assert report.deck.bullet_size(many, 12.33, 8) == 24


def test_targets_and_domains_have_slides_of_their_own(deck, corpus):
    domains = pd.concat([tbl for s in slides_titled(deck, t("tab.domains")) for tbl in tables(s)])
    assert set(UNITS) <= set(domains[t("col.unit")])
    targets = pd.concat([tbl for s in slides_titled(deck, t("compare.targets")) for tbl in tables(s)])
    expected = shared.figures_view(corpus["figures"], UNITS, target="target")
    assert len(targets) == len(expected) > 0


def test_key_figures_are_an_editable_table_with_the_seed_numbers(deck):
    (slide,) = slides_titled(deck, t("report.key_figures.title"))
    (table,) = tables(slide)
    table = table.set_index(t("col.unit"))
    assert list(table.index) == UNITS
    assert table.loc["岚县", "人口"] == "18.7万人"
    assert table.loc["沁源县", "人口"] == "16万人"
    assert table.loc["柞水县", "森林覆盖率"] == "76%"
    assert table.loc["岚县", "森林覆盖率"] == "43.62% (林草)†"  # 林草覆盖率: not comparable with 森林覆盖率
    assert table.loc["岚县", "面积"] == "1,512平方公里"


def test_industries_table_groups_by_section(deck):
    slides = slides_titled(deck, t("report.industries.title"))
    rows = pd.concat([tbl for s in slides for tbl in tables(s)], ignore_index=True)
    farming = rows[rows[t("col.gbt_section")].str.startswith("A ")].iloc[0]
    assert "马铃薯" in farming["岚县"] and farming["岚县"].startswith(t("status.has"))


def test_notes_hold_the_evidence_sentences(deck, corpus):
    (slide,) = slides_titled(deck, t("report.key_figures.title"))
    text = notes(slide)
    cards = key_figures.key_figures(corpus["figures"], UNITS)
    for card in cards.itertuples():
        sentence = "".join(evidence_parts(corpus.clean_text(card.doc_id), card.start, card.end))
        assert sentence in text and card.doc_id in text
    assert "总人口18.7万人" in text
    for title in (t("report.industries.title"), t("chart.similarity.title"), t("deck.terms_title", unit=UNITS[1]),
                  t("chart.theme_profile.title")):
        assert all(notes(s).strip() for s in slides_titled(deck, title)), title
    terms = slides_titled(deck, t("deck.terms_title", unit=UNITS[0]))[0]
    assert "「" in notes(terms)  # a sentence using each top term


def test_continued_table_slides_keep_only_their_rows_evidence(corpus):
    view = compare_views.industries_view(corpus, UNITS, "zh", EXPORTED)
    rows = {e.row for e in view.evidence}
    assert rows <= set(view.table[t("col.gbt_section")])


def test_every_run_names_the_cjk_font_as_east_asian(deck):
    family = report.deck_font()
    runs = 0
    for slide in deck.slides:
        parts = [slide._element] + ([slide.notes_slide._element] if slide.has_notes_slide else [])
        for element in parts:
            for r_pr in element.iter(qn("a:rPr")):
                ea = r_pr.find(qn("a:ea"))
                assert ea is not None and ea.get("typeface") == family
                latin = r_pr.find(qn("a:latin"))
                assert latin is not None and latin.getnext() is ea  # schema order: latin, ea
                runs += 1
    assert runs > 100


def test_every_slide_carries_a_citation_footer(deck, corpus):
    stamp = t("footer.exported", date=EXPORTED.isoformat())
    for i, slide in enumerate(deck.slides):
        assert any(stamp in text for text in slide_texts(slide)), i
    for slide in deck.slides:
        footer = next(text for text in slide_texts(slide) if stamp in text)
        assert footer.startswith("来源：") and "方法：" in footer
        assert all(title in footer for title in shared.sources_for(corpus.tables, UNITS))
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1  # the similarity heatmap: PowerPoint has no such chart
    assert all(stamp in p._element.nvPicPr.cNvPr.get("descr") for p in pictures)


def test_sources_slide_lists_every_cited_document(deck, corpus):
    rows = pd.concat([tbl for s in slides_titled(deck, t("report.sources.title")) for tbl in tables(s)])
    cited = shared.source_documents(corpus.tables, UNITS)
    assert len(rows) == len(cited) == 3
    for doc in cited.itertuples():
        row = rows[rows[t("col.doc_id")] == doc.doc_id].iloc[0]
        assert row[t("col.title")] == doc.title
        assert row[t("col.outlet")] == (doc.outlet or "—") and row[t("col.date")] == (doc.date or "—")


def test_english_deck_has_english_labels(corpus):
    deck = Presentation(io.BytesIO(report.build_deck(corpus, UNITS, "en", exported=EXPORTED)))
    assert slides_titled(deck, "Key figures compared")
    (table,) = tables(slides_titled(deck, "Key figures compared")[0])
    assert table.set_index("Unit").loc["岚县", "Population"] == "18.7万人"
    footer = [x for x in slide_texts(deck.slides[1]) if "Exported 2026-11-23" in x]
    assert footer and footer[0].startswith("Source: ")


def test_progress_reaches_one_in_order(corpus):
    seen = []
    report.build_deck(corpus, UNITS, progress=lambda fraction, message: seen.append((fraction, message)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and all(m for _, m in seen)


def test_bad_input_is_refused(corpus, tmp_path):
    with pytest.raises(ValueError, match="unknown unit"):
        report.build_deck(corpus, ["沁源县", "不存在县"])
    with pytest.raises(ValueError, match="at least two"):
        report.build_html_report(corpus, ["沁源县"])
    with pytest.raises(ValueError, match="format"):
        report.write_report(UNITS, "docx", tmp_path / "x.docx", corpus=corpus)
    assert report.parse_units("沁源县,岚县，柞水县") == UNITS


@pytest.mark.slow  # a CLI subprocess: start-up and imports
def test_write_report_writes_both_formats(corpus, tmp_path):
    for fmt in report.FORMATS:
        out = report.write_report("沁源县,岚县,柞水县", fmt, tmp_path / "sub" / f"r.{fmt}", "zh", corpus=corpus)
        assert out.stat().st_size > 10_000


# ---- LibreOffice: the deck opens, converts and shows Chinese glyphs ------------------------------

def soffice_pdf(pptx: Path, out_dir: Path, profile: Path, env: dict | None = None) -> Path:
    """pptx -> PDF with a throw-away LibreOffice profile (no clash with a running LibreOffice)."""
    import os

    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out_dir), str(pptx)],
        capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, env={**os.environ, **(env or {})})
    pdf = out_dir / (pptx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    return pdf


def word_boxes(pdf: Path, page: int) -> dict[str, tuple[float, float, float, float]]:
    """Words of one PDF page and their boxes in points (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return {html.unescape(m[5]): tuple(float(m[i]) for i in range(1, 5)) for m in re.finditer(pattern, out)}


def render_page(pdf: Path, page: int, dpi: int, out: Path) -> Image.Image:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True, timeout=60)
    return Image.open(stem.with_suffix(".png")).convert("L")


def glyph_difference(pdf: Path, words: list[str], workdir: Path, dpi: int = 96) -> float:
    """Smallest pixel difference between two different characters of `words` on the title slide.

    Each word's box is cut into one cell per character. Rendered glyphs of different characters
    differ a lot; missing-glyph boxes ('tofu') are the same box for every character, so ~0.
    """
    boxes = word_boxes(pdf, 1)
    image = render_page(pdf, 1, dpi, workdir / f"{pdf.stem}_title.png")
    cells = []
    for word in words:
        x0, y0, x1, y1 = (v * dpi / 72 for v in boxes[word])
        width, height = (x1 - x0) / len(word), int(y1 - y0)
        for i, char in enumerate(word):
            left = round(x0 + i * width)
            crop = image.crop((left, round(y0), left + int(width), round(y0) + height))
            cells.append((char, np.asarray(crop, dtype=float)))
    return min(np.abs(a - b).mean() for (c, a), (d, b) in itertools.combinations(cells, 2) if c != d)


_soffice_missing = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice/poppler missing: apt-get install --no-install-recommends libreoffice-impress poppler-utils")


def needs_soffice(test):
    """LibreOffice tests: skipped without it, and slow (left out of `make test-fast`)."""
    return pytest.mark.slow(_soffice_missing(test))


@needs_soffice
def test_libreoffice_converts_the_deck_with_chinese_glyphs(deck_bytes, tmp_path):
    pptx = tmp_path / "report_deck.pptx"
    pptx.write_bytes(deck_bytes)
    started = time.perf_counter()
    pdf = soffice_pdf(pptx, tmp_path, tmp_path / "profile")
    print(f"LibreOffice conversion {time.perf_counter() - started:.1f}s")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", "", text)  # pdftotext puts spaces between Latin and Chinese runs
    assert all(unit in text for unit in UNITS)
    assert "18.7万人" in text and "76%" in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True, check=True).stdout)[1])
    assert pages == len(Presentation(io.BytesIO(deck_bytes)).slides)
    assert glyph_difference(pdf, ["沁源县", "柞水县"], tmp_path) > 30
    shutil.copy(pdf, ARTIFACTS / "report_deck.pdf")
    # The key-figure slide as LibreOffice draws it (copy it to docs/slide.png to refresh the README).
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-scale-to-x", "1600", "-scale-to-y", "-1", "-f", "2",
                    "-l", "2", str(pdf), str(ARTIFACTS / "slide")], check=True, timeout=60)


@needs_soffice
def test_glyph_check_catches_tofu(deck_bytes, tmp_path):
    """Control: with fontconfig limited to DejaVu (no CJK font) the same check must see boxes."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("fonts-dejavu-core not installed: no Latin-only font folder for the control")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<dir>{dejavu}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    pptx = tmp_path / "tofu.pptx"
    pptx.write_bytes(deck_bytes)
    pdf = soffice_pdf(pptx, tmp_path, tmp_path / "profile", env={"FONTCONFIG_FILE": str(conf)})
    assert glyph_difference(pdf, ["沁源县", "柞水县"], tmp_path) < 20


# ---- the HTML report -----------------------------------------------------------------------------

class Elements(HTMLParser):
    """Start tags with their attributes, and the text outside <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(page: bytes) -> Elements:
    parser = Elements()
    parser.feed(page.decode("utf-8"))
    parser.close()
    return parser


def test_html_report_is_offline_and_holds_every_key_figure(html_bytes, corpus):
    parsed = parse(html_bytes)
    text = "".join(parsed.text)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert not [a for a in scripts if re.match(r"(https?:)?//", a.get("src", ""))]
    assert not [a for tag, a in parsed.tags if tag == "link" and "stylesheet" in a.get("rel", "")]
    table = figure_table.comparison_table(corpus, UNITS).display
    for value in table.drop(columns=t("col.unit")).to_numpy().ravel():
        if isinstance(value, str) and value:
            assert value in text
    for e in (section for tag, section in parsed.tags if tag == "section"):
        assert e["id"]
    sections = [a["id"] for tag, a in parsed.tags if tag == "section"]
    assert sections == ["summary", "key_figures", "industries", "domains", "targets", "themes", "similarity", "terms",
                        "sources"]
    assert "总人口18.7万人" in text  # evidence sentence
    assert sum(1 for a in scripts if a.get("class") == "vl-spec") == 4  # industries, themes, similarity, terms
    assert "@media print" in html_bytes.decode("utf-8")


def test_html_escapes_document_text(corpus):
    """A document whose title and text contain markup shows it as text; no script element is added."""
    tables = {name: table.copy() for name, table in corpus.tables.items()}
    docs = tables["documents"]
    card = key_figures.key_figures(tables["figures"], ["岚县"]).iloc[0]
    i = docs.index[docs["doc_id"] == card.doc_id][0]
    text = docs.at[i, "clean_text"]
    start = text.rfind("\n", 0, card.start) + 1
    assert card.start - start > len(PAYLOAD)
    # Same length, so every offset of the document stays valid.
    docs.at[i, "clean_text"] = text[:start] + PAYLOAD + text[start + len(PAYLOAD):]
    docs.at[i, "title"] = f"岚县{PAYLOAD}工作思路"
    page = report.build_html_report(corpus_tables.Corpus(tables), UNITS, exported=EXPORTED)
    source = page.decode("utf-8")
    assert PAYLOAD not in source
    assert html.escape(PAYLOAD) in source
    clean = parse(report.build_html_report(corpus, UNITS, exported=EXPORTED))
    injected = parse(page)
    count = lambda p: sum(tag == "script" for tag, _ in p.tags)  # noqa: E731
    assert count(injected) == count(clean)


@pytest.mark.browser
@pytest.mark.slow
def test_html_charts_render_offline_in_chromium(html_bytes, tmp_path):
    """Chromium prints the report to PDF; text only the charts draw proves the inline Vega ran."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("pdftotext") is None:
        pytest.skip("chromium or poppler-utils missing")
    page = tmp_path / "report.html"
    page.write_bytes(html_bytes)
    pdf = tmp_path / "report.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--virtual-time-budget=15000", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    drawn_only = [t("axis.score"), t("legend.cosine")]
    assert not [s for s in drawn_only if s in "".join(parse(html_bytes).text)]
    assert all(s in text for s in drawn_only)
    shutil.copy(pdf, ARTIFACTS / "report_html_print.pdf")


def test_each_indicator_chart_slide_keeps_its_own_sentences(deck):
    (slide,) = [s for s in deck.slides if any(sh.has_chart and sh.chart.series[0].name == "人口" for sh in s.shapes)]
    text = notes(slide)
    assert "总人口18.7万人" in text and "森林覆盖率" not in text  # the population figures' sentences only
    assert any("柞水县" in x for x in slide_texts(slide))  # the unit the chart leaves out is named


def test_the_users_generic_words_reach_the_deck(corpus):
    from analytics.analysis.terms import effective_generic_terms

    def bars(exclude):
        deck = Presentation(io.BytesIO(report.build_deck(corpus, UNITS, "zh", exported=EXPORTED, exclude=exclude)))
        (slide,) = slides_titled(deck, t("deck.terms_title", unit=UNITS[0]))
        return next(sh.chart for sh in slide.shapes if sh.has_chart).plots[0].categories

    first = list(bars(None))
    added = effective_generic_terms(added=[first[-1]])  # the unit's most distinctive term, now generic
    assert first[-1] not in list(bars(added))
