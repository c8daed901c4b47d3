"""`actuel run`: the scheduler and the site in one process, as a portal runs it on one box."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.pipeline.test_bad_sources import _serve_good
from tests.support.loopback import Loopback
from tests.support.webserver import free_port


def test_run_polls_sources_and_serves_what_it_ingested(loopback: Loopback, tmp_path: Path) -> None:
    _serve_good(loopback)
    env = dict(
        os.environ,
        ACTUEL_DB=str(tmp_path / "run.db"),
        ACTUEL_FETCH_ALLOW_PRIVATE="1",
        ACTUEL_FETCH_PER_HOST_DELAY="0",
        ACTUEL_FETCH_RESPECT_ROBOTS="0",
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "actuel",
            "sources",
            "add",
            loopback.url("/feed.xml"),
            "--kind",
            "feed",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = (tmp_path / "run.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "actuel", "run", "--port", str(port), "-q"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        articles = 0
        while time.monotonic() < deadline and articles < 1:
            time.sleep(0.3)
            try:
                articles = httpx.get(f"http://127.0.0.1:{port}/healthz").json()["articles"]
            except httpx.HTTPError:
                continue
        assert articles == 1
        home = httpx.get(f"http://127.0.0.1:{port}/").text
        assert "La foire agricole de Téréna ouvre samedi" in home
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            log.close()
    assert process.returncode == 0, (tmp_path / "run.log").read_text()
