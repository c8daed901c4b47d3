"""Table definitions of the admin's rows: users, sessions, API tokens, story corrections."""

from __future__ import annotations

import sqlalchemy as sa

from actuel.store.schema import BigId, metadata
from actuel.store.types import UTCDateTime

admin_users = sa.Table(
    "admin_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_login_at", UTCDateTime),
    # a one-time password (the demo's first admin): every admin page asks for a new one first
    sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()),
)

admin_sessions = sa.Table(
    "admin_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("admin_users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.Text, nullable=False, server_default=""),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("admin_users.id", ondelete="CASCADE")),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime),
)

story_corrections = sa.Table(
    "story_corrections",
    metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # original, merge, split
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("other_article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE")),
    sa.Column("created_by", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

# A story an editor pinned at the top of the home page, kept by one of its articles (the one
# the story had as original) so that the pin follows the story through every re-clustering.
story_pins = sa.Table(
    "story_pins",
    metadata,
    sa.Column(
        "article_id", BigId, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("pinned_by", sa.Text, nullable=False, server_default=""),
    sa.Column("pinned_at", UTCDateTime, nullable=False),
)
