"""Story rows: where each article went, the story's original, credits and quotes (read back by
`story_views`)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import NotFoundError
from actuel.model import (
    Credit,
    Quote,
    Relation,
    RelationKind,
    StoryDoc,
)
from actuel.store.articles import VISIBLE
from actuel.store.db import dialect_insert
from actuel.store.schema import (
    article_credits,
    article_quotes,
    articles,
    sort_time,
    sources,
    stories,
    story_articles,
)
from actuel.store.types import UTCDateTime

SUMMARY_CHARS = 300
MAX_QUOTE_KEY = 255  # longer quotes sharing their first 255 folded characters are one quote
MAX_REDIRECTS = 32  # a merged story's key is followed this many hops at most
MAX_EVIDENCE_CHARS = 20_000  # shared passages of a 5 MB copy would bloat every member row


@dataclass
class MemberRow:
    """One article's place in its story, as stored."""

    article_id: int
    relation: str  # original, independent, copy, excerpt, rewrite, translation
    derived_from: int | None = None
    confidence: float | None = None
    evidence: dict[str, object] = field(default_factory=dict)


@dataclass
class StoryUpdate:
    """What one placement changed: member rows to write, stories merged, the original."""

    key: str
    members: list[MemberRow]
    merged_keys: list[str] = field(default_factory=list)
    original_article_id: int | None = None  # None: the stored original stays
    original_credit: str | None = None  # written along with original_article_id
    first_published_at: datetime | None = None
    # articles new to the story (no merge): counts and dates then follow from them alone,
    # without reading every member again
    added: list[int] = field(default_factory=list)


@dataclass
class WindowRow:
    """An article of the clustering window: its story key (None when never placed)."""

    doc: StoryDoc
    key: str | None
    relation: Relation | None  # what it derives from, when it does
    kind: str | None = None  # the stored relation: original, independent, copy, ...
    confidence: float | None = None
    story_original: int | None = None  # the story's stored original article


# --- writing ------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    try:
        number = float(value)  # numpy scalars
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None


def evidence_json(evidence: Mapping[str, object]) -> str:
    text = json.dumps(_jsonable(evidence), ensure_ascii=False, sort_keys=True)
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    # keep the scalar scores, drop the long lists of passages
    scalars = {k: v for k, v in _jsonable(evidence).items() if not isinstance(v, list | dict)}
    return json.dumps({**scalars, "truncated": True}, ensure_ascii=False, sort_keys=True)


def _story_id(conn: Connection, key: str) -> int | None:
    found = conn.execute(sa.select(stories.c.id).where(stories.c.key == key)).scalar()
    return int(found) if found is not None else None


def _without_hidden(conn: Connection, update: StoryUpdate) -> StoryUpdate:
    """The placement less the articles an editor hid meanwhile (a clusterer in another process
    still holds them)."""
    ids = [m.article_id for m in update.members]
    if not ids:
        return update
    stmt = sa.select(articles.c.id).where(articles.c.id.in_(ids), ~VISIBLE)
    hidden = set(conn.execute(stmt).scalars())
    if not hidden:
        return update
    members = [m for m in update.members if m.article_id not in hidden]
    original = update.original_article_id
    if original in hidden:
        original = members[0].article_id if members else None
    return replace(
        update,
        members=members,
        added=[a for a in update.added if a not in hidden],
        original_article_id=original,
    )


