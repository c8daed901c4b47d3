"""Editors' corrections of stories (original, merge, split), kept by article ids and re-applied
after every write of a story, so that a person's correction wins over re-clustering; stories
pinned on the home page, kept by article id too; and the admin's figures (articles per day and
per outlet, each source's health)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import NotFoundError, StoreError
from actuel.store import stories as story_rows
from actuel.store.admin_tables import story_corrections, story_pins
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
            sa.select(
                articles.c.title,
                articles.c.summary,
                articles.c.text,
                sa.func.coalesce(articles.c.rubrique, sources.c.category).label("category"),
            )
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


def _free_key(conn: Connection, article_id: int, leaving: int) -> tuple[str, int | None]:
    """The key of the article's own story, and that story's id when it exists: `edit-<id>`,
    unless that is the story it has to leave (then `edit-<id>-2`, `-3`, ...)."""
    n = 1
    while True:
        key = f"edit-{article_id}" if n == 1 else f"edit-{article_id}-{n}"
        found = conn.execute(sa.select(stories.c.id).where(stories.c.key == key)).scalar()
        if found is None or int(found) != leaving:
            return key, int(found) if found is not None else None
        n += 1


def _apply_split(conn: Connection, article_id: int, from_story: int, now: datetime) -> int:
    """Move an article out of its story into a story of its own; that story's id."""
    key, alone = _free_key(conn, article_id, from_story)
    if alone is None:
        alone = int(
            conn.execute(
                stories.insert()
                .values(key=key, updated_at=now, created_at=now, human_locked=True)
                .returning(stories.c.id)
            ).scalar_one()
        )
    else:
        conn.execute(stories.update().where(stories.c.id == alone).values(merged_into=None))
    conn.execute(
        story_articles.update()
        .where(story_articles.c.article_id == article_id)
        .values(story_id=alone, confidence=None)
    )
    _apply_original(conn, alone, article_id)
    story_rows.recount(conn, [alone])
    _after_leaving(conn, from_story, article_id)
    return alone


def _after_leaving(conn: Connection, story_id: int, article_id: int) -> None:
    """The story an article just left: what derived from it now derives from nothing, counts
    and dates follow, and another original is chosen when it was the original."""
    conn.execute(
        story_articles.update()
        .where(story_articles.c.story_id == story_id, story_articles.c.derived_from == article_id)
        .values(derived_from=None, relation="independent")
    )
    story_rows.recount(conn, [story_id])
    original = conn.execute(
        sa.select(stories.c.original_article_id).where(stories.c.id == story_id)
    ).scalar()
    if original == article_id or original is None:
        rest = _members(conn, story_id)
        if rest:
            _apply_original(conn, story_id, rest[0])


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


def _stories_of(conn: Connection, article_ids: set[int]) -> dict[int, int]:
    """Article -> its story, for those of these articles in one."""
    rows = conn.execute(
        sa.select(story_articles.c.article_id, story_articles.c.story_id).where(
            story_articles.c.article_id.in_(sorted(article_ids))
        )
    )
    return {int(a): int(s) for a, s in rows}


Label = tuple[str, int]  # ("story", id): with that story's articles; ("alone", id): split out


def _intended(rows: list[RowMapping], home: dict[int, int]) -> dict[int, Label]:
    """Where the corrected articles belong: the corrections replayed in the order they were
    made over where the articles are now. A merge puts the two articles' groups together, a
    split takes the article away from the other when they are together; so a later
    correction undoes an earlier one, and articles the corrections leave be stay where they
    are."""
    label: dict[int, Label] = {a: ("story", s) for a, s in home.items()}
    for row in rows:
        first, other = int(row["article_id"]), row["other_article_id"]
        if other is None or first not in label or int(other) not in label:
            continue
        mine, theirs = label[first], label[int(other)]
        if row["kind"] == "merge" and mine != theirs:
            for article_id, held in label.items():
                if held == theirs:
                    label[article_id] = mine
        elif row["kind"] == "split" and mine == theirs:
            label[first] = ("alone", first)
    return label


