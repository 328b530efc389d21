"""Corpus + a selection of units -> the comparison: what the Compare page, the deck and the HTML report show.

One function per view of the comparison (key figures, industries, theme profiles, similarity,
distinctive terms), each returning a `View`: title, method footer with its sources, the chart, the
table as display text, the tidy rows behind both (`data`, what a download holds) and the sentences
behind its numbers. `compare_view` assembles them all for the deck and the report; the Compare page
calls the one view of its open tab. All of them read the corpus's counted tables (near-duplicates
left out), so a reprint changes nothing shown.

>>> view = industries_view(load_corpus(), ["沁源县", "岚县"], "zh")  # doctest: +SKIP
>>> view.chart, view.table, view.data                                 # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import altair as alt
import pandas as pd

from analytics.analysis import similarity
from analytics.analysis.evidence import evidence_parts, kwic, page_at
from analytics.analysis.terms import distinctive_terms_of, generic_terms
from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.files import about_table, export_footer
from analytics.export.i18n import check_lang, label, t
from analytics.features.assets import DOMAINS
from analytics.features.industries import unit_industries
from analytics.features.key_figures import selection_indicators
from analytics.features.themes import theme_hits, theme_label
from analytics.views import figure_table, shared, summary

Progress = Callable[[float, str], None] | None

EVIDENCE_TERMS_PER_UNIT = 3  # distinctive terms per unit that get an example sentence
SHARED_TERMS = 6
PRESENTED_TERMS = 8  # distinctive terms per unit on a projected slide (one row of units; two rows: 5)
PRESENTED_TERMS_TWO_ROWS = 5
PRESENTED_DOMAIN_ITEMS = 3  # figures and assets per unit and domain on a projected slide
THEME_KEYWORDS = 3


@dataclass
class Evidence:
    """One figure (or term) and the sentence it comes from: clean_text[start:end] is `match`."""

    label: str
    before: str
    match: str
    after: str
    title: str
    doc_id: str
    start: int
    end: int
    row: str = ""  # the table row (first-column value) it belongs to, so a continued table keeps its notes
    indicator_id: str = ""  # the canonical indicator of a figure's evidence, so a chart's slide keeps its notes
    page: int = 0  # the page of a paged document (PDF, scan) it sits on; 0 for unpaged text

    def location(self, lang: str) -> str:
        """Where the sentence is: title, document id, page (when paged) and character span."""
        key = "report.evidence_location_page" if self.page else "report.evidence_location"
        return t(key, lang, title=self.title, doc_id=self.doc_id, page=self.page, start=self.start, end=self.end)

    @property
    def sentence(self) -> str:
        return f"{self.before}{self.match}{self.after}"


@dataclass
class View:
    """One view of the comparison: a slide in the deck, a section in the HTML report."""

    slug: str
    title: str
    subtitle: str
    footer: str
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None        # cells as display text
    data: pd.DataFrame | None = None         # the tidy rows behind chart and table: what a download holds
    table_note: str = ""
    method: str = ""                         # what its footer and its workbook's second sheet name as method
    gaps: list[str] = field(default_factory=list)  # the units its chart cannot show, each with the reason
    # The sentences behind its numbers and further plain lines, made when first read: the deck and the
    # report read them, the page does not pay for them.
    evidence_of: Callable[[], list[Evidence]] = list
    notes_of: Callable[[], list[str]] = list
    parts: dict = field(default_factory=dict)  # what only the page shows beside them (cards, pickers' rows)

    @property
    def gap_note(self) -> str:
        """The units its chart leaves out, with the reasons, as one line (page caption, slide, report)."""
        return "；".join(self.gaps)

    @cached_property
    def evidence(self) -> list[Evidence]:
        return self.evidence_of()

    @cached_property
    def notes(self) -> list[str]:
        return self.notes_of()


def _report(progress: Progress, fraction: float, message: str) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, fraction)), message)


def _check_units(corpus: Corpus, units: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(u.strip() for u in units if u and u.strip()))
    known = set(corpus["units"]["unit"])
    unknown = [u for u in chosen if u not in known]
    if unknown:
        raise ValueError(f"unknown unit(s) {unknown}; known: {'、'.join(corpus.unit_options())}")
    if len(chosen) < 2:
        raise ValueError("a comparison needs at least two units")
    return chosen


def _text(value: object) -> str:
    # pandas 3 keeps missing text as NaN floats; a report cell shows them as empty.
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def split_title(chart: alt.TopLevelMixin) -> tuple[alt.TopLevelMixin, str, str]:
    """The chart without its title, and the title and subtitle text (slides and sections show them as text)."""
    head = chart.title
    if head is alt.Undefined:
        return chart, "", ""
    if isinstance(head, str):
        text, subtitle = head, ""
    else:
        text = head.text if head.text is not alt.Undefined else ""
        subtitle = head.subtitle if head.subtitle is not alt.Undefined else ""
    bare = chart.copy(deep=True)
    bare.title = alt.Undefined
    join = lambda v: " ".join(v) if isinstance(v, list) else str(v)  # noqa: E731 - titles may be line lists
    return bare, join(text), join(subtitle)


def _evidence(corpus: Corpus, label_text: str, doc_id: str, start: int, end: int) -> Evidence:
    text = corpus.clean_text(doc_id)
    before, match, after = evidence_parts(text, int(start), int(end))
    return Evidence(label_text, before, match, after, corpus.document_label(doc_id), doc_id, int(start), int(end),
                    page=page_at(text, int(start)))


def _cited_footer(corpus: Corpus, units: Sequence[str], method: str, exported: date, lang: str) -> str:
    return export_footer(shared.sources_for(corpus.tables, list(units)), method, exported, lang)


def _citation(corpus: Corpus, units: Sequence[str], method_key: str, exported: date, lang: str) -> dict:
    """A view's footer and method from one method key (`View(..., **_citation(...))`)."""
    method = t(method_key, lang)
    return {"footer": _cited_footer(corpus, units, method, exported, lang), "method": method}


