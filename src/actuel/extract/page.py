"""Main text and metadata of one HTML page: trafilatura for the text, our own lookups for the rest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from actuel.config import SETTINGS_BY_NAME
from actuel.extract.cleanup import prune_template_blocks, remove_junk_lines
from actuel.extract.decode import decode_page
from actuel.extract.metadata import PageMetadata, read_metadata
from actuel.model import ExtractedPage
from actuel.parse.urls import canonical_url

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES: int = SETTINGS_BY_NAME["extract_max_html_bytes"].default
MAX_CATEGORIES = 20
# trafilatura options chosen on the Zyte benchmark (bench/extract.py): precision mode without
# comments scored F1 0.967 against 0.953 for its defaults.
_TRAFILATURA_OPTIONS = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": True,
    "deduplicate": False,
}


def _text_of(html: str | bytes, content_type: str | None, max_bytes: int) -> str:
    if isinstance(html, bytes):
        return decode_page(html[:max_bytes], content_type)
    # a str is capped by characters, which bounds parsing time the same way
    return html[:max_bytes]


def looks_binary(text: str) -> bool:
    """True when the start of a document is mostly control or undecodable characters (an image, a PDF)."""
    sample = text[:8192]
    if not sample:
        return False
    odd = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f") or ch == "\ufffd")
    return odd > len(sample) * 0.05


def _parse(text: str) -> HtmlElement | None:
    if not text.strip() or looks_binary(text):
        return None
    # lxml refuses str input that declares an encoding; the text is already decoded
    cleaned = text.replace("\x00", "")
    try:
        tree = lxml.html.document_fromstring(cleaned.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


_PARSER = lxml.html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
)


def _date_from_htmldate(tree: HtmlElement, url: str | None) -> datetime | None:
    try:
        found = htmldate.find_date(tree, url=url, original_date=True, extensive_search=False)
    except Exception:  # htmldate must not make extraction fail on odd pages
        return None
    if not found:
        return None
    try:
        return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _categories(*groups: list[str] | None) -> list[str]:
    seen: dict[str, str] = {}
    for group in groups:
        for raw in group or []:
            name = _clean(raw)
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
    return list(seen.values())[:MAX_CATEGORIES]


def _run_trafilatura(tree: HtmlElement, url: str | None) -> trafilatura.settings.Document | None:
    try:
        document = trafilatura.bare_extraction(tree, url=url, **_TRAFILATURA_OPTIONS)
    except Exception:  # trafilatura raises on some malformed trees; an empty text is the answer then
        log.debug("trafilatura failed on %s", url, exc_info=True)
        return None
    return document if isinstance(document, trafilatura.settings.Document) else None


def extract_page(
    html: str | bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    max_bytes: int | None = None,
) -> ExtractedPage:
    """Main text and metadata of a page; never raises: junk input gives an empty text.

    `url` is where the page was fetched (used to resolve relative links and as the canonical URL of
    last resort); pages longer than `max_bytes` (default: the extract_max_html_bytes setting) are
    cut before parsing so that time stays bounded.
    """
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max(0, max_bytes)
    fallback_url = canonical_url(url) if url else None
    try:
        tree = _parse(_text_of(html, content_type, limit))
        if tree is None:
            return ExtractedPage(canonical_url=fallback_url)
        meta = read_metadata(tree, url)
        prune_template_blocks(tree)
        document = _run_trafilatura(tree, url)
    except Exception:  # a page we cannot read is an empty article, never a crash of the pipeline
        log.debug("extraction failed on %s", url, exc_info=True)
        return ExtractedPage(canonical_url=fallback_url)
    return _assemble(document, meta, tree, url, fallback_url)


def _assemble(
    document: trafilatura.settings.Document | None,
    meta: PageMetadata,
    tree: HtmlElement,
    url: str | None,
    fallback_url: str | None,
) -> ExtractedPage:
    page = ExtractedPage(
        canonical_url=meta.canonical_url or fallback_url,
        image=meta.image,
        language=meta.language,
        published_at=meta.published_at,
    )
    if document is not None:
        page.text = remove_junk_lines(document.text or "")
        page.title = _clean(document.title)
        page.author = _clean(document.author)
        page.description = _clean(document.description)
        page.site_name = _clean(document.sitename)
        page.categories = _categories(document.categories, document.tags)
        page.published_at = page.published_at or _day(document.date)
        if page.image is None and document.image:
            page.image = document.image
    if page.published_at is None:
        page.published_at = _date_from_htmldate(tree, url)
    return page
