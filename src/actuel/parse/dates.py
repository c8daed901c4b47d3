"""Feed dates to aware UTC datetimes, with a sanity window that drops impossible dates.

Fast paths for ISO 8601 and RFC 822, then feedparser's date handlers (W3CDTF, asctime, Greek,
Hungarian, Korean, Perforce...), which are the most tolerant parsers of real feed dates.

Sanity window: a date before 1995-01-01 (before web feeds existed; usually a zero or epoch
default) or more than one day after `now` (a wrong time zone gives hours, not days) becomes None
rather than being clamped: a made-up date would sort an article wrongly for ever, while None lets
the pipeline fall back to the time it first saw the article.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from feedparser.datetimes import _parse_date as _feedparser_parse_date

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_ZONE = re.compile(r"\s([A-Za-z]{3,4})$")
# RFC 822 names only American zones; French and other European feeds write these.
_EUROPEAN_ZONES = {
    "CET": "+0100",
    "CEST": "+0200",
    "MET": "+0100",
    "MEST": "+0200",
    "WET": "+0000",
    "WEST": "+0100",
    "BST": "+0100",
    "EET": "+0200",
    "EEST": "+0300",
}
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


def _from_struct(value: time.struct_time) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _from_text(text: str) -> datetime | None:
    text = " ".join(text.split())
    if not text or len(text) > 100:
        return None
    if _ISO.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    zone = _ZONE.search(text)
    if zone and zone.group(1).upper() in _EUROPEAN_ZONES:
        text = text[: zone.start(1)] + _EUROPEAN_ZONES[zone.group(1).upper()]
    try:
        parsed = _feedparser_parse_date(text)
    except Exception:  # a third-party handler tripping on junk means "no date"
        parsed = None
    if parsed:
        return _from_struct(parsed)
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def normalize_date(
    value: str | datetime | time.struct_time | None, *, now: datetime | None = None
) -> datetime | None:
    """An aware UTC datetime, or None when absent, unreadable or outside the sanity window."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, time.struct_time):
        parsed = _from_struct(value)
    else:
        parsed = _from_text(str(value))
    if parsed is None:
        return None
    # A date with no zone is read as UTC: feeds that omit it are mostly written by UTC servers.
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    reference = now or datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    if parsed < EARLIEST or parsed > reference + FUTURE_SLACK:
        return None
    return parsed
