"""相似度 Similarity: TF-IDF cosine heatmap in clustered order, nearest neighbours, shared terms."""
import streamlit as st

from analytics.export.i18n import t
from analytics.views import shared
from analytics.views.similarity import neighbours_view, similarity_view
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("page.similarity", lang))
level = common.choice("level", ["unit", "document"], lang)
keys = common.select_keys(level, lang)
if len(keys) < 2:
    st.info(t("message.pick_two", lang))
    st.stop()

view = similarity_view(data, level, keys, lang)
common.show_chart(view.chart, f"similarity_{level}", lang, view.footer)
if view.thin_note:
    st.caption(shared.plain(view.thin_note))
st.dataframe(view.clusters, hide_index=True)
common.table_downloads(view.clusters, f"clusters_{level}", lang)
common.table_downloads(view.matrix, f"similarity_matrix_{level}", lang)

st.subheader(t("similarity.neighbours", lang))
focus = st.selectbox(t("widget.focus", lang), view.order, format_func=view.labels.get, key="w_focus")
whole_corpus = common.toggle("whole_corpus", lang)
nearest, table = neighbours_view(data, level, focus, lang, among=None if whole_corpus else keys,
                                exclude=common.excluded_terms())
for row in nearest:
    st.markdown(f"**{shared.plain(row.label)}** · {t('axis.cosine', lang)} {row.cosine:.3f} — "
                f"{t('similarity.shared', lang)}: {shared.plain('、'.join(row.shared_terms))}")
common.table_downloads(table, f"neighbours_{level}", lang)
