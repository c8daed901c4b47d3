"""A source's last error keeps its stable code beside its message.

The admin shows the error in the site's language from the code (fetch.connect, parse, …); the
message, written for logs and the CLI, stays English beneath it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("last_error_code", sa.String(64)))


def downgrade() -> None:
    op.execute("ALTER TABLE sources DROP COLUMN last_error_code")  # SQLite 3.35+
