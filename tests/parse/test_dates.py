"""Dates from feeds become aware UTC datetimes; impossible ones become None."""

from __future__ import annotations

import calendar
import json
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from actuel.parse import normalize_date
from tests.conftest import shared_corpus

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sat, 12 Oct 2024 08:30:00 +0200", datetime(2024, 10, 12, 6, 30, tzinfo=UTC)),
        ("Sat, 12 Oct 2024 08:30:00 GMT", datetime(2024, 10, 12, 8, 30, tzinfo=UTC)),
        ("Sat, 12 Oct 2024 08:30:00 CEST", datetime(2024, 10, 12, 6, 30, tzinfo=UTC)),
        ("2024-10-12T08:30:00+02:00", datetime(2024, 10, 12, 6, 30, tzinfo=UTC)),
        ("2024-10-12T08:30:00Z", datetime(2024, 10, 12, 8, 30, tzinfo=UTC)),
        ("2024-10-12", datetime(2024, 10, 12, tzinfo=UTC)),
        ("2024-10-12 08:30:00", datetime(2024, 10, 12, 8, 30, tzinfo=UTC)),
        ("  Sat, 12 Oct 2024 08:30:00 +0000  ", datetime(2024, 10, 12, 8, 30, tzinfo=UTC)),
        ("", None),
        ("demain matin", None),
        ("0000-00-00T00:00:00Z", None),
    ],
)
def test_strings(raw: str, expected: datetime | None) -> None:
    assert normalize_date(raw, now=NOW) == expected


def test_sanity_window() -> None:
    assert normalize_date("Thu, 01 Jan 1970 00:00:00 GMT", now=NOW) is None
    assert normalize_date("1994-12-31T23:59:59Z", now=NOW) is None
    assert normalize_date("1995-01-01T00:00:00Z", now=NOW) == datetime(1995, 1, 1, tzinfo=UTC)
    assert normalize_date(NOW + timedelta(hours=23), now=NOW) == NOW + timedelta(hours=23)
    assert normalize_date(NOW + timedelta(days=2), now=NOW) is None
    assert normalize_date("2099-01-01T00:00:00Z", now=NOW) is None


def test_datetimes_and_struct_times() -> None:
    paris = timezone(timedelta(hours=1))
    assert normalize_date(datetime(2024, 1, 1, 12, tzinfo=paris), now=NOW) == datetime(
        2024, 1, 1, 11, tzinfo=UTC
    )
    assert normalize_date(datetime(2024, 1, 1, 12), now=NOW) == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert normalize_date(time.gmtime(1_700_000_000), now=NOW) == datetime.fromtimestamp(
        1_700_000_000, tz=UTC
    )
    assert normalize_date(None) is None


def test_result_is_always_aware_utc() -> None:
    value = normalize_date("Mon, 02 Jan 2023 10:00:00 -0500", now=NOW)
    assert value is not None and value.utcoffset() == timedelta(0)


# feedparser's handler chain (which we use) reads these three as another format first; the
# Hungarian and Korean date formats are out of scope for actuel's readers.
KNOWN_MISSES = {
    "2004-július-13T9:15-05:00",
    "2004-05-25 오후 11:23:17",
    "2004년 05월 28일  01:31:15",
}


@pytest.mark.shared
def test_feedparser_date_vectors() -> None:
    """feedparser's own date vectors (RFC 822, W3CDTF, asctime, Greek, Perforce...)."""
    vectors = json.loads(
        (shared_corpus("feedparser-tests") / "date_vectors.json").read_text(encoding="utf-8")
    )
    failures = []
    checked = 0
    for vector in vectors:
        expected = vector["expected_utc_struct_time"]
        if expected is None or vector["input"] in KNOWN_MISSES:
            continue  # a None there is one handler's answer; the chain may read it another way
        want: datetime | None = datetime.fromtimestamp(calendar.timegm(tuple(expected)), tz=UTC)
        if want is not None and want.year < 1995:
            want = None  # outside our sanity window on purpose
        got = normalize_date(vector["input"], now=NOW)
        checked += 1
        if (got.replace(microsecond=0) if got else None) != want:
            failures.append((vector["parser"], vector["input"], want, got))
    assert checked >= 30
    assert not failures, failures
