"""Source rows: register, read, update, remove and pick the ones due for a poll."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import DuplicateSourceError, NotFoundError, StoreError
from actuel.model import Source, SourceKind, SourceState
from actuel.store.articles import MAX_URL_CHARS
from actuel.store.db import dialect_insert
from actuel.store.schema import articles, sources

_MUTABLE = (
    "url",
    "name",
    "kind",
    "lang",
    "category",
    "interval_s",
    "site_url",
    "state",
    "etag",
    "last_modified",
    "next_poll_at",
    "last_polled_at",
    "error_count",
    "last_error",
    "last_error_code",
)


def source_from_row(row: RowMapping) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        name=row["name"],
        kind=SourceKind(row["kind"]),
        lang=row["lang"],
        category=row["category"],
        interval_s=row["interval_s"],
        site_url=row["site_url"],
        state=SourceState(row["state"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_poll_at=row["next_poll_at"],
        last_polled_at=row["last_polled_at"],
        error_count=row["error_count"],
        last_error=row["last_error"],
        last_error_code=row["last_error_code"],
        created_at=row["created_at"],
    )


def _values(source: Source) -> dict[str, Any]:
    values = {name: getattr(source, name) for name in _MUTABLE}
    values["kind"] = str(SourceKind(source.kind))
    values["state"] = str(SourceState(source.state))
    values["name"] = source.name or ""
    return values


def _by_url(conn: Connection, url: str) -> RowMapping | None:
    return conn.execute(sa.select(sources).where(sources.c.url == url)).mappings().first()


def _duplicate(existing: RowMapping, url: str) -> DuplicateSourceError:
    return DuplicateSourceError(
        f"{url} is already registered as source {existing['id']}",
        fix=f"update source {existing['id']} instead, or remove it first",
        source=f"source {url}",
    )


def _check_url(source: Source) -> None:
    if len(source.url) > MAX_URL_CHARS:
        raise StoreError(
            f"source URL is {len(source.url)} characters long, over the {MAX_URL_CHARS} "
            f"the store keeps: {source.url[:80]}…",
            fix="register a shorter address for this feed (its site usually offers one)",
        )


def add(conn: Connection, source: Source) -> Source:
    _check_url(source)
    existing = _by_url(conn, source.url)
    if existing is not None:
        raise _duplicate(existing, source.url)
    values = _values(source)
    values["created_at"] = source.created_at or datetime.now(UTC)
    # ON CONFLICT DO NOTHING: a concurrent writer that registered the URL first wins cleanly
    stmt = (
        dialect_insert(conn, sources)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(sources.c.id)
    )
    new_id = conn.execute(stmt).scalar()
    if new_id is None:
        existing = _by_url(conn, source.url)
        assert existing is not None
        raise _duplicate(existing, source.url)
    return get(conn, new_id)


def get(conn: Connection, id_or_url: int | str) -> Source:
    by_id = isinstance(id_or_url, int)
    where = sources.c.id == id_or_url if by_id else sources.c.url == id_or_url
    row = conn.execute(sa.select(sources).where(where)).mappings().first()
    if row is None:
        raise NotFoundError(
            f"no source {id_or_url}",
            fix="list the registered sources with `actuel sources list`",
        )
    return source_from_row(row)


def list_all(conn: Connection) -> list[Source]:
    rows = conn.execute(sa.select(sources).order_by(sources.c.id)).mappings()
    return [source_from_row(row) for row in rows]


def update(conn: Connection, source: Source) -> None:
    if source.id is None:
        raise NotFoundError(
            f"source {source.url} has no id", fix="add it with add_source before updating it"
        )
    _check_url(source)
    existing = _by_url(conn, source.url)
    if existing is not None and existing["id"] != source.id:
        raise _duplicate(existing, source.url)
    result = conn.execute(
        sa.update(sources).where(sources.c.id == source.id).values(**_values(source))
    )
    if result.rowcount == 0:
        raise NotFoundError(
            f"no source {source.id}", fix="list the registered sources with `actuel sources list`"
        )


def remove(conn: Connection, id_or_url: int | str) -> int:
    """Delete a source; its articles (and their pages) go with it. Returns how many articles."""
    source = get(conn, id_or_url)
    count = conn.execute(
        sa.select(sa.func.count()).select_from(articles).where(articles.c.source_id == source.id)
    ).scalar_one()
    conn.execute(sa.delete(sources).where(sources.c.id == source.id))
    return int(count)


def due(conn: Connection, now: datetime) -> list[Source]:
    stmt = (
        sa.select(sources)
        .where(
            sources.c.state.in_([SourceState.ACTIVE.value, SourceState.ERROR.value]),
            sa.or_(sources.c.next_poll_at.is_(None), sources.c.next_poll_at <= now),
        )
        .order_by(sources.c.next_poll_at.asc().nulls_first(), sources.c.id)
    )
    return [source_from_row(row) for row in conn.execute(stmt).mappings()]