def _figure_evidence(corpus: Corpus, figures: list[dict], label_of: Callable[[dict], str]) -> list[Evidence]:
    """Each figure's sentence, labelled, filed under its unit's row and its canonical indicator."""
    evidence = []
    for row in figures:
        item = _evidence(corpus, label_of(row), row["doc_id"], row["start"], row["end"])
        item.row, item.indicator_id = row["unit"], row["indicator_id"]
        evidence.append(item)
    return evidence


def _gaps(units: Sequence[str], shown: set[str], reason_key: str, lang: str) -> list[str]:
    """'长治经开区：未识别出产业' for every unit a chart leaves out, so no unit is missing without a word."""
    return [t(reason_key, lang, unit=u) for u in units if u not in shown]


def key_figures_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None,
                     indicators: list[str] | None = None, sort_by: str = "", descending: bool = True) -> View:
    """The comparison table (units × canonical indicators, analytics.views.figure_table): its text cells for
    slides and reports, its typed rows for downloads, each figure's sentence as evidence."""
    table = figure_table.comparison_table(corpus, units, lang, indicators, sort_by, descending)
    exported = exported or date.today()
    name = "indicator_zh" if lang == "zh" else "indicator_en"

    def make_evidence():
        cards = [card for unit in table.units for ident in table.column_names if (card := table.cell(unit, ident))]
        return _figure_evidence(corpus, cards, lambda card: f"{card['unit']} · {card[name]} "
                                f"{figure_table.cell_text(card, lang)}（{card['indicator']}）")

    return View("key_figures", t("report.key_figures.title", lang), t("report.key_figures.subtitle", lang),
                **_citation(corpus, units, "method.figures", exported, lang),
                table=table.display.map(_text), data=table.export, evidence_of=make_evidence,
                parts={"table": table,
                       "html": figure_table.table_html(table, corpus.clean_text, {
                           u: shared.unit_caption(corpus["units"], u, lang) for u in units})},
                table_note=figure_table.table_note(table))


