"""Initial schema: sources, articles, pages, fetches and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SORT = "coalesce(published_at, first_seen_at)"
# PostgreSQL caps a tsvector at 1 MB; the first 200,000 characters of a text are plenty to find it
SEARCH_CHARS = 200_000


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("kind", sa.String(16), nullable=False, server_default="feed"),
        sa.Column("lang", sa.String(16)),
        sa.Column("category", sa.Text),
        sa.Column("interval_s", sa.Integer),
        sa.Column("site_url", sa.Text),
        sa.Column("state", sa.String(16), nullable=False, server_default="active"),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("next_poll_at", UTCDateTime),
        sa.Column("last_polled_at", UTCDateTime),
        sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("url", name="uq_sources_url"),
    )
    op.create_index("ix_sources_due", "sources", ["state", "next_poll_at"])

    op.create_table(
        "articles",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="CASCADE", name="fk_articles_source"),
            nullable=False,
        ),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text, nullable=False),
        sa.Column("guid", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("summary", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published_at", UTCDateTime),
        sa.Column("language", sa.String(16)),
        sa.Column("image", sa.Text),
        sa.Column("site_name", sa.Text),
        sa.Column("content_hash", sa.String(128)),
        sa.Column("from_feed_only", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("page_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_page_attempt_at", UTCDateTime),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("extracted_at", UTCDateTime),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.UniqueConstraint("source_id", "guid", name="uq_articles_source_guid"),
        sa.UniqueConstraint("source_id", "content_hash", name="uq_articles_source_content_hash"),
    )
    op.create_index("ix_articles_sort", "articles", [sa.text(SORT), "id"])
    op.create_index("ix_articles_language_sort", "articles", ["language", sa.text(SORT), "id"])
    op.create_index("ix_articles_source_sort", "articles", ["source_id", sa.text(SORT), "id"])
    op.create_index("ix_articles_page_due", "articles", ["from_feed_only", "next_page_attempt_at"])

    op.create_table(
        "pages",
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_pages_article"),
            primary_key=True,
        ),
        sa.Column("final_url", sa.Text),
        sa.Column("content_type", sa.Text),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("html_z", sa.LargeBinary, nullable=False),
    )

    op.create_table(
        "fetches",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("sources.id", ondelete="SET NULL", name="fk_fetches_source"),
        ),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, server_default="feed"),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("elapsed_ms", sa.Integer),
        sa.Column("wire_bytes", sa.BigInteger),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_fetches_source", "fetches", ["source_id"])
    op.create_index("ix_fetches_started", "fetches", ["started_at"])

    if op.get_bind().dialect.name == "postgresql":
        _postgres_search()
    else:
        _sqlite_search()


def _sqlite_search() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, summary, text, content='articles', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, summary, text) "
        "VALUES (new.id, new.title, coalesce(new.summary, ''), new.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, summary, text) "
        "VALUES ('delete', old.id, old.title, coalesce(old.summary, ''), old.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, text ON articles "
        "BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, summary, text) "
        "VALUES ('delete', old.id, old.title, coalesce(old.summary, ''), old.text); "
        "INSERT INTO articles_fts(rowid, title, summary, text) "
        "VALUES (new.id, new.title, coalesce(new.summary, ''), new.text); END"
    )


def _postgres_search() -> None:
    bind = op.get_bind()
    unaccent = _unaccent_dictionary(bind)
    op.execute("CREATE TEXT SEARCH CONFIGURATION actuel_search (COPY = pg_catalog.simple)")
    if unaccent:
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION actuel_search "
            "ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part "
            f"WITH {unaccent}, pg_catalog.simple"
        )

    def vector(column: str, weight: str) -> str:
        return (
            f"setweight(to_tsvector('actuel_search'::regconfig, "
            f"left(coalesce({column}, ''), {SEARCH_CHARS})), '{weight}')"
        )

    op.execute(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"{vector('title', 'A')} || {vector('summary', 'C')} || {vector('text', 'B')}"
        ") STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search_vector)")


def _unaccent_dictionary(bind: sa.Connection) -> str | None:
    """The schema-qualified unaccent dictionary, installing the extension when allowed."""
    find = sa.text(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(d.dictname) "
        "FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace "
        "WHERE d.dictname = 'unaccent' ORDER BY n.nspname = 'public' DESC LIMIT 1"
    )
    found = bind.execute(find).scalar()
    if found:
        return str(found)
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except sa.exc.DBAPIError:
        return None  # not installed on the server or no privilege: accents then count
    found = bind.execute(find).scalar()
    return str(found) if found else None


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS actuel_search")
    else:
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_table("fetches")
    op.drop_table("pages")
    op.drop_table("articles")
    op.drop_table("sources")
