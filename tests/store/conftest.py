"""Store fixtures on both backends: SQLite files in tmp_path, PostgreSQL in random schemas.

PostgreSQL comes from ACTUEL_TEST_POSTGRES (e.g. postgresql://postgres@127.0.0.1:5432/test). Schemas
have random names, so two test runs at once never collide: `db_url` gives each test a new empty
schema; `store` shares one migrated schema per run, emptied after each test. Reuse them elsewhere
with `from tests.store.conftest import *` in that folder's conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import pytest

from actuel.config import Settings, load_settings
from actuel.store import Store

PG_ENV = "ACTUEL_TEST_POSTGRES"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def postgres_base() -> str:
    """The PostgreSQL URL for tests, or skip them saying how to run them."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(
            f"POSTGRESQL TESTS SKIPPED: {PG_ENV} is not set "
            f"(set it to e.g. postgresql://postgres@127.0.0.1:5432/test to run them)"
        )
    return url


def with_schema(url: str, schema: str) -> str:
    """The URL with `schema` first on the search_path (public stays, for extensions)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema},public"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def _postgres_ready() -> str:
    base = postgres_base()
    # accent-insensitive search needs unaccent, shared by every test schema; when it is not
    # installed (or another run raced us to it) the migration copes either way
    with psycopg.connect(_libpq(base), autocommit=True) as conn, contextlib.suppress(psycopg.Error):
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    return base


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped afterwards."""
    base = request.getfixturevalue("_postgres_ready")
    schema = "actuel_test_" + secrets.token_hex(6)
    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(base, schema)
    finally:
        with psycopg.connect(_libpq(base), autocommit=True) as conn:
            conn.execute("SET lock_timeout = '20s'")
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file path, or a PostgreSQL URL with its own schema."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store-template") / "migrated.db"
    Store.open(str(path), load_settings(environ={})).close()
    return path


@pytest.fixture(scope="session")
def _postgres_migrated(_postgres_ready: str) -> Iterator[str]:
    schema = "actuel_test_" + secrets.token_hex(6)
    with psycopg.connect(_libpq(_postgres_ready), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = with_schema(_postgres_ready, schema)
    try:
        Store.open(url, load_settings(environ={})).close()
        yield url
    finally:
        with psycopg.connect(_libpq(_postgres_ready), autocommit=True) as conn:
            conn.execute("SET lock_timeout = '20s'")
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def migrated_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database with the schema in place (migrating costs more than the tests do).

    SQLite: a copy of a migrated file, made with the backup API. PostgreSQL: this run's schema,
    its tables emptied after each test.
    """
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        template_path = request.getfixturevalue("_sqlite_template")
        with (
            closing(sqlite3.connect(template_path)) as template,
            closing(sqlite3.connect(path)) as copy,
        ):
            template.backup(copy)
        yield str(path)
        return
    url = request.getfixturevalue("_postgres_migrated")
    yield url
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("SET lock_timeout = '20s'")
        conn.execute("TRUNCATE sources, articles, pages, fetches RESTART IDENTITY CASCADE")


@pytest.fixture
def store(migrated_db_url: str, settings: Settings) -> Iterator[Store]:
    """An open read-write Store on each backend, empty, closed afterwards."""
    opened = Store.open(migrated_db_url, settings)
    try:
        yield opened
    finally:
        opened.close()
