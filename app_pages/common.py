"""Widgets every page shares: language, presentation mode, URL state, the cached corpus, downloads.

Pages import from here so that each stays a short script; all computing lives in analytics/.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape

import streamlit as st

from analytics.analysis import terms
from analytics.analysis.evidence import evidence_parts, highlight_html
from analytics.corpus import corpus as corpus_tables
from analytics.corpus.errors import StoreError
from analytics.corpus.isolation import Limits
from analytics.corpus.library import add_seeds, open_store, reanalyse_stale
from analytics.corpus.store import save_setting, seeds_pending, stale_documents, store_fingerprint, store_setting
from analytics.export import charts
from analytics.export import files as export
from analytics.export.i18n import t
from analytics.pipeline.ingest import MAX_ARCHIVE_BYTES, MAX_FILE_BYTES
from analytics.views import figure_table, shared

# What presentation mode takes out of the frame: chrome, every button, picker and popover (their element
# containers too, so no gap is left where they were).
PRESENTATION_CHROME = ["stSidebar", "stSidebarCollapsedControl", "stToolbar", "stHeader", "stDecoration",
                       "stElementToolbar"]
PRESENTATION_WIDGETS = ["stDownloadButton", "stMultiSelect", "stPopover", "stSelectbox", "stButton", "stToggle",
                        "stCheckbox", "stSegmentedControl", "stTextInput", "stNumberInput", "stSlider", "stExpander",
                        "stFileUploader"]
PRESENTATION_CSS = "<style>\n" + ",\n".join(
    [f'[data-testid="{name}"]' for name in PRESENTATION_CHROME]
    + [f'[data-testid="{name}"], [data-testid="stElementContainer"]:has(> [data-testid="{name}"])'
       for name in PRESENTATION_WIDGETS]) + """,
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script), footer,
[data-testid="stTabs"] [role="tablist"],
.vega-embed details, .vega-embed .vega-actions {display: none !important;}
.block-container {max-width: 177.78vh !important; padding: 0.8rem 2.5rem 0.2rem !important;}
.cl-hint {position: fixed; right: 1.2rem; bottom: 0.3rem; color: #999; font-size: 0.8rem;}
@media (max-height: 800px) { .cl-table {font-size: 1.05rem !important;} h1 {font-size: 1.8rem !important;} }
html, body, [class*="css"], .stMarkdown p, .stDataFrame {font-size: 1.22rem !important;}
.stMarkdown li {font-size: 1.45rem !important; margin-bottom: 0.5rem;}
h1 {font-size: 2.0rem !important; padding: 0 0 0.4rem 0 !important;} h2 {font-size: 1.7rem !important;}
h3 {font-size: 1.4rem !important;}
.cl-table {font-size: 1.2rem !important;}
.cl-table .cl-unit .cl-place {display: none;}
.cl-table th, .cl-table td {padding: 0.35rem 0.5rem !important;}
.cl-table details summary {cursor: default;}
</style>
"""


# ---- URL state: every widget that shapes a view is mirrored in st.query_params -------------------

MAX_URL_TEXT = 200  # characters of a free-text URL value (?term=, ?q=): a search, not a document
MAX_URL_LIST = 1500  # characters of a list value (?units=): 30 units' names; a link stays far under 8 KB


def url_value(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)[:MAX_URL_TEXT]


def url_list(name: str) -> list[str]:
    value = st.query_params.get(name, "")[:MAX_URL_LIST]
    return [v for v in value.split(",") if v]


def set_url(name: str, value: str | list[str] | None) -> None:
    """Write a view's state into the URL (a list as comma-joined), dropping empty values; a text is cut to
    MAX_URL_TEXT and a list to whole items within MAX_URL_LIST, so that a shared link always loads (a
    100 KB search term made the server answer HTTP 400)."""
    if isinstance(value, list):
        kept: list[str] = []
        for item in value:
            if len(",".join([*kept, item])) > MAX_URL_LIST:
                break
            kept.append(item)
        text = ",".join(kept)
    else:
        text = (value or "")[:MAX_URL_TEXT]
    if text:
        if st.query_params.get(name) != text:
            st.query_params[name] = text
    elif name in st.query_params:
        del st.query_params[name]


def language() -> str:
    """The UI language ('zh' default, 'en'), from the URL and the sidebar toggle."""
    current = url_value("lang", "zh")
    current = current if current in ("zh", "en") else "zh"
    english = st.sidebar.toggle("English", value=current == "en", key="lang_en")
    lang = "en" if english else "zh"
    set_url("lang", "" if lang == "zh" else "en")
    st.session_state["ui_lang"] = lang
    return lang


def lang() -> str:
    """The language chosen in the frame (app.py) for this run."""
    return st.session_state.get("ui_lang", "zh")


def tabs(slugs: list[str], lang: str, key: str = "tab"):
    """st.tabs whose active tab is mirrored in the URL (?tab=slug), labelled from ui_strings."""
    labels = [t(f"tab.{slug}", lang) for slug in slugs]
    wanted = url_value(key)
    # Streamlit counts `default` in the widget's identity: it must not follow the URL after the first
    # run, or every tab change rebuilds the widget and the next click is lost.
    default = st.session_state.setdefault(f"default_{key}_{lang}",
                                          labels[slugs.index(wanted)] if wanted in slugs else labels[0])
    containers = st.tabs(labels, default=default, key=f"w_{key}_{lang}", on_change="rerun")
    active = st.session_state.get(f"w_{key}_{lang}", default)
    set_url(key, slugs[labels.index(active)] if active in labels and active != labels[0] else "")
    return containers


def streamlit_strings(lang: str) -> None:
    """Streamlit's own words on its widgets, which it writes in English only, in the UI language: the file
    uploader's button and its size line (ours: the reader's real limits, not Streamlit's upload cap). CSS
    replaces the text it draws; the words come from ui_strings, never from a user."""
    def css_text(key: str, **values) -> str:
        return t(key, lang, **values).replace("\\", "").replace('"', "")

    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{font-size: 0;}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{css_text('streamlit.upload')}"; font-size: 0.875rem;}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{css_text('streamlit.upload_limits', file_mb=MAX_FILE_BYTES // 2**20, zip_mb=MAX_ARCHIVE_BYTES // 2**20)}";
  font-size: 0.8rem;}}
</style>""")


