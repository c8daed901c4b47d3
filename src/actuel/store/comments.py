"""Comment rows: add once per text and article, list by article or moderation status, moderate."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import NotFoundError, StoreError
from actuel.model import Comment
from actuel.store.db import dialect_insert
from actuel.store.schema import BigId, metadata
from actuel.store.types import UTCDateTime

STATUSES = ("pending", "published", "spam", "deleted")
MAX_BULK = 1000  # ids per moderation call: one page of the queue, many times over

comments = sa.Table(
    "comments",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("author_name", sa.Text, nullable=False),
    sa.Column("email_hash", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("text_hash", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("hold_reason", sa.String(32)),
    sa.Column("address_hash", sa.String(64)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("moderated_at", UTCDateTime),
    sa.UniqueConstraint("article_id", "text_hash", name="uq_comments_article_text"),
)

site_secrets = sa.Table(
    "site_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


def text_hash(text: str) -> str:
    """What makes two comments exact duplicates: the same text (after cleaning)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _comment(row: RowMapping) -> Comment:
    return Comment(
        id=row["id"],
        article_id=row["article_id"],
        author_name=row["author_name"],
        text=row["text"],
        email_hash=row["email_hash"],
        status=row["status"],
        hold_reason=row["hold_reason"],
        address_hash=row["address_hash"],
        created_at=row["created_at"],
        moderated_at=row["moderated_at"],
    )


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise StoreError(
            f"unknown comment status {status!r}",
            fix="use one of " + ", ".join(STATUSES),
            source="comments",
        )


def add(conn: Connection, comment: Comment) -> Comment | None:
    """Store a comment; None when the same text is already under that article."""
    _check_status(comment.status)
    created = comment.created_at or datetime.now(UTC)
    statement = (
        dialect_insert(conn, comments)
        .values(
            article_id=comment.article_id,
            author_name=comment.author_name,
            email_hash=comment.email_hash,
            text=comment.text,
            text_hash=text_hash(comment.text),
            status=comment.status,
            hold_reason=comment.hold_reason,
            address_hash=comment.address_hash,
            created_at=created,
        )
        .on_conflict_do_nothing(index_elements=["article_id", "text_hash"])
        .returning(comments.c.id)
    )
    new_id = conn.execute(statement).scalar()
    if new_id is None:
        return None
    return Comment(
        id=new_id,
        article_id=comment.article_id,
        author_name=comment.author_name,
        text=comment.text,
        email_hash=comment.email_hash,
        status=comment.status,
        hold_reason=comment.hold_reason,
        address_hash=comment.address_hash,
        created_at=created,
    )


def get(conn: Connection, comment_id: int) -> Comment:
    row = conn.execute(sa.select(comments).where(comments.c.id == comment_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no comment has the id {comment_id}", source="comments")
    return _comment(row)


def exists(conn: Connection, article_id: int, text: str) -> bool:
    query = sa.select(comments.c.id).where(
        comments.c.article_id == article_id, comments.c.text_hash == text_hash(text)
    )
    return conn.execute(query.limit(1)).first() is not None


def email_approved(conn: Connection, email_hash: str) -> bool:
    """True when a comment of this address is published and none was marked as spam."""
    query = sa.select(comments.c.status).where(
        comments.c.email_hash == email_hash, comments.c.status.in_(("published", "spam"))
    )
    found = {status for (status,) in conn.execute(query.distinct())}
    return found == {"published"}


def of_article(
    conn: Connection,
    article_id: int,
    *,
    status: str = "published",
    limit: int = 500,
    after: tuple[datetime, int] | None = None,
) -> list[Comment]:
    """An article's comments in that status, oldest first; `after` continues from a last row."""
    _check_status(status)
    query = sa.select(comments).where(
        comments.c.article_id == article_id, comments.c.status == status
    )
    if after is not None:
        query = query.where(sa.tuple_(comments.c.created_at, comments.c.id) > sa.tuple_(*after))
    query = query.order_by(comments.c.created_at, comments.c.id).limit(limit)
    return [_comment(row) for row in conn.execute(query).mappings()]


def by_status(
    conn: Connection,
    status: str,
    *,
    limit: int = 50,
    before: tuple[datetime, int] | None = None,
) -> list[Comment]:
    """The comments in `status`, newest first (the moderation queue); `before` pages on."""
    _check_status(status)
    query = sa.select(comments).where(comments.c.status == status)
    if before is not None:
        query = query.where(sa.tuple_(comments.c.created_at, comments.c.id) < sa.tuple_(*before))
    query = query.order_by(comments.c.created_at.desc(), comments.c.id.desc()).limit(limit)
    return [_comment(row) for row in conn.execute(query).mappings()]


def count_by_status(conn: Connection) -> dict[str, int]:
    """How many comments each status holds, every status named."""
    query = sa.select(comments.c.status, sa.func.count()).group_by(comments.c.status)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: int(n) for status, n in conn.execute(query)})
    return counts


def published_counts(conn: Connection, article_ids: Iterable[int]) -> dict[int, int]:
    """Published comments per article, for the articles that have any."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    query = (
        sa.select(comments.c.article_id, sa.func.count())
        .where(comments.c.status == "published", comments.c.article_id.in_(ids))
        .group_by(comments.c.article_id)
    )
    return {int(article_id): int(n) for article_id, n in conn.execute(query)}


def set_status(conn: Connection, ids: Iterable[int], status: str, now: datetime) -> int:
    """Move these comments to `status`; how many changed (unknown ids are skipped)."""
    _check_status(status)
    wanted = sorted({int(i) for i in ids})
    if len(wanted) > MAX_BULK:
        raise StoreError(
            f"{len(wanted)} comments in one moderation call, over {MAX_BULK}",
            fix=f"moderate at most {MAX_BULK} comments at a time",
            source="comments",
        )
    if not wanted:
        return 0
    statement = (
        sa.update(comments)
        .where(comments.c.id.in_(wanted), comments.c.status != status)
        .values(status=status, moderated_at=now)
    )
    return int(conn.execute(statement).rowcount or 0)


def purge(conn: Connection, ids: Iterable[int]) -> int:
    """Remove these comments for good (rows marked deleted or spam, say); how many went."""
    wanted = sorted({int(i) for i in ids})[:MAX_BULK]
    if not wanted:
        return 0
    return int(conn.execute(sa.delete(comments).where(comments.c.id.in_(wanted))).rowcount or 0)


def secret(conn: Connection, name: str) -> str:
    """A random key kept in the database under `name`, drawn the first time it is asked for."""
    found = conn.execute(
        sa.select(site_secrets.c.value).where(site_secrets.c.name == name)
    ).scalar()
    if found is not None:
        return str(found)
    drawn = secrets.token_hex(32)
    conn.execute(
        dialect_insert(conn, site_secrets)
        .values(name=name, value=drawn, created_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["name"])
    )
    # another process may have drawn first: everyone keeps the stored one
    return str(
        conn.execute(sa.select(site_secrets.c.value).where(site_secrets.c.name == name)).scalar()
    )
