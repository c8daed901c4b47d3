"""Sitemaps, news sitemaps and sitemap indexes to a Feed, streamed through a defused lxml parser.

Hand-written over lxml.iterparse because sitemap libraries fetch children themselves (we never let a
parser open the network) and load whole documents; streaming keeps a 50,000-URL sitemap small.
"""

from __future__ import annotations

import heapq
import io
from datetime import UTC, datetime

from lxml import etree

from actuel.errors import ParseError
from actuel.model import Feed, FeedItem
from actuel.parse.dates import normalize_date
from actuel.parse.xmlsafe import SAFE_XML_OPTIONS, prepare_xml
from actuel.urls import absolute_url


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    local = tag[tag.rfind("}") + 1 :]
    return local[local.rfind(":") + 1 :].lower()


def _children(element: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for child in element:
        found.setdefault(_local(child.tag), child)
    return found


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _url_item(element: etree._Element, base: str | None, now: datetime) -> FeedItem | None:
    children = _children(element)
    link = absolute_url(_text(children.get("loc")), base)
    if link is None:
        return None
    item = FeedItem(link=link, updated_at=normalize_date(_text(children.get("lastmod")), now=now))
    news = children.get("news")
    if news is not None:
        parts = _children(news)
        item.title = _text(parts.get("title"))
        item.published_at = normalize_date(_text(parts.get("publication_date")), now=now)
        publication = parts.get("publication")
        if publication is not None:
            item.language = _text(_children(publication).get("language"))
        keywords = _text(parts.get("keywords"))
        item.keywords = [k.strip() for k in keywords.split(",") if k.strip()] if keywords else []
    image = children.get("image")
    if image is not None:
        item.image = absolute_url(_text(_children(image).get("loc")), base)
    return item


def _newest_key(item: FeedItem) -> float:
    moment = item.published_at or item.updated_at
    return moment.timestamp() if moment else float("-inf")


def parse_sitemap(
    content: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    max_items: int = 1000,
) -> Feed:
    """URLs of a sitemap (the newest `max_items`), or the child sitemaps of an index."""
    xml, notes = prepare_xml(content, content_type)
    now = datetime.now(UTC)
    kept: list[tuple[float, int, FeedItem]] = []
    children: list[str] = []
    seen = 0
    is_index = False
    has_news = False
    events = etree.iterparse(
        io.BytesIO(xml),
        events=("end",),
        tag=("{*}url", "{*}sitemap", "url", "sitemap"),
        recover=True,
        **SAFE_XML_OPTIONS,
    )
    try:
        for _event, element in events:
            name = _local(element.tag)
            if name == "url" and element.getparent() is not None:
                item = _url_item(element, url, now)
                if item is not None:
                    seen += 1
                    has_news = has_news or item.title is not None or item.published_at is not None
                    entry = (_newest_key(item), -seen, item)
                    if len(kept) < max_items:
                        heapq.heappush(kept, entry)
                    else:
                        heapq.heappushpop(kept, entry)
            elif name == "sitemap":
                is_index = True
                child = absolute_url(_text(_children(element).get("loc")), url)
                if child is not None:
                    seen += 1
                    if len(children) < max_items:
                        children.append(child)
            else:
                continue
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise ParseError(
            f"sitemap is not readable XML: {exc}",
            fix="check that the URL serves an XML sitemap (sitemaps.org)",
            source=url,
        ) from None
    items = [entry[2] for entry in sorted(kept, reverse=True)]
    feed = Feed(format="sitemapindex" if is_index else ("newssitemap" if has_news else "sitemap"))
    feed.items = items
    feed.sitemaps = children
    feed.parser = "lxml"
    feed.notes = notes
    if seen > max_items:
        kept_what = "the first" if is_index else "the newest"
        feed.notes.append(f"{seen:,} entries, kept {kept_what} {max_items:,}")
    return feed
