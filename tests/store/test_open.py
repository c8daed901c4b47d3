"""Opening databases: paths and URLs, SQLite settings, read-only readers, clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from actuel.config import Settings
from actuel.errors import StoreError
from actuel.model import Source
from actuel.store import Store
from tests.store.helpers import add_source, article


def test_reopening_keeps_the_data(db_url: str, settings: Settings) -> None:
    with Store.open(db_url, settings) as store:
        add_source(store)
    with Store.open(db_url, settings) as store:
        assert [s.name for s in store.sources.all()] == ["Journal 1"]


def test_sqlite_runs_in_wal_with_foreign_keys_and_the_busy_timeout(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "wal.db"
    store = Store.open(str(path), settings.replace(sqlite_busy_timeout_ms=4321))
    with store, store._engine.connect() as conn:  # the pragmas the store set on its connection
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,
        "busy_timeout": 4321,
    }


def test_readonly_reader_sees_the_writer_and_cannot_write(db_url: str, settings: Settings) -> None:
    with (
        Store.open(db_url, settings) as writer,
        Store.open(db_url, settings, readonly=True) as reader,
    ):
        source = add_source(writer)
        writer.articles.upsert(article(source, 1))
        assert reader.articles.count() == 1
        assert reader.maintenance.integrity_check() == []
        with pytest.raises(StoreError, match="read-only"):
            reader.sources.add(Source(url="https://autre.example.fr/rss"))
        writer.articles.upsert(article(source, 2))
        assert reader.articles.count() == 2


def test_sqlite_readonly_file_is_never_written(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "ro.db"
    Store.open(str(path), settings).close()
    path.chmod(0o444)
    try:
        with Store.open(str(path), settings, readonly=True) as reader:
            assert reader.sources.all() == []
    finally:
        path.chmod(0o644)


def test_readonly_needs_an_existing_migrated_database(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(StoreError, match="does not exist") as missing:
        Store.open(str(tmp_path / "absent.db"), settings, readonly=True)
    assert missing.value.fix
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="schema") as old:
        Store.open(str(empty), settings, readonly=True)
    assert "to migrate it" in str(old.value)


def test_bad_database_settings_say_what_to_do(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(StoreError, match="ACTUEL_DB"):
        Store.open("mysql://root@localhost/news", settings)
    with pytest.raises(StoreError, match="folder"):
        Store.open(str(tmp_path / "no" / "such" / "dir.db"), settings)
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("ceci n'est pas une base de données " * 200)
    with pytest.raises(StoreError, match=str(not_a_db)):
        Store.open(str(not_a_db), settings)


def test_a_second_writer_waits_for_the_lock_then_reports_it(
    tmp_path: Path, settings: Settings
) -> None:
    path = str(tmp_path / "locked.db")
    quick = settings.replace(sqlite_busy_timeout_ms=100)
    with Store.open(path, quick) as one, Store.open(path, quick) as two:
        # hold the write lock as a long ingest would
        with one.write(), pytest.raises(StoreError, match="locked") as caught:
            two.sources.add(Source(url="https://attente.example.fr/rss"))
        assert "ACTUEL_SQLITE_BUSY_TIMEOUT_MS" in str(caught.value)
        two.sources.add(Source(url="https://attente.example.fr/rss"))
        assert len(one.sources.all()) == 1


@pytest.mark.postgres
def test_postgres_scheme_spellings_are_accepted(postgres_url: str, settings: Settings) -> None:
    for url in (postgres_url, postgres_url.replace("postgresql://", "postgres://", 1)):
        with Store.open(url, settings) as store:
            assert store.dialect == "postgresql"
            assert store.sources.all() == []


@pytest.mark.postgres
def test_postgres_errors_never_show_the_password(postgres_url: str, settings: Settings) -> None:
    wrong = postgres_url.replace("postgresql://", "postgresql://nobody:s3cret-pw@", 1)
    wrong = wrong.replace("@postgres@", "@", 1)
    with pytest.raises(StoreError) as caught:
        Store.open(wrong.replace("127.0.0.1:5432", "127.0.0.1:1"), settings)
    assert "s3cret-pw" not in str(caught.value)


def test_database_from_a_newer_version_is_refused(db_url: str, settings: Settings) -> None:
    with Store.open(db_url, settings) as store, store._engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    for readonly in (False, True):
        with pytest.raises(StoreError, match="does not know") as caught:
            Store.open(db_url, settings, readonly=readonly)
        assert "upgrade actuel" in str(caught.value)


def test_memory_database_keeps_its_data_while_open(settings: Settings) -> None:
    with Store.open(":memory:", settings) as store:
        source = add_source(store)
        store.articles.upsert(article(source, 1))
        assert store.articles.count() == 1
        assert [a.title for a, _ in store.search.hits("numéro")] == ["Article numéro 1"]
        assert store.maintenance.integrity_check() == []


def test_home_folder_in_the_path_is_expanded(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with Store.open("~/actuel.db", settings) as store:
        add_source(store)
    assert (tmp_path / "actuel.db").exists()
