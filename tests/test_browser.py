"""The dashboard in a real browser: `streamlit run app.py` as `make run` starts it, driven by Debian's
chromium through Playwright. Chinese is checked by pixels, because a DOM text assertion passes even
when every glyph is tofu (FACTS.md). Screenshots go to test-artifacts/ (copy compare.png to docs/ to refresh the README).

Run alone: .venv/bin/pytest tests/test_browser.py -q   (or -m browser)
"""
from __future__ import annotations

import io
from urllib.parse import parse_qs, quote, urlparse

import pytest

from analytics.export.i18n import t
from tests.browser_support import ROOT, chromium, missing_browser_reason, running_server, wait_idle, wait_page_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "test-artifacts"
# page -> vega charts rendered on first load (Compare's charts sit in its later tabs)
PAGES = {"overview": 1, "compare": 0, "similarity": 1, "themes": 2, "figures": 1, "library": 0}
# The home page is served at "/" and, as second paths of the same script, at "/home" and "/overview" (app.py).
URLS = {"root": ""}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# ---- fixtures: one server and one browser for the module ----------------------------------------

@pytest.fixture(scope="module")
def server():
    reason = missing_browser_reason()
    if reason:
        pytest.skip(f"browser test needs Playwright and /usr/bin/chromium: {reason}")
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(log_path=ARTIFACTS / "streamlit.log") as running:
        yield running


