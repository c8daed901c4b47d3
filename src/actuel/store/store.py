"""The Store: the one object the rest of actuel uses to read and write the database."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from actuel.config import Settings, load_settings
from actuel.errors import HiddenError, NotFoundError, StoreError
from actuel.model import (
    Article,
    Comment,
    Credit,
    FetchLog,
    Quote,
    QuoteView,
    Source,
    StoryMember,
    StoryView,
)
from actuel.store import (
    activity,
    editorial,
    hosts,
    listings,
    maintenance,
    migrate,
    story_views,
    users,
)
from actuel.store import articles as article_rows
from actuel.store import comments as comment_rows
from actuel.store import images as image_rows
from actuel.store import search as full_text
from actuel.store import sources as source_rows
from actuel.store import stories as story_rows
from actuel.store.articles import ArticleWrite
from actuel.store.db import WRITE, create_engine, is_postgres_url


def _label(db: str) -> str:
    """How errors name the database, without a password."""
    if not is_postgres_url(db):
        return f"database {db}"
    scheme, rest = db.split("://", 1)
    rest = rest.split("?", 1)[0]  # the query string may carry a password too
    if "@" in rest:
        credentials, host = rest.rsplit("@", 1)
        rest = credentials.split(":", 1)[0] + "@" + host
    return f"database {scheme}://{rest}"


def _as_shown(source: Source) -> tuple[object, ...]:
    """What pages show of a source (its polling state, never shown, stays out)."""
    return (
        source.url,
        source.name or "",
        str(source.kind),
        source.lang,
        source.category,
        source.site_url,
    )


class Store:
    """SQLite or PostgreSQL behind one API of plain dataclasses.

    Each call takes its own pooled connection, so threads may share a Store (a web server's
    reader); keep one writing process per SQLite file.

    Every write method is one transaction. Removing a source deletes its articles and pages.
    """

    def __init__(self, engine: Engine, settings: Settings, *, label: str, readonly: bool):
        self._engine = engine
        self.settings = settings
        self.label = label
        self.readonly = readonly
        self._local = threading.local()  # the open batch() transaction of each thread

    @classmethod
    def open(cls, db: str, settings: Settings | None = None, *, readonly: bool = False) -> Store:
        """Open a SQLite file path or a postgresql:// URL; read-write opens migrate to head."""
        settings = settings or load_settings()
        label = _label(db)
        engine = create_engine(
            db,
            busy_timeout_ms=int(settings.sqlite_busy_timeout_ms),
            readonly=readonly,
            schema=str(settings.db_schema or ""),
        )
        try:
            if readonly:
                migrate.check_current(engine, label)
            else:
                migrate.upgrade(engine, label)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            detail = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
            raise StoreError(
                f"cannot open: {detail}",
                fix="check the db setting (ACTUEL_DB), the file's permissions or the server",
                source=label,
            ) from exc
        return cls(engine, settings, label=label, readonly=readonly)

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self._engine.dialect.name

    def close(self) -> None:
        watch = self.__dict__.pop("_generation_watch", None)
        if watch is not None:  # the connection site_generation() keeps
            watch.close()
        if self.dialect == "sqlite" and not self.readonly:
            # lets SQLite refresh the statistics its planner uses, as its docs advise at close
            with contextlib.suppress(sa.exc.DBAPIError), self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run this thread's writes (and reads) in one transaction: all of them, or none.

        The pipeline stores the pages that finished together in one commit; a crash loses at
        most that batch, never half of it.
        """
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._write() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._database_errors(), self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _database_errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.IntegrityError as exc:
            raise StoreError(
                f"the database refused the change: {exc.orig}",
                fix="a row it refers to is missing (was its source removed?); nothing was stored",
                source=self.label,
            ) from exc
        except sa.exc.DBAPIError as exc:
            if self.dialect == "sqlite" and "locked" in str(exc.orig):
                raise StoreError(
                    "the database stayed locked by another writer",
                    fix="run one writer at a time, or raise ACTUEL_SQLITE_BUSY_TIMEOUT_MS",
                    source=self.label,
                ) from exc
            raise StoreError(
                f"the database failed: {exc.orig}",
                fix="check the server is up and the disk not full; nothing was half-written",
                source=self.label,
            ) from exc

    @contextmanager
    def _write(self, *, shown: bool = False) -> Iterator[Connection]:
        """The write transaction (this thread's batch, if one is open). `shown`: the write
        changes what pages show; see `_pages_changed`."""
        if self.readonly:
            raise StoreError(
                "this store was opened read-only",
                fix="open it without readonly=True to write",
                source=self.label,
            )
        current = getattr(self._local, "conn", None)
        if current is not None:
            if shown:
                self._local.shown = True
            yield current
            return
        with self._database_errors(), self._engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                self._local.shown = shown
                try:
                    yield conn
                    if self._local.shown:
                        # last, once per transaction: on PostgreSQL the row stays locked
                        # against other writers only from here to the commit
                        listings.bump_generation(conn)
                finally:
                    self._local.shown = False

    def _pages_changed(self) -> None:
        """The open write transaction changes what pages show: page caches (`site_generation`)
        are told when it commits. A fetch log row or a held comment leaves them be."""
        self._local.shown = True

    # sources

    def add_source(self, source: Source) -> Source:
        with self._write(shown=True) as conn:
            return source_rows.add(conn, source)

    def get_source(self, id_or_url: int | str) -> Source:
        with self._read() as conn:
            return source_rows.get(conn, id_or_url)

    def list_sources(self) -> list[Source]:
        with self._read() as conn:
            return source_rows.list_all(conn)

    def update_source(self, source: Source) -> None:
        with self._write() as conn:
            before = source_rows.get(conn, source.id) if source.id is not None else None
            source_rows.update(conn, source)
            if before is None or _as_shown(before) != _as_shown(source):
                self._pages_changed()  # not when only its polling state moved

    def remove_source(self, id_or_url: int | str) -> int:
        """Delete a source with its articles and their pages; returns how many articles went."""
        with self._write(shown=True) as conn:
            source_id = source_rows.get(conn, id_or_url).id
            touched = story_rows.stories_of_source(conn, source_id) if source_id else []
            if touched:  # editors' corrections made on its articles move to articles that stay
                editorial.before_removal(conn, int(source_id or 0))
            count = source_rows.remove(conn, id_or_url)
            story_rows.recount(conn, touched)
            return count

    def due_sources(self, now: datetime) -> list[Source]:
        """Active or failing sources whose next poll time has come (or was never set)."""
        with self._read() as conn:
            return source_rows.due(conn, now)

    # articles

    def find_article(
        self,
        *,
        canonical_url: str | None = None,
        source_id: int | None = None,
        guid: str | None = None,
    ) -> Article | None:
        with self._read() as conn:
            return article_rows.find(
                conn, canonical_url=canonical_url, source_id=source_id, guid=guid
            )

    def known_articles(
        self, source_id: int, *, canonical_urls: list[str], guids: list[str]
    ) -> tuple[set[str], set[str]]:
        """Which of these canonical URLs (any source) and guids (this source) are stored."""
        with self._read() as conn:
            return article_rows.known(
                conn, source_id=source_id, canonical_urls=canonical_urls, guids=guids
            )

    def upsert_article(
        self,
        article: Article,
        *,
        raw_html: bytes | None = None,
        content_type: str | None = None,
        final_url: str | None = None,
        compressed: bool = False,
    ) -> tuple[int, bool]:
        """Store an article once: (id, created). A known one is updated, never duplicated.

        Known means same canonical URL, or same source and guid, or same source and content hash.
        A feed-only version never overwrites the full text of a page already stored.
        `raw_html` is the page as fetched, or already zlib-compressed when `compressed` is set.
        """
        with self._write(shown=True) as conn:
            return article_rows.upsert(
                conn,
                article,
                raw_html=raw_html,
                content_type=content_type,
                final_url=final_url,
                compressed=compressed,
            )

    def upsert_articles(self, writes: list[ArticleWrite]) -> list[tuple[int, bool]]:
        """Store several articles with their pages, as `upsert_article` would one after the
        other (same rows, same ids), in fewer statements: (id, created) of each, in order."""
        with self._write(shown=bool(writes)) as conn:
            return article_rows.upsert_many(conn, writes)

    def get_article(self, article_id: int, *, hidden: bool = False) -> Article:
        """The article (NotFoundError); one an editor hid raises HiddenError unless `hidden`."""
        if not 0 < article_id < 2**63:  # no such row, and SQLite would overflow on the bind
            raise NotFoundError(f"no article {article_id}", fix="check the article's id")
        with self._read() as conn:
            article = article_rows.get(conn, article_id)
        if article.hidden_at is not None and not hidden:
            raise HiddenError(
                f"article {article_id} was hidden by an editor",
                fix="show it again from the admin's article page",
            )
        return article

    def latest_articles(
        self,
        *,
        limit: int = 50,
        before: tuple[datetime, int] | None = None,
        lang: str | None = None,
        source_id: int | None = None,
    ) -> list[Article]:
        """Newest first by (published else first seen, id); pass the last row's pair as before."""
        with self._read() as conn:
            return article_rows.latest(
                conn, limit=limit, before=before, lang=lang, source_id=source_id
            )

    def articles_needing_page(self, now: datetime, limit: int = 100) -> list[Article]:
        """Feed-only articles whose page retry time has come, under the page_retry_max attempts."""
        with self._read() as conn:
            return article_rows.needing_page(
                conn, now, limit, max_attempts=int(self.settings.page_retry_max)
            )

    def iter_raw_pages(self, batch: int = 200) -> Iterator[tuple[Article, bytes, str | None]]:
        """Every stored page as (article, html, content type), by article id, `batch` per read."""
        after = 0
        while True:
            with self._read() as conn:
                rows, last = article_rows.raw_pages_after(conn, after, batch)
            yield from rows
            if last is None:
                return
            after = last

    def update_extraction(self, article: Article) -> None:
        """Replace what extraction produced (text, title, dates, ...); the search index follows."""
        with self._write(shown=True) as conn:
            article_rows.update_extraction(conn, article)

    def host_holds(self, now: datetime | None = None) -> dict[str, tuple[datetime, int]]:
        """Hosts that asked us (Retry-After) to wait past `now`: host -> (until, status)."""
        with self._read() as conn:
            return hosts.holds(conn, now or datetime.now(UTC))

    def hold_host(self, host: str, until: datetime, status: int) -> None:
        """Remember that `host` asked to be left alone until `until` (for every process)."""
        if self.readonly:
            return
        with self._write() as conn:
            hosts.hold(conn, host, until, status)

    def count_articles(self) -> int:
        with self._read() as conn:
            return article_rows.count(conn)

    def search(
        self, query: str, *, limit: int = 20, lang: str | None = None, offset: int = 0
    ) -> list[tuple[Article, str]]:
        """Best matches first, each with a snippet whose matches sit between MARK_START/MARK_END.

        Every word of `query` must match, accents and case aside; `offset` skips that many results.
        """
        with self._read() as conn:
            return full_text.search(conn, query, limit=limit, lang=lang, offset=max(0, offset))

    # stories

    def latest_stories(
        self,
        *,
        limit: int = 30,
        before: tuple[datetime, int] | None = None,
        lang: str | None = None,
        category: str | None = None,
    ) -> list[StoryView]:
        """Newest first by latest activity (updated_at, id); pass the last row's pair as before.

        `lang`: stories with an article in that language; `category`: filed under it (a
        rubrique), or first reported by an outlet of that category.
        """
        with self._read() as conn:
            return story_views.latest(
                conn, limit=limit, before=before, lang=lang, category=category
            )

    def hide_article(self, article_id: int) -> None:
        """Hide the article from readers, everywhere, and take it out of its story."""
        with self._write(shown=True) as conn:
            article_rows.hide(conn, article_id, datetime.now(UTC))
            editorial.withdraw(conn, article_id)

    def hidden_articles(self, limit: int = 100) -> list[Article]:
        with self._read() as conn:
            return article_rows.hidden(conn, limit)

    def show_article(self, article_id: int) -> None:
        """Show a hidden article again (it rejoins a story when the clustering window is next
        restored: the next `actuel fetch` or `stories rebuild`, or `actuel run` restarted)."""
        with self._write(shown=True) as conn:
            article_rows.hide(conn, article_id, None)

    def correct_article(self, article_id: int, title: str, summary: str | None) -> None:
        """Show an editor's title and summary for the article (and its story, when it is the
        original); the extracted ones are kept, and re-extraction never undoes it."""
        with self._write(shown=True) as conn:
            article_rows.correct(conn, article_id, title, summary, datetime.now(UTC))
            editorial.retitle(conn, article_id, title, summary)

    def images_wanted(self, limit: int = 50) -> list[image_rows.ImageWanted]:
        """Visible articles naming an image never fetched, the newest first."""
        with self._read() as conn:
            return image_rows.wanted(conn, limit)

    def save_image(self, article_id: int, source_url: str, **fields: Any) -> None:
        """The local copy of an article's image (data, width, height, content_type), or why
        there is none (error)."""
        with self._write(shown=fields.get("data") is not None) as conn:
            image_rows.save(conn, article_id, source_url, datetime.now(UTC), **fields)

    def get_image(self, article_id: int) -> image_rows.StoredImage | None:
        with self._read() as conn:
            return image_rows.get(conn, article_id)

    def images_kept(self, article_ids: Iterable[int]) -> set[int]:
        """Those of these articles that have a local image."""
        with self._read() as conn:
            return image_rows.kept(conn, article_ids)

    def story_categories(self) -> list[str]:
        """The rubriques (or sources' categories) live stories are filed under."""
        with self._read() as conn:
            return listings.story_categories(conn)

    def set_article_rubrique(self, article_id: int, rubrique: str | None) -> None:
        """An editor's rubrique for the article (and its story, when it is the original)."""
        with self._write(shown=True) as conn:
            article_rows.set_rubrique(conn, article_id, rubrique)
            editorial.refile(conn, article_id, rubrique)

    def pinned_stories(self, limit: int = 3) -> list[StoryView]:
        """The stories editors pinned at the top of the home page, the latest pinned first."""
        with self._read() as conn:
            return story_views.by_ids(conn, editorial.pinned_story_ids(conn, limit))

    def story_pinned(self, story_id: int) -> bool:
        with self._read() as conn:
            return editorial.is_pinned(conn, story_id)

    def pin_story(self, story_id: int, by: str) -> None:
        with self._write(shown=True) as conn:
            editorial.pin(conn, story_id, by, datetime.now(UTC))

    def unpin_story(self, story_id: int) -> None:
        with self._write(shown=True) as conn:
            editorial.unpin(conn, story_id)

    def get_story(self, key: str) -> StoryView:
        """The story with this key (NotFoundError); a merged story's key gives the survivor,
        whose `key` then differs from the one asked."""
        with self._read() as conn:
            return story_views.get(conn, key)

    def story_members(self, story_id: int) -> list[StoryMember]:
        """The story's articles in timeline order, each with its relation and evidence."""
        with self._read() as conn:
            return story_views.members(conn, story_id)

    def story_of_article(self, article_id: int) -> tuple[StoryView, StoryMember] | None:
        with self._read() as conn:
            return story_views.of_article(conn, article_id)

    def story_quotes(self, story_id: int) -> list[QuoteView]:
        """Who said what in the story, each quote once with the articles and outlets carrying it."""
        with self._read() as conn:
            return story_views.quotes(conn, story_id)

    def related_stories(self, story_id: int, *, limit: int = 5) -> list[StoryView]:
        """ "Lire aussi": recent stories of the same rubrique, itself aside."""
        with self._read() as conn:
            return story_views.related(conn, story_id, limit=limit)

    def save_story(self, update: story_rows.StoryUpdate, *, now: datetime | None = None) -> int:
        """Write where articles went: the story row, merged stories, member rows; the story id."""
        with self._write(shown=True) as conn:
            moment = now or datetime.now(UTC)
            story_id = story_rows.save(conn, update, now=moment)
            editorial.enforce(conn, story_id, moment)  # a person's corrections win
            return story_id

    def set_story_locked(self, story_id: int, locked: bool = True) -> None:
        """Mark a story as corrected by a person: ingest then leaves its original and title."""
        with self._write(shown=True) as conn:
            story_rows.set_locked(conn, story_id, locked)

    def save_article_extras(
        self, article_id: int, credits: list[Credit], quotes: list[Quote], *, fresh: bool = False
    ) -> None:
        """Replace an article's credit lines and quotes (`fresh`: it has none stored yet)."""
        with self._write(shown=True) as conn:
            story_rows.replace_extras(conn, article_id, credits, quotes, fresh=fresh)

    def article_credits(self, article_id: int) -> list[Credit]:
        """The credit lines found in an article ("(AFP)", "selon Reuters"), in text order."""
        with self._read() as conn:
            return story_rows.credits_of(conn, article_id)

    def article_quotes(self, article_id: int) -> list[Quote]:
        """The direct quotes found in an article, with their speakers, in text order."""
        with self._read() as conn:
            return story_rows.quotes_of(conn, article_id)

    def newest_article_time(self) -> datetime | None:
        """The latest date (published, else first seen) of any article; None when empty."""
        with self._read() as conn:
            return story_rows.newest(conn)

    def story_window(
        self, since: datetime, until: datetime | None = None
    ) -> list[story_rows.WindowRow]:
        """Articles dated since `since` (and before `until`), oldest first, with their story key
        and derivation: what the stories stage needs to resume after a restart."""
        with self._read() as conn:
            return story_rows.window(conn, since, until)

    def oldest_article_time(self, since: datetime | None = None) -> datetime | None:
        """The earliest date (published, else first seen) of any article (since `since`)."""
        with self._read() as conn:
            return story_rows.oldest(conn, since)

    def count_unplaced_articles(self, since: datetime | None = None) -> int:
        """Articles in no story yet (stored before stories, or imported from an archive)."""
        with self._read() as conn:
            return story_rows.unplaced_count(conn, since)

    # fetch log and upkeep

    def log_fetch(self, entry: FetchLog) -> None:
        self.log_fetches([entry])

    def log_fetches(self, entries: list[FetchLog]) -> None:
        """Several fetch log rows in one statement."""
        with self._write() as conn:
            activity.log_fetches(conn, entries)

    def prune_fetches(self, before: datetime | None = None) -> int:
        """Drop fetch log rows older than `before` (default: fetch_log_keep_days ago)."""
        if before is None:
            before = datetime.now(UTC) - timedelta(days=int(self.settings.fetch_log_keep_days))
        with self._write() as conn:
            return activity.prune_fetches(conn, before)

    def stats(self) -> dict[str, Any]:
        with self._read() as conn:
            return activity.stats(conn)

    def integrity_check(self) -> list[str]:
        """[] when the database is sound, else one line per problem."""
        if self.readonly:
            with self._read() as conn:
                return maintenance.integrity_check(conn, check_search=False)
        with self._write() as conn:
            return maintenance.integrity_check(conn)

    def backup(self, path: str) -> None:
        """A consistent copy of a live SQLite database at `path`, by the backup API."""
        maintenance.backup(self._engine, path, self.label)

    # --- search and site listings (search / public-pages helpers add methods below) ---

    def search_page(
        self,
        query: str,
        filters: full_text.SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        group_stories: bool = True,
    ) -> full_text.SearchPage:
        """A page of search results with snippets, filtered; a story once, by its best article.

        Every word must match (stemmed in French and English, accents and case aside).
        """
        with self._read() as conn:
            return full_text.find(
                conn,
                query,
                filters or full_text.SearchFilters(),
                limit=limit,
                offset=max(0, offset),
                group_stories=group_stories,
            )

    def site_generation(self) -> str | None:
        """A token that moves when a write that changes what pages show is committed, by any
        process; page caches compare it to know their pages are stale. None: this database
        cannot tell."""
        watch: listings.GenerationWatch | None = self.__dict__.get("_generation_watch")
        if watch is None:
            watch = self.__dict__.setdefault(
                "_generation_watch", listings.GenerationWatch(self._engine)
            )
        return watch.current()

    def sitemap_counts(self) -> tuple[int, int]:
        """How many story pages and article pages the site has."""
        with self._read() as conn:
            return listings.count_story_pages(conn), listings.count_article_pages(conn)

    def sitemap_stories(self, *, offset: int, limit: int) -> list[listings.SitemapEntry]:
        with self._read() as conn:
            return listings.story_pages(conn, offset=offset, limit=limit)

    def sitemap_articles(self, *, offset: int, limit: int) -> list[listings.SitemapEntry]:
        with self._read() as conn:
            return listings.article_pages(conn, offset=offset, limit=limit)

    def news_stories(
        self, *, since: datetime, limit: int, lang: str | None = None
    ) -> list[listings.SitemapEntry]:
        """Stories first published since `since`, newest first (for a news sitemap), each with
        its headline in `lang` (a member's in that language when it has one, else the
        original's) and the headline's language."""
        with self._read() as conn:
            return listings.recent_stories(conn, since=since, limit=limit, lang=lang)

    def articles_by_id(self, ids: list[int]) -> dict[int, Article]:
        with self._read() as conn:
            return listings.articles_by_id(conn, ids)

    def newest_change(self) -> datetime | None:
        with self._read() as conn:
            return listings.newest_change(conn)

    # --- comments (comments helper adds methods below) ---

    def add_comment(self, comment: Comment) -> Comment | None:
        """Store a reader's comment; None when the same text is already under that article."""
        with self._write() as conn:
            stored = comment_rows.add(conn, comment)
            if stored is not None and stored.status == "published":
                self._pages_changed()  # one held for moderation shows nowhere yet
            return stored

    def get_comment(self, comment_id: int) -> Comment:
        with self._read() as conn:
            return comment_rows.get(conn, comment_id)

    def comment_exists(self, article_id: int, text: str) -> bool:
        """True when this exact text is already under the article (in any status)."""
        with self._read() as conn:
            return comment_rows.exists(conn, article_id, text)

    def email_approved(self, email_hash: str) -> bool:
        """True when a comment from this (hashed) address is published and none is spam: its
        next comments are published at once."""
        with self._read() as conn:
            return comment_rows.email_approved(conn, email_hash)

    def article_comments(
        self,
        article_id: int,
        *,
        status: str = "published",
        limit: int = 500,
        after: tuple[datetime, int] | None = None,
    ) -> list[Comment]:
        """An article's comments in `status`, oldest first; pass the last row's pair as after."""
        with self._read() as conn:
            return comment_rows.of_article(
                conn, article_id, status=status, limit=limit, after=after
            )

    def comments_by_status(
        self, status: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Comment]:
        """The moderation queue: comments in `status` (pending, published, spam, deleted),
        newest first; pass the last row's (created_at, id) as before for the next page."""
        with self._read() as conn:
            return comment_rows.by_status(conn, status, limit=limit, before=before)

    def count_comments(self) -> dict[str, int]:
        """Comments per status, every status named (0 when none)."""
        with self._read() as conn:
            return comment_rows.count_by_status(conn)

    def published_comment_counts(self, article_ids: list[int]) -> dict[int, int]:
        """Published comments per article id, for the ids that have any."""
        with self._read() as conn:
            return comment_rows.published_counts(conn, article_ids)

    def approve_comments(self, ids: list[int]) -> int:
        """Publish these comments (their authors' next comments skip the queue); how many."""
        return self.set_comments_status(ids, "published")

    def mark_comments_spam(self, ids: list[int]) -> int:
        return self.set_comments_status(ids, "spam")

    def delete_comments(self, ids: list[int]) -> int:
        """Hide these comments for good (kept, marked deleted, so a repost is still refused)."""
        return self.set_comments_status(ids, "deleted")

    def set_comments_status(self, ids: list[int], status: str) -> int:
        """Move comments to a moderation status in one transaction; how many changed."""
        with self._write() as conn:
            changed = comment_rows.set_status(conn, ids, status, datetime.now(UTC))
            if changed:
                self._pages_changed()
            return changed

    def purge_comments(self, ids: list[int]) -> int:
        """Remove comments from the database altogether; how many went."""
        with self._write() as conn:
            purged = comment_rows.purge(conn, ids)
            if purged:
                self._pages_changed()
            return purged

    def site_secret(self, name: str) -> str:
        """A random key kept in the database (drawn on first use): stable across restarts."""
        with self._write() as conn:
            return comment_rows.secret(conn, name)

    # --- admin: users, sessions, editorial overrides (admin helper adds methods below) ---

    def create_admin(self, name: str, password_hash: str, *, one_time: bool = False) -> int:
        """A new admin user (StoreError when the name is taken); its id. `one_time`: the
        password was given to them, and they must choose their own at their first login."""
        with self._write() as conn:
            now = datetime.now(UTC)
            return users.create_user(conn, name, password_hash, now, one_time=one_time)

    def count_admins(self) -> int:
        with self._read() as conn:
            return users.count_users(conn)

    def get_admin(self, name: str) -> users.AdminUser | None:
        with self._read() as conn:
            return users.get_user(conn, name)

    def set_admin_password(self, name: str, password_hash: str) -> None:
        with self._write() as conn:
            users.set_password_hash(conn, name, password_hash)

    def start_admin_session(self, user_id: int, token_hash: str, expires_at: datetime) -> None:
        with self._write() as conn:
            users.start_session(conn, user_id, token_hash, datetime.now(UTC), expires_at)

    def admin_of_session(self, token_hash: str) -> str | None:
        """The admin's name when this session is live, else None."""
        with self._read() as conn:
            return users.session_user(conn, token_hash, datetime.now(UTC))

    def end_admin_session(self, token_hash: str) -> None:
        with self._write() as conn:
            users.end_session(conn, token_hash)

    def add_api_token(self, token_hash: str, label: str, user_id: int | None = None) -> int:
        with self._write() as conn:
            return users.add_api_token(conn, token_hash, label, user_id, datetime.now(UTC))

    def use_api_token(self, token_hash: str, *, record: bool = True) -> str | None:
        """The token's label when it is known (its use recorded when `record`), else None."""
        if not record:
            with self._read() as conn:
                return users.use_api_token(conn, token_hash, datetime.now(UTC), record=False)
        with self._write() as conn:
            return users.use_api_token(conn, token_hash, datetime.now(UTC))

    def correct_story_original(self, article_id: int, by: str) -> int:
        """A person makes this article its story's original, for good; the story id."""
        with self._write(shown=True) as conn:
            return editorial.correct_original(conn, article_id, by, datetime.now(UTC))

    def correct_story_merge(self, keep_article: int, gone_article: int, by: str) -> int:
        """A person puts two articles' stories together; the surviving story id."""
        with self._write(shown=True) as conn:
            return editorial.correct_merge(conn, keep_article, gone_article, by, datetime.now(UTC))

    def correct_story_split(self, article_id: int, by: str) -> int:
        """A person takes an article out of its story; the id of its own new story."""
        with self._write(shown=True) as conn:
            return editorial.correct_split(conn, article_id, by, datetime.now(UTC))

    def story_corrections(self, limit: int = 100) -> list[editorial.Correction]:
        with self._read() as conn:
            return editorial.corrections(conn, limit)

    def articles_per_day(self, days: int = 14) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles) over the last `days` days, oldest first."""
        with self._read() as conn:
            return editorial.articles_per_day(conn, days, datetime.now(UTC))

    def articles_per_source(self, days: int = 7) -> dict[int, int]:
        """Articles first seen in the last `days` days, by source id."""
        with self._read() as conn:
            return editorial.articles_per_source(conn, datetime.now(UTC) - timedelta(days=days))