def save(conn: Connection, update: StoryUpdate, *, now: datetime) -> int:
    """Write one placement: the story row (created at need), merges, members; its id."""
    update = _without_hidden(conn, update)
    found = (
        conn.execute(
            sa.select(
                stories.c.id,
                stories.c.human_locked,
                stories.c.article_count,
                stories.c.languages,
                stories.c.updated_at,
            ).where(stories.c.key == update.key)
        )
        .mappings()
        .first()
    )
    if found is None:
        story_id = int(
            conn.execute(
                stories.insert()
                .values(key=update.key, updated_at=now, created_at=now)
                .returning(stories.c.id)
            ).scalar_one()
        )
        locked, known = False, None
    else:
        story_id, locked, known = int(found["id"]), bool(found["human_locked"]), found
    for old_key in update.merged_keys:
        old_id = _story_id(conn, old_key)
        if old_id is None or old_id == story_id:
            continue
        conn.execute(
            story_articles.update()
            .where(story_articles.c.story_id == old_id)
            .values(story_id=story_id)
        )
        conn.execute(
            stories.update()
            .where(sa.or_(stories.c.id == old_id, stories.c.merged_into == old_id))
            .values(merged_into=story_id, article_count=0, updated_at=now)
        )
    if update.members:
        insert = dialect_insert(conn, story_articles)
        rows = [
            {
                "article_id": m.article_id,
                "story_id": story_id,
                "relation": m.relation,
                "derived_from": m.derived_from,
                "confidence": m.confidence,
                "evidence": evidence_json(m.evidence),
            }
            for m in update.members
        ]
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=[story_articles.c.article_id],
                set_={
                    name: insert.excluded[name]
                    for name in ("story_id", "relation", "derived_from", "confidence", "evidence")
                },
            ),
            rows,
        )
    incremental = known is not None and update.added and not update.merged_keys
    _refresh(conn, story_id, update, locked=locked, known=known if incremental else None)
    return story_id


def lead_of(summary: str | None, text: str | None) -> str | None:
    """The original's summary, else its first sentences up to SUMMARY_CHARS."""
    if summary and summary.strip():
        return summary.strip()
    text = " ".join((text or "").split())
    if not text:
        return None
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS]
    stop = cut.rfind(". ")
    if stop >= SUMMARY_CHARS // 2:
        return cut[: stop + 1]
    return cut.rsplit(" ", 1)[0] + "…"


def _refresh(
    conn: Connection,
    story_id: int,
    update: StoryUpdate,
    *,
    locked: bool,
    known: RowMapping | None = None,
) -> None:
    """Counts, languages and dates from the members (from `known`, the stored row, plus the
    articles added, when given); title, summary and category from the original when the update
    names one and no person has locked the story."""
    when = sort_time()
    by_language: list[Any]
    if known is not None:
        added = conn.execute(
            sa.select(articles.c.language, sa.literal(1), when, when).where(
                articles.c.id.in_(update.added)
            )
        ).all()
        base = [x for x in (known["languages"] or "").split(",") if x]
        by_language = [(lang, 0, None, None) for lang in base] + list(added)
        by_language.append((None, int(known["article_count"] or 0), None, known["updated_at"]))
    else:
        members = story_articles.join(articles, articles.c.id == story_articles.c.article_id)
        by_language = list(
            conn.execute(
                sa.select(
                    articles.c.language, sa.func.count(), sa.func.min(when), sa.func.max(when)
                )
                .select_from(members)
                .where(story_articles.c.story_id == story_id)
                .group_by(articles.c.language)
            ).all()
        )
    firsts: list[datetime] = [row[2] for row in by_language if row[2] is not None]
    lasts: list[datetime] = [row[3] for row in by_language if row[3] is not None]
    values: dict[str, Any] = {
        "article_count": sum(int(row[1]) for row in by_language),
        "languages": ",".join(sorted({str(row[0]) for row in by_language if row[0]})),
        "first_published_at": update.first_published_at or (min(firsts) if firsts else None),
    }
    if lasts:
        values["updated_at"] = max(lasts)
    if not locked and update.original_article_id is not None:
        original = (
            conn.execute(
                sa.select(
                    articles.c.title,
                    articles.c.summary,
                    sa.func.substr(articles.c.text, 1, SUMMARY_CHARS * 2).label("lead"),
                    articles.c.rubrique,
                    sources.c.category,
                )
                .select_from(articles.join(sources, sources.c.id == articles.c.source_id))
                .where(articles.c.id == update.original_article_id)
            )
            .mappings()
            .first()
        )
        if original is not None:
            values.update(
                original_article_id=update.original_article_id,
                original_credit=update.original_credit,
                title=original["title"],
                summary=lead_of(original["summary"], original["lead"]),
                category=original["rubrique"]
                or _member_rubrique(conn, story_id)
                or original["category"]
                or _member_category(conn, story_id),
            )
    conn.execute(stories.update().where(stories.c.id == story_id).values(**values))


