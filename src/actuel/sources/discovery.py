"""Find a site's feeds and sitemaps in what was already fetched: HTML, robots.txt, a typed URL.

Hand-written on lxml: trafilatura's feed finder fetches by itself and keeps one feed, while we need
every candidate, ranked, without touching the network (only `fetch/` does that).
"""

from __future__ import annotations

import re
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from actuel.errors import ConfigError
from actuel.model import SourceKind
from actuel.sources.home import article_links_from_home
from actuel.sources.html import document_base, link_text, parse_html
from actuel.urls import absolute_url, home_url, is_http_url

__all__ = [
    "Discovered",
    "article_links_from_home",
    "common_feed_paths",
    "feed_links_from_html",
    "normalize_source_url",
    "sitemaps_from_robots",
]


@dataclass
class Discovered:
    """A feed or sitemap found on a page, with what the page said about it."""

    url: str
    kind: SourceKind
    title: str | None = None
    type: str | None = None  # MIME type announced by the page, when it gave one


# Types that name a feed whatever the URL looks like.
_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "application/x.atom+xml",
        "text/rss+xml",
        "text/atom+xml",
    }
)
# Types that are a feed only when the URL or title says so (WordPress announces its REST API as
# application/json, many pages announce translations as text/html).
_MAYBE_FEED_TYPES = frozenset({"application/json", "application/xml", "text/xml"})

_FEED_SEGMENTS = frozenset({"feed", "feeds", "rss", "rss2", "atom", "rdf", "backend"})
_FEED_FILE = re.compile(r"\.(?:rss|atom|rdf)$|(?:feed|rss|atom).*\.(?:xml|json)$", re.IGNORECASE)
_FEED_QUERY = re.compile(
    r"(?:^|&)(?:feed=|page=backend|(?:format|type|output)=(?:rss|atom))", re.IGNORECASE
)
_FEEDISH_TITLE = re.compile(r"\b(?:rss|atom|feed|flux|fil)\b", re.IGNORECASE)
_COMMENTS = re.compile(r"comments?|commentaires?", re.IGNORECASE)
_MAYBE_FEED_HREF = re.compile(r"feed|rss|atom|rdf|backend|sitemap|\.xml|\.json", re.IGNORECASE)
_SITEMAPISH_URL = re.compile(r"sitemap[^/]*\.xml(?:\.gz)?$", re.IGNORECASE)


def _feedish_url(url: str) -> bool:
    """True when an address plainly names a feed: `/feed/`, `rss.xml`, `world.rss`, `?feed=rss2`.

    Whole path segments and file names only, so that an article slug such as
    `/how-to-feed-your-cat` is not taken for a feed.
    """
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    if any(s in _FEED_SEGMENTS for s in segments):
        return True
    if segments and _FEED_FILE.search(segments[-1]):
        return True
    if parts.query and _FEED_QUERY.search(parts.query):
        return True
    return (parts.hostname or "").endswith("feedburner.com")


