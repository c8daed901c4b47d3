"""RSS, RDF and Atom bytes to a Feed: fastfeedparser first, feedparser when its result is doubtful.

Both parsers get UTF-8 bytes that we decoded and screened ourselves (encoding.py, xmlsafe.py), never
a URL. The choice rests on bench/parse.py (2026-11-25, 21 real feeds): fastfeedparser alone is ~20x
faster than feedparser but agrees with it on only ~81% of the fields we keep; through our decoding
and mapping the fast path reaches ~89%, and sending the constructs it mishandles (xml:base, inline
XHTML, Atom 0.3, RSS 1.0, fewer items than the document holds, unreadable) to feedparser gives ~98%
at ~3x feedparser's speed. The mapping also evens out what the two parsers copy or invent (a
description made from the content, an id made from the link, published copied into updated).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import fastfeedparser
import feedparser

from actuel.errors import ParseError
from actuel.model import Enclosure, Feed, FeedItem
from actuel.parse.dates import normalize_date
from actuel.parse.people import person_name
from actuel.parse.xmlsafe import prepare_xml
from actuel.urls import absolute_url, is_http_url

# Constructs fastfeedparser reads wrongly or not at all (measured on feedparser-tests with
# bench/parse.py): inline XHTML, Atom 0.3 base64/escaped modes; xml:base when a link is relative.
_NEEDS_TOLERANT = re.compile(
    r"""type\s*=\s*["']xhtml|mode\s*=\s*["'](?:base64|escaped)|purl\.org/atom/ns#"""
)
_LINK_VALUES = re.compile(
    r"""<(?:[A-Za-z_][\w.-]*:)?link>\s*([^<\s]*)|\s(?:href|url)\s*=\s*["']([^"']*)["']"""
)
_IMG_SRC = re.compile(r"""<img\b[^<>]{0,1000}?\bsrc\s*=\s*["']?([^"'<>\s]+)""", re.IGNORECASE)
_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TAGS = re.compile(r"<[^<>]*>")
_LANGUAGE = re.compile(r"<(?:dc:)?language>\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)\s*<")
_XML_LANG = re.compile(r"""xml:lang\s*=\s*["']([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)["']""")
_HAS_IDS = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:guid|id)[\s>]")
_ITEM_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ROOT_TAG = re.compile(r"<((?:[A-Za-z_][\w.-]*:)?(?:rss|RDF|feed|channel))[\s>]")

Entry = Mapping[str, Any]


_HTML_ESCAPE = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _line(value: object) -> str | None:
    """A one-line text (title, author): line breaks and runs of spaces become one space.

    Only ASCII whitespace: the no-break spaces of French typography (« », before : ; ! ?) stay.
    """
    text = _text(value)
    return _ASCII_SPACES.sub(" ", text) if text else None


