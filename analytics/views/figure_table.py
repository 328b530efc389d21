"""Key figures -> the comparison table: units × canonical indicators, as the page, the exports, the deck, the
HTML report and the Overview show it.

One call (`comparison_table`) gives the cells (one row per unit × indicator: the figure chosen by
analytics.features.key_figures, with its comparability mark and reason), the units' evidence (characters,
passages and documents behind each unit, thin ones flagged), the display table (text cells for slides and
reports), the typed rows of a download, and the HTML the Compare page shows. Everything downstream reads
this one result, so a cell says the same on screen, in Excel and on a slide.

>>> table = comparison_table(load_corpus(), ["沁源县", "岚县"], "zh")   # doctest: +SKIP
>>> table.display, table.export                                          # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import escape

import pandas as pd

from analytics.analysis.evidence import evidence_parts, highlight_html
from analytics.export.i18n import label, t
from analytics.features.indicators import names as indicator_names
from analytics.features.indicators import qualifier_or_default
from analytics.features.key_figures import default_indicators, indicator_slots, key_figures, selection_indicators
from analytics.views.shared import format_value, key_figure_mark, localize, span_label

# A unit whose passages hold fewer characters than this rests on a paragraph or two (a mention in another
# place's report): its figures and shares are shown, flagged, never silently beside a full report.
THIN_EVIDENCE_CHARS = 1000
# Indicator columns per table: ten fit a 1366 px laptop beside the sidebar with every number whole (the
# browser test measures it); more continue in a table below.
COLUMNS_PER_TABLE = 10

# The typed columns of a comparison download: numbers as numbers, the measure and the normalized value
# beside them, what the figure measures, where it comes from.
EXPORT_COLUMNS = ["unit", "indicator_id", "indicator_zh", "indicator_en", "indicator", "qualifier", "value",
                  "measure", "value_normalized", "measure_normalized", "year", "status", "period", "entity",
                  "comparable", "why", "low_confidence", "document", "doc_id", "evidence", "start", "end"]


@dataclass
class ComparisonTable:
    units: list[str]               # row order (sorted when asked)
    columns: pd.DataFrame          # the indicator columns shown: slot, slot_zh, slot_en, indicator_id, qualifiers
    options: list[str]             # every canonical indicator the selection has, columns to choose from
    default_columns: list[str]     # the indicators comparable for most of the selection: the columns unless chosen
    cells: pd.DataFrame            # key_figures rows of the shown columns (+ indicator names, document title)
    evidence: pd.DataFrame         # unit, n_chars, n_passages, n_documents, thin
    lang: str

    @property
    def display(self) -> pd.DataFrame:
        """Units × indicators as text ('18.7万人 · 2023', '*' target, '†' not comparable): slides, reports."""
        unit_col = label("col", "unit", self.lang)
        names = self.column_names
        rows = []
        for unit in self.units:
            row = {unit_col: unit}
            for ident, name in names.items():
                card = self.cell(unit, ident)
                row[name] = cell_text(card, self.lang) if card else ""
            rows.append(row)
        return pd.DataFrame(rows, columns=[unit_col, *names.values()])

    @cached_property
    def _by_unit_and_indicator(self) -> dict[tuple[str, str], dict]:
        return {(r["unit"], r["indicator_id"]): r for r in self.cells.to_dict("records")}

    def cell(self, unit: str, indicator_id: str) -> dict | None:
        """The figure of one cell (a key_figures row as a dict), or None where the unit has none."""
        return self._by_unit_and_indicator.get((unit, indicator_id))

    def comparable_cells(self, indicator_id: str) -> list[dict]:
        """The column's cells that can be set side by side (comparable, a normalized value, one normalized
        measure), in row order; [] when fewer than two: what the summary's gaps and the deck's charts read."""
        cells = [c for u in self.units if (c := self.cell(u, indicator_id)) and c["comparable"]
                 and pd.notna(c["value_normalized"])]
        return cells if len(cells) >= 2 and len({c["measure_normalized"] for c in cells}) == 1 else []

    @property
    def option_names(self) -> dict[str, str]:
        """The name of every indicator that can be a column, as its column would be headed."""
        slot_name = "slot_zh" if self.lang == "zh" else "slot_en"
        slots = indicator_slots(self.options)
        return dict(zip(slots["indicator_id"], slots[slot_name]))

    @property
    def column_names(self) -> dict[str, str]:
        slot_name = "slot_zh" if self.lang == "zh" else "slot_en"
        return dict(zip(self.columns["indicator_id"], self.columns[slot_name]))

    @property
    def export(self) -> pd.DataFrame:
        """The cells as typed rows for CSV / XLSX (typed_figures), in the table's row order."""
        order = {u: i for i, u in enumerate(self.units)}
        rows = self.cells.assign(_u=self.cells["unit"].map(order)).sort_values(["_u"], kind="stable")
        return typed_figures(rows, self.lang)

    @property
    def thin_units(self) -> list[str]:
        return self.evidence.loc[self.evidence["thin"], "unit"].tolist()


