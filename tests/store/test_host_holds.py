"""The waits hosts ask for (Retry-After) are kept in the database for every process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from actuel.config import load_settings
from actuel.store import Store

HOST = "https://veilleur.example:443"


def test_a_hold_is_read_back_by_another_store_and_ends_on_time(db_url: str) -> None:
    now = datetime.now(UTC)
    settings = load_settings(environ={})
    with Store.open(db_url, settings) as first:
        first.hosts.hold(HOST, now + timedelta(hours=1), 429)
        first.hosts.hold(HOST, now + timedelta(minutes=5), 503)  # shorter: the longer one stays
        first.hosts.hold("https://gone.example:443", now - timedelta(seconds=1), 503)
    with Store.open(db_url, settings) as second:
        holds = second.hosts.holds(now)
        assert set(holds) == {HOST}
        until, status = holds[HOST]
        assert status == 429 and abs((until - (now + timedelta(hours=1))).total_seconds()) < 1
        assert second.hosts.holds(now + timedelta(hours=2)) == {}
