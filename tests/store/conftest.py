"""Store fixtures on both backends: a SQLite file in tmp_path, and a fresh PostgreSQL schema.

PostgreSQL comes from ACTUEL_TEST_POSTGRES (e.g. postgresql://postgres@127.0.0.1:5432/test); each
test gets its own randomly named schema, so parallel runs never collide. Reuse: import `db_url`
and `store` from here (`from tests.store.conftest import db_url, store`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import pytest

from actuel.config import Settings
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
    """A database to open: a SQLite file path, or a PostgreSQL URL with its own schema."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str, settings: Settings) -> Iterator[Store]:
    """An open read-write Store on each backend, closed afterwards."""
    opened = Store.open(db_url, settings)
    try:
        yield opened
    finally:
        opened.close()
