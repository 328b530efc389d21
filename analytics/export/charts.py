"""Feature tables -> Altair charts, one presentation theme, labels in Chinese or English.

Every builder takes a table (columns as in analytics/registry.py TABLES) and `lang`, and returns an
Altair chart object that Streamlit shows, the tests inspect with `to_dict()`, and export.py turns
into PNG/SVG — the same object all three ways. Builders that need two marks (values written on
a heatmap, edges under nodes, labels beside points) return an `alt.LayerChart`; the rest return
an `alt.Chart`. The theme (CJK font, sizes, no frame) is applied with `.configure`, so a chart
can be exported as it is; export.py lifts the config when it adds a footer.

Localized values go into new `*_label` columns computed here in pandas, so the spec holds the
text as shown and the tests can read it back.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import altair as alt
import pandas as pd

from analytics.export.fonts import font_stack
from analytics.export.i18n import check_lang, label, t
from analytics.features.industries import unit_industries
from analytics.features.themes import theme_colors, theme_label
from analytics.resources import read_records

Chart = alt.Chart | alt.LayerChart

WIDTH = 520
STEP = 24  # px per bar or per heatmap cell: keeps labels readable whatever the number of units
TEXT_COLOR = "#333333"
MUTED = "#666666"
GRID = "#e6e6e6"
BAR_COLOR = "#1f5f99"  # a single-series bar, here and on the deck's native charts
STATUS_COLORS = {"has": BAR_COLOR, "targets": "#e08a1e"}
UNKNOWN_THEME_COLOR = MUTED  # a theme key the lexicon does not know: no theme's colour
COSINE_DOMAIN = [0, 1]  # the similarity heatmap's colour scale: absolute, the same on every heatmap
WHITE_TEXT_ABOVE = 0.6  # heatmap cells darker than this cosine get white numbers
HEATMAP_GRID_PX = 720  # the similarity grid's side at most: with labels and legend, within a 1366 px screen
HEATMAP_CELL_PX = (14, 36)  # its cells' side: no smaller than a label's line, no larger than needed
HEATMAP_NUMBERS_FROM = 26  # cells smaller than this carry no number (the tooltip gives it)
HEATMAP_SIDE_LEGEND_UP_TO = 12  # more keys than this: the legend goes under the grid


def theme_config() -> dict:
    """Vega-Lite config shared by every chart: CJK font on all text, readable sizes, no frames."""
    font = font_stack()
    return {
        "font": font,
        "background": "white",
        "padding": 12,
        "view": {"stroke": None},
        "title": {"font": font, "fontSize": 18, "fontWeight": 600, "color": TEXT_COLOR,
                  "anchor": "start", "subtitleFont": font, "subtitleFontSize": 13,
                  "subtitleColor": MUTED, "offset": 12},
        "axis": {"labelFont": font, "titleFont": font, "labelFontSize": 12, "titleFontSize": 13,
                 "titleFontWeight": 500, "labelColor": TEXT_COLOR, "titleColor": TEXT_COLOR,
                 "gridColor": GRID, "domainColor": "#999999", "tickColor": "#999999",
                 "labelLimit": 220},
        # Category axes need no grid or ticks: the bars already carry the information.
        "axisBand": {"grid": False, "ticks": False, "domain": False},
        "legend": {"labelFont": font, "titleFont": font, "labelFontSize": 12, "titleFontSize": 13,
                   "titleFontWeight": 500, "labelColor": TEXT_COLOR, "titleColor": TEXT_COLOR,
                   "labelLimit": 260},
        "header": {"labelFont": font, "titleFont": font, "labelFontSize": 13, "titleFontSize": 13,
                   "labelColor": TEXT_COLOR, "titleColor": TEXT_COLOR},
        "text": {"font": font, "fontSize": 12, "color": TEXT_COLOR},
        "range": {"category": {"scheme": "tableau10"}},
    }


def themed(chart: Chart) -> Chart:
    return chart.configure(**theme_config())


def title(key: str, lang: str, subtitle_key: str | None = None, **fmt) -> alt.TitleParams:
    subtitle = t(subtitle_key, lang, **fmt) if subtitle_key else alt.Undefined
    return alt.TitleParams(t(key, lang, **fmt), subtitle=subtitle)


def ordered(values: pd.Series, order: list[str] | None) -> list[str]:
    """`order` restricted to the values present, then any others in order of appearance."""
    present = list(dict.fromkeys(values.astype(str)))
    head = [v for v in (order or []) if v in present]
    return head + [v for v in present if v not in head]


def theme_labels(themes: pd.DataFrame, lang: str) -> pd.Series:
    """Display names of the table's theme keys; a value the lexicon does not know is kept as is."""
    if lang == "en" and "theme_en" in themes:
        english = themes["theme_en"].where(themes["theme_en"].notna() & (themes["theme_en"].astype(str) != ""))
        return english.fillna(themes["theme"].map(lambda k: theme_label(str(k), "en"))).astype(str)
    return themes["theme"].map(lambda k: theme_label(str(k), lang)).astype(str)


