"""Stories: groups of articles about one event, their members' relations, credits and quotes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column(
            "original_article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="SET NULL", name="fk_stories_original"),
        ),
        sa.Column("original_credit", sa.Text),
        sa.Column("first_published_at", UTCDateTime),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("article_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("languages", sa.Text, nullable=False, server_default=""),
        sa.Column("category", sa.Text),
        sa.Column(
            "merged_into",
            BigId,
            sa.ForeignKey("stories.id", ondelete="SET NULL", name="fk_stories_merged_into"),
        ),
        sa.Column("human_locked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("key", name="uq_stories_key"),
    )
    op.create_index("ix_stories_listing", "stories", ["merged_into", "updated_at", "id"])
    op.create_index(
        "ix_stories_category_listing", "stories", ["category", "merged_into", "updated_at", "id"]
    )
    op.create_index("ix_stories_original", "stories", ["original_article_id"])

    op.create_table(
        "story_articles",
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_story_articles_article"),
            primary_key=True,
        ),
        sa.Column(
            "story_id",
            BigId,
            sa.ForeignKey("stories.id", ondelete="CASCADE", name="fk_story_articles_story"),
            nullable=False,
        ),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column(
            "derived_from",
            BigId,
            sa.ForeignKey("articles.id", ondelete="SET NULL", name="fk_story_articles_derived"),
        ),
        sa.Column("confidence", sa.Float),
        sa.Column("evidence", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_story_articles_story", "story_articles", ["story_id"])

    op.create_table(
        "article_credits",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_article_credits_article"),
            nullable=False,
        ),
        sa.Column("outlet", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("phrase", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_article_credits_article", "article_credits", ["article_id"])

    op.create_table(
        "article_quotes",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_article_quotes_article"),
            nullable=False,
        ),
        sa.Column("quote_key", sa.String(255), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("lang", sa.String(16)),
    )
    op.create_index("ix_article_quotes_article", "article_quotes", ["article_id"])
    op.create_index("ix_article_quotes_key", "article_quotes", ["quote_key"])


def downgrade() -> None:
    op.drop_table("article_quotes")
    op.drop_table("article_credits")
    op.drop_table("story_articles")
    op.drop_table("stories")
