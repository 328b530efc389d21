"""概览 Overview: the corpus at a glance — documents, units, headline figures, cleaning."""
import streamlit as st

from analytics.export import charts
from analytics.views import dashboard
from analytics.export.i18n import t
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("app.title", lang))
st.caption(t("overview.intro", lang))

counts = dashboard.corpus_counts(data.tables)
for column, (key, value) in zip(st.columns(len(counts)), counts.items()):
    column.metric(t(f"metric.{key}", lang), f"{value:,}")

st.subheader(t("overview.documents", lang))
documents = dashboard.documents_view(data.evidence["documents"], lang)
st.dataframe(documents, hide_index=True)
common.table_downloads(documents, "documents", lang)

st.subheader(t("overview.units", lang))
units = dashboard.units_view(data["units"], lang)
left, right = st.columns([3, 2])
left.dataframe(units, hide_index=True)
map_chart = charts.units_map_chart(data["units"], lang)
right.altair_chart(map_chart, theme=None)
common.table_downloads(units, "units", lang)

st.subheader(t("overview.headline", lang))
headline = dashboard.key_figure_table(data["figures"], data.unit_options(), lang)
st.dataframe(headline, hide_index=True)
common.table_downloads(headline, "headline_figures", lang)

st.subheader(t("overview.cleaning", lang))
cleaning = dashboard.cleaning_view(data.evidence["documents"], lang)
st.dataframe(cleaning, hide_index=True)
common.table_downloads(cleaning, "cleaning", lang)
flagged = dashboard.flagged_spans(data.evidence["documents"])
if flagged.empty:
    st.success(t("overview.nothing_flagged", lang))
else:
    st.warning(t("overview.flagged", lang, n=len(flagged)))
    st.dataframe(dashboard.localize(flagged, lang), hide_index=True)
    common.table_downloads(dashboard.localize(flagged, lang), "flagged_text", lang)
if data.rejections:
    st.error("\n\n".join(str(r) for r in data.rejections))
