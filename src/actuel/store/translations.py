"""Rows of article_translations and translation_cache: what is translated, what is still to be,
and the cache of translated texts by their words and pair."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.model import Translation
from actuel.store.articles import VISIBLE
from actuel.store.db import dialect_insert
from actuel.store.schema import (
    article_translations,
    articles,
    translation_cache,
    translation_requests,
)
from actuel.store.stories import SUMMARY_CHARS, lead_of
from actuel.text import excerpt

DONE = "done"
FAILED = "failed"
# what no backend can translate: no language detected, or none at all
_NO_LANGUAGE = ("", "und", "zxx")


@dataclass(frozen=True)
class TranslationWanted:
    """An article's title and lead, to be translated from its language into `target`."""

    article_id: int
    source_lang: str
    target: str
    title: str
    lead: str


@dataclass(frozen=True)
class TranslationFailed:
    """Why an article could not be translated into `target`, and when to try again."""

    article_id: int
    source_lang: str
    target: str
    error: str
    retry_at: datetime


@dataclass(frozen=True)
class TextWanted:
    """An article's whole text, to be translated into `target` (its title already is)."""

    article_id: int
    source_lang: str
    target: str
    text: str


MAX_TEXT_CHARS = 30_000  # an article's text past this is not translated (a dump, not a report)


def text_hash(text: str) -> str:
    """The cache key of a text: SHA-256 of its words, spacing folded."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def wanted(
    conn: Connection,
    into: Sequence[str],
    now: datetime,
    limit: int,
    *,
    redo_before: datetime | None = None,
) -> list[TranslationWanted]:
    """Visible articles in another language than one of `into` and not yet translated into it
    (or failed and due again; or, with `redo_before`, translated before that moment), newest
    first, at most `limit` (article, language) pairs."""
    found: list[TranslationWanted] = []
    for target in into:
        if len(found) >= limit:
            break
        tr = article_translations.alias("tr")
        due = sa.or_(
            tr.c.article_id.is_(None),
            sa.and_(tr.c.status == FAILED, tr.c.retry_at <= now),
        )
        if redo_before is not None:
            due = sa.or_(due, tr.c.translated_at < redo_before)
        query = _untranslated(
            sa.select(
                articles.c.id,
                articles.c.language,
                articles.c.title,
                articles.c.summary,
                sa.func.substr(articles.c.text, 1, SUMMARY_CHARS * 2).label("lead"),
            ),
            tr,
            target,
            due,
        )
        query = query.order_by(articles.c.id.desc()).limit(limit - len(found))
        for row in conn.execute(query):
            lead = lead_of(row.summary, row.lead) or ""
            found.append(
                TranslationWanted(
                    int(row.id),
                    str(row.language),
                    target,
                    row.title or "",
                    excerpt(lead, SUMMARY_CHARS * 2),
                )
            )
    return found


def _untranslated(
    query: sa.Select[Any], tr: Any, target: str, due: sa.ColumnElement[bool]
) -> sa.Select[Any]:
    """`query` over the visible articles in a known language other than `target` whose row in
    `tr` (their translation into `target`, outer-joined) is `due`."""
    return query.select_from(
        articles.outerjoin(tr, sa.and_(tr.c.article_id == articles.c.id, tr.c.lang == target))
    ).where(
        VISIBLE,
        articles.c.language.is_not(None),
        articles.c.language.not_in(_NO_LANGUAGE),
        articles.c.language != target,
        due,
    )


def cached(
    conn: Connection, hashes: Iterable[str], source_lang: str, target: str
) -> dict[str, str]:
    """Text hash -> its translation, for those of these texts already translated."""
    keys = sorted(set(hashes))
    if not keys:
        return {}
    rows = conn.execute(
        sa.select(translation_cache.c.text_hash, translation_cache.c.translated).where(
            translation_cache.c.text_hash.in_(keys),
            translation_cache.c.source_lang == source_lang,
            translation_cache.c.target_lang == target,
        )
    )
    return {str(row.text_hash): str(row.translated) for row in rows}


def remember(
    conn: Connection,
    texts: dict[str, str],
    source_lang: str,
    target: str,
    backend: str,
    model: str,
    now: datetime,
) -> None:
    """Keep these translations (source text -> translated) in the cache."""
    if not texts:
        return
    rows = [
        {
            "text_hash": text_hash(source),
            "source_lang": source_lang,
            "target_lang": target,
            "translated": translated,
            "backend": backend,
            "model": model,
            "created_at": now,
        }
        for source, translated in texts.items()
    ]
    insert = dialect_insert(conn, translation_cache)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=["text_hash", "source_lang", "target_lang"],
            set_={
                "translated": insert.excluded.translated,
                "backend": insert.excluded.backend,
                "model": insert.excluded.model,
                "created_at": insert.excluded.created_at,
            },
        ),
        rows,
    )


def save(
    conn: Connection, done: Sequence[Translation], failed: Sequence[TranslationFailed]
) -> None:
    """Store finished translations and failures; a failure never replaces a translation."""
    for item in done:
        _upsert(
            conn,
            {
                "article_id": item.article_id,
                "lang": item.lang,
                "source_lang": item.source_lang,
                "status": DONE,
                "title": item.title,
                "summary": item.summary,
                "text": item.text,
                "backend": item.backend,
                "model": item.model,
                "error": None,
                "attempts": 0,
                "retry_at": None,
                "translated_at": item.translated_at,
            },
            replace=True,
        )
    for miss in failed:
        _upsert(
            conn,
            {
                "article_id": miss.article_id,
                "lang": miss.target,
                "source_lang": miss.source_lang,
                "status": FAILED,
                "error": miss.error[:1000],
                "attempts": 1,
                "retry_at": miss.retry_at,
                "translated_at": miss.retry_at,
            },
            replace=False,
        )


def _upsert(conn: Connection, row: dict[str, object], *, replace: bool) -> None:
    insert = dialect_insert(conn, article_translations).values(**row)
    changes: dict[str, object] = {k: v for k, v in row.items() if k not in ("article_id", "lang")}
    if replace:
        statement = insert.on_conflict_do_update(
            index_elements=["article_id", "lang"], set_=changes
        )
    else:  # a failed retry counts its attempt and keeps a translation made earlier (--redo)
        changes["attempts"] = article_translations.c.attempts + 1
        statement = insert.on_conflict_do_update(
            index_elements=["article_id", "lang"],
            set_=changes,
            where=article_translations.c.status == FAILED,
        )
    conn.execute(statement)


def of_articles(
    conn: Connection, article_ids: Iterable[int], lang: str | None = None
) -> list[Translation]:
    """The finished translations of these articles (into `lang`, or every language)."""
    ids = sorted(set(article_ids))
    if not ids:
        return []
    t = article_translations.c
    query = sa.select(article_translations).where(t.article_id.in_(ids), t.status == DONE)
    if lang is not None:
        query = query.where(t.lang == lang)
    return [
        Translation(
            int(row.article_id),
            str(row.lang),
            str(row.source_lang),
            row.title,
            row.summary,
            row.text,
            row.backend,
            row.model,
            row.translated_at,
        )
        for row in conn.execute(query)
    ]


def counts(conn: Connection, into: Sequence[str], now: datetime) -> dict[str, int]:
    """Translated, failed and pending (article, language) pairs, for `actuel stats`."""
    t = article_translations.c
    by_status: dict[str, int] = dict(
        conn.execute(
            sa.select(t.status, sa.func.count()).where(t.lang.in_(list(into))).group_by(t.status)
        ).all()
    )
    pending = 0
    for target in into:
        tr = article_translations.alias("tr")
        query = _untranslated(sa.select(sa.func.count()), tr, target, tr.c.article_id.is_(None))
        pending += int(conn.execute(query).scalar_one())
    return {
        "translated": int(by_status.get(DONE, 0)),
        "failed": int(by_status.get(FAILED, 0)),
        "pending": pending,
    }


def request_text(conn: Connection, article_id: int, lang: str, now: datetime) -> None:
    """Remember that a reader asked for the article's whole text in `lang` (once)."""
    conn.execute(
        dialect_insert(conn, translation_requests)
        .values(article_id=article_id, lang=lang, requested_at=now)
        .on_conflict_do_nothing(index_elements=["article_id", "lang"])
    )


