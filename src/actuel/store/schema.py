"""Table definitions the queries use; the migrations in migrations/versions/ create them."""

from __future__ import annotations

import sqlalchemy as sa

from actuel.store.types import UTCDateTime

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
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
    sa.Column("last_error_code", sa.String(64)),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column(
        "source_id",
        sa.Integer,
        sa.ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
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
    # an editor's decisions (admin): hidden from readers; title and summary corrected, the
    # extracted ones kept beside (re-extraction never undoes a correction)
    sa.Column("hidden_at", UTCDateTime),
    sa.Column("edited_at", UTCDateTime),
    sa.Column("original_title", sa.Text),
    sa.Column("original_summary", sa.Text),
    sa.Column("rubrique", sa.String(40)),  # subject section (enrich/rubriques.py)
    sa.Column("rubrique_by", sa.String(16)),  # category, text, editor
    sa.UniqueConstraint("source_id", "guid", name="uq_articles_source_guid"),
    sa.UniqueConstraint("source_id", "content_hash", name="uq_articles_source_content_hash"),
)

# A local, re-encoded copy of each article's image (images/thumbnail.py), or why there is none
article_images = sa.Table(
    "article_images",
    metadata,
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("source_url", sa.Text, nullable=False),
    sa.Column("content_type", sa.String(40)),
    sa.Column("width", sa.Integer),
    sa.Column("height", sa.Integer),
    sa.Column("data", sa.LargeBinary),  # None: refused or unreachable (see error)
    sa.Column("error", sa.Text),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
)

# an article's title and lead (and text, when asked) machine-translated into one language
article_translations = sa.Table(
    "article_translations",
    metadata,
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("lang", sa.String(16), primary_key=True),
    sa.Column("source_lang", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # done, or failed (see error, retry_at)
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

# a reader asked for the article's whole text in this language (done when the text is there)
translation_requests = sa.Table(
    "translation_requests",
    metadata,
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("lang", sa.String(16), primary_key=True),
    sa.Column("requested_at", UTCDateTime, nullable=False),
)

# texts already translated, by the SHA-256 of their words and the pair: copies cost nothing
translation_cache = sa.Table(
    "translation_cache",
    metadata,
    sa.Column("text_hash", sa.String(64), primary_key=True),
    sa.Column("source_lang", sa.String(16), primary_key=True),
    sa.Column("target_lang", sa.String(16), primary_key=True),
    sa.Column("translated", sa.Text, nullable=False),
    sa.Column("backend", sa.String(32), nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

pages = sa.Table(
    "pages",
    metadata,
    sa.Column(
        "article_id",
        BigId,
        sa.ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("final_url", sa.Text),
    sa.Column("content_type", sa.Text),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.Column("html_z", sa.LargeBinary, nullable=False),
)

fetches = sa.Table(
    "fetches",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="SET NULL")),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False, server_default="feed"),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.Integer),
    sa.Column("elapsed_ms", sa.Integer),
    sa.Column("wire_bytes", sa.BigInteger),
    sa.Column("error_code", sa.String(64)),
    sa.Column("error", sa.Text),
)


stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("key", sa.String(64), nullable=False, unique=True),
    sa.Column("title", sa.Text),
    sa.Column("summary", sa.Text),
    sa.Column("original_article_id", BigId, sa.ForeignKey("articles.id", ondelete="SET NULL")),
    sa.Column("original_credit", sa.Text),
    sa.Column("first_published_at", UTCDateTime),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("languages", sa.Text, nullable=False, server_default=""),  # "en,fr"
    sa.Column("category", sa.Text),
    sa.Column("merged_into", BigId, sa.ForeignKey("stories.id", ondelete="SET NULL")),
    sa.Column("human_locked", sa.Boolean, nullable=False, server_default=sa.false()),
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("story_id", BigId, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    sa.Column("relation", sa.String(16), nullable=False),
    sa.Column("derived_from", BigId, sa.ForeignKey("articles.id", ondelete="SET NULL")),
    sa.Column("confidence", sa.Float),
    sa.Column("evidence", sa.Text, nullable=False, server_default="{}"),  # JSON
)

article_credits = sa.Table(
    "article_credits",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("outlet", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("phrase", sa.Text, nullable=False, server_default=""),
)

article_quotes = sa.Table(
    "article_quotes",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("quote_key", sa.String(255), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("lang", sa.String(16)),
)


def sort_time() -> sa.ColumnElement[object]:
    """An article's place in the timeline: when it was published, else when we first saw it."""
    return sa.func.coalesce(articles.c.published_at, articles.c.first_seen_at, type_=UTCDateTime)
