"""数据 Figures: every figure with its evidence, filterable; the tables behind every chart."""
import streamlit as st

from analytics.export import charts
from analytics.views import dashboard
from analytics.export.i18n import label, t
from app_pages import common

lang = common.lang()
data = common.corpus()
st.title(t("page.figures", lang))
figures = data.evidence["figures"]  # a reading list: every document's figures, reprints included

left, middle, right = st.columns([3, 2, 1])
options = data.unit_options()
units = left.multiselect(t("widget.units", lang), options, key="w_fig_units",
                         default=[u for u in common.url_list("fig_units") if u in options],
                         placeholder=t("widget.placeholder", lang))
categories = middle.multiselect(t("widget.categories", lang), sorted(figures["category"].unique()),
                                format_func=lambda c: label("category", c, lang), key="w_categories",
                                placeholder=t("widget.placeholder", lang))
target = right.radio(t("widget.target", lang), ["all", "actual", "target"],
                     format_func=lambda v: t(f"filter.{v}", lang), key="w_target")
search = st.text_input(t("widget.search", lang), value=common.url_value("q"), key="w_search")
common.set_url("fig_units", units)
common.set_url("q", search.strip())

view = dashboard.figures_view(figures, units, categories, target, search)
st.caption(t("figures.count", lang, n=len(view), total=len(figures)))
shown = dashboard.figures_display(view, lang)
st.dataframe(shown, hide_index=True)
common.table_downloads(shown, "figures", lang)
common.evidence_picker(view.assign(label=view["indicator"]), "label", lang, key="figures")

st.subheader(t("figures.compare_indicator", lang))
indicators = dashboard.comparable_indicators(view if len(view) else figures)
if indicators:
    indicator = st.selectbox(t("widget.indicator", lang), indicators, key="w_indicator")
    chart = charts.figures_bar_chart(figures[figures["unit"].isin(units or options)], indicator, lang)
    common.show_chart(chart, "figure_compare", lang,
                           common.footer_for(units or options, t("method.figures", lang), lang))

st.subheader(t("figures.all_tables", lang))
name = st.selectbox(t("widget.table", lang), dashboard.TABLE_NAMES, key="w_table",
                    format_func=lambda n: label("table", n, lang))
table = dashboard.table_for_download(data.evidence, name)
st.dataframe(table, hide_index=True)
common.table_downloads(table, f"table_{name}", lang)