def typed_figures(figures: pd.DataFrame, lang: str, document_label=None) -> pd.DataFrame:
    """Figures (or key-figure cells) as typed download rows: value a number, year an integer, offsets
    integers, what the figure measures named (canonical id, zh, en; qualifier, status, period, entity), and
    where it comes from (document, doc_id, the sentence, offsets). Headers in `lang`."""
    rows = figures if "indicator_zh" in figures else with_indicator_names(figures)
    rows = rows.assign(
        status=[label("figure_status", s, lang) for s in figures["status"]],
        qualifier=[label("qualifier", q, lang) if q else "" for q in figures["qualifier"].fillna("")],
        period=[label("period", p, lang) if p else "" for p in figures["period"].fillna("")],
        entity=figures["entity"].fillna("") if "entity" in figures else "",
        year=pd.array(figures["year"], dtype="Int64"))
    if "document" not in rows:
        rows = rows.assign(document=[document_label(d) if document_label else d for d in rows["doc_id"]])
    if "why" in rows:
        rows = rows.assign(why=[t(f"comparable.{w}", lang) if w else "" for w in rows["why"].fillna("")])
    columns = [c for c in EXPORT_COLUMNS if c in rows]
    return localize(rows[columns].reset_index(drop=True), lang)


def with_indicator_names(figures: pd.DataFrame) -> pd.DataFrame:
    """The rows with the catalogue's zh and en name of their canonical indicator."""
    names = [indicator_names(i) for i in figures["indicator_id"]]
    return figures.assign(indicator_zh=[zh for zh, _ in names], indicator_en=[en for _, en in names])


def unit_evidence(tables: dict[str, pd.DataFrame], units: list[str]) -> pd.DataFrame:
    """What each unit rests on: characters and passages of its own, the documents they come from."""
    passages = tables["passages"]
    mine = passages[passages["unit"].isin(units)]
    stats = mine.groupby("unit").agg(n_chars=("text", lambda s: int(s.str.len().sum())),
                                     n_passages=("text", "size"), n_documents=("doc_id", "nunique"))
    stats = stats.reindex(units).fillna(0).astype(int).rename_axis("unit").reset_index()
    return stats.assign(thin=stats["n_chars"] < THIN_EVIDENCE_CHARS)


def evidence_caption(stats, lang: str) -> str:
    """'11,230 字 · 24 段 · 3 篇' (a row of unit_evidence) — and the thin-evidence flag where it applies."""
    text = t("compare.evidence_counts", lang, chars=f"{int(stats['n_chars']):,}", passages=int(stats["n_passages"]),
             documents=int(stats["n_documents"]))
    return text + (" · " + t("compare.thin", lang) if stats["thin"] else "")


