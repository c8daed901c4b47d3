"""Fixtures for the fetch tests: small caps and short deadlines so that every limit trips fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from actuel.config import Settings
from actuel.fetch import Fetcher
from tests.support.loopback import Loopback

KB = 1024
MB = 1024 * KB


@pytest.fixture(scope="session")
def _shared_loopback() -> Iterator[Loopback]:
    server = Loopback().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def loopback(_shared_loopback: Loopback) -> Loopback:
    """One server for the whole folder (stopping one costs 0.5 s), emptied before each test."""
    _shared_loopback.routes.clear()
    _shared_loopback.hits.clear()
    return _shared_loopback


@pytest.fixture
def fetch_settings(settings: Settings) -> Settings:
    """Loopback allowed, robots off, no delay; 1 MB caps and a 3 s deadline."""
    return settings.replace(
        fetch_deadline=3.0,
        fetch_connect_timeout=2.0,
        fetch_read_timeout=2.0,
        fetch_max_bytes=1 * MB,
        fetch_max_decoded_bytes=1 * MB,
    )


@pytest.fixture
def fetcher(fetch_settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(fetch_settings) as client:
        yield client
