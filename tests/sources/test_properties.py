"""Whatever a publisher or an operator sends, the sources stage answers or refuses cleanly."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from actuel.config import load_settings
from actuel.errors import ConfigError
from actuel.model import Source
from actuel.sources import (
    article_links_from_home,
    feed_links_from_html,
    next_poll_after_error,
    next_poll_after_success,
    normalize_source_url,
)
from actuel.urls import is_http_url

CFG = load_settings(environ={})
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)

hrefs = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["/feed/", "//x.example/rss", "http://[::1", "javascript:x", "../a-b-c-d-e", "?p=1", "#"]
    ),
)
fragments = st.lists(
    st.one_of(
        st.text(max_size=30),
        hrefs.map(lambda h: f'<a href="{h}">lien</a>'),
        hrefs.map(lambda h: f'<link rel="alternate" type="application/rss+xml" href="{h}">'),
        st.sampled_from(["<nav>", "</nav>", "<base href='/x/'>", "<?xml version='1.0'?>", "\x00"]),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(fragments)
def test_any_html_gives_http_links_or_nothing(html: str) -> None:
    for found in feed_links_from_html(html, "https://journal.example/"):
        assert is_http_url(found.url)
    for url in article_links_from_home(html, "https://journal.example/"):
        assert is_http_url(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_typed_url_is_normalized_or_refused_with_a_config_error(typed: str) -> None:
    try:
        url = normalize_source_url(typed)
    except ConfigError:
        return
    assert is_http_url(url)
    assert normalize_source_url(url) == url


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=-(10**8), max_value=10**8), max_size=40),
    st.integers(min_value=0, max_value=10**6),
)
def test_next_polls_are_always_ahead_and_bounded(offsets: list[int], errors: int) -> None:
    times = [NOW + timedelta(seconds=o) for o in offsets]
    interval, at = next_poll_after_success(
        Source(url="https://a.example/"), now=NOW, item_times=times, settings=CFG
    )
    assert CFG.poll_interval_min <= interval <= CFG.poll_interval_max
    assert NOW < at <= NOW + timedelta(seconds=interval * 1.5)
    failing = Source(url="https://a.example/", error_count=errors)
    retry = next_poll_after_error(failing, now=NOW, settings=CFG, rng=random.Random(errors))
    assert NOW < retry <= NOW + timedelta(seconds=CFG.backoff_max)


def test_a_control_character_in_a_typed_url_survives_normalizing_twice() -> None:
    """Found by the property above: a unit separator in the query was kept as it was, then
    stripped as a blank when the normalized URL was read again (another URL: `https://0/`)."""
    url = normalize_source_url("0?\x1f#")
    assert url == "https://0/?%1F"
    assert normalize_source_url(url) == url