def presentation_mode(lang: str) -> bool:
    """Presentation mode hides sidebar, toolbar, buttons and pickers and enlarges type and charts, for
    16:9 screenshots; the keyboard steps through the views (presentation_keys)."""
    on = st.sidebar.toggle(t("app.presentation_mode", lang), value=url_value("present") == "1",
                           key="present", help=t("app.presentation_help", lang))
    set_url("present", "1" if on else "")
    if on:
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
        # Esc leaves presentation mode on every page; the button exists for the key and is never drawn
        st.button("exit", key="present_exit", on_click=_leave_presentation)
        st.html(PRESENTATION_KEYS_JS, unsafe_allow_javascript=True)  # our own script, no document text in it
    return on


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def _leave_presentation() -> None:
    st.session_state["present"] = False


# Keys the presenter uses, as on a slide deck: the script clicks the page's hidden step buttons.
PRESENTATION_KEYS_JS = """
<script>
const doc = document;
if (doc.__countylensKeys) doc.removeEventListener("keydown", doc.__countylensKeys);
doc.__countylensKeys = (event) => {
  const target = event.target;
  if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
  const action = {ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "prev", PageUp: "prev",
                  Escape: "exit"}[event.key];
  const button = action && doc.querySelector(".st-key-present_" + action + " button");
  if (button) { event.preventDefault(); button.click(); }
};
doc.addEventListener("keydown", doc.__countylensKeys);
</script>
"""


def presentation_steps(slugs: list[str], lang: str, key: str = "tab") -> str:
    """In presentation mode, the view shown (its slug, mirrored in the URL like a tab): the arrow keys and
    Page Up/Down step through `slugs` like slides (the key script of presentation_mode). The step buttons
    exist for the keys only and are never drawn."""
    wanted = url_value(key)
    index = slugs.index(wanted) if wanted in slugs else 0

    def step(delta: int) -> None:
        st.session_state["present_slide"] = (index + delta) % len(slugs)

    index = st.session_state.pop("present_slide", index)
    st.button("prev", key="present_prev", on_click=step, args=(-1,))
    st.button("next", key="present_next", on_click=step, args=(1,))
    set_url(key, slugs[index] if index else "")
    return slugs[index]


