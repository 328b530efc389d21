"""对比 Compare: 2–6 units side by side — the comparison table, industries, domains, themes, distinctive terms.

One call (`analytics.views.compare.compare_view`) gives the comparison; each open tab shows its view —
chart, table and downloads from the same View the deck and the HTML report use. In presentation mode the
page is one view at a time, stepped through with the keyboard like slides.
"""
import streamlit as st

from analytics.export.i18n import t
from analytics.views import compare, shared
from app_pages import common

lang = common.lang()
title = st.empty()
units = common.select_units(lang)
if len(units) < 2:
    title.title(t("page.compare", lang))
    st.info(t("message.pick_two", lang))
    st.stop()
comparison = compare.compare_view(common.corpus(), units, lang, exclude=common.excluded_terms())
slugs = ["figures", "industries", "domains", "themes", "terms"]


def show_gaps(view) -> None:
    """A unit the view cannot show is named, with the reason."""
    if view.gap_note:
        st.caption(shared.plain(view.gap_note))


def downloads(view, table, name: str) -> None:
    """A view's table as CSV and XLSX, its second sheet naming the view's method and sources."""
    common.table_downloads(table, name, lang, about=lambda: comparison.about(view))


def figures_section(presenting: bool) -> None:
    view = comparison.view("key_figures", **common.table_choices())
    table = view.parts["table"]
    if not presenting:
        common.table_pickers(table, lang)
    st.html(view.parts["html"])
    st.caption(shared.plain(" ".join(x for x in (t("compare.target_mark", lang), view.table_note) if x)))
    if presenting:
        return
    downloads(view, view.data, "key_figures")
    with st.expander(t("summary.title", lang), expanded=True):
        summary_section(presenting=False)
    targets = comparison.view("targets")
    st.subheader(targets.title)
    st.dataframe(targets.table, hide_index=True)
    downloads(targets, targets.data, "targets")


def summary_section(presenting: bool) -> None:
    view = comparison.view("summary")
    st.caption(view.subtitle)
    st.markdown("\n".join(f"- {shared.plain(line)}" for line in view.parts["lines"]))


def industries_section(presenting: bool) -> None:
    view = comparison.view("industries")
    common.show_chart(view.parts["present_chart"] if presenting else view.chart, "industries", lang, view.footer)
    show_gaps(view)
    if presenting:
        return
    st.dataframe(view.parts["matrix"], hide_index=True)
    downloads(view, view.parts["matrix"], "industries_matrix")
    common.evidence_picker(view.data, "industry" if lang == "zh" else "industry_en", lang, key="industries")


def domains_section(presenting: bool) -> None:
    view = comparison.view("domains")
    if presenting:
        st.html(view.parts["digest_html"])
        return
    for domain, (rows, evidence) in view.parts["domains"].items():
        st.subheader(t(f"domain.{domain}", lang))
        st.dataframe(rows, hide_index=True)
        common.evidence_picker(evidence, "label", lang, key=f"domain_{domain}")
    downloads(view, shared.localize(view.data, lang), "ecology_tourism_investment")


def themes_section(presenting: bool) -> None:
    view = comparison.view("themes")
    common.show_chart(view.chart, "themes", lang, view.footer)
    show_gaps(view)
    if not presenting:
        downloads(view, shared.localize(view.data, lang), "theme_profile")


def terms_section(presenting: bool) -> None:
    view = comparison.view("terms")
    if not presenting:
        st.caption(t("compare.terms_method", lang))
    common.show_chart(view.parts["present_chart"] if presenting else view.chart, "distinctive_terms", lang,
                      view.footer)
    show_gaps(view)
    if not presenting:
        downloads(view, shared.localize(view.data, lang), "distinctive_terms")


SECTIONS = {"summary": summary_section, "figures": figures_section, "industries": industries_section,
            "domains": domains_section, "themes": themes_section, "terms": terms_section}

if common.presenting():
    slides = ["summary", *slugs]  # as the deck: the key differences first
    slug = common.presentation_steps(slides, lang)
    title.title(comparison.heading(t(f"tab.{slug}", lang)))
    SECTIONS[slug](presenting=True)
    # in a corner, out of the flow: the view keeps the whole screen
    st.html(f"<div class='cl-hint'>{t('present.hint', lang, n=slides.index(slug) + 1, total=len(slides))}</div>")
else:
    title.title(t("compare.title", lang, units=comparison.names))
    for slug, tab in zip(slugs, common.tabs(slugs, lang)):
        if tab.open:
            with tab:
                SECTIONS[slug](presenting=False)
    st.divider()
    st.subheader(t("compare.present", lang))
    for column, fmt in zip(st.columns(2), ("pptx", "html")):
        with column:
            common.report_button(units, fmt, lang)