def targets_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """The units' targets and plans (status target or plan), one row each with its year, and its sentence."""
    exported = exported or date.today()
    figures = shared.figures_view(corpus["figures"], units, target="target")
    order = {u: i for i, u in enumerate(units)}
    figures = (figures.assign(_u=figures["unit"].map(order), _y=figures["year"].fillna(9999))
               .sort_values(["_u", "_y", "start"], kind="stable").reset_index(drop=True))
    name = "indicator_zh" if lang == "zh" else "indicator_en"
    data = figure_table.typed_figures(figures, lang, corpus.document_label)
    table = pd.DataFrame({
        label("col", "unit", lang): figures["unit"],
        label("col", "indicator", lang): [f"{canonical}（{own}）" if own and own != canonical else canonical
                                          for canonical, own in zip(data[label("col", name, lang)],
                                                                    figures["indicator"])],
        label("col", "shown", lang): [shared.format_value(v, m) for v, m in zip(figures["value"], figures["measure"])],
        label("col", "year", lang): [str(int(y)) if pd.notna(y) else "" for y in figures["year"]],
        label("col", "status", lang): data[label("col", "status", lang)]})

    def make_evidence():
        return _figure_evidence(corpus, figures.to_dict("records"), lambda row: f"{row['unit']} · {row['indicator']} "
                                f"{shared.format_value(row['value'], row['measure'])}")

    return View("targets", t("compare.targets", lang), t("report.targets.subtitle", lang),
                **_citation(corpus, units, "method.figures", exported, lang),
                table=table, data=data, evidence_of=make_evidence)


def summary_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """The key differences between the units in words (analytics.views.summary), from the comparison table
    over every indicator the selection has, the industry rows and the theme shares."""
    exported = exported or date.today()
    wide = figure_table.comparison_table(corpus, units, lang,
                                         indicators=selection_indicators(corpus["figures"], units))
    lines = summary.key_differences(wide, unit_industries(corpus["industries"], units),
                                    shared.theme_profile(corpus["themes"], units)) or [t("summary.none", lang)]
    return View("summary", t("summary.title", lang), t("summary.subtitle", lang),
                **_citation(corpus, units, "method.compare", exported, lang),
                parts={"lines": lines}, notes_of=lambda: lines)


def industry_section_table(industries: pd.DataFrame, units: list[str], lang: str) -> pd.DataFrame:
    """One row per GB/T 4754 section, one column per unit: '已有：a、b' and '目标：c' lines per cell.

    The full matrix runs to dozens of rows; grouped by section it fits a slide and stays editable.
    An industry a unit both has and targets is listed once, as existing (unit_industries' rule).
    """
    merged = unit_industries(industries, units)
    section_col = label("col", "gbt_section", lang)
    if merged.empty:
        return pd.DataFrame(columns=[section_col, *units])
    name = "industry" if lang == "zh" else "industry_en"
    sep = t("footer.list_separator", lang)
    items: dict[tuple, list[str]] = {}
    for section, unit, status, industry in zip(merged["gbt_section"], merged["unit"], merged["status"],
                                               merged[name].astype(str)):
        items.setdefault((section, unit, status), []).append(industry)
    rows = []
    for section in sorted(set(merged["gbt_section"])):
        row = {section_col: charts.section_label(section, lang)}
        for unit in units:
            lines = [t("report.status_items", lang, status=label("status", status, lang),
                       items=sep.join(sorted(items[(section, unit, status)])))
                     for status in ("has", "targets") if (section, unit, status) in items]
            row[unit] = "\n".join(lines)
        rows.append(row)
    return pd.DataFrame(rows, columns=[section_col, *units])


