"""主题 Themes: theme shares, top terms, a co-occurrence network and keyword in context."""
import streamlit as st

from analytics.export import charts
from analytics.views import dashboard
from analytics.analysis import evidence
from analytics.export.i18n import t
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("page.themes", lang))
units = common.select_units(lang)
if not units:
    st.info(t("message.pick_one", lang))
    st.stop()
footer = common.footer_for(units, t("method.themes", lang), lang)

profile = dashboard.theme_profile(data["themes"], units)
chart = charts.theme_profile_chart(profile, lang, order=units)
common.show_chart(chart, "theme_shares", lang, footer)
common.table_downloads(dashboard.localize(profile, lang), "theme_shares", lang)

st.subheader(t("themes.top_terms", lang))
top = dashboard.top_terms(data["passage_tokens"], units, n=10)
st.dataframe(dashboard.top_terms_wide(top), hide_index=True)
common.table_downloads(dashboard.localize(top, lang), "top_terms", lang)

nodes, edges = common.network(tuple(units))
network_chart = charts.cooccurrence_network_chart(nodes, edges, lang)
common.show_chart(network_chart, "network", lang, footer)

st.subheader(t("themes.kwic", lang))
term = st.text_input(t("widget.term", lang), value=common.url_value("term"), key="w_term",
                     placeholder=t("widget.term_placeholder", lang))
common.set_url("term", term.strip())
if term.strip():
    lines = evidence.kwic(data["documents"], data["passages"], term, units=units)
    st.caption(t("themes.kwic_count", lang, n=len(lines), term=term.strip()))
    st.dataframe(dashboard.localize(lines, lang), hide_index=True)
    common.table_downloads(lines, "kwic", lang)