def cell_meta(card, lang: str, with_year: bool = True) -> list[str]:
    """What a cell's value is, beyond the column's name: its year, a qualifier other than the indicator's
    default (城镇居民 under 人均可支配收入), a status other than actual, a period, and whether OCR was unsure
    of the line it was read from."""
    qualifier = card["qualifier"] or ""
    shown_qualifier = qualifier and qualifier != qualifier_or_default(card["indicator_id"], "")
    return [m for m in (str(int(card["year"])) if with_year and pd.notna(card["year"]) else "",
                        label("qualifier", qualifier, lang) if shown_qualifier else "",
                        label("figure_status", card["status"], lang) if card["status"] != "actual" else "",
                        label("period", card["period"], lang) if card["period"] else "",
                        t("meta.low_confidence", lang) if _flagged(card) else "") if m]


def _flagged(card) -> bool:
    """A figure read from a line OCR was unsure of (check it against the page before quoting it)."""
    flag = card.get("low_confidence", False) if hasattr(card, "get") else False
    return bool(flag) and not pd.isna(flag)


def cell_text(card, lang: str) -> str:
    """A cell as text: value and measure, what it is ('2021, 城镇居民'), '*' a target, '†' not comparable."""
    meta = cell_meta(card, lang)
    return (format_value(card["value"], card["measure"]) + (f" ({', '.join(meta)})" if meta else "")
            + key_figure_mark(card["is_target"], bool(card["comparable"])))


# Row orders other than an indicator column: the administrative division code (the order of a statistical
# yearbook: province, prefecture, county; a zone after its host county) and the evidence behind each unit.
SORT_BY_PLACE = "division_code"
SORT_BY_EVIDENCE = "evidence_chars"
ROW_SORT_LABELS = {SORT_BY_PLACE: "option.sort_division_code", SORT_BY_EVIDENCE: "option.sort_evidence_chars"}
ROW_SORTS = tuple(ROW_SORT_LABELS)


def default_descending(sort_by: str) -> bool:
    """The direction a sort starts in: division codes in the yearbook's order, numbers largest first."""
    return sort_by != SORT_BY_PLACE


def row_sort_keys(units_table: pd.DataFrame, evidence: pd.DataFrame) -> dict[str, dict[str, tuple]]:
    """For each of ROW_SORTS, each unit's sort key. A unit without a code sorts after those with one."""
    places = units_table.drop_duplicates("unit").set_index("unit")
    codes = {u: str(c) for u, c in places["adcode"].items() if pd.notna(c) and str(c)}
    zones = set(places.index[places["kind"].eq("zone")])
    division = {u: (codes.get(u, "~"), u in zones, u) for u in evidence["unit"]}
    chars = {u: (int(n),) for u, n in zip(evidence["unit"], evidence["n_chars"])}
    return {SORT_BY_PLACE: division, SORT_BY_EVIDENCE: chars}


def sorted_units(cells: pd.DataFrame, units: list[str], by: str = "", descending: bool = True,
                 row_keys: dict[str, dict[str, tuple]] | None = None) -> list[str]:
    """The units ordered by one indicator column (normalized values; units without it last), by one of
    ROW_SORTS (`row_keys`, from row_sort_keys), or as chosen."""
    if not by:
        return list(units)
    if row_keys and by in row_keys:
        return sorted(units, key=row_keys[by].__getitem__, reverse=descending)
    column = cells[cells["indicator_id"] == by].set_index("unit")
    values, fair = column["value_normalized"], column["comparable"].astype(bool)
    # units with a comparable value first, by it; a † value after them, by its own; units without one last
    ranked = []
    for keep in (True, False):
        group = [u for u in units if u in values.index and pd.notna(values[u]) and fair[u] == keep]
        ranked += sorted(group, key=lambda u: values[u], reverse=descending)
    return ranked + [u for u in units if u not in ranked]