@pytest.fixture(scope="module")
def browser_context(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, chromium(playwright) as context:
        context.set_default_timeout(60_000)
        yield context


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def open_page(page, server, path: str, charts: int = 0, **query) -> None:
    url = f"{server.base_url}/{URLS.get(path, path)}"
    if query:
        url += "?" + "&".join(f"{k}={quote(str(v), safe=',')}" for k, v in query.items())
    page.goto(url)
    try:
        wait_page_ready(page, charts)
    except Exception as error:
        raise AssertionError(f"{url} not ready: {page_problems(page)}") from error
    assert not page.locator("[data-testid='stException']").count(), page_problems(page)
    # Streamlit's "Page not found" dialog: the URL names no page, and the default page runs instead.
    dialog = page.get_by_role("dialog")
    assert not dialog.count(), f"{url}: {dialog.first.inner_text()!r}"


def page_problems(page) -> str:
    """What the page and the server log say went wrong, for assertion messages."""
    shown = " | ".join(page.locator("[data-testid='stException'], [data-testid='stAlert']").all_inner_texts())
    log = (ARTIFACTS / "streamlit.log").read_text(errors="replace").strip().splitlines()[-12:]
    return f"page shows: {shown or 'nothing'}; server log ends: " + "\n".join(log)


def url_query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


# ---- pixels --------------------------------------------------------------------------------------

def image(data: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("RGB")


def ink(img, threshold: int = 160) -> int:
    """Number of dark pixels (text) in an image."""
    return int(img.convert("L").point(lambda v: 255 if v < threshold else 0).histogram()[255])


def differing_pixels(a, b, tolerance: int = 40) -> int:
    """Pixels whose grey level differs by more than `tolerance` (anti-aliasing noise stays below)."""
    from PIL import ImageChops

    assert a.size == b.size, (a.size, b.size)
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    return int(diff.point(lambda v: 255 if v > tolerance else 0).histogram()[255])


def same_text(a, b) -> bool:
    """Same glyphs: at most a tenth of the ink differs (sub-pixel placement shifts edges a little)."""
    return differing_pixels(a, b) <= max(3, 0.1 * max(ink(a), ink(b)))


def different_text(a, b) -> bool:
    """Different glyphs: differing pixels amount to at least half the ink of the darker one."""
    return differing_pixels(a, b) >= max(20, 0.5 * max(ink(a), ink(b)))


def glyph_rects(page, selector: str, text: str) -> list[dict]:
    """Viewport rectangles of each character of the first element matching `selector` with `text`."""
    return page.evaluate(
        """([selector, text]) => {
            const el = [...document.querySelectorAll(selector)].find(e => e.textContent.trim() === text);
            if (!el) return null;
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node; while ((node = walker.nextNode()) && !node.textContent.trim()) {}
            const start = node.textContent.indexOf(text);
            return [...text].map((_, i) => {
                const range = document.createRange();
                range.setStart(node, start + i); range.setEnd(node, start + i + 1);
                const r = range.getBoundingClientRect();
                return {x: r.x, y: r.y, width: r.width, height: r.height};
            });
        }""", [selector, text])


def shoot(page, rect: dict) -> "object":
    """Screenshot of a viewport rectangle, rounded outwards to whole pixels."""
    clip = {"x": int(rect["x"]), "y": int(rect["y"]), "width": int(rect["width"]) + 1,
            "height": int(rect["height"]) + 1}
    return image(page.screenshot(clip=clip))


def bar_rows(img) -> tuple[int, list[tuple[int, int]]]:
    """Horizontal bars of a bar chart PNG: (left edge of the plot, [(top, bottom) of each bar])."""
    width, height = img.size
    pixels = img.load()

    def coloured(x, y):
        r, g, b = pixels[x, y]
        return max(r, g, b) - min(r, g, b) > 60  # saturated: a bar, not text, grid or background

    counts = [sum(coloured(x, y) for x in range(0, width, 2)) for y in range(height)]
    rows, top = [], None
    for y, count in enumerate(counts + [0]):
        wide = count > width // 8
        if wide and top is None:
            top = y
        elif not wide and top is not None:
            rows.append((top, y))
            top = None
    middle = (rows[0][0] + rows[0][1]) // 2
    left = next(x for x in range(width) if coloured(x, middle))
    return left, rows


# ---- the tests -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_its_charts(page, server, path):
    charts = PAGES[path]
    key = "app.title" if path == "overview" else f"page.{path}"
    chinese, english = t(key, "zh"), t(key, "en")
    open_page(page, server, path, charts)
    # Compare's title says what is compared: 对比：沁源县 · 岚县 · 柞水县
    assert page.locator("h1").first.inner_text().strip().startswith(chinese)
    page.screenshot(path=ARTIFACTS / f"{path}.png")
    full_length_screenshot(page, ARTIFACTS / f"{path}_full.png")
    if path == "compare":
        for tab in ("industries", "domains", "themes", "terms"):
            open_page(page, server, path, tab=tab)
            full_length_screenshot(page, ARTIFACTS / f"compare_{tab}_full.png")

    open_page(page, server, path, charts, lang="en")
    assert page.locator("h1").first.inner_text().strip().startswith(english)
    full_length_screenshot(page, ARTIFACTS / f"{path}_en_full.png")

    open_page(page, server, path, charts, present=1)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    page.screenshot(path=ARTIFACTS / f"{path}_present.png")


def test_root_and_overview_are_the_home_page(page, server):
    for path in ("root", "home", "overview"):
        open_page(page, server, path, PAGES["overview"])  # asserts no "Page not found" dialog
        assert page.locator("h1").first.inner_text().strip() == t("app.title", "zh")


def full_length_screenshot(page, path) -> None:
    """The whole page: Streamlit scrolls inside stMain, so grow the viewport to its content."""
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 12_000)})
    page.wait_for_timeout(500)  # let vega re-layout to the new size
    page.screenshot(path=path)
    page.set_viewport_size(size)


