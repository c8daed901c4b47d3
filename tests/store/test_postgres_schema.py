"""actuel in a PostgreSQL schema of its own (db_schema): created, used, kept apart from another."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from actuel.config import load_settings
from actuel.errors import StoreError
from actuel.model import Source
from actuel.store import Store
from tests.store.conftest import postgres_base

pytestmark = pytest.mark.postgres


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def schemas() -> Iterator[tuple[str, list[str]]]:
    """The server's plain URL and two schema names not yet created, dropped afterwards."""
    base = postgres_base()
    names = [f"actuel_site_{secrets.token_hex(4)}" for _ in range(2)]
    try:
        yield base, names
    finally:
        with psycopg.connect(_libpq(base), autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def tables_in(base: str, schema: str) -> set[str]:
    with psycopg.connect(_libpq(base)) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchall()
    return {row[0] for row in rows}


def test_two_sites_share_one_database_each_in_its_own_schema(
    schemas: tuple[str, list[str]],
) -> None:
    base, (first, second) = schemas
    for schema, outlet in ((first, "La Gazette"), (second, "Le Phare")):
        settings = load_settings(environ={"ACTUEL_DB": base, "ACTUEL_DB_SCHEMA": schema})
        with Store.open(settings.db, settings) as store:  # creates the schema, then migrates
            store.sources.add(Source(url=f"https://{schema}.example/feed.xml", name=outlet))
        assert {"articles", "sources", "alembic_version"} <= tables_in(base, schema)
    for schema, outlet in ((first, "La Gazette"), (second, "Le Phare")):
        settings = load_settings(environ={"ACTUEL_DB": base, "ACTUEL_DB_SCHEMA": schema})
        with Store.open(settings.db, settings, readonly=True) as store:
            assert [s.name for s in store.sources.all()] == [outlet]


def test_a_schema_name_that_is_not_plain_or_a_sqlite_file_is_refused(
    schemas: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, _ = schemas
    bad = load_settings(environ={"ACTUEL_DB": base, "ACTUEL_DB_SCHEMA": 'x"; DROP TABLE y; --'})
    with pytest.raises(StoreError, match="not a plain PostgreSQL name"):
        Store.open(bad.db, bad)
    sqlite = load_settings(
        environ={"ACTUEL_DB": str(tmp_path / "a.db"), "ACTUEL_DB_SCHEMA": "actuel"}
    )
    with pytest.raises(StoreError, match="unset ACTUEL_DB_SCHEMA"):
        Store.open(sqlite.db, sqlite)
