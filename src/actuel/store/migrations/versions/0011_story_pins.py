"""Stories pinned by an editor at the top of the home page, kept by one of their articles.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "story_pins",
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("pinned_by", sa.Text, nullable=False, server_default=""),
        sa.Column("pinned_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_pins")
