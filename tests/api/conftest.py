"""The demo site, ingested once a session and served on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from actuel.store import Store
from tests.web.demo_site import DemoSite, build, serve


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
