"""How a fetch outcome changes a source: errors counted and shown, 410 and repeated 404 disable."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from actuel.config import Settings, load_settings
from actuel.errors import ConnectError, HTTPStatusError, TooLargeError
from actuel.model import Source, SourceState
from actuel.sources import after_error, after_success, enabled, is_due, paused
from actuel.sources.state import GONE_REASON

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def cfg() -> Settings:
    return load_settings(environ={}, disable_after_errors=4)


def source() -> Source:
    return Source(url="https://journal.example/rss.xml", id=12, name="Le Journal")


def not_found(src: Source) -> HTTPStatusError:
    return HTTPStatusError(
        "HTTP 404 Not Found", status=404, fix="check the feed URL", source=src.label
    )


def test_410_gone_disables_with_the_reason(cfg: Settings) -> None:
    gone = HTTPStatusError("HTTP 410 Gone", status=410, source=source().label)
    after = after_error(source(), gone, now=NOW, settings=cfg)
    assert after.state is SourceState.DISABLED
    assert after.last_error == GONE_REASON
    assert "remove the source or change its URL" in (after.last_error or "")
    assert after.next_poll_at is None
    assert not is_due(after, now=NOW + timedelta(days=365))


def test_repeated_404_backs_off_then_disables(cfg: Settings) -> None:
    src = source()
    rng = random.Random(11)
    waits = []
    for attempt in range(1, cfg.disable_after_errors):
        src = after_error(src, not_found(src), now=NOW, settings=cfg, rng=rng)
        assert src.state is SourceState.ERROR
        assert src.error_count == attempt
        assert src.last_error == (
            "source 12 (https://journal.example/rss.xml): HTTP 404 Not Found (check the feed URL)"
        )
        assert src.next_poll_at is not None
        assert not is_due(src, now=NOW)
        waits.append((src.next_poll_at - NOW).total_seconds())
    # Each wait lies in a doubling window, so the third is longer than the first.
    assert waits[-1] > waits[0]
    src = after_error(src, not_found(src), now=NOW, settings=cfg, rng=rng)
    assert src.state is SourceState.DISABLED
    assert src.error_count == cfg.disable_after_errors
    assert "HTTP 404 Not Found" in (src.last_error or "")
    assert "disabled after 4 consecutive errors" in (src.last_error or "")
    assert src.next_poll_at is None


def test_zero_never_disables() -> None:
    cfg = load_settings(environ={}, disable_after_errors=0)
    src = source()
    for _ in range(50):
        src = after_error(src, ConnectError("connection refused"), now=NOW, settings=cfg)
    assert src.state is SourceState.ERROR
    assert src.error_count == 50


def test_retry_after_from_a_429_is_respected(cfg: Settings) -> None:
    busy = HTTPStatusError("HTTP 429 Too Many Requests", status=429, retry_after=3600.0)
    after = after_error(source(), busy, now=NOW, settings=cfg, rng=random.Random(2))
    assert after.state is SourceState.ERROR
    assert after.next_poll_at == NOW + timedelta(hours=1)
    assert not is_due(after, now=NOW + timedelta(minutes=59))
    assert is_due(after, now=NOW + timedelta(hours=1))


def test_success_resets_errors_and_keeps_validators(cfg: Settings) -> None:
    src = source()
    for _ in range(3):
        src = after_error(src, TooLargeError("response over 15 MB"), now=NOW, settings=cfg)
    later = NOW + timedelta(hours=2)
    ok = after_success(
        src,
        now=later,
        item_times=[later - timedelta(minutes=10 * i) for i in range(10)],
        etag='"abc"',
        last_modified="Wed, 25 Nov 2026 09:50:00 GMT",
        settings=cfg,
        rng=random.Random(4),
    )
    assert ok.state is SourceState.ACTIVE
    assert ok.error_count == 0
    assert ok.last_error is None
    assert ok.etag == '"abc"'
    assert ok.last_modified == "Wed, 25 Nov 2026 09:50:00 GMT"
    assert ok.last_polled_at == later
    assert ok.next_poll_at is not None
    assert later + timedelta(minutes=9) <= ok.next_poll_at <= later + timedelta(minutes=11)
    # A 304 that repeats no validator keeps the stored ones for the next conditional GET.
    again = after_success(ok, now=later, item_times=[], etag=None, last_modified=None, settings=cfg)
    assert again.etag == '"abc"'
    assert again.last_modified == "Wed, 25 Nov 2026 09:50:00 GMT"


def test_outcomes_return_a_new_source(cfg: Settings) -> None:
    src = source()
    after_error(src, ConnectError("refused"), now=NOW, settings=cfg)
    after_success(src, now=NOW, item_times=[], etag="x", last_modified=None, settings=cfg)
    assert src.error_count == 0
    assert src.etag is None
    assert src.state is SourceState.ACTIVE


def test_a_paused_source_stays_paused(cfg: Settings) -> None:
    src = paused(source())
    assert src.state is SourceState.PAUSED
    failed = after_error(src, HTTPStatusError("HTTP 410 Gone", status=410), now=NOW, settings=cfg)
    assert failed.state is SourceState.PAUSED
    fetched = after_success(
        src, now=NOW, item_times=[], etag=None, last_modified=None, settings=cfg
    )
    assert fetched.state is SourceState.PAUSED
    assert not is_due(fetched, now=NOW + timedelta(days=30))


def test_enabling_a_disabled_source_makes_it_due(cfg: Settings) -> None:
    gone = after_error(
        source(), HTTPStatusError("HTTP 410 Gone", status=410), now=NOW, settings=cfg
    )
    back = enabled(gone, now=NOW)
    assert back.state is SourceState.ACTIVE
    assert back.error_count == 0
    assert back.last_error is None
    assert is_due(back, now=NOW)