def comparison_table(corpus, units: list[str], lang: str = "zh", indicators: list[str] | None = None,
                     sort_by: str = "", descending: bool = True) -> ComparisonTable:
    """The comparison table of `units`: columns `indicators` (default: features.key_figures.default_indicators,
    those comparable for most of the units, shown in the reviewed list's order), rows sorted by `sort_by` (an indicator id or one of ROW_SORTS; '' keeps the
    selection order)."""
    figures = corpus["figures"]
    options = selection_indicators(figures, units)
    every_card = key_figures(figures, units, options)  # one column's cards do not depend on the others
    default = default_indicators(every_card, options)
    wanted = set(indicators) if indicators is not None else set(default)
    chosen = [o for o in options if o in wanted]  # always in the options' order: the reviewed list's first
    columns = indicator_slots(chosen)
    cards = with_indicator_names(every_card[every_card["indicator_id"].isin(chosen)].reset_index(drop=True))
    cards = cards.assign(document=[corpus.document_label(d) for d in cards["doc_id"]])
    evidence = unit_evidence(corpus.tables, units)
    sortable = set(columns["indicator_id"]) | set(ROW_SORTS)
    order = sorted_units(cards, units, sort_by if sort_by in sortable else "", descending,
                         row_sort_keys(corpus.tables["units"], evidence))
    evidence = evidence.set_index("unit").loc[order].reset_index()
    return ComparisonTable(order, columns, options, default, cards, evidence, lang)


TABLE_CSS = """
<style>
.cl-table {border-collapse: collapse; width: 100%; table-layout: auto; font-size: 0.95rem; line-height: 1.35;}
.cl-table th, .cl-table td {border-bottom: 1px solid #dde3ea; padding: 0.45rem 0.5rem; vertical-align: top;
  text-align: left; overflow-wrap: anywhere;}
.cl-table thead th {background: #1f5f99; color: #fff; font-weight: 600; position: sticky; top: 0;}
.cl-table tbody tr:nth-child(even) {background: #eef3f8;}
.cl-table .cl-unit {font-weight: 600; min-width: 6.5em;}
.cl-table .cl-unit small, .cl-table .cl-meta {display: block; color: #666; font-weight: 400; font-size: 0.8em;}
.cl-table .cl-thin {color: #b45309;}
.cl-table .cl-num {white-space: nowrap; font-weight: 600; font-variant-numeric: tabular-nums;}
.cl-table .cl-odd .cl-num {color: #8a5a00;}
.cl-table details summary {cursor: pointer; list-style: none;}
.cl-table details summary::-webkit-details-marker {display: none;}
.cl-table .cl-evidence {font-size: 0.85em; margin-top: 0.3rem; color: #333; max-width: 28em;}
.cl-table .cl-evidence mark {background: #ffe8a3;}
.cl-table .cl-empty {color: #999;}
.cl-table + .cl-table {margin-top: 0.8rem;}
.cl-note {color: #666; font-size: 0.85rem; margin-top: 0.4rem;}
</style>
"""


def _cell_html(card, clean_text: Callable[[str], str], lang: str) -> str:
    number = format_value(card["value"], "")
    measure = card["measure"] or ""
    mark = key_figure_mark(card["is_target"], bool(card["comparable"]))
    meta = cell_meta(card, lang)
    why = t(f"comparable.{card['why']}", lang) if card["why"] else ""
    text = clean_text(card["doc_id"])
    before, match, after = evidence_parts(text, int(card["start"]), int(card["end"]))
    source = escape(f"{card['document']} · {span_label(text, card['start'], card['end'], lang)}")
    title = escape(" · ".join(x for x in (card["indicator"], why) if x), quote=True)
    return (f"<td class='cl-cell{' cl-odd' if why else ''}' title='{title}' data-indicator='{escape(card['indicator_id'])}'>"
            f"<details><summary><span class='cl-num'>{escape(number)}</span>{escape(measure)}{escape(mark)}"
            f"<span class='cl-meta'>{escape(' · '.join(meta))}</span></summary>"
            f"<div class='cl-evidence'>{highlight_html(before, match, after)}<br><small>{source}</small></div>"
            f"</details></td>")


