"""Crash safety: kill -9 during ingest or during a migration leaves a sound, resumable database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from actuel.config import Settings
from actuel.store import Store
from actuel.store.db import create_engine
from tests.store.ingest_worker import FEED

ROOT = Path(__file__).resolve().parents[2]


def start_worker(db: str, start: int, stop: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.ingest_worker", db, str(start), str(stop)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_during_ingest_keeps_every_committed_article(db_url: str, settings: Settings) -> None:
    total = 200
    for kill_after in (5, 40, 120):
        with start_worker(db_url, 0, total) as worker:
            assert worker.stdout is not None and worker.stderr is not None
            committed = []
            for line in worker.stdout:
                committed.append(int(line))
                if len(committed) >= kill_after:
                    break
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
            assert len(committed) == kill_after, worker.stderr.read()
        with Store.open(db_url, settings) as store:
            assert store.maintenance.integrity_check() == []
            source = store.sources.get(FEED)
            for n in committed:
                assert store.articles.find(source_id=source.id, guid=f"urn:journal:{n}") is not None
            assert store.articles.count() >= len(committed)
    # the next run resumes over the same items: everything once, nothing twice
    with start_worker(db_url, 0, total) as finisher:
        _, err = finisher.communicate(timeout=120)
        assert finisher.returncode == 0, err
    with Store.open(db_url, settings) as store:
        assert store.articles.count() == total
        assert len(list(store.articles.raw_pages())) == total
        assert store.maintenance.integrity_check() == []


def tables(db_url: str) -> set[str]:
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_interrupted_migration_changes_nothing_and_rerun_succeeds(
    db_url: str, settings: Settings, tmp_path: Path
) -> None:
    marker = tmp_path / "inside-migration"
    with subprocess.Popen(
        [sys.executable, "-c", f"from actuel.store import Store; Store.open({db_url!r})"],
        cwd=ROOT,
        env={**os.environ, "ACTUEL_TEST_MIGRATION_HOLD": str(marker)},
        stderr=subprocess.PIPE,
        text=True,
    ) as opener:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert opener.poll() is None, opener.stderr.read() if opener.stderr else ""
            assert time.monotonic() < deadline, "the migration never reached the test hook"
            time.sleep(0.02)
        opener.send_signal(signal.SIGKILL)
        opener.wait(timeout=30)
    # the migration had created every table and stamped its version; none of it survives
    assert not {"sources", "articles", "pages", "fetches", "alembic_version"} & tables(db_url)
    with Store.open(db_url, settings) as store:
        assert store.sources.all() == []
        assert store.maintenance.integrity_check() == []
    assert {"sources", "articles", "pages", "fetches", "alembic_version"} <= tables(db_url)
