"""Editors' corrections of stories (original, merge, split), kept by article ids and re-applied
after every write of a story, so that a person's correction wins over re-clustering; and the
admin's figures (articles per day and per outlet, each source's health)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import NotFoundError, StoreError
from actuel.store import stories as story_rows
from actuel.store.admin_tables import story_corrections
from actuel.store.schema import articles, sort_time, sources, stories, story_articles

SUMMARY_CHARS = 300


@dataclass(frozen=True)
class Correction:
    id: int
    kind: str  # original, merge, split
    article_id: int
    other_article_id: int | None
    created_by: str
    created_at: datetime


# --- corrections ------------------------------------------------------------------------------


def _story_of(conn: Connection, article_id: int) -> int | None:
    found = conn.execute(
        sa.select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)
    ).scalar()
    return int(found) if found is not None else None


def _members(conn: Connection, story_id: int) -> list[int]:
    stmt = (
        sa.select(story_articles.c.article_id)
        .select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
        .where(story_articles.c.story_id == story_id)
        .order_by(sort_time(), articles.c.id)
    )
    return [int(a) for a in conn.execute(stmt).scalars()]


def _record(
    conn: Connection, kind: str, article_id: int, other: int | None, by: str, now: datetime
) -> None:
    conn.execute(
        story_corrections.insert().values(
            kind=kind, article_id=article_id, other_article_id=other, created_by=by, created_at=now
        )
    )


def _apply_original(conn: Connection, story_id: int, article_id: int) -> None:
    row = (
        conn.execute(
            sa.select(articles.c.title, articles.c.summary, articles.c.text, sources.c.category)
            .select_from(articles.join(sources, sources.c.id == articles.c.source_id))
            .where(articles.c.id == article_id)
        )
        .mappings()
        .one()
    )
    conn.execute(
        story_articles.update()
        .where(
            story_articles.c.story_id == story_id,
            story_articles.c.relation == "original",
            story_articles.c.article_id != article_id,
        )
        .values(relation="independent")
    )
    conn.execute(
        story_articles.update()
        .where(story_articles.c.article_id == article_id)
        .values(relation="original", derived_from=None)
    )
    summary = (row["summary"] or "").strip() or " ".join((row["text"] or "").split())[
        :SUMMARY_CHARS
    ]
    values: dict[str, object] = {
        "original_article_id": article_id,
        "original_credit": None,
        "title": row["title"],
        "summary": summary or None,
        "human_locked": True,
    }
    if row["category"]:
        values["category"] = row["category"]
    conn.execute(stories.update().where(stories.c.id == story_id).values(**values))


def _apply_merge(conn: Connection, keep: int, gone: int, now: datetime) -> None:
    conn.execute(
        story_articles.update().where(story_articles.c.story_id == gone).values(story_id=keep)
    )
    conn.execute(
        stories.update()
        .where(sa.or_(stories.c.id == gone, stories.c.merged_into == gone))
        .values(merged_into=keep, article_count=0, updated_at=now)
    )
    story_rows.recount(conn, [keep])


def _apply_split(conn: Connection, article_id: int, from_story: int, now: datetime) -> int:
    key = f"edit-{article_id}"
    found = conn.execute(sa.select(stories.c.id).where(stories.c.key == key)).scalar()
    if found is not None and int(found) == from_story:
        return from_story  # its own story already: others joined it since, by a person's merge
    if found is None:
        alone = int(
            conn.execute(
                stories.insert()
                .values(key=key, updated_at=now, created_at=now, human_locked=True)
                .returning(stories.c.id)
            ).scalar_one()
        )
    else:
        alone = int(found)
        conn.execute(stories.update().where(stories.c.id == alone).values(merged_into=None))
    conn.execute(
        story_articles.update()
        .where(story_articles.c.article_id == article_id)
        .values(story_id=alone, confidence=None)
    )
    # members that derived from the article taken out now derive from nothing in their story
    conn.execute(
        story_articles.update()
        .where(story_articles.c.story_id == from_story, story_articles.c.derived_from == article_id)
        .values(derived_from=None, relation="independent")
    )
    _apply_original(conn, alone, article_id)
    story_rows.recount(conn, [alone, from_story])
    original = conn.execute(
        sa.select(stories.c.original_article_id).where(stories.c.id == from_story)
    ).scalar()
    if original == article_id or original is None:
        rest = _members(conn, from_story)
        if rest:
            _apply_original(conn, from_story, rest[0])
    return alone


def correct_original(conn: Connection, article_id: int, by: str, now: datetime) -> int:
    """Make `article_id` the original of its story, for good; the story's id."""
    story_id = _story_of(conn, article_id)
    if story_id is None:
        raise NotFoundError(f"article {article_id} belongs to no story", fix="pick a story member")
    _record(conn, "original", article_id, None, by, now)
    _apply_original(conn, story_id, article_id)
    return story_id


