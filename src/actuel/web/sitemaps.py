"""Sitemaps for search engines (index, stories, articles, Google News) and robots.txt, via lxml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lxml import etree

from actuel.store.listings import SitemapEntry
from actuel.web.feed_writers import rfc3339

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_TYPE = "application/xml; charset=utf-8"
URLS_PER_SITEMAP = 10_000  # the protocol allows 50,000; smaller files build faster
NEWS_DAYS = 2  # what Google News reads from a news sitemap
NEWS_MAX = 1000


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def index(base: str, story_count: int, article_count: int) -> bytes:
    """The sitemap index: one child sitemap per URLS_PER_SITEMAP stories, then articles."""
    root = etree.Element(f"{{{SITEMAP}}}sitemapindex", nsmap={None: SITEMAP})
    for kind, count in (("stories", story_count), ("articles", article_count)):
        for page in range(max(1, -(-count // URLS_PER_SITEMAP))):
            child = etree.SubElement(root, f"{{{SITEMAP}}}sitemap")
            _sub(child, f"{{{SITEMAP}}}loc", f"{base}/sitemaps/{kind}-{page + 1}.xml")
    return _xml(root)


def urlset(base: str, prefix: str, entries: list[SitemapEntry]) -> bytes:
    """A sitemap of our pages under `prefix` (`/stories/` or `/articles/`), with lastmod."""
    root = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP})
    for entry in entries:
        url = etree.SubElement(root, f"{{{SITEMAP}}}url")
        _sub(url, f"{{{SITEMAP}}}loc", f"{base}{prefix}{entry.ref}")
        if entry.lastmod:
            _sub(url, f"{{{SITEMAP}}}lastmod", rfc3339(entry.lastmod))
    return _xml(root)


def news_since(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=NEWS_DAYS)


def news(base: str, site_name: str, site_lang: str, entries: list[SitemapEntry]) -> bytes:
    """A Google News sitemap of the stories of the last two days."""
    root = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP, "news": NEWS})
    for entry in entries[:NEWS_MAX]:
        url = etree.SubElement(root, f"{{{SITEMAP}}}url")
        _sub(url, f"{{{SITEMAP}}}loc", f"{base}/stories/{entry.ref}")
        item = etree.SubElement(url, f"{{{NEWS}}}news")
        publication = etree.SubElement(item, f"{{{NEWS}}}publication")
        _sub(publication, f"{{{NEWS}}}name", site_name)
        _sub(publication, f"{{{NEWS}}}language", entry.language or site_lang)
        if entry.lastmod:
            _sub(item, f"{{{NEWS}}}publication_date", rfc3339(entry.lastmod))
        _sub(item, f"{{{NEWS}}}title", entry.title or site_name)
    return _xml(root)


def robots(base: str) -> str:
    """robots.txt: everything public may be crawled but admin, API and search results."""
    return (
        "User-agent: *\n"
        "Disallow: /admin\n"
        "Disallow: /api/\n"
        "Disallow: /search\n"
        f"Sitemap: {base}/sitemap.xml\n"
        f"Sitemap: {base}/sitemap-news.xml\n"
    )
