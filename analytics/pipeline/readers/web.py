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


# Elements that start a new line of text where a browser starts a new block; a cell starts a new cell.
_BLOCK_TAG = re.compile(r"<(?=/?(?:p|div|br|li|tr|h[1-6]|section|article|main|table|thead|tbody|ul|ol|dl|dd|dt|"
                        r"header|footer|aside|nav|blockquote|pre|form|figure|figcaption|center|hr|caption)\b)", re.I)
_CELL_TAG = re.compile(r"<(?=t[dh]\b)", re.I)
_LINE_END = "\n"


def block_text(html: str) -> str:
    """The visible text of a page line by block, as a browser lays it out: a paragraph split by inline
    elements (<span>, <a>, <b>) stays one line, and a table row is one line of `a | b` cells. Scripts,
    styles and templates are dropped. The caller checks the nesting depth first (ingest.html_depth)."""
    from selectolax.lexbor import LexborHTMLParser

    # source line breaks are spaces; a line break goes where a block starts or ends, a cell mark before a cell
    marked = _CELL_TAG.sub("\u241f<", _BLOCK_TAG.sub(_LINE_END + "<", re.sub(r"[\r\n]+", " ", html)))
    tree = LexborHTMLParser(marked)
    for node in tree.css("script, style, noscript, template, head"):
        node.decompose()
    body = tree.body or tree.root
    if body is None:
        return ""
    lines = []
    for line in body.text(separator="", strip=False).split(_LINE_END):
        cells = [" ".join(cell.split()) for cell in line.split("\u241f")]
        cells = [cell for cell in cells if cell]
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)


def read_html(html: str, whole_page=None) -> WebText:
    """The article of a page, line by block. trafilatura tells which text is the article (it may flatten
    it into one line, so the page's own blocks that lie inside its text are kept, in order); a page it
    finds no article in is read whole. `whole_page(html)` reads the page whole (default block_text)."""
    import trafilatura

    whole_page = whole_page or block_text
    document = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True, include_comments=False,
                                           include_links=False, include_images=False, favor_recall=True)
    fields = document.as_dict() if document is not None and hasattr(document, "as_dict") else (document or {})
    article = (fields.get("text") or "").strip()
    page = whole_page(html)
    text = _article_blocks(page, article) if len(article) >= _MIN_ARTICLE_CHARS else page
    text = _without_link_lines(text, html)
    outlet = _OUTLET.search(text)
    sitename = fields.get("sitename") or ""
    return WebText(text, _own_title((fields.get("title") or "").strip(), page, text),
                   fields.get("date") or "", outlet.group(1) if outlet else (sitename if not sitename.isascii() else ""),
                   fields.get("url") or "")


def _squeezed(text: str) -> str:
    return re.sub(r"[\s|]+", "", text)


def _article_blocks(page: str, article: str) -> str:
    """The page's lines that lie inside the article trafilatura chose, in the page's order; its own text
    (tables as rows) when the page's lines do not cover it."""
    inside = _squeezed(article)
    kept = [line for line in page.splitlines() if _squeezed(line) and _squeezed(line) in inside]
    if sum(len(_squeezed(line)) for line in kept) < 0.9 * len(inside):
        return _tables_as_rows(article)
    return "\n".join(kept)


_TITLE_PARTS = re.compile(r"\s*[_|｜—–-]+\s*|\s+-\s+")


def _own_title(title: str, page: str, article: str) -> str:
    """A page's <title> without its site's name (标题_岚县人民政府, 标题-岚县融媒体中心): of the parts the
    separators give, those the page repeats outside the article (its header, footer, menus) are the site's."""
    parts = [p for p in _TITLE_PARTS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    inside = set(article.splitlines())
    outside = _squeezed("".join(line for line in page.splitlines() if line not in inside))
    own = [p for p in parts if _squeezed(p) not in outside]
    return "".join(own) if own and len(own) < len(parts) else title


def _link_index(html: str) -> dict[str, list[str]]:
    """The page's link texts (two characters and more) by their first two characters, longest first."""
    from selectolax.lexbor import LexborHTMLParser

    index: dict[str, list[str]] = {}
    for text in {" ".join(node.text().split()) for node in LexborHTMLParser(html).css("a")}:
        if len(text) >= 2:
            index.setdefault(text[:2], []).append(text)
    for texts in index.values():
        texts.sort(key=len, reverse=True)
    return index


_SEPARATOR = set(" \t|:：,，、·•/\\>＞»›→-–—()（）【】[]")
_LINK_LINE_MAX = 300  # a menu or a list of links is a short line; an article's paragraph is never one


def _only_links(line: str, index: dict[str, list[str]]) -> bool:
    """Whether a line is link texts and separators only, read greedily from the left (linear in the line)."""
    i, n, found = 0, len(line), False
    while i < n:
        if line[i] in _SEPARATOR:
            i += 1
            continue
        link = next((x for x in index.get(line[i:i + 2], ()) if line.startswith(x, i)), None)
        if link is None:
            return False
        i += len(link)
        found = True
    return found


def _without_link_lines(text: str, html: str) -> str:
    """Drop the lines made wholly of the page's link texts: a menu, a toolbar, previous/next links, a list
    of other articles that the extractor kept (an article's sentence is not a link)."""
    index = _link_index(html)
    if not index:
        return text
    return "\n".join(line for line in text.splitlines()
                     if len(line) > _LINK_LINE_MAX or not _only_links(line, index))


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
