"""The site's generation: one counter, moved by the writes that change what pages show.

Page caches compared a token that moved on any commit (PRAGMA data_version, the PostgreSQL
snapshot), so a fetch that stored nothing new (a fetch log row, a source's next poll time) or a
comment held for moderation emptied them. The store now moves this counter in the transaction
of each write that changes pages: articles, stories, published comments, sources' names.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "site_generation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("site_generation")
