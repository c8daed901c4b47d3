"""Machine translations: each article's title and lead (and text, when asked) in the site's
languages, a cache of translated texts by their words and pair remembering the backend and model
that made them, readers' requests for whole texts, and search by the translations' words (SQLite:
an FTS5 table kept by triggers; PostgreSQL: a generated search vector in each translation's row).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SEARCH_CHARS = 200_000  # as in 0003: PostgreSQL caps a tsvector at 1 MB
# the language a translation is in -> its configuration (0003's); others use actuel_search
CONFIGS = {"fr": "actuel_fr", "en": "actuel_en"}
SQLITE_TRIGGERS = ("translations_fts_insert", "translations_fts_delete", "translations_fts_update")

INDEX_ROW = """
  INSERT INTO translations_fts(rowid, article_id, title, summary)
  SELECT new.rowid, new.article_id, actuel_search_keys(new.title, new.lang),
    actuel_search_keys(new.summary, new.lang)
  WHERE new.status = 'done';
"""
SQLITE = (
    # the article's id rides along (UNINDEXED): a match names its article without a join
    "CREATE VIRTUAL TABLE translations_fts USING fts5("
    "article_id UNINDEXED, title, summary, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER translations_fts_insert AFTER INSERT ON article_translations BEGIN"
    + INDEX_ROW
    + "END",
    "CREATE TRIGGER translations_fts_delete AFTER DELETE ON article_translations BEGIN\n"
    "  DELETE FROM translations_fts WHERE rowid = old.rowid;\nEND",
    "".join(
        (
            "CREATE TRIGGER translations_fts_update AFTER UPDATE ON article_translations BEGIN\n",
            "  DELETE FROM translations_fts WHERE rowid = old.rowid;",
            INDEX_ROW,
            "END",
        )
    ),
    "INSERT INTO translations_fts(rowid, article_id, title, summary) "
    "SELECT rowid, article_id, actuel_search_keys(title, lang), actuel_search_keys(summary, lang) "
    "FROM article_translations WHERE status = 'done'",
)


def _vector(config: str) -> str:
    def part(column: str, weight: str) -> str:
        return (
            f"setweight(to_tsvector('{config}'::regconfig, "
            f"left(coalesce({column}, ''), {SEARCH_CHARS})), '{weight}')"
        )

    return f"{part('title', 'A')} || {part('summary', 'C')}"


def _article_and_language() -> tuple[sa.Column[int], sa.Column[str]]:
    """The key of a row about one article in one language."""
    return (
        sa.Column(
            "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("lang", sa.String(16), primary_key=True),
    )


def upgrade() -> None:
    op.create_table(
        "article_translations",
        *_article_and_language(),
        sa.Column("source_lang", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("backend", sa.String(32)),
        sa.Column("model", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retry_at", UTCDateTime),
        sa.Column("translated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "translation_cache",
        sa.Column("text_hash", sa.String(64), primary_key=True),
        sa.Column("source_lang", sa.String(16), primary_key=True),
        sa.Column("target_lang", sa.String(16), primary_key=True),
        sa.Column("translated", sa.Text, nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "translation_requests",
        *_article_and_language(),
        sa.Column("requested_at", UTCDateTime, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        cases = " ".join(f"WHEN '{code}' THEN {_vector(cfg)}" for code, cfg in CONFIGS.items())
        op.execute(
            "ALTER TABLE article_translations ADD COLUMN search_vector tsvector GENERATED ALWAYS "
            f"AS (CASE WHEN status <> 'done' THEN NULL ELSE CASE lang {cases} "
            f"ELSE {_vector('actuel_search')} END END) STORED"
        )
        op.execute(
            "CREATE INDEX ix_article_translations_search ON article_translations "
            "USING gin (search_vector)"
        )
    else:
        for statement in SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_article_translations_search")
        op.execute("ALTER TABLE article_translations DROP COLUMN IF EXISTS search_vector")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS translations_fts")
    op.drop_table("translation_requests")
    op.drop_table("translation_cache")
    op.drop_table("article_translations")