def industries_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Industries × units by the one status rule (features.industries.unit_industries): chart, section
    table, matrix download and evidence all read the same rows."""
    exported = exported or date.today()
    merged = unit_industries(corpus["industries"], units)
    chart = charts.industries_matrix_chart(merged, lang, order=units)
    name = "industry" if lang == "zh" else "industry_en"
    # One sentence per unit × industry: the one that decided its status.
    first = (merged.assign(_u=merged["unit"].map({u: i for i, u in enumerate(units)}))
             .sort_values(["gbt_section", "_u", name], kind="stable"))

    def make_evidence():
        evidence = []
        for row in first.itertuples():
            item = _evidence(corpus, f"{row.unit} · {getattr(row, name)}（{label('status', row.status, lang)}）",
                             row.doc_id, row.start, row.end)
            item.row = charts.section_label(row.gbt_section, lang)
            evidence.append(item)
        return evidence

    return View("industries", t("report.industries.title", lang), t("report.industries.subtitle", lang),
                **_citation(corpus, units, "method.industries", exported, lang), chart=chart,
                table=industry_section_table(merged, units, lang), data=merged, evidence_of=make_evidence,
                parts={"matrix": shared.industry_matrix(merged, units, lang),
                       # on a projector: sections, not dozens of industry rows, so it fits one 16:9 screen
                       "present_chart": charts.industry_sections_chart(merged, lang, order=units)},
                gaps=_gaps(units, set(merged["unit"]), "gap.industries", lang))


def themes_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Theme shares as a chart; the notes list each unit's shares and the keywords counted."""
    exported = exported or date.today()
    profile = shared.theme_profile(corpus["themes"], units)
    chart = charts.theme_profile_chart(profile, lang, order=units)
    _, title_text, subtitle = split_title(chart)

    def make_notes():
        passages = corpus["passages"]
        hits = theme_hits(passages[passages["unit"].isin(units)])
        sep = t("footer.list_separator", lang)
        notes = []
        for unit in units:
            mine = profile[(profile["unit"] == unit) & (profile["hits"] > 0)].sort_values("share", ascending=False)
            items = []
            for row in mine.itertuples():
                words = hits[(hits["unit"] == unit) & (hits["theme"] == row.theme)].nlargest(THEME_KEYWORDS, "hits")
                items.append(t("report.theme_item", lang, theme=theme_label(row.theme, lang), share=f"{row.share:.1%}",
                               hits=int(row.hits), keywords=sep.join(f"{k} {n}" for k, n in zip(words["keyword"], words["hits"]))))
            notes.append(t("report.theme_unit", lang, unit=unit, themes=t("footer.separator", lang).join(items)))
        return notes

    return View("themes", title_text, subtitle, **_citation(corpus, units, "method.themes", exported, lang),
                chart=chart, data=profile, notes_of=make_notes,
                gaps=_gaps(units, set(profile.loc[profile["hits"] > 0, "unit"]), "gap.themes", lang))


def similarity_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None,
                    exclude: frozenset[str] | None = None) -> View:
    """Cosine heatmap in clustering order; the notes give each pair's cosine and the terms behind it
    (place names and the generic words `exclude` left out, default the reviewed list)."""
    exported = exported or date.today()
    pairs = corpus["similarity"]
    pairs = pairs[pairs["level"] == "unit"]
    order, _ = similarity.cluster_order(pairs, units)
    chart = charts.similarity_heatmap(pairs, order, lang, level="unit")
    _, title_text, subtitle = split_title(chart)

    def make_notes():
        model = corpus.tfidf_model("unit")  # memoised on the snapshot, shared with the Similarity page
        square = similarity.similarity_matrix(pairs, order)
        sep = t("footer.list_separator", lang)
        notes = []
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                in_common = (similarity.shared_terms(model, a, b, top_n=SHARED_TERMS, exclude=exclude)
                             if a in model.keys and b in model.keys else pd.DataFrame(columns=["term"]))
                notes.append(t("report.similarity_pair", lang, a=a, b=b, cosine=f"{square.loc[a, b]:.3f}",
                               terms=sep.join(in_common["term"].astype(str))))
        return notes

    return View("similarity", title_text, subtitle,
                **_citation(corpus, units, "method.similarity", exported, lang), chart=chart,
                data=pairs[pairs["a"].isin(order) & pairs["b"].isin(order)].reset_index(drop=True),
                notes_of=make_notes, gaps=_gaps(units, set(pairs["a"]) | set(pairs["b"]), "gap.similarity", lang))


