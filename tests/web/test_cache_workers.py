"""`actuel run` with two web workers: every worker drops its cached pages when ingest commits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from actuel.config import Settings
from actuel.model import Source, SourceState
from actuel.store import Store
from tests.support.procs import children
from tests.support.webserver import free_port
from tests.web.conftest import gazette_article


@pytest.fixture
def running_site(settings: Settings) -> Iterator[tuple[httpx.Client, Settings, int]]:
    with Store.open(settings.db, settings) as store:
        source = store.sources.add(
            Source(url="https://gazette.example/feed.xml", name="Gazette", state=SourceState.PAUSED)
        )
        assert source.id is not None
        store.articles.upsert(gazette_article(source.id, 1, "Budget voté"))
    port = free_port()
    env = {
        **os.environ,
        "ACTUEL_DB": settings.db,
        "ACTUEL_WEB_WORKERS": "2",
        "ACTUEL_SITE_CACHE_CHECK_S": "0",
        "ACTUEL_FETCH_PAGES": "false",
    }
    command = [sys.executable, "-m", "actuel", "run", "--port", str(port)]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, "actuel run exited"
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "actuel run did not start in 60 s"
                    time.sleep(0.2)
            assert len(children(process.pid, command_has=b"spawn_main")) == 2, (
                "web_workers=2 did not start 2 workers"
            )
            yield client, settings, source.id
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_two_workers_serve_the_new_article_once_it_is_committed(
    running_site: tuple[httpx.Client, Settings, int],
) -> None:
    client, settings, source_id = running_site
    path = f"/outlets/{source_id}/feed.json"
    # a new connection each time, so that both workers fill their caches
    fresh = {"Connection": "close"}
    for _round in range(8):
        response = client.get(path, headers=fresh)
        assert response.status_code == 200
        assert "Nouvelle piscine" not in response.text
    with Store.open(settings.db, settings) as store:
        store.articles.upsert(gazette_article(source_id, 2, "Nouvelle piscine"))
    for _round in range(8):
        assert "Nouvelle piscine" in client.get(path, headers=fresh).text
