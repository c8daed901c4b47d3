"""The store's entities: sources, articles, stories, comments, ... each reads and writes its rows in
the store's transactions (`Store.read`, `Store.write`, `Store.batch`); the SQL is in the per-table
modules (sources.py, articles.py, ...), called with the transaction's connection."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from actuel.errors import HiddenError, NotFoundError
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

if TYPE_CHECKING:
    from actuel.store.store import Store


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


class _Entity:
    """One kind of row, bound to a store."""

    def __init__(self, store: Store) -> None:
        self._store = store


class Sources(_Entity):
    """The sources to poll."""

    def add(self, source: Source) -> Source:
        with self._store.write(shown=True) as conn:
            return source_rows.add(conn, source)

    def get(self, id_or_url: int | str) -> Source:
        with self._store.read() as conn:
            return source_rows.get(conn, id_or_url)

    def all(self) -> list[Source]:
        with self._store.read() as conn:
            return source_rows.list_all(conn)

    def update(self, source: Source) -> None:
        with self._store.write() as conn:
            before = source_rows.get(conn, source.id) if source.id is not None else None
            source_rows.update(conn, source)
            if before is None or _as_shown(before) != _as_shown(source):
                self._store.pages_changed()  # not when only its polling state moved

    def remove(self, id_or_url: int | str) -> int:
        """Delete a source with its articles and their pages; returns how many articles went."""
        with self._store.write(shown=True) as conn:
            source_id = source_rows.get(conn, id_or_url).id
            touched = story_rows.stories_of_source(conn, source_id) if source_id else []
            if touched:  # editors' corrections made on its articles move to articles that stay
                editorial.before_removal(conn, int(source_id or 0))
            count = source_rows.remove(conn, id_or_url)
            story_rows.recount(conn, touched)
            return count

    def due(self, now: datetime) -> list[Source]:
        """Active or failing sources whose next poll time has come (or was never set)."""
        with self._store.read() as conn:
            return source_rows.due(conn, now)


class Articles(_Entity):
    """Articles: stored, found, corrected, hidden; their credit lines and quotes."""

    def find(
        self,
        *,
        canonical_url: str | None = None,
        source_id: int | None = None,
        guid: str | None = None,
    ) -> Article | None:
        with self._store.read() as conn:
            return article_rows.find(
                conn, canonical_url=canonical_url, source_id=source_id, guid=guid
            )

    def known(
        self, source_id: int, *, canonical_urls: list[str], guids: list[str]
    ) -> tuple[set[str], set[str]]:
        """Which of these canonical URLs (any source) and guids (this source) are stored."""
        with self._store.read() as conn:
            return article_rows.known(
                conn, source_id=source_id, canonical_urls=canonical_urls, guids=guids
            )

    def upsert(
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
        with self._store.write(shown=True) as conn:
            return article_rows.upsert(
                conn,
                article,
                raw_html=raw_html,
                content_type=content_type,
                final_url=final_url,
                compressed=compressed,
            )

    def upsert_many(self, writes: list[ArticleWrite]) -> list[tuple[int, bool]]:
        """Store several articles with their pages, as `upsert_article` would one after the
        other (same rows, same ids), in fewer statements: (id, created) of each, in order."""
        with self._store.write(shown=bool(writes)) as conn:
            return article_rows.upsert_many(conn, writes)

    def get(self, article_id: int, *, hidden: bool = False) -> Article:
        """The article (NotFoundError); one an editor hid raises HiddenError unless `hidden`."""
        if not 0 < article_id < 2**63:  # no such row, and SQLite would overflow on the bind
            raise NotFoundError(f"no article {article_id}", fix="check the article's id")
        with self._store.read() as conn:
            article = article_rows.get(conn, article_id)
        if article.hidden_at is not None and not hidden:
            raise HiddenError(
                f"article {article_id} was hidden by an editor",
                fix="show it again from the admin's article page",
            )
        return article

    def latest(
        self,
        *,
        limit: int = 50,
        before: tuple[datetime, int] | None = None,
        lang: str | None = None,
        source_id: int | None = None,
    ) -> list[Article]:
        """Newest first by (published else first seen, id); pass the last row's pair as before."""
        with self._store.read() as conn:
            return article_rows.latest(
                conn, limit=limit, before=before, lang=lang, source_id=source_id
            )

    def needing_page(self, now: datetime, limit: int = 100) -> list[Article]:
        """Feed-only articles whose page retry time has come, under the page_retry_max attempts."""
        with self._store.read() as conn:
            return article_rows.needing_page(
                conn, now, limit, max_attempts=int(self._store.settings.page_retry_max)
            )

    def raw_pages(self, batch: int = 200) -> Iterator[tuple[Article, bytes, str | None]]:
        """Every stored page as (article, html, content type), by article id, `batch` per read."""
        after = 0
        while True:
            with self._store.read() as conn:
                rows, last = article_rows.raw_pages_after(conn, after, batch)
            yield from rows
            if last is None:
                return
            after = last

    def update_extraction(self, article: Article) -> None:
        """Replace what extraction produced (text, title, dates, ...); the search index follows."""
        with self._store.write(shown=True) as conn:
            article_rows.update_extraction(conn, article)

    def count(self) -> int:
        with self._store.read() as conn:
            return article_rows.count(conn)

    def hide(self, article_id: int) -> None:
        """Hide the article from readers, everywhere, and take it out of its story."""
        with self._store.write(shown=True) as conn:
            article_rows.hide(conn, article_id, datetime.now(UTC))
            editorial.withdraw(conn, article_id)

    def hidden(self, limit: int = 100) -> list[Article]:
        with self._store.read() as conn:
            return article_rows.hidden(conn, limit)

    def show(self, article_id: int) -> None:
        """Show a hidden article again (it rejoins a story when the clustering window is next
        restored: the next `actuel fetch` or `stories rebuild`, or `actuel run` restarted)."""
        with self._store.write(shown=True) as conn:
            article_rows.hide(conn, article_id, None)

    def correct(self, article_id: int, title: str, summary: str | None) -> None:
        """Show an editor's title and summary for the article (and its story, when it is the
        original); the extracted ones are kept, and re-extraction never undoes it."""
        with self._store.write(shown=True) as conn:
            article_rows.correct(conn, article_id, title, summary, datetime.now(UTC))
            editorial.retitle(conn, article_id, title, summary)

    def set_rubrique(self, article_id: int, rubrique: str | None) -> None:
        """An editor's rubrique for the article (and its story, when it is the original)."""
        with self._store.write(shown=True) as conn:
            article_rows.set_rubrique(conn, article_id, rubrique)
            editorial.refile(conn, article_id, rubrique)

    def by_ids(self, ids: list[int]) -> dict[int, Article]:
        with self._store.read() as conn:
            return listings.articles_by_id(conn, ids)

    def credits(self, article_id: int) -> list[Credit]:
        """The credit lines found in an article ("(AFP)", "selon Reuters"), in text order."""
        with self._store.read() as conn:
            return story_rows.credits_of(conn, article_id)

    def quotes(self, article_id: int) -> list[Quote]:
        """The direct quotes found in an article, with their speakers, in text order."""
        with self._store.read() as conn:
            return story_rows.quotes_of(conn, article_id)

    def save_extras(
        self, article_id: int, credits: list[Credit], quotes: list[Quote], *, fresh: bool = False
    ) -> None:
        """Replace an article's credit lines and quotes (`fresh`: it has none stored yet)."""
        with self._store.write(shown=True) as conn:
            story_rows.replace_extras(conn, article_id, credits, quotes, fresh=fresh)

    def newest_time(self) -> datetime | None:
        """The latest date (published, else first seen) of any article; None when empty."""
        with self._store.read() as conn:
            return story_rows.newest(conn)

    def oldest_time(self, since: datetime | None = None) -> datetime | None:
        """The earliest date (published, else first seen) of any article (since `since`)."""
        with self._store.read() as conn:
            return story_rows.oldest(conn, since)

    def count_unplaced(self, since: datetime | None = None) -> int:
        """Articles in no story yet (stored before stories, or imported from an archive)."""
        with self._store.read() as conn:
            return story_rows.unplaced_count(conn, since)

    def per_day(self, days: int = 14) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles) over the last `days` days, oldest first."""
        with self._store.read() as conn:
            return editorial.articles_per_day(conn, days, datetime.now(UTC))

    def per_source(self, days: int = 7) -> dict[int, int]:
        """Articles first seen in the last `days` days, by source id."""
        with self._store.read() as conn:
            return editorial.articles_per_source(conn, datetime.now(UTC) - timedelta(days=days))


class Stories(_Entity):
    """Stories: written by the stories step, read by the site, corrected by editors."""

    def latest(
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
        with self._store.read() as conn:
            return story_views.latest(
                conn, limit=limit, before=before, lang=lang, category=category
            )

    def categories(self) -> list[str]:
        """The rubriques (or sources' categories) live stories are filed under."""
        with self._store.read() as conn:
            return listings.story_categories(conn)

    def pinned(self, limit: int = 3) -> list[StoryView]:
        """The stories editors pinned at the top of the home page, the latest pinned first."""
        with self._store.read() as conn:
            return story_views.by_ids(conn, editorial.pinned_story_ids(conn, limit))

    def is_pinned(self, story_id: int) -> bool:
        with self._store.read() as conn:
            return editorial.is_pinned(conn, story_id)

    def pin(self, story_id: int, by: str) -> None:
        with self._store.write(shown=True) as conn:
            editorial.pin(conn, story_id, by, datetime.now(UTC))

    def unpin(self, story_id: int) -> None:
        with self._store.write(shown=True) as conn:
            editorial.unpin(conn, story_id)

    def get(self, key: str) -> StoryView:
        """The story with this key (NotFoundError); a merged story's key gives the survivor,
        whose `key` then differs from the one asked."""
        with self._store.read() as conn:
            return story_views.get(conn, key)

    def members(self, story_id: int) -> list[StoryMember]:
        """The story's articles in timeline order, each with its relation and evidence."""
        with self._store.read() as conn:
            return story_views.members(conn, story_id)

    def of_article(self, article_id: int) -> tuple[StoryView, StoryMember] | None:
        with self._store.read() as conn:
            return story_views.of_article(conn, article_id)

    def quotes(self, story_id: int) -> list[QuoteView]:
        """Who said what in the story, each quote once with the articles and outlets carrying it."""
        with self._store.read() as conn:
            return story_views.quotes(conn, story_id)

    def related(self, story_id: int, *, limit: int = 5) -> list[StoryView]:
        """ "Lire aussi": recent stories of the same rubrique, itself aside."""
        with self._store.read() as conn:
            return story_views.related(conn, story_id, limit=limit)

    def save(self, update: story_rows.StoryUpdate, *, now: datetime | None = None) -> int:
        """Write where articles went: the story row, merged stories, member rows; the story id."""
        with self._store.write(shown=True) as conn:
            moment = now or datetime.now(UTC)
            story_id = story_rows.save(conn, update, now=moment)
            editorial.enforce(conn, story_id, moment)  # a person's corrections win
            return story_id

    def set_locked(self, story_id: int, locked: bool = True) -> None:
        """Mark a story as corrected by a person: ingest then leaves its original and title."""
        with self._store.write(shown=True) as conn:
            story_rows.set_locked(conn, story_id, locked)

    def window(self, since: datetime, until: datetime | None = None) -> list[story_rows.WindowRow]:
        """Articles dated since `since` (and before `until`), oldest first, with their story key
        and derivation: what the stories stage needs to resume after a restart."""
        with self._store.read() as conn:
            return story_rows.window(conn, since, until)

    def correct_original(self, article_id: int, by: str) -> int:
        """A person makes this article its story's original, for good; the story id."""
        with self._store.write(shown=True) as conn:
            return editorial.correct_original(conn, article_id, by, datetime.now(UTC))

    def correct_merge(self, keep_article: int, gone_article: int, by: str) -> int:
        """A person puts two articles' stories together; the surviving story id."""
        with self._store.write(shown=True) as conn:
            return editorial.correct_merge(conn, keep_article, gone_article, by, datetime.now(UTC))

    def correct_split(self, article_id: int, by: str) -> int:
        """A person takes an article out of its story; the id of its own new story."""
        with self._store.write(shown=True) as conn:
            return editorial.correct_split(conn, article_id, by, datetime.now(UTC))

    def corrections(self, limit: int = 100) -> list[editorial.Correction]:
        with self._store.read() as conn:
            return editorial.corrections(conn, limit)


class Images(_Entity):
    """Local copies of articles' images."""

    def wanted(self, limit: int = 50) -> list[image_rows.ImageWanted]:
        """Visible articles naming an image never fetched, the newest first."""
        with self._store.read() as conn:
            return image_rows.wanted(conn, limit)

    def save(self, article_id: int, source_url: str, **fields: Any) -> None:
        """The local copy of an article's image (data, width, height, content_type), or why
        there is none (error)."""
        with self._store.write(shown=fields.get("data") is not None) as conn:
            image_rows.save(conn, article_id, source_url, datetime.now(UTC), **fields)

    def get(self, article_id: int) -> image_rows.StoredImage | None:
        with self._store.read() as conn:
            return image_rows.get(conn, article_id)

    def kept(self, article_ids: Iterable[int]) -> set[int]:
        """Those of these articles that have a local image."""
        with self._store.read() as conn:
            return image_rows.kept(conn, article_ids)


class Hosts(_Entity):
    """What hosts asked of every process (Retry-After)."""

    def holds(self, now: datetime | None = None) -> dict[str, tuple[datetime, int]]:
        """Hosts that asked us (Retry-After) to wait past `now`: host -> (until, status)."""
        with self._store.read() as conn:
            return hosts.holds(conn, now or datetime.now(UTC))

    def hold(self, host: str, until: datetime, status: int) -> None:
        """Remember that `host` asked to be left alone until `until` (for every process)."""
        if self._store.readonly:
            return
        with self._store.write() as conn:
            hosts.hold(conn, host, until, status)


class Fetches(_Entity):
    """The fetch log."""

    def log(self, entry: FetchLog) -> None:
        self.log_many([entry])

    def log_many(self, entries: list[FetchLog]) -> None:
        """Several fetch log rows in one statement."""
        with self._store.write() as conn:
            activity.log_fetches(conn, entries)

    def prune(self, before: datetime | None = None) -> int:
        """Drop fetch log rows older than `before` (default: fetch_log_keep_days ago)."""
        if before is None:
            before = datetime.now(UTC) - timedelta(
                days=int(self._store.settings.fetch_log_keep_days)
            )
        with self._store.write() as conn:
            return activity.prune_fetches(conn, before)


class Maintenance(_Entity):
    """Counts, integrity, backups."""

    def stats(self) -> dict[str, Any]:
        with self._store.read() as conn:
            return activity.stats(conn)

    def integrity_check(self) -> list[str]:
        """[] when the database is sound, else one line per problem."""
        if self._store.readonly:
            with self._store.read() as conn:
                return maintenance.integrity_check(conn, check_search=False)
        with self._store.write() as conn:
            return maintenance.integrity_check(conn)

    def backup(self, path: str) -> None:
        """A consistent copy of a live SQLite database at `path`, by the backup API."""
        maintenance.backup(self._store.engine, path, self._store.label)


class Search(_Entity):
    """Full-text search."""

    def hits(
        self, query: str, *, limit: int = 20, lang: str | None = None, offset: int = 0
    ) -> list[tuple[Article, str]]:
        """Best matches first, each with a snippet whose matches sit between MARK_START/MARK_END.

        Every word of `query` must match, accents and case aside; `offset` skips that many results.
        """
        with self._store.read() as conn:
            return full_text.search(conn, query, limit=limit, lang=lang, offset=max(0, offset))

    def page(
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
        with self._store.read() as conn:
            return full_text.find(
                conn,
                query,
                filters or full_text.SearchFilters(),
                limit=limit,
                offset=max(0, offset),
                group_stories=group_stories,
            )


class Listings(_Entity):
    """Sitemaps and news feeds of the whole site."""

    def sitemap_counts(self) -> tuple[int, int]:
        """How many story pages and article pages the site has."""
        with self._store.read() as conn:
            return listings.count_story_pages(conn), listings.count_article_pages(conn)

    def sitemap_stories(self, *, offset: int, limit: int) -> list[listings.SitemapEntry]:
        with self._store.read() as conn:
            return listings.story_pages(conn, offset=offset, limit=limit)

    def sitemap_articles(self, *, offset: int, limit: int) -> list[listings.SitemapEntry]:
        with self._store.read() as conn:
            return listings.article_pages(conn, offset=offset, limit=limit)

    def news_stories(
        self, *, since: datetime, limit: int, lang: str | None = None
    ) -> list[listings.SitemapEntry]:
        """Stories first published since `since`, newest first (for a news sitemap), each with
        its headline in `lang` (a member's in that language when it has one, else the
        original's) and the headline's language."""
        with self._store.read() as conn:
            return listings.recent_stories(conn, since=since, limit=limit, lang=lang)

    def newest_change(self) -> datetime | None:
        with self._store.read() as conn:
            return listings.newest_change(conn)


class Comments(_Entity):
    """Readers' comments and their moderation."""

    def add(self, comment: Comment) -> Comment | None:
        """Store a reader's comment; None when the same text is already under that article."""
        with self._store.write() as conn:
            stored = comment_rows.add(conn, comment)
            if stored is not None and stored.status == "published":
                self._store.pages_changed()  # one held for moderation shows nowhere yet
            return stored

    def get(self, comment_id: int) -> Comment:
        with self._store.read() as conn:
            return comment_rows.get(conn, comment_id)

    def exists(self, article_id: int, text: str) -> bool:
        """True when this exact text is already under the article (in any status)."""
        with self._store.read() as conn:
            return comment_rows.exists(conn, article_id, text)

    def email_approved(self, email_hash: str) -> bool:
        """True when a comment from this (hashed) address is published and none is spam: its
        next comments are published at once."""
        with self._store.read() as conn:
            return comment_rows.email_approved(conn, email_hash)

    def of_article(
        self,
        article_id: int,
        *,
        status: str = "published",
        limit: int = 500,
        after: tuple[datetime, int] | None = None,
    ) -> list[Comment]:
        """An article's comments in `status`, oldest first; pass the last row's pair as after."""
        with self._store.read() as conn:
            return comment_rows.of_article(
                conn, article_id, status=status, limit=limit, after=after
            )

    def by_status(
        self, status: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Comment]:
        """The moderation queue: comments in `status` (pending, published, spam, deleted),
        newest first; pass the last row's (created_at, id) as before for the next page."""
        with self._store.read() as conn:
            return comment_rows.by_status(conn, status, limit=limit, before=before)

    def count(self) -> dict[str, int]:
        """Comments per status, every status named (0 when none)."""
        with self._store.read() as conn:
            return comment_rows.count_by_status(conn)

    def published_counts(self, article_ids: list[int]) -> dict[int, int]:
        """Published comments per article id, for the ids that have any."""
        with self._store.read() as conn:
            return comment_rows.published_counts(conn, article_ids)

    def approve(self, ids: list[int]) -> int:
        """Publish these comments (their authors' next comments skip the queue); how many."""
        return self.set_status(ids, "published")

    def mark_spam(self, ids: list[int]) -> int:
        return self.set_status(ids, "spam")

    def delete(self, ids: list[int]) -> int:
        """Hide these comments for good (kept, marked deleted, so a repost is still refused)."""
        return self.set_status(ids, "deleted")

    def set_status(self, ids: list[int], status: str) -> int:
        """Move comments to a moderation status in one transaction; how many changed."""
        with self._store.write() as conn:
            changed = comment_rows.set_status(conn, ids, status, datetime.now(UTC))
            if changed:
                self._store.pages_changed()
            return changed

    def purge(self, ids: list[int]) -> int:
        """Remove comments from the database altogether; how many went."""
        with self._store.write() as conn:
            purged = comment_rows.purge(conn, ids)
            if purged:
                self._store.pages_changed()
            return purged


class Users(_Entity):
    """Admins, their sessions, API tokens and the site's secrets."""

    def site_secret(self, name: str) -> str:
        """A random key kept in the database (drawn on first use): stable across restarts."""
        with self._store.write() as conn:
            return comment_rows.secret(conn, name)

    def create_admin(self, name: str, password_hash: str, *, one_time: bool = False) -> int:
        """A new admin user (StoreError when the name is taken); its id. `one_time`: the
        password was given to them, and they must choose their own at their first login."""
        with self._store.write() as conn:
            now = datetime.now(UTC)
            return users.create_user(conn, name, password_hash, now, one_time=one_time)

    def count_admins(self) -> int:
        with self._store.read() as conn:
            return users.count_users(conn)

    def get_admin(self, name: str) -> users.AdminUser | None:
        with self._store.read() as conn:
            return users.get_user(conn, name)

    def set_password(self, name: str, password_hash: str) -> None:
        with self._store.write() as conn:
            users.set_password_hash(conn, name, password_hash)

    def start_session(self, user_id: int, token_hash: str, expires_at: datetime) -> None:
        with self._store.write() as conn:
            users.start_session(conn, user_id, token_hash, datetime.now(UTC), expires_at)

    def admin_of_session(self, token_hash: str) -> str | None:
        """The admin's name when this session is live, else None."""
        with self._store.read() as conn:
            return users.session_user(conn, token_hash, datetime.now(UTC))

    def end_session(self, token_hash: str) -> None:
        with self._store.write() as conn:
            users.end_session(conn, token_hash)

    def add_api_token(self, token_hash: str, label: str, user_id: int | None = None) -> int:
        with self._store.write() as conn:
            return users.add_api_token(conn, token_hash, label, user_id, datetime.now(UTC))

    def use_api_token(self, token_hash: str, *, record: bool = True) -> str | None:
        """The token's label when it is known (its use recorded when `record`), else None."""
        if not record:
            with self._store.read() as conn:
                return users.use_api_token(conn, token_hash, datetime.now(UTC), record=False)
        with self._store.write() as conn:
            return users.use_api_token(conn, token_hash, datetime.now(UTC))