# ---- the corpus: built tables, shared read-only by every session ----------------------------------

@st.cache_resource(show_spinner=False)
def store():
    """The open corpus store, shared by every session. `load_corpus_or_stop` adds the seeds to a new store
    and re-analyses documents analysed by other code or data, each with a progress bar."""
    return open_store(reanalyse=False, seed=False)


@st.cache_resource(show_spinner=False)
def _reanalysis_lock() -> threading.Lock:
    return threading.Lock()


def seed_with_progress(lang: str) -> None:
    """On a new store's first start, add the seed documents with a progress bar (the first page would
    otherwise stay blank while they are analysed); one session does it, the others wait and then see them."""
    if not seeds_pending(store()):
        return
    with st.spinner(t("message.loading", lang)), _reanalysis_lock():
        if not seeds_pending(store()):  # another session did it meanwhile
            return
        bar = st.progress(0.0, text=t("message.seeding", lang, done=0, total="…"))
        add_seeds(store(), lambda done, n, name: bar.progress(
            done / max(n, 1), text=t("message.seeding", lang, done=done, total=n)))
        bar.empty()


def reanalyse_with_progress(lang: str) -> None:
    """Re-analyse stale documents from their stored bytes, showing progress; one session does it at a time."""
    if store().read_only or not stale_documents(store()):
        return
    with _reanalysis_lock():
        total = len(stale_documents(store()))  # another session may have done it meanwhile
        if not total:
            return
        bar = st.progress(0.0, text=t("message.reanalysing", lang, done=0, total=total))
        # in a worker, each document with an upload's limits: the server's thread only waits on a pipe
        reanalyse_stale(store(), lambda done, n, name: bar.progress(
            done / max(n, 1), text=t("message.reanalysing", lang, done=done, total=n)), limits=Limits())
        bar.empty()


@st.cache_resource(show_spinner=False, max_entries=2)
def _corpus_at(corpus_key: str) -> corpus_tables.Corpus:
    return corpus_tables.load_corpus(store())


def fingerprint() -> str:
    """Changes with every write to the store (about 1 ms to read): the key of every corpus cache."""
    return store_fingerprint(store())


def corpus() -> corpus_tables.Corpus:
    """The corpus as stored now: reloaded only when a document was added or removed."""
    return _corpus_at(fingerprint())


def load_corpus_or_stop(lang: str) -> corpus_tables.Corpus:
    """The corpus, or one clear message (the app keeps serving) if it cannot be loaded."""
    try:
        seed_with_progress(lang)
        reanalyse_with_progress(lang)
        with st.spinner(t("message.loading", lang)):
            return corpus()
    except Exception as error:  # noqa: BLE001 - any failure must become a message, not a crash
        st.error(t("message.load_failed", lang, error=shared.plain(str(error))))
        st.stop()


def select_units(lang: str, key: str = "units", max_units: int = 6) -> list[str]:
    """A multiselect of units mirrored in the URL; defaults to the corpus's default comparison."""
    data = corpus()
    options = data.unit_options()
    wanted, unknown, over = shared.valid_selection(url_list(key), options, max_units)
    if unknown:
        st.warning(t("message.unknown_units", lang, units=shared.plain("、".join(unknown))))
    if over:
        st.warning(t("message.too_many_units", lang, n=max_units, dropped=over))
    wanted = wanted or data.default_units(max_units)
    widget = f"w_{key}"

    def keep_at_most() -> None:
        # our own limit rather than Streamlit's max_selections, whose message is English only
        chosen_now = st.session_state[widget]
        if len(chosen_now) > max_units:
            st.session_state[widget] = chosen_now[:max_units]
            st.session_state[f"{widget}_refused"] = True

    chosen = st.multiselect(t("widget.units", lang), options, default=wanted, key=widget, on_change=keep_at_most,
                            format_func=data.unit_label, placeholder=t("widget.placeholder", lang),
                            help=t("widget.units_help", lang, n=max_units))
    if st.session_state.pop(f"{widget}_refused", False):
        st.warning(t("message.too_many_chosen", lang, n=max_units))
    chosen = chosen[:max_units]
    set_url(key, chosen)
    return chosen


