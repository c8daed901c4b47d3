"""`kill -9` during ingest: what was committed stays, the database is consistent, the next run
resumes without duplicates (a real subprocess, killed at several moments)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import load_settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.store import Store
from tests.support.procs import children, running


@pytest.fixture(scope="module")
def world() -> Iterator[DemoWorld]:
    with DemoWorld(flaky=False) as running:
        yield running


def _fetch(db: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        ACTUEL_DB=db,
        ACTUEL_FETCH_ALLOW_PRIVATE="1",
        ACTUEL_FETCH_PER_HOST_DELAY="0.02",
        ACTUEL_FETCH_RESPECT_ROBOTS="0",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "actuel", "fetch", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _assert_gone(pids: list[int], within_s: float = 10.0) -> None:
    """No worker outlives the killed fetch: each exits on its own within a few seconds."""
    deadline = time.monotonic() + within_s
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in alive if running(pid)]
    assert alive == [], f"workers left running after kill -9 of their parent: {alive}"


@pytest.mark.slow
def test_kill_9_leaves_a_consistent_database_and_the_next_run_resumes(
    world: DemoWorld, tmp_path: Path
) -> None:
    db = str(tmp_path / "kill.db")
    settings = demo_settings(load_settings(environ={}, db=db, fetch_respect_robots=False))
    with Store.open(db, settings) as store, Fetcher(settings) as fetcher:
        register_outlets(store, fetcher, world.outlets)
    counts = []
    for delay in (0.8, 1.6, 2.4, 3.2):
        process = _fetch(db)
        time.sleep(delay)
        workers = children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        _assert_gone(workers)
        with Store.open(db, settings) as store:
            assert store.maintenance.integrity_check() == []
            counts.append(store.articles.count())
            # Make every source due again so the next run really resumes the pass.
            for source in store.sources.all():
                source.next_poll_at = None
                store.sources.update(source)
    assert counts == sorted(counts), "articles committed before a kill must survive"
    finished = _fetch(db)
    assert finished.wait(timeout=240) == 0
    with Store.open(db, settings) as store:
        assert store.maintenance.integrity_check() == []
        articles = store.articles.latest(limit=2000)
        urls = [a.canonical_url for a in articles]
        assert len(urls) == len(set(urls))
        assert len(articles) >= counts[-1]
        # Everything but the broken feed's articles arrived in the end.
        readable = [a for a in world.manifest["articles"] if a["outlet"] != "portail-citoyen"]
        assert len(articles) >= len(readable) - 2
