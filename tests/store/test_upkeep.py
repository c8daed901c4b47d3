"""The fetch log, stats, integrity checks and backups."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from actuel.config import Settings
from actuel.errors import StoreError
from actuel.model import FetchLog, Source, SourceState
from actuel.store import Store
from tests.store.helpers import T0, add_source, article


def test_stats_count_sources_articles_fetches_and_errors(store: Store) -> None:
    assert store.maintenance.stats() == {
        "sources": {"total": 0, "by_state": {}},
        "articles": {"total": 0, "by_language": {}, "by_source": {}},
        "fetches": {"total": 0, "errors": 0, "by_status": {}, "bytes": 0},
        "errors": [],
    }
    ouest = add_source(store, 1)
    nameless = store.sources.add(Source(url="https://sans-nom.example.fr/rss"))
    broken = add_source(store, 3, state=SourceState.ERROR, error_count=4, last_error="HTTP 503")
    for n in range(3):
        store.articles.upsert(article(ouest, n))
    store.articles.upsert(article(nameless, 10, language="en"))
    store.articles.upsert(article(nameless, 11, language=None))
    store.fetches.log(
        FetchLog(
            url=ouest.url,
            started_at=T0,
            source_id=ouest.id,
            status=200,
            elapsed_s=0.25,
            wire_bytes=1000,
        )
    )
    store.fetches.log(
        FetchLog(
            url=ouest.url,
            started_at=T0 + timedelta(hours=1),
            source_id=ouest.id,
            status=304,
            elapsed_s=0.1,
            wire_bytes=0,
        )
    )
    store.fetches.log(
        FetchLog(
            url=broken.url,
            started_at=T0,
            source_id=broken.id,
            status=503,
            wire_bytes=200,
            error_code="fetch.status",
            error="HTTP 503",
        )
    )
    store.fetches.log(
        FetchLog(
            url=broken.url,
            started_at=T0,
            source_id=broken.id,
            error_code="fetch.connect",
            error="connection refused",
        )
    )
    assert store.maintenance.stats() == {
        "sources": {"total": 3, "by_state": {"active": 2, "error": 1}},
        "articles": {
            "total": 5,
            "by_language": {"fr": 3, "en": 1, "unknown": 1},
            "by_source": {"Journal 1": 3, nameless.url: 2, "Journal 3": 0},
        },
        "fetches": {
            "total": 4,
            "errors": 2,
            "by_status": {"200": 1, "304": 1, "503": 1},
            "bytes": 1200,
        },
        "errors": [
            {
                "source_id": broken.id,
                "source": "Journal 3",
                "error_count": 4,
                "last_error": "HTTP 503",
            },
        ],
    }


def test_integrity_check_passes_on_a_busy_database(store: Store) -> None:
    source = add_source(store)
    for n in range(20):
        store.articles.upsert(article(source, n), raw_html=b"<p>x</p>")
    for n in range(0, 20, 3):
        found = store.articles.find(source_id=source.id, guid=f"guid-{source.id}-{n}")
        assert found is not None
        found.text = f"Nouveau texte {n}"
        store.articles.update_extraction(found)
    store.sources.remove(source.id or 0)
    assert store.maintenance.integrity_check() == []


def test_integrity_check_reports_broken_links(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "broken.db"
    with Store.open(str(path), settings) as store:
        source = add_source(store)
        store.articles.upsert(article(source, 1))
    raw = sqlite3.connect(path)  # damage it behind the store's back, as a careless tool would
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DELETE FROM sources")
    raw.commit()
    raw.close()
    with Store.open(str(path), settings) as store:
        problems = store.maintenance.integrity_check()
    assert problems and "articles" in problems[0]


def test_backup_of_a_live_database_opens_with_everything(
    tmp_path: Path, settings: Settings
) -> None:
    with Store.open(str(tmp_path / "live.db"), settings) as store:
        source = add_source(store)
        for n in range(30):
            store.articles.upsert(article(source, n), raw_html=b"<p>page</p>")
        target = tmp_path / "copie.db"
        target.write_bytes(b"an older backup")
        store.maintenance.backup(str(target))
        store.articles.upsert(article(source, 99))  # still usable after the backup
    with Store.open(str(target), settings, readonly=True) as copy:
        assert copy.articles.count() == 30
        assert len(list(copy.articles.raw_pages())) == 30
        assert copy.maintenance.integrity_check() == []
        assert copy.search.hits("numéro 7")
    assert not (tmp_path / "copie.db.partial").exists()


@pytest.mark.postgres
def test_backup_on_postgres_points_to_pg_dump(postgres_url: str, settings: Settings) -> None:
    with Store.open(postgres_url, settings) as store, pytest.raises(StoreError, match="pg_dump"):
        store.maintenance.backup("/tmp/never-written.db")


def test_old_fetch_log_rows_are_pruned(store: Store) -> None:
    source = add_source(store)
    now = datetime.now(UTC)
    keep = int(store.settings.fetch_log_keep_days)
    for age_days in (keep + 5, keep + 1, keep - 1, 0):
        started = now - timedelta(days=age_days)
        store.fetches.log(FetchLog(url=source.url, started_at=started, source_id=source.id))
    assert store.fetches.prune() == 2
    assert store.maintenance.stats()["fetches"]["total"] == 2
    assert store.fetches.prune(before=now + timedelta(seconds=1)) == 2
    assert store.maintenance.stats()["fetches"]["total"] == 0
