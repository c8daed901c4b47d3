"""Hosts that asked us to wait: a 429 or 503 with Retry-After, kept for every process.

The wait lived in the memory of the process that was told; a later `actuel fetch` (cron),
`--source` or `sources add` asked the host again at once.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from actuel.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "host_holds",
        sa.Column("host", sa.String(300), primary_key=True),
        sa.Column("until", UTCDateTime, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("host_holds")