def terms_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None,
               exclude: frozenset[str] | None = None) -> View:
    """Distinctive terms per unit as small multiples; each unit's top terms with a sentence using them.
    Place names and the generic words `exclude` (default: the reviewed list) are left out."""
    exported = exported or date.today()
    terms = distinctive_terms_of(corpus.tables, units, exclude=exclude)  # as the Compare page shows them
    chart = charts.distinctive_terms_chart(terms, lang, order=units, columns=min(3, len(units)))
    _, title_text, subtitle = split_title(chart)

    def make_evidence():
        documents, passages = corpus["documents"], corpus["passages"]
        evidence = []
        for unit in units:
            top = terms[terms["unit"] == unit].nlargest(EVIDENCE_TERMS_PER_UNIT, "score")
            for row in top.itertuples():
                hit = kwic(documents, passages, str(row.term), units=[unit], limit=1)
                if hit.empty:
                    continue  # a term the segmenter joined across a line break has no literal occurrence
                first = hit.iloc[0]
                evidence.append(_evidence(corpus, t("report.term_label", lang, unit=unit, term=row.term, count=int(row.count)),
                                          first["doc_id"], first["start"], first["end"]))
        return evidence

    return View("terms", title_text, subtitle,
                **_citation(corpus, units, "method.distinctive_terms", exported, lang),
                chart=chart, data=terms, evidence_of=make_evidence,
                gaps=_gaps(units, set(terms["unit"]), "gap.terms", lang),
                # on a projector: fewer terms, at most three units a row, so the chart fits one 16:9 screen
                parts={"present_chart": charts.distinctive_terms_chart(
                    terms, lang, order=units, columns=min(3, len(units)),
                    top_n=PRESENTED_TERMS if len(units) <= 3 else PRESENTED_TERMS_TWO_ROWS)})


def domains_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Ecology, tourism and investment: each unit's figures and assets of the domain, with evidence rows."""
    exported = exported or date.today()
    figures, assets = corpus["figures"], corpus["assets"]
    parts = {domain: (shared.domain_rows(figures, assets, units, domain, lang),
                      shared.domain_evidence(figures, assets, units, domain))
             for domain in DOMAINS}
    table = pd.concat([rows.assign(**{label("col", "category", lang): t(f"domain.{domain}", lang)})
                       for domain, (rows, _) in parts.items()], ignore_index=True)
    # on a projector: units × the three domains, each cell its first items, so the view fits one screen
    digest = pd.DataFrame({label("col", "unit", lang): units, **{
        t(f"domain.{domain}", lang): [_digest(evidence.loc[evidence["unit"] == u, "label"], lang) for u in units]
        for domain, (_, evidence) in parts.items()}})
    return View("domains", t("tab.domains", lang), "", **_citation(corpus, units, "method.figures", exported, lang),
                table=table, data=pd.concat([ev.assign(domain=d) for d, (_, ev) in parts.items()], ignore_index=True),
                parts={"domains": parts, "digest_html": figure_table.text_table_html(digest)})


def _digest(labels: pd.Series, lang: str) -> str:
    items = list(dict.fromkeys(labels))
    head = "；".join(items[:PRESENTED_DOMAIN_ITEMS])
    return head + (t("summary.more", lang, n=len(items) - PRESENTED_DOMAIN_ITEMS)
                   if len(items) > PRESENTED_DOMAIN_ITEMS else "")


SECTIONS = {"summary": summary_view, "key_figures": key_figures_view, "industries": industries_view,
            "domains": domains_view, "targets": targets_view, "themes": themes_view, "similarity": similarity_view,
            "terms": terms_view}
DECK_SECTIONS = ("summary", "key_figures", "industries", "domains", "targets", "themes", "similarity", "terms")
VIEW_BUILDERS = tuple(SECTIONS[s] for s in DECK_SECTIONS)
TERM_SECTIONS = ("similarity", "terms")  # the views whose term lists leave out the generic words


