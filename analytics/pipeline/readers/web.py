"""Saved web pages (.html, .mhtml) -> the article's text and what the page says about it.

A county government's news page carries a navigation bar, a breadcrumb, a date line (今天是：…), share
and print links, related articles and an ICP footer around the article. trafilatura (a maintained
main-content extractor; benchmarks/readers.py measures it against reading the whole page) keeps the
article body, its tables as `a | b` rows, and reads the title (<title>, og:title, <h1>), the date and the
canonical URL; the byline's 来源 names the outlet. What trafilatura leaves (a breadcrumb, a 发布时间 line) is
page furniture that cleaning sets apart. A page trafilatura finds no article in is read whole.

An .mhtml file (a page a browser saved as one file) is a MIME message: its HTML part is read the same way.
Bounded: the nesting depth the parser would build is checked first (ingest.html_depth).
"""
from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass

_OUTLET = re.compile(r"(?:来源|来自|稿源|出处)\s*[:：]\s*([^\s|｜,，。:：\]】]{2,24})")
_MIN_ARTICLE_CHARS = 40  # trafilatura's text under this is no article: the page is read whole


@dataclass
class WebText:
    text: str
    title: str = ""
    date: str = ""
    outlet: str = ""
    url: str = ""


def read_html(html: str, whole_page) -> WebText:
    """The article of a page; `whole_page(html)` reads a page trafilatura finds no article in."""
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True, include_comments=False,
                                           include_links=False, include_images=False, favor_recall=True)
    fields = document.as_dict() if document is not None and hasattr(document, "as_dict") else (document or {})
    text = (fields.get("text") or "").strip()
    if len(text) < _MIN_ARTICLE_CHARS:
        text = whole_page(html)
    text = _without_link_lines(text, html)
    outlet = _OUTLET.search(text)
    sitename = fields.get("sitename") or ""
    return WebText(_tables_as_rows(text), (fields.get("title") or "").strip(), fields.get("date") or "",
                   outlet.group(1) if outlet else (sitename if not sitename.isascii() else ""),
                   fields.get("url") or "")


def _link_texts(html: str) -> set[str]:
    from selectolax.lexbor import LexborHTMLParser

    return {" ".join(node.text().split()) for node in LexborHTMLParser(html).css("a")} - {""}


def _without_link_lines(text: str, html: str) -> str:
    """Drop the lines made wholly of the page's link texts: a menu, a toolbar, a list of other articles that
    the extractor kept when it could not tell the article's block (an article's sentence is not a link)."""
    links = _link_texts(html)
    if not links:
        return text
    kept = [line for line in text.splitlines()
            if not (line.split() and all(part in links for part in line.split()))]
    return "\n".join(kept)


def _tables_as_rows(text: str) -> str:
    """trafilatura writes a table row as `| a | b | `: the rows keep their cells as `a | b`."""
    return "\n".join(line.strip().strip("|").strip() if line.lstrip().startswith("|") else line
                     for line in text.splitlines())


def mhtml_html(data: bytes) -> str:
    """The HTML part of an .mhtml file (quoted-printable or base64, in its own charset), '' if none."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                return payload.decode(charset, errors="replace")
            except LookupError:
                return payload.decode("utf-8", errors="replace")
    return ""
