"""概览 Overview: the corpus at a glance — documents, units, headline figures, cleaning."""
import streamlit as st

from analytics.export import charts
from analytics.export.i18n import t
from analytics.views import shared
from analytics.views.overview import overview_view
from app_pages import common

lang = common.lang()
data = common.corpus()
view = overview_view(data, lang)
st.title(t("app.title", lang))
st.caption(t("overview.intro", lang))

for column, (key, value) in zip(st.columns(len(view.counts)), view.counts.items()):
    column.metric(t(f"metric.{key}", lang), f"{value:,}")

st.subheader(t("overview.documents", lang))
st.dataframe(view.documents, hide_index=True)
common.table_downloads(view.documents, "documents", lang)

st.subheader(t("overview.units", lang))
left, right = st.columns([3, 2])
left.dataframe(view.units, hide_index=True)
right.vega_lite_chart(charts.browser_spec(view.map_chart), theme=None)
common.table_downloads(view.units, "units", lang)

st.subheader(t("overview.headline", lang))
st.dataframe(view.headline, hide_index=True)
common.table_downloads(view.headline_download, "headline_figures", lang)

st.subheader(t("overview.cleaning", lang))
st.dataframe(view.cleaning, hide_index=True)
common.table_downloads(view.cleaning, "cleaning", lang)
if view.flagged.empty:
    st.success(t("overview.nothing_flagged", lang))
else:
    st.warning(t("overview.flagged", lang, n=len(view.flagged)))
    st.dataframe(view.flagged, hide_index=True)
    common.table_downloads(view.flagged, "flagged_text", lang)
if len(view.reprints):
    st.caption(t("overview.reprints", lang, n=len(view.reprints)))
    st.dataframe(view.reprints, hide_index=True)
if data.rejections:
    st.error("\n\n".join(shared.plain(str(r)) for r in data.rejections))
