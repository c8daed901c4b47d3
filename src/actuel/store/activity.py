"""The fetch log and the figures `actuel stats` shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.model import FetchLog
from actuel.store.schema import articles, fetches, sources


def _fetch_row(entry: FetchLog) -> dict[str, Any]:
    return {
        "source_id": entry.source_id,
        "url": entry.url,
        "kind": entry.kind,
        "started_at": entry.started_at,
        "status": entry.status,
        "elapsed_ms": None if entry.elapsed_s is None else round(entry.elapsed_s * 1000),
        "wire_bytes": entry.wire_bytes,
        "error_code": entry.error_code,
        "error": entry.error,
    }


def log_fetches(conn: Connection, entries: list[FetchLog]) -> None:
    """Append rows to the fetch log, in one statement (executemany)."""
    if entries:
        conn.execute(sa.insert(fetches), [_fetch_row(e) for e in entries])


def prune_fetches(conn: Connection, before: datetime) -> int:
    """Forget fetch log rows started before `before`; returns how many went."""
    result = conn.execute(sa.delete(fetches).where(fetches.c.started_at < before))
    return int(result.rowcount)


def _counts(conn: Connection, column: sa.ColumnElement[Any]) -> list[tuple[Any, int]]:
    table = column.table
    stmt = sa.select(column, sa.func.count()).select_from(table).group_by(column)
    return [(key, int(n)) for key, n in conn.execute(stmt)]


def stats(conn: Connection) -> dict[str, Any]:
    by_state = {str(state): n for state, n in _counts(conn, sources.c.state)}
    by_language = {
        (lang if lang is not None else "unknown"): n
        for lang, n in _counts(conn, articles.c.language)
    }
    per_source = (
        sa.select(sources.c.name, sources.c.url, sa.func.count(articles.c.id))
        .select_from(sources.outerjoin(articles, articles.c.source_id == sources.c.id))
        .group_by(sources.c.id, sources.c.name, sources.c.url)
        .order_by(sa.func.count(articles.c.id).desc(), sources.c.id)
    )
    by_source: dict[str, int] = {}
    for name, url, n in conn.execute(per_source):
        label = name or url
        by_source[label] = by_source.get(label, 0) + int(n)

    failed = sa.or_(fetches.c.error_code.is_not(None), fetches.c.status >= 400)
    totals = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(failed),
            sa.func.coalesce(sa.func.sum(fetches.c.wire_bytes), 0),
        ).select_from(fetches)
    ).one()
    by_status = {
        str(status): n for status, n in _counts(conn, fetches.c.status) if status is not None
    }
    failing = conn.execute(
        sa.select(
            sources.c.id, sources.c.name, sources.c.url, sources.c.error_count, sources.c.last_error
        )
        .where(sa.or_(sources.c.error_count > 0, sources.c.state == "error"))
        .order_by(sources.c.error_count.desc(), sources.c.id)
    )
    return {
        "sources": {"total": sum(by_state.values()), "by_state": by_state},
        "articles": {
            "total": sum(by_language.values()),
            "by_language": by_language,
            "by_source": by_source,
        },
        "fetches": {
            "total": int(totals[0]),
            "errors": int(totals[1]),
            "by_status": by_status,
            "bytes": int(totals[2]),
        },
        "errors": [
            {
                "source_id": row.id,
                "source": row.name or row.url,
                "error_count": row.error_count,
                "last_error": row.last_error,
            }
            for row in failing
        ],
    }
