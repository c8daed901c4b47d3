"""Article rows: idempotent upserts on canonical URL, guid and content hash; timelines; pages."""

from __future__ import annotations

import functools
import hashlib
import logging
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import NotFoundError, StoreError
from actuel.model import Article
from actuel.store.schema import articles, pages, sort_time

log = logging.getLogger("actuel.store")
_CONTENT = (
    "title",
    "text",
    "summary",
    "author",
    "published_at",
    "language",
    "image",
    "site_name",
    "rubrique",
    "rubrique_by",
)
_KEYS = ("canonical_url", "guid", "content_hash")
# written only by an editor's action (`hide`, `correct`), never by ingest
_EDITORIAL = ("id", "hidden_at", "edited_at", "original_title", "original_summary")
VISIBLE = articles.c.hidden_at.is_(None)  # what readers may see
# PostgreSQL cannot index longer keys (btree rows stop near 2,700 bytes); SQLite follows suit so
# both backends accept the same articles
MAX_URL_CHARS = 2000
_MAX_GUID_CHARS = 500
_MAX_HASH_CHARS = 128


def guid_key(guid: str | None) -> str | None:
    """The guid as stored: a very long one (feeds put whole URLs or texts there) by its digest."""
    if guid is None or len(guid) <= _MAX_GUID_CHARS:
        return guid
    return "sha256:" + hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()


def _checked(article: Article) -> Article:
    """The article with storable keys, or a StoreError saying which one is too long."""
    for name in ("url", "canonical_url"):
        value = getattr(article, name)
        if len(value) > MAX_URL_CHARS:
            raise StoreError(
                f"article {name} is {len(value)} characters long, over the {MAX_URL_CHARS} "
                f"the store keeps: {value[:80]}…",
                fix="skip this item: addresses that long are almost always generated junk",
                source=f"source {article.source_id}",
            )
    if article.content_hash is not None and len(article.content_hash) > _MAX_HASH_CHARS:
        raise StoreError(
            f"content hash is {len(article.content_hash)} characters, over {_MAX_HASH_CHARS}",
            fix="store a hex digest (e.g. SHA-256) as content_hash",
            source=f"source {article.source_id}",
        )
    return replace(article, guid=guid_key(article.guid))


def article_from_row(row: RowMapping) -> Article:
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        guid=row["guid"],
        title=row["title"],
        text=row["text"],
        summary=row["summary"],
        author=row["author"],
        published_at=row["published_at"],
        language=row["language"],
        image=row["image"],
        site_name=row["site_name"],
        content_hash=row["content_hash"],
        from_feed_only=bool(row["from_feed_only"]),
        page_attempts=row["page_attempts"],
        next_page_attempt_at=row["next_page_attempt_at"],
        first_seen_at=row["first_seen_at"],
        extracted_at=row["extracted_at"],
        hidden_at=row["hidden_at"],
        edited_at=row["edited_at"],
        original_title=row["original_title"],
        original_summary=row["original_summary"],
        rubrique=row["rubrique"],
        rubrique_by=row["rubrique_by"],
    )


def _match(conn: Connection, article: Article) -> RowMapping | None:
    """The stored row that is this article: same guid, else same canonical URL, else same text."""
    same = [articles.c.canonical_url == article.canonical_url]
    if article.guid is not None:
        same.append(
            sa.and_(articles.c.source_id == article.source_id, articles.c.guid == article.guid)
        )
    if article.content_hash is not None:
        same.append(
            sa.and_(
                articles.c.source_id == article.source_id,
                articles.c.content_hash == article.content_hash,
            )
        )
    rows = list(conn.execute(sa.select(articles).where(sa.or_(*same))).mappings())
    if not rows:
        return None

    def rank(row: RowMapping) -> int:
        if article.guid is not None and row["guid"] == article.guid:
            return 0
        return 1 if row["canonical_url"] == article.canonical_url else 2

    return min(rows, key=rank)


def _key_taken(conn: Connection, name: str, value: Any, source_id: int, own_id: int) -> bool:
    where = [articles.c[name] == value, articles.c.id != own_id]
    if name != "canonical_url":
        where.append(articles.c.source_id == source_id)
    return conn.execute(sa.select(articles.c.id).where(*where).limit(1)).first() is not None


