"""Read fetched HTML into an lxml tree without raising, and resolve links against the page."""

from __future__ import annotations

import lxml.html
from lxml import etree

from actuel.urls import absolute_url


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The document tree, or None for an empty or unreadable page."""
    if not html or not html.strip():
        return None
    # Bytes with an explicit encoding: lxml refuses a str that carries an XML encoding declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def document_base(tree: lxml.html.HtmlElement, page_url: str) -> str:
    """The URL relative links resolve against: `<base href>` when valid, else the page's own URL."""
    for base in tree.iter("base"):
        href = base.get("href")
        resolved = absolute_url(href, page_url)
        if resolved:
            return resolved
    return page_url


def link_text(element: lxml.html.HtmlElement) -> str:
    """The visible text of a link, whitespace collapsed."""
    return " ".join(element.text_content().split())