class Comparison:
    """The comparison of some units: every view of it, each computed when first asked for.

    The Compare page asks for the view of its open tab (`view('industries')`), the deck and the HTML
    report for all of them (`views`); both get the same View objects from the same functions.
    """

    def __init__(self, corpus: Corpus, units: Sequence[str], lang: str = "zh", exported: date | None = None,
                 progress: Progress = None, exclude: frozenset[str] | None = None):
        check_lang(lang)
        self.corpus, self.lang = corpus, lang
        self.exclude = generic_terms() if exclude is None else frozenset(exclude)  # the generic words left out
        self.units = _check_units(corpus, units)
        self.exported = exported or date.today()
        self.progress = progress
        self.title = t("report.title", lang)
        self.names = " · ".join(self.units)  # what is compared, as every heading says it
        self._views: dict[tuple, View] = {}

    def heading(self, view_title: str) -> str:
        """A view's heading that says what is compared: '沁源县 · 岚县 · 柞水县 — 关键数据'."""
        return t("present.title", self.lang, units=self.names, view=view_title)

    def view(self, slug: str, **options) -> View:
        """One view, memoised on the corpus snapshot for this selection: a rerun, or another session
        comparing the same units, gets the same (read-only) View without recomputing it. `options` are the
        view's own keywords (the comparison table's `indicators`, `sort_by`, `descending`); the deck and the
        report use each view's defaults."""
        chosen = shared.frozen(options)
        if (slug, chosen) not in self._views:
            words = {"exclude": self.exclude} if slug in TERM_SECTIONS else {}
            key = ("compare", slug, tuple(self.units), self.lang, self.exported, chosen, *words.values())
            self._views[(slug, chosen)] = self.corpus.memo(
                key, lambda: SECTIONS[slug](self.corpus, self.units, self.lang, self.exported, **words, **options))
        return self._views[(slug, chosen)]

    @property
    def views(self) -> list[View]:
        """The views of the deck and the report, in their order."""
        views = []
        for i, slug in enumerate(DECK_SECTIONS):
            if (slug, ()) not in self._views:  # progress once, when the view is computed
                _report(self.progress, i / len(DECK_SECTIONS), t("report.progress.prepare", self.lang))
            views.append(self.view(slug))
        return views

    @cached_property
    def unit_captions(self) -> dict[str, str]:
        return {u: shared.unit_caption(self.corpus["units"], u, self.lang) for u in self.units}

    @cached_property
    def _counts(self) -> dict[str, int]:
        return shared.corpus_counts(self.corpus.tables)

    @property
    def corpus_line(self) -> str:
        return t("report.corpus", self.lang, **self._counts)

    @property
    def n_documents(self) -> int:
        return self._counts["documents"]

    @cached_property
    def footer(self) -> str:
        """The citation of the comparison as a whole (title slide, report header)."""
        return _cited_footer(self.corpus, self.units, t("method.compare", self.lang), self.exported, self.lang)

    def about(self, view: View) -> pd.DataFrame:
        """The second sheet of a view's workbook: its method, its notes, the documents cited."""
        return about_table(view.method, shared.source_documents(self.corpus.tables, self.units), self.exported,
                           self.lang, view.table_note)

    @cached_property
    def sources(self) -> pd.DataFrame:
        """The cited documents: title, outlet, date, doc_id (localized headers)."""
        cited = shared.source_documents(self.corpus.tables, self.units)
        return shared.localize(cited[["title", "outlet", "date", "doc_id"]].map(_text), self.lang)


def compare_view(corpus: Corpus, units: Sequence[str], lang: str = "zh", exported: date | None = None,
                 progress: Progress = None, exclude: frozenset[str] | None = None) -> Comparison:
    """The comparison of `units` (2–6, known to the corpus; ValueError otherwise), labels in `lang`,
    citations dated `exported`: what the Compare page, the deck, the HTML report and the benchmark show."""
    return Comparison(corpus, units, lang, exported, progress, exclude)