def _merged(existing: RowMapping, article: Article) -> dict[str, Any]:
    """New column values for a row that already holds this article."""
    values: dict[str, Any] = {}
    if not existing["from_feed_only"] and article.from_feed_only:
        # the row has the page's full text: a feed's version only fills gaps
        for name in (*_CONTENT, "guid", "content_hash"):
            if existing[name] in (None, "") and getattr(article, name) not in (None, ""):
                values[name] = getattr(article, name)
        return values
    for name in (*_CONTENT, "guid", "content_hash", "url", "canonical_url", "extracted_at"):
        new = getattr(article, name)
        if new not in (None, ""):
            values[name] = new
    values["from_feed_only"] = article.from_feed_only
    # retry bookkeeping only moves forward: a feed seen again must not reset the attempt count
    values["page_attempts"] = max(article.page_attempts, existing["page_attempts"])
    if article.page_attempts >= existing["page_attempts"]:
        values["next_page_attempt_at"] = article.next_page_attempt_at
    return values


def _update_row(conn: Connection, row: RowMapping, values: dict[str, Any]) -> None:
    if row["edited_at"] is not None:  # an editor's correction outlives every re-extraction
        values.pop("title", None)
        values.pop("summary", None)
    if row["rubrique_by"] == "editor" or not values.get("rubrique"):
        values.pop("rubrique", None)  # nor does an editor's rubrique; a guess never erases one
        values.pop("rubrique_by", None)
    for key in _KEYS:
        new = values.get(key)
        if (
            new is not None
            and new != row[key]
            and _key_taken(conn, key, new, row["source_id"], row["id"])
        ):
            del values[key]  # another row already owns this key: keep ours as it was
    values = {name: value for name, value in values.items() if value != row[name]}
    if not values:
        return  # nothing new: no write, and the search index is left alone
    stmt = sa.update(articles).where(articles.c.id == row["id"])
    try:
        with conn.begin_nested():
            conn.execute(stmt.values(**values))
    except sa.exc.IntegrityError:
        # a concurrent writer took one of the keys between our check and the update
        for key in _KEYS:
            values.pop(key, None)
        if values:
            conn.execute(stmt.values(**values))


@dataclass
class ArticleWrite:
    """One article to store with its page: `raw_html` as fetched, or zlib-compressed already
    when `compressed` is set."""

    article: Article
    raw_html: bytes | None = None
    content_type: str | None = None
    final_url: str | None = None
    compressed: bool = False


# Statements are built once per backend: building one (and its cache key) costs more than
# running it, and ingest runs them for every article
@functools.cache
def _insert_new(dialect: str) -> Any:
    return (
        _dialect_insert(dialect, articles)
        .on_conflict_do_nothing()
        .returning(articles.c.id, articles.c.canonical_url)
    )


@functools.cache
def _save_pages(dialect: str) -> Any:
    stmt = _dialect_insert(dialect, pages)
    return stmt.on_conflict_do_update(
        index_elements=[pages.c.article_id],
        set_={
            name: stmt.excluded[name]
            for name in ("final_url", "content_type", "fetched_at", "html_z")
        },
    )


def _dialect_insert(dialect: str, table: sa.Table) -> Any:
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def _row_values(article: Article, now: datetime) -> dict[str, Any]:
    values = {c.name: getattr(article, c.name) for c in articles.c if c.name not in _EDITORIAL}
    values["first_seen_at"] = article.first_seen_at or now
    values["text"] = article.text or ""
    return values


def _upsert_known(conn: Connection, article: Article, values: dict[str, Any]) -> tuple[int, bool]:
    """Insert, or else match and update: for an article whose first insert met a conflict."""
    insert = _insert_new(conn.dialect.name)
    for _attempt in range(3):
        # a conflict on any of the three keys (canonical URL, source + guid, source + content
        # hash) leaves the row to be matched and updated
        new_id = conn.execute(insert, values).scalar()
        if new_id is not None:
            return int(new_id), True
        existing = _match(conn, article)
        if existing is not None:
            _update_row(conn, existing, _merged(existing, article))
            return int(existing["id"]), False
        # the conflicting row was deleted meanwhile by another writer: try again
    raise StoreError(
        f"article {article.canonical_url} kept colliding with concurrent writes",
        fix="retry the job; if it persists, check for workers writing in a loop",
        source=f"source {article.source_id}",
    )


def upsert(
    conn: Connection,
    article: Article,
    *,
    raw_html: bytes | None,
    content_type: str | None,
    final_url: str | None,
    compressed: bool = False,
) -> tuple[int, bool]:
    return upsert_many(
        conn, [ArticleWrite(article, raw_html, content_type, final_url, compressed)]
    )[0]


