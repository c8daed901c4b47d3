"""The demo world ingested for real into one SQLite file and served: built once a session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import Settings, load_settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.webserver import running

NO_STORIES = (
    "the pipeline stored no story for the demo world: the stories step is not wired into "
    "ingestion yet (issue 3), so story pages and the stories API cannot be checked"
)


@dataclass
class DemoSite:
    """The served demo: its store, and the stored article id of each manifest article."""

    settings: Settings
    ids: dict[str, int]  # manifest article id → stored article id
    truth: dict[str, dict[str, Any]]  # manifest article id → its manifest entry
    article_count: int


_BUILT: dict[str, DemoSite] = {}


def build(root: Path) -> DemoSite:
    """Ingest the demo world (no flaky outlet) into root/demo.db, once per test session."""
    if "site" in _BUILT:
        return _BUILT["site"]
    settings = demo_settings(
        load_settings(
            environ={}, db=str(root / "demo.db"), fetch_respect_robots=False, fetch_deadline=20.0
        )
    )
    ids: dict[str, int] = {}
    with DemoWorld(flaky=False) as world, Store.open(settings.db, settings) as store:
        with Fetcher(settings) as fetcher:
            sources = register_outlets(store, fetcher, world.outlets)
            with Ingestor(store, fetcher, settings) as ingestor:
                ingestor.run_pass(sources)
        for article in store.articles.latest(limit=10_000):
            manifest_id = world.article_for_url(article.url)
            if manifest_id is not None and article.id is not None:
                ids[manifest_id] = article.id
        truth = {entry["id"]: entry for entry in world.manifest["articles"]}
        site = DemoSite(settings, ids, truth, store.articles.count())
    _BUILT["site"] = site
    return site


@contextmanager
def serve(site: DemoSite, *, stories: bool = True) -> Iterator[tuple[httpx.Client, Store]]:
    """The site over the demo store on a loopback uvicorn, with a client and a store to compare.

    `stories`: skip when the pipeline stored no story (the tests that read stories need them)."""
    with Store.open(site.settings.db, site.settings, readonly=True) as store:
        if stories and not store.stories.latest(limit=1):
            pytest.skip(NO_STORIES)
        # A small page, so that the home's "older" links are followed too.
        app = create_app(site.settings.replace(site_page_size=4), store)
        with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            yield client, store


def story_key_of(store: Store, article_id: int) -> str:
    """The key of the story holding this article (fails the test when it has none)."""
    found = store.stories.of_article(article_id)
    assert found is not None, f"article {article_id} belongs to no story"
    return found[0].key


def cards(html: str, css_class: str = "story-card") -> list[str]:
    """The HTML of each card of a listing, in order."""
    return re.findall(rf'<li class="card {css_class}">(.*?)</li>', html, flags=re.S)


def timeline(html: str) -> dict[int, str]:
    """The story page's timeline entries, by the id of the article each one shows."""
    events: dict[int, str] = {}
    for event in re.findall(r'<li class="event">(.*?)</li>', html, flags=re.S):
        shown = re.search(r'<a class="title" href="/articles/(\d+)"', event)
        assert shown is not None, event
        events[int(shown.group(1))] = event
    return events
