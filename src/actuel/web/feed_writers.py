"""Outgoing feeds written from a FeedDoc: RSS 2.0 and Atom 1.0 with lxml, JSON Feed 1.1 with json.

Text goes in as element text and attributes, never spliced into markup, so a title holding
`<script>` comes out escaped in every format. RSS titles are escaped as HTML first: RSS 2.0 never
said whether a title is text or HTML and most readers decode it as HTML, where a title escaped once
shows its `<b>` as markup (Atom says `type="text"`, and JSON Feed's title is text).
"""

from __future__ import annotations

import html as html_text
import json
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree
from lxml.html import builder as html

from actuel.web.feed_items import FeedDoc, FeedEntry

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERATOR = "actuel"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"


def rfc822(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def entry_html(entry: FeedEntry) -> str:
    """The item's body as an HTML fragment: summary, credit to the original, link to our page."""
    parts = []
    if entry.summary:
        parts.append(html.P(entry.summary))
    if entry.credit is not None:
        outlet = (
            html.A(entry.credit.outlet, href=entry.credit.url)
            if entry.credit.url
            else entry.credit.outlet
        )
        line = entry.credit_line
        # the outlet's name, linked, inside the translated line
        before, found, after = line.partition(entry.credit.outlet)
        parts.append(html.P(before, outlet, after) if found else html.P(line))
    return "".join(etree.tostring(part, encoding="unicode", method="html") for part in parts)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _rss_title(title: str) -> str:
    """A plain-text title as the HTML that RSS readers take titles for."""
    return html_text.escape(title, quote=False)


def rss(doc: FeedDoc) -> bytes:
    root = etree.Element("rss", nsmap={"atom": ATOM, "dc": DC}, version="2.0")
    channel = _sub(root, "channel")
    _sub(channel, "title", _rss_title(doc.title))
    _sub(channel, "link", doc.home_url)
    _sub(channel, "description", doc.description or doc.title)
    _sub(channel, "language", doc.language)
    _sub(channel, "generator", GENERATOR)
    if doc.updated:
        _sub(channel, "lastBuildDate", rfc822(doc.updated))
    _sub(
        channel,
        f"{{{ATOM}}}link",
        href=doc.self_url + ".xml",
        rel="self",
        type="application/rss+xml",
    )
    for entry in doc.entries:
        item = _sub(channel, "item")
        _sub(item, "title", _rss_title(entry.title))
        _sub(item, "link", entry.url)
        _sub(item, "guid", entry.id, isPermaLink="true")
        if entry.published:
            _sub(item, "pubDate", rfc822(entry.published))
        if entry.author:
            _sub(item, f"{{{DC}}}creator", entry.author)
        _sub(item, "description", entry_html(entry))
        if entry.credit is not None and entry.credit.feed_url:
            _sub(item, "source", entry.credit.outlet, url=entry.credit.feed_url)
    return _xml(root)


def atom(doc: FeedDoc) -> bytes:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set(XML_LANG, doc.language)
    _sub(root, f"{{{ATOM}}}id", doc.self_url + ".atom")
    _sub(root, f"{{{ATOM}}}title", doc.title, type="text")
    if doc.description:
        _sub(root, f"{{{ATOM}}}subtitle", doc.description, type="text")
    _sub(root, f"{{{ATOM}}}updated", rfc3339(doc.updated or EPOCH))
    _sub(
        root,
        f"{{{ATOM}}}link",
        rel="self",
        href=doc.self_url + ".atom",
        type="application/atom+xml",
    )
    _sub(root, f"{{{ATOM}}}link", rel="alternate", href=doc.home_url, type="text/html")
    _sub(root, f"{{{ATOM}}}generator", GENERATOR)
    site_author = _sub(root, f"{{{ATOM}}}author")
    _sub(site_author, f"{{{ATOM}}}name", doc.site_name)
    for entry in doc.entries:
        item = _sub(root, f"{{{ATOM}}}entry")
        if entry.language:
            item.set(XML_LANG, entry.language)
        _sub(item, f"{{{ATOM}}}id", entry.id)
        _sub(item, f"{{{ATOM}}}title", entry.title, type="text")
        _sub(item, f"{{{ATOM}}}link", rel="alternate", href=entry.url, type="text/html")
        if entry.credit is not None and entry.credit.url:
            _sub(
                item, f"{{{ATOM}}}link", rel="via", href=entry.credit.url, title=entry.credit.outlet
            )
        if entry.published:
            _sub(item, f"{{{ATOM}}}published", rfc3339(entry.published))
        updated = entry.updated or entry.published or doc.updated or EPOCH
        _sub(item, f"{{{ATOM}}}updated", rfc3339(updated))
        if entry.author:
            author = _sub(item, f"{{{ATOM}}}author")
            _sub(author, f"{{{ATOM}}}name", entry.author)
        _sub(item, f"{{{ATOM}}}summary", entry_html(entry), type="html")
    return _xml(root)


def json_feed(doc: FeedDoc) -> bytes:
    items = []
    for entry in doc.entries:
        item: dict[str, object] = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry_html(entry),
            "summary": entry.summary,
        }
        if entry.credit is not None and entry.credit.url:
            item["external_url"] = entry.credit.url
        if entry.published:
            item["date_published"] = rfc3339(entry.published)
        if entry.updated:
            item["date_modified"] = rfc3339(entry.updated)
        if entry.author:
            item["authors"] = [{"name": entry.author}]
        if entry.language:
            item["language"] = entry.language
        if entry.image:
            item["image"] = entry.image
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.home_url,
        "feed_url": doc.self_url + ".json",
        "description": doc.description or doc.title,
        "language": doc.language,
        "items": items,
    }
    text = json.dumps(feed, ensure_ascii=False, separators=(",", ":"))
    # the same document, with no raw < > & left for a careless reader to take as markup
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")
