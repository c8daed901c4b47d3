"""Bringing a database's schema to the head revision with Alembic, in one transaction."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from actuel.errors import StoreError
from actuel.store.db import WRITE

log = logging.getLogger("actuel.store")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# any fixed number: PostgreSQL workers opening the same database migrate one after another
_PG_MIGRATION_LOCK = 0x61637475656C


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, label: str) -> None:
    """Migrate to head; an interruption leaves schema and version as they were (one transaction)."""
    head = head_revision()
    with engine.connect() as probe:
        if current_revision(probe) == head:
            return
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            if current_revision(conn) == head:  # another process migrated while we waited
                return
            _refuse_unknown_revision(current_revision(conn), label)
            config = _config()
            config.attributes["connection"] = conn
            before = current_revision(conn)
            try:
                command.upgrade(config, "head")
            except sa.exc.DBAPIError as exc:
                raise StoreError(
                    f"migrating the schema from {before or 'none'} to {head} failed: {exc.orig}",
                    fix="nothing was changed; check the database server's log and permissions",
                    source=label,
                ) from exc
    log.info("schema migrated", extra={"database": label, "from": before, "to": head})


def _refuse_unknown_revision(current: str | None, label: str) -> None:
    if current is None:
        return
    scripts = ScriptDirectory.from_config(_config())
    if current not in {script.revision for script in scripts.walk_revisions()}:
        raise StoreError(
            f"the schema is at revision {current}, which this version of actuel does not know",
            fix="a newer actuel wrote this database: upgrade actuel, or restore a backup",
            source=label,
        )


def check_current(engine: Engine, label: str) -> None:
    """For read-only stores: refuse a schema that is not at head."""
    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
    _refuse_unknown_revision(current, label)
    if current != head:
        raise StoreError(
            f"the schema is at revision {current or 'none'}, this version of actuel needs {head}",
            fix="run a command that writes once (e.g. `actuel sources list`) to migrate it",
            source=label,
        )