def test_language_toggle_switches_the_whole_page(page, server):
    open_page(page, server, "compare")
    toggle = page.get_by_role("switch", name="English")
    assert not toggle.is_checked()
    toggle.check(force=True)
    page.locator("h1", has_text=t("page.compare", "en")).wait_for()
    wait_idle(page)
    assert url_query(page).get("lang") == "en"
    assert page.get_by_role("tab", name=t("tab.figures", "en")).count() == 1
    # the sidebar's page links (app.py lists the pages itself, so /overview can be a second path of home)
    nav = " ".join(page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").all_inner_texts())
    assert t("page.similarity", "en") in nav and t("page.similarity", "zh") not in nav

    page.get_by_role("switch", name="English").uncheck(force=True)
    page.locator("h1", has_text=t("page.compare", "zh")).wait_for()
    assert "lang" not in url_query(page)


def test_every_tab_click_switches_the_tab(page, server):
    """One click per tab, in a row: each must show its tab (and write it into the URL)."""
    open_page(page, server, "compare")
    for tab in ("industries", "domains", "themes", "terms", "figures"):
        select_tab(page, tab)


# the unit rows of the first table (more columns than fit one table are drawn as further tables, same rows)
UNIT_ROWS_JS = "() => [...(document.querySelector('.cl-table')?.querySelectorAll('.cl-name') ?? [])].map(e => e.textContent)"


def comparison_rows(page, expected: list[str], timeout: float = 60_000) -> list[str]:
    """The comparison table's unit names once they are `expected`, or what they are when `timeout` ends.

    The heading is drawn before the table is computed, and Streamlit shows its status widget only once a
    run has lasted a moment, so a page that looks idle may still be computing: wait for the rows themselves."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"expected => JSON.stringify(({UNIT_ROWS_JS})()) === JSON.stringify(expected)",
                               arg=expected, timeout=timeout)
    except PlaywrightTimeout:
        pass  # the assertion that follows shows what the rows are
    return page.evaluate(UNIT_ROWS_JS)


def test_compare_follows_the_url_and_the_multiselect(page, server):
    open_page(page, server, "compare", units="沁源县,岚县,长治经开区")
    assert comparison_rows(page, ["沁源县", "岚县", "长治经开区"]) == ["沁源县", "岚县", "长治经开区"]

    page.get_by_role("button", name="Remove 长治经开区").click()
    assert comparison_rows(page, ["沁源县", "岚县"]) == ["沁源县", "岚县"]
    wait_idle(page)
    assert url_query(page)["units"] == "沁源县,岚县"

    open_page(page, server, "compare", units="岚县,长治经开区")
    assert comparison_rows(page, ["岚县", "长治经开区"]) == ["岚县", "长治经开区"]


def test_chinese_glyphs_render_in_the_page(page, server):
    """沁源县 and 柞水县 are both three characters: tofu boxes would make them pixel-identical."""
    open_page(page, server, "compare", units="沁源县,柞水县")
    # measure only once the layout has stopped moving (cards and charts below still settle)
    page.wait_for_timeout(1500)
    wait_idle(page)
    qinyuan = glyph_rects(page, ".cl-name", "沁源县")
    zhashui = glyph_rects(page, ".cl-name", "柞水县")
    assert qinyuan and zhashui
    qin, zha = shoot(page, qinyuan[0]), shoot(page, zhashui[0])
    xian_a, xian_b = shoot(page, qinyuan[2]), shoot(page, zhashui[2])
    qin.save(ARTIFACTS / "glyph_qin.png")
    zha.save(ARTIFACTS / "glyph_zha.png")
    assert ink(qin) > 30 and ink(zha) > 30, "glyphs are blank"
    # The same character renders the same, so a difference below is the glyphs', not noise.
    assert same_text(xian_a, xian_b), "县 renders differently in two rows: comparison is noise"
    assert different_text(qin, zha), "沁 and 柞 render alike: tofu or missing CJK font"

    # A reference missing glyph in the same style: characters no font has (plane-16 private use).
    page.evaluate("""() => {
        const name = [...document.querySelectorAll('.cl-name')].find(e => e.textContent.trim() === '沁源县');
        const probe = name.cloneNode(true);
        probe.id = 'tofu-probe';
        const walker = document.createTreeWalker(probe, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode()) && !node.textContent.trim()) {}
        node.textContent = '\\u{10FFFD}\\u{10FFFC}\\u{10FFFB}';
        name.after(probe);
    }""")
    tofu = glyph_rects(page, "#tofu-probe", "\U0010FFFD\U0010FFFC\U0010FFFB")
    tofu_a, tofu_b = shoot(page, tofu[0]), shoot(page, tofu[1])
    tofu_a.save(ARTIFACTS / "glyph_tofu.png")
    assert same_text(tofu_a, tofu_b), "missing glyphs should all render as one box"
    # Chromium's box is narrower than a CJK glyph's advance; if a font ever made them equal, compare pixels.
    assert qin.size != tofu_a.size or different_text(qin, tofu_a), "沁 renders as the missing-glyph box"


def download_png(page, key: str) -> bytes:
    """Click the download button with this key ('png_<chart>') and return the downloaded bytes."""
    button = page.locator(f".st-key-{key} button")
    button.wait_for(state="visible")
    wait_idle(page)
    # The bytes are made on the server when clicked; a click that lands during a rerun is dropped by
    # Streamlit (the deferred file is re-registered), so a second click is allowed before failing.
    for attempt in range(2):
        try:
            with page.expect_download(timeout=45_000) as download:
                button.click()
            break
        except Exception as error:
            if attempt:
                raise AssertionError(f"no download from {key}: {page_problems(page)}") from error
            wait_idle(page)
    path = download.value.path()
    assert download.value.suggested_filename == key.removeprefix("png_") + ".png"
    return path.read_bytes()


def select_tab(page, tab: str, lang: str = "zh") -> None:
    """Click a Compare tab and wait for the rerun it triggers (the URL gets ?tab=<slug>)."""
    button = page.get_by_role("tab", name=t(f"tab.{tab}", lang), exact=True)
    button.click()
    wait_idle(page)
    assert button.get_attribute("aria-selected") == "true", f"one click on tab {tab!r} did not select it"
    assert url_query(page).get("tab", "figures") == tab


def open_compare_tab(page, server, units: str, tab: str, charts: int = 1) -> None:
    open_page(page, server, "compare", units=units)
    select_tab(page, tab)
    page.wait_for_function(
        "n => [...document.querySelectorAll('[role=tabpanel]')].filter(p => p.offsetParent)"
        ".some(p => p.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks').length >= n)",
        arg=charts)
    wait_idle(page)
    assert url_query(page).get("tab") == tab


def test_png_download_is_a_2x_image_with_chinese_labels(page, server):
    """Theme profile on Compare, exported twice with the two units swapped: each label row's pixels
    must follow its text (沁源县 / 柞水县, both three characters, so tofu would make them equal)."""
    from analytics.export.charts import STEP

    exports = []
    for order in ("沁源县,柞水县", "柞水县,沁源县"):
        open_compare_tab(page, server, order, "themes")
        data = download_png(page, "png_themes")
        assert data.startswith(PNG_SIGNATURE)
        img = image(data)
        img.save(ARTIFACTS / f"export_themes_{order.replace(',', '_')}.png")
        exports.append(img)

    for img in exports:
        left, rows = bar_rows(img)
        assert len(rows) == 2, rows
        assert abs((rows[1][0] - rows[0][0]) - 2 * STEP) <= 1, "bars one step (24 px) apart at scale 2"
        assert left > 40
    (left_a, rows_a), (left_b, rows_b) = bar_rows(exports[0]), bar_rows(exports[1])
    left = min(left_a, left_b) - 4

    def label(img, row):  # a fixed-size box around the bar's middle: one axis label
        middle = (row[0] + row[1]) // 2
        return img.crop((0, middle - STEP + 2, left, middle + STEP - 2))

    qinyuan_a, zhashui_a = label(exports[0], rows_a[0]), label(exports[0], rows_a[1])
    zhashui_b, qinyuan_b = label(exports[1], rows_b[0]), label(exports[1], rows_b[1])
    qinyuan_a.save(ARTIFACTS / "export_label_qinyuan.png")
    zhashui_a.save(ARTIFACTS / "export_label_zhashui.png")
    assert ink(qinyuan_a) > 100 and ink(zhashui_a) > 100, "label rows are blank"
    assert same_text(qinyuan_a, qinyuan_b), "the same label renders the same"
    assert same_text(zhashui_a, zhashui_b)
    assert different_text(qinyuan_a, zhashui_a), "沁源县 and 柞水县 alike in the PNG: tofu"


# ---- own documents: upload in the browser, then compare --------------------------------------------

def upload_files(tmp_path) -> list:
    """Three documents in three formats, each about a county the seeds do not cover."""
    import docx

    txt = tmp_path / "榆社县.txt"
    txt.write_bytes("榆社县位于山西省晋中市。榆社县总人口13.5万人，森林覆盖率达到45%，大力发展全域旅游。".encode("gb18030"))
    html = tmp_path / "洪洞县.html"
    html.write_text("<html><body><h1>洪洞县文旅融合</h1><p>山西省临汾市洪洞县接待游客1200万人次，"
                    "洪洞县打造4A级景区3处。<script>alert('x')</script></p></body></html>", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("陕西省商洛市镇安县发展康养产业。镇安县森林覆盖率达到80%，镇安县引进项目12个。")
    word = tmp_path / "镇安县.docx"
    document.save(word)
    return [txt, html, word]


def test_upload_three_formats_then_compare_and_remove(page, server, tmp_path):
    open_page(page, server, "library")
    files = upload_files(tmp_path)
    page.locator("input[type=file]").set_input_files([str(f) for f in files])
    page.get_by_role("button", name=t("button.add_documents", "zh", n=3)).click()
    page.locator("[data-testid='stAlert']", has_text=t("library.summary", "zh", added=3, near=0, duplicates=0,
                                                                      refused=0)).wait_for(timeout=120_000)
    wait_idle(page)
    assert "alert('x')" not in page.locator("[data-testid='stAlertContainer']").all_inner_texts().__str__()

    open_page(page, server, "compare", units="榆社县,洪洞县,镇安县")
    assert comparison_rows(page, ["榆社县", "洪洞县", "镇安县"]) == ["榆社县", "洪洞县", "镇安县"]
    metrics = " ".join(page.locator(".cl-table summary").all_inner_texts())
    assert "13.5万人" in metrics and "80%" in metrics

    # they are in the store file, not in the session: a new session (or a restarted server) sees them
    from analytics.corpus.library import open_store
    from analytics.corpus.store import list_documents
    from analytics.paths import default_store as store_path

    assert {f.name for f in files} <= set(list_documents(open_store(store_path()))["file_name"])


def test_ten_sessions_read_and_add_at_once(browser_context, server, tmp_path):
    """Ten browser sessions on loopback: five read pages, five add a document each, all at once."""
    import time

    pages = [browser_context.new_page() for _ in range(10)]
    errors: list[str] = []
    for p in pages:
        p.on("pageerror", lambda error: errors.append(str(error)))
    started = time.perf_counter()
    readers, writers = pages[:5], pages[5:]
    for i, p in enumerate(readers):
        p.goto(f"{server.base_url}/{['compare', 'similarity', 'themes', 'figures', ''][i]}", wait_until="commit")
    for p in writers:
        p.goto(f"{server.base_url}/library", wait_until="commit")
    for i, p in enumerate(writers):
        p.locator("input[type=file]").wait_for(state="attached", timeout=120_000)
        name = tmp_path / f"load_{i}.txt"
        name.write_text(f"山西省晋中市平遥县第{i}号文件。平遥县游客{100 + i}万人次，古城旅游。", encoding="utf-8")
        p.locator("input[type=file]").set_input_files(str(name))
    for p in writers:
        p.get_by_role("button", name=t("button.add_documents", "zh", n=1)).click()
    for p in [*readers, *writers]:
        wait_page_ready(p, timeout=180_000)
    for p in writers:
        p.locator("[data-testid='stAlert']", has_text=t("library.summary", "zh", added=1, near=0,
                                                                       duplicates=0, refused=0)).wait_for(timeout=180_000)
    elapsed = time.perf_counter() - started
    problems = [p.locator("[data-testid='stException']").count() for p in pages]
    print(f"\nten sessions: {elapsed:.1f}s until every page answered and every document was added")
    assert errors == [] and problems == [0] * 10

    from analytics.corpus.library import open_store
    from analytics.corpus.store import list_documents
    from analytics.paths import default_store as store_path

    stored = set(list_documents(open_store(store_path()))["file_name"])
    assert {f"load_{i}.txt" for i in range(5)} <= stored
    for p in pages:
        p.close()


# ---- the comparison an analyst presents -----------------------------------------------------------

SIX_UNITS = "沁源县,岚县,柞水县,永济市,长治经开区,风陵渡经开区"
SCREENS = [(1366, 768), (1920, 1080)]
# Every value cell, unit cell and number of the comparison table, and the table in its frame: nothing may be
# wider than the box it is drawn in (scrollWidth > clientWidth is text cut off or scrolled out of sight).
CLIPPED_JS = """() => {
  const clipped = [];
  const cells = [...document.querySelectorAll('.cl-table td, .cl-table th, .cl-table .cl-num, .cl-table summary')];
  for (const el of cells) if (el.scrollWidth > el.clientWidth + 1) clipped.push(el.textContent.slice(0, 40));
  const tables = [...document.querySelectorAll('.cl-table')];
  const frame = tables[0].closest('[data-testid=stHtml]');
  return {cells: cells.length, clipped, table: Math.max(...tables.map(t => t.scrollWidth)), frame: frame.clientWidth};
}"""
# The view in one screen: the bottom of the last thing drawn in the main block, and the page's scroll height.
FITS_JS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const shown = [...main.querySelectorAll('[data-testid=stElementContainer]')].filter(e => e.offsetParent);
  return {bottom: Math.max(...shown.map(e => e.getBoundingClientRect().bottom)), scroll: main.scrollHeight};
}"""
VISIBLE_CONTROLS_JS = """() => [...document.querySelectorAll(
    'button, [role=combobox], input, select, [role=tab], [data-testid=stPopover], [data-testid=stSidebar]')]
  .filter(e => { const r = e.getBoundingClientRect(); return e.offsetParent !== null && r.width > 0 && r.height > 0; })
  .map(e => e.outerHTML.slice(0, 80))"""
