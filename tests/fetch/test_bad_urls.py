"""Whatever string is given as a URL, get() answers with a FetchError and nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actuel.config import Settings, load_settings
from actuel.errors import FetchError
from actuel.fetch import Fetcher

MALFORMED = [
    "",
    "   ",
    "example.com/feed",
    "//example.com/feed",
    "http://",
    "http:///feed",
    "http://[::1",
    "http://exa mple.com/",
    "http://example.com:99999/",
    "http://example.com:-1/",
    "http://ex\nample.com/",
    "http://example.com/\r\nX-Injected: 1",
    "javascript:alert(1)",
    "HTTP://0/",
]


@pytest.fixture
def sealed(fetch_settings: Settings) -> Iterator[Fetcher]:
    """Every name resolves to loopback and loopback is refused: nothing can leave the process."""
    with Fetcher(
        fetch_settings.replace(fetch_allow_private=False), resolver=lambda _host: ["127.0.0.1"]
    ) as fetcher:
        yield fetcher


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_url_gives_fetch_error(sealed: Fetcher, url: str) -> None:
    with pytest.raises(FetchError) as info:
        sealed.get(url, source="source 17 (x)")
    assert str(info.value).startswith("source 17 (x): ")


@pytest.fixture(scope="module")
def sealed_once() -> Iterator[Fetcher]:
    """Like `sealed`, built once: hypothesis runs the test body many times per fixture."""
    settings = load_settings(
        environ={}, fetch_respect_robots=False, fetch_per_host_delay=0.0, fetch_allow_private=False
    )
    with Fetcher(settings, resolver=lambda _host: ["127.0.0.1"]) as fetcher:
        yield fetcher


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.builds(lambda s, rest: f"{s}://{rest}", st.sampled_from(["http", "https"]), st.text()),
    )
)
def test_any_string_gives_fetch_error(sealed_once: Fetcher, url: str) -> None:
    with pytest.raises(FetchError):
        sealed_once.get(url)
