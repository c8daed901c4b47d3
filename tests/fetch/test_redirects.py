"""Redirects: followed by us, at most fetch_max_redirects, permanent ones reported for the store."""

from __future__ import annotations

import pytest

from actuel.config import Settings
from actuel.errors import BlockedSchemeError, TooManyRedirectsError
from actuel.fetch import Fetcher
from tests.support.loopback import Loopback, Reply


def test_redirect_loop_stopped_after_five_hops(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/loop", Reply(302, {"Location": "/loop"}))
    with pytest.raises(TooManyRedirectsError, match="more than 5 redirects") as info:
        fetcher.get(loopback.url("/loop"), source="source 11 (loop)")
    assert str(info.value).startswith("source 11 (loop): ")
    assert len(loopback.hits_to("/loop")) == 6  # the request and five redirects followed


def test_five_redirects_are_followed(loopback: Loopback, fetcher: Fetcher) -> None:
    for n in range(5):
        loopback.route(f"/r{n}", Reply(302, {"Location": f"/r{n + 1}"}))
    loopback.route("/r5", b"arrived")
    result = fetcher.get(loopback.url("/r0"))
    assert result.content == b"arrived"
    assert result.final_url == loopback.url("/r5")
    assert result.url == loopback.url("/r0")


def test_redirect_limit_is_a_setting(loopback: Loopback, fetch_settings: Settings) -> None:
    loopback.route("/a", Reply(301, {"Location": "/b"}))
    loopback.route("/b", Reply(301, {"Location": "/c"}))
    loopback.route("/c", b"end")
    with (
        Fetcher(fetch_settings.replace(fetch_max_redirects=1)) as fetcher,
        pytest.raises(TooManyRedirectsError),
    ):
        fetcher.get(loopback.url("/a"))
    assert loopback.hits_to("/c") == []


def test_permanent_chain_reports_final_url(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/old", Reply(301, {"Location": "/older"}))
    loopback.route("/older", Reply(308, {"Location": loopback.url("/new")}))
    loopback.route("/new", b"<rss/>")
    result = fetcher.get(loopback.url("/old"))
    assert result.permanent_redirect == loopback.url("/new")
    assert result.final_url == loopback.url("/new")


@pytest.mark.parametrize("temporary", [302, 303, 307])
def test_chain_with_a_temporary_hop_keeps_the_stored_url(
    loopback: Loopback, fetcher: Fetcher, temporary: int
) -> None:
    loopback.route("/old", Reply(301, {"Location": "/tmp"}))
    loopback.route("/tmp", Reply(temporary, {"Location": "/new"}))
    loopback.route("/new", b"<rss/>")
    result = fetcher.get(loopback.url("/old"))
    assert result.content == b"<rss/>"
    assert result.permanent_redirect is None


def test_redirect_to_foreign_scheme_refused(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/start", Reply(302, {"Location": "file:///etc/passwd"}))
    with pytest.raises(BlockedSchemeError, match="file"):
        fetcher.get(loopback.url("/start"))


def test_conditional_headers_follow_redirects(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/old", Reply(301, {"Location": "/new"}))
    loopback.route("/new", lambda req: Reply(304 if req.header("if-none-match") == '"x"' else 200))
    result = fetcher.get(loopback.url("/old"), etag='"x"')
    assert result.status == 304
    assert result.permanent_redirect == loopback.url("/new")