CHART_FONT_JS = """() => { const sizes = [...document.querySelectorAll('.vega-embed svg text')]
  .map(t => parseFloat(getComputedStyle(t).fontSize)).filter(s => s > 0).sort((a, b) => a - b);
  return sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0; }"""


@pytest.mark.parametrize("width,height", SCREENS)
def test_no_value_of_the_comparison_is_clipped(page, server, seed_tables, width, height):
    """2 and 6 units, the default columns and every indicator the six state: each value whole on screen."""
    from analytics.features.key_figures import selection_indicators

    every = ",".join(selection_indicators(seed_tables["figures"], SIX_UNITS.split(",")))
    page.set_viewport_size({"width": width, "height": height})
    for units in ("沁源县,岚县", SIX_UNITS):
        for columns in ({}, {"ind": every}):
            open_page(page, server, "compare", units=units, **columns)
            assert comparison_rows(page, units.split(",")) == units.split(",")
            measured = page.evaluate(CLIPPED_JS)
            assert measured["cells"] > 10 and not measured["clipped"], (units, columns, measured)
            assert measured["table"] <= measured["frame"], (units, columns, measured)
    page.screenshot(path=ARTIFACTS / f"compare_table_{width}.png", full_page=True)


@pytest.mark.parametrize("width,height", SCREENS)
def test_presentation_mode_makes_the_slide(page, server, width, height):
    """No control in the frame, each view within one 16:9 screen, chart text larger than on the page, and
    the arrow keys step through the views (Esc leaves)."""
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server, "compare", charts=1, units=SIX_UNITS, tab="themes")
    normal_font = page.evaluate(CHART_FONT_JS)
    names = " · ".join(SIX_UNITS.split(","))
    slides = ["summary", "figures", "industries", "domains", "themes", "terms"]
    open_page(page, server, "compare", units=SIX_UNITS, present=1)
    for i, slug in enumerate(slides):
        heading = page.locator("h1").first
        assert heading.inner_text().strip() == f"{names} — {t(f'tab.{slug}')}", slug
        if slug in ("industries", "themes", "terms"):
            page.wait_for_function("() => document.querySelectorAll('.vega-embed svg.marks').length >= 1")
            page.wait_for_timeout(500)
        assert not page.evaluate(VISIBLE_CONTROLS_JS), (slug, page.evaluate(VISIBLE_CONTROLS_JS))
        fits = page.evaluate(FITS_JS)
        assert fits["bottom"] <= height and fits["scroll"] <= height + 2, (slug, fits)
        if slug == "themes":
            assert page.evaluate(CHART_FONT_JS) > 1.3 * normal_font > 0
        page.screenshot(path=ARTIFACTS / f"present_{slug}_{width}.png")
        if i < len(slides) - 1:
            page.keyboard.press("ArrowRight")
            page.locator("h1", has_text=t(f"tab.{slides[i + 1]}")).wait_for()
            wait_idle(page)
    page.keyboard.press("ArrowRight")  # after the last view, the first again
    page.locator("h1", has_text=t("tab.summary")).wait_for()
    wait_idle(page)
    page.keyboard.press("Escape")
    page.locator("[data-testid='stSidebar']").wait_for(state="visible")
    assert "present" not in url_query(page)