def _settle(conn: Connection, rows: list[RowMapping], now: datetime) -> None:
    """Move articles and merge stories until the merges and splits of `rows` hold; nothing is
    written when they hold already."""
    involved = {int(r["article_id"]) for r in rows} | {
        int(r["other_article_id"]) for r in rows if r["other_article_id"] is not None
    }
    home = _stories_of(conn, involved)
    label = _intended(rows, home)
    # first, an article split out leaves a story holding articles it must be apart from
    for story_id in sorted(set(home.values())):
        here = {label[a] for a, s in home.items() if s == story_id}
        if len(here) < 2:
            continue
        for held in sorted(here):
            if held[0] == "alone":
                _apply_split(conn, held[1], story_id, now)
    home = _stories_of(conn, involved)
    # then each group is one story: the stories holding its articles merge into one
    groups: dict[Label, set[int]] = {}
    for article_id, held in label.items():
        if article_id in home:
            groups.setdefault(held, set()).add(home[article_id])
    for held, story_ids in groups.items():
        if len(story_ids) < 2:
            continue
        if held[0] == "story" and held[1] in story_ids:
            keep = held[1]
        elif held[0] == "alone" and held[1] in home:
            keep = home[held[1]]
        else:
            keep = min(story_ids)
        for gone in sorted(story_ids - {keep}):
            _apply_merge(conn, keep, gone, now)


def enforce(conn: Connection, story_id: int, now: datetime) -> None:
    """Re-apply the corrections touching this story after the algorithm wrote it.

    A story written after a person merged it away hands its members to the survivor (a
    process's clusterer may not know of the merge); then the merges and splits touching its
    articles hold again (`_intended`), then the originals chosen."""
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
    if conn.execute(sa.select(story_corrections.c.id).limit(1)).first() is None:
        return  # no person corrected anything: ingest pays two indexed reads
    members = _members(conn, story_id)
    if not members:
        return
    touching = list(
        conn.execute(
            sa.select(story_corrections)
            .where(
                sa.or_(
                    story_corrections.c.article_id.in_(members),
                    story_corrections.c.other_article_id.in_(members),
                )
            )
            .order_by(story_corrections.c.id)
        ).mappings()
    )
    _settle(conn, [r for r in touching if r["kind"] in ("merge", "split")], now)
    for row in touching:
        if row["kind"] != "original":
            continue
        article_id = int(row["article_id"])
        home = _story_of(conn, article_id)
        if home is not None and not _is_original(conn, home, article_id):
            _apply_original(conn, home, article_id)  # the row and the relation


def _is_original(conn: Connection, story_id: int, article_id: int) -> bool:
    """Whether the story already has this article as its original, locked, and no other
    member calls itself the original."""
    row = conn.execute(
        sa.select(stories.c.original_article_id, stories.c.human_locked).where(
            stories.c.id == story_id
        )
    ).first()
    if row is None or row[0] != article_id or not row[1]:
        return False
    originals = conn.execute(
        sa.select(story_articles.c.article_id).where(
            story_articles.c.story_id == story_id, story_articles.c.relation == "original"
        )
    ).scalars()
    return [int(a) for a in originals] == [article_id]


def before_removal(conn: Connection, source_id: int) -> None:
    """A source's articles are about to be deleted: a merge or a split made on one of them is
    moved onto an article that remains in the same story, so that it goes on holding for the
    articles left (a split of one of them, or one whose story loses every article, goes)."""
    doomed = {
        int(a)
        for a in conn.execute(
            sa.select(articles.c.id).where(articles.c.source_id == source_id)
        ).scalars()
    }
    if not doomed:
        return
    rows = conn.execute(
        sa.select(story_corrections).where(
            story_corrections.c.kind.in_(("merge", "split")),
            sa.or_(
                story_corrections.c.article_id.in_(sorted(doomed)),
                story_corrections.c.other_article_id.in_(sorted(doomed)),
            ),
        )
    ).mappings()
    for row in list(rows):
        ends = [int(row["article_id"]), row["other_article_id"]]
        if ends[1] is None or (row["kind"] == "split" and ends[0] in doomed):
            continue  # the article split out goes: nothing is left to keep apart
        for n, gone in enumerate(ends):
            if gone not in doomed:
                continue
            story_id = _story_of(conn, gone)
            others = _members(conn, story_id) if story_id is not None else []
            stand_in = next((a for a in others if a not in doomed and a not in ends), None)
            if stand_in is None:
                break  # no article of its story remains: the correction goes with them
            ends[n] = stand_in
        else:
            conn.execute(
                story_corrections.update()
                .where(story_corrections.c.id == row["id"])
                .values(article_id=ends[0], other_article_id=ends[1])
            )