def theme_scale(lang: str, shown: Iterable[object] = ()) -> alt.Scale:
    """The colour scale of every chart that colours by theme: domain = the lexicon's theme labels in its
    order, range = their colours (data/theme_colors.csv), so a theme has one colour whatever the selection
    or language. Labels in `shown` the lexicon does not know follow in grey rather than take a theme's colour.
    """
    colors = theme_colors()
    domain = [theme_label(key, lang) for key in colors]
    extra = [v for v in dict.fromkeys(str(v) for v in shown) if v not in domain]
    return alt.Scale(domain=domain + extra, range=list(colors.values()) + [UNKNOWN_THEME_COLOR] * len(extra))


def theme_profile_chart(themes: pd.DataFrame, lang: str = "zh",
                        order: list[str] | None = None) -> alt.Chart:
    """Normalized stacked bars: each unit's share of theme hits, one colour per theme.

    Input columns: unit, theme (key), theme_en, hits, share. Chinese labels come from the theme
    lexicon (data/themes.csv theme_zh), English from theme_en. `order` sorts the units (e.g. the
    similarity clustering order). Themes are coloured by `theme_scale` and stacked in its order (the
    lexicon's), so legend, stack and colour agree and a theme looks the same on every chart.
    """
    check_lang(lang)
    data = themes.dropna(subset=["share"]).copy()
    data["unit"] = data["unit"].astype(str)
    data["theme_label"] = theme_labels(data, lang)
    scale = theme_scale(lang, data["theme_label"])
    data["theme_rank"] = data["theme_label"].map({name: i for i, name in enumerate(scale.domain)})
    units = ordered(data["unit"], order)
    chart = alt.Chart(data, title=title("chart.theme_profile.title", lang,
                                        "chart.theme_profile.subtitle")).mark_bar().encode(
        x=alt.X("share:Q", stack="normalize", title=t("axis.share", lang),
                axis=alt.Axis(format="%", tickCount=5)),
        y=alt.Y("unit:N", sort=units, title=None),
        color=alt.Color("theme_label:N", title=t("legend.theme", lang), scale=scale,
                        # below the bars in columns: a side legend taller than a few bars gets cut
                        legend=alt.Legend(orient="bottom", columns=4, direction="horizontal")),
        order=alt.Order("theme_rank:Q"),
        tooltip=[alt.Tooltip("unit:N", title=t("axis.unit", lang)),
                 alt.Tooltip("theme_label:N", title=t("legend.theme", lang)),
                 alt.Tooltip("share:Q", title=t("axis.share", lang), format=".1%"),
                 alt.Tooltip("hits:Q", title=t("tooltip.hits", lang))],
    ).properties(width=WIDTH, height=alt.Step(STEP))
    return themed(chart)


