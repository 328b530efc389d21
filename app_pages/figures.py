"""数据 Figures: every figure with its evidence, filterable; the tables behind every chart."""
import streamlit as st

from analytics.export.i18n import label, t
from analytics.views import shared
from analytics.views.figures import figure_categories, figures_view, indicator_chart, table_view
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("page.figures", lang))

left, middle, right = st.columns([3, 2, 1])
options = data.unit_options()
units = left.multiselect(t("widget.units", lang), options, key="w_fig_units",
                         default=[u for u in common.url_list("fig_units") if u in options],
                         placeholder=t("widget.placeholder", lang))
categories = middle.multiselect(t("widget.categories", lang), figure_categories(data),
                                format_func=lambda c: label("category", c, lang), key="w_categories",
                                placeholder=t("widget.placeholder", lang))
target = right.radio(t("widget.target", lang), ["all", "actual", "target"],
                     format_func=lambda v: t(f"filter.{v}", lang), key="w_target")
search = st.text_input(t("widget.search", lang), value=common.url_value("q"), key="w_search")
common.set_url("fig_units", units)
common.set_url("q", search.strip())

view = figures_view(data, units, categories, target, search, lang)
st.caption(t("figures.count", lang, n=len(view.figures), total=view.total))
st.dataframe(view.shown, hide_index=True)
common.table_downloads(view.download, "figures", lang)
common.evidence_picker(view.figures.assign(label=view.figures["indicator"]), "label", lang, key="figures")

st.subheader(t("figures.compare_indicator", lang))
if view.indicators:
    indicator = st.selectbox(t("widget.indicator", lang), view.indicators, key="w_indicator",
                             format_func=lambda ident: shared.indicator_name(ident, lang))
    chart, footer = indicator_chart(data, units, indicator, lang)
    common.show_chart(chart, "figure_compare", lang, footer)

st.subheader(t("figures.all_tables", lang))
name = st.selectbox(t("widget.table", lang), shared.TABLE_NAMES, key="w_table",
                    format_func=lambda n: label("table", n, lang))
table = table_view(data, name, lang)
st.dataframe(table, hide_index=True)
common.table_downloads(table, f"table_{name}", lang)