def _member_rubrique(conn: Connection, story_id: int) -> str | None:
    """The rubrique most of the story's articles have (the earliest's on a tie)."""
    members = story_articles.join(articles, articles.c.id == story_articles.c.article_id)
    found = conn.execute(
        sa.select(articles.c.rubrique)
        .select_from(members)
        .where(story_articles.c.story_id == story_id, articles.c.rubrique.is_not(None))
        .group_by(articles.c.rubrique)
        .order_by(sa.func.count().desc(), sa.func.min(articles.c.id))
        .limit(1)
    ).scalar()
    return str(found) if found is not None else None


# a source's catch-all categories say nothing of the subject: "Lire aussi" needs a rubrique
UNRELATED_CATEGORIES = frozenset({"generaliste", "agence"})


def _member_category(conn: Connection, story_id: int) -> str | None:
    found = conn.execute(
        sa.select(sources.c.category)
        .select_from(
            story_articles.join(articles, articles.c.id == story_articles.c.article_id).join(
                sources, sources.c.id == articles.c.source_id
            )
        )
        .where(story_articles.c.story_id == story_id, sources.c.category.is_not(None))
        .order_by(sort_time(), articles.c.id)
        .limit(1)
    ).scalar()
    return str(found) if found is not None else None


def stories_of_source(conn: Connection, source_id: int) -> list[int]:
    """Stories holding an article of this source."""
    stmt = (
        sa.select(story_articles.c.story_id)
        .distinct()
        .select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
        .where(articles.c.source_id == source_id)
    )
    return [int(story_id) for story_id in conn.execute(stmt).scalars()]


def recount(conn: Connection, story_ids: Iterable[int]) -> None:
    """Bring counts, languages and dates up to date after members went (a source removed)."""
    for story_id in story_ids:
        _refresh(conn, story_id, StoryUpdate(key="", members=[]), locked=True)


def set_locked(conn: Connection, story_id: int, locked: bool) -> None:
    done = conn.execute(
        stories.update().where(stories.c.id == story_id).values(human_locked=locked)
    )
    if done.rowcount == 0:
        raise NotFoundError(f"no story {story_id}", fix="check the story's id")


def replace_extras(
    conn: Connection,
    article_id: int,
    credits: Sequence[Credit],
    quotes: Sequence[Quote],
    *,
    fresh: bool = False,
) -> None:
    """Replace an article's credit lines and quotes with these (`fresh`: it has none yet)."""
    if not fresh:
        conn.execute(article_credits.delete().where(article_credits.c.article_id == article_id))
        conn.execute(article_quotes.delete().where(article_quotes.c.article_id == article_id))
    if credits:
        conn.execute(
            article_credits.insert(),
            [
                {"article_id": article_id, "outlet": c.outlet, "kind": c.kind, "phrase": c.phrase}
                for c in credits
            ],
        )
    keyed = [(q.key[:MAX_QUOTE_KEY], q) for q in quotes if q.key]
    if keyed:
        conn.execute(
            article_quotes.insert(),
            [
                {
                    "article_id": article_id,
                    "quote_key": key,
                    "text": q.text,
                    "speaker": q.speaker,
                    "lang": q.lang,
                }
                for key, q in keyed
            ],
        )


def credits_of(conn: Connection, article_id: int) -> list[Credit]:
    stmt = (
        sa.select(article_credits)
        .where(article_credits.c.article_id == article_id)
        .order_by(article_credits.c.id)
    )
    return [
        Credit(outlet=row["outlet"], kind=row["kind"], phrase=row["phrase"])
        for row in conn.execute(stmt).mappings()
    ]


