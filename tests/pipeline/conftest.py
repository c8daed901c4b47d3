"""The pipeline tests reuse the store's fixtures to run on SQLite and PostgreSQL alike."""

from tests.store.conftest import (  # noqa: F401
    _postgres_migrated,
    _postgres_ready,
    _sqlite_template,
    db_url,
    migrated_db_url,
    postgres_url,
    store,
)
