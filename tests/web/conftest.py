"""What the cache tests share: a database with one outlet and one article, and the site over it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest

from actuel.config import Settings
from actuel.model import Article, Source
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.webserver import running
from tests.web.admin_support import AdminSite, log_in


def gazette_article(source_id: int, n: int, title: str) -> Article:
    url = f"https://gazette.example/a/{n}"
    return Article(
        source_id=source_id,
        url=url,
        canonical_url=url,
        title=title,
        text="Le conseil municipal a voté le budget. " * 20,
        language="fr",
        published_at=datetime(2026, 11, 24, 9, n, tzinfo=UTC),
        first_seen_at=datetime(2026, 11, 24, 9, n, tzinfo=UTC),
    )


@pytest.fixture
def seeded(settings: Settings) -> tuple[Settings, int, int]:
    """A database with one outlet and one article: (settings, source id, article id)."""
    with Store.open(settings.db, settings) as store:
        source = store.sources.add(Source(url="https://gazette.example/feed.xml", name="Gazette"))
        assert source.id is not None
        article_id, _ = store.articles.upsert(gazette_article(source.id, 1, "Budget voté"))
    # every request checks the database: tests never wait for a change to be noticed
    return settings.replace(site_cache_check_s=0), source.id, article_id


@contextmanager
def serve_gazette(settings: Settings) -> Iterator[httpx.Client]:
    with (
        Store.open(settings.db, settings, readonly=True) as store,
        running(create_app(settings, store)) as base,
        httpx.Client(base_url=base) as client,
    ):
        # the first request builds the app, which may commit once (the site's signing secret)
        assert client.get("/healthz").status_code == 200
        yield client


@pytest.fixture()
def editor(site: AdminSite) -> Iterator[httpx.Client]:
    """A client logged in to the admin of the test module's `site` (an AdminSite)."""
    with site.client() as client:
        assert log_in(client).status_code == 303
        yield client
