"""Shared fixtures: a loopback HTTP server, settings that allow it, paths to ../shared corpora."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings as hypothesis_settings

from actuel.config import Settings, load_settings
from actuel.store import Store
from tests.support.loopback import Loopback
from tests.web.demo_site import DemoSite, build, serve

# Property tests draw the same examples at every run of the suite, so that a red build is a bug and
# never bad luck; `HYPOTHESIS_PROFILE=explore` draws fresh ones, to go looking for new failures
# (DEVELOPERS.md). A failure found that way becomes an explicit @example of its test.
hypothesis_settings.register_profile("suite", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _find_shared() -> Path | None:
    explicit = os.environ.get("ACTUEL_SHARED")
    candidates = [Path(explicit)] if explicit else []
    candidates += [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    for path in candidates:
        if (path / "corpora").is_dir():
            return path
    return None


SHARED = _find_shared()


def shared_corpus(name: str) -> Path:
    """Path to ../shared/corpora/NAME, or skip the test with the reason."""
    if SHARED is None or not (SHARED / "corpora" / name).is_dir():
        pytest.skip(f"../shared/corpora/{name} is absent (it exists only on developer machines)")
    return SHARED / "corpora" / name


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for tests: loopback allowed, no politeness delay, a SQLite file in tmp_path."""
    return load_settings(
        environ={},
        db=str(tmp_path / "test.db"),
        fetch_allow_private=True,
        fetch_per_host_delay=0.0,
        fetch_deadline=10.0,
        fetch_respect_robots=False,
    )


# The demo site, built once a session for the site's and the API's tests, served on loopback.


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> DemoSite:
    return build(tmp_path_factory.mktemp("demo-site"))


@pytest.fixture(scope="module")
def demo(demo_site: DemoSite) -> Iterator[tuple[httpx.Client, Store]]:
    with serve(demo_site) as served:
        yield served


@pytest.fixture(scope="module")
def demo_any(demo_site: DemoSite) -> Iterator[tuple[httpx.Client, Store]]:
    """The demo site, stories or not (for what does not depend on them)."""
    with serve(demo_site, stories=False) as served:
        yield served
