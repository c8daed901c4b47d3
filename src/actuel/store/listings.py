"""Light listings for feeds and sitemaps, and the generation token page caches watch for changes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from actuel.model import Article
from actuel.store.articles import article_from_row
from actuel.store.schema import articles, sort_time, stories
from actuel.store.types import UTCDateTime


@dataclass(frozen=True)
class SitemapEntry:
    """One page of the site for a sitemap: its id or key, when it last changed, its title."""

    ref: str  # article id or story key
    lastmod: datetime | None
    title: str | None = None
    language: str | None = None


def _live_stories() -> sa.ColumnElement[bool]:
    return sa.and_(stories.c.merged_into.is_(None), stories.c.article_count > 0)


def count_story_pages(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).where(_live_stories())).scalar_one())


def count_article_pages(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())


def story_pages(conn: Connection, *, offset: int, limit: int) -> list[SitemapEntry]:
    """Live stories by id, `limit` from `offset`, with their last update."""
    stmt = (
        sa.select(stories.c.key, stories.c.updated_at)
        .where(_live_stories())
        .order_by(stories.c.id)
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    return [SitemapEntry(row.key, row.updated_at) for row in conn.execute(stmt)]


def article_pages(conn: Connection, *, offset: int, limit: int) -> list[SitemapEntry]:
    """Articles by id, `limit` from `offset`, with when they last changed (extracted, else seen)."""
    changed = sa.func.coalesce(articles.c.extracted_at, articles.c.first_seen_at, type_=UTCDateTime)
    stmt = (
        sa.select(articles.c.id, changed.label("changed"))
        .order_by(articles.c.id)
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    rows = conn.execute(stmt).mappings()
    return [SitemapEntry(str(row["id"]), row["changed"]) for row in rows]


def recent_stories(conn: Connection, *, since: datetime, limit: int) -> list[SitemapEntry]:
    """Stories first published since `since`, newest first (the news sitemap)."""
    stmt = (
        sa.select(stories.c.key, stories.c.first_published_at, stories.c.title, stories.c.languages)
        .where(_live_stories(), stories.c.first_published_at >= since)
        .order_by(stories.c.first_published_at.desc(), stories.c.id.desc())
        .limit(max(0, limit))
    )
    return [
        SitemapEntry(
            row.key,
            row.first_published_at,
            row.title,
            (row.languages or "").split(",")[0] or None,
        )
        for row in conn.execute(stmt)
    ]


def articles_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Article]:
    """The articles with these ids, in one query (missing ones are left out)."""
    if not ids:
        return {}
    rows = conn.execute(sa.select(articles).where(articles.c.id.in_(list(set(ids))))).mappings()
    found = [article_from_row(row) for row in rows]
    return {a.id: a for a in found if a.id is not None}


def newest_change(conn: Connection) -> datetime | None:
    """The latest time an article was dated: a feed's `updated` when it has no item."""
    value = conn.execute(sa.select(sa.func.max(sort_time()))).scalar()
    return value if isinstance(value, datetime) else None


class GenerationWatch:
    """A token that changes whenever any connection, in any process, commits to the database.

    SQLite: `PRAGMA data_version`, which changes on a connection when another one committed. The
    watching connections are lent one per concurrent caller (one connection behind a lock held
    across the query made threads queue for the GIL: 16 ms a call instead of 5 µs); when a
    connection's value moved since it last looked, or it is new, the caller draws the next token
    from a counter they share. So a call made after a commit returns a token drawn after it.
    PostgreSQL: the current snapshot (xmin:xmax:in-progress ids), which moves when any write
    transaction ends. No table is needed, so `actuel fetch` from cron invalidates the site's pages
    as `actuel run` does. None means the database cannot tell (in-memory SQLite).
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lock = threading.Lock()  # held for list and counter updates only, never a query
        self._idle: list[list[Any]] = []  # [connection, data_version it last saw]
        self._opened: list[Any] = []
        self._token = 0
        self._memory = engine.dialect.name == "sqlite" and isinstance(
            engine.pool, sa.pool.StaticPool
        )

    def current(self) -> str | None:
        if self._memory:
            return None
        if self._engine.dialect.name == "postgresql":
            with self._engine.connect() as conn:
                return str(conn.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar())
        with self._lock:
            lent = self._idle.pop() if self._idle else None
        if lent is None:
            watcher = self._engine.raw_connection()
            watcher.detach()  # ours: outside the pool's count, closed by close()
            lent = [watcher, None]
            with self._lock:
                self._opened.append(watcher)
        try:
            cursor = lent[0].cursor()
            try:
                cursor.execute("PRAGMA data_version")
                version = cursor.fetchone()[0]
            finally:
                cursor.close()
            if version != lent[1]:  # a commit since this connection last looked, or a new one
                lent[1] = version
                with self._lock:
                    self._token += 1
            return str(self._token)
        finally:
            with self._lock:
                self._idle.append(lent)

    def close(self) -> None:
        with self._lock:
            for watcher in self._opened:
                watcher.close()
            self._opened.clear()
            self._idle.clear()
