"""Page metadata trafilatura does not give us in the form we need: canonical URL, image, declared
language and a full publication timestamp, read from <link>, <meta> and JSON-LD.

Hand-written because trafilatura keeps dates to the day and prefers its own URL order; these few
lookups are plain lxml XPath over the tree we already parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from actuel.extract.teaser import READ_MORE_LINK
from actuel.urls import absolute_url, canonical_url

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "webpage",
}
_LANG = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$")
_MAX_JSON_LD_CHARS = 500_000


@dataclass
class PageMetadata:
    """What the head of a page says about the article."""

    canonical_url: str | None = None
    image: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    read_more_url: str | None = None
    title: str | None = None  # og:title or <title>, for when trafilatura finds none


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """First non-empty content of each <meta> property, name or itemprop, keyed in lower case."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def _meta(tags: dict[str, str], *names: str) -> str | None:
    return next((tags[n.lower()] for n in names if n.lower() in tags), None)


def json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD scripts, @graph members included; bad JSON skipped."""
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _article_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    objects = [o for o in json_ld_objects(tree) if _types(o) & _ARTICLE_TYPES]
    # a NewsArticle says more about the article than the WebPage that wraps it
    return sorted(objects, key=lambda o: "webpage" in _types(o))


def _image_url(value: Any) -> str | None:
    if isinstance(value, list):
        for item in value:
            found = _image_url(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return _image_url(value.get("url") or value.get("contentUrl"))
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_timestamp(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """An ISO 8601 timestamp as aware UTC (naive read as UTC); None if unreadable or future."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    now = now or datetime.now(UTC)
    if parsed > now + timedelta(days=1) or parsed.year < 1990:
        return None
    return parsed


def declared_language(tree: HtmlElement, tags: dict[str, str]) -> str | None:
    """The language the page declares (html lang, og:locale, content-language), ISO 639 code."""
    candidates = [*tree.xpath("/html/@lang"), *tree.xpath("/html/@xml:lang")]
    candidates.append(_meta(tags, "og:locale", "language", "dc.language"))
    candidates += tree.xpath(
        '//meta[translate(@http-equiv, "CONTENTLAGU", "contentlagu")="content-language"]/@content'
    )
    for value in candidates:
        match = _LANG.match(str(value)) if value else None
        if match:
            return match.group(1).lower()
    return None


def _points_home(candidate: str, url: str | None) -> bool:
    """True for a canonical link to a site's home page from an article page (a template mistake)."""
    if not url:
        return False
    return urlsplit(candidate).path.strip("/") == "" and urlsplit(url).path.strip("/") != ""


def read_more_link(tree: HtmlElement, url: str | None) -> str | None:
    """Where an excerpt says its full text is: a "Lire la suite sur …" link to another site."""
    host = urlsplit(url).hostname if url else None
    for anchor in tree.iter("a"):
        words = " ".join(anchor.text_content().split()).strip(" .:»>→…")
        if not words or len(words) > 120 or not READ_MORE_LINK.fullmatch(words):
            continue
        target = absolute_url(anchor.get("href"), url)
        if target and host and urlsplit(target).hostname != host:
            return canonical_url(target)
    return None


def read_metadata(tree: HtmlElement, url: str | None) -> PageMetadata:
    """Canonical URL, image, declared language and publication time from the page's head."""
    articles = _article_objects(tree)
    tags = meta_tags(tree)
    head_title = tree.findtext(".//title")
    found = PageMetadata(
        language=declared_language(tree, tags),
        read_more_url=read_more_link(tree, url),
        title=_meta(tags, "og:title", "twitter:title") or (head_title or "").strip() or None,
    )

    urls = [
        *tree.xpath(
            '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
        )
    ]
    urls.append(_meta(tags, "og:url"))
    urls += [o.get("url") for o in articles if isinstance(o.get("url"), str)]
    for href in urls:
        absolute = absolute_url(str(href), url) if href else None
        if absolute and not _points_home(absolute, url):
            found.canonical_url = canonical_url(absolute)
            break
    if found.canonical_url is None and url:
        found.canonical_url = canonical_url(url)

    images: list[Any] = [
        _meta(tags, "og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    ]
    images += [o.get("image") or o.get("thumbnailUrl") for o in articles]
    for value in images:
        image = absolute_url(_image_url(value), url)
        if image:
            found.image = image
            break

    stamps: list[Any] = [
        _meta(tags, "article:published_time", "og:published_time", "datePublished")
    ]
    stamps += [o.get("datePublished") or o.get("dateCreated") for o in articles]
    stamps.append(_meta(tags, "pubdate", "publishdate", "date", "dc.date", "dcterms.created"))
    for value in stamps:
        stamp = parse_timestamp(value) if isinstance(value, str) else None
        if stamp:
            found.published_at = stamp
            break
    return found
