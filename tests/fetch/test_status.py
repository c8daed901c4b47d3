"""Status codes: 304 for conditional GETs, errors raised with status, Retry-After remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from actuel.config import Settings
from actuel.errors import HTTPStatusError
from actuel.fetch import Fetcher, parse_retry_after
from tests.support.loopback import Loopback, Reply, Request

ETAG = '"abc123"'
MODIFIED = "Tue, 24 Nov 2026 08:00:00 GMT"


def _conditional(req: Request) -> Reply:
    if req.header("if-none-match") == ETAG or req.header("if-modified-since") == MODIFIED:
        return Reply(304, {"ETag": ETAG})
    return Reply(200, {"ETag": ETAG, "Last-Modified": MODIFIED}, b"<rss>full</rss>")


def test_conditional_get_with_stored_validators(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/feed", _conditional)
    first = fetcher.get(loopback.url("/feed"))
    assert (first.status, first.content) == (200, b"<rss>full</rss>")
    again = fetcher.get(loopback.url("/feed"), etag=first.etag)
    assert (again.status, again.content, again.not_modified) == (304, b"", True)
    by_date = fetcher.get(loopback.url("/feed"), last_modified=first.last_modified)
    assert by_date.not_modified
    hits = loopback.hits_to("/feed")
    assert hits[1].header("if-none-match") == ETAG
    assert hits[2].header("if-modified-since") == MODIFIED
    assert hits[0].header("if-none-match") is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 500, 502])
def test_error_status_raised_with_its_code(
    loopback: Loopback, fetcher: Fetcher, status: int
) -> None:
    loopback.route("/feed", Reply(status, body=b"error page"))
    with pytest.raises(HTTPStatusError) as info:
        fetcher.get(loopback.url("/feed"), source="source 12 (feed)")
    assert info.value.status == status
    assert info.value.retry_after is None
    assert str(info.value).startswith(f"source 12 (feed): {loopback.url('/feed')}: HTTP {status}")


def test_gone_says_the_source_is_disabled(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/feed", Reply(410))
    with pytest.raises(HTTPStatusError, match="gone for good") as info:
        fetcher.get(loopback.url("/feed"))
    assert info.value.status == 410


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_holds_back_the_host(
    loopback: Loopback, fetcher: Fetcher, status: int
) -> None:
    loopback.route("/feed", Reply(status, {"Retry-After": "120"}))
    loopback.route("/other", b"fine")
    with pytest.raises(HTTPStatusError) as info:
        fetcher.get(loopback.url("/feed"))
    assert (info.value.status, info.value.retry_after) == (status, 120)
    ready = fetcher.host_ready_at(loopback.url("/anything"))
    assert ready is not None
    assert timedelta(seconds=100) < ready - datetime.now(UTC) <= timedelta(seconds=120)

    with pytest.raises(HTTPStatusError, match="no request sent") as again:
        fetcher.get(loopback.url("/other"), source="source 13 (x)")
    assert again.value.status == status
    assert again.value.retry_after is not None
    assert 100 < again.value.retry_after <= 120
    assert loopback.hits_to("/other") == []
    assert len(loopback.hits) == 1


def test_retry_after_http_date(loopback: Loopback, fetcher: Fetcher) -> None:
    moment = datetime.now(UTC) + timedelta(minutes=10)
    loopback.route("/feed", Reply(503, {"Retry-After": format_datetime(moment, usegmt=True)}))
    with pytest.raises(HTTPStatusError) as info:
        fetcher.get(loopback.url("/feed"))
    assert info.value.retry_after is not None
    assert 590 <= info.value.retry_after <= 600
    ready = fetcher.host_ready_at(loopback.url("/"))
    assert ready is not None
    assert abs((ready - moment).total_seconds()) < 2


def test_retry_after_capped_by_setting(loopback: Loopback, fetch_settings: Settings) -> None:
    loopback.route("/feed", Reply(429, {"Retry-After": str(10 * 365 * 86400)}))
    with Fetcher(fetch_settings.replace(fetch_retry_after_max=3600)) as fetcher:
        with pytest.raises(HTTPStatusError) as info:
            fetcher.get(loopback.url("/feed"))
        assert info.value.retry_after == 3600


def test_429_without_retry_after_is_not_remembered(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/feed", Reply(429))
    loopback.route("/other", b"fine")
    with pytest.raises(HTTPStatusError):
        fetcher.get(loopback.url("/feed"))
    assert fetcher.host_ready_at(loopback.url("/other")) is None
    assert fetcher.get(loopback.url("/other")).content == b"fine"


def test_retry_after_is_per_host(loopback: Loopback, fetcher: Fetcher) -> None:
    other = Loopback().start()
    try:
        loopback.route("/feed", Reply(429, {"Retry-After": "60"}))
        other.route("/feed", b"fine")
        with pytest.raises(HTTPStatusError):
            fetcher.get(loopback.url("/feed"))
        assert fetcher.get(other.url("/feed")).content == b"fine"
        assert fetcher.host_ready_at(other.url("/")) is None
    finally:
        other.stop()


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0", 0.0), ("30", 30.0), (" 7 ", 7.0), ("-5", 0.0), ("soon", None), ("", None)],
)
def test_retry_after_values(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds
