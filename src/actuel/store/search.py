"""Full-text search: FTS5 on SQLite, a tsvector with GIN on PostgreSQL, same query semantics.

User input is reduced to its words, each quoted, all required: no operator a reader types can
change or break the query syntax on either backend.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actuel.model import Article
from actuel.store.articles import article_from_row
from actuel.store.schema import articles

MARK_START = "\x02"  # snippets wrap each match in these; web/render turns them into <mark>
MARK_END = "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_TERMS = 32
_HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def terms(query: str) -> list[str]:
    """The words of a reader's query, in order, without operators or punctuation."""
    return _WORD.findall(query)[:_MAX_TERMS]


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces, for rendering the matches highlighted."""
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet)):
        if piece:
            parts.append((piece, i % 2 == 1))
    return parts


def search(
    conn: Connection, query: str, *, limit: int, lang: str | None, offset: int = 0
) -> list[tuple[Article, str]]:
    words = terms(query)
    if not words:
        return []
    if conn.dialect.name == "postgresql":
        return _postgres(conn, words, limit, lang, offset)
    return _sqlite(conn, words, limit, lang, offset)


def _sqlite(
    conn: Connection, words: list[str], limit: int, lang: str | None, offset: int
) -> list[tuple[Article, str]]:
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    fts = sa.table("articles_fts", sa.column("rowid"))
    snippet = sa.literal_column(
        f"snippet(articles_fts, -1, '{MARK_START}', '{MARK_END}', '…', 24)", sa.Text
    ).label("snippet")
    stmt = (
        sa.select(articles, snippet)
        .select_from(fts.join(articles, articles.c.id == fts.c.rowid))
        .where(sa.text("articles_fts MATCH :match").bindparams(match=match))
        .order_by(sa.text("bm25(articles_fts, 10.0, 2.0, 1.0)"), articles.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if lang is not None:
        stmt = stmt.where(articles.c.language == lang)
    return [(article_from_row(row), row["snippet"]) for row in conn.execute(stmt).mappings()]


def _postgres(
    conn: Connection, words: list[str], limit: int, lang: str | None, offset: int
) -> list[tuple[Article, str]]:
    # rank and cut first, then build headlines for the few rows shown (ts_headline is costly)
    sql = sa.text(
        "WITH q AS (SELECT plainto_tsquery('actuel_search', :words) AS query), "
        "hits AS (SELECT a.id, ts_rank_cd(a.search_vector, q.query) AS rank "
        "FROM articles a, q WHERE a.search_vector @@ q.query "
        "AND (CAST(:lang AS text) IS NULL OR a.language = CAST(:lang AS text)) "
        "ORDER BY rank DESC, a.id DESC LIMIT :limit OFFSET :offset) "
        "SELECT hits.id, ts_headline('actuel_search', "
        "left(coalesce(nullif(a.text, ''), a.summary, a.title), 100000), q.query, :options) "
        "AS snippet FROM hits JOIN articles a ON a.id = hits.id, q "
        "ORDER BY hits.rank DESC, hits.id DESC"
    )
    params = {
        "words": " ".join(words),
        "limit": limit,
        "offset": offset,
        "lang": lang,
        "options": _HEADLINE,
    }
    found = [(int(row.id), str(row.snippet)) for row in conn.execute(sql, params)]
    if not found:
        return []
    rows = conn.execute(sa.select(articles).where(articles.c.id.in_([i for i, _ in found])))
    by_id = {row["id"]: article_from_row(row) for row in rows.mappings()}
    return [(by_id[i], snippet) for i, snippet in found if i in by_id]