STREAMLIT_WORDS_JS = """() => {
  const zone = document.querySelector('[data-testid=stFileUploaderDropzone]');
  const label = zone.querySelector('button [data-testid=stMarkdownContainer] p');
  const limits = zone.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span');
  return {label_size: getComputedStyle(label).fontSize, label: getComputedStyle(label, '::after').content,
          limits_size: getComputedStyle(limits).fontSize, limits: getComputedStyle(limits, '::after').content};
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_uploader_speaks_the_interface_language(page, server, lang):
    """Streamlit writes its uploader's button and size line in English only: the drawn words are ours."""
    open_page(page, server, "library", lang=lang)
    page.locator("[data-testid=stFileUploaderDropzone]").wait_for()
    words = page.evaluate(STREAMLIT_WORDS_JS)
    assert words["label_size"] == "0px" and words["limits_size"] == "0px", words  # "Upload", "200MB per file" hidden
    assert t("streamlit.upload", lang) in words["label"], words
    assert "20 MB" in words["limits"] and "200 MB" in words["limits"], words
    if lang == "zh":
        assert "选择文件" in words["label"] and "每个文档" in words["limits"]


CUT_LABELS_JS = """() => [...document.querySelectorAll('[data-testid=stWidgetLabel] [data-testid=stMarkdownContainer]')]
  .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.innerText)"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_widget_label_is_cut_on_a_laptop_screen(page, server, lang):
    """At 1366 px every control's label is whole (Streamlit ends a label too long for its column with …)."""
    page.set_viewport_size({"width": 1366, "height": 768})
    for path in ("compare", "similarity", "themes", "figures", "library"):
        open_page(page, server, path, PAGES[path], lang=lang)
        assert page.evaluate(CUT_LABELS_JS) == [], (path, lang)