def _get(mapping: object, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


def _truncate(text: str, max_items: int) -> tuple[str, int]:
    """Cut a huge document before item max_items+1 and close it, so the parse stays bounded."""
    count = 0
    cut = -1
    for count, match in enumerate(_ITEM_TAG.finditer(text), start=1):
        if count == max_items + 1:
            cut = match.start()
        if count > max_items * 2 and cut >= 0:
            break
    if cut < 0:
        return text, count
    total = len(_ITEM_TAG.findall(text, cut)) + max_items
    opened = [
        m.group(1)
        for m in _ROOT_TAG.finditer(text, 0, min(cut, 65536))
        if f"</{m.group(1)}>" not in text[m.end() : cut]
    ]
    closing = "".join(f"</{name}>" for name in reversed(opened))
    return text[:cut] + closing, total


def _parse_fast(xml: bytes) -> Mapping[str, Any] | None:
    try:
        parsed: Mapping[str, Any] = fastfeedparser.parse(xml)
    except Exception:  # any failure of the fast path sends us to the tolerant one
        return None
    return parsed


def _parse_tolerant(xml: bytes, url: str | None) -> Mapping[str, Any]:
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    try:
        parsed: Mapping[str, Any] = feedparser.parse(
            xml, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
        return parsed
    except Exception as exc:  # feedparser's own bug on crafted input (found by fuzzing)
        raise ParseError(
            f"the feed could not be read: feedparser failed on it ({type(exc).__name__}: {exc})",
            fix="the publisher's feed is broken: tell them, or add the site's home page instead",
            source=url,
        ) from exc


def _first_link(entry: Entry) -> str | None:
    """The alternate (article) link; a self, enclosure or related link is not the article."""
    links = [c for c in _get(entry, "links") or () if _text(_get(c, "href"))]
    for candidate in links:
        if _get(candidate, "rel") in (None, "alternate"):
            return _text(_get(candidate, "href"))
    link = _text(_get(entry, "link"))
    if link and any(_text(_get(c, "href")) == link for c in links):
        return None  # fastfeedparser falls back to any link; only other relations were given
    return link


def _date(entry: Entry, key: str, now: datetime) -> datetime | None:
    parsed = _get(entry, key + "_parsed")
    if isinstance(parsed, time.struct_time):
        return normalize_date(parsed, now=now)
    return normalize_date(_text(_get(entry, key)), now=now)


def _author(entry: Entry) -> str | None:
    author = _line(_get(entry, "author")) or _line(_get(_get(entry, "author_detail"), "name"))
    if author:
        return person_name(author)
    for person in _get(entry, "authors") or ():
        name = _line(_get(person, "name")) or _line(_get(person, "email"))
        if name:
            return person_name(name)
    return None


def _content(entry: Entry) -> str | None:
    for part in _get(entry, "content") or ():
        value = _text(_get(part, "value"))
        if value:
            return value
    return None


def _enclosures(entry: Entry, base: str | None) -> list[Enclosure]:
    found: list[Enclosure] = []
    seen: set[str] = set()
    candidates: list[Any] = list(_get(entry, "enclosures") or ())
    candidates += [link for link in _get(entry, "links") or () if _get(link, "rel") == "enclosure"]
    for item in candidates:
        url = absolute_url(_text(_get(item, "href")) or _text(_get(item, "url")), base)
        if not url or url in seen:
            continue
        seen.add(url)
        length = _get(item, "length")
        try:
            size = int(length) if length not in (None, "") else None
        except (TypeError, ValueError):
            size = None
        found.append(Enclosure(url=url, type=_text(_get(item, "type")), length=size))
    return found


def _image(
    entry: Entry, enclosures: Sequence[Enclosure], base: str | None, bodies: Sequence[str | None]
) -> str | None:
    """media:thumbnail/content, the item's image, an image enclosure, else the first <img>."""
    for key in ("media_thumbnail", "media_content"):
        for media in _get(entry, key) or ():
            medium = _text(_get(media, "medium")) or _text(_get(media, "type")) or "image"
            if medium.startswith("image") and _get(media, "url"):
                return absolute_url(_text(_get(media, "url")), base)
    image = _get(entry, "image")
    href = _text(_get(image, "href")) or _text(_get(image, "url")) if image else None
    if href is None and isinstance(image, str):
        href = _text(image)
    if href:
        return absolute_url(href, base)
    for enclosure in enclosures:
        if (enclosure.type or "").startswith("image/"):
            return enclosure.url
    for html_text in bodies:
        match = _IMG_SRC.search(html_text) if html_text and "<img" in html_text else None
        if match:
            return absolute_url(html.unescape(match.group(1)), base)
    return None


def _keywords(entry: Entry) -> list[str]:
    terms: list[str] = []
    for tag in _get(entry, "tags") or ():
        term = _text(_get(tag, "term")) or _text(_get(tag, "label"))
        if term and term not in terms:
            terms.append(term)
    return terms


def _language(entry: Entry) -> str | None:
    for key in ("title_detail", "summary_detail"):
        lang = _text(_get(_get(entry, key), "language"))
        if lang:
            return lang
    for part in _get(entry, "content") or ():
        lang = _text(_get(part, "language"))
        if lang:
            return lang
    return None


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", markup)).split())


def _summary_and_content(entry: Entry, parser: str) -> tuple[str | None, str | None]:
    summary = _text(_get(entry, "summary")) or _text(_get(entry, "description"))
    content = _content(entry)
    # fastfeedparser makes up a description from the start of the content, tags removed.
    if (
        parser == "fastfeedparser"
        and summary
        and content
        and "<" in content
        and "<" not in summary
        and _plain(content)[:100] == " ".join(summary.split())[:100]
    ):
        summary = None
    if summary is None or content == summary:
        # Parsers copy one into the other when a document has only one: keep it once, as the
        # summary, so the same document gives the same item whichever parser read it.
        return summary or content, None
    return summary, content


def _title(entry: Entry, parser: str) -> str | None:
    """The title as text. A title written as escaped HTML (`Tom &amp;amp; Jerry`, as RSS
    writers do for readers that take titles for HTML) is read as HTML once: feedparser does so
    already, fastfeedparser gives the escapes as they are."""
    title = _line(_get(entry, "title"))
    if title and parser == "fastfeedparser" and _HTML_ESCAPE.search(title):
        return _line(html.unescape(title))
    return title


def _item(
    entry: Entry,
    base: str | None,
    now: datetime,
    parser: str,
    language: str | None,
    has_ids: bool,
) -> FeedItem:
    link = _first_link(entry)
    resolved = absolute_url(link, base) if link else None
    guid = _text(_get(entry, "id")) or _text(_get(entry, "guid"))
    if guid == link and not has_ids:
        guid = None  # fastfeedparser copies the link into a missing id; the link is the key then
    if resolved is None and guid and is_http_url(guid):
        resolved = guid  # RSS guid isPermaLink: the guid is the article's address
    enclosures = _enclosures(entry, base)
    summary, content = _summary_and_content(entry, parser)
    published = _date(entry, "published", now) or _date(entry, "created", now)
    updated = _date(entry, "updated", now)
    # One date means "when it appeared", whichever element carried it; parsers copy one into the
    # other, so updated_at is kept only when it says something more.
    published = published or updated
    if updated == published:
        updated = None
    return FeedItem(
        link=resolved,
        title=_title(entry, parser),
        guid=guid,
        published_at=published,
        updated_at=updated,
        author=_author(entry),
        summary=summary,
        content=content,
        enclosures=enclosures,
        language=_language(entry) or language,
        image=_image(entry, enclosures, base, (content, summary)),
        keywords=_keywords(entry),
    )


def to_feed(
    data: Mapping[str, Any],
    *,
    format: str,
    parser: str,
    url: str | None,
    max_items: int,
    now: datetime | None = None,
    language: str | None = None,
    has_ids: bool = True,
) -> Feed:
    """A Feed from a feedparser-shaped result (fastfeedparser and feedparser share the shape)."""
    moment = now or datetime.now(UTC)
    meta = _get(data, "feed") or {}
    feed_link = _first_link(meta)
    base = url or (feed_link if feed_link and is_http_url(feed_link) else None)
    entries = list(_get(data, "entries") or ())
    feed = Feed(
        format=format,
        title=_line(_get(meta, "title")),
        link=absolute_url(feed_link, url) if feed_link else None,
        language=_text(_get(meta, "language")) or language,
        description=_text(_get(meta, "subtitle")) or _text(_get(meta, "description")),
        updated_at=_date(meta, "updated", moment),
        parser=parser,
    )
    feed.items = [
        _item(entry, base, moment, parser, feed.language, has_ids) for entry in entries[:max_items]
    ]
    if len(entries) > max_items:
        feed.notes.append(f"{len(entries):,} items, kept the first {max_items:,}")
    return feed


def _needs_tolerant(text: str) -> bool:
    if _NEEDS_TOLERANT.search(text):
        return True
    if "xml:base" not in text:
        return False
    # feedparser applies xml:base; fastfeedparser does not, which matters for relative links only.
    for match in _LINK_VALUES.finditer(text):
        value = match.group(1) or match.group(2) or ""
        if value and not value.startswith(("http://", "https://")):
            return True
    return False


def _head_language(text: str) -> str | None:
    """The channel's <language> or the root's xml:lang, which fastfeedparser does not report."""
    first_item = _ITEM_TAG.search(text)
    head = text[: first_item.start() if first_item else 65536]
    match = _LANGUAGE.search(head) or _XML_LANG.search(head)
    return match.group(1).strip() if match else None


def _looks_incomplete(data: Mapping[str, Any] | None, expected_items: int) -> bool:
    if data is None:
        return True
    entries = _get(data, "entries") or []
    if len(entries) < expected_items:
        return True
    meta = _get(data, "feed") or {}
    return not entries and not _get(meta, "title")


def _refuse_broken_empty(xml: bytes, url: str | None) -> None:
    """A feed that is not well-formed and yields no item is an error, not an empty feed."""
    tolerant = _parse_tolerant(xml, url)
    if tolerant.get("entries") or not tolerant.get("bozo"):
        return
    problem = tolerant.get("bozo_exception")
    raise ParseError(
        f"the feed is not well-formed XML and no item could be read ({problem})",
        fix="the publisher's feed is broken: tell them, or add the site's home page instead",
        source=url,
    )


def parse_xml_feed(
    content: bytes,
    *,
    format: str,
    url: str | None = None,
    content_type: str | None = None,
    max_items: int = 1000,
    prefer: str = "auto",
) -> Feed:
    """Parse RSS, RDF or Atom bytes; `prefer` is "auto", "fastfeedparser" or "feedparser"."""
    xml, notes = prepare_xml(content, content_type)
    text = xml.decode("utf-8")
    truncated, total = _truncate(text, max_items)
    if truncated is not text:
        xml = truncated.encode("utf-8")
        notes.append(f"{total:,} items, kept the first {max_items:,}")
    expected = min(total, max_items)
    data: Mapping[str, Any] | None = None
    parser = "fastfeedparser"
    # RSS 1.0 (RDF) is rare and fastfeedparser drops its content:encoded.
    use_fast = prefer == "fastfeedparser" or (
        prefer == "auto" and format != "rdf" and not _needs_tolerant(text)
    )
    if use_fast:
        data = _parse_fast(xml)
    if data is None or (prefer == "auto" and _looks_incomplete(data, expected)):
        tolerant = _parse_tolerant(xml, url)
        if data is None or len(tolerant.get("entries") or ()) >= len(_get(data, "entries") or ()):
            data, parser = tolerant, "feedparser"
    if data is None:
        raise ParseError("no parser could read this document", source=url)
    if not (_get(data, "entries") or ()):
        _refuse_broken_empty(xml, url)
    fast = parser == "fastfeedparser"
    feed = to_feed(
        data,
        format=format,
        parser=parser,
        url=url,
        max_items=max_items,
        language=_head_language(text) if fast else None,
        has_ids=not fast or _HAS_IDS.search(text) is not None,
    )
    feed.notes = notes + [note for note in feed.notes if note not in notes]
    return feed
