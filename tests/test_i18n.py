"""UI strings: every key in both languages, every key the code names is defined."""
from __future__ import annotations

import ast
import csv
import re
import string
from pathlib import Path

import pytest

from analytics.export import i18n
from analytics.paths import data_file

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted([*(ROOT / "analytics").rglob("*.py"), *(ROOT / "app_pages").glob("*.py"),
               *ROOT.glob("app.py")])
GROUPS = sorted({key.split(".")[0] for key in i18n.strings()})
KEY_LIKE = re.compile(rf"^({'|'.join(GROUPS)})\.[a-z0-9_]+(\.[a-z0-9_]+)*$")
FILE_NAME = re.compile(r"\.(csv|tsv|txt|py|json|png|svg|xlsx)$")


def rows() -> list[dict[str, str]]:
    with data_file("ui_strings.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_key_has_both_languages_and_is_unique():
    keys = [row["key"] for row in rows()]
    assert len(keys) == len(set(keys)), "duplicate keys"
    for row in rows():
        assert set(row) == {"key", "zh", "en"}, row
        assert row["zh"].strip() and row["en"].strip(), row["key"]


def test_placeholders_match_between_languages():
    for row in rows():
        names = [{f for _, f, _, _ in string.Formatter().parse(row[lang]) if f} for lang in i18n.LANGS]
        assert names[0] == names[1], row["key"]


def test_chinese_text_is_chinese():
    for row in rows():
        if row["key"].startswith(("page.", "category.", "status.", "kind.", "legend.")):
            assert re.search(r"[\u4e00-\u9fff]", row["zh"]), row["key"]


def code_strings() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.setdefault(node.value, set()).add(path.name)
    return found


def test_every_key_used_in_code_exists():
    # Any string literal shaped like a key (e.g. passed through a helper, not only to t()).
    used = {s: where for s, where in code_strings().items() if KEY_LIKE.match(s) and not FILE_NAME.search(s)}
    assert used, "the key scan found nothing: is the pattern stale?"
    missing = {s: sorted(where) for s, where in used.items() if not i18n.has_key(s)}
    assert not missing


def test_label_groups_used_in_code_exist():
    # label("status", value) and t(f"tab.{slug}") need their group to exist in the strings file.
    groups = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args
                    and isinstance(node.args[0], ast.JoinedStr) and node.args[0].values
                    and isinstance(node.args[0].values[0], ast.Constant)):
                prefix = node.args[0].values[0].value
                if prefix.endswith("."):
                    groups.add(prefix[:-1])
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "label"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                groups.add(node.args[0].value)
    assert groups
    for group in groups:
        assert i18n.group_keys(group), group


def test_required_keys():
    pages = {"overview": ("概览", "Overview"), "compare": ("对比", "Compare"),
             "similarity": ("相似度", "Similarity"), "themes": ("主题", "Themes"), "figures": ("数据", "Figures")}
    for name, (zh, en) in pages.items():
        assert (i18n.t(f"page.{name}"), i18n.t(f"page.{name}", "en")) == (zh, en)
    categories = ["demography", "economy", "ecology", "tourism", "investment", "agriculture",
                  "industry", "infrastructure", "other"]
    assert set(categories) <= set(i18n.group_keys("category"))
    assert i18n.label("status", "has") == "已有" and i18n.label("status", "targets") == "目标"
    for fmt in ("png", "svg", "csv", "xlsx"):
        assert i18n.t(f"button.download_{fmt}") == f"下载 {fmt.upper()}"


def test_t_formats_defaults_to_chinese_and_rejects_unknowns():
    assert i18n.t("chart.terms.subtitle", n=5) == "每个单位前 5 个"
    assert i18n.t("chart.terms.subtitle", "en", n=5) == "Top 5 per unit"
    with pytest.raises(KeyError, match="ui_strings.csv"):
        i18n.t("no.such.key")
    with pytest.raises(ValueError):
        i18n.t("page.overview", "fr")


def test_label_shows_unknown_values_as_they_are():
    assert i18n.label("category", "economy", "en") == "Economy"
    assert i18n.label("category", "新类别") == "新类别"
