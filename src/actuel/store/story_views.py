"""Stories as the site and the API read them: listings, a story with its members in timeline order,
its quotes, its headline in each language (the rules of `actuel.reading`, applied to the rows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from actuel.errors import NotFoundError
from actuel.model import Article, Headline, QuoteView, StoryMember, StoryView
from actuel.reading.quotes import CarriedQuote, gather_quotes
from actuel.reading.story import Placed, headline_choices, timeline_order
from actuel.store import translations
from actuel.store.articles import VISIBLE, article_from_row
from actuel.store.schema import (
    article_images,
    article_quotes,
    articles,
    sort_time,
    sources,
    stories,
    story_articles,
)
from actuel.store.stories import (
    MAX_REDIRECTS,
    SUMMARY_CHARS,
    UNRELATED_CATEGORIES,
    evidence_of,
    lead_of,
)


@cache  # built once: statements are immutable, and building this join costs ~2 ms per page
def _view_select() -> sa.Select[Any]:
    original = articles.alias("original")
    return sa.select(
        stories,
        original.c.image.label("original_image"),
        original.c.language.label("original_language"),
        sources.c.name.label("original_source"),
        article_images.c.article_id.label("kept_image"),
    ).select_from(
        stories.outerjoin(original, original.c.id == stories.c.original_article_id)
        .outerjoin(sources, sources.c.id == original.c.source_id)
        .outerjoin(
            article_images,
            sa.and_(
                article_images.c.article_id == stories.c.original_article_id,
                article_images.c.data.is_not(None),
            ),
        )
    )


def _views(conn: Connection, rows: Iterable[RowMapping]) -> list[StoryView]:
    views = [
        StoryView(
            id=int(row["id"]),
            key=row["key"],
            title=row["title"],
            summary=row["summary"],
            original_article_id=row["original_article_id"],
            original_credit=row["original_credit"],
            original_source=row["original_source"] or None,
            first_published_at=row["first_published_at"],
            updated_at=row["updated_at"],
            article_count=int(row["article_count"] or 0),
            languages=[x for x in (row["languages"] or "").split(",") if x],
            image=row["original_image"],
            image_kept=row["kept_image"] is not None,
            category=row["category"],
            language=row["original_language"],
        )
        for row in rows
    ]
    if not views:
        return views
    by_id = {v.id: v for v in views}
    when = sa.func.min(sort_time())
    outlets = conn.execute(
        sa.select(story_articles.c.story_id, sources.c.name, when.label("first"))
        .select_from(
            story_articles.join(articles, articles.c.id == story_articles.c.article_id).join(
                sources, sources.c.id == articles.c.source_id
            )
        )
        .where(story_articles.c.story_id.in_(list(by_id)))
        .group_by(story_articles.c.story_id, sources.c.name)
        .order_by(story_articles.c.story_id, when, sources.c.name)
    )
    for story_id, name, _first in outlets:
        if name:
            by_id[int(story_id)].outlets.append(name)
    fill_headlines(conn, by_id)
    return views


@cache  # built once, like _view_select: building a select costs more than running this one
def _placements_select() -> sa.Select[Any]:
    return (
        sa.select(
            story_articles.c.story_id,
            story_articles.c.article_id,
            story_articles.c.relation,
            story_articles.c.derived_from,
            articles.c.language,
            articles.c.published_at,
            articles.c.first_seen_at,
        )
        .select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
        .where(story_articles.c.story_id.in_(sa.bindparam("ids", expanding=True)))
    )


@cache
def _leads_select() -> sa.Select[Any]:
    return sa.select(
        articles.c.id,
        articles.c.title,
        articles.c.summary,
        articles.c.language,
        sa.func.substr(articles.c.text, 1, SUMMARY_CHARS * 2).label("lead"),
    ).where(articles.c.id.in_(sa.bindparam("ids", expanding=True)))


def _placements(conn: Connection, story_ids: Sequence[int]) -> dict[int, list[Placed]]:
    """Each story's members with their language, derivation and dates (no text)."""
    rows = conn.execute(_placements_select(), {"ids": list(story_ids)}).all()
    placed: dict[int, list[Placed]] = {}
    for row in rows:
        placed.setdefault(int(row.story_id), []).append(
            Placed(
                int(row.article_id),
                row.language or None,
                str(row.relation),
                int(row.derived_from) if row.derived_from is not None else None,
                row.published_at,
                row.first_seen_at,
            )
        )
    return placed


