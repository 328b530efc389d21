"""主题 Themes: theme shares, top terms, a co-occurrence network and keyword in context.

Top terms and network leave out place names and the generic words: the reviewed list with the user's
edits, made in the sidebar's expander (a session-wide setting: any page gets the same words from
common.excluded_terms()). The network's two thresholds sit above the network.
"""
import streamlit as st

from analytics.analysis import network
from analytics.export.i18n import t
from analytics.views import shared
from analytics.views.themes import KWIC_SCOPES, KWIC_SORTS, kwic_view, themes_view
from app_pages import common

lang = common.lang()
st.title(t("page.themes", lang))
units = common.select_units(lang)
if not units:
    st.info(t("message.pick_one", lang))
    st.stop()
term = st.session_state.get("w_term", common.url_value("term"))
common.generic_terms_edit(lang)
exclude = common.excluded_terms()
# The thresholds shape the view, so their widgets run first; the containers keep the page's order.
shares_area, terms_area = st.container(), st.container()
left, right = st.columns(2)
min_frequency = common.number_setting("min_frequency", lang, network.MIN_TERM_FREQUENCY, 1, 100, left)
min_weight = common.number_setting("min_cooccurrence", lang, network.MIN_COOCCURRENCE, 1, 100, right)
view = themes_view(common.corpus(), units, lang, term, exclude=exclude, min_frequency=min_frequency,
                   min_weight=min_weight)

with shares_area:
    common.show_chart(view.chart, "theme_shares", lang, view.footer)
    if view.thin_note:
        st.caption(shared.plain(view.thin_note))
    common.table_downloads(shared.localize(view.profile, lang), "theme_shares", lang)

with terms_area:
    st.subheader(t("themes.top_terms", lang))
    st.caption(t("themes.left_out", lang, n=len(exclude)))
    st.dataframe(view.top_terms_wide, hide_index=True)
    common.table_downloads(shared.localize(view.top_terms, lang), "top_terms", lang)

common.show_chart(view.network_chart, "network", lang, view.network_footer)
st.caption(t("themes.network_summary", lang, nodes=len(view.network_nodes), edges=len(view.network_edges),
             communities=view.network_nodes["community"].nunique()))

st.subheader(t("themes.kwic", lang))
term = st.text_input(t("widget.term", lang), value=common.url_value("term"), key="w_term",
                     placeholder=t("widget.term_placeholder", lang))
common.set_url("term", term.strip())
scope_area, sort_area = st.columns(2)
with scope_area:
    scope = common.choice("kwic_scope", list(KWIC_SCOPES), lang)
with sort_area:
    order = common.choice("kwic_sort", list(KWIC_SORTS), lang)
if term.strip():
    concordance = kwic_view(common.corpus(), term, units, scope, order, lang)
    st.caption(shared.plain(concordance.caption))
    st.dataframe(shared.localize(concordance.lines, lang), hide_index=True)
    common.table_downloads(shared.localize(concordance.lines, lang), "kwic", lang)
    by_unit, by_document = st.columns([1, 2])
    by_unit.dataframe(shared.localize(concordance.by_unit, lang), hide_index=True)
    by_document.dataframe(shared.localize(concordance.by_document, lang), hide_index=True)
