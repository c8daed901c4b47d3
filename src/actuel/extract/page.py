"""Main text and metadata of one HTML page: trafilatura for the text, our lookups for the rest."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from actuel.config import SETTINGS_BY_NAME
from actuel.extract.cleanup import drop_leading_title, prune_template_blocks, remove_junk_lines
from actuel.extract.dates import date_from_text
from actuel.extract.fragment import html_to_text
from actuel.extract.metadata import PageMetadata, read_metadata
from actuel.model import ExtractedPage
from actuel.parse.encoding import decode_document
from actuel.parse.people import person_name
from actuel.urls import absolute_url, canonical_url

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES: int = SETTINGS_BY_NAME["extract_max_html_bytes"].default
MAX_CATEGORIES = 20
# Real article pages hold a few thousand elements (the 181 Zyte pages: at most 1,600); past this,
# extraction time (about 0.1 ms an element) is what grows, so the rest of the page is dropped.
MAX_ELEMENTS = 30_000


def cut_bytes(content: bytes, limit: int) -> bytes:
    """The first `limit` bytes, moved back so that no UTF-8 character is cut in two."""
    if len(content) <= limit:
        return content
    end = limit
    # continuation bytes are 10xxxxxx; step back to the lead byte and drop the partial character
    while end > 0 and limit - end < 4 and content[end] & 0xC0 == 0x80:
        end -= 1
    return content[:end]


def drop_scripts(content: bytes) -> bytes:
    """The page without <script> and <style> blocks, JSON-LD kept: what a long page is cut from.

    Pages past the cap are mostly inline scripts (framework state, ads); dropping them first keeps
    the article inside the cap. A linear scan rather than a regex, so that unclosed tags stay cheap.
    """
    lowered = content.lower()
    parts: list[bytes] = []
    position = 0
    next_open = {b"<script": lowered.find(b"<script"), b"<style": lowered.find(b"<style")}
    while True:
        for opener, found in next_open.items():
            if 0 <= found < position:  # inside a block already dropped: look further once
                next_open[opener] = lowered.find(opener, position)
        pending = [(found, opener) for opener, found in next_open.items() if found >= 0]
        if not pending:
            break
        start, opener = min(pending)
        open_end = lowered.find(b">", start)
        close = lowered.find(b"</" + opener[1:], open_end) if open_end >= 0 else -1
        if close < 0:
            parts.append(content[position:start])
            return b"".join(parts)
        end = lowered.find(b">", close)
        end = len(content) if end < 0 else end + 1
        keep = b"ld+json" in lowered[start:open_end]
        parts.append(content[position:end] if keep else content[position:start])
        position = end
        next_open[opener] = lowered.find(opener, position)
    parts.append(content[position:])
    return b"".join(parts)


def _text_of(html: str | bytes, content_type: str | None, max_bytes: int) -> str:
    if isinstance(html, str):
        if len(html) <= max_bytes:
            return html
        html = html.encode("utf-8")
        content_type = "text/html; charset=utf-8"
    if len(html) > max_bytes:
        html = drop_scripts(html)
    return decode_document(cut_bytes(html, max_bytes), content_type)


# control characters other than tab, newline, form feed and carriage return; undecodable bytes
_ODD = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def looks_binary(text: str) -> bool:
    """True when a document starts with many control or undecodable characters (an image, a PDF)."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_ODD.findall(sample)) > len(sample) * 0.05


def trim_tree(tree: HtmlElement, max_elements: int) -> int:
    """Drop, in place, every element after the first `max_elements`; returns how many went.

    Extraction time grows with the number of elements, not bytes: a page of tiny tags would take
    seconds. Articles come first in document order; what runs past the cap is comments and footers.
    """
    extra = [element for index, element in enumerate(tree.iter()) if index >= max_elements]
    for element in reversed(extra):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return len(extra)


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


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    """One line of plain text; markup some sites leave in meta titles (even scripts) dropped."""
    if value is None:
        return None
    if "<" in value:
        value = html_to_text(value)
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
    # options chosen on the Zyte benchmark (bench/extract.py): precision mode without comments
    # scored F1 0.967, trafilatura's defaults 0.953
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            deduplicate=False,
            # our own metadata reading finds dates first, and htmldate's extensive search runs
            # below only when it finds none: same F1 on the Zyte benchmark, ~15% faster
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura fails on some malformed trees; then the text is empty
        log.debug("trafilatura failed on %s", url, exc_info=True)
        return None
    return document if isinstance(document, trafilatura.settings.Document) else None


def extract_page(
    html: str | bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    max_bytes: int | None = None,
    guess_date: bool = True,
) -> ExtractedPage:
    """Main text and metadata of a page; never raises: junk input gives an empty text.

    `url` is where the page was fetched (used to resolve relative links and as the canonical URL of
    last resort); pages longer than `max_bytes` (default: the extract_max_html_bytes setting) are
    cut before parsing so that time stays bounded. When the page's metadata has no date, one is
    guessed from its text (htmldate's extensive search), unless `guess_date` is false: the
    pipeline turns it off when the feed dates the item, a better source than a date in the text.
    """
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max(0, max_bytes)
    fallback_url = canonical_url(url) if url else None
    try:
        tree = _parse(_text_of(html, content_type, limit))
        if tree is None:
            return ExtractedPage(canonical_url=fallback_url)
        meta = read_metadata(tree, url)
        trim_tree(tree, MAX_ELEMENTS)
        prune_template_blocks(tree)
        document = _run_trafilatura(tree, url)
        return _assemble(document, meta, tree, url, fallback_url, guess_date=guess_date)
    except Exception:  # a page we cannot read is an empty article, never a crash of the pipeline
        log.debug("extraction failed on %s", url, exc_info=True)
        return ExtractedPage(canonical_url=fallback_url)


def _assemble(
    document: trafilatura.settings.Document | None,
    meta: PageMetadata,
    tree: HtmlElement,
    url: str | None,
    fallback_url: str | None,
    *,
    guess_date: bool,
) -> ExtractedPage:
    page = ExtractedPage(
        canonical_url=meta.canonical_url or fallback_url,
        image=meta.image,
        language=meta.language,
        published_at=meta.published_at,
        read_more_url=meta.read_more_url,
    )
    if document is not None:
        page.title = _clean(document.title) or _clean(meta.title)
        text = drop_leading_title(remove_junk_lines(document.text or ""), page.title)
        # one blank line between paragraphs, as feed texts and the web pages expect
        page.text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
        page.author = person_name(document.author)
        page.description = _clean(document.description)
        page.site_name = _clean(document.sitename)
        page.categories = _categories(document.categories, document.tags)
        page.published_at = page.published_at or _day(document.date)
        if page.image is None:
            page.image = absolute_url(document.image, url)
    if page.title is None:
        page.title = _clean(meta.title)
    if page.published_at is None and guess_date:
        page.published_at = date_from_text(tree, url)
    return page
