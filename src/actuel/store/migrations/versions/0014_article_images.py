"""Local copies of articles' images (resized WebP), or why there is none: the site no longer
hotlinks outlets' images.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "article_images",
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("content_type", sa.String(40)),
        sa.Column("width", sa.Integer),
        sa.Column("height", sa.Integer),
        sa.Column("data", sa.LargeBinary),
        sa.Column("error", sa.Text),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("article_images")
