"""Plain text from an HTML fragment (feed summaries and contents), paragraphs kept apart."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from actuel.parse.markup import strip_tags

# HTML's block-level elements: each starts a paragraph of its own; inline ones (a, em, span,
# img, wbr) add nothing, so "l'<em>État</em>" stays one word
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELLS = frozenset({"td", "th"})  # cells of one row: words apart, on one line
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "template"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(fragment: str | None) -> str:
    """Text of an HTML fragment: scripts dropped, one blank line between blocks, spaces folded."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return _tidy(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # lxml asserts on "<html>" alone
        return _tidy(strip_tags(fragment))
    parts: list[str] = []
    _walk(root, parts)
    return _tidy("".join(parts))


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag not in _DROP and isinstance(element.tag, str):
        if tag in _BLOCKS:
            parts.append("\n\n")
        elif tag in _CELLS:
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        for child in element:
            _walk(child, parts)
        if tag in _BLOCKS:
            parts.append("\n\n")
        elif tag in _CELLS:
            parts.append(" ")
    if element.tail:
        parts.append(element.tail)


def _tidy(text: str) -> str:
    paragraphs = (_SPACES.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)
