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
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("hidden_at", UTCDateTime))
        batch.add_column(sa.Column("edited_at", UTCDateTime))
        batch.add_column(sa.Column("original_title", sa.Text))
        batch.add_column(sa.Column("original_summary", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        for name in ("original_summary", "original_title", "edited_at", "hidden_at"):
            batch.drop_column(name)