# ---- downloads and evidence ---------------------------------------------------------------------

def show_chart(chart, name: str, lang: str, footer: str | None = None, container=None) -> None:
    """The chart as built (our theme, not Streamlit's), with its PNG and SVG downloads below; in
    presentation mode with every font enlarged (charts.presentation_chart). Drawn as SVG, so its text is
    text (selectable, and measurable by the browser tests)."""
    shown = charts.presentation_chart(chart) if presenting() else chart
    (container or st).vega_lite_chart(charts.browser_spec(charts.as_svg(shown)), theme=None)
    chart_downloads(chart, name, lang, footer)


def chart_downloads(chart, name: str, lang: str, footer: str | None = None) -> None:
    """PNG (2x) and SVG download buttons; bytes are rendered only when clicked.

    A download never reruns the page (on_click="ignore"): a rerun would recompute the view for nothing,
    and it re-registers the deferred file while the browser still waits for the old one, which can leave
    the button spinning."""
    left, right, _ = st.columns([1, 1, 4], gap="small")
    left.download_button(t("button.download_png", lang), lambda: export.chart_to_png(chart, footer=footer),
                         file_name=f"{name}.png", mime="image/png", key=f"png_{name}", on_click="ignore")
    right.download_button(t("button.download_svg", lang), lambda: export.chart_to_svg(chart, footer=footer),
                          file_name=f"{name}.svg", mime="image/svg+xml", key=f"svg_{name}", on_click="ignore")


