"""How one fetch outcome changes a source: health, error count, validators and next poll (pure)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

from actuel.config import Settings
from actuel.errors import ActuelError, HTTPStatusError
from actuel.model import Source, SourceState
from actuel.sources.schedule import next_poll_after_error, next_poll_after_success

GONE_REASON = "410 Gone: the publisher removed this feed; remove the source or change its URL"


def _kept_state(source: Source, wanted: SourceState) -> SourceState:
    # An operator's pause outlives any fetch outcome; only the operator lifts it.
    return SourceState.PAUSED if source.state is SourceState.PAUSED else wanted


def after_success(
    source: Source,
    *,
    now: datetime,
    item_times: list[datetime],
    etag: str | None,
    last_modified: str | None,
    settings: Settings,
    rng: random.Random | None = None,
) -> Source:
    """The source after a successful poll (a 200 or a 304): healthy, errors cleared, next poll set.

    `etag` and `last_modified` are the response's validators; None keeps the stored one, since a 304
    need not repeat them. `item_times` are the publication times of the items the poll returned.
    """
    _, next_poll_at = next_poll_after_success(
        source, now=now, item_times=item_times, settings=settings, rng=rng
    )
    return replace(
        source,
        state=_kept_state(source, SourceState.ACTIVE),
        error_count=0,
        last_error=None,
        last_error_code=None,
        etag=etag if etag is not None else source.etag,
        last_modified=last_modified if last_modified is not None else source.last_modified,
        last_polled_at=now,
        next_poll_at=next_poll_at,
    )


def after_error(
    source: Source,
    error: ActuelError,
    *,
    now: datetime,
    settings: Settings,
    rng: random.Random | None = None,
) -> Source:
    """The source after a failed poll: one more consecutive error, its reason, a backed-off retry.

    410 Gone disables the source at once. After disable_after_errors consecutive errors (a 404 that
    never goes away, a dead host) the source is disabled with the last reason; 0 never disables. A
    Retry-After sent with a 429 or 503 is respected.
    """
    count = source.error_count + 1
    if isinstance(error, HTTPStatusError) and error.status == 410:
        return replace(
            source,
            state=_kept_state(source, SourceState.DISABLED),
            error_count=count,
            last_error=GONE_REASON,
            last_error_code=error.code,
            last_polled_at=now,
            next_poll_at=None,
        )
    reason = error.describe()
    limit = int(settings.disable_after_errors)
    if limit > 0 and count >= limit:
        return replace(
            source,
            state=_kept_state(source, SourceState.DISABLED),
            error_count=count,
            last_error=(
                f"{reason}; disabled after {count} consecutive errors "
                f"(ACTUEL_DISABLE_AFTER_ERRORS={limit}): check the URL, "
                "then enable the source again"
            ),
            last_error_code=error.code,
            last_polled_at=now,
            next_poll_at=None,
        )
    failing = replace(source, error_count=count)
    retry_after = error.retry_after if isinstance(error, HTTPStatusError) else None
    return replace(
        failing,
        state=_kept_state(source, SourceState.ERROR),
        last_error=reason,
        last_error_code=error.code,
        last_polled_at=now,
        next_poll_at=next_poll_after_error(
            failing, now=now, settings=settings, retry_after=retry_after, rng=rng
        ),
    )


def enabled(source: Source, *, now: datetime | None = None) -> Source:
    """The source switched back on by an operator (paused, failing or disabled): active, errors
    forgotten, due at `now` (None: at the next pass)."""
    return replace(
        source,
        state=SourceState.ACTIVE,
        error_count=0,
        last_error=None,
        last_error_code=None,
        next_poll_at=now,
    )


def paused(source: Source) -> Source:
    """The source paused by an operator: kept, never polled until enabled again."""
    return replace(source, state=SourceState.PAUSED, next_poll_at=None)
