"""The gazetteer sweep: does every county-level unit get its own figure, in every way texts name it?

`python -m analytics.evaluate --sweep [--every K]` writes, for every county-level division of the
gazetteer (mainland China), one short text in each of these forms and runs them through the engine:

- `full`: a text about the unit by its full name (沁源县2023年地区生产总值达到…) — the figure and the
  document are the unit's;
- `after_prefecture`: its short name right after its prefecture's (长治沁源森林覆盖率…) inside a
  prefecture's text — the figure is the unit's;
- `in_list`: its short name in a 分别 list with two neighbours of its prefecture — each value goes to
  its own unit;
- `everyday`: a text about the unit by its full name that uses the everyday words some division names
  are made of (合作社, 资源, 通道, 和平, 城区, 矿区 …) — the figures and the document stay with the unit.

A unit passes a form when the engine credits the planted figure (and, for `full` and `everyday`, the
document) to it. The report gives the share of units passing every form, and the failures by form.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.pipeline.gazetteer import everyday_forms, load_gazetteer

FORMS = ("full", "after_prefecture", "in_list", "everyday")
_OUTSIDE = ("台湾省", "香港特别行政区", "澳门特别行政区")
_SELF = {"county": "全县", "county_city": "全市", "district": "全区"}
BATCH = 400


@dataclass(frozen=True)
class Probe:
    doc_id: str
    form: str
    unit: str            # the unit's display name (a shared name is prefixed: 阳泉市城区)
    value: float         # the planted figure
    own_document: bool   # whether the document must be the unit's too


def _units(every: int = 1) -> pd.DataFrame:
    """The county-level divisions of the mainland, with their display names and list neighbours."""
    from analytics.pipeline.units import _display_names

    g = load_gazetteer().reset_index(drop=True)
    g = g.assign(display=_display_names(g))
    county = g[(g["level"] == "county") & ~g["province"].isin(_OUTSIDE)].reset_index(drop=True)
    return county.iloc[::every].reset_index(drop=True), g


def _self_word(name: str, kind: str) -> str:
    return "全旗" if name.endswith("旗") else _SELF.get(kind, "全县")


def probes(every: int = 1) -> tuple[list[Probe], pd.DataFrame]:
    """(the probes, their documents as the engine's input) for every `every`-th unit."""
    units, g = _units(every)
    shorts = dict(zip(g["adcode"], g["short_name"]))
    prefecture_short = {n: s for n, s, lv in zip(g["name"], g["short_name"], g["level"]) if lv == "prefecture"}
    province_short = {n: s for n, s, lv in zip(g["name"], g["short_name"], g["level"]) if lv == "province"}
    siblings = g[g["level"] == "county"].groupby(["province", "prefecture"])["adcode"].apply(list).to_dict()
    out: list[Probe] = []
    docs: list[dict] = []

    def add(form: str, unit: str, text: str, value: float, own: bool) -> None:
        doc_id = f"{form}:{len(docs)}"
        out.append(Probe(doc_id, form, unit, value, own))
        docs.append({"doc_id": doc_id, "file_name": f"{doc_id}.txt", "source": "sweep", "format": "txt",
                     "encoding": "utf-8", "raw_text": text})

    area_shorts = set(prefecture_short.values()) | set(province_short.values())
    shared = set(g.loc[g["name"].duplicated(keep=False), "name"])
    everyday = everyday_forms()

    shared_shorts = set(g.loc[g["short_name"].duplicated(keep=False), "short_name"])

    def written(adcode: str, name: str) -> str:
        # as texts write a unit in a list or after its prefecture: its short name, unless that is also a
        # prefecture's or province's (南昌县, never 南昌) or another division's (伊宁县 and 伊宁市)
        short = shorts[adcode]
        return name if short in area_shorts or short in shared_shorts else short

    for i, u in enumerate(units.itertuples(index=False)):
        value = round(10 + (i % 900) * 0.7, 1)
        self_word = _self_word(u.name, u.kind)
        area = u.prefecture or u.province
        area_short = prefecture_short.get(area) or province_short.get(area) or area
        # a name several divisions share (鼓楼区) or an everyday word (城区) is written after its prefecture,
        # as a reader needs it too
        full = f"{area}{u.name}" if u.name in shared or u.name in everyday else u.name
        add("full", u.display, f"{full}2023年地区生产总值达到{value}亿元，同比增长5.2%。{self_word}森林覆盖率"
                               f"稳步提升。", value, True)
        short = written(u.adcode, u.name)
        # a unit with no short form follows its prefecture's full name (内江市市中区, never 内江市中区)
        lead = area if short == u.name else area_short
        add("after_prefecture", u.display, f"{area}各县（市、区）生态建设情况\n2023年，{lead}{short}森林覆盖率"
                                           f"达到{value}%，居全市前列。", value, False)
        peers = [c for c in siblings.get((u.province, u.prefecture), []) if c != u.adcode][:2]
        if len(peers) == 2:
            names = [written(peers[0], ""), short, written(peers[1], "")]
            names = [n or g.loc[g["adcode"] == c, "name"].iat[0] for n, c in zip(names, [peers[0], u.adcode, peers[1]])]
            add("in_list", u.display, f"{area}2023年县域经济运行情况\n分县（市、区）看，{names[0]}、{names[1]}、"
                                      f"{names[2]}地区生产总值分别为{value + 100}亿元、{value}亿元、"
                                      f"{value + 200}亿元。", value, False)
        add("everyday", u.display, f"{u.name}位于{u.province}{u.prefecture}。近年来，{self_word}发展农民专业"
                                   f"合作社120家，深化区域合作，旅游资源丰富，打通物流大通道，守护和平安宁，"
                                   f"推进老城区和老矿区改造。2023年，{self_word}地区生产总值达到{value}亿元。",
            value, True)
    return out, pd.DataFrame(docs)


def sweep(every: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per probe: form, unit, passed, got — the unit the figure went to —, place; the report: one
    row per form and one for units passing every form)."""
    from analytics.corpus.engine import analyse_documents

    found, documents = probes(every)
    figures, places = [], []
    for start in range(0, len(documents), BATCH):
        tables = analyse_documents(documents.iloc[start:start + BATCH])
        figures.append(tables["figures"][["doc_id", "unit", "value"]])
        places.append(tables["documents"][["doc_id", "place"]])
    figs = pd.concat(figures, ignore_index=True)
    place = pd.concat(places, ignore_index=True).set_index("doc_id")["place"].to_dict()
    by_doc = {doc: group for doc, group in figs.groupby("doc_id")}
    rows = []
    for p in found:
        got = by_doc.get(p.doc_id, pd.DataFrame(columns=["unit", "value"]))
        units = set(got.loc[(got["value"] - p.value).abs() < 1e-6, "unit"])
        passed = p.unit in units and (not p.own_document or place.get(p.doc_id) == p.unit)
        rows.append({"form": p.form, "unit": p.unit, "passed": passed, "got": "|".join(sorted(units)),
                     "place": place.get(p.doc_id, "")})
    result = pd.DataFrame(rows)
    report = result.groupby("form", sort=False)["passed"].agg(["size", "sum", "mean"]).reset_index()
    report.columns = ["form", "units", "passed", "share"]
    every_form = result.groupby("unit")["passed"].all()
    report.loc[len(report)] = ["every form", len(every_form), int(every_form.sum()), float(every_form.mean())]
    return result, report