def quotes_of(conn: Connection, article_id: int) -> list[Quote]:
    stmt = (
        sa.select(article_quotes)
        .where(article_quotes.c.article_id == article_id)
        .order_by(article_quotes.c.id)
    )
    return [
        Quote(text=row["text"], speaker=row["speaker"], lang=row["lang"], key=row["quote_key"])
        for row in conn.execute(stmt).mappings()
    ]


# --- restoring the clustering window --------------------------------------------------------------


def newest(conn: Connection) -> datetime | None:
    """The latest article date (published, else first seen)."""
    found = conn.execute(sa.select(sa.func.max(sort_time(), type_=UTCDateTime))).scalar()
    return found if isinstance(found, datetime) else None


def oldest(conn: Connection, since: datetime | None = None) -> datetime | None:
    """The earliest article date (published, else first seen), since `since` when given."""
    stmt = sa.select(sa.func.min(sort_time(), type_=UTCDateTime))
    if since is not None:
        stmt = stmt.where(sort_time() >= since)
    found = conn.execute(stmt).scalar()
    return found if isinstance(found, datetime) else None


def unplaced_count(conn: Connection, since: datetime | None = None) -> int:
    """Articles in no story yet (dated since `since` when given)."""
    placed = sa.select(sa.literal(1)).where(story_articles.c.article_id == articles.c.id)
    stmt = sa.select(sa.func.count()).select_from(articles).where(~placed.exists(), VISIBLE)
    if since is not None:
        stmt = stmt.where(sort_time() >= since)
    return int(conn.execute(stmt).scalar_one())


def window(conn: Connection, since: datetime, until: datetime | None = None) -> list[WindowRow]:
    """Articles dated (published, else first seen) since `since` (and before `until`), oldest
    first, with their story; hidden ones take no part in stories."""
    when = sort_time()
    stmt = (
        sa.select(
            articles.c.id,
            articles.c.title,
            articles.c.text,
            articles.c.url,
            articles.c.published_at,
            articles.c.language,
            articles.c.first_seen_at,
            sources.c.name.label("source_name"),
            stories.c.key,
            stories.c.original_article_id,
            story_articles.c.relation,
            story_articles.c.derived_from,
            story_articles.c.confidence,
            story_articles.c.evidence,
        )
        .select_from(
            articles.join(sources, sources.c.id == articles.c.source_id)
            .outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
            .outerjoin(stories, stories.c.id == story_articles.c.story_id)
        )
        .where(VISIBLE, when >= since, *([when < until] if until is not None else []))
        .order_by(when, articles.c.id)
    )
    out: list[WindowRow] = []
    for row in conn.execute(stmt).mappings():
        doc = StoryDoc(
            id=str(row["id"]),
            title=row["title"] or "",
            text=row["text"] or "",
            url=row["url"],
            published_at=row["published_at"],
            lang=row["language"],
            source=row["source_name"] or None,
            first_seen_at=row["first_seen_at"],
        )
        relation = None
        if row["derived_from"] is not None and row["relation"] in _DERIVED:
            relation = Relation(
                derived_id=doc.id,
                source_id=str(row["derived_from"]),
                kind=RelationKind(row["relation"]),
                confidence=float(row["confidence"] or 0.0),
                evidence=evidence_of(row["evidence"]),
            )
        out.append(
            WindowRow(
                doc=doc,
                key=row["key"],
                relation=relation,
                kind=row["relation"],
                confidence=row["confidence"],
                story_original=row["original_article_id"],
            )
        )
    return out


_DERIVED = {k.value for k in RelationKind if k != RelationKind.INDEPENDENT}


def evidence_of(text: str | None) -> dict[str, object]:
    """A relation's evidence as stored (JSON); {} when unreadable."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
