"""A comparison of units -> one standalone, offline HTML report: interactive charts, evidence beneath.

Drawn from the same Comparison as the deck (analytics.views.compare); Vega-Lite is bundled inline so
the file opens without a network, and every document text is escaped.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from datetime import date

import pandas as pd
import vl_convert

from analytics.analysis.evidence import highlight_html
from analytics.corpus.corpus import Corpus
from analytics.export.files import vl_version, with_footer
from analytics.export.i18n import t
from analytics.report.deck import _scaled
from analytics.views.compare import Evidence, Progress, View, _report, _text, compare_view, split_title

HTML_CSS = """
:root { --text: #333; --muted: #666; --accent: #1f5f99; --band: #eef3f8; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
       "Microsoft YaHei", sans-serif; color: var(--text); margin: 0 auto; max-width: 1100px;
       padding: 24px 32px 48px; line-height: 1.6; }
header { border-top: 8px solid var(--accent); padding-top: 16px; }
h1 { font-size: 28px; margin: 0 0 4px; } h2 { font-size: 22px; margin: 0 0 2px; }
.units { font-size: 34px; font-weight: 700; margin: 4px 0; }
.meta, .subtitle, .footer, cite, .note { color: var(--muted); }
.subtitle { margin: 0 0 12px; } .footer { font-size: 12px; margin-top: 8px; }
nav ol { columns: 2; padding-left: 20px; } section { margin-top: 40px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 14px; }
th { background: var(--accent); color: #fff; text-align: left; }
th, td { padding: 6px 8px; border-bottom: 1px solid #dde3ea; vertical-align: top; white-space: pre-line; }
tbody tr:nth-child(even) { background: var(--band); }
td:first-child { font-weight: 600; }
.chart { overflow-x: auto; } .chart svg { max-width: 100%; height: auto; }
ol.evidence { font-size: 14px; padding-left: 22px; } ol.evidence li { margin-bottom: 8px; }
ol.evidence .label { font-weight: 600; display: block; }
mark { background: #ffe8a3; } cite { font-style: normal; font-size: 12px; display: block; }
ul.notes { font-size: 14px; }
button.print { float: right; font: inherit; padding: 4px 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, button.print, .vega-embed .vega-actions, .vega-embed summary { display: none !important; }
  section { break-before: page; margin-top: 0; }
  table, tr, figure, ol.evidence li, ul.notes li { break-inside: avoid; }
  th, td, tbody tr, header, mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .chart { overflow: visible; }
}
"""

EMBED_SCRIPT = """
for (const node of document.querySelectorAll("script.vl-spec")) {
  const spec = JSON.parse(node.textContent);
  window.vegaEmbed("#" + node.dataset.target, spec,
    {renderer: "svg", actions: {export: true, source: false, compiled: false, editor: false}})
    .catch((error) => { document.getElementById(node.dataset.target).textContent = String(error); });
}
"""


def script_safe_json(value) -> str:
    """JSON that cannot end the <script> element holding it: <, > and & are written as \\u escapes.

    Chart data carries document text (titles, terms); a title containing '</script>' must stay data.
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, from vl-convert (no network, cached by it)."""
    bundle = vl_convert.javascript_bundle(vl_version=vl_version())
    # Nothing in the bundle may close or comment out the <script> element that holds it.
    return re.sub(r"</(script)", r"<\\/\1", bundle, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _html_table(table: pd.DataFrame, empty: str = "—") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_text(v) or empty)}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_evidence(items: Sequence[Evidence], lang: str) -> str:
    if not items:
        return ""
    rows = "".join(
        f"<li><span class='label'>{html.escape(e.label)}</span>{highlight_html(e.before, e.match, e.after)}"
        f"<cite>{html.escape(e.location(lang))}</cite></li>"
        for e in items)
    return f"<h3>{html.escape(t('report.evidence', lang))}</h3><ol class='evidence'>{rows}</ol>"


def _html_section(view: View, lang: str, specs: list[tuple[str, dict]]) -> str:
    parts = [f"<section id='{view.slug}'><h2>{html.escape(view.title)}</h2>",
             f"<p class='subtitle'>{html.escape(view.subtitle)}</p>" if view.subtitle else ""]
    if view.chart is not None:
        target = f"chart-{view.slug}"
        bare, _, _ = split_title(view.chart)
        # The footer is drawn inside the chart, so a PNG/SVG saved from the chart menu is cited too.
        specs.append((target, with_footer(bare, view.footer).to_dict()))
        parts.append(f"<figure class='chart' id='{target}' role='img' aria-label='{html.escape(view.title, quote=True)}'>"
                     f"</figure>")
    elif view.table is not None:
        parts.append(_html_table(view.table))
        if view.table_note:
            parts.append(f"<p class='note'>{html.escape(view.table_note)}</p>")
    if view.gap_note:
        parts.append(f"<p class='note'>{html.escape(view.gap_note)}</p>")
    parts.append(f"<p class='footer'>{html.escape(view.footer)}</p>")
    parts.append(_html_evidence(view.evidence, lang))
    if view.notes:
        parts.append("<ul class='notes'>" + "".join(f"<li>{html.escape(n)}</li>" for n in view.notes) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def build_html_report(corpus: Corpus, units: Sequence[str], lang: str = "zh", progress: Progress = None,
                      exported: date | None = None, exclude: frozenset[str] | None = None) -> bytes:
    """The comparison as one self-contained HTML file (UTF-8): interactive charts, evidence, sources.

    Vega, Vega-Lite and Vega-Embed are inlined, so the file opens offline; all document text is
    escaped; print CSS puts each view on its own A4 page, so 'Print → Save as PDF' gives a report.
    """
    # No font check here: the viewer's browser draws the text, with the CSS and chart font stacks.
    comparison = compare_view(corpus, units, lang, exported, progress=_scaled(progress, 0.0, 0.6),
                              exclude=exclude)  # the generic words the user left out, as on the page
    lang_attr = "zh-CN" if lang == "zh" else "en"
    specs: list[tuple[str, dict]] = []
    sections = []
    for i, view in enumerate(comparison.views):
        _report(progress, 0.6 + 0.2 * i / len(comparison.views), t("report.progress.render", lang, view=view.title))
        sections.append(_html_section(view, lang, specs))
    sources_title = t("report.sources.title", lang)
    sections.append(f"<section id='sources'><h2>{html.escape(sources_title)}</h2><p class='subtitle'>"
                    f"{html.escape(t('report.sources.subtitle', lang, cited=len(comparison.sources), total=comparison.n_documents))}"
                    f"</p>{_html_table(comparison.sources)}</section>")
    toc = "".join(f"<li><a href='#{v.slug}'>{html.escape(v.title)}</a></li>" for v in comparison.views)
    toc += f"<li><a href='#sources'>{html.escape(sources_title)}</a></li>"
    _report(progress, 0.85, t("report.progress.render", lang, view="Vega-Lite"))
    spec_tags = "".join(f"<script type='application/json' class='vl-spec' data-target='{target}'>"
                        f"{script_safe_json(spec)}</script>" for target, spec in specs)
    units_line = t("report.unit_separator", lang).join(comparison.units)
    page = f"""<!doctype html>
<html lang="{lang_attr}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="CountyLens">
<title>{html.escape(comparison.title)}：{html.escape(units_line)}</title>
<style>{HTML_CSS}</style>
</head>
<body>
<header>
<button class="print" type="button" onclick="window.print()">{html.escape(t("report.print", lang))}</button>
<h1>{html.escape(comparison.title)}</h1>
<p class="units">{html.escape(units_line)}</p>
<p class="meta">{html.escape(t("report.date", lang, date=comparison.exported.isoformat()))}<br>{html.escape(comparison.corpus_line)}</p>
<p class="footer">{html.escape(comparison.footer)}</p>
</header>
<nav><h2>{html.escape(t("report.contents", lang))}</h2><ol>{toc}</ol></nav>
{"".join(sections)}
<footer class="footer">{html.escape(t("footer.made_with", lang))}</footer>
{spec_tags}
<script type="module">{javascript_bundle()}</script>
<script type="module">{EMBED_SCRIPT}</script>
</body>
</html>
"""
    _report(progress, 1.0, t("report.progress.done", lang))
    return page.encode("utf-8")


