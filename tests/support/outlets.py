"""`actuel demo --outlets-only` in a process of its own, for tests of processes that ingest from
it: its OPML once written, and the requests it answered (one JSON line each) once stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def demo_outlets(folder: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """The outlets serving, their sources in folder/outlets.opml; stopped (SIGTERM) on exit
    unless `request_log` stopped them first."""
    opml = folder / "outlets.opml"
    process = subprocess.Popen(
        [sys.executable, "-m", "actuel", "demo", "--outlets-only", "--opml", str(opml)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ACTUEL_LOG_LEVEL": "warning"},
    )
    try:
        deadline = time.monotonic() + 60
        while not opml.exists():
            assert process.poll() is None, "the outlets stopped before writing their OPML"
            assert time.monotonic() < deadline, "no OPML file after a minute"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written whole before the outlets are announced
        yield opml, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)


def request_log(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    """Stop the outlets (SIGTERM: they must exit 0) and read every request they answered."""
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    return [json.loads(line) for line in out.splitlines() if line.strip()]
