"""对比 Compare: 2–6 units side by side — key figures, industries, domains, themes, distinctive terms."""
import streamlit as st

from analytics.export import charts
from analytics.views import compare, dashboard
from analytics.export.i18n import t
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("page.compare", lang))
units = common.select_units(lang)
if len(units) < 2:
    st.info(t("message.pick_two", lang))
    st.stop()
footer = common.footer_for(units, t("method.compare", lang), lang)

cards_tab, industries_tab, domains_tab, themes_tab, terms_tab = common.tabs(
    ["figures", "industries", "domains", "themes", "terms"], lang)

if cards_tab.open:
    with cards_tab:
        cards = dashboard.key_figures(data["figures"], units)
        slot_name = "slot_zh" if lang == "zh" else "slot_en"
        header = st.columns(len(units))
        for column, unit in zip(header, units):
            column.markdown(f"#### {unit}")
            column.caption(dashboard.unit_caption(data["units"], unit, lang))
        for slot in dashboard.key_figure_slots().itertuples():
            row = cards[cards["slot"] == slot.slot]
            if row.empty:
                continue
            st.markdown(f"**{getattr(slot, slot_name)}**")
            for column, unit in zip(st.columns(len(units)), units):
                card = row[row["unit"] == unit]
                if card.empty:
                    column.caption("—")  # an empty cell stays small: the row is about the units that have it
                    continue
                card = card.iloc[0]
                number, source = column.container(border=True).columns([3, 1], vertical_alignment="bottom")
                number.metric(dashboard.card_label(card),
                              dashboard.format_value(card.value, card.measure) + ("*" if card.is_target else ""))
                with source.popover(t("button.evidence_short", lang), help=t("button.evidence", lang)):
                    common.show_evidence(card.doc_id, card.start, card.end, card.indicator)
        st.caption(t("compare.target_mark", lang))
        st.subheader(t("compare.targets", lang))
        targets = dashboard.figures_view(data["figures"], units, target="target")
        st.dataframe(dashboard.figures_display(targets, lang).drop(columns=[dashboard.label("col", "is_target", lang)]),
                     hide_index=True)
        common.table_downloads(lambda: dashboard.key_figure_table(data["figures"], units, lang), "key_figures", lang)

if industries_tab.open:
    with industries_tab:
        view = compare.industries_view(data, units, lang)  # the deck's and the report's view too
        common.show_chart(view.chart, "industries", lang, view.footer)
        matrix = dashboard.industry_matrix(view.data, units, lang)
        st.dataframe(matrix, hide_index=True)
        common.table_downloads(matrix, "industries_matrix", lang)
        common.evidence_picker(view.data, "industry" if lang == "zh" else "industry_en", lang, key="industries")

if domains_tab.open:
    with domains_tab:
        for domain in ("ecology", "tourism", "investment"):
            st.subheader(t(f"category.{domain}", lang))
            table = dashboard.domain_rows(data["figures"], data["assets"], units, domain, lang)
            st.dataframe(table, hide_index=True)
            evidence = dashboard.domain_evidence(data["figures"], data["assets"], units, domain)
            common.evidence_picker(evidence, "label", lang, key=f"domain_{domain}")

if themes_tab.open:
    with themes_tab:
        profile = dashboard.theme_profile(data["themes"], units)
        chart = charts.theme_profile_chart(profile, lang, order=units)
        common.show_chart(chart, "themes", lang, footer)
        common.table_downloads(dashboard.localize(profile, lang), "theme_profile", lang)

if terms_tab.open:
    with terms_tab:
        terms = dashboard.distinctive_terms_of(data.tables, units)
        chart = charts.distinctive_terms_chart(terms, lang, order=units)
        st.caption(t("compare.terms_method", lang))
        common.show_chart(chart, "distinctive_terms", lang, footer)
        common.table_downloads(dashboard.localize(terms, lang), "distinctive_terms", lang)

st.divider()
st.subheader(t("compare.present", lang))
for column, fmt in zip(st.columns(2), ("pptx", "html")):
    with column:
        common.report_button(units, fmt, lang)
