"""相似度 Similarity: TF-IDF cosine heatmap in clustered order, nearest neighbours, shared terms."""
import streamlit as st

from analytics.export import charts
from analytics.views import dashboard
from analytics.analysis import similarity
from analytics.export.i18n import t
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("page.similarity", lang))
level = common.choice("level", ["unit", "document"], lang)
keys = common.select_keys(level, lang)
if len(keys) < 2:
    st.info(t("message.pick_two", lang))
    st.stop()

pairs = data["similarity"]
order, clusters = similarity.cluster_order(pairs[pairs["level"] == level], keys)
labels = dashboard.key_labels(data.tables, level)
chart = charts.similarity_heatmap(dashboard.label_pairs(pairs, level, labels), [labels[k] for k in order], lang,
                                  level=level, clusters=clusters)
common.show_chart(chart, f"similarity_{level}", lang,
                       common.footer_for(keys if level == "unit" else [], t("method.similarity", lang), lang))
cluster_table = dashboard.cluster_table(order, clusters, labels, lang)
st.dataframe(cluster_table, hide_index=True)
common.table_downloads(cluster_table, f"clusters_{level}", lang)
common.table_downloads(lambda: dashboard.localize(similarity.similarity_matrix(pairs[pairs["level"] == level], order)
                                                  .rename(index=labels, columns=labels).rename_axis("key").reset_index(), lang),
                       f"similarity_matrix_{level}", lang)

st.subheader(t("similarity.neighbours", lang))
focus = st.selectbox(t("widget.focus", lang), order, format_func=labels.get, key="w_focus")
model = common.tfidf_model(level)
nearest = similarity.neighbours(pairs[pairs["level"] == level], focus, k=5)
for row in nearest.itertuples():
    shared = similarity.shared_terms(model, focus, row.b, top_n=8)
    st.markdown(f"**{labels[row.b]}** · {t('axis.cosine', lang)} {row.cosine:.3f} — "
                f"{t('similarity.shared', lang)}: {'、'.join(shared['term'])}")
common.table_downloads(dashboard.localize(nearest.assign(b=nearest["b"].map(labels)), lang),
                       f"neighbours_{level}", lang)
