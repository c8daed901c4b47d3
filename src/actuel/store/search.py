"""Full-text search: stemmed FTS5 on SQLite, per-language tsvector on PostgreSQL, same semantics.

A reader's query is reduced to its words; each must match, as a French, English or plain word
(or only in the filter's language), accents and case aside. No operator a reader types can change
or break the query syntax on either backend. Results rank by relevance; a story shows once, with
its best article, when `group_stories` is on. Relevance (bm25 / ts_rank_cd) orders the newest
CANDIDATES matches: a news archive's reader wants recent reports, and a common word then costs
a bounded time instead of one that grows with the archive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.model import Article
from actuel.store.articles import VISIBLE, article_from_row
from actuel.store.schema import (
    article_translations,
    articles,
    sort_time,
    stories,
    story_articles,
)
from actuel.store.snippets import snippet
from actuel.store.stemming import WORD, query_keys

MAX_TERMS = 32
OVERFETCH = 4  # rows ranked per result wanted when one story may fill several
SQLITE_WEIGHTS = "10.0, 2.0, 1.0, 0.0"  # title, summary, text, lang
# relevance ranks the newest matches only: a word found in most articles costs no more than this.
# On 100,000 articles (bench/search.py, PostgreSQL, load 2.4): 2,000 gave p95 83 ms with 30 ms of
# server CPU a search (ranking reads each candidate's vector), 500 gives p95 41 ms with 11 ms
CANDIDATES = 500
# PostgreSQL: newest articles checked one by one before the GIN index is asked for older matches
RECENT_ROWS = 5_000
POSTGRES_CONFIGS = {"fr": "actuel_fr", "en": "actuel_en"}  # as migration 0003 made them


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search: article language, outlet (source id), [since, until) in time."""

    lang: str | None = None
    source_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class SearchHit:
    """One result: the article, its snippet (matches marked), and its story when it has one."""

    article: Article
    snippet: str
    story_key: str | None = None
    story_title: str | None = None
    story_articles: int = 0


@dataclass
class SearchPage:
    hits: list[SearchHit]
    has_more: bool


def terms(query: str) -> list[str]:
    """The words of a reader's query, in order, without operators or punctuation."""
    return WORD.findall(query)[:MAX_TERMS]


def find(
    conn: Connection,
    query: str,
    filters: SearchFilters,
    *,
    limit: int,
    offset: int = 0,
    group_stories: bool = False,
) -> SearchPage:
    """A page of results: `offset` results skipped, at most `limit` shown."""
    words = terms(query)
    wanted = [query_keys(word, filters.lang) for word in words]
    wanted = [keys for keys in wanted if keys]
    if not wanted or limit <= 0:
        return SearchPage([], False)
    needed = offset + limit + 1  # one more tells whether a next page exists
    fetch = needed * OVERFETCH if group_stories else needed
    while True:
        ranked = _ranked(conn, words, wanted, filters, fetch)
        found = _stories(conn, ranked)
        chosen = _one_per_story(found) if group_stories else found
        if len(chosen) >= needed or len(ranked) < fetch:
            break
        fetch *= 4  # one story holds many of the best matches: look further down
    shown = chosen[offset : offset + limit]
    rows = _articles(conn, [story.article_id for story in shown])
    hits = [
        SearchHit(
            article=rows[story.article_id],
            snippet=snippet(rows[story.article_id], wanted),
            story_key=story.key,
            story_title=story.title,
            story_articles=story.article_count,
        )
        for story in shown
        if story.article_id in rows
    ]
    return SearchPage(hits, len(chosen) > offset + limit)


def search(
    conn: Connection, query: str, *, limit: int, lang: str | None, offset: int = 0
) -> list[tuple[Article, str]]:
    """(article, snippet) pairs, best first: `find` without filters beyond the language."""
    page = find(conn, query, SearchFilters(lang=lang), limit=limit, offset=offset)
    return [(hit.article, hit.snippet) for hit in page.hits]