def table_downloads(table, name: str, lang: str, about=None) -> None:
    """CSV and XLSX download buttons; `table` may be a zero-argument function, built only on click. The
    workbook's second sheet is `about` (export.about_table: method and sources; a function is called on
    click), by default the corpus tables' method and every document."""
    def get():
        return table() if callable(table) else table

    def get_about():
        if about is not None:
            return about() if callable(about) else about
        return export.about_table(t("method.corpus_tables", lang), shared.source_documents(
            corpus().tables, corpus().unit_options()), lang=lang)

    left, right, _ = st.columns([1, 1, 4], gap="small")
    left.download_button(t("button.download_csv", lang), lambda: export.table_to_csv(get()),
                         file_name=f"{name}.csv", mime="text/csv", key=f"csv_{name}", on_click="ignore")
    right.download_button(t("button.download_xlsx", lang),
                          lambda: export.table_to_xlsx(get(), name, get_about(), t("about.sheet", lang)),
                          file_name=f"{name}.xlsx", key=f"xlsx_{name}", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


TABLE_CHOICES = "comparison_table_choices"  # a plain key: a widget's own state is dropped while its tab is shut


def table_choices() -> dict:
    """The comparison table's columns and order as last chosen, or as the URL gives them: the view is computed
    from these before the pickers (whose options it gives) are drawn. Kept under a key of its own, so they
    survive a visit to another tab or to presentation mode, where the pickers are not drawn."""
    choices = st.session_state.setdefault(TABLE_CHOICES, {
        "indicators": url_list("ind") or None, "sort_by": url_value("sort"), "descending": url_value("asc") != "1"})
    return dict(choices)


def table_pickers(table, lang: str) -> None:
    """Choose the comparison table's indicators (any the selection has) and the column it is sorted by."""
    choices = st.session_state[TABLE_CHOICES]
    names = table.option_names

    def remember() -> None:
        choices.update(indicators=st.session_state["w_ind"], sort_by=st.session_state["w_sort"] or "",
                       descending=st.session_state["w_desc"])

    def sort_chosen() -> None:
        st.session_state["w_desc"] = figure_table.default_descending(st.session_state["w_sort"])
        remember()

    shown = list(table.column_names)
    sorts = ["", *figure_table.ROW_SORTS, *shown]
    row_sorts = {key: t(name, lang) for key, name in figure_table.ROW_SORT_LABELS.items()}
    left, middle, right = st.columns([5, 2, 1.5], vertical_alignment="bottom")  # "Descending" whole at 1366 px
    # an option the other language's table named (kept in the widget's state) still gets a label, never None
    left.multiselect(t("widget.indicators", lang), table.options, default=shown, key="w_ind", on_change=remember,
                     format_func=lambda i: names.get(i) or str(i), placeholder=t("widget.placeholder", lang))
    middle.selectbox(t("widget.sort", lang), sorts, key="w_sort", on_change=sort_chosen,
                     index=sorts.index(choices["sort_by"]) if choices["sort_by"] in sorts else 0,
                     format_func=lambda i: names.get(i) or row_sorts.get(i) or t("option.selection_order", lang))
    right.toggle(t("widget.descending", lang), value=choices["descending"], key="w_desc", on_change=remember)
    set_url("ind", shown if set(shown) != set(table.default_columns) else [])
    set_url("sort", choices["sort_by"] if choices["sort_by"] in sorts else "")
    set_url("asc", "" if choices["descending"] else "1")


def show_evidence(doc_id: str, start: int, end: int, caption: str = "", lang: str = "zh") -> None:
    """The sentence behind a number, its match highlighted (document text escaped, never markup)."""
    text = corpus().clean_text(doc_id)
    html = highlight_html(*evidence_parts(text, int(start), int(end)))
    source = escape(f"{corpus().document_label(doc_id)} · {shared.span_label(text, start, end, lang)}")
    caption = escape(caption)
    st.markdown(f"<div class='evidence'>{html}<br><small>{source}"
                f"{' · ' + caption if caption else ''}</small></div>", unsafe_allow_html=True)


def evidence_picker(table, label_column: str, lang: str, key: str) -> None:
    """Choose any row of a table with evidence (doc_id, start, end) and read its sentence."""
    if table is None or table.empty:
        return
    rows = table.reset_index(drop=True)
    labels = (rows["unit"].astype(str) + " · " + rows[label_column].astype(str)).tolist()  # once, not per option
    choice = st.selectbox(t("widget.evidence_for", lang), range(len(rows)), key=f"ev_{key}",
                          format_func=labels.__getitem__)
    row = rows.iloc[choice]
    show_evidence(row["doc_id"], row["start"], row["end"], lang=lang)


def choice(key: str, options: list[str], lang: str) -> str:
    """A segmented control over option slugs (labels 'option.<slug>'), mirrored in the URL."""
    wanted = url_value(key, options[0])
    chosen = st.segmented_control(t(f"widget.{key}", lang), options, key=f"w_{key}",
                                  default=wanted if wanted in options else options[0], required=True,
                                  format_func=lambda o: t(f"option.{o}", lang))
    chosen = chosen or options[0]
    set_url(key, "" if chosen == options[0] else chosen)
    return chosen


def toggle(key: str, lang: str) -> bool:
    """An on/off switch labelled 'widget.<key>', off by default, mirrored in the URL (?key=1 when on)."""
    on = st.toggle(t(f"widget.{key}", lang), value=url_value(key) == "1", key=f"w_{key}")
    set_url(key, "1" if on else "")
    return on


def select_keys(level: str, lang: str, max_keys: int = 30) -> list[str]:
    """Units or documents to put on the similarity heatmap (default: up to max_keys, largest first)."""
    data = corpus()
    if level == "unit":
        options = data.unit_options()
    else:
        options = data["documents"].sort_values("n_chars", ascending=False)["doc_id"].tolist()
    labels = shared.key_labels(data.tables, level)
    url_key = f"keys_{level}"
    default = data.default_keys(level, max_keys)
    wanted = [k for k in url_list(url_key) if k in options] or default
    chosen = st.multiselect(t("widget.keys", lang), options, default=wanted, format_func=labels.get,
                            key=f"w_{url_key}", placeholder=t("widget.placeholder", lang))
    set_url(url_key, chosen if chosen != default else [])
    return chosen


def number_setting(key: str, lang: str, default: int, low: int, high: int, container=None) -> int:
    """A whole-number input labelled 'widget.<key>', mirrored in the URL (?key=n when not `default`); a
    URL value that is no number falls back to the default, one out of range to the nearest bound."""
    try:
        wanted = min(max(int(url_value(key, str(default))), low), high)
    except ValueError:
        wanted = default
    value = int((container or st).number_input(t(f"widget.{key}", lang), min_value=low, max_value=high,
                                               value=wanted, step=1, key=f"w_{key}"))
    set_url(key, "" if value == default else str(value))
    return value


# ---- generic words: the reviewed list with this session's edits, saved with the corpus on request ---

GENERIC_SETTING = "generic_terms"  # the store setting that keeps the saved edits
_GENERIC_EDITS = "generic_terms_edits"  # session state: {"added": [...], "removed": [...]}


def _generic_edits() -> dict[str, list[str]]:
    """This session's edits of the generic words (a dict the editor changes in place); a new session
    starts from the edits saved with the corpus."""
    if _GENERIC_EDITS not in st.session_state:
        added, removed = terms.generic_edits_from_setting(store_setting(store(), GENERIC_SETTING))
        st.session_state[_GENERIC_EDITS] = {"added": added, "removed": removed}
    return st.session_state[_GENERIC_EDITS]


def excluded_terms() -> frozenset[str]:
    """The generic words this session leaves out of every term list: what pages pass their views."""
    edits = _generic_edits()
    return terms.effective_generic_terms(edits["added"], edits["removed"])


def generic_terms_edit(lang: str) -> tuple[list[str], list[str]]:
    """The sidebar expander in which a user adds generic words, counts reviewed ones again and saves the
    edits with the corpus (in the sidebar: the edits hold for every page). Returns this session's
    (added, removed)."""
    edits = _generic_edits()
    options = sorted(terms.generic_terms() | set(edits["added"]))
    st.session_state.setdefault("w_generic_removed", [w for w in edits["removed"] if w in options])

    def add() -> None:
        edits["added"], edits["removed"] = terms.add_generic_words(edits["added"], edits["removed"],
                                                                    st.session_state["w_generic_add"])
        st.session_state["w_generic_removed"] = edits["removed"]
        st.session_state["w_generic_add"] = ""

    def count_again() -> None:
        edits["removed"] = list(st.session_state["w_generic_removed"])

    with st.sidebar.expander(t("themes.generic_words", lang)):
        st.caption(t("themes.generic_help", lang))
        st.text_input(t("widget.generic_add", lang), key="w_generic_add", on_change=add,
                      placeholder=t("widget.generic_add_placeholder", lang))
        st.multiselect(t("widget.generic_removed", lang), options, key="w_generic_removed", on_change=count_again,
                       placeholder=t("widget.placeholder", lang))
        if edits["added"]:
            st.caption(t("themes.generic_added", lang, words=shared.plain("、".join(edits["added"]))))
        if st.button(t("button.save_generic", lang), key="save_generic"):
            try:
                save_setting(store(), GENERIC_SETTING, terms.generic_edits_setting(edits["added"], edits["removed"]))
                st.success(t("themes.generic_saved", lang))
            except StoreError as error:
                st.warning(t("themes.generic_not_saved", lang, error=shared.plain(str(error))))
    return list(edits["added"]), list(edits["removed"])


REPORT_MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "html": "text/html"}
REPORT_BUTTONS = {"pptx": ("button.build_pptx", "button.download_pptx"),
                  "html": ("button.build_html", "button.download_html")}


def report_button(units: list[str], fmt: str, lang: str) -> None:
    """Build the deck or HTML report of this comparison with a progress bar, then offer it for download."""
    from analytics.report import build_deck, build_html_report

    key = f"report_{fmt}_{lang}_{'|'.join(units)}_{fingerprint()}_{hash(excluded_terms())}"
    build_label, download_label = REPORT_BUTTONS[fmt]
    if st.button(t(build_label, lang), key=f"build_{fmt}"):
        bar = st.progress(0.0)
        builder = build_deck if fmt == "pptx" else build_html_report
        st.session_state[key] = builder(corpus(), units, lang,
                                        lambda fraction, message: bar.progress(min(fraction, 1.0), text=message),
                                        exclude=excluded_terms())
    if key in st.session_state:
        st.download_button(t(download_label, lang), st.session_state[key],
                           file_name=f"CountyLens_{'_'.join(units)}.{fmt}", mime=REPORT_MIME[fmt],
                           key=f"download_{fmt}", type="primary", on_click="ignore")


def session_ended() -> Callable[[], bool]:
    """A test that this browser session has gone (its tab closed): an upload's worker then stops at once."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return lambda: False
    session_id = ctx.session_id
    return lambda: not Runtime.instance().is_active_session(session_id)
