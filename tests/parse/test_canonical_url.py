"""Canonical URLs: tracking parameters go, everything that identifies an article stays."""

from __future__ import annotations

import pytest

from actuel.urls import absolute_url, canonical_url, is_http_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "https://Example.com:443/a/?utm_source=rss&id=3&fbclid=x#top",
            "https://example.com/a/?id=3",
        ),
        ("http://news.example/spip.php?article123", "http://news.example/spip.php?article123"),
        (
            "http://news.example/news.asp?newsid=55&utm_medium=feed",
            "http://news.example/news.asp?newsid=55",
        ),
        ("https://news.example/?p=123&xtor=RSS-1", "https://news.example/?p=123"),
        ("https://news.example", "https://news.example/"),
        ("https://news.example/caf%C3%A9", "https://news.example/caf%C3%A9"),
        ("https://news.example/café", "https://news.example/caf%C3%A9"),
        ("http://news.example:8080//a//b", "http://news.example:8080/a/b"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


def test_distinct_articles_keep_distinct_urls() -> None:
    urls = [f"http://news.example/spip.php?article{i}" for i in range(5)]
    assert len({canonical_url(u) for u in urls}) == 5


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "//x", "", "["])
def test_non_http_urls_are_not_http(url: str) -> None:
    assert not is_http_url(url)
    assert absolute_url(url, None) is None or url == "//x"


def test_a_port_that_is_no_number_is_no_address() -> None:
    """Found by the 1,000-mutated-feeds pass: an item link with a damaged port raised ValueError
    in the writer thread and stopped every source's ingest."""
    damaged = "http://127.0.0.1:44575\u00e9f137/f1/a0"
    assert not is_http_url(damaged)
    assert absolute_url(damaged, None) is None
    assert canonical_url(damaged) == damaged
    assert not is_http_url("https://veilleur.example:99999/")