def heatmap_cell(n_keys: int) -> int:
    """The side of a heatmap cell for `n_keys` rows and columns: the grid stays within HEATMAP_GRID_PX."""
    low, high = HEATMAP_CELL_PX
    return int(max(low, min(high, HEATMAP_GRID_PX // max(n_keys, 1))))


def similarity_heatmap(similarity: pd.DataFrame, order: list[str], lang: str = "zh",
                       level: str | None = None, clusters: list[int] | None = None) -> alt.TopLevelMixin:
    """Cosine heatmap over the keys in `order` (e.g. clustering order), each cell labelled.

    Input columns: level, a, b, cosine. Pairs may be listed one way or both ways; the larger
    value wins. The diagonal is left blank: a unit's similarity to itself says nothing and
    would saturate the colour scale. Give `level` when the table holds more than one level.
    With `clusters` (one number per key of `order`) a band left of the rows shows the clusters.
    The colour scale is absolute, 0 to 1 whatever the cells shown, so the same shade means the same
    cosine on every heatmap: low cosines (usual between documents of one genre) stay pale, honestly.
    """
    check_lang(lang)
    data = similarity
    if level is not None:
        data = data[data["level"] == level]
    elif "level" in data and data["level"].nunique() > 1:
        raise ValueError(f"similarity holds levels {sorted(data['level'].unique())}: pass level=")
    keys = [str(k) for k in order]
    pairs = pd.concat([data[["a", "b", "cosine"]],
                       data[["b", "a", "cosine"]].set_axis(["a", "b", "cosine"], axis=1)])
    pairs = pairs.astype({"a": str, "b": str})
    pairs = pairs[pairs["a"].isin(keys) & pairs["b"].isin(keys) & (pairs["a"] != pairs["b"])]
    cells = pairs.groupby(["a", "b"], as_index=False)["cosine"].max()
    base = alt.Chart(cells).encode(
        x=alt.X("b:N", sort=keys, title=None, axis=alt.Axis(labelAngle=-45, orient="top")),
        y=alt.Y("a:N", sort=keys, title=None),
        tooltip=[alt.Tooltip("a:N", title=t("axis.unit", lang)),
                 alt.Tooltip("b:N", title=t("axis.unit", lang)),
                 alt.Tooltip("cosine:Q", title=t("legend.cosine", lang), format=".3f")],
    )
    # Many keys: smaller cells so the grid and its legend fit a laptop screen (1366 px), the legend under the
    # grid, and no numbers in cells too small to read them (the tooltip still gives each cosine).
    cell = heatmap_cell(len(keys))
    many = len(keys) > HEATMAP_SIDE_LEGEND_UP_TO
    rect = base.mark_rect(stroke="white", strokeWidth=1 if cell >= 24 else 0.5).encode(
        color=alt.Color("cosine:Q", title=t("legend.cosine", lang),
                        scale=alt.Scale(scheme="blues", domain=COSINE_DOMAIN, clamp=True),
                        legend=alt.Legend(format=".1f", values=[0, 0.2, 0.4, 0.6, 0.8, 1], gradientLength=160,
                                          orient="bottom" if many else "right",
                                          direction="horizontal" if many else "vertical")))
    # White on dark cells, dark on light ones, so every value stays legible ('blues' turns dark past 0.6).
    text = base.mark_text(fontSize=11 if cell >= 32 else 9).encode(
        text=alt.Text("cosine:Q", format=".2f"),
        color=alt.condition(alt.datum.cosine > WHITE_TEXT_ABOVE, alt.value("white"), alt.value(TEXT_COLOR)))
    marks = [rect, text] if cell >= HEATMAP_NUMBERS_FROM else [rect]
    size = alt.Step(cell)
    heading = title("chart.similarity.title", lang, "chart.similarity.subtitle")
    if clusters is None:
        return themed(alt.layer(*marks, title=heading).properties(width=size, height=size))
    bands = alt.Chart(pd.DataFrame({"a": keys, "cluster": [str(c) for c in clusters]})).mark_rect().encode(
        y=alt.Y("a:N", sort=keys, title=None),
        color=alt.Color("cluster:N", title=t("legend.cluster", lang), scale=alt.Scale(scheme="set2"),
                        legend=alt.Legend(orient="left") if many else alt.Undefined),
        tooltip=[alt.Tooltip("a:N", title=t("axis.unit", lang)), alt.Tooltip("cluster:N", title=t("legend.cluster", lang))],
    ).properties(width=12, height=size)
    heatmap = alt.layer(*marks).properties(width=size, height=size).encode(y=alt.Y("a:N", sort=keys, axis=None))
    chart = alt.hconcat(bands, heatmap, spacing=4, title=heading).resolve_scale(color="independent")
    return themed(chart)


def figures_bar_chart(figures: pd.DataFrame, indicator: str, lang: str = "zh",
                      order: list[str] | None = None) -> alt.Chart:
    """One indicator compared across units: value_normalized in measure_normalized, existing vs target.

    Input columns: unit, indicator, value_normalized, measure_normalized, is_target, year, evidence
    (doc_id optional). Only the most common unit of measure is drawn, because bars in 亿元 and %
    cannot share an axis; the subtitle says how many figures were left out. Per unit and status
    the latest year is shown, its evidence in the tooltip.
    """
    check_lang(lang)
    data = figures[(figures["indicator"] == indicator)].dropna(subset=["value_normalized"]).copy()
    excluded = 0
    measure = ""
    if len(data):
        measure = str(data["measure_normalized"].fillna("").astype(str).value_counts().index[0])
        keep = data["measure_normalized"].fillna("").astype(str) == measure
        excluded = int((~keep).sum())
        data = data[keep]
    data["unit"] = data["unit"].astype(str)
    data["status"] = data["is_target"].map(lambda v: "targets" if _truthy(v) else "has")
    data["status_label"] = data["status"].map(lambda s: label("status", s, lang))
    data = (data.assign(_year=pd.to_numeric(data["year"], errors="coerce"))
            .sort_values("_year", na_position="first")
            .groupby(["unit", "status"], as_index=False).tail(1).drop(columns="_year"))
    statuses = [s for s in STATUS_COLORS if s in set(data["status"])] or list(STATUS_COLORS)
    x_title = t("axis.value_in_unit", lang, unit=measure) if measure else t("axis.value", lang)
    head = alt.TitleParams(
        t("chart.figures.title", lang, indicator=indicator),
        subtitle=t("chart.figures.excluded", lang, n=excluded) if excluded else alt.Undefined)
    columns = ["unit", "status", "status_label", "value_normalized", "year", "evidence"]
    chart = alt.Chart(data[columns], title=head).mark_bar().encode(
        x=alt.X("value_normalized:Q", title=x_title),
        y=alt.Y("unit:N", sort=ordered(data["unit"], order), title=None),
        # Existing and target bars side by side only when both occur; otherwise one bar per unit.
        yOffset=(alt.YOffset("status_label:N", sort=[label("status", s, lang) for s in statuses])
                 if len(statuses) > 1 else alt.Undefined),
        color=alt.Color("status_label:N", title=t("legend.status", lang),
                        scale=alt.Scale(domain=[label("status", s, lang) for s in statuses],
                                        range=[STATUS_COLORS[s] for s in statuses])),
        tooltip=[alt.Tooltip("unit:N", title=t("axis.unit", lang)),
                 alt.Tooltip("value_normalized:Q", title=x_title, format=",.4~g"),
                 alt.Tooltip("status_label:N", title=t("legend.status", lang)),
                 alt.Tooltip("year:N", title=t("axis.year", lang)),
                 alt.Tooltip("evidence:N", title=t("tooltip.evidence", lang))],
    ).properties(width=WIDTH, height=alt.Step(14 * len(statuses) + 10))
    return themed(chart)


def _truthy(value) -> bool:
    # is_target arrives as bool, 0/1, or 'true'/'false' text depending on where the table was read.
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "是"}
    return bool(value) if pd.notna(value) else False


@cache
def gbt_sections() -> dict[str, dict[str, str]]:
    """GB/T 4754 section letter -> {'zh': name, 'en': name} from data/gbt4754_sections.csv."""
    return {row["letter"]: {"zh": row["name_zh"], "en": row["name_en"]}
            for row in read_records("gbt4754_sections.csv")}


def section_label(section: object, lang: str) -> str:
    """'C 制造业' -> 'C 制造业' (zh) or 'C Manufacturing' (en); unknown values shown as they are."""
    text = "" if pd.isna(section) else str(section).strip()
    letter = text[:1].upper()
    names = gbt_sections().get(letter)
    return f"{letter} {names[lang]}" if names else text


def industries_matrix_chart(industries: pd.DataFrame, lang: str = "zh",
                            order: list[str] | None = None) -> alt.Chart:
    """Industries × units: a mark where a unit has or targets an industry, rows grouped by section.

    Input: industries rows; several rows for one unit × industry (several documents) are merged by
    the one status rule, features.industries.unit_industries ('has' wins, mentions add up).
    """
    check_lang(lang)
    data = unit_industries(industries)
    data["unit"] = data["unit"].astype(str)
    data["industry_label"] = data["industry" if lang == "zh" else "industry_en"].astype(str)
    data["section_label"] = data["gbt_section"].map(lambda s: section_label(s, lang))
    merged = data[["unit", "industry_label", "section_label", "status", "mentions"]].copy()
    merged["status_label"] = merged["status"].map(lambda s: label("status", s, lang))
    merged = merged.sort_values(["section_label", "industry_label"])
    statuses = list(STATUS_COLORS)
    # Industries run down the rows (their names are long and read best horizontally), grouped
    # under section headings; the few units run across the top, in the order given.
    chart = alt.Chart(merged, title=title("chart.industries.title", lang,
                                          "chart.industries.subtitle")).mark_square(
        size=170, opacity=1).encode(
        x=alt.X("unit:N", sort=ordered(merged["unit"], order), title=None,
                axis=alt.Axis(orient="top", labelAngle=0, grid=True, ticks=False, domain=False)),
        y=alt.Y("industry_label:N", sort=list(dict.fromkeys(merged["industry_label"])), title=None,
                axis=alt.Axis(grid=True, ticks=False, domain=False)),
        row=alt.Row("section_label:N", title=None, sort="ascending", spacing=6,
                    header=alt.Header(labelOrient="top", labelAngle=0, labelAlign="left",
                                      labelAnchor="start", labelFontSize=12, labelFontWeight=600,
                                      labelColor=MUTED, labelLimit=0)),
        color=alt.Color("status_label:N", title=t("legend.status", lang),
                        scale=alt.Scale(domain=[label("status", s, lang) for s in statuses],
                                        range=[STATUS_COLORS[s] for s in statuses])),
        tooltip=[alt.Tooltip("unit:N", title=t("axis.unit", lang)),
                 alt.Tooltip("industry_label:N", title=t("axis.industry", lang)),
                 alt.Tooltip("section_label:N", title=t("tooltip.section", lang)),
                 alt.Tooltip("status_label:N", title=t("legend.status", lang)),
                 alt.Tooltip("mentions:Q", title=t("tooltip.mentions", lang))],
    ).properties(width=alt.Step(max(STEP, 64)), height=alt.Step(STEP))
    # Each section lists only its own industries; units stay aligned across sections.
    return themed(chart.resolve_scale(y="independent"))


def distinctive_terms_chart(distinctive_terms: pd.DataFrame, lang: str = "zh", top_n: int = 10,
                            columns: int = 3, order: list[str] | None = None) -> alt.Chart:
    """Small multiples: each unit's `top_n` most distinctive terms as bars by score.

    Input columns: unit, term, score, count.
    """
    check_lang(lang)
    data = distinctive_terms.dropna(subset=["score"]).copy()
    data["unit"] = data["unit"].astype(str)
    data = (data.sort_values(["unit", "score"], ascending=[True, False])
            .groupby("unit", as_index=False).head(top_n))
    chart = alt.Chart(data, title=title("chart.terms.title", lang, "chart.terms.subtitle",
                                        n=top_n)).mark_bar(color=BAR_COLOR).encode(
        x=alt.X("score:Q", title=t("axis.score", lang), axis=alt.Axis(tickCount=3)),
        y=alt.Y("term:N", sort="-x", title=None),
        facet=alt.Facet("unit:N", columns=columns, title=None, sort=ordered(data["unit"], order),
                        header=alt.Header(labelFontSize=14, labelFontWeight=600, labelAnchor="start")),
        tooltip=[alt.Tooltip("unit:N", title=t("axis.unit", lang)),
                 alt.Tooltip("term:N", title=t("axis.term", lang)),
                 alt.Tooltip("score:Q", title=t("axis.score", lang), format=".3f"),
                 alt.Tooltip("count:Q", title=t("tooltip.count", lang))],
    ).properties(width=170, height=alt.Step(20))
    # Each unit has its own terms, so each panel needs its own y axis.
    return themed(chart.resolve_scale(y="independent"))


def cooccurrence_network_chart(nodes: pd.DataFrame, edges: pd.DataFrame,
                               lang: str = "zh") -> alt.LayerChart:
    """Node-link drawing from precomputed positions: edges under sized nodes, coloured by community, and
    term labels.

    Input columns: nodes term, x, y, weight, community; edges source, target, weight. Layout and
    communities come from elsewhere (analytics/analysis/network.py), so the same data always draws the
    same picture in the same colours.
    """
    check_lang(lang)
    positions = nodes.set_index("term")[["x", "y"]]
    lines = (edges.join(positions, on="source")
             .join(positions.rename(columns={"x": "x2", "y": "y2"}), on="target")
             .dropna(subset=["x", "y", "x2", "y2"]))
    lines = lines.assign(pair=lines["source"].astype(str) + " – " + lines["target"].astype(str))
    # Positions are arbitrary MDS units: no axes, no zero, just the picture.
    x = alt.X("x:Q", axis=None, scale=alt.Scale(zero=False, nice=False, padding=30))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(zero=False, nice=False, padding=30))
    edge = alt.Chart(lines).mark_rule(color="#9fb7cc").encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("weight:Q", title=t("legend.cooccurrence", lang),
                                    scale=alt.Scale(range=[0.5, 5]), legend=None),
        opacity=alt.value(0.7),
        tooltip=[alt.Tooltip("pair:N", title=t("tooltip.pair", lang)),
                 alt.Tooltip("weight:Q", title=t("legend.cooccurrence", lang))])
    node = alt.Chart(nodes).mark_circle(opacity=0.85).encode(
        x=x, y=y,
        size=alt.Size("weight:Q", title=t("legend.frequency", lang), scale=alt.Scale(range=[60, 900])),
        # Communities are numbered largest first: past ten colours repeat only on the smallest ones.
        color=alt.Color("community:N", title=t("legend.community", lang), scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip("term:N", title=t("axis.term", lang)),
                 alt.Tooltip("weight:Q", title=t("legend.frequency", lang)),
                 alt.Tooltip("community:N", title=t("legend.community", lang))])
    text = alt.Chart(nodes).mark_text(dy=-22, fontSize=13, fontWeight=500).encode(
        x=x, y=y, text="term:N")
    chart = alt.layer(edge, node, text, title=title("chart.network.title", lang,
                                                    "chart.network.subtitle"))
    return themed(chart.properties(width=WIDTH, height=420))


