"""Machine translations: each article's title and lead in the site's languages, and a cache of
translated texts by their words and pair, remembering the backend and model that made them.

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


def upgrade() -> None:
    op.create_table(
        "article_translations",
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("lang", sa.String(16), primary_key=True),
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


def downgrade() -> None:
    op.drop_table("translation_cache")
    op.drop_table("article_translations")