def correct_merge(
    conn: Connection, keep_article: int, gone_article: int, by: str, now: datetime
) -> int:
    """Put the stories of these two articles together, under the first one's; its id."""
    keep, gone = _story_of(conn, keep_article), _story_of(conn, gone_article)
    if keep is None or gone is None:
        raise NotFoundError("one of the articles belongs to no story", fix="pick story members")
    if keep == gone:
        raise StoreError(
            f"articles {keep_article} and {gone_article} are already in one story",
            fix="pick articles of two different stories",
        )
    _record(conn, "merge", keep_article, gone_article, by, now)
    _apply_merge(conn, keep, gone, now)
    return keep


def correct_split(conn: Connection, article_id: int, by: str, now: datetime) -> int:
    """Take an article out of its story into a story of its own; the new story's id."""
    story_id = _story_of(conn, article_id)
    if story_id is None:
        raise NotFoundError(f"article {article_id} belongs to no story", fix="pick a story member")
    rest = [a for a in _members(conn, story_id) if a != article_id]
    if not rest:
        raise StoreError(
            f"article {article_id} is already alone in its story",
            fix="split an article out of a story that has several",
        )
    _record(conn, "split", article_id, rest[0], by, now)
    return _apply_split(conn, article_id, story_id, now)


def corrections(conn: Connection, limit: int = 100) -> list[Correction]:
    rows = conn.execute(
        sa.select(story_corrections).order_by(story_corrections.c.id.desc()).limit(limit)
    ).mappings()
    return [
        Correction(
            int(r["id"]),
            str(r["kind"]),
            int(r["article_id"]),
            int(r["other_article_id"]) if r["other_article_id"] is not None else None,
            str(r["created_by"]),
            r["created_at"],
        )
        for r in rows
    ]


def enforce(conn: Connection, story_id: int, now: datetime) -> None:
    """Re-apply the corrections touching this story after the algorithm wrote it.

    A story written after a person merged it away hands its members to the survivor; then the
    latest merge or split of each pair of articles holds again, then the originals chosen."""
    if conn.execute(sa.select(story_corrections.c.id).limit(1)).first() is None:
        return  # no person corrected anything: ingest pays one indexed read
    survivor = conn.execute(
        sa.select(stories.c.merged_into).where(stories.c.id == story_id)
    ).scalar()
    hops = 0
    while survivor is not None and hops < story_rows.MAX_REDIRECTS:
        _apply_merge(conn, int(survivor), story_id, now)
        story_id = int(survivor)
        survivor = conn.execute(
            sa.select(stories.c.merged_into).where(stories.c.id == story_id)
        ).scalar()
        hops += 1
    members = _members(conn, story_id)
    if not members:
        return
    touching = conn.execute(
        sa.select(story_corrections)
        .where(
            sa.or_(
                story_corrections.c.article_id.in_(members),
                story_corrections.c.other_article_id.in_(members),
            )
        )
        .order_by(story_corrections.c.id)
    ).mappings()
    # of the merges and splits of one pair of articles, only the latest counts; originals last
    latest: dict[frozenset[int], RowMapping] = {}
    originals: list[RowMapping] = []
    for row in touching:
        if row["kind"] == "original":
            originals.append(row)
        elif row["other_article_id"] is not None:
            latest[frozenset((int(row["article_id"]), int(row["other_article_id"])))] = row
    for row in sorted(latest.values(), key=lambda r: int(r["id"])):
        first, other = int(row["article_id"]), int(row["other_article_id"])
        home, away = _story_of(conn, first), _story_of(conn, other)
        if home is None or away is None:
            continue
        if row["kind"] == "merge" and home != away:
            _apply_merge(conn, home, away, now)
        elif row["kind"] == "split" and home == away:
            _apply_split(conn, first, home, now)
    for row in originals:
        home = _story_of(conn, int(row["article_id"]))
        if home is not None:
            _apply_original(conn, home, int(row["article_id"]))  # the row and the relation


# --- figures ----------------------------------------------------------------------------------


def articles_per_day(conn: Connection, days: int, now: datetime) -> list[tuple[str, int]]:
    """(YYYY-MM-DD, articles) for each of the last `days` days, oldest first, zeros included."""
    start = (
        (now - timedelta(days=days - 1))
        .astimezone(UTC)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    when = sort_time()
    counts: Counter[str] = Counter()
    for value in conn.execute(sa.select(when).where(when >= start)).scalars():
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        if isinstance(moment, datetime):
            counts[moment.astimezone(UTC).date().isoformat()] += 1
    return [
        (
            (start + timedelta(days=i)).date().isoformat(),
            counts[(start + timedelta(days=i)).date().isoformat()],
        )
        for i in range(days)
    ]


def articles_per_source(conn: Connection, since: datetime) -> dict[int, int]:
    """Articles first seen since `since`, by source id."""
    stmt = (
        sa.select(articles.c.source_id, sa.func.count())
        .where(articles.c.first_seen_at >= since)
        .group_by(articles.c.source_id)
    )
    return {int(s): int(n) for s, n in conn.execute(stmt).all()}
