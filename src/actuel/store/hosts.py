"""Hosts that asked us to wait (a 429 or 503 with Retry-After), remembered across processes.

A cron's next `actuel fetch`, `actuel sources add` or another worker reads them before its first
request: the wait a host asked for holds for every process on this database, not only for the
one that was told.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.store.db import dialect_insert
from actuel.store.schema import metadata
from actuel.store.types import UTCDateTime

host_holds = sa.Table(
    "host_holds",
    metadata,
    sa.Column("host", sa.String(300), primary_key=True),  # fetch.host_key: scheme://host:port
    sa.Column("until", UTCDateTime, nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
)


def holds(conn: Connection, now: datetime) -> dict[str, tuple[datetime, int]]:
    """Holds still running at `now`: host -> (until, status)."""
    rows = conn.execute(sa.select(host_holds).where(host_holds.c.until > now)).mappings()
    return {str(r["host"]): (r["until"], int(r["status"])) for r in rows}


def hold(conn: Connection, host: str, until: datetime, status: int) -> None:
    """Remember a hold (a later end already stored stays); holds that ended are deleted."""
    conn.execute(host_holds.delete().where(host_holds.c.until <= datetime.now(UTC)))
    insert = dialect_insert(conn, host_holds).values(host=host[:300], until=until, status=status)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=[host_holds.c.host],
            set_={"until": insert.excluded.until, "status": insert.excluded.status},
            where=host_holds.c.until < insert.excluded.until,
        )
    )
