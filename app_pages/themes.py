"""主题 Themes: theme shares, top terms, a co-occurrence network and keyword in context."""
import streamlit as st

from analytics.export.i18n import t
from analytics.views import shared
from analytics.views.themes import themes_view
from app_pages import common

lang = common.lang()
st.title(t("page.themes", lang))
units = common.select_units(lang)
if not units:
    st.info(t("message.pick_one", lang))
    st.stop()
term = st.session_state.get("w_term", common.url_value("term"))
view = themes_view(common.corpus(), units, lang, term)

common.show_chart(view.chart, "theme_shares", lang, view.footer)
common.table_downloads(shared.localize(view.profile, lang), "theme_shares", lang)

st.subheader(t("themes.top_terms", lang))
st.dataframe(view.top_terms_wide, hide_index=True)
common.table_downloads(shared.localize(view.top_terms, lang), "top_terms", lang)

common.show_chart(view.network_chart, "network", lang, view.network_footer)

st.subheader(t("themes.kwic", lang))
term = st.text_input(t("widget.term", lang), value=common.url_value("term"), key="w_term",
                     placeholder=t("widget.term_placeholder", lang))
common.set_url("term", term.strip())
if view.kwic is not None:
    st.caption(t("themes.kwic_count", lang, n=len(view.kwic), term=shared.plain(term.strip())))
    st.dataframe(shared.localize(view.kwic, lang), hide_index=True)
    common.table_downloads(view.kwic, "kwic", lang)
