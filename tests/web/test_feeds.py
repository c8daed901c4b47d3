"""Outgoing feeds: what a feed reader gets from home, category, outlet and story feeds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser
import httpx
import lxml.html
import pytest

from actuel.config import Settings
from actuel.model import Article, Source
from actuel.parse import parse_feed
from actuel.store import Store
from actuel.web.app import create_app
from actuel.web.sitemaps import news_since
from tests.support.webserver import running
from tests.web.demo_site import DemoSite

FORMATS = ["xml", "atom", "json"]
FEED_LINK = r'<link rel="alternate" type="application/[a-z+]+" [^>]*href="([^"]+)"'
HOSTILE_TITLE = "Tom & Jerry <script>alert(1)</script> <b>gras</b>"
HOSTILE_AUTHOR = "<img src=x onerror=alert(1)> Ana"


def _base(client: httpx.Client) -> str:
    return str(client.base_url).rstrip("/")


@pytest.mark.parametrize("fmt", FORMATS)
def test_home_feed_round_trips_through_our_parser_and_feedparser(
    demo: tuple[httpx.Client, Store], fmt: str
) -> None:
    client, store = demo
    response = client.get(f"/feed.{fmt}")
    assert response.status_code == 200
    stories = store.stories.latest(limit=50)
    base = _base(client)
    ours = parse_feed(response.content, url=f"{base}/feed.{fmt}")
    if fmt == "json":  # feedparser reads no JSON Feed: the document itself, then
        theirs = [(i["title"], i["id"]) for i in json.loads(response.content)["items"]]
    else:
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        theirs = [(e.title, e.id) for e in parsed.entries]
    # each story under its headline in the reader's language (the site's, French, here)
    titles = [s.headline("fr").title for s in stories]
    assert [i.title for i in ours.items] == titles
    assert theirs == [(t, f"{base}/stories/{s.key}") for t, s in zip(titles, stories, strict=True)]
    assert [i.link for i in ours.items] == [f"{base}/stories/{s.key}" for s in stories]
    expected = [s.first_published_at or s.updated_at for s in stories]
    assert [i.published_at for i in ours.items] == expected
    # every item credits the outlet that published first, by name, linked to the original
    for item, story in zip(ours.items, stories, strict=True):
        outlet = story.original_source or story.original_credit
        if outlet:
            assert "Publié d'abord par" in (item.content or item.summary or "")
            assert outlet in (item.content or item.summary or "")


def test_feeds_use_the_readers_language_and_the_configured_base_url(
    demo_site: DemoSite, demo: tuple[httpx.Client, Store]
) -> None:
    client, store = demo
    english = client.get("/feed.atom", headers={"Accept-Language": "en"})
    parsed = feedparser.parse(english.content)
    assert parsed.feed.language == "en"
    settings = demo_site.settings.replace(site_base_url="https://news.example/")
    app = create_app(settings, store)
    with running(app) as base, httpx.Client(base_url=base) as other:
        feed = feedparser.parse(other.get("/feed.xml").content)
        assert feed.entries
        assert all(e.link.startswith("https://news.example/stories/") for e in feed.entries)
        robots = other.get("/robots.txt").text
        assert "Sitemap: https://news.example/sitemap.xml" in robots


def test_category_outlet_and_story_feeds_list_their_own_items(
    demo: tuple[httpx.Client, Store],
) -> None:
    client, store = demo
    base = _base(client)
    source = next(s for s in store.sources.all() if s.category and s.id is not None)
    category = client.get(f"/categories/{source.category}/feed.json")
    assert category.status_code == 200
    items = json.loads(category.content)["items"]
    want = store.stories.latest(limit=50, category=source.category)
    assert [i["id"] for i in items] == [f"{base}/stories/{s.key}" for s in want]

    outlet = feedparser.parse(client.get(f"/outlets/{source.id}/feed.atom").content)
    articles = store.articles.latest(limit=50, source_id=source.id)
    assert [e.link for e in outlet.entries] == [f"{base}/articles/{a.id}" for a in articles]
    assert all(source.name in e.summary for e in outlet.entries)

    story = store.stories.latest(limit=1)[0]
    members = store.stories.members(story.id)
    feed = parse_feed(client.get(f"/stories/{story.key}/feed.xml").content)
    assert sorted(i.link or "" for i in feed.items) == sorted(
        f"{base}/articles/{m.article.id}" for m in members
    )


@pytest.mark.parametrize(
    "path",
    [
        "/feed.html",
        "/categories/no-such-category/feed.xml",
        "/outlets/999999/feed.atom",
        "/stories/no-such-story/feed.json",
        "/sitemaps/stories-999.xml",
        "/sitemaps/others-1.xml",
    ],
)
def test_unknown_feeds_are_404(demo: tuple[httpx.Client, Store], path: str) -> None:
    client, _store = demo
    assert client.get(path).status_code == 404


def test_sitemaps_list_every_story_and_article_page(demo: tuple[httpx.Client, Store]) -> None:
    client, store = demo
    base = _base(client)
    index = parse_feed(client.get("/sitemap.xml").content)
    assert index.format == "sitemapindex"
    assert index.sitemaps == [f"{base}/sitemaps/stories-1.xml", f"{base}/sitemaps/articles-1.xml"]
    stories = parse_feed(client.get("/sitemaps/stories-1.xml").content)
    story_count, article_count = store.listings.sitemap_counts()
    assert len(stories.items) == story_count > 0
    assert all((i.link or "").startswith(f"{base}/stories/") for i in stories.items)
    articles = parse_feed(client.get("/sitemaps/articles-1.xml").content)
    assert len(articles.items) == article_count == store.articles.count()
    assert all(i.updated_at or i.published_at for i in articles.items)


def test_news_sitemap_holds_the_last_two_days(demo: tuple[httpx.Client, Store]) -> None:
    client, store = demo
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    feed = parse_feed(response.content)
    assert feed.format in ("newssitemap", "sitemap")
    recent = store.listings.news_stories(since=news_since(), limit=1000)
    assert sorted(i.link or "" for i in feed.items) == sorted(
        f"{_base(client)}/stories/{s.ref}" for s in recent
    )


def test_robots_names_the_sitemaps_and_keeps_crawlers_out_of_admin_and_api(
    demo_any: tuple[httpx.Client, Store],
) -> None:
    client, _store = demo_any
    text = client.get("/robots.txt").text
    base = _base(client)
    assert f"Sitemap: {base}/sitemap.xml" in text
    assert f"Sitemap: {base}/sitemap-news.xml" in text
    assert "Disallow: /admin" in text
    assert "Disallow: /api/" in text


@pytest.fixture
def hostile(settings: Settings) -> Iterator[tuple[httpx.Client, int]]:
    """A site whose one outlet publishes HTML in a title and an author name."""
    with Store.open(settings.db, settings) as store:
        source = store.sources.add(
            Source(url="https://gazette.example/feed.xml", name="La <i>Gazette</i>", lang="fr")
        )
        assert source.id is not None
        store.articles.upsert(
            Article(
                source_id=source.id,
                url="https://gazette.example/a/1",
                canonical_url="https://gazette.example/a/1",
                title=HOSTILE_TITLE,
                author=HOSTILE_AUTHOR,
                text="Un texte ordinaire.",
                language="fr",
                published_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                first_seen_at=datetime(2026, 11, 24, 9, 5, tzinfo=UTC),
            )
        )
        with running(create_app(settings, store)) as base, httpx.Client(base_url=base) as client:
            yield client, source.id


@pytest.mark.parametrize("fmt", FORMATS)
def test_html_in_a_title_or_author_stays_text_in_every_feed(
    hostile: tuple[httpx.Client, int], fmt: str
) -> None:
    client, source_id = hostile
    for path in (f"/feed.{fmt}", f"/outlets/{source_id}/feed.{fmt}"):
        body = client.get(path).content
        assert b"<script" not in body and b"<img" not in body and b"<b>" not in body
        ours = parse_feed(body)
        assert [i.title for i in ours.items] == [HOSTILE_TITLE]
        assert ours.items[0].author == "Ana"  # read back: a name loses its markup, not its words
        if fmt == "atom":
            assert [e.title for e in feedparser.parse(body).entries] == [HOSTILE_TITLE]
        if fmt == "xml":  # readers take RSS titles for HTML: what they show is the title
            [entry] = feedparser.parse(body).entries
            shown = lxml.html.fragment_fromstring(entry.title, create_parent="p").text_content()
            assert shown == HOSTILE_TITLE


def test_every_feed_a_page_advertises_is_there(demo: tuple[httpx.Client, Store]) -> None:
    client, store = demo
    source = next(s for s in store.sources.all() if s.category and s.id is not None)
    story = store.stories.latest(limit=1)[0]
    pages = [
        "/",
        f"/stories/{story.key}",
        f"/categories/{source.category}",
        f"/outlets/{source.id}",
    ]
    seen = 0
    for page in pages:
        html = client.get(page).text
        for href in re.findall(
            r'<link rel="alternate" type="application/[a-z+]+" [^>]*href="([^"]+)"', html
        ):
            if "/api/" in href:
                continue
            response = client.get(href.replace("&amp;", "&"))
            assert response.status_code == 200, (page, href)
            assert parse_feed(response.content).items, (page, href)
            seen += 1
    assert seen >= 3
