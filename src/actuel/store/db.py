"""Opening a database: URLs, SQLite pragmas and BEGIN IMMEDIATE, read-only readers, PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from actuel.errors import StoreError
from actuel.store import stemming

SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")  # quoted, yet kept plain: no surprises
WRITE = "actuel_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


def dialect_insert(conn: Connection, table: sa.Table) -> Any:
    """An INSERT with `on_conflict_do_nothing` / `on_conflict_do_update` for this backend."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgresql+", "postgres://"))


def postgres_url(db: str) -> str:
    """`postgresql://…` (or `postgres://…`) as the psycopg 3 driver URL SQLAlchemy expects."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix) :]
    raise StoreError(
        f"database URL {db!r} names a PostgreSQL driver actuel does not use",
        fix="write it as postgresql://user@host:port/dbname (psycopg 3 is used)",
    )


def create_engine(db: str, *, busy_timeout_ms: int, readonly: bool, schema: str = "") -> Engine:
    """An engine for a SQLite file path or a postgresql:// URL (its tables in `schema` when
    given: PostgreSQL only)."""
    if is_postgres_url(db):
        return _postgres_engine(db, readonly=readonly, schema=schema)
    if schema:
        raise StoreError(
            f"db_schema is set ({schema!r}) but the database is a SQLite file",
            fix="unset ACTUEL_DB_SCHEMA, or set ACTUEL_DB to a postgresql:// URL",
        )
    if "://" in db:
        raise StoreError(
            f"database {db!r} is neither a file path nor a postgresql:// URL",
            fix="set ACTUEL_DB to a SQLite file path (e.g. ./actuel.db) or postgresql://user@host/db",
        )
    return _sqlite_engine(db, busy_timeout_ms=busy_timeout_ms, readonly=readonly)


def _postgres_engine(db: str, *, readonly: bool, schema: str) -> Engine:
    engine = sa.create_engine(postgres_url(db), pool_pre_ping=True)
    if schema:
        _use_schema(engine, schema, create=not readonly)
    if readonly:

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()

    return engine


def _use_schema(engine: Engine, schema: str, *, create: bool) -> None:
    """Every connection works in `schema` (then public, where extensions such as unaccent
    usually live); a read-write engine creates it when missing. Alembic's version table, the
    tables and the text-search configuration all land there: one database may hold several
    actuel sites, each in its own schema."""
    if not SCHEMA_NAME.fullmatch(schema):
        raise StoreError(
            f"db_schema {schema!r} is not a plain PostgreSQL name",
            fix="use letters, digits and underscores, starting with a letter (e.g. actuel)",
        )

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            if create:  # asked first: a role may use a schema it has no right to create
                cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            cursor.execute(f'SET search_path TO "{schema}", public')
        dbapi_connection.commit()


def _sqlite_engine(path: str, *, busy_timeout_ms: int, readonly: bool) -> Engine:
    if path == ":memory:":
        return _memory_engine()
    file = Path(path).expanduser()
    if readonly and not file.exists():
        raise StoreError(
            f"database {path} does not exist",
            fix="run a command that writes once (e.g. `actuel sources list`) to create it",
        )
    if not readonly and not file.parent.exists():
        raise StoreError(
            f"cannot create database {path}: folder {file.parent} does not exist",
            fix="create the folder or set ACTUEL_DB to a path in an existing folder",
        )
    timeout_s = busy_timeout_ms / 1000

    def connect() -> sqlite3.Connection:
        if readonly:
            uri = "file:" + quote(str(file.resolve())) + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=timeout_s, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(file), timeout=timeout_s, check_same_thread=False)
        # let SQLAlchemy's begin event emit BEGIN itself (the pysqlite transaction recipe):
        # pysqlite's own implicit BEGIN skips DDL, which would make migrations non-transactional
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # the full-text index rewrites many pages per article: keep them in memory between commits
        conn.execute("PRAGMA cache_size = -32768")
        conn.execute("PRAGMA temp_store = MEMORY")
        stemming.register(conn)  # the search index triggers call it
        return conn

    engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.QueuePool)
    _begin_explicitly(engine, readonly=readonly)
    return engine


def _memory_engine() -> Engine:
    """One private in-memory database (tests, one-off tools): every call shares its connection."""

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.isolation_level = None
        conn.execute("PRAGMA foreign_keys = ON")
        stemming.register(conn)
        return conn

    engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.StaticPool)
    _begin_explicitly(engine, readonly=False)
    return engine


def _begin_explicitly(engine: Engine, *, readonly: bool) -> None:
    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write and not readonly else "BEGIN")