def text_requested(conn: Connection, article_id: int) -> set[str]:
    """The languages readers asked the article's whole text in, not translated yet."""
    r = translation_requests.c
    return {
        str(x) for x in conn.execute(sa.select(r.lang).where(r.article_id == article_id)).scalars()
    }


def texts_wanted(
    conn: Connection, into: Sequence[str], limit: int, *, every: bool = False
) -> list[TextWanted]:
    """Translated articles whose whole text is still to be translated: those a reader asked
    for (oldest request first), or with `every` all of them (newest first)."""
    t, r = article_translations.c, translation_requests.c
    requested = sa.exists().where(r.article_id == t.article_id, r.lang == t.lang)
    query = (
        sa.select(t.article_id, t.source_lang, t.lang, articles.c.text)
        .select_from(article_translations.join(articles, articles.c.id == t.article_id))
        .where(
            VISIBLE,
            t.status == DONE,
            t.text.is_(None),
            t.lang.in_(list(into)),
            articles.c.text.is_not(None),
            sa.func.length(articles.c.text) <= MAX_TEXT_CHARS,
        )
        .limit(limit)
    )
    if every:
        query = query.order_by(requested.desc(), t.article_id.desc())
    else:
        oldest = (
            sa.select(sa.func.min(r.requested_at))
            .where(r.article_id == t.article_id, r.lang == t.lang)
            .scalar_subquery()
        )
        query = query.where(requested).order_by(oldest)
    return [
        TextWanted(int(row.article_id), str(row.source_lang), str(row.lang), str(row.text))
        for row in conn.execute(query)
    ]


def save_text(conn: Connection, article_id: int, lang: str, text: str) -> None:
    """An article's whole text in `lang`; the readers' request for it is answered."""
    t, r = article_translations.c, translation_requests.c
    conn.execute(
        article_translations.update()
        .where(t.article_id == article_id, t.lang == lang)
        .values(text=text)
    )
    conn.execute(translation_requests.delete().where(r.article_id == article_id, r.lang == lang))
