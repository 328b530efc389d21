"""Passages -> tokens: a term is what a text names, never its numbers, dates, measures or report verbs."""
from __future__ import annotations

from analytics.pipeline.tokens import measure_tokens, non_term_pos, terms


def test_numbers_dates_measures_and_report_verbs_are_no_terms():
    text = ("全年地区生产总值完成58.3亿元，比上年增长6.2%。年末常住人口12.5万人，今年推进脐橙产业和稀土新材料，"
            "坚持绿色发展，同比下降3个百分点，乌珠穆沁羊存栏45万只，播种面积32万亩，装机容量达到120万千瓦。")
    found = terms(text)
    for content in ("脐橙", "稀土", "新材料", "生产总值", "播种面积", "装机容量"):
        assert content in found, content
    for noise in ("全年", "亿元", "上年", "增长", "年末", "万人", "今年", "推进", "坚持", "同比", "下降", "百分点",
                  "万亩", "万千瓦", "达到", "完成"):
        assert noise not in found, noise


def test_the_part_of_speech_list_and_the_measures_come_from_the_data():
    assert {"m", "q", "t", "v"} <= non_term_pos() and not {"n", "nz", "vn", "ns"} & non_term_pos()
    assert {"万人", "亿元", "万亩", "万千瓦", "公里"} <= measure_tokens()
    assert "脐橙" not in measure_tokens()
