"""Adding a source: what to poll for an address (a feed, a sitemap, or a home page), found once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from actuel.errors import ActuelError, FetchError, NotAFeedError, ParseError
from actuel.extract import extract_page
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind, SourceState
from actuel.parse import decode_document, detect_format, parse_feed
from actuel.sources.discovery import (
    Discovered,
    article_links_from_home,
    common_feed_paths,
    feed_links_from_html,
    sitemaps_from_robots,
)
from actuel.urls import home_url, robots_url


@dataclass
class DiscoveryResult:
    """What a URL turned out to be, and the source to register for it."""

    url: str
    kind: SourceKind
    title: str | None
    site_url: str | None
    language: str | None
    candidates: list[Discovered]


def discover(url: str, fetcher: Fetcher) -> DiscoveryResult:
    """Find what to poll for a URL: a feed or sitemap as is, else the feeds a home page announces,
    else common feed paths and robots.txt `Sitemap:` lines, else the home page itself."""
    fetched = fetcher.get(url, purpose="discovery", source=url)
    if not fetched.content.strip():
        raise ParseError(
            f"{fetched.final_url} answered HTTP {fetched.status} with an empty body: "
            "no feed, sitemap or page to poll",
            fix="check the address in a browser; give the site's feed or home page",
            source=url,
        )
    kind_of = detect_format(fetched.content, fetched.content_type)
    if kind_of and kind_of != "html":
        feed = parse_feed(fetched.content, url=fetched.final_url, content_type=fetched.content_type)
        return DiscoveryResult(
            url=fetched.final_url,
            kind=_kind_of_format(feed.format),
            # a sitemap has no title (nor have some feeds): the site's name, not its host
            title=feed.title or _site_name(fetched.final_url, fetcher),
            site_url=feed.link,
            language=feed.language,
            candidates=[],
        )
    html = decode_document(fetched.content, fetched.content_type)
    page = extract_page(html, url=fetched.final_url)
    candidates = feed_links_from_html(html, fetched.final_url)
    found = _first_feed((c.url for c in candidates), fetcher)
    if found is None:  # what robots.txt lists, then the usual paths: asked only now
        found = _first_feed(_probes(fetched.final_url, fetcher, url), fetcher)
    if found is not None:
        return DiscoveryResult(
            url=found[0],
            kind=found[1],
            title=found[2] or page.site_name,
            site_url=fetched.final_url,
            language=page.language,
            candidates=candidates,
        )
    if not article_links_from_home(html, fetched.final_url, max_links=1):
        raise ParseError(
            f"{fetched.final_url} announces no feed, lists no sitemap and links to no article",
            fix="give the address of the site's feed, sitemap or a home page listing articles",
            source=url,
        )
    return DiscoveryResult(
        url=fetched.final_url,
        kind=SourceKind.PAGE,
        title=page.site_name or page.title,
        site_url=fetched.final_url,
        language=page.language,
        candidates=candidates,
    )


def _first_feed(urls: Iterable[str], fetcher: Fetcher) -> tuple[str, SourceKind, str | None] | None:
    """The first of `urls` that answers with a feed or sitemap (its URL, kind and title)."""
    for candidate in urls:
        found = _try_feed(candidate, fetcher)
        if found:
            return found
    return None


def _probes(home: str, fetcher: Fetcher, asked: str) -> Iterator[str]:
    """The sitemaps robots.txt lists, then the usual feed paths, each once."""
    probes: list[str] = []
    try:
        robots = fetcher.get(robots_url(home), purpose="robots", source=asked)
        probes += sitemaps_from_robots(decode_document(robots.content, robots.content_type), home)
    except FetchError:
        pass
    probes += common_feed_paths(home)
    yield from dict.fromkeys(probes)


def _site_name(url: str, fetcher: Fetcher) -> str | None:
    """The name a site's home page gives itself (og:site_name, else its title), if it answers."""
    home = home_url(url)
    try:
        fetched = fetcher.get(home, purpose="discovery", source=url)
    except ActuelError:
        return None
    if detect_format(fetched.content, fetched.content_type) not in (None, "html"):
        return None
    page = extract_page(decode_document(fetched.content, fetched.content_type), url=home)
    return page.site_name or page.title


def _kind_of_format(fmt: str) -> SourceKind:
    return (
        SourceKind.SITEMAP
        if fmt.startswith("sitemap") or fmt == "newssitemap"
        else (SourceKind.FEED)
    )


def _try_feed(url: str, fetcher: Fetcher) -> tuple[str, SourceKind, str | None] | None:
    try:
        fetched = fetcher.get(url, purpose="discovery", source=url)
        feed = parse_feed(fetched.content, url=fetched.final_url, content_type=fetched.content_type)
    except (FetchError, NotAFeedError):
        return None
    except ActuelError:
        return None
    if not feed.items and not feed.sitemaps:
        return None
    return fetched.final_url, _kind_of_format(feed.format), feed.title


def new_source(url: str, discovery: DiscoveryResult | None, **fields: object) -> Source:
    """A Source to register, from what discovery found and the operator's own fields."""
    source = Source(url=discovery.url if discovery else url)
    if discovery:
        source.kind = discovery.kind
        source.name = discovery.title or ""
        source.site_url = discovery.site_url
        source.lang = discovery.language
    for name, value in fields.items():
        if value is not None:
            setattr(source, name, value)
    if not source.name:
        source.name = urlsplit(source.url).hostname or source.url
    source.state = SourceState.ACTIVE
    return source
