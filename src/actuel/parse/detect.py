"""What a body is, from its first bytes: RSS, RDF, Atom, JSON Feed, sitemap, sitemap index, HTML."""

from __future__ import annotations

import json
import re

from actuel.parse.encoding import sniff_encoding

_SNIFF_BYTES = 8192
_SKIP = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE\b[^\[>]*(?:\[.*?\])?\s*>|\s+)*", re.S | re.I
)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|script|div)\b", re.I)

_ROOTS = {
    "rss": "rss",
    "rdf": "rdf",
    "feed": "atom",
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
    "html": "html",
    "opml": "opml",
    "channel": "rss",  # RSS 0.9x fragments and some Userland feeds start at <channel>
}


def head_text(content: bytes, content_type: str | None = None) -> str:
    """The first few kilobytes of `content` as text, decoded with the document's own encoding."""
    sniffed = sniff_encoding(content[:_SNIFF_BYTES], content_type)
    text = content[: _SNIFF_BYTES * 4 if sniffed.encoding.startswith("utf-32") else _SNIFF_BYTES]
    return text.decode(sniffed.encoding, errors="replace").lstrip("\ufeff")


def _json_kind(text: str) -> str | None:
    return "json" if text.lstrip().startswith(("{", "[")) else None


def looks_like_json_feed(document: object) -> bool:
    """True for a JSON Feed object (a jsonfeed.org version, or an `items` list)."""
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    if isinstance(version, str) and "jsonfeed.org" in version:
        return True
    return isinstance(document.get("items"), list)


def junk_before_prolog(text: str) -> int:
    """Where a late XML declaration starts (PHP warnings printed before it), else 0."""
    start = text.find("<?xml", 0, 4096)
    return start if start > 0 and text[:start].strip() else 0


def root_name(text: str) -> str | None:
    """Local name of the first element, lower-case, or None if there is none in the head."""
    text = text[junk_before_prolog(text) :]
    skipped = _SKIP.match(text)
    rest = text[skipped.end() if skipped else 0 :]
    match = _FIRST_TAG.match(rest) or _FIRST_TAG.search(rest)
    if match is None:
        return None
    return match.group(1).rsplit(":", 1)[-1].lower()


def detect_format(content: bytes, content_type: str | None = None) -> str | None:
    """ "rss", "atom", "rdf", "json", "sitemap", "sitemapindex", "html", "opml" or None."""
    if not content.strip():
        return None
    text = head_text(content, content_type)
    if _json_kind(text):
        return "json"
    name = root_name(text)
    if name is None:
        return "html" if _HTML_HINT.search(text) else None
    if name in _ROOTS:
        return _ROOTS[name]
    if _HTML_HINT.search(text):
        return "html"
    return None


def json_document(content: bytes) -> object:
    """The parsed JSON value, or None if `content` is not JSON."""
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None