def fill_headlines(conn: Connection, by_id: dict[int, StoryView]) -> None:
    """Each story's headline in every language it has a member in (`headline_choices`): the
    members' derivations and dates in one query, the chosen titles and leads in another."""
    placed = _placements(conn, list(by_id))
    chosen = {
        story_id: headline_choices(members, by_id[story_id].original_article_id)
        for story_id, members in placed.items()
    }
    wanted = {
        article_id
        for story_id, choices in chosen.items()
        for article_id in choices.values()
        if article_id != by_id[story_id].original_article_id
    }
    leads: dict[int, Headline] = {}
    if wanted:
        for found in conn.execute(_leads_select(), {"ids": sorted(wanted)}).mappings():
            leads[int(found["id"])] = Headline(
                found["title"],
                lead_of(found["summary"], found["lead"]),
                found["language"],
                int(found["id"]),
            )
    for story_id, choices in chosen.items():
        view = by_id[story_id]
        for lang, article_id in choices.items():
            if article_id == view.original_article_id:
                view.headlines[lang] = Headline(view.title, view.summary, lang, article_id)
            elif article_id in leads:
                view.headlines[lang] = leads[article_id]
    _fill_translated(conn, by_id)


def _fill_translated(conn: Connection, by_id: dict[int, StoryView]) -> None:
    """A language no member is in reads the original's machine translation, when there is one:
    a member written in it always comes first."""
    originals = {
        view.original_article_id: view
        for view in by_id.values()
        if view.original_article_id is not None
    }
    for found in translations.of_articles(conn, originals):
        view = originals[found.article_id]
        if found.lang not in view.headlines and found.lang != view.language and found.title:
            view.headlines[found.lang] = Headline(
                found.title,
                found.summary,
                found.lang,
                found.article_id,
                translated_from=found.source_lang,
                translator=" ".join(p for p in (found.backend, found.model) if p) or None,
            )


def latest(
    conn: Connection,
    *,
    limit: int,
    before: tuple[datetime, int] | None,
    lang: str | None,
    category: str | None,
) -> list[StoryView]:
    stmt = _view_select().where(stories.c.merged_into.is_(None), stories.c.article_count > 0)
    if category is not None:
        # filed under it (its rubrique), or first reported by an outlet of that category
        by_outlet = (
            sa.select(sa.literal(1))
            .select_from(articles.join(sources, sources.c.id == articles.c.source_id))
            .where(articles.c.id == stories.c.original_article_id, sources.c.category == category)
        )
        stmt = stmt.where(sa.or_(stories.c.category == category, by_outlet.exists()))
    if lang is not None:
        in_lang = (
            sa.select(sa.literal(1))
            .select_from(
                story_articles.join(articles, articles.c.id == story_articles.c.article_id)
            )
            .where(story_articles.c.story_id == stories.c.id, articles.c.language == lang)
        )
        stmt = stmt.where(in_lang.exists())
    if before is not None:
        at, before_id = before
        stmt = stmt.where(
            stories.c.updated_at <= at,
            sa.or_(stories.c.updated_at < at, stories.c.id < before_id),
        )
    stmt = stmt.order_by(stories.c.updated_at.desc(), stories.c.id.desc()).limit(max(0, limit))
    return _views(conn, conn.execute(stmt).mappings())


def get(conn: Connection, key: str) -> StoryView:
    """The story with this key; a merged story's key gives the story it was merged into."""
    row = conn.execute(_view_select().where(stories.c.key == key)).mappings().first()
    hops = 0
    while row is not None and row["merged_into"] is not None and hops < MAX_REDIRECTS:
        row = (
            conn.execute(_view_select().where(stories.c.id == row["merged_into"]))
            .mappings()
            .first()
        )
        hops += 1
    if row is None:
        raise NotFoundError(f"no story {key!r}", fix="check the story's address")
    return _views(conn, [row])[0]


def by_ids(conn: Connection, story_ids: Sequence[int]) -> list[StoryView]:
    """The stories with these ids, in the order given (missing ones left out)."""
    if not story_ids:
        return []
    rows = conn.execute(_view_select().where(stories.c.id.in_(list(story_ids)))).mappings()
    found = {v.id: v for v in _views(conn, list(rows))}
    return [found[i] for i in story_ids if i in found]


