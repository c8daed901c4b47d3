"""Integrity checks and online backups."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from actuel.errors import StoreError


def integrity_check(conn: Connection, *, check_search: bool = True) -> list[str]:
    """Problems found, [] when the database is sound."""
    if conn.dialect.name != "sqlite":
        conn.execute(sa.text("SELECT 1"))  # PostgreSQL guards its own integrity; we can reach it
        return []
    problems = [
        str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check") if str(row[0]) != "ok"
    ]
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points to a missing {parent} row")
    if not check_search:  # the search index check writes, so read-only stores skip it
        return problems
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(
                "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"
            )
    except sa.exc.DBAPIError as exc:
        problems.append(f"search index out of step with articles: {exc.orig}")
    return problems


def backup(engine: Engine, path: str, label: str) -> None:
    """Copy a live SQLite database with the backup API, then move it into place in one step."""
    if engine.dialect.name != "sqlite":
        raise StoreError(
            "backup works on SQLite databases only",
            fix="back up PostgreSQL with pg_dump",
            source=label,
        )
    target = Path(path)
    if not target.parent.is_dir():
        raise StoreError(
            f"cannot write backup {path}: folder {target.parent} does not exist",
            fix="create the folder first",
            source=label,
        )
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        out = sqlite3.connect(str(partial))
        try:
            raw.backup(out)
        finally:
            out.close()
    os.replace(partial, target)
