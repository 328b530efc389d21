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
from analytics.analysis.evidence import evidence_parts, kwic
from analytics.analysis.terms import distinctive_terms_of
from analytics.corpus.corpus import Corpus
from analytics.export import charts
from analytics.export.files import export_footer
from analytics.export.i18n import check_lang, label, t
from analytics.features import key_figures
from analytics.features.assets import DOMAINS
from analytics.features.industries import unit_industries
from analytics.features.themes import theme_hits, theme_label
from analytics.views import shared

Progress = Callable[[float, str], None] | None

EVIDENCE_TERMS_PER_UNIT = 3  # distinctive terms per unit that get an example sentence
SHARED_TERMS = 6
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
    # The sentences behind its numbers and further plain lines, made when first read: the deck and the
    # report read them, the page does not pay for them.
    evidence_of: Callable[[], list[Evidence]] = list
    notes_of: Callable[[], list[str]] = list
    parts: dict = field(default_factory=dict)  # what only the page shows beside them (cards, pickers' rows)

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
    before, match, after = evidence_parts(corpus.clean_text(doc_id), int(start), int(end))
    return Evidence(label_text, before, match, after, corpus.document_label(doc_id), doc_id, int(start), int(end))


def _cited_footer(corpus: Corpus, units: Sequence[str], method: str, exported: date, lang: str) -> str:
    return export_footer(shared.sources_for(corpus.tables, list(units)), method, exported, lang)


def key_figures_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Units × key-figure items as text, each figure's sentence as evidence ('*' marks targets)."""
    cards = key_figures.key_figures(corpus["figures"], units)
    table = shared.key_figure_table(corpus["figures"], units, lang, cards)
    unit_col = label("col", "unit", lang)
    # A unit without any key figure keeps its row (all '—'): leaving it out would hide the gap.
    table = table.set_index(unit_col).reindex(units).rename_axis(unit_col).reset_index()
    exported = exported or date.today()
    slot_name = "slot_zh" if lang == "zh" else "slot_en"
    order = {u: i for i, u in enumerate(units)}
    cards = cards.assign(_u=cards["unit"].map(order)).sort_values(["_u"], kind="stable")

    def make_evidence():
        evidence = []
        for card in cards.itertuples():
            shown = shared.format_value(card.value, card.measure) + shared.key_figure_mark(card.is_target,
                                                                                             card.comparable)
            item = _evidence(corpus, f"{card.unit} · {getattr(card, slot_name)} {shown}（{card.indicator}）",
                             card.doc_id, card.start, card.end)
            item.row = card.unit
            evidence.append(item)
        return evidence

    return View("key_figures", t("report.key_figures.title", lang), t("report.key_figures.subtitle", lang),
                _cited_footer(corpus, units, t("method.figures", lang), exported, lang),
                table=table.map(_text), data=cards, evidence_of=make_evidence,
                parts={"slots": key_figures.key_figure_slots(),
                       "targets": shared.figures_display(shared.figures_view(corpus["figures"], units,
                                                                                   target="target"), lang)},
                table_note=_key_figure_note(cards, lang))


def _key_figure_note(cards: pd.DataFrame, lang: str) -> str:
    """What the marks of the key-figure table mean, and why each † figure is not comparable."""
    notes = [t("report.target_note", lang)] if cards["is_target"].any() else []
    slot_name = "slot_zh" if lang == "zh" else "slot_en"
    odd = cards[~cards["comparable"].astype(bool)]
    if len(odd):
        reasons = "; ".join(f"{r.unit} · {getattr(r, slot_name)}: {t('comparable.' + r.why, lang)}"
                            for r in odd.itertuples())
        notes.append(t("report.incomparable_note", lang).format(reasons=reasons))
    return " ".join(notes)


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
                _cited_footer(corpus, units, t("method.industries", lang), exported, lang), chart=chart,
                table=industry_section_table(merged, units, lang), data=merged, evidence_of=make_evidence,
                parts={"matrix": shared.industry_matrix(merged, units, lang)})


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

    return View("themes", title_text, subtitle, _cited_footer(corpus, units, t("method.themes", lang), exported, lang),
                chart=chart, data=profile, notes_of=make_notes)


