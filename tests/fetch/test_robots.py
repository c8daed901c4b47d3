"""robots.txt: honoured when the setting says so, fetched once per host, lenient when broken."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from actuel.config import Settings
from actuel.errors import HTTPStatusError, RobotsDisallowedError
from actuel.fetch import Fetcher
from tests.support.loopback import Loopback, Reply, Request

ROBOTS = b"""\
User-agent: *
Disallow: /private/

User-agent: actuel
Disallow: /no-bots/
Allow: /no-bots/except-us
Disallow: /*?print=

Sitemap: https://news.example/sitemap.xml
"""


@pytest.fixture
def polite(fetch_settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(fetch_settings.replace(fetch_respect_robots=True)) as fetcher:
        yield fetcher


def _pages(loopback: Loopback, robots: Reply) -> None:
    loopback.route("/robots.txt", robots)
    for path in ("/private/a", "/no-bots/x", "/no-bots/except-us", "/news/1", "/article"):
        loopback.route(path, b"<html>page</html>")


def test_disallowed_url_never_requested(loopback: Loopback, polite: Fetcher) -> None:
    _pages(loopback, Reply(body=ROBOTS))
    with pytest.raises(RobotsDisallowedError, match=r"robots\.txt forbids") as info:
        polite.get(loopback.url("/no-bots/x"), source="source 14 (page)")
    assert str(info.value).startswith("source 14 (page): ")
    with pytest.raises(RobotsDisallowedError):
        polite.get(loopback.url("/article?print=1"))
    assert loopback.hits_to("/no-bots/x") == []
    assert loopback.hits_to("/article") == []


def test_our_group_applies_not_the_star_group(loopback: Loopback, polite: Fetcher) -> None:
    """A group naming actuel replaces the * group, as robots.txt rules say."""
    _pages(loopback, Reply(body=ROBOTS))
    assert polite.get(loopback.url("/no-bots/except-us")).status == 200
    assert polite.get(loopback.url("/private/a")).status == 200
    assert polite.get(loopback.url("/news/1")).status == 200


def test_robots_fetched_once_per_host(loopback: Loopback, polite: Fetcher) -> None:
    _pages(loopback, Reply(body=ROBOTS))
    for _ in range(3):
        polite.get(loopback.url("/news/1"))
    assert len(loopback.hits_to("/robots.txt")) == 1
    assert len(loopback.hits_to("/news/1")) == 3
    assert loopback.hits_to("/robots.txt")[0].headers["user-agent"].startswith("actuel/")


def test_robots_cache_expires(loopback: Loopback, fetch_settings: Settings) -> None:
    _pages(loopback, Reply(body=ROBOTS))
    settings = fetch_settings.replace(fetch_respect_robots=True, fetch_robots_ttl=0)
    with Fetcher(settings) as fetcher:
        fetcher.get(loopback.url("/news/1"))
        fetcher.get(loopback.url("/news/1"))
    assert len(loopback.hits_to("/robots.txt")) == 2


@pytest.mark.parametrize("status", [401, 403, 404, 410, 500, 503])
def test_error_robots_allows_everything(loopback: Loopback, polite: Fetcher, status: int) -> None:
    _pages(loopback, Reply(status, body=b"User-agent: *\nDisallow: /\n"))
    assert polite.get(loopback.url("/no-bots/x")).status == 200


def test_robots_ignored_when_setting_off(loopback: Loopback, fetcher: Fetcher) -> None:
    _pages(loopback, Reply(body=ROBOTS))
    assert fetcher.get(loopback.url("/no-bots/x")).status == 200
    assert loopback.hits_to("/robots.txt") == []


def test_redirect_target_checked_against_robots(loopback: Loopback, polite: Fetcher) -> None:
    _pages(loopback, Reply(body=ROBOTS))
    loopback.route("/go", Reply(302, {"Location": "/private/a?print=1"}))
    with pytest.raises(RobotsDisallowedError):
        polite.get(loopback.url("/go"))
    assert loopback.hits_to("/private/a") == []


def test_sitemaps_listed_in_robots(loopback: Loopback, polite: Fetcher) -> None:
    _pages(loopback, Reply(body=ROBOTS))
    assert polite.robots_sitemaps(loopback.url("/news/1")) == ["https://news.example/sitemap.xml"]


def test_failing_robots_keeps_the_rules_known_before(
    loopback: Loopback, fetch_settings: Settings
) -> None:
    answers = iter([Reply(body=ROBOTS), Reply(503), Reply(503)])
    _pages(loopback, Reply())
    loopback.route("/robots.txt", lambda _req: next(answers))
    settings = fetch_settings.replace(fetch_respect_robots=True, fetch_robots_ttl=0)
    with Fetcher(settings) as fetcher:
        for _ in range(2):
            with pytest.raises(RobotsDisallowedError):
                fetcher.get(loopback.url("/no-bots/x"))
    assert len(loopback.hits_to("/robots.txt")) == 2
    assert loopback.hits_to("/no-bots/x") == []


def test_robots_retry_after_holds_back_the_page(loopback: Loopback, polite: Fetcher) -> None:
    _pages(loopback, Reply(429, {"Retry-After": "60"}))
    with pytest.raises(HTTPStatusError) as info:
        polite.get(loopback.url("/news/1"))
    assert info.value.status == 429
    assert loopback.hits_to("/news/1") == []


def test_crawl_delay_spaces_requests(loopback: Loopback, polite: Fetcher) -> None:
    arrivals: list[float] = []

    def page(_req: Request) -> Reply:
        arrivals.append(time.monotonic())
        return Reply(body=b"ok")

    loopback.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 0.4\n"))
    loopback.route("/news/1", page)
    for _ in range(3):
        polite.get(loopback.url("/news/1"))
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.4 * 0.9, gaps


def test_crawl_delay_capped_by_setting(loopback: Loopback, fetch_settings: Settings) -> None:
    """A Crawl-delay of a day would stall every thread; it is capped (here at 0.2 s)."""
    arrivals: list[float] = []

    def page(_req: Request) -> Reply:
        arrivals.append(time.monotonic())
        return Reply(body=b"ok")

    loopback.route("/robots.txt", Reply(body=b"User-agent: *\nCrawl-delay: 86400\n"))
    loopback.route("/news/1", page)
    settings = fetch_settings.replace(fetch_respect_robots=True, fetch_crawl_delay_max=0.2)
    with Fetcher(settings) as fetcher:
        for _ in range(2):
            fetcher.get(loopback.url("/news/1"), source="source 16 (x)")
    assert 0.2 * 0.9 <= arrivals[1] - arrivals[0] < 30


def test_rules_past_the_size_limit_are_ignored(
    loopback: Loopback, fetch_settings: Settings
) -> None:
    head = b"User-agent: *\nDisallow: /no-bots/\n"
    padding = b"# " + b"x" * 4000 + b"\n"
    tail = b"Disallow: /news/\n"
    _pages(loopback, Reply(body=head + padding + tail))
    settings = fetch_settings.replace(fetch_respect_robots=True, fetch_robots_max_bytes=1024)
    with Fetcher(settings) as fetcher:
        assert fetcher.get(loopback.url("/news/1")).status == 200
        with pytest.raises(RobotsDisallowedError):
            fetcher.get(loopback.url("/no-bots/x"))
