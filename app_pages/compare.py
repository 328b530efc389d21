"""对比 Compare: 2–6 units side by side — key figures, industries, domains, themes, distinctive terms.

One call (`analytics.views.compare.compare_view`) gives the comparison; each open tab shows its view —
chart, table and downloads from the same View the deck and the HTML report use.
"""
import streamlit as st

from analytics.export.i18n import label, t
from analytics.views import compare, shared
from app_pages import common

lang = common.lang()
st.title(t("page.compare", lang))
units = common.select_units(lang)
if len(units) < 2:
    st.info(t("message.pick_two", lang))
    st.stop()
comparison = compare.compare_view(common.corpus(), units, lang)

cards_tab, industries_tab, domains_tab, themes_tab, terms_tab = common.tabs(
    ["figures", "industries", "domains", "themes", "terms"], lang)

if cards_tab.open:
    with cards_tab:
        view = comparison.view("key_figures")
        cards, slots = view.data, view.parts["slots"]
        slot_name = "slot_zh" if lang == "zh" else "slot_en"
        for column, unit in zip(st.columns(len(units)), units):
            column.markdown(f"#### {shared.plain(unit)}")
            column.caption(shared.plain(comparison.unit_captions[unit]))
        for slot in slots.itertuples():
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
                number.metric(shared.plain(shared.card_label(card)),
                              shared.format_value(card.value, card.measure)
                              + shared.key_figure_mark(card.is_target, card.comparable))
                with source.popover(t("button.evidence_short", lang), help=t("button.evidence", lang)):
                    common.show_evidence(card.doc_id, card.start, card.end, card.indicator)
        st.caption(view.table_note or t("compare.target_mark", lang))
        st.subheader(t("compare.targets", lang))
        st.dataframe(view.parts["targets"].drop(columns=[label("col", "is_target", lang)]), hide_index=True)
        common.table_downloads(view.table, "key_figures", lang)

if industries_tab.open:
    with industries_tab:
        view = comparison.view("industries")
        common.show_chart(view.chart, "industries", lang, view.footer)
        st.dataframe(view.parts["matrix"], hide_index=True)
        common.table_downloads(view.parts["matrix"], "industries_matrix", lang)
        common.evidence_picker(view.data, "industry" if lang == "zh" else "industry_en", lang, key="industries")

if domains_tab.open:
    with domains_tab:
        view = comparison.view("domains")
        for domain, (rows, evidence) in view.parts.items():
            st.subheader(t(f"domain.{domain}", lang))
            st.dataframe(rows, hide_index=True)
            common.evidence_picker(evidence, "label", lang, key=f"domain_{domain}")

if themes_tab.open:
    with themes_tab:
        view = comparison.view("themes")
        common.show_chart(view.chart, "themes", lang, view.footer)
        common.table_downloads(shared.localize(view.data, lang), "theme_profile", lang)

if terms_tab.open:
    with terms_tab:
        view = comparison.view("terms")
        st.caption(t("compare.terms_method", lang))
        common.show_chart(view.chart, "distinctive_terms", lang, view.footer)
        common.table_downloads(shared.localize(view.data, lang), "distinctive_terms", lang)

st.divider()
st.subheader(t("compare.present", lang))
for column, fmt in zip(st.columns(2), ("pptx", "html")):
    with column:
        common.report_button(units, fmt, lang)
