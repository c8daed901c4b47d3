"""Articles an editor hid or corrected: hidden_at; edited_at with the title and summary as
extracted (original_title, original_summary) while `title` and `summary` hold the correction,
so that every page, feed and the search index show it, and re-extraction never undoes it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTERs on both backends: a batch on SQLite would copy the table and lose its
    # expression indexes and search triggers
    op.add_column("articles", sa.Column("hidden_at", UTCDateTime))
    op.add_column("articles", sa.Column("edited_at", UTCDateTime))
    op.add_column("articles", sa.Column("original_title", sa.Text))
    op.add_column("articles", sa.Column("original_summary", sa.Text))


def downgrade() -> None:
    for name in ("original_summary", "original_title", "edited_at", "hidden_at"):
        op.execute(f"ALTER TABLE articles DROP COLUMN {name}")  # SQLite 3.35+
