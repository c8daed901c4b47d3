"""The demo world served on loopback behaves like the web: caching, gzip, slow, flaky, broken."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.robotparser import RobotFileParser

import feedparser
import httpx
import pytest
from lxml import etree

from actuel.demo.server import DemoWorld
from actuel.model import SourceKind

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def world() -> Iterator[DemoWorld]:
    with DemoWorld() as served:
        yield served


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def test_every_outlet_has_its_own_address_and_a_source_to_register(world: DemoWorld) -> None:
    assert len(world.outlets) == 8
    hosts = {httpx.URL(o.base_url).host for o in world.outlets}
    assert len(hosts) == 8
    for outlet in world.outlets:
        assert outlet.source_url.startswith(outlet.base_url + "/")
    kinds = {o.id: o.kind for o in world.outlets}
    assert kinds["ahp"] == SourceKind.SITEMAP
    assert kinds["nouvelles-express"] == SourceKind.PAGE
    assert kinds["courrier-littoral"] == SourceKind.FEED


def test_every_manifest_article_is_served_but_headline_only_items(world: DemoWorld) -> None:
    ids = [a["id"] for a in world.manifest["articles"]]
    feed_only = {a["id"] for a in world.manifest["articles"] if a["headline_only"]}

    def fetch(article_id: str) -> tuple[str, int, str]:
        url = world.url_of(article_id)
        reply = httpx.get(url, timeout=10)
        return article_id, reply.status_code, reply.text

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(fetch, ids))
    titles = {a["id"]: a["title"] for a in world.manifest["articles"]}
    for article_id, status, text in replies:
        assert world.article_for_url(world.url_of(article_id)) == article_id
        if article_id in feed_only:  # listed in its outlet's feed, the page is gone
            assert status == 404 and titles[article_id] not in text, article_id
            continue
        assert status == 200, article_id
        assert "<h1" in text and titles[article_id].split()[0] in text.replace("&#39;", "'")
    assert len(feed_only) >= 3


def test_article_for_url_ignores_tracking_parameters(world: DemoWorld) -> None:
    article_id = next(a["id"] for a in world.manifest["articles"] if a["outlet"] == "kalaba-matin")
    url = world.url_of(article_id)
    assert world.article_for_url(url + "&utm_source=rss&utm_medium=rss") == article_id
    assert world.article_for_url(world.outlet("ahp").base_url + "/nowhere") is None
    assert world.article_for_url("http://203.0.113.9/x") is None


def test_conditional_get_answers_304(world: DemoWorld, client: httpx.Client) -> None:
    for url in (
        world.url_of(world.manifest["articles"][0]["id"]),
        world.outlet("northbridge-herald").source_url,
    ):
        first = client.get(url)
        assert first.status_code == 200
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
        older = "Mon, 02 Nov 2026 08:00:00 GMT"
        assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_bodies_are_gzipped_when_the_client_accepts_it(world: DemoWorld) -> None:
    url = world.outlet("courrier-littoral").source_url
    with httpx.Client(headers={"Accept-Encoding": "gzip"}) as http, http.stream("GET", url) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
    with httpx.Client(headers={"Accept-Encoding": "identity"}) as http:
        plain = http.get(url)
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(raw) == plain.content
    assert len(raw) < len(plain.content)


def test_flaky_outlet_answers_every_fourth_feed_request_with_503(world: DemoWorld) -> None:
    url = world.outlet("echo-des-collines").source_url
    with httpx.Client() as http:
        replies = [http.get(url) for _ in range(8)]
    failed = [n for n, r in enumerate(replies) if r.status_code == 503]
    assert len(failed) == 2 and failed[1] - failed[0] == 4
    for n in failed:
        assert replies[n].headers["retry-after"] == "1"
    assert all(r.status_code == 200 for n, r in enumerate(replies) if n not in failed)


def test_slow_outlet_takes_its_time_and_hits_are_counted(
    world: DemoWorld, client: httpx.Client
) -> None:
    before = world.hits["kalaba-matin"]
    started = time.monotonic()
    assert client.get(world.outlet("kalaba-matin").base_url + "/robots.txt").status_code == 200
    assert time.monotonic() - started >= 0.2
    assert world.hits["kalaba-matin"] == before + 1
    assert any(h.outlet == "kalaba-matin" and h.path == "/robots.txt" for h in world.log)


def test_head_answers_headers_only(world: DemoWorld, client: httpx.Client) -> None:
    url = world.outlet("meridian-post").source_url
    full = client.get(url, headers={"Accept-Encoding": "identity"})
    head = client.head(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    assert head.headers["etag"] == full.headers["etag"]


def test_broken_feed_is_broken_but_its_articles_are_linked_from_home(
    world: DemoWorld, client: httpx.Client
) -> None:
    portail = world.outlet("portail-citoyen")
    reply = client.get(portail.source_url)
    assert reply.status_code == 200
    parsed = feedparser.parse(reply.content)
    assert parsed.bozo and not parsed.entries
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(reply.content)
    home = client.get(portail.base_url + "/").text
    for article in world.manifest["articles"]:
        if article["outlet"] == "portail-citoyen":
            assert world.url_of(article["id"]) in home


def _urls_of(world: DemoWorld, outlet_id: str) -> set[str]:
    return {world.url_of(a["id"]) for a in world.manifest["articles"] if a["outlet"] == outlet_id}


@pytest.mark.parametrize(
    ("outlet_id", "version"),
    [
        ("courrier-littoral", "rss20"),
        ("kalaba-matin", "rss20"),
        ("northbridge-herald", "atom10"),
        ("echo-des-collines", "rss10"),
    ],
)
def test_feeds_parse_and_list_the_outlets_articles(
    world: DemoWorld, client: httpx.Client, outlet_id: str, version: str
) -> None:
    url = world.outlet(outlet_id).source_url
    reply = client.get(url)
    while reply.status_code == 503:  # the flaky outlet
        reply = client.get(url)
    parsed = feedparser.parse(reply.content)
    assert parsed.version == version and not parsed.bozo
    links = {world.article_for_url(e.link) for e in parsed.entries}
    wanted = {a["id"] for a in world.manifest["articles"] if a["outlet"] == outlet_id}
    assert links == wanted
    assert all(e.get("published_parsed") or e.get("updated_parsed") for e in parsed.entries)


def test_json_feed_lists_the_articles_with_full_text(
    world: DemoWorld, client: httpx.Client
) -> None:
    feed = json.loads(client.get(world.outlet("meridian-post").source_url).content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {i["url"] for i in feed["items"]} == _urls_of(world, "meridian-post")
    assert all(i["content_html"].startswith("<p>") and i["date_published"] for i in feed["items"])


def test_news_sitemap_is_valid_and_complete(world: DemoWorld, client: httpx.Client) -> None:
    ahp = world.outlet("ahp")
    root = etree.fromstring(client.get(ahp.source_url).content)
    assert root.tag == SITEMAP + "urlset"
    locs = {u.findtext(SITEMAP + "loc") for u in root}
    assert locs == _urls_of(world, "ahp")
    for url in root:
        assert url.findtext(f"{NEWS}news/{NEWS}publication_date")
        assert url.findtext(f"{NEWS}news/{NEWS}title")
    robots = client.get(ahp.base_url + "/robots.txt").text
    index_url = next(
        line.split(" ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")
    )
    index = etree.fromstring(client.get(index_url).content)
    assert index.tag == SITEMAP + "sitemapindex"
    for loc in index.iter(SITEMAP + "loc"):
        assert client.get(loc.text or "").status_code == 200


def test_home_pages_point_to_their_feed_and_robots_allow_us(
    world: DemoWorld, client: httpx.Client
) -> None:
    for outlet in world.outlets:
        home = client.get(outlet.base_url + "/").text
        if outlet.exposure in ("homepage", "newssitemap"):
            assert 'rel="alternate"' not in home
        else:
            assert 'rel="alternate"' in home and outlet.source_url.replace("&", "&amp;") in home
        robots = client.get(outlet.base_url + "/robots.txt")
        assert robots.status_code == 200
        rules = RobotFileParser()
        rules.parse(robots.text.splitlines())
        for url in [outlet.source_url, *_urls_of(world, outlet.id)]:
            assert rules.can_fetch("actuel", url), url
        if outlet.id == "courrier-littoral":
            assert not rules.can_fetch("actuel", outlet.base_url + "/wp-admin/options.php")


def test_unknown_paths_get_a_404_page(world: DemoWorld, client: httpx.Client) -> None:
    for outlet in world.outlets:
        reply = client.get(outlet.base_url + "/2019/01/01/nothing-here/")
        assert reply.status_code == 404 and "<html" in reply.text
    assert client.get(world.outlet("kalaba-matin").base_url + "/?p=1").status_code == 404


def test_flakiness_can_be_turned_off_for_steady_benchmarks() -> None:
    with DemoWorld(flaky=False) as steady, httpx.Client() as http:
        url = steady.outlet("echo-des-collines").source_url
        assert {http.get(url).status_code for _ in range(8)} == {200}


def test_old_site_sends_cp1252_labelled_latin_1(world: DemoWorld, client: httpx.Client) -> None:
    article = next(a for a in world.manifest["articles"] if a["outlet"] == "echo-des-collines")
    reply = client.get(world.url_of(article["id"]))
    assert reply.headers["content-type"] == "text/html; charset=ISO-8859-1"
    with pytest.raises(UnicodeDecodeError):
        reply.content.decode("utf-8")
    text = reply.content.decode("cp1252")
    assert 'charset=iso-8859-1"' in text
    assert article["title"].replace("'", "&#39;") in text


def test_permalink_without_final_slash_redirects(world: DemoWorld, client: httpx.Client) -> None:
    article = next(a for a in world.manifest["articles"] if a["path"].endswith("/"))
    url = world.url_of(article["id"])
    reply = client.get(url.rstrip("/"))
    assert reply.status_code == 301 and reply.headers["location"] == url
    assert world.article_for_url(url.rstrip("/")) == article["id"]


def test_image_urls_in_pages_answer_with_a_picture(world: DemoWorld, client: httpx.Client) -> None:
    article = next(a for a in world.manifest["articles"] if a["outlet"] == "courrier-littoral")
    page = client.get(world.url_of(article["id"])).text
    image = page.split('property="og:image" content="', 1)[1].split('"', 1)[0]
    reply = client.get(image)
    assert reply.status_code == 200 and reply.headers["content-type"] == "image/png"
    assert reply.content.startswith(b"\x89PNG\r\n\x1a\n")