def _unit_header(unit: str, stats, caption: str, lang: str) -> str:
    flag = " cl-thin" if stats["thin"] else ""
    thin_title = escape(t("compare.thin_help", lang, n=THIN_EVIDENCE_CHARS), quote=True) if stats["thin"] else ""
    return (f"<th class='cl-unit' scope='row'><span class='cl-name'>{escape(unit)}</span>"
            f"<small class='cl-place'>{escape(caption)}</small>"
            f"<small class='cl-counts{flag}' title='{thin_title}'>{escape(evidence_caption(stats, lang))}</small></th>")


def table_html(table: ComparisonTable, clean_text: Callable[[str], str], captions: dict[str, str]) -> str:
    """The comparison table as HTML (every document text escaped): a cell opens its sentence, hovering a
    marked cell says why it is not comparable, each unit says what it rests on. More than COLUMNS_PER_TABLE
    indicators continue in a second table under the first (units repeated), so no value is squeezed off a
    laptop screen."""
    lang = table.lang
    names = list(table.column_names.items())
    evidence = table.evidence.set_index("unit")
    headers = {unit: _unit_header(unit, evidence.loc[unit], captions.get(unit, ""), lang) for unit in table.units}
    blocks = []
    for first in range(0, max(len(names), 1), COLUMNS_PER_TABLE):
        shown = names[first:first + COLUMNS_PER_TABLE]
        head = "".join(f"<th>{escape(n)}</th>" for n in [t("col.unit", lang), *(name for _, name in shown)])
        rows = []
        for unit in table.units:
            cards = [table.cell(unit, ident) for ident, _ in shown]
            if shown and not any(cards):  # a row of dashes says nothing: say why it is empty
                cells = [headers[unit], f"<td class='cl-empty' colspan='{len(shown)}'>"
                                        f"{escape(t('compare.empty_row', lang))}</td>"]
            else:
                cells = [headers[unit], *(_cell_html(card, clean_text, lang) if card else "<td class='cl-empty'>—</td>"
                                          for card in cards)]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        blocks.append(f"<table class='cl-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return TABLE_CSS + "".join(blocks)


def text_table_html(table: pd.DataFrame, empty: str = "—") -> str:
    """Any table of text in the comparison table's style (escaped; the first column a row header)."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    rows = "".join("<tr><th class='cl-unit' scope='row'>" + escape(str(row[0])) + "</th>"
                   + "".join(f"<td>{escape(str(v)) if v else empty}</td>" for v in row[1:]) + "</tr>"
                   for row in table.itertuples(index=False))
    return f"{TABLE_CSS}<table class='cl-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def table_note(table: ComparisonTable) -> str:
    """What the marks mean, why each † cell is not comparable, and which units rest on thin evidence."""
    lang = table.lang
    cells = table.cells
    notes = [t("report.target_note", lang)] if cells["is_target"].any() else []
    odd = cells[~cells["comparable"].astype(bool)]
    if len(odd):
        name = "indicator_zh" if lang == "zh" else "indicator_en"
        reasons = "; ".join(f"{r.unit} · {getattr(r, name)}: {t('comparable.' + r.why, lang)}"
                            for r in odd.itertuples())
        notes.append(t("report.incomparable_note", lang).format(reasons=reasons))
    empty = [u for u in table.units if not (cells["unit"] == u).any()]
    if empty and len(table.columns):
        notes.append(t("compare.empty_note", lang, units="、".join(empty)))
    notes.append(thin_note(table.evidence, lang))
    return " ".join(n for n in notes if n)


def thin_note(evidence: pd.DataFrame, lang: str) -> str:
    """'资料单薄（原文不足 1000 字）：永济市、长治经开区' for the units of unit_evidence below the threshold, or ''."""
    thin = evidence.loc[evidence["thin"], "unit"].tolist()
    return t("compare.thin_note", lang, units="、".join(thin), n=THIN_EVIDENCE_CHARS) if thin else ""
