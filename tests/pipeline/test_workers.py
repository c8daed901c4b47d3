"""`actuel worker` processes on the real PostgreSQL drain the demo world's outlets (served by
`actuel demo --outlets-only` in a process of its own, its request log read back): every article
stored once, no article page asked twice, stories placed; and a worker refuses SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from actuel.cli import main
from actuel.config import load_settings
from actuel.parse.opml import parse_opml
from actuel.store import Store
from tests.support.outlets import demo_outlets, request_log

pytestmark = pytest.mark.postgres


@pytest.fixture
def outlets(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    with demo_outlets(tmp_path) as served:
        yield served


def test_two_workers_drain_the_demo_world_each_page_asked_once(
    outlets: tuple[Path, subprocess.Popen[str]], postgres_url: str
) -> None:
    opml, server = outlets
    env = {
        **os.environ,
        "ACTUEL_DB": postgres_url,
        "ACTUEL_FETCH_ALLOW_PRIVATE": "true",
        "ACTUEL_FETCH_PER_HOST_DELAY": "0",
        "ACTUEL_LOG_LEVEL": "warning",
        "ACTUEL_STORIES_ENCODER": "none",
    }
    imported = CliRunner().invoke(main, ["sources", "import", str(opml)], env=env)
    assert imported.exit_code == 0, imported.output
    command = [sys.executable, "-m", "actuel", "worker", "--until-idle", "--concurrency", "2"]
    workers = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    for worker in workers:
        _, err = worker.communicate(timeout=150)
        assert worker.returncode == 0, err
    settings = load_settings(environ={}, db=postgres_url)
    with Store.open(settings.db, settings, readonly=True) as store:
        stored = store.articles.latest(limit=1_000)
        stories = store.stories.latest(limit=1_000)
    assert len(stored) >= 60
    assert len({a.canonical_url for a in stored}) == len(stored)
    assert stories and len(stories) < len(stored), "copies and translations grouped"
    answered = Counter(
        (hit["host"], hit["path"])
        for hit in request_log(server)
        if hit["status"] == 200 and hit["method"] == "GET"
    )
    listed = {
        (o.url.split("/")[2], "/" + o.url.split("/", 3)[3]) for o in parse_opml(opml.read_bytes())
    }
    pages = {
        key: n
        for key, n in answered.items()
        if key not in listed
        and not str(key[1]).endswith(
            ("robots.txt", ".png", ".jpg", ".jpeg", ".webp", ".svg", ".xml")
        )
    }
    assert len(pages) >= 60
    assert max(pages.values()) == 1, [key for key, n in pages.items() if n > 1]


def test_a_worker_refuses_sqlite_and_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["worker"], env={"ACTUEL_DB": str(tmp_path / "a.db")})
    assert result.exit_code == 1
    assert "needs PostgreSQL" in result.output and "actuel run" in result.output


def test_a_worker_killed_mid_run_loses_nothing(
    outlets: tuple[Path, subprocess.Popen[str]], postgres_url: str
) -> None:
    opml, _ = outlets
    env = {
        **os.environ,
        "ACTUEL_DB": postgres_url,
        "ACTUEL_FETCH_ALLOW_PRIVATE": "true",
        "ACTUEL_FETCH_PER_HOST_DELAY": "0.05",  # slow enough to be killed in the middle
        "ACTUEL_LOG_LEVEL": "warning",
        "ACTUEL_STORIES_ENCODER": "none",
    }
    assert CliRunner().invoke(main, ["sources", "import", str(opml)], env=env).exit_code == 0
    settings = load_settings(environ={}, db=postgres_url)
    command = [sys.executable, "-m", "actuel", "worker", "--until-idle", "--concurrency", "2"]
    doomed = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    with Store.open(settings.db, settings, readonly=True) as store:
        while store.articles.count() == 0:
            assert time.monotonic() < deadline and doomed.poll() is None, "nothing stored"
            time.sleep(0.05)
        doomed.send_signal(signal.SIGKILL)  # mid-run: its jobs are left "doing"
        doomed.wait(timeout=30)
        partial = store.articles.count()
    others = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    for worker in others:
        _, err = worker.communicate(timeout=150)
        assert worker.returncode == 0, err
    with Store.open(settings.db, settings, readonly=True) as store:
        stored = store.articles.latest(limit=1_000)
    assert partial < len(stored), "the killed worker had not finished"
    assert len(stored) >= 60, "every article stored once the killed worker's jobs ran again"
    assert len({a.canonical_url for a in stored}) == len(stored)