def get_by_id(conn: Connection, story_id: int) -> StoryView | None:
    row = conn.execute(_view_select().where(stories.c.id == story_id)).mappings().first()
    return _views(conn, [row])[0] if row is not None else None


@cache
def _member_select() -> sa.Select[Any]:
    return sa.select(
        articles,
        sources.c.name.label("source_name"),
        story_articles.c.story_id,
        story_articles.c.relation,
        story_articles.c.derived_from,
        story_articles.c.confidence,
        story_articles.c.evidence,
    ).select_from(
        story_articles.join(articles, articles.c.id == story_articles.c.article_id).join(
            sources, sources.c.id == articles.c.source_id
        )
    )


def _member(row: RowMapping) -> StoryMember:
    article: Article = article_from_row(row)
    return StoryMember(
        article=article,
        source_name=row["source_name"] or article.site_name or "",
        relation=row["relation"],
        derived_from=row["derived_from"],
        confidence=row["confidence"],
        evidence=evidence_of(row["evidence"]),
    )


def members(conn: Connection, story_id: int) -> list[StoryMember]:
    """The story's articles in timeline order (`timeline_order`: by date, a bare date after the
    times of its day, and never above what it derives from)."""
    stmt = _member_select().where(story_articles.c.story_id == story_id, VISIBLE)
    found = {int(m.article.id or 0): m for m in map(_member, conn.execute(stmt).mappings())}
    order = timeline_order([_placed(m) for m in found.values()])
    return [found[article_id] for article_id in order]


def _placed(member: StoryMember) -> Placed:
    article = member.article
    return Placed(
        int(article.id or 0),
        article.language,
        member.relation,
        member.derived_from,
        article.published_at,
        article.first_seen_at,
    )


def of_article(conn: Connection, article_id: int) -> tuple[StoryView, StoryMember] | None:
    row = (
        conn.execute(_member_select().where(story_articles.c.article_id == article_id))
        .mappings()
        .first()
    )
    if row is None:
        return None
    view = get_by_id(conn, int(row["story_id"]))
    return (view, _member(row)) if view is not None else None


def quotes(conn: Connection, story_id: int) -> list[QuoteView]:
    """The story's quotes, each once however many articles carry it (cut-off ones too), with
    its translations beside it, fragments inside the quotes that hold them
    (`gather_quotes`)."""
    placed = _placements(conn, [story_id]).get(story_id, [])
    place = {article_id: n for n, article_id in enumerate(timeline_order(placed))}
    stmt = (
        sa.select(
            article_quotes.c.text,
            article_quotes.c.speaker,
            article_quotes.c.lang,
            article_quotes.c.article_id,
            sources.c.name.label("source_name"),
        )
        .select_from(
            article_quotes.join(
                story_articles, story_articles.c.article_id == article_quotes.c.article_id
            )
            .join(articles, articles.c.id == article_quotes.c.article_id)
            .join(sources, sources.c.id == articles.c.source_id)
        )
        .where(story_articles.c.story_id == story_id)
        .order_by(article_quotes.c.article_id, article_quotes.c.id)
    )
    carried = [
        CarriedQuote(
            int(row["article_id"]), row["text"], row["speaker"], row["lang"], row["source_name"]
        )
        for row in conn.execute(stmt).mappings()
    ]
    carried.sort(key=lambda q: place.get(q.article_id, len(place)))  # stable: text order kept
    return gather_quotes(carried, placed)


def related(conn: Connection, story_id: int, *, limit: int) -> list[StoryView]:
    """Recent stories of the same rubrique, itself aside; none for a story without one (a
    jazz festival is no reading beside a dockers' strike)."""
    category = conn.execute(sa.select(stories.c.category).where(stories.c.id == story_id)).scalar()
    if category is None or category in UNRELATED_CATEGORIES:
        return []
    stmt = _view_select().where(
        stories.c.merged_into.is_(None),
        stories.c.article_count > 0,
        stories.c.id != story_id,
        stories.c.category == category,
    )
    stmt = stmt.order_by(stories.c.updated_at.desc(), stories.c.id.desc()).limit(max(0, limit))
    return _views(conn, conn.execute(stmt).mappings())
