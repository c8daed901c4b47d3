"""Comments under articles with their moderation status; keys the site generates and keeps.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_comments_article"),
            nullable=False,
        ),
        sa.Column("author_name", sa.Text, nullable=False),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("hold_reason", sa.String(32)),
        sa.Column("address_hash", sa.String(64)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("moderated_at", UTCDateTime),
        sa.UniqueConstraint("article_id", "text_hash", name="uq_comments_article_text"),
    )
    op.create_index("ix_comments_article", "comments", ["article_id", "status", "created_at", "id"])
    op.create_index("ix_comments_status", "comments", ["status", "created_at", "id"])
    op.create_index("ix_comments_email", "comments", ["email_hash", "status"])
    op.create_table(
        "site_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("site_secrets")
    op.drop_table("comments")