def units_map_chart(units: pd.DataFrame, lang: str = "zh") -> alt.LayerChart:
    """Units as labelled points at their longitude/latitude (no base map), coloured by kind.

    Input columns: unit, kind, longitude, latitude. Units without coordinates are left out.
    """
    check_lang(lang)
    data = units.dropna(subset=["longitude", "latitude"]).copy()
    data["unit"] = data["unit"].astype(str)
    data["kind_label"] = data["kind"].map(lambda k: label("kind", k, lang))
    data = data[["unit", "kind_label", "longitude", "latitude"]]
    base = alt.Chart(data).encode(longitude="longitude:Q", latitude="latitude:Q")
    points = base.mark_circle(size=90, opacity=0.9).encode(
        color=alt.Color("kind_label:N", title=t("legend.kind", lang)),
        tooltip=[alt.Tooltip("unit:N", title=t("axis.unit", lang)),
                 alt.Tooltip("kind_label:N", title=t("legend.kind", lang)),
                 alt.Tooltip("longitude:Q", title=t("axis.longitude", lang), format=".2f"),
                 alt.Tooltip("latitude:Q", title=t("axis.latitude", lang), format=".2f")])
    labels = base.mark_text(align="left", dx=8, fontSize=12).encode(text="unit:N")
    chart = alt.layer(points, labels, title=title("chart.map.title", lang)).project(type="mercator")
    return themed(chart.properties(width=WIDTH, height=380))


