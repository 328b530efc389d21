"""Nothing a user or a document controls is rendered as markup: every page, run with a document whose title,
text and file name carry markdown, HTML, KaTeX and directive payloads, and with those payloads in every URL
parameter, shows them as text (no image, link, formula, coloured span or HTML element results)."""
from __future__ import annotations

import os
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest  # noqa: F401 (the element tree's type, in shown_texts)

from analytics.corpus.library import add_files, open_store
from analytics.paths import STORE_ENV
from analytics.pipeline.ingest import document_id
from tests.conftest import ROOT
from tests.test_app import chart_values, open_page

BEACON = "//127.0.0.1:8999/beacon.png"
PAYLOADS = [f"![图]({BEACON})", "[会话已过期，请点此重新登录](http://evil.example/login)",
            f"<img src={BEACON}>", "$\\frac{1}{2}$", ":red[警告]", "**粗体**",
            "会话已过期，请重新登录 https://evil.example/relogin www.evil.example admin@evil.example"]
PAYLOAD = " ".join(PAYLOADS)
DOCUMENT = (f"{PAYLOAD}岚县发展报告\n"
            f"岚县坚持生态立县，{PAYLOAD}全县森林覆盖率达到百分之三十六。岚县马铃薯种植面积20万亩。\n").encode()
FILE_NAME = "![x](y)$a$:red[b].txt"
SEED_002 = next(p.name for p in (ROOT / "seeds").glob("002_*.txt"))
# Where a rendered payload would show: an unescaped markdown image or link, an HTML element, a $…$ formula,
# a colour directive (each marker not preceded by the backslash that escapes it).
RENDERED = [re.compile(p) for p in (r"(?<!\\)!\[", r"(?<!\\)\]\(", r"(?<!\\)<img", r"(?<!\\)<a\s", r"(?<!\\)\$[^$\s][^$]*(?<!\\)\$",
                                    r"(?<!\\):red\[", r"(?<![\\*])\*\*粗",
                                    # a bare URL, www. or e-mail address the renderer would make a live link
                                    r"(?i)https?\\?:", r"(?i)www\\?\.", r"\w\\?@\w")]
PAGES = {"overview": {}, "compare": {"units": f"岚县,{PAYLOAD}", "tab": PAYLOAD},
         "similarity": {"level": "document", "keys_document": ",".join(
             [document_id(DOCUMENT), document_id((ROOT / "seeds" / SEED_002).read_bytes()), PAYLOAD])},
         "themes": {"units": "岚县,沁源县", "term": PAYLOAD}, "figures": {"q": PAYLOAD, "fig_units": PAYLOAD},
         "library": {}}


@pytest.fixture(scope="module")
def payload_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("payload") / "countylens.sqlite"
    store = open_store(path)
    result = add_files(store, [(FILE_NAME, DOCUMENT)])
    assert len(result.added) == 1, result.rejected
    previous = os.environ.get(STORE_ENV)
    os.environ[STORE_ENV] = str(path)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    os.environ[STORE_ENV] = previous or ""
    st.cache_resource.clear()
    st.cache_data.clear()


def shown_texts(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's markdown renderer."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header"):
        out += [str(element.value) for element in getattr(at, kind)]
    out += [str(m.label) for m in at.metric]
    return out


@pytest.mark.slow  # six pages through AppTest on their own store
@pytest.mark.parametrize("page", list(PAGES))
def test_no_payload_renders(payload_store, page):
    at = open_page(page, **{"lang": PAYLOAD, **PAGES[page]})  # asserts that no exception was raised
    texts = shown_texts(at)
    rendered = [(p.pattern, text[:160]) for text in texts for p in RENDERED if p.search(text)]
    assert rendered == [], rendered
    if page == "similarity":  # the payload document is on the page: its title is drawn (as chart text)
        assert any(value.startswith("![图") for value in chart_values(at)), chart_values(at)