@dataclass(frozen=True)
class _Ranked:
    article_id: int
    story_id: int | None
    key: str | None
    title: str | None
    article_count: int


def _one_per_story(found: list[_Ranked]) -> list[_Ranked]:
    seen: set[int] = set()
    kept = []
    for item in found:
        if item.story_id is not None:
            if item.story_id in seen:
                continue
            seen.add(item.story_id)
        kept.append(item)
    return kept


def _filters(filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [VISIBLE]
    if filters.lang is not None:
        where.append(articles.c.language == filters.lang)
    if filters.source_id is not None:
        where.append(articles.c.source_id == filters.source_id)
    if filters.since is not None:
        where.append(sort_time() >= filters.since)
    if filters.until is not None:
        where.append(sort_time() < filters.until)
    return where


def _ranked(
    conn: Connection,
    words: list[str],
    wanted: list[set[str]],
    filters: SearchFilters,
    fetch: int,
) -> list[int]:
    """Ids of the best `fetch` matches among the newest CANDIDATES, best first: articles by
    their own words and by their machine translations' (in turns, each article once)."""
    if conn.dialect.name == "postgresql":
        own = _postgres_ranked(conn, words, filters, fetch)
        translated = _postgres_translated(conn, words, filters, fetch)
    else:
        own = [int(i) for i in conn.execute(_sqlite(wanted, filters, fetch)).scalars()]
        # the translations are in the reader's language, not the filter's: every stemming
        keys = wanted if filters.lang is None else [k for w in words if (k := query_keys(w, None))]
        query = _sqlite_translated(keys, filters, fetch)
        translated = [int(i) for i in conn.execute(query).scalars()]
    return _in_turns(own, translated, fetch)


def _in_turns(own: list[int], translated: list[int], fetch: int) -> list[int]:
    """Own matches and translations' matches taken in turns: their scores come from two
    indexes and do not compare, and a French reader should see the English report that
    matches in French among the first results, not after every French one."""
    merged: list[int] = []
    seen: set[int] = set()
    for pair in zip_longest(own, translated):
        for article_id in pair:
            if article_id is not None and article_id not in seen:
                seen.add(article_id)
                merged.append(article_id)
    return merged[:fetch]


def _match_words(wanted: list[set[str]]) -> str:
    return " AND ".join(
        "(" + " OR ".join('"' + key.replace('"', '""') + '"' for key in sorted(keys)) + ")"
        for keys in wanted
    )


def _sqlite_translated(
    wanted: list[set[str]], filters: SearchFilters, fetch: int
) -> sa.Select[Any]:
    fts = sa.table("translations_fts", sa.column("rowid"), sa.column("article_id"))
    allowed = sa.select(articles.c.id).where(*_filters(filters))
    newest = (
        sa.select(
            fts.c.article_id.label("id"),
            sa.literal_column("bm25(translations_fts, 0.0, 10.0, 2.0)").label("score"),
        )
        .where(
            sa.text("translations_fts MATCH :tmatch").bindparams(
                tmatch="{title summary} : (" + _match_words(wanted) + ")"
            ),
            fts.c.article_id.in_(allowed),
        )
        .order_by(fts.c.rowid.desc())
        .limit(CANDIDATES)
    )
    return _best(newest.subquery(), fetch)


_TRANSLATION_VECTOR: sa.ColumnElement[Any] = sa.literal_column("article_translations.search_vector")


def _postgres_translated(
    conn: Connection, words: list[str], filters: SearchFilters, fetch: int
) -> list[int]:
    """The best `fetch` of the newest CANDIDATES translations matching, by article id."""
    query = _tsquery(words, SearchFilters())  # a translation is in the reader's language
    newest = (
        sa.select(
            article_translations.c.article_id.label("id"),
            sa.func.ts_rank_cd(_TRANSLATION_VECTOR, query).label("score"),
        )
        .select_from(
            article_translations.join(articles, articles.c.id == article_translations.c.article_id)
        )
        .where(_TRANSLATION_VECTOR.op("@@")(query), *_filters(filters))
        .order_by(article_translations.c.article_id.desc())
        .limit(CANDIDATES)
        .subquery()
    )
    stmt = sa.select(newest.c.id).order_by(newest.c.score.desc(), newest.c.id.desc()).limit(fetch)
    return [int(i) for i in conn.execute(stmt).scalars()]


def _sqlite(wanted: list[set[str]], filters: SearchFilters, fetch: int) -> sa.Select[Any]:
    match = "{title summary text} : (" + _match_words(wanted) + ")"
    if filters.lang is not None:
        match += ' AND lang : "lang' + "".join(c for c in filters.lang if c.isalnum()) + '"'
    fts = sa.table("articles_fts", sa.column("rowid"))
    # FTS5 walks the matches newest first and stops at the cap: bm25 runs on CANDIDATES rows
    newest = (
        sa.select(
            fts.c.rowid.label("id"),
            sa.literal_column(f"bm25(articles_fts, {SQLITE_WEIGHTS})").label("score"),
        )
        .where(sa.text("articles_fts MATCH :match").bindparams(match=match))
        .order_by(fts.c.rowid.desc())
        .limit(CANDIDATES)
    )
    if filters.source_id is not None or filters.since or filters.until:
        # an article's outlet and dates sit behind its text in the row: read them from the
        # covering indexes (outlet, time / time), once per search, not row by row; the unary +
        # keeps FTS5 from looking each id up in its index
        allowed = sa.select(articles.c.id).where(*_filters(filters))
        newest = newest.where(sa.literal_column("+articles_fts.rowid").in_(allowed))
    return _best(newest.subquery(), fetch)


def _best(newest: sa.Subquery, fetch: int) -> sa.Select[Any]:
    return sa.select(newest.c.id).order_by(newest.c.score, newest.c.id.desc()).limit(fetch)


def _config(name: str) -> sa.ColumnElement[Any]:
    return sa.literal_column(f"'{name}'::regconfig")


def _tsquery(words: list[str], filters: SearchFilters) -> sa.ColumnElement[Any]:
    if filters.lang is not None:
        configs = [POSTGRES_CONFIGS.get(filters.lang, "actuel_search")]
    else:
        configs = [*POSTGRES_CONFIGS.values(), "actuel_search"]
    query: sa.ColumnElement[Any] | None = None
    for word in words:
        either: sa.ColumnElement[Any] | None = None
        for config in configs:
            one = sa.func.plainto_tsquery(_config(config), word)
            either = one if either is None else either.op("||")(one)
        assert either is not None
        query = either if query is None else query.op("&&")(either)
    assert query is not None
    return query


_VECTOR: sa.ColumnElement[Any] = sa.literal_column("articles.search_vector")


def _postgres_ranked(
    conn: Connection, words: list[str], filters: SearchFilters, fetch: int
) -> list[int]:
    """The best `fetch` of the newest CANDIDATES matches, best first.

    The planner cannot tell how many articles match all the words (it assumes they are
    independent), so it may walk the whole table for a rare pair. Here the newest RECENT_ROWS
    articles are walked first (each vector sits in its row: a quick check), which shows how
    common the match is; then the GIN index gives the older matches, over as many ids as that
    density says hold the rest. Each part ranks its own matches as it reads them, and the best
    of each part compete here.
    """
    query = _tsquery(words, filters)
    matches = [_VECTOR.op("@@")(query), *_filters(filters)]
    rank = sa.func.ts_rank_cd(_VECTOR, query)
    # psycopg prepares a statement run five times, and PostgreSQL then plans it once for any
    # words: a plan made for a rare word, used for a common one (or back), costs 10x
    top = conn.execute(
        sa.select(sa.func.max(articles.c.id), _set_local("plan_cache_mode", "force_custom_plan"))
    ).scalar()
    if top is None:
        return []
    # the newest RECENT_ROWS articles, row by row: a common word ends the walk there
    span = articles.c.id > int(top) - RECENT_ROWS
    found, best = _newest_ranked(conn, [span, *matches], rank, CANDIDATES, fetch)
    ceiling = int(top) - RECENT_ROWS
    if found < CANDIDATES and ceiling > 0:
        # rarer: the GIN index gives the matches, and its bitmap is cut to the ids that the
        # density seen so far says hold the rest (its heap pages are the cost: one per match)
        with conn.begin_nested() as only_here:  # the settings end with the savepoint
            conn.execute(
                sa.select(
                    _set_local("enable_indexscan", "off"), _set_local("enable_seqscan", "off")
                )
            )
            while found < CANDIDATES and ceiling > 0:
                needed = CANDIDATES - found
                density = found / (int(top) - ceiling)
                floor = 0 if density < 0.01 else int(ceiling - needed / density * 1.25 - 100)
                span = (articles.c.id > floor) & (articles.c.id <= ceiling)
                count, ranked = _newest_ranked(conn, [span, *matches], rank, needed, fetch)
                found, best, ceiling = found + count, best + ranked, floor
            only_here.rollback()
    best.sort(key=lambda pair: (-pair[0], -pair[1]))
    return [article_id for _, article_id in best[:fetch]]


def _set_local(name: str, value: str) -> sa.ColumnElement[Any]:
    """SET LOCAL as an expression, to ride along with a statement sent anyway."""
    return sa.func.set_config(sa.literal(name), sa.literal(value), sa.true())


def _newest_ranked(
    conn: Connection,
    where: list[sa.ColumnElement[bool]],
    rank: sa.ColumnElement[Any],
    limit: int,
    fetch: int,
) -> tuple[int, list[tuple[float, int]]]:
    """How many of the newest `limit` matches there are, and the best `fetch` of them (score,
    id), ranked as they are read: fetching them again by id would read each row twice."""
    newest = (
        sa.select(articles.c.id, rank.label("score"))
        .where(*where)
        .order_by(articles.c.id.desc())
        .limit(limit)
        .subquery()
    )
    counted = sa.select(newest, sa.func.count().over().label("found")).subquery()
    stmt = (
        sa.select(counted.c.id, counted.c.score, counted.c.found)
        .order_by(counted.c.score.desc(), counted.c.id.desc())
        .limit(fetch)
    )
    rows = conn.execute(stmt).all()
    return (int(rows[0].found) if rows else 0), [(float(r.score), int(r.id)) for r in rows]


def _stories(conn: Connection, ranked: list[int]) -> list[_Ranked]:
    """The ranked articles' stories, in rank order."""
    if not ranked:
        return []
    stmt = (
        sa.select(
            story_articles.c.article_id,
            story_articles.c.story_id,
            stories.c.key,
            stories.c.title,
            stories.c.article_count,
        )
        .select_from(story_articles.join(stories, stories.c.id == story_articles.c.story_id))
        .where(story_articles.c.article_id.in_(ranked))
    )
    by_id = {int(row.article_id): row for row in conn.execute(stmt)}
    found = []
    for article_id in ranked:
        row = by_id.get(article_id)
        if row is None:
            found.append(_Ranked(article_id, None, None, None, 0))
        else:
            found.append(
                _Ranked(article_id, int(row.story_id), row.key, row.title, int(row.article_count))
            )
    return found


def _articles(conn: Connection, ids: list[int]) -> dict[int, Article]:
    if not ids:
        return {}
    rows = conn.execute(sa.select(articles).where(articles.c.id.in_(ids), VISIBLE)).mappings()
    return {int(row["id"]): article_from_row(row) for row in rows}