def upsert_many(conn: Connection, writes: list[ArticleWrite]) -> list[tuple[int, bool]]:
    """Store articles and their pages: (id, created) of each, in order.

    Insert first, all in one statement: most ingested articles are new. Those that met a stored
    row (or an earlier one of the batch) are then matched and merged one by one, in order, as
    if stored one after the other.
    """
    if not writes:
        return []
    now = datetime.now(UTC)
    checked = [_checked(w.article) for w in writes]
    values = [_row_values(a, now) for a in checked]
    first_of: dict[str, int] = {}  # canonical URL -> index of its first article in the batch
    for index, article in enumerate(checked):
        first_of.setdefault(article.canonical_url, index)
    fresh = list(first_of.values())
    inserted: dict[str, int] = {}
    if len(fresh) > 1:
        rows = conn.execute(_insert_new(conn.dialect.name), [values[i] for i in fresh])
        inserted = {url: int(article_id) for article_id, url in rows}
    results: list[tuple[int, bool]] = []
    for index, article in enumerate(checked):
        new_id = inserted.get(article.canonical_url)
        if new_id is not None and first_of[article.canonical_url] == index:
            results.append((new_id, True))
        else:
            results.append(_upsert_known(conn, article, values[index]))
    # one row per article, the last page given winning (PostgreSQL refuses a statement that
    # updates the same row twice)
    page_rows = {
        article_id: {
            "article_id": article_id,
            "final_url": w.final_url,
            "content_type": w.content_type,
            "fetched_at": now,
            "html_z": w.raw_html if w.compressed else zlib.compress(w.raw_html, 6),
        }
        for w, (article_id, _) in zip(writes, results, strict=True)
        if w.raw_html is not None
    }
    if page_rows:
        conn.execute(_save_pages(conn.dialect.name), list(page_rows.values()))
    return results


def find(
    conn: Connection,
    *,
    canonical_url: str | None,
    source_id: int | None,
    guid: str | None,
) -> Article | None:
    where: list[sa.ColumnElement[bool]] = []
    if canonical_url is not None:
        where.append(articles.c.canonical_url == canonical_url)
    if guid is not None:
        if source_id is None:
            raise StoreError("finding an article by guid needs its source_id", fix="pass source_id")
        where.append(sa.and_(articles.c.source_id == source_id, articles.c.guid == guid_key(guid)))
    if not where:
        raise StoreError(
            "find_article needs canonical_url, or source_id and guid", fix="pass one of them"
        )
    row = conn.execute(sa.select(articles).where(sa.or_(*where)).limit(1)).mappings().first()
    return article_from_row(row) if row is not None else None


def known(
    conn: Connection, *, source_id: int, canonical_urls: list[str], guids: list[str]
) -> tuple[set[str], set[str]]:
    """The canonical URLs and the guids (of this source) among those given that are stored."""
    urls: set[str] = set()
    found_guids: set[str] = set()
    chunk = 500  # stay under SQLite's bound-parameter limit
    for start in range(0, len(canonical_urls), chunk):
        part = canonical_urls[start : start + chunk]
        rows = conn.execute(
            sa.select(articles.c.canonical_url).where(articles.c.canonical_url.in_(part))
        )
        urls.update(row[0] for row in rows)
    keys: dict[str, str] = {}
    for guid in guids:
        key = guid_key(guid)
        if key is not None:
            keys[key] = guid
    key_list = list(keys)
    for start in range(0, len(key_list), chunk):
        part = key_list[start : start + chunk]
        rows = conn.execute(
            sa.select(articles.c.guid).where(
                articles.c.source_id == source_id, articles.c.guid.in_(part)
            )
        )
        found_guids.update(keys[row[0]] for row in rows if row[0] in keys)
    return urls, found_guids


def get(conn: Connection, article_id: int) -> Article:
    row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no article {article_id}", fix="check the id in the address")
    return article_from_row(row)


def latest(
    conn: Connection,
    *,
    limit: int,
    before: tuple[datetime, int] | None,
    lang: str | None,
    source_id: int | None,
) -> list[Article]:
    when = sort_time()
    stmt = sa.select(articles).where(VISIBLE)
    if lang is not None:
        stmt = stmt.where(articles.c.language == lang)
    if source_id is not None:
        stmt = stmt.where(articles.c.source_id == source_id)
    if before is not None:
        at, before_id = before
        # `when <= at` first so both backends seek the index instead of scanning from the top
        stmt = stmt.where(when <= at, sa.or_(when < at, articles.c.id < before_id))
    stmt = stmt.order_by(when.desc(), articles.c.id.desc()).limit(limit)
    return [article_from_row(row) for row in conn.execute(stmt).mappings()]


