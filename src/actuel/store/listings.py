"""Light listings for feeds and sitemaps, and the generation page caches watch for changes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from actuel.model import Article, StoryView
from actuel.store import story_views
from actuel.store.articles import VISIBLE, article_from_row
from actuel.store.schema import articles, metadata, sort_time, stories
from actuel.store.types import UTCDateTime

# one row (id 1): moved by every write that changes what pages show (migration 0007)
site_generation = sa.Table(
    "site_generation",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.BigInteger, nullable=False),
)
_BUMP = "UPDATE site_generation SET value = value + 1 WHERE id = 1"
_READ = "SELECT value FROM site_generation WHERE id = 1"


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
    stmt = sa.select(sa.func.count()).select_from(articles).where(VISIBLE)
    return int(conn.execute(stmt).scalar_one())


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
        .where(VISIBLE)
        .order_by(articles.c.id)
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    rows = conn.execute(stmt).mappings()
    return [SitemapEntry(str(row["id"]), row["changed"]) for row in rows]


def recent_stories(
    conn: Connection, *, since: datetime, limit: int, lang: str | None = None
) -> list[SitemapEntry]:
    """Stories first published since `since`, newest first (the news sitemap), each with its
    headline in `lang` and that headline's language (`StoryView.headline`)."""
    original = articles.alias("original")
    stmt = (
        sa.select(
            stories.c.id,
            stories.c.key,
            stories.c.first_published_at,
            stories.c.title,
            stories.c.summary,
            stories.c.original_article_id,
            original.c.language,
        )
        .select_from(stories.outerjoin(original, original.c.id == stories.c.original_article_id))
        .where(_live_stories(), stories.c.first_published_at >= since)
        .order_by(stories.c.first_published_at.desc(), stories.c.id.desc())
        .limit(max(0, limit))
    )
    rows = list(conn.execute(stmt))
    views = {
        int(row.id): StoryView(
            id=int(row.id),
            key=row.key,
            title=row.title,
            summary=row.summary,
            original_article_id=row.original_article_id,
            language=row.language,
        )
        for row in rows
    }
    if views:
        story_views.fill_headlines(conn, views)
    entries = []
    for row in rows:
        headline = views[int(row.id)].headline(lang)
        entries.append(
            SitemapEntry(row.key, row.first_published_at, headline.title, headline.language)
        )
    return entries


def story_categories(conn: Connection) -> list[str]:
    """The rubriques (or sources' categories) live stories are filed under."""
    stmt = sa.select(stories.c.category).where(_live_stories(), stories.c.category.is_not(None))
    return sorted({str(c) for c in conn.execute(stmt.distinct()).scalars()})


def articles_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Article]:
    """The articles with these ids readers may see, in one query (others are left out)."""
    if not ids:
        return {}
    stmt = sa.select(articles).where(articles.c.id.in_(list(set(ids))), VISIBLE)
    rows = conn.execute(stmt).mappings()
    found = [article_from_row(row) for row in rows]
    return {a.id: a for a in found if a.id is not None}


def newest_change(conn: Connection) -> datetime | None:
    """The latest time an article was dated: a feed's `updated` when it has no item."""
    value = conn.execute(sa.select(sa.func.max(sort_time()))).scalar()
    return value if isinstance(value, datetime) else None


def bump_generation(conn: Connection) -> None:
    """Tell page caches that what pages show changed: in the transaction of that change."""
    conn.exec_driver_sql(_BUMP)


class GenerationWatch:
    """The site's generation: a token that moves when a write changed what pages show.

    It is the `site_generation` row, moved by the store in the same transaction as the change
    (articles, stories, published comments, sources' names), by any process: `actuel fetch`
    from cron invalidates the site's pages as `actuel run` does, while a fetch that stored
    nothing new (a fetch log row, a source's next poll time) or a comment held for moderation
    leaves them cached.
    SQLite: reading the row on every call would cost a query per page; `PRAGMA data_version`
    (5 µs) says whether any connection committed since this one last looked, and only then is
    the row read again. The watching connections are lent one per concurrent caller (one
    connection behind a lock held across the query made threads queue for the GIL: 16 ms a call
    instead of 5 µs). PostgreSQL: the row, read each call (one round trip, as the snapshot it
    replaces). None means the database cannot tell (in-memory SQLite).
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lock = threading.Lock()  # held for list updates only, never a query
        self._idle: list[list[Any]] = []  # [connection, data_version it last saw, its token]
        self._opened: list[Any] = []
        self._memory = engine.dialect.name == "sqlite" and isinstance(
            engine.pool, sa.pool.StaticPool
        )

    def current(self) -> str | None:
        if self._memory:
            return None
        if self._engine.dialect.name == "postgresql":
            with self._engine.connect() as conn:
                return str(conn.exec_driver_sql(_READ).scalar_one())
        with self._lock:
            lent = self._idle.pop() if self._idle else None
        if lent is None:
            watcher = self._engine.raw_connection()
            watcher.detach()  # ours: outside the pool's count, closed by close()
            lent = [watcher, None, None]
            with self._lock:
                self._opened.append(watcher)
        try:
            cursor = lent[0].cursor()
            try:
                cursor.execute("PRAGMA data_version")
                version = cursor.fetchone()[0]
                if version != lent[1]:  # a commit since this connection last looked, or a new one
                    cursor.execute(_READ)
                    lent[1], lent[2] = version, str(cursor.fetchone()[0])
            finally:
                cursor.close()
            return str(lent[2])
        finally:
            with self._lock:
                self._idle.append(lent)

    def close(self) -> None:
        with self._lock:
            for watcher in self._opened:
                watcher.close()
            self._opened.clear()
            self._idle.clear()