def similarity_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Cosine heatmap in clustering order; the notes give each pair's cosine and the terms behind it."""
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
                in_common = (similarity.shared_terms(model, a, b, top_n=SHARED_TERMS)
                             if a in model.keys and b in model.keys else pd.DataFrame(columns=["term"]))
                notes.append(t("report.similarity_pair", lang, a=a, b=b, cosine=f"{square.loc[a, b]:.3f}",
                               terms=sep.join(in_common["term"].astype(str))))
        return notes

    return View("similarity", title_text, subtitle,
                _cited_footer(corpus, units, t("method.similarity", lang), exported, lang), chart=chart,
                data=pairs[pairs["a"].isin(order) & pairs["b"].isin(order)].reset_index(drop=True),
                notes_of=make_notes)


def terms_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Distinctive terms per unit as small multiples; each unit's top terms with a sentence using them."""
    exported = exported or date.today()
    terms = distinctive_terms_of(corpus.tables, units)  # as the Compare page shows them
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
                _cited_footer(corpus, units, t("method.distinctive_terms", lang), exported, lang),
                chart=chart, data=terms, evidence_of=make_evidence)


def domains_view(corpus: Corpus, units: list[str], lang: str, exported: date | None = None) -> View:
    """Ecology, tourism and investment: each unit's figures and assets of the domain, with evidence rows."""
    exported = exported or date.today()
    figures, assets = corpus["figures"], corpus["assets"]
    parts = {domain: (shared.domain_rows(figures, assets, units, domain, lang),
                      shared.domain_evidence(figures, assets, units, domain))
             for domain in DOMAINS}
    table = pd.concat([rows.assign(**{label("col", "category", lang): t(f"domain.{domain}", lang)})
                       for domain, (rows, _) in parts.items()], ignore_index=True)
    return View("domains", t("tab.domains", lang), "", _cited_footer(corpus, units, t("method.figures", lang),
                                                                    exported, lang),
                table=table, data=pd.concat([ev.assign(domain=d) for d, (_, ev) in parts.items()], ignore_index=True),
                parts=parts)


SECTIONS = {"key_figures": key_figures_view, "industries": industries_view, "domains": domains_view,
            "themes": themes_view, "similarity": similarity_view, "terms": terms_view}
DECK_SECTIONS = ("key_figures", "industries", "themes", "similarity", "terms")
VIEW_BUILDERS = tuple(SECTIONS[s] for s in DECK_SECTIONS)


class Comparison:
    """The comparison of some units: every view of it, each computed when first asked for.

    The Compare page asks for the view of its open tab (`view('industries')`), the deck and the HTML
    report for all of them (`views`); both get the same View objects from the same functions.
    """

    def __init__(self, corpus: Corpus, units: Sequence[str], lang: str = "zh", exported: date | None = None,
                 progress: Progress = None):
        check_lang(lang)
        self.corpus, self.lang = corpus, lang
        self.units = _check_units(corpus, units)
        self.exported = exported or date.today()
        self.progress = progress
        self.title = t("report.title", lang)
        self._views: dict[str, View] = {}

    def view(self, slug: str) -> View:
        """One view, memoised on the corpus snapshot for this selection: a rerun, or another session
        comparing the same units, gets the same (read-only) View without recomputing it."""
        if slug not in self._views:
            key = ("compare", slug, tuple(self.units), self.lang, self.exported)
            self._views[slug] = self.corpus.memo(
                key, lambda: SECTIONS[slug](self.corpus, self.units, self.lang, self.exported))
        return self._views[slug]

    @property
    def views(self) -> list[View]:
        """The views of the deck and the report, in their order."""
        for i, slug in enumerate(DECK_SECTIONS):
            if slug not in self._views:  # progress once, when the view is computed
                _report(self.progress, i / len(DECK_SECTIONS), t("report.progress.prepare", self.lang))
                self.view(slug)
        return [self._views[slug] for slug in DECK_SECTIONS]

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

    @cached_property
    def sources(self) -> pd.DataFrame:
        """The cited documents: title, outlet, date, doc_id (localized headers)."""
        cited = shared.source_documents(self.corpus.tables, self.units)
        return shared.localize(cited[["title", "outlet", "date", "doc_id"]].map(_text), self.lang)


def compare_view(corpus: Corpus, units: Sequence[str], lang: str = "zh", exported: date | None = None,
                 progress: Progress = None) -> Comparison:
    """The comparison of `units` (2–6, known to the corpus; ValueError otherwise), labels in `lang`,
    citations dated `exported`: what the Compare page, the deck, the HTML report and the benchmark show."""
    return Comparison(corpus, units, lang, exported, progress)
