"""Corpus tables -> the tables, labels and formatted values the page views share.

Matrices, profiles, formatted figures, localized headers, source lists: the building blocks of the
per-page views (overview, compare, similarity, themes, figures) and of the Library page. Nothing here
touches Streamlit, so every number on screen can be reproduced in a Python shell:

>>> figures_display(figures_view(load_corpus()["figures"], ["岚县", "沁源县"]))  # doctest: +SKIP
"""
from __future__ import annotations

import functools
import re

import pandas as pd

from analytics.analysis.evidence import page_at
from analytics.export.i18n import label, t
from analytics.features.industries import unit_industries
from analytics.features.indicators import comparable, indicator, qualifier_or_default
from analytics.features.indicators import names as indicator_names
from analytics.pipeline.text import UNRECOVERABLE
from analytics.registry import ALL_TABLES


def frozen(value):
    """A view's argument as a memo key: lists, tuples and sets as tuples (sets sorted), dicts as sorted pairs."""
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value))
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    return value


def memoised(view_function):
    """A page's view function, memoised on the corpus snapshot (Corpus.memo): a rerun, or another session
    asking for the same selection, gets the same read-only result without recomputing it, and sessions
    asking at once compute it once. Its first argument is the corpus; the others make the key."""
    @functools.wraps(view_function)
    def view(corpus, *args, **kwargs):
        key = (view_function.__module__, view_function.__qualname__, frozen(args), frozen(kwargs))
        return corpus.memo(key, lambda: view_function(corpus, *args, **kwargs))
    return view


def span_label(text: str, start: int, end: int, lang: str = "zh") -> str:
    """Where a span sits, as a reader says it: its page in a paged document, then its characters."""
    page = page_at(text, start)
    return t("evidence.page_span" if page else "evidence.span", lang, page=page, start=int(start), end=int(end))


def format_value(value: float, measure: str) -> str:
    """A figure as an analyst writes it: 18.7万人, 76%, 163.92亿元."""
    if pd.isna(value):
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return f"{text}{measure or ''}"


def industry_matrix(industries: pd.DataFrame, units: list[str], lang: str = "zh") -> pd.DataFrame:
    """Units × industries: 'has' / 'targets' / '' — rows are industries grouped by GB/T 4754 section.

    The status of a unit × industry is the one rule of features.industries.unit_industries (any
    document stating it as existing wins), as in the chart and the deck."""
    chosen = unit_industries(industries, units)
    if chosen.empty:
        return pd.DataFrame(columns=["gbt_section", "industry", *units])
    name = "industry" if lang == "zh" else "industry_en"
    wide = chosen.pivot(index=["gbt_section", name], columns="unit", values="status")
    wide = wide.reindex(columns=units).astype(object).fillna("")
    wide = wide.apply(lambda col: col.map(lambda s: label("status", s, lang) if s else ""))
    return localize(wide.reset_index().rename(columns={name: "industry"}), lang)


