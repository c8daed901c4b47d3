"""When to poll a source next: an interval that follows its publishing, backoff after errors."""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from actuel.config import Settings
from actuel.model import Source, SourceState

# How many of the newest items set the publishing rhythm: enough to smooth one quiet night, few
# enough to follow a source that speeds up for breaking news.
RECENT_ITEMS = 20
# Items dated further ahead than this are clock or time-zone mistakes, not a rhythm.
FUTURE_TOLERANCE = timedelta(hours=1)
_MAX_EXPONENT = 62

_default_rng = random.Random()


def _aware(moment: datetime) -> datetime:
    """`moment` in UTC; a naive time is taken as UTC (feeds without a zone, SQLite round trips)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value)) if low <= high else high


def publishing_gap(item_times: Iterable[datetime], *, now: datetime) -> float | None:
    """Seconds between two items of a source, typically: the median gap of its newest items.

    A source that went quiet stretches the estimate (half the time since its newest item). None when
    fewer than two distinct publication times are known.
    """
    reference = _aware(now)
    latest = reference + FUTURE_TOLERANCE
    times = sorted(
        {min(_aware(t), reference) for t in item_times if _aware(t) <= latest}, reverse=True
    )[:RECENT_ITEMS]
    if len(times) < 2:
        return None
    gaps = [(newer - older).total_seconds() for newer, older in itertools.pairwise(times)]
    gap = statistics.median(gaps)
    quiet_for = (reference - times[0]).total_seconds()
    return max(gap, quiet_for / 2)


def poll_interval(
    source: Source, *, now: datetime, item_times: list[datetime], settings: Settings
) -> int:
    """Seconds between two polls of `source`, before jitter.

    An interval set by the operator on the source wins. Otherwise the publishing gap clamped to
    poll_interval_min..poll_interval_max, or the poll_interval setting when items have no dates.
    """
    if source.interval_s is not None and source.interval_s > 0:
        return int(source.interval_s)
    gap = publishing_gap(item_times, now=now)
    chosen = settings.poll_interval if gap is None else gap
    return int(_clamp(chosen, settings.poll_interval_min, settings.poll_interval_max))


def _jittered(seconds: float, settings: Settings, rng: random.Random) -> float:
    spread = _clamp(float(settings.poll_jitter), 0.0, 0.5)
    return seconds * (1.0 + rng.uniform(-spread, spread))


def next_poll_after_success(
    source: Source,
    *,
    now: datetime,
    item_times: list[datetime],
    settings: Settings,
    rng: random.Random | None = None,
) -> tuple[int, datetime]:
    """The polling interval in seconds and the time of the next poll, spread by poll_jitter.

    The jitter keeps sources added together (an OPML import) from being polled in one burst forever.
    """
    interval = poll_interval(source, now=now, item_times=item_times, settings=settings)
    return interval, now + timedelta(seconds=_jittered(interval, settings, rng or _default_rng))


def backoff_delay(failures: int, *, settings: Settings, rng: random.Random | None = None) -> float:
    """Seconds to wait after `failures` consecutive failures (1 for the first).

    The ceiling starts at backoff_base and doubles per failure up to backoff_max; the delay is drawn
    between half the ceiling and the ceiling ("equal jitter"): spread like full jitter, but never an
    immediate retry against a server that is already failing.
    """
    exponent = _clamp(failures - 1, 0, _MAX_EXPONENT)
    ceiling = min(float(settings.backoff_max), float(settings.backoff_base) * 2 ** int(exponent))
    ceiling = max(ceiling, 0.0)
    return (rng or _default_rng).uniform(ceiling / 2, ceiling)


def next_poll_after_error(
    source: Source,
    *,
    now: datetime,
    settings: Settings,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> datetime:
    """When to poll a failing source again: backoff by consecutive errors; Retry-After wins.

    `source.error_count` counts this error too. A Retry-After longer than the backoff is honoured,
    up to fetch_retry_after_max so that a mistaken header cannot park a source for years.
    """
    delay = backoff_delay(max(source.error_count, 1), settings=settings, rng=rng)
    if retry_after is not None and retry_after > 0:
        longest = float(getattr(settings, "fetch_retry_after_max", settings.backoff_max))
        delay = max(delay, min(float(retry_after), longest))
    return now + timedelta(seconds=delay)


def page_retry_at(
    attempts: int, *, now: datetime, settings: Settings, rng: random.Random | None = None
) -> datetime | None:
    """When to fetch a failed article page again after `attempts` failures; None once page_retry_max
    attempts have failed (the article keeps its feed text)."""
    if attempts >= settings.page_retry_max:
        return None
    return now + timedelta(seconds=backoff_delay(max(attempts, 1), settings=settings, rng=rng))


def is_due(source: Source, *, now: datetime) -> bool:
    """True when the scheduler should poll `source` now: active or failing, and its time came."""
    if source.state not in (SourceState.ACTIVE, SourceState.ERROR):
        return False
    return source.next_poll_at is None or _aware(source.next_poll_at) <= _aware(now)
