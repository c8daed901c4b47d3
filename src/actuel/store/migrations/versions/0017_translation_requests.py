"""Readers' requests for an article's whole text in their language, kept until it is translated.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "translation_requests",
        sa.Column(
            "article_id",
            BigId,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("lang", sa.String(16), primary_key=True),
        sa.Column("requested_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("translation_requests")