def needing_page(conn: Connection, now: datetime, limit: int, max_attempts: int) -> list[Article]:
    stmt = (
        sa.select(articles)
        .where(
            articles.c.from_feed_only.is_(True),
            articles.c.page_attempts < max_attempts,
            VISIBLE,
            sa.or_(
                articles.c.next_page_attempt_at.is_(None),
                articles.c.next_page_attempt_at <= now,
            ),
        )
        .order_by(articles.c.next_page_attempt_at.asc().nulls_first(), articles.c.id)
        .limit(limit)
    )
    return [article_from_row(row) for row in conn.execute(stmt).mappings()]


def raw_pages_after(
    conn: Connection, after_id: int, batch: int
) -> tuple[list[tuple[Article, bytes, str | None]], int | None]:
    """Up to `batch` pages after `after_id`, and the last id read (None when there were none).

    A page whose stored bytes no longer inflate is left out with a warning, never raised:
    one damaged row must not stop a reprocess of all the others.
    """
    stmt = (
        sa.select(articles, pages.c.html_z, pages.c.content_type.label("page_content_type"))
        .join(pages, pages.c.article_id == articles.c.id)
        .where(articles.c.id > after_id)
        .order_by(articles.c.id)
        .limit(batch)
    )
    found: list[tuple[Article, bytes, str | None]] = []
    last: int | None = None
    for row in conn.execute(stmt).mappings():
        last = int(row["id"])
        try:
            html = zlib.decompress(row["html_z"])
        except zlib.error as exc:
            log.warning(
                "stored page cannot be decompressed, skipped",
                extra={"article_id": last, "url": row["url"], "error": str(exc)},
            )
            continue
        found.append((article_from_row(row), html, row["page_content_type"]))
    return found, last


def update_extraction(conn: Connection, article: Article) -> None:
    if article.id is None:
        raise NotFoundError(
            f"article {article.canonical_url} has no id", fix="store it with upsert_article first"
        )
    row = conn.execute(sa.select(articles).where(articles.c.id == article.id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no article {article.id}", fix="it was removed; reprocess again")
    article = _checked(article)
    values: dict[str, Any] = {name: getattr(article, name) for name in _CONTENT}
    values["text"] = article.text or ""
    values["title"] = article.title or row["title"]
    values["canonical_url"] = article.canonical_url or row["canonical_url"]
    values["content_hash"] = article.content_hash
    values["from_feed_only"] = article.from_feed_only
    values["page_attempts"] = article.page_attempts
    values["next_page_attempt_at"] = article.next_page_attempt_at
    values["extracted_at"] = article.extracted_at or row["extracted_at"]
    _update_row(conn, row, values)


def count(conn: Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())


def hide(conn: Connection, article_id: int, now: datetime | None) -> None:
    """Hide the article from readers (`now`), or show it again (None)."""
    done = conn.execute(
        sa.update(articles).where(articles.c.id == article_id).values(hidden_at=now)
    )
    if done.rowcount == 0:
        raise NotFoundError(f"no article {article_id}", fix="check the id in the address")


def correct(
    conn: Connection, article_id: int, title: str, summary: str | None, now: datetime
) -> None:
    """Show `title` and `summary` for the article; the extracted ones are kept beside, once."""
    row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no article {article_id}", fix="check the id in the address")
    values: dict[str, Any] = {"title": title, "summary": summary, "edited_at": now}
    if row["edited_at"] is None:
        values |= {"original_title": row["title"], "original_summary": row["summary"]}
    conn.execute(sa.update(articles).where(articles.c.id == article_id).values(**values))


def hidden(conn: Connection, limit: int) -> list[Article]:
    """The articles editors hid, the latest hidden first."""
    stmt = (
        sa.select(articles)
        .where(~VISIBLE)
        .order_by(articles.c.hidden_at.desc(), articles.c.id.desc())
        .limit(limit)
    )
    return [article_from_row(row) for row in conn.execute(stmt).mappings()]


def set_rubrique(conn: Connection, article_id: int, rubrique: str | None) -> None:
    """An editor's rubrique for the article (None: none), kept through re-extraction."""
    done = conn.execute(
        sa.update(articles)
        .where(articles.c.id == article_id)
        .values(rubrique=rubrique, rubrique_by="editor")
    )
    if done.rowcount == 0:
        raise NotFoundError(f"no article {article_id}", fix="check the id in the address")
