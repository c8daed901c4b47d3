"""When sources are polled next: adaptive intervals, backoff, Retry-After, page retries."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from actuel.config import Settings, load_settings
from actuel.model import Source, SourceState
from actuel.sources import (
    is_due,
    next_poll_after_error,
    next_poll_after_success,
    page_retry_at,
)

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def cfg() -> Settings:
    return load_settings(environ={})


def every(step: timedelta, count: int, *, newest: datetime = NOW) -> list[datetime]:
    return [newest - step * i for i in range(count)]


def test_a_source_publishing_every_ten_minutes_is_polled_often(cfg: Settings) -> None:
    times = every(timedelta(minutes=10), 30, newest=NOW - timedelta(minutes=3))
    interval, at = next_poll_after_success(
        Source(url="https://fil.example/rss"),
        now=NOW,
        item_times=times,
        settings=cfg,
        rng=random.Random(1),
    )
    assert interval == 600
    assert NOW + timedelta(seconds=540) <= at <= NOW + timedelta(seconds=660)


def test_a_source_publishing_once_a_day_is_polled_daily(cfg: Settings) -> None:
    times = every(timedelta(days=1), 10, newest=NOW - timedelta(hours=5))
    interval, _ = next_poll_after_success(
        Source(url="https://hebdo.example/rss"), now=NOW, item_times=times, settings=cfg
    )
    assert interval == 86_400


def test_adaptive_interval_is_clamped(cfg: Settings) -> None:
    burst = every(timedelta(seconds=20), 20)
    interval, _ = next_poll_after_success(
        Source(url="https://a.example/"), now=NOW, item_times=burst, settings=cfg
    )
    assert interval == cfg.poll_interval_min
    yearly = every(timedelta(days=365), 5)
    interval, _ = next_poll_after_success(
        Source(url="https://a.example/"), now=NOW, item_times=yearly, settings=cfg
    )
    assert interval == cfg.poll_interval_max


def test_a_source_gone_quiet_is_polled_less(cfg: Settings) -> None:
    # Used to publish every 10 minutes, nothing for 10 hours: a 10-minute poll would waste requests.
    times = every(timedelta(minutes=10), 20, newest=NOW - timedelta(hours=10))
    interval, _ = next_poll_after_success(
        Source(url="https://a.example/"), now=NOW, item_times=times, settings=cfg
    )
    assert interval >= 4 * 3600


def test_without_dates_the_default_interval_is_used(cfg: Settings) -> None:
    source = Source(url="https://a.example/")
    for times in ([], [NOW - timedelta(hours=2)], [NOW - timedelta(hours=2)] * 5):
        interval, _ = next_poll_after_success(source, now=NOW, item_times=times, settings=cfg)
        assert interval == cfg.poll_interval


def test_future_dated_items_do_not_speed_polling_up(cfg: Settings) -> None:
    wrong_clock = every(timedelta(seconds=1), 30, newest=NOW + timedelta(days=30))
    daily = every(timedelta(days=1), 5, newest=NOW - timedelta(hours=1))
    interval, _ = next_poll_after_success(
        Source(url="https://a.example/"), now=NOW, item_times=wrong_clock + daily, settings=cfg
    )
    assert interval == 86_400


def test_naive_item_times_are_read_as_utc(cfg: Settings) -> None:
    times = [t.replace(tzinfo=None) for t in every(timedelta(minutes=10), 10)]
    interval, _ = next_poll_after_success(
        Source(url="https://a.example/"), now=NOW, item_times=times, settings=cfg
    )
    assert interval == 600


def test_the_operators_interval_wins(cfg: Settings) -> None:
    source = Source(url="https://a.example/", interval_s=120)
    interval, at = next_poll_after_success(
        source, now=NOW, item_times=every(timedelta(days=1), 10), settings=cfg, rng=random.Random(3)
    )
    assert interval == 120
    assert NOW + timedelta(seconds=108) <= at <= NOW + timedelta(seconds=132)


def test_jitter_spreads_sources_polled_together(cfg: Settings) -> None:
    rng = random.Random(7)
    source = Source(url="https://a.example/")
    times = {
        next_poll_after_success(source, now=NOW, item_times=[], settings=cfg, rng=rng)[1]
        for _ in range(50)
    }
    assert len(times) > 40
    low, high = NOW + timedelta(seconds=1800 * 0.9), NOW + timedelta(seconds=1800 * 1.1)
    assert all(low <= t <= high for t in times)
    still = cfg.replace(poll_jitter=0.0)
    _, at = next_poll_after_success(source, now=NOW, item_times=[], settings=still, rng=rng)
    assert at == NOW + timedelta(seconds=1800)


def test_backoff_doubles_with_jitter_up_to_the_cap(cfg: Settings) -> None:
    rng = random.Random(42)
    for errors in range(1, 25):
        ceiling = min(cfg.backoff_max, cfg.backoff_base * 2 ** (errors - 1))
        delays = [
            (
                next_poll_after_error(
                    Source(url="https://a.example/", error_count=errors),
                    now=NOW,
                    settings=cfg,
                    rng=rng,
                )
                - NOW
            ).total_seconds()
            for _ in range(20)
        ]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (errors, delays)
        assert len(set(delays)) > 1
    # After enough errors the delay stays at the cap instead of growing without bound.
    huge = Source(url="https://a.example/", error_count=10_000)
    at = next_poll_after_error(huge, now=NOW, settings=cfg, rng=rng)
    assert at <= NOW + timedelta(seconds=cfg.backoff_max)


def test_backoff_is_reproducible_with_a_seed(cfg: Settings) -> None:
    source = Source(url="https://a.example/", error_count=3)
    first = next_poll_after_error(source, now=NOW, settings=cfg, rng=random.Random(5))
    again = next_poll_after_error(source, now=NOW, settings=cfg, rng=random.Random(5))
    assert first == again


def test_retry_after_wins_when_later(cfg: Settings) -> None:
    source = Source(url="https://a.example/", error_count=1)
    at = next_poll_after_error(
        source, now=NOW, settings=cfg, retry_after=7200, rng=random.Random(1)
    )
    assert at == NOW + timedelta(seconds=7200)
    # A short Retry-After does not shorten the backoff of a source failing for a while.
    failing = Source(url="https://a.example/", error_count=8)
    at = next_poll_after_error(failing, now=NOW, settings=cfg, retry_after=5, rng=random.Random(1))
    assert at >= NOW + timedelta(seconds=60 * 2**7 / 2)


def test_an_absurd_retry_after_is_capped(cfg: Settings) -> None:
    source = Source(url="https://a.example/", error_count=1)
    ten_years = 10 * 365 * 86_400.0
    at = next_poll_after_error(source, now=NOW, settings=cfg, retry_after=ten_years)
    assert at <= NOW + timedelta(seconds=max(cfg.backoff_max, cfg.fetch_retry_after_max))


def test_page_retries_back_off_then_stop(cfg: Settings) -> None:
    rng = random.Random(9)
    previous = NOW
    for attempts in range(1, cfg.page_retry_max):
        at = page_retry_at(attempts, now=NOW, settings=cfg, rng=rng)
        assert at is not None
        ceiling = cfg.backoff_base * 2 ** (attempts - 1)
        assert NOW + timedelta(seconds=ceiling / 2) <= at <= NOW + timedelta(seconds=ceiling)
        assert at >= previous
        previous = at
    assert page_retry_at(cfg.page_retry_max, now=NOW, settings=cfg, rng=rng) is None
    assert page_retry_at(cfg.page_retry_max + 3, now=NOW, settings=cfg) is None


def test_is_due() -> None:
    hour = timedelta(hours=1)
    assert is_due(Source(url="https://a.example/"), now=NOW)
    assert is_due(Source(url="https://a.example/", next_poll_at=NOW - hour), now=NOW)
    assert not is_due(Source(url="https://a.example/", next_poll_at=NOW + hour), now=NOW)
    failing = Source(url="https://a.example/", state=SourceState.ERROR, next_poll_at=NOW)
    assert is_due(failing, now=NOW)
    for state in (SourceState.PAUSED, SourceState.DISABLED):
        assert not is_due(Source(url="https://a.example/", state=state), now=NOW)
    naive = Source(url="https://a.example/", next_poll_at=(NOW - hour).replace(tzinfo=None))
    assert is_due(naive, now=NOW)