# --- hidden articles --------------------------------------------------------------------------


def withdraw(conn: Connection, article_id: int) -> None:
    """Take a hidden article out of its story; the others stay (`_after_leaving`)."""
    story_id = _story_of(conn, article_id)
    if story_id is None:
        return
    conn.execute(story_articles.delete().where(story_articles.c.article_id == article_id))
    _after_leaving(conn, story_id, article_id)


def refile(conn: Connection, article_id: int, rubrique: str | None) -> None:
    """An editor's rubrique for an article on the story it is the original of."""
    if rubrique is not None:
        conn.execute(
            stories.update()
            .where(stories.c.original_article_id == article_id)
            .values(category=rubrique)
        )


def retitle(conn: Connection, article_id: int, title: str, summary: str | None) -> None:
    """A corrected article's title and summary on the story it is the original of."""
    values: dict[str, object] = {"title": title}
    if summary:
        values["summary"] = summary
    conn.execute(
        stories.update().where(stories.c.original_article_id == article_id).values(**values)
    )


# --- pins -------------------------------------------------------------------------------------


def pin(conn: Connection, story_id: int, by: str, now: datetime) -> None:
    """Pin the story, by its original (else its first) article; pinned again, it moves up."""
    members = _members(conn, story_id)
    if not members:
        raise NotFoundError(f"story {story_id} has no article", fix="pin another story")
    anchor = conn.execute(
        sa.select(stories.c.original_article_id).where(stories.c.id == story_id)
    ).scalar()
    unpin(conn, story_id)
    article_id = int(anchor) if anchor in members else members[0]
    conn.execute(story_pins.insert().values(article_id=article_id, pinned_by=by, pinned_at=now))


def unpin(conn: Connection, story_id: int) -> None:
    members = _members(conn, story_id)
    conn.execute(story_pins.delete().where(story_pins.c.article_id.in_(members)))


def is_pinned(conn: Connection, story_id: int) -> bool:
    pinned = sa.select(sa.literal(1)).where(
        story_pins.c.article_id == story_articles.c.article_id,
        story_articles.c.story_id == story_id,
    )
    return conn.execute(sa.select(pinned.exists())).scalar() is True


def pinned_story_ids(conn: Connection, limit: int) -> list[int]:
    """The live stories holding a pinned article, the latest pinned first."""
    stmt = (
        sa.select(story_articles.c.story_id, sa.func.max(story_pins.c.pinned_at).label("at"))
        .select_from(
            story_pins.join(
                story_articles, story_articles.c.article_id == story_pins.c.article_id
            ).join(stories, stories.c.id == story_articles.c.story_id)
        )
        .where(stories.c.merged_into.is_(None), stories.c.article_count > 0)
        .group_by(story_articles.c.story_id)
        .order_by(sa.desc("at"), story_articles.c.story_id.desc())
        .limit(max(0, limit))
    )
    return [int(row.story_id) for row in conn.execute(stmt)]


# --- figures ----------------------------------------------------------------------------------


def articles_per_day(conn: Connection, days: int, now: datetime) -> list[tuple[str, int]]:
    """(YYYY-MM-DD, articles first seen that day) for each of the last `days` days, oldest first,
    zeros included: collection, as `articles_per_source` counts it (not publication dates)."""
    start = (
        (now - timedelta(days=days - 1))
        .astimezone(UTC)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    when = articles.c.first_seen_at
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
