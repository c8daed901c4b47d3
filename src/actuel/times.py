"""When an article came out, as far as it can be trusted: for the stories stage and for timelines.

Publication times are not taken at face value: a page's date later than the moment we first saw it,
or more than a day ahead of the clock, is a wrong clock and is ignored; the first-seen time bounds
the publication from above. A bare date (midnight sharp) may be any hour of its day. Naive
datetimes are read as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from actuel.model import StoryDoc

# a page may be seen a little before its own published_at (feeds round, clocks drift)
CLOCK_SLACK = timedelta(minutes=10)
FUTURE_LIMIT = timedelta(days=1)
DAY = timedelta(days=1)


def utc(moment: datetime | None) -> datetime | None:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def reliable_time(doc: StoryDoc, *, now: datetime | None = None) -> datetime | None:
    """When the article was published, as far as we can trust it; None when unknown.

    A published_at later than first-seen (beyond a small slack) or more than a day after `now`
    is ignored; first-seen is an upper bound, so the earlier of the two is kept.
    """
    published = utc(doc.published_at)
    seen = utc(doc.first_seen_at)
    clock = utc(now)
    if published is not None:
        after_seen = seen is not None and published > seen + CLOCK_SLACK
        if after_seen or (clock is not None and published > clock + FUTURE_LIMIT):
            published = None
    if published is None:
        return seen
    return published if seen is None else min(published, seen)


def day_only(doc: StoryDoc, *, now: datetime | None = None) -> bool:
    """True when the article's trusted time is a bare date (midnight sharp, from published_at).

    Many sites give only the day ("2026-11-20"), stored as midnight: the article may have come out
    at any hour of it, so it cannot be said to precede another report of that day.
    """
    return _bare_date(doc, reliable_time(doc, now=now))


def _bare_date(doc: StoryDoc, moment: datetime | None) -> bool:
    return (
        moment is not None
        and moment == utc(doc.published_at)
        and (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
    )


def latest_time(doc: StoryDoc, *, now: datetime | None = None) -> datetime | None:
    """The latest moment the article can have come out: the end of its day for a bare date
    (bounded by first-seen), else its trusted time."""
    moment = reliable_time(doc, now=now)
    if moment is None or not _bare_date(doc, moment):
        return moment
    end = moment + DAY - timedelta(microseconds=1)
    seen = utc(doc.first_seen_at)
    return end if seen is None else max(moment, min(end, seen))
