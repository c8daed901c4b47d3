"""Finding feeds and sitemaps in pages and robots.txt, and cleaning typed source URLs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from actuel.errors import ConfigError
from actuel.model import SourceKind
from actuel.sources import (
    common_feed_paths,
    feed_links_from_html,
    normalize_source_url,
    sitemaps_from_robots,
)
from tests.sources.fixtures_format import read_case

CASES = sorted((Path(__file__).parent / "fixtures" / "discovery").glob("*.html"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_feed_links_match_the_fixture_header(path: Path) -> None:
    case = read_case(path)
    found = feed_links_from_html(case.html, case.base)
    lines = []
    for item in found:
        line = f"{item.kind} {item.url}"
        lines.append(f"{line} | {item.title}" if item.title else line)
    assert lines == case.expect


def test_feed_types_are_reported() -> None:
    case = read_case(
        Path(__file__).parent / "fixtures" / "discovery" / "en_several_alternates.html"
    )
    by_url = {d.url: d for d in feed_links_from_html(case.html, case.base)}
    assert by_url["https://news.example.com/feed.json"].type == "application/feed+json"
    assert by_url["https://news.example.com/feeds/rss.xml"].type == "application/rss+xml"
    assert by_url["https://news.example.com/feeds/world.rss"].type is None


def test_rel_feed_and_json_feed_named_in_href() -> None:
    html = """<html><head>
    <link rel="feed" href="/actus/flux">
    <link rel="alternate" type="application/json" title="Flux JSON" href="/actus/feed.json">
    <link rel="alternate" type="application/json" href="/api/meteo.json">
    </head></html>"""
    found = feed_links_from_html(html, "https://ville.example/actus/")
    assert [d.url for d in found] == [
        "https://ville.example/actus/flux",
        "https://ville.example/actus/feed.json",
    ]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "not html at all",
        "<?xml version='1.0' encoding='utf-8'?><rss></rss>",
        "\x00\xff",
    ],
)
def test_unusable_pages_give_no_feeds_and_never_raise(html: str) -> None:
    assert feed_links_from_html(html, "https://example.fr/") == []


def test_links_with_other_schemes_are_ignored() -> None:
    html = """<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
    <a href="ftp://example.fr/feed.xml">ftp</a>"""
    assert feed_links_from_html(html, "https://example.fr/") == []


def test_sitemaps_from_robots_any_case_relative_and_once() -> None:
    robots = (
        "\ufeffUser-agent: *\r\n"
        "Disallow: /recherche\r\n"
        "Sitemap: https://www.journal.example/sitemap_index.xml\r\n"
        "\r\n"
        "User-agent: GPTBot\r\n"
        "Disallow: /\r\n"
        "sitemap: https://www.journal.example/news-sitemap.xml # Google News\r\n"
        "SITEMAP:/sitemap-videos.xml\r\n"
        "Sitemap: https://www.journal.example/sitemap_index.xml\r\n"
        "Sitemap: ftp://www.journal.example/old.xml\r\n"
    )
    assert sitemaps_from_robots(robots, "https://www.journal.example/robots.txt") == [
        "https://www.journal.example/sitemap_index.xml",
        "https://www.journal.example/news-sitemap.xml",
        "https://www.journal.example/sitemap-videos.xml",
    ]


def test_robots_without_sitemaps() -> None:
    assert sitemaps_from_robots("User-agent: *\nDisallow:\n", "https://a.example/") == []
    assert sitemaps_from_robots("", "https://a.example/") == []


def test_common_feed_paths_feeds_before_sitemaps_on_the_same_site() -> None:
    paths = common_feed_paths("https://www.journal.example/actualites/une-page.html?x=1")
    assert len(paths) == len(set(paths))
    assert {urlsplit(p).netloc for p in paths} == {"www.journal.example"}
    # The section's own feed names are tried before the site root's.
    assert paths[0] == "https://www.journal.example/actualites/feed/"
    assert paths.index("https://www.journal.example/actualites/rss.xml") < paths.index(
        "https://www.journal.example/feed/"
    )
    for expected in (
        "https://www.journal.example/rss",
        "https://www.journal.example/atom.xml",
        "https://www.journal.example/index.xml",
        "https://www.journal.example/feed.json",
        "https://www.journal.example/feeds/posts/default",
        "https://www.journal.example/?feed=rss2",
        "https://www.journal.example/spip.php?page=backend",
    ):
        assert expected in paths
    sitemaps = [p for p in paths if "sitemap" in p]
    assert sitemaps[:3] == [
        "https://www.journal.example/sitemap.xml",
        "https://www.journal.example/news-sitemap.xml",
        "https://www.journal.example/sitemap_index.xml",
    ]
    first_sitemap = paths.index(sitemaps[0])
    assert all("sitemap" in p for p in paths[first_sitemap:])


def test_common_feed_paths_skip_deep_article_folders() -> None:
    paths = common_feed_paths("https://www.journal.example/2026/11/25/un-article")
    assert paths[0] == "https://www.journal.example/feed/"
    assert not any("/2026/" in p for p in paths)
    # A short list: each name is one more request to a site that announced no feed.
    assert len(paths) <= 20


def test_common_feed_paths_from_a_bare_host() -> None:
    paths = common_feed_paths("journal.example")
    assert paths[0] == "https://journal.example/feed/"
    assert not any("//journal.example//" in p for p in paths)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "  https://www.Ouest-Journal.example/rss.xml  ",
            "https://www.ouest-journal.example/rss.xml",
        ),
        ("ouest-journal.example/feed", "https://ouest-journal.example/feed"),
        ("ouest-journal.example", "https://ouest-journal.example/"),
        ("//cdn.example/feed.xml", "https://cdn.example/feed.xml"),
        ("HTTP://Example.fr/Flux?x=1#top", "http://example.fr/Flux?x=1"),
        ("feed://example.fr/rss", "https://example.fr/rss"),
        ("feed:https://example.fr/rss", "https://example.fr/rss"),
        ("example.fr:8080/rss", "https://example.fr:8080/rss"),
        ("localhost:8000/feed", "https://localhost:8000/feed"),
        ("https://例え.example/フィード", "https://例え.example/フィード"),
        ("https://example.fr/mon flux.xml", "https://example.fr/mon%20flux.xml"),
    ],
)
def test_normalize_source_url(typed: str, expected: str) -> None:
    assert normalize_source_url(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://example.fr/feed.xml",
        "gopher://example.fr/",
        "mailto:redaction@example.fr",
        "data:text/html,<b>x</b>",
        "https://",
        "https://exa mple.fr/",
        "https://example.fr:99999/",
    ],
)
def test_normalize_source_url_refuses_with_a_fix(typed: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize_source_url(typed)
    assert "https://" in (caught.value.fix or "")


def test_discovered_kinds_are_source_kinds() -> None:
    html = '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
    (found,) = feed_links_from_html(html, "https://example.fr/")
    assert found.kind is SourceKind.FEED


def test_article_slugs_with_feed_words_are_not_feeds() -> None:
    html = """<main>
    <a href="/news/atom-bomb-anniversary-marked-in-hiroshima">Hiroshima</a>
    <a href="/pets/how-to-feed-your-cat-in-winter">Cats</a>
    <a href="/economie/le-flux-rss-a-20-ans.html">Le flux RSS a 20 ans</a>
    <a href="/rss/une.xml">À la une</a>
    <a href="/?feed=rss2">RSS</a>
    <a href="/export/rss-politique.xml">Politique</a>
    </main>"""
    found = feed_links_from_html(html, "https://journal.example/")
    assert [d.url for d in found] == [
        "https://journal.example/rss/une.xml",
        "https://journal.example/?feed=rss2",
        "https://journal.example/export/rss-politique.xml",
    ]
