"""Build the demo world in memory (pages, feeds, sitemaps, robots.txt) and write its manifest.json.

Run `python -m actuel.demo.build` after editing a story or outlets.toml; `--check` only compares.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from actuel.demo import feeds
from actuel.demo.corpus import CORPUS_DIR, Outlet, load_corpus
from actuel.demo.placeholder import placeholder_png
from actuel.demo.render import PageRenderer
from actuel.demo.site import DemoArticle, World, build_world
from actuel.demo.synthetic import add_synthetic
from actuel.errors import ActuelError

MANIFEST_PATH = Path(__file__).resolve().parent / "manifest.json"

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
FEED_TYPES = {
    "rss2": "application/rss+xml; charset=UTF-8",
    "json": "application/feed+json; charset=utf-8",
    "atom": "application/atom+xml; charset=UTF-8",
    "atom-broken": "application/atom+xml; charset=UTF-8",
    "rdf": "application/rdf+xml; charset=UTF-8",
    "newssitemap": XML,
}
# outlets that publish no sitemap (old or minimal sites)
NO_SITEMAP = ("homepage", "atom-broken")


@dataclass(frozen=True)
class Resource:
    """One served URL: bytes and headers, or a redirect."""

    body: bytes
    content_type: str
    last_modified: datetime
    kind: str  # article, home, feed, sitemap, robots, redirect
    status: int = 200
    location: str | None = None
    article_id: str | None = None


@dataclass
class OutletSite:
    """Everything one outlet serves, keyed by outlet-relative path (with its query string)."""

    outlet: Outlet
    base_url: str
    resources: dict[str, Resource] = field(default_factory=dict)
    # headline-only items: the feed links these paths, which answer 404 (path -> article id)
    feed_only: dict[str, str] = field(default_factory=dict)
    not_found: bytes = b""
    image: Resource | None = None  # served for any image URL the pages mention


def load_world(
    corpus_dir: Path = CORPUS_DIR, *, synthetic_articles: int = 0, seed: int = 0
) -> World:
    """The checked corpus turned into articles with paths, plus any synthetic articles."""
    return add_synthetic(build_world(load_corpus(corpus_dir)), synthetic_articles, seed)


def feed_url(outlet: Outlet, base: str) -> str:
    return "" if outlet.exposure == "homepage" else base + outlet.source_path


def _feed(outlet: Outlet, base: str, rows: list[DemoArticle], url_of: Any) -> bytes:
    url = base + outlet.source_path
    if outlet.exposure == "rss2":
        return feeds.rss2(outlet, base, rows, url_of)
    if outlet.exposure == "json":
        return feeds.json_feed(outlet, base, url, rows, url_of)
    if outlet.exposure == "atom":
        return feeds.atom(outlet, base, url, rows, url_of)
    if outlet.exposure == "rdf":
        return feeds.rdf(outlet, base, url, rows, url_of)
    if outlet.exposure == "newssitemap":
        return feeds.news_sitemap(outlet, rows, url_of)
    return feeds.broken_atom(outlet, base)


def _outlet_site(world: World, outlet: Outlet, base: str, pages: PageRenderer) -> OutletSite:
    rows = pages.outlet_rows[outlet.id]
    site = OutletSite(outlet=outlet, base_url=base)
    res = site.resources
    epoch = min((a.published for a in world.articles), default=datetime(2026, 11, 1))
    latest = max((a.published for a in rows), default=epoch)
    html_type, encode = _html_encoding(outlet)
    res["/"] = Resource(encode(pages.home_page(outlet.id)), html_type, latest, "home")
    for article in rows:
        if article.headline_only:
            site.feed_only[article.path] = article.id
            continue
        body = encode(pages.article_page(article))
        res[article.path] = Resource(
            body, html_type, article.published, "article", article_id=article.id
        )
        if article.path.endswith("/") and not article.path.startswith("/?"):
            # like WordPress: the permalink without its final slash redirects to it
            res[article.path.rstrip("/")] = Resource(
                b"", html_type, article.published, "redirect", 301, base + article.path, article.id
            )
        if outlet.url_style == "index-php":
            # WordPress shortlinks redirect to the pretty permalink
            res[f"/?p={article.number}"] = Resource(
                b"", HTML, article.published, "redirect", 301, base + article.path, article.id
            )
    if outlet.exposure != "homepage":
        body = _feed(outlet, base, rows, pages.url_of)
        res[outlet.source_path] = Resource(body, FEED_TYPES[outlet.exposure], latest, "feed")
    sitemaps: list[str] = []
    paged = pages.page_rows[outlet.id]
    if outlet.exposure == "newssitemap":
        res["/sitemap-articles.xml"] = Resource(
            feeds.sitemap(paged, pages.url_of, [base + "/"]), XML, latest, "sitemap"
        )
        children = [(base + outlet.source_path, latest), (base + "/sitemap-articles.xml", latest)]
        res["/sitemap_index.xml"] = Resource(feeds.sitemap_index(children), XML, latest, "sitemap")
        sitemaps = [base + "/sitemap_index.xml", base + outlet.source_path]
    elif outlet.exposure not in NO_SITEMAP:
        res["/sitemap.xml"] = Resource(
            feeds.sitemap(paged, pages.url_of, [base + "/"]), XML, latest, "sitemap"
        )
        sitemaps = [base + "/sitemap.xml"]
    res["/robots.txt"] = Resource(
        feeds.robots(sitemaps, list(outlet.disallow)),
        "text/plain; charset=utf-8",
        epoch,
        "robots",
    )
    site.not_found = encode(pages.not_found_page(outlet.id))
    site.image = Resource(placeholder_png(outlet.id), "image/png", epoch, "image")
    return site


def _html_encoding(outlet: Outlet) -> tuple[str, Callable[[str], bytes]]:
    """Content-Type and encoder of an outlet's pages.

    An old site labels its pages ISO-8859-1 but writes Windows-1252 bytes (curly quotes, …, œ),
    as many still do; characters outside that set become numeric references, as browsers send them.
    """
    if outlet.charset.lower() in ("iso-8859-1", "latin-1", "windows-1252"):
        label = outlet.charset.upper()
        return f"text/html; charset={label}", lambda text: text.encode(
            "cp1252", errors="xmlcharrefreplace"
        )
    return HTML, lambda text: text.encode("utf-8")


def render_world(world: World, base_urls: dict[str, str]) -> dict[str, OutletSite]:
    """Every outlet's pages, feeds and sitemaps, with links built on `base_urls` (no trailing /)."""
    feed_urls = {o.id: feed_url(o, base_urls[o.id]) for o in world.outlets}
    pages = PageRenderer(world, base_urls, feed_urls)
    return {o.id: _outlet_site(world, o, base_urls[o.id], pages) for o in world.outlets}


def manifest_json(world: World) -> str:
    return json.dumps(world.manifest(), ensure_ascii=False, indent=1) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m actuel.demo.build",
        description="Check the demo corpus, write manifest.json.",
    )
    parser.add_argument("--check", action="store_true", help="fail if manifest.json is stale")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--output", type=Path, default=MANIFEST_PATH)
    args = parser.parse_args(argv)
    try:
        world = load_world(args.corpus)
        sample = {o.id: f"http://127.0.1.{n}:8000" for n, o in enumerate(world.outlets, 1)}
        sites = render_world(world, sample)
    except ActuelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = manifest_json(world)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run python -m actuel.demo.build", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    served = sum(len(s.resources) for s in sites.values())
    feed_only = sum(len(s.feed_only) for s in sites.values())
    print(
        f"{len(world.outlets)} outlets, {len(world.stories)} stories, "
        f"{len(world.articles)} articles ({feed_only} headline-only), {served} URLs; "
        f"wrote {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
