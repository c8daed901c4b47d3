"""Alembic environment: runs on the connection the store hands over, inside its transaction."""

from __future__ import annotations

import os
import time
from pathlib import Path

from alembic import context

from actuel.store.schema import metadata

# test hook: touch this file, then sleep, inside the migration transaction, so a test can kill us
HOLD_ENV = "ACTUEL_TEST_MIGRATION_HOLD"


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        transactional_ddl=True,  # SQLite too: the store's BEGIN covers DDL
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
        hold = os.environ.get(HOLD_ENV)
        if hold:
            Path(hold).touch()
            time.sleep(60)


if context.is_offline_mode():
    raise RuntimeError("actuel runs its migrations online, from Store.open")
run_migrations_online()