def _mime(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _feed_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _is_comment_feed(found: Discovered) -> bool:
    # WordPress lists "Comments feed" and per-article comment feeds beside the site's main feed.
    return bool(_COMMENTS.search(_feed_path(found.url)) or _COMMENTS.search(found.title or ""))


def _from_link_element(
    rel: set[str], mime: str | None, url: str, title: str | None
) -> SourceKind | None:
    if "sitemap" in rel:
        return SourceKind.SITEMAP
    if not rel & {"alternate", "feed"}:
        return None
    if mime in _FEED_TYPES:
        return SourceKind.FEED
    feedish = _feedish_url(url) or bool(_FEEDISH_TITLE.search(title or ""))
    if mime in _MAYBE_FEED_TYPES and feedish:
        return SourceKind.FEED
    if mime is None and "feed" in rel:
        return SourceKind.FEED
    return None


def _from_anchor(url: str, text: str) -> SourceKind | None:
    path = urlsplit(url).path
    if _SITEMAPISH_URL.search(path):
        return SourceKind.SITEMAP
    if _feedish_url(url):
        return SourceKind.FEED
    # A bare "RSS" button pointing at an XML file.
    if text.strip().lower() in {"rss", "atom", "flux rss", "rss feed"} and path.endswith(".xml"):
        return SourceKind.FEED
    return None


def feed_links_from_html(html: str, base_url: str) -> list[Discovered]:
    """Feeds and sitemaps a page announces, best first.

    `<link rel="alternate">` feeds come first, in page order, the site's main feeds before comment
    feeds; then `<a>` links that plainly point to a feed or sitemap (a weaker signal). URLs are
    absolute and each appears once.
    """
    tree = parse_html(html)
    if tree is None:
        return []
    base = document_base(tree, base_url)
    announced: list[Discovered] = []
    for element in tree.iter("link"):
        rel = set((element.get("rel") or "").lower().split())
        mime = _mime(element.get("type"))
        url = absolute_url(element.get("href"), base)
        if not url:
            continue
        title = " ".join((element.get("title") or "").split()) or None
        kind = _from_link_element(rel, mime, url, title)
        if kind is not None:
            announced.append(Discovered(url=url, kind=kind, title=title, type=mime))
    linked: list[Discovered] = []
    for element in tree.iter("a"):
        href = element.get("href") or ""
        # Most links of a page are articles and menus; a cheap look at the raw href skips them.
        if not _MAYBE_FEED_HREF.search(href):
            continue
        url = absolute_url(href, base)
        if not url:
            continue
        text = link_text(element)
        kind = _from_anchor(url, text)
        if kind is not None:
            title = text or " ".join((element.get("title") or "").split()) or None
            linked.append(Discovered(url=url, kind=kind, title=title))
    ranked = (
        [d for d in announced if d.kind is SourceKind.FEED and not _is_comment_feed(d)]
        + [d for d in linked if d.kind is SourceKind.FEED and not _is_comment_feed(d)]
        + [d for d in announced if d.kind is SourceKind.FEED and _is_comment_feed(d)]
        + [d for d in linked if d.kind is SourceKind.FEED and _is_comment_feed(d)]
        + [d for d in announced + linked if d.kind is SourceKind.SITEMAP]
    )
    seen: set[str] = set()
    unique: list[Discovered] = []
    for found in ranked:
        key = found.url.split("#", 1)[0]
        if key not in seen:
            seen.add(key)
            unique.append(found)
    return unique


# Ordered by how often each answers on news sites: WordPress, generic names, Drupal, Jekyll, Hugo,
# JSON Feed, SPIP (common on French local and associative sites), Blogger, WordPress without pretty
# links. Kept short: every name is one more request to a site that already said nothing.
_COMMON_FEED_PATHS = (
    "/feed/",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/feed.json",
    "/spip.php?page=backend",
    "/feeds/posts/default",
    "/?feed=rss2",
)
# Names also tried under a section (`/blog/feed/`), before the root ones.
_SECTION_FEED_PATHS = _COMMON_FEED_PATHS[:5]
_COMMON_SITEMAP_PATHS = (
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/sitemap_index.xml",
    "/sitemap-news.xml",
)
_SECTION_DEPTH = 2


def _section(path: str) -> str | None:
    """The folder of a section front (`/blog/`, `/actualites/sport/`), None for the root or a deep
    article path, where trying feed names would only cost requests."""
    folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    segments = [s for s in folder.split("/") if s]
    if not segments or len(segments) > _SECTION_DEPTH or any(s.isdigit() for s in segments):
        return None
    return folder


def common_feed_paths(base_url: str) -> list[str]:
    """Absolute URLs worth trying when a page announces no feed, most likely first.

    Feeds come before sitemaps. When `base_url` is a section front (`https://example.fr/blog/`),
    the commonest feed names under that section are tried before the ones at the site root.
    """
    normalized = normalize_source_url(base_url)
    parts = urlsplit(normalized)
    root = home_url(normalized)
    candidates = []
    section = _section(parts.path)
    if section is not None:
        folder = urlunsplit((parts.scheme, parts.netloc, section, "", ""))
        candidates += [urljoin(folder, "." + path) for path in _SECTION_FEED_PATHS]
    candidates += [urljoin(root, path) for path in _COMMON_FEED_PATHS]
    candidates += [urljoin(root, path) for path in _COMMON_SITEMAP_PATHS]
    return list(dict.fromkeys(candidates))


def sitemaps_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt (any case, any group), absolute, once each, in order."""
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(robots_txt.lstrip("\ufeff").splitlines())
    found: list[str] = []
    for value in parser.site_maps() or []:
        url = absolute_url(value.strip(), base_url)
        if url and url not in found:
            found.append(url)
    return found


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$", re.DOTALL)
_FIX_URL = "give the address of a web page, feed or sitemap starting with https:// or http://"


def _escape_blanks(part: str) -> str:
    """Spaces and control characters percent-encoded: stripped or dropped as they are, they would
    make the URL read back as another one."""
    return "".join(quote(c) if c.isspace() or not c.isprintable() else c for c in part)


def normalize_source_url(url: str) -> str:
    """A source URL as typed by a person, made into an absolute http(s) URL.

    Strips blanks, adds `https://` when the scheme is missing, reads `feed://` links as https,
    lower-cases the scheme and host and drops the fragment. Other schemes (`file:`, `javascript:`,
    `ftp:`…) raise ConfigError.
    """
    text = (url or "").strip()
    if not text:
        raise ConfigError("the source URL is empty", fix=_FIX_URL)
    if text.lower().startswith("feed:"):
        rest = text[5:]
        text = rest if re.match(r"^https?://", rest, re.IGNORECASE) else "https:" + rest
    if text.startswith("//"):
        text = "https:" + text
    match = _SCHEME.match(text)
    # `example.fr:8080/rss` has a colon but no scheme; a scheme is followed by `//` or by no digit.
    if match is None or (not match.group(2).startswith("//") and match.group(2)[:1].isdigit()):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # an unbalanced `[` of an IPv6 literal
        raise ConfigError(
            f"source URL {url.strip()!r} is not a web address", fix=_FIX_URL
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigError(
            f"source URL {url.strip()!r} uses the scheme {scheme}:, which actuel does not fetch",
            fix=_FIX_URL,
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"source URL {url.strip()!r} has an invalid port", fix=_FIX_URL) from None
    host = (parts.hostname or "").rstrip(".")
    if not host or any(c.isspace() for c in host):
        raise ConfigError(f"source URL {url.strip()!r} has no valid host name", fix=_FIX_URL)
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path, query = _escape_blanks(parts.path) or "/", _escape_blanks(parts.query)
    normalized = urlunsplit((scheme, netloc, path, query, ""))
    if not is_http_url(normalized):
        raise ConfigError(f"source URL {url.strip()!r} is not a web address", fix=_FIX_URL)
    return normalized
