"""Each article's rubrique (subject section) and where it came from: the publisher's categories,
its words, or an editor (whose choice re-extraction never undoes).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("rubrique", sa.String(40)))
    op.add_column("articles", sa.Column("rubrique_by", sa.String(16)))


def downgrade() -> None:
    for name in ("rubrique_by", "rubrique"):
        op.execute(f"ALTER TABLE articles DROP COLUMN {name}")  # SQLite 3.35+