# ---- presentation ---------------------------------------------------------------------------------

PRESENTATION_SCALE = 1.45  # type read from the back of a seminar room on a 1366×768 projector
_SCALED_KEYS = {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize", "labelPadding",
                "titlePadding", "width", "height", "step", "symbolSize", "offset", "labelLimit", "limit"}


def _scaled(node, factor: float):
    if isinstance(node, dict):
        return {k: (v * factor if k in _SCALED_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool)
                    else _scaled(v, factor)) for k, v in node.items()}
    if isinstance(node, list):
        return [_scaled(v, factor) for v in node]
    return node


def presentation_chart(chart: alt.TopLevelMixin, factor: float = PRESENTATION_SCALE) -> alt.TopLevelMixin:
    """The chart with every font size, label limit, step, width and height multiplied by `factor`: the same
    chart, drawn for a projector (in the spec and its config alike, so no text keeps the screen size)."""
    spec = chart.to_dict()
    datasets = spec.pop("datasets", None)  # data values are left as they are
    scaled = _scaled(spec, factor)
    if datasets is not None:
        scaled["datasets"] = datasets
    return type(chart).from_dict(scaled, validate=False)


def as_svg(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart asking the browser's vega-embed for its SVG renderer (text stays text) rather than canvas."""
    shown = chart.copy(deep=False)
    shown.usermeta = {"embedOptions": {"renderer": "svg"}}
    return shown


# What Altair's active default theme adds to every spec, and Streamlit takes off again (it draws with theme "none").
_DEFAULT_THEME_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


def browser_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec the dashboard sends to the browser: as Streamlit's altair_chart would make it, but
    without validating it against the schema on every page run. Validation is most of a chart's cost on the
    server (about 0.1 s a chart, under a lock every session shares); every builder's spec is validated by the
    tests instead (tests/test_charts.py)."""
    spec = chart.to_dict(validate=False)
    view = spec.get("config", {}).get("view")
    if isinstance(view, dict):
        for key, value in _DEFAULT_THEME_VIEW.items():
            if view.get(key) == value:
                del view[key]
    return spec


def industry_sections_chart(industries: pd.DataFrame, lang: str = "zh", order: list[str] | None = None) -> alt.Chart:
    """GB/T 4754 sections × units: how many industries of the section a unit has and targets, for one 16:9
    screen (the industry matrix runs to dozens of rows). The same rows and status rule as the matrix."""
    check_lang(lang)
    data = unit_industries(industries)
    data["unit"] = data["unit"].astype(str)
    counts = (data.groupby(["gbt_section", "unit"])["status"]
              .agg(has=lambda s: int((s == "has").sum()), targets=lambda s: int((s == "targets").sum()))
              .reset_index())
    counts["section_label"] = counts["gbt_section"].map(lambda s: section_label(s, lang))
    counts["total"] = counts["has"] + counts["targets"]
    counts["cell"] = [t("chart.industry_sections.cell", lang, has=h, targets=g) for h, g in
                      zip(counts["has"], counts["targets"])]
    base = alt.Chart(counts, title=title("chart.industry_sections.title", lang,
                                         "chart.industry_sections.subtitle")).encode(
        x=alt.X("unit:N", sort=ordered(counts["unit"], order), title=None,
                axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False)),
        y=alt.Y("section_label:N", sort="ascending", title=None, axis=alt.Axis(ticks=False, domain=False)))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        # the numbers are written in the cells: the shade only helps the eye, it needs no legend
        color=alt.Color("has:Q", title=label("status", "has", lang), scale=alt.Scale(scheme="blues"),
                        legend=None),
        tooltip=[alt.Tooltip("unit:N", title=t("axis.unit", lang)),
                 alt.Tooltip("section_label:N", title=t("tooltip.section", lang)),
                 alt.Tooltip("has:Q", title=label("status", "has", lang)),
                 alt.Tooltip("targets:Q", title=label("status", "targets", lang))])
    text = base.mark_text(fontSize=12).encode(
        text="cell:N", color=alt.condition(alt.datum.has > 4, alt.value("white"), alt.value(TEXT_COLOR)))
    # compact rows: a projector enlarges them (presentation_chart), and a 1366×768 screen must hold them all
    return themed(alt.layer(cells, text).properties(width=alt.Step(max(STEP, 96)), height=alt.Step(STEP - 6)))
