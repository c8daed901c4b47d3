"""The parse stage's entry point: bytes of any feed or sitemap to a Feed, or a clear refusal."""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping

from actuel.errors import NotAFeedError, ParseError
from actuel.model import Feed
from actuel.parse.detect import detect_format, head_text, json_document, looks_like_json_feed
from actuel.parse.feeds import parse_xml_feed
from actuel.parse.jsonfeed import parse_json_feed
from actuel.parse.sitemaps import parse_sitemap

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TITLE = re.compile(r"<title[^<>]{0,200}>([^<]{1,120})", re.IGNORECASE)
_DISCOVERY_FIX = (
    'give the feed\'s own address: the page may list it in a <link rel="alternate"> tag '
    "(feed discovery), or add it as a page source"
)


def _gunzip(content: bytes, limit: int, url: str | None) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(content, limit)
    except zlib.error as exc:
        raise ParseError(
            f"the body looks gzip-compressed but cannot be unpacked: {exc}",
            fix="check that the server sends the whole file",
            source=url,
        ) from None
    if inflater.unconsumed_tail:
        raise ParseError(
            f"the gzip file unpacks to more than {limit:,} bytes",
            fix="split the sitemap (sitemaps.org allows 50 MB) or raise max_gunzip_bytes",
            source=url,
        )
    return data


def _describe_json(document: object) -> str:
    if isinstance(document, Mapping) and not document:
        return "an empty JSON object, not a JSON Feed (no version, no items)"
    if isinstance(document, Mapping):
        keys = ", ".join(sorted(str(k) for k in document)[:6])
        message = document.get("error") or document.get("message") or document.get("detail")
        said = f" saying {str(message)[:100]!r}" if isinstance(message, str | int) else ""
        return f"a JSON object with keys [{keys}]{said}, not a JSON Feed (no version, no items)"
    return f"a JSON {type(document).__name__}, not a JSON Feed object"


def parse_feed(
    content: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    max_items: int = 1000,
    max_gunzip_bytes: int = 50 * 1024 * 1024,
) -> Feed:
    """Parse RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1, sitemaps and sitemap indexes.

    A gzip file (a `sitemap.xml.gz`) is unpacked first, up to `max_gunzip_bytes`.
    """
    if content.startswith(_GZIP_MAGIC):
        content = _gunzip(content, max_gunzip_bytes, url)
    if not content.strip():
        raise NotAFeedError(
            "the response body is empty",
            fix="check the URL in a browser; the server may need a different address",
            source=url,
        )
    kind = detect_format(content, content_type)
    if kind == "json":
        document = json_document(content)
        if document is None:
            raise NotAFeedError(
                "the body starts like JSON but is not valid JSON", fix=_DISCOVERY_FIX, source=url
            )
        if not isinstance(document, Mapping) or not looks_like_json_feed(document):
            raise NotAFeedError(
                f"this is {_describe_json(document)}", fix=_DISCOVERY_FIX, source=url
            )
        return parse_json_feed(document, url=url, max_items=max_items)
    if kind in ("sitemap", "sitemapindex"):
        return parse_sitemap(content, url=url, content_type=content_type, max_items=max_items)
    if kind == "html":
        title = _HTML_TITLE.search(head_text(content, content_type))
        named = f" ({title.group(1).strip()!r})" if title else ""
        raise NotAFeedError(
            f"this is an HTML page{named}, not a feed", fix=_DISCOVERY_FIX, source=url
        )
    if kind == "opml":
        raise NotAFeedError(
            "this is an OPML subscription list, not a feed",
            fix="import it as a list of sources (OPML import) instead of adding it as one source",
            source=url,
        )
    try:
        feed = parse_xml_feed(
            content,
            format=kind or "rss",
            url=url,
            content_type=content_type,
            max_items=max_items,
        )
    except ParseError:
        if kind is not None:
            raise
        feed = Feed(format="unknown")
    if kind is None and not feed.items and not feed.title:
        start = head_text(content, content_type)[:60].strip()
        raise NotAFeedError(
            f"this does not look like a feed or sitemap (it starts with {start!r})",
            fix=_DISCOVERY_FIX,
            source=url,
        )
    return feed
