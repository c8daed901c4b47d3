"""The Store: the one object the rest of actuel uses to read and write the database."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from actuel.config import Settings, load_settings
from actuel.errors import StoreError
from actuel.store import listings, migrate
from actuel.store.db import WRITE, create_engine, is_postgres_url
from actuel.store.entities import (
    Articles,
    Comments,
    Fetches,
    Hosts,
    Images,
    Listings,
    Maintenance,
    Search,
    Sources,
    Stories,
    Users,
)
from actuel.store.translated import Translations


def _label(db: str) -> str:
    """How errors name the database, without a password."""
    if not is_postgres_url(db):
        return f"database {db}"
    scheme, rest = db.split("://", 1)
    rest = rest.split("?", 1)[0]  # the query string may carry a password too
    if "@" in rest:
        credentials, host = rest.rsplit("@", 1)
        rest = credentials.split(":", 1)[0] + "@" + host
    return f"database {scheme}://{rest}"


class Store:
    """SQLite or PostgreSQL behind one API of plain dataclasses.

    Each call takes its own pooled connection, so threads may share a Store (a web server's
    reader); keep one writing process per SQLite file.

    What it stores is read and written through its entities (`store.sources`, `store.articles`,
    `store.stories`, ...; see entities.py): every write method is one transaction, or a part of
    this thread's `batch()`. Removing a source deletes its articles and pages.
    """

    def __init__(self, engine: Engine, settings: Settings, *, label: str, readonly: bool):
        self._engine = engine
        self.settings = settings
        self.label = label
        self.readonly = readonly
        self._local = threading.local()  # the open batch() transaction of each thread
        self.sources = Sources(self)
        self.articles = Articles(self)
        self.stories = Stories(self)
        self.images = Images(self)
        self.hosts = Hosts(self)
        self.fetches = Fetches(self)
        self.maintenance = Maintenance(self)
        self.search = Search(self)
        self.listings = Listings(self)
        self.comments = Comments(self)
        self.users = Users(self)
        self.translations = Translations(self)

    @classmethod
    def open(cls, db: str, settings: Settings | None = None, *, readonly: bool = False) -> Store:
        """Open a SQLite file path or a postgresql:// URL; read-write opens migrate to head."""
        settings = settings or load_settings()
        label = _label(db)
        engine = create_engine(
            db,
            busy_timeout_ms=int(settings.sqlite_busy_timeout_ms),
            readonly=readonly,
            schema=str(settings.db_schema or ""),
        )
        try:
            if readonly:
                migrate.check_current(engine, label)
            else:
                migrate.upgrade(engine, label)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            detail = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
            raise StoreError(
                f"cannot open: {detail}",
                fix="check the db setting (ACTUEL_DB), the file's permissions or the server",
                source=label,
            ) from exc
        return cls(engine, settings, label=label, readonly=readonly)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (the entities' maintenance reads it)."""
        return self._engine

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self._engine.dialect.name

    def close(self) -> None:
        watch = self.__dict__.pop("_generation_watch", None)
        if watch is not None:  # the connection site_generation() keeps
            watch.close()
        if self.dialect == "sqlite" and not self.readonly:
            # lets SQLite refresh the statistics its planner uses, as its docs advise at close
            with contextlib.suppress(sa.exc.DBAPIError), self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run this thread's writes (and reads) in one transaction: all of them, or none.

        The pipeline stores the pages that finished together in one commit; a crash loses at
        most that batch, never half of it.
        """
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self.write() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (this thread's batch, if one is open)."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._database_errors(), self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _database_errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.IntegrityError as exc:
            raise StoreError(
                f"the database refused the change: {exc.orig}",
                fix="a row it refers to is missing (was its source removed?); nothing was stored",
                source=self.label,
            ) from exc
        except sa.exc.DBAPIError as exc:
            if self.dialect == "sqlite" and "locked" in str(exc.orig):
                raise StoreError(
                    "the database stayed locked by another writer",
                    fix="run one writer at a time, or raise ACTUEL_SQLITE_BUSY_TIMEOUT_MS",
                    source=self.label,
                ) from exc
            raise StoreError(
                f"the database failed: {exc.orig}",
                fix="check the server is up and the disk not full; nothing was half-written",
                source=self.label,
            ) from exc

    @contextmanager
    def write(self, *, shown: bool = False) -> Iterator[Connection]:
        """The write transaction (this thread's batch, if one is open). `shown`: the write
        changes what pages show; see `pages_changed`."""
        if self.readonly:
            raise StoreError(
                "this store was opened read-only",
                fix="open it without readonly=True to write",
                source=self.label,
            )
        current = getattr(self._local, "conn", None)
        if current is not None:
            if shown:
                self._local.shown = True
            yield current
            return
        with self._database_errors(), self._engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                self._local.shown = shown
                try:
                    yield conn
                    if self._local.shown:
                        # last, once per transaction: on PostgreSQL the row stays locked
                        # against other writers only from here to the commit
                        listings.bump_generation(conn)
                finally:
                    self._local.shown = False

    def pages_changed(self) -> None:
        """The open write transaction changes what pages show: page caches (`site_generation`)
        are told when it commits. A fetch log row or a held comment leaves them be."""
        self._local.shown = True

    def site_generation(self) -> str | None:
        """A token that moves when a write that changes what pages show is committed, by any
        process; page caches compare it to know their pages are stale. None: this database
        cannot tell."""
        watch: listings.GenerationWatch | None = self.__dict__.get("_generation_watch")
        if watch is None:
            watch = self.__dict__.setdefault(
                "_generation_watch", listings.GenerationWatch(self._engine)
            )
        return watch.current()
