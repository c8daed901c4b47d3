"""Feeds, sitemaps and robots.txt of the demo outlets: RSS 2.0 and 1.0, Atom, JSON Feed."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape

from lxml import etree

from actuel.demo.corpus import Outlet
from actuel.demo.site import DemoArticle

NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_ATOM = "http://www.w3.org/2005/Atom"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_RSS1 = "http://purl.org/rss/1.0/"
NS_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"

UrlOf = Callable[[DemoArticle], str]


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    node = etree.SubElement(parent, tag, attrib)
    if text is not None:
        node.text = text
    return node


def content_html(article: DemoArticle) -> str:
    return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs)


def teaser(article: DemoArticle, words: int = 40) -> str:
    """A WordPress-style feed description: the first words, then " […]" (a headline-only
    item's whole line: the feed is all there is of it)."""
    all_words = " ".join(article.paragraphs).split()
    if len(all_words) <= words or article.headline_only:
        return " ".join(all_words)
    return " ".join(all_words[:words]) + " […]"


def newest(articles: list[DemoArticle]) -> datetime:
    return max(a.published for a in articles)


def rss2(outlet: Outlet, base: str, articles: list[DemoArticle], url_of: UrlOf) -> bytes:
    """RSS 2.0 as WordPress writes it: guid ?p=, pubDate, description, maybe content:encoded."""
    root = etree.Element("rss", version="2.0", nsmap={"content": NS_CONTENT, "dc": NS_DC})
    channel = _sub(root, "channel")
    _sub(channel, "title", outlet.name)
    _sub(channel, "link", base + "/")
    _sub(channel, "description", f"Toute l'actualité de {outlet.name}")
    _sub(channel, "language", "fr-FR" if outlet.lang == "fr" else "en-GB")
    if articles:
        _sub(channel, "lastBuildDate", format_datetime(newest(articles)))
    _sub(channel, "generator", "https://wordpress.org/?v=6.6.2")
    for article in articles:
        item = _sub(channel, "item")
        _sub(item, "title", article.title)
        link = url_of(article)
        # WordPress analytics plugins tag feed links; readers must strip these
        sep = "&" if "?" in link else "?"
        _sub(item, "link", f"{link}{sep}utm_source=rss&utm_medium=rss&utm_campaign=flux")
        _sub(item, f"{{{NS_DC}}}creator", article.author)
        _sub(item, "pubDate", format_datetime(article.published))
        _sub(item, "category", article.category)
        _sub(item, "guid", f"{base}/?p={article.number}", isPermaLink="false")
        _sub(item, "description", teaser(article))
        if outlet.feed_content and not article.headline_only:
            _sub(item, f"{{{NS_CONTENT}}}encoded", content_html(article))
    return _xml(root)


def json_feed(
    outlet: Outlet, base: str, feed_url: str, articles: list[DemoArticle], url_of: UrlOf
) -> bytes:
    """JSON Feed 1.1 with full content_html and authors (a headline-only item: its line as
    content_text, which the format asks for when there is no content_html)."""
    items = []
    for article in articles:
        body = (
            {"content_text": teaser(article)}
            if article.headline_only
            else {"content_html": content_html(article)}
        )
        items.append(
            {
                "id": f"{base}/?id={article.number}",
                "url": url_of(article),
                "title": article.title,
                "summary": teaser(article, 30),
                **body,
                "date_published": article.published.isoformat(),
                "authors": [{"name": article.author}],
                "language": article.lang,
                "tags": [article.category],
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": base + "/",
        "feed_url": feed_url,
        "language": outlet.lang,
        "items": items,
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def atom(
    outlet: Outlet, base: str, feed_url: str, articles: list[DemoArticle], url_of: UrlOf
) -> bytes:
    """Atom 1.0 with tag: ids, published/updated and a summary only."""
    root = etree.Element(f"{{{NS_ATOM}}}feed", nsmap={None: NS_ATOM})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", outlet.lang)
    _sub(root, f"{{{NS_ATOM}}}title", outlet.name)
    _sub(root, f"{{{NS_ATOM}}}id", f"tag:{outlet.id}.invalid,2026:feed")
    _sub(root, f"{{{NS_ATOM}}}link", rel="self", href=feed_url)
    _sub(root, f"{{{NS_ATOM}}}link", rel="alternate", type="text/html", href=base + "/")
    if articles:
        _sub(root, f"{{{NS_ATOM}}}updated", newest(articles).isoformat())
    for article in articles:
        entry = _sub(root, f"{{{NS_ATOM}}}entry")
        _sub(entry, f"{{{NS_ATOM}}}title", article.title)
        _sub(entry, f"{{{NS_ATOM}}}link", rel="alternate", type="text/html", href=url_of(article))
        _sub(entry, f"{{{NS_ATOM}}}id", f"tag:{outlet.id}.invalid,2026:{article.number}")
        _sub(entry, f"{{{NS_ATOM}}}published", article.published.isoformat())
        _sub(entry, f"{{{NS_ATOM}}}updated", article.published.isoformat())
        author = _sub(entry, f"{{{NS_ATOM}}}author")
        _sub(author, f"{{{NS_ATOM}}}name", article.author)
        _sub(entry, f"{{{NS_ATOM}}}summary", teaser(article, 45), type="text")
    return _xml(root)


def broken_atom(outlet: Outlet, base: str) -> bytes:
    """The start of an Atom feed cut short by a PHP fatal error: not well-formed, no entries."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="{NS_ATOM}" xml:lang="fr-FR">\n'
        f'  <title type="text">{escape(outlet.name)}</title>\n'
        f'  <link rel="alternate" type="text/html" href="{base}/" />\n'
        "  <updated>"
    )
    error = (
        "<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted "
        "(tried to allocate 20480 bytes) in <b>/var/www/html/wp-includes/feed-atom.php</b> "
        "on line <b>42</b><br />\n"
    )
    return (head + error).encode("utf-8")


def rdf(
    outlet: Outlet, base: str, feed_url: str, articles: list[DemoArticle], url_of: UrlOf
) -> bytes:
    """RSS 1.0 (RDF) with dc:date and dc:creator."""
    nsmap = {"rdf": NS_RDF, None: NS_RSS1, "dc": NS_DC}
    root = etree.Element(f"{{{NS_RDF}}}RDF", nsmap=nsmap)
    channel = _sub(root, f"{{{NS_RSS1}}}channel", **{f"{{{NS_RDF}}}about": feed_url})
    _sub(channel, f"{{{NS_RSS1}}}title", outlet.name)
    _sub(channel, f"{{{NS_RSS1}}}link", base + "/")
    _sub(channel, f"{{{NS_RSS1}}}description", "Le journal des Hauts-Plateaux de Téréna")
    _sub(channel, f"{{{NS_DC}}}language", outlet.lang)
    seq = _sub(_sub(channel, f"{{{NS_RSS1}}}items"), f"{{{NS_RDF}}}Seq")
    for article in articles:
        _sub(seq, f"{{{NS_RDF}}}li", **{f"{{{NS_RDF}}}resource": url_of(article)})
    for article in articles:
        item = _sub(root, f"{{{NS_RSS1}}}item", **{f"{{{NS_RDF}}}about": url_of(article)})
        _sub(item, f"{{{NS_RSS1}}}title", article.title)
        _sub(item, f"{{{NS_RSS1}}}link", url_of(article))
        _sub(item, f"{{{NS_RSS1}}}description", teaser(article, 50))
        _sub(item, f"{{{NS_DC}}}date", article.published.isoformat())
        _sub(item, f"{{{NS_DC}}}creator", article.author)
    return _xml(root)


def news_sitemap(outlet: Outlet, articles: list[DemoArticle], url_of: UrlOf) -> bytes:
    """A Google news sitemap: loc, news:publication, news:publication_date, news:title."""
    root = etree.Element(f"{{{NS_SITEMAP}}}urlset", nsmap={None: NS_SITEMAP, "news": NS_NEWS})
    for article in articles:
        url = _sub(root, f"{{{NS_SITEMAP}}}url")
        _sub(url, f"{{{NS_SITEMAP}}}loc", url_of(article))
        news = _sub(url, f"{{{NS_NEWS}}}news")
        publication = _sub(news, f"{{{NS_NEWS}}}publication")
        _sub(publication, f"{{{NS_NEWS}}}name", outlet.name)
        _sub(publication, f"{{{NS_NEWS}}}language", article.lang)
        _sub(news, f"{{{NS_NEWS}}}publication_date", article.published.isoformat())
        _sub(news, f"{{{NS_NEWS}}}title", article.title)
    return _xml(root)


def sitemap(articles: list[DemoArticle], url_of: UrlOf, extra: list[str]) -> bytes:
    """A plain sitemap: the home page (and other `extra` URLs), then every article with lastmod."""
    root = etree.Element(f"{{{NS_SITEMAP}}}urlset", nsmap={None: NS_SITEMAP})
    for loc in extra:
        _sub(_sub(root, f"{{{NS_SITEMAP}}}url"), f"{{{NS_SITEMAP}}}loc", loc)
    for article in articles:
        url = _sub(root, f"{{{NS_SITEMAP}}}url")
        _sub(url, f"{{{NS_SITEMAP}}}loc", url_of(article))
        _sub(url, f"{{{NS_SITEMAP}}}lastmod", article.published.isoformat())
    return _xml(root)


def sitemap_index(children: Sequence[tuple[str, datetime | None]]) -> bytes:
    root = etree.Element(f"{{{NS_SITEMAP}}}sitemapindex", nsmap={None: NS_SITEMAP})
    for loc, lastmod in children:
        node = _sub(root, f"{{{NS_SITEMAP}}}sitemap")
        _sub(node, f"{{{NS_SITEMAP}}}loc", loc)
        if lastmod is not None:
            _sub(node, f"{{{NS_SITEMAP}}}lastmod", lastmod.isoformat())
    return _xml(root)


def robots(sitemaps: list[str], disallow: list[str]) -> bytes:
    """robots.txt that lets every crawler in except a few private paths, and lists the sitemaps."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow]
    lines.append("Allow: /")
    lines.append("")
    lines += [f"Sitemap: {url}" for url in sitemaps]
    return ("\n".join(lines) + "\n").encode("utf-8")
