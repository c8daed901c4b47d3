"""Rows of article_images: the local copy of each article's image, or why there is none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.store.articles import VISIBLE
from actuel.store.db import dialect_insert
from actuel.store.schema import article_images, articles


@dataclass(frozen=True)
class StoredImage:
    content_type: str
    data: bytes
    width: int
    height: int
    fetched_at: datetime


@dataclass(frozen=True)
class ImageWanted:
    article_id: int
    source_id: int
    url: str


def save(
    conn: Connection,
    article_id: int,
    source_url: str,
    now: datetime,
    *,
    data: bytes | None = None,
    width: int | None = None,
    height: int | None = None,
    content_type: str | None = None,
    error: str | None = None,
) -> None:
    values = {
        "article_id": article_id,
        "source_url": source_url,
        "content_type": content_type,
        "width": width,
        "height": height,
        "data": data,
        "error": error,
        "fetched_at": now,
    }
    insert = dialect_insert(conn, article_images)
    update = {name: insert.excluded[name] for name in values if name != "article_id"}
    conn.execute(
        insert.values(**values).on_conflict_do_update(
            index_elements=[article_images.c.article_id], set_=update
        )
    )


def get(conn: Connection, article_id: int) -> StoredImage | None:
    row = (
        conn.execute(
            sa.select(article_images).where(
                article_images.c.article_id == article_id, article_images.c.data.is_not(None)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return StoredImage(
        str(row["content_type"]), bytes(row["data"]), row["width"], row["height"], row["fetched_at"]
    )


def kept(conn: Connection, article_ids: Iterable[int]) -> set[int]:
    """Those of these articles that have a local image."""
    ids = list(set(article_ids))
    if not ids:
        return set()
    stmt = sa.select(article_images.c.article_id).where(
        article_images.c.article_id.in_(ids), article_images.c.data.is_not(None)
    )
    return {int(i) for i in conn.execute(stmt).scalars()}


def wanted(conn: Connection, limit: int) -> list[ImageWanted]:
    """Visible articles naming an image never fetched, the newest first."""
    tried = sa.select(sa.literal(1)).where(article_images.c.article_id == articles.c.id)
    stmt = (
        sa.select(articles.c.id, articles.c.source_id, articles.c.image)
        .where(articles.c.image.is_not(None), articles.c.image != "", VISIBLE, ~tried.exists())
        .order_by(articles.c.id.desc())
        .limit(limit)
    )
    return [ImageWanted(int(r.id), int(r.source_id), str(r.image)) for r in conn.execute(stmt)]