def theme_profile(themes: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """The theme shares of the selected units (rows of the themes table, selection order kept)."""
    chosen = themes[themes["unit"].isin(units)].copy()
    chosen["unit"] = pd.Categorical(chosen["unit"], categories=units, ordered=True)
    return chosen.sort_values(["unit", "theme"]).assign(unit=lambda t: t["unit"].astype(str))


def assets_by_unit(assets: pd.DataFrame, units: list[str], domain: str) -> pd.DataFrame:
    """One domain's qualitative assets (ecology / tourism / investment) for the selected units."""
    return assets[assets["unit"].isin(units) & (assets["domain"] == domain)].reset_index(drop=True)


def figures_view(figures: pd.DataFrame, units: list[str] | None = None, categories: list[str] | None = None,
                 target: str = "all", search: str = "") -> pd.DataFrame:
    """Figures filtered by unit, category, target/actual ('all' | 'target' | 'actual') and text search."""
    view = figures
    if units:
        view = view[view["unit"].isin(units)]
    if categories:
        view = view[view["category"].isin(categories)]
    if target == "target":
        view = view[view["is_target"]]
    elif target == "actual":
        view = view[~view["is_target"]]
    if search.strip():
        needle = search.strip()
        view = view[view["indicator"].str.contains(needle, regex=False)
                    | view["evidence"].str.contains(needle, regex=False)]
    return view.reset_index(drop=True)

# ---- tables as the pages show them ----------------------------------------------------------------


def localize(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Column headers in the UI language (ui_strings keys 'col.<name>'; unknown names kept)."""
    return table.rename(columns={c: label("col", c, lang) for c in table.columns})


def corpus_counts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Headline counts of the corpus: documents, units, passages, figures, industries."""
    units = tables["units"]
    return {"documents": len(tables["documents"]),
            "units": int((units["kind"] != "unknown").sum()),
            "passages": len(tables["passages"]),
            "figures": len(tables["figures"]),
            "industries": int(tables["industries"][["unit", "industry"]].drop_duplicates().shape[0])}


def documents_view(documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per document: title, place, outlet, date, script, size and cleaning fixes."""
    view = documents[["doc_id", "title", "place", "outlet", "date", "script", "format", "n_chars",
                      "pinyin_removed", "chars_converted", "garbled_repaired", "garbled_flagged",
                      "boilerplate_lines"]].copy()
    view["script"] = view["script"].map(lambda s: label("script", s, lang))
    return localize(view, lang)


def units_view(units: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    view = units[["unit", "kind", "province", "prefecture", "host", "aliases", "n_passages", "n_chars"]].copy()
    view["kind"] = view["kind"].map(lambda k: label("kind", k, lang))
    return localize(view, lang)


def cleaning_view(documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    view = documents[["title", "pinyin_removed", "chars_converted", "garbled_repaired", "garbled_flagged",
                      "boilerplate_lines", "punct_normalized", "compat_mapped"]]
    return localize(view, lang)


def flagged_spans(documents: pd.DataFrame, width: int = 15) -> pd.DataFrame:
    """Where cleaning could not recover text (runs of U+FFFD), with context: doc_id, start, end, context."""
    rows = []
    run = re.compile(f"{UNRECOVERABLE}+")
    for doc in documents.itertuples():
        for m in run.finditer(doc.clean_text):
            context = doc.clean_text[max(0, m.start() - width):m.end() + width].replace("\n", " ")
            rows.append((doc.doc_id, doc.title, m.start(), m.end(), m.end() - m.start(), context))
    return pd.DataFrame(rows, columns=["doc_id", "title", "start", "end", "n_chars", "context"])


def key_figure_mark(is_target: bool, is_comparable: bool) -> str:
    """'*' after a target, '†' after a figure not comparable with the rest of its column."""
    return ("*" if is_target else "") + ("" if is_comparable else "†")


def source_documents(tables: dict[str, pd.DataFrame], units: list[str]) -> pd.DataFrame:
    """The documents that hold passages for the units, in document order: doc_id, title, outlet, date."""
    passages = tables["passages"]
    cited = set(passages.loc[passages["unit"].isin(units), "doc_id"])
    docs = tables["documents"]
    return docs.loc[docs["doc_id"].isin(cited), ["doc_id", "title", "outlet", "date"]].reset_index(drop=True)


def sources_for(tables: dict[str, pd.DataFrame], units: list[str]) -> list[str]:
    """Titles of the documents that have passages for the units, in document order."""
    return source_documents(tables, units)["title"].tolist()


def unit_caption(units: pd.DataFrame, unit: str, lang: str = "zh") -> str:
    """'山西省 · 长治市 · 县' — where a unit is and what kind it is."""
    row = units[units["unit"] == unit]
    if row.empty:
        return ""
    row = row.iloc[0]
    parts = [row["province"], row["prefecture"] if row["prefecture"] != row["unit"] else "",
             label("kind", row["kind"], lang)]
    return " · ".join(str(p) for p in parts if isinstance(p, str) and p)


def figures_display(figures: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Figures as shown in tables: formatted value next to the normalized one, a figure OCR was unsure of
    marked, evidence last."""
    view = figures.assign(shown=[format_value(v, u) for v, u in zip(figures["value"], figures["measure"])],
                          category=figures["category"].map(lambda c: label("category", c, lang)),
                          value_normalized=[format_value(v, "") for v in figures["value_normalized"]],
                          year=[str(int(y)) if pd.notna(y) else "" for y in figures["year"]],
                          low_confidence=[t("meta.low_confidence", lang) if f else "" for f in
                                          figures.get("low_confidence", pd.Series(False, index=figures.index))])
    columns = ["unit", "indicator", "shown", "value_normalized", "measure_normalized", "category", "year",
               "is_target", "low_confidence", "evidence", "doc_id", "start", "end"]
    return localize(view[columns], lang)


DOMAIN_EVIDENCE_COLUMNS = ["unit", "label", "doc_id", "start", "end"]


def domain_evidence(figures: pd.DataFrame, assets: pd.DataFrame, units: list[str], domain: str) -> pd.DataFrame:
    """A domain's figures and assets for the units as one list: unit, label, doc_id, start, end."""
    figs = figures[figures["unit"].isin(units) & (figures["category"] == domain)]
    fig_rows = pd.DataFrame({"unit": figs["unit"],
                             "label": [f"{i} {format_value(v, u)}" for i, v, u in
                                       zip(figs["indicator"], figs["value"], figs["measure"])],
                             "doc_id": figs["doc_id"], "start": figs["start"], "end": figs["end"]})
    chosen = assets_by_unit(assets, units, domain)
    asset_rows = chosen.rename(columns={"asset": "label"})[DOMAIN_EVIDENCE_COLUMNS]
    both = pd.concat([fig_rows, asset_rows], ignore_index=True)
    both["unit"] = pd.Categorical(both["unit"], categories=units, ordered=True)
    return both.sort_values(["unit", "start"]).assign(unit=lambda t: t["unit"].astype(str)).reset_index(drop=True)


def domain_rows(figures: pd.DataFrame, assets: pd.DataFrame, units: list[str], domain: str,
                lang: str = "zh") -> pd.DataFrame:
    """One row per unit: its figures and its assets in the domain, as short '；'-joined lists."""
    evidence = domain_evidence(figures, assets, units, domain)
    rows = []
    for unit in units:
        mine = evidence[evidence["unit"] == unit]["label"]
        rows.append({"unit": unit, "items": "；".join(dict.fromkeys(mine)), "n": len(mine)})
    return localize(pd.DataFrame(rows, columns=["unit", "items", "n"]), lang)


def key_labels(tables: dict[str, pd.DataFrame], level: str) -> dict[str, str]:
    """Display names of similarity keys: units as they are, documents by a short title."""
    if level == "unit":
        return {u: u for u in tables["units"]["unit"]}
    docs = tables["documents"]
    return {d: (title[:18] + "…" if len(title) > 18 else title) or d for d, title in zip(docs["doc_id"], docs["title"])}


def label_pairs(pairs: pd.DataFrame, level: str, labels: dict[str, str]) -> pd.DataFrame:
    """The level's similarity pairs with keys replaced by display names."""
    chosen = pairs[pairs["level"] == level]
    return chosen.assign(a=chosen["a"].map(labels).fillna(chosen["a"]), b=chosen["b"].map(labels).fillna(chosen["b"]))


def cluster_table(order: list[str], clusters: list[int], labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Clustering result as a table: position, key, cluster."""
    table = pd.DataFrame({"position": range(1, len(order) + 1), "key": [labels.get(k, k) for k in order],
                          "cluster": clusters})
    return localize(table, lang)


def indicator_name(indicator_id: str, lang: str = "zh") -> str:
    zh, en = indicator_names(indicator_id)
    return zh if lang == "zh" else en


def comparable_figures(figures: pd.DataFrame, indicator_id: str) -> tuple[pd.DataFrame, int]:
    """The units' own figures of one canonical indicator that measure the same thing as the most common of
    them (qualifier and period; status is kept, the chart shows targets beside actuals), and how many
    figures of that indicator were left out as not comparable."""
    rows = figures[(figures["indicator_id"] == indicator_id) & (figures["entity"].fillna("") == "")]
    if rows.empty:
        return rows, 0
    entry = indicator(indicator_id)
    batch = entry is not None and entry.within_document
    records = [{**r, "qualifier": qualifier_or_default(indicator_id, r["qualifier"] or ""),
                "period": r["period"] or "", "status": "actual"}  # the chart shows targets beside actuals
               for r in rows.fillna({"qualifier": "", "period": ""}).to_dict("records")]
    keys = [(r["qualifier"], r["period"], r["measure_normalized"], r["doc_id"] if batch else "") for r in records]
    default = qualifier_or_default(indicator_id, "")
    # most common first; on a tie the catalogue's default qualifier, no period, then the first written
    reference_key = max(dict.fromkeys(keys), key=lambda k: (keys.count(k), k[0] == default, k[1] == "", -keys.index(k)))
    reference = records[keys.index(reference_key)]
    keep = [comparable(reference, r)[0] for r in records]
    return rows[keep], len(rows) - sum(keep)


# Every corpus table but the token strings, figures first (what analysts download most).
TABLE_NAMES = ["figures", *[name for name in ALL_TABLES if name not in ("figures", "passage_tokens")]]


def table_for_download(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A built table as offered for download (documents without their full texts)."""
    table = tables[name]
    if name == "documents":
        table = table.drop(columns=["clean_text", "boilerplate"])
    return table

# ---- the library page ---------------------------------------------------------------------------


_MARKDOWN_SPECIALS = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]()<>#+-.!|~$:&=^"})


def valid_selection(wanted: list[str], options: list[str], limit: int) -> tuple[list[str], list[str], int]:
    """A selection from a URL made safe for a widget: duplicates dropped, unknown values dropped,
    at most `limit` kept. Returns (chosen, unknown values, how many were over the limit)."""
    known = set(options)
    unique = list(dict.fromkeys(wanted))
    unknown = [w for w in unique if w not in known]
    valid = [w for w in unique if w in known]
    return valid[:limit], unknown, max(len(valid) - limit, 0)


# What the markdown renderer turns into a link by itself (GFM autolinks): a scheme, www., an e-mail's @.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=:)|(?<=www)(?=\.)|(?<=\w)(?=@\w)")


def plain(text: str) -> str:
    """Text a user or a document controls (titles, file names, terms, unit names, reasons) escaped so that
    Streamlit's markdown shows it verbatim: no image, link, HTML, KaTeX formula ($…$) or colour directive
    (:red[…]) results, no line break starts a heading or a list, and no bare URL or e-mail address becomes
    a live link (a zero-width space before its ':' , '.' or '@' keeps it text)."""
    flat = " ".join(str(text).split("\n"))
    return _AUTOLINK.sub("\u200b", flat).translate(_MARKDOWN_SPECIALS)


def add_messages(result, lang: str = "zh") -> list[tuple[str, str]]:
    """A library.AddResult as (kind, message) pairs: one summary line (added, near-duplicates, duplicates,
    refused), then one line per file that was not simply added, with its reason."""
    counts = {"added": len(result.added), "near": len(result.near_duplicates), "duplicates": len(result.duplicates),
              "refused": len(result.rejected)}
    kind = "error" if counts["refused"] and not counts["added"] else "warning" if counts["refused"] else "success"
    messages = [(kind, t("library.summary", lang, **counts))]
    messages += [("warning", str(d)) for d in result.near_duplicates]
    messages += [("warning", str(d)) for d in result.duplicates]
    messages += [("error", t("library.rejected", lang, message=str(r))) for r in result.rejected]
    return messages


def library_view(documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The stored documents as the library lists them (in the order added): what each says about itself
    (title, date, place, outlet — a user's corrections marked ✎), its pages, and OCR's mean confidence for a
    scan (near-duplicates marked)."""
    view = documents.copy()
    corrected = [corrected_fields(c) for c in view.get("catalog", pd.Series([""] * len(view)))]
    for field in ("title", "date", "place", "outlet"):
        if field in view:
            view[field] = [f"{v} ✎" if v and field in c else v for v, c in zip(view[field].fillna(""), corrected)]
    if "ocr_confidence" in view:
        view["ocr_confidence"] = [f"OCR {c:.0%}" if pd.notna(c) else "" for c in view["ocr_confidence"]]
    if "pages" in view:
        view["pages"] = [str(int(p)) if p else "" for p in view["pages"].fillna(0)]
    columns = [c for c in ["file_name", "title", "date", "place", "outlet", "format", "pages", "ocr_confidence",
                           "n_chars", "source", "added_at", "near_duplicate_of", "doc_id"] if c in view]
    return localize(view[columns], lang)


def corrected_fields(catalog) -> set[str]:
    """The fields of a stored document's catalog JSON that a user corrected in the Library."""
    from analytics.pipeline.catalog import document_meta

    return set(filter(None, str(document_meta(catalog).get("corrected", "")).split(",")))


def correction_defaults(documents: pd.DataFrame, doc_id: str) -> dict[str, str]:
    """What the correction form starts from: the document's title, date and outlet as listed, and its place
    as a place_options key when one was given ('' while it is read off the text)."""
    row = documents[documents["doc_id"] == doc_id]
    if row.empty:
        return {}
    now = {f: str(row[f].iat[0] or "") for f in ("title", "date", "place", "outlet") if f in row}
    given = "place" in corrected_fields(row["catalog"].iat[0]) if "catalog" in row else False
    now["place"] = place_key(now.get("place", ""), place_options()) if given else ""
    return now


def changed_fields(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """The fields a correction form changed (so saving a form changes only what the user changed)."""
    return {k: v for k, v in after.items() if v.strip() != before.get(k, "").strip()}


@functools.lru_cache(maxsize=1)
def place_options() -> dict[str, str]:
    """Every gazetteer place a document can be said to be from: its full name (山西省吕梁市岚县, what a catalog
    writes) -> the label a picker shows (岚县 · 吕梁市 · 山西省)."""
    from analytics.pipeline.gazetteer import load_gazetteer

    options: dict[str, str] = {}
    for row in load_gazetteer().itertuples(index=False):
        path = [row.province, row.prefecture if row.prefecture != row.province else "", row.name]
        parts = list(dict.fromkeys(p for p in path if p))
        options.setdefault("".join(parts), " · ".join(reversed(parts)))
    return options


def place_key(place: str, options: dict[str, str]) -> str:
    """The place_options key of a listed place: its full name as a catalog writes it, or the first place whose
    own name it is ('' when none: the place is then read off the text)."""
    if not place or place in options:
        return place if place in options else ""
    return next((key for key, shown in options.items() if shown.split(" · ")[0] == place), "")
