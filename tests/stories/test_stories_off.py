"""With the stories step turned off (ACTUEL_STORIES=false), ingest stores articles alone and the
home page lists those articles: no story and no credit line is stored, and nothing fails."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import load_settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.webserver import running


def test_ingest_without_stories_stores_articles_and_the_home_lists_them(tmp_path: Path) -> None:
    settings = demo_settings(
        load_settings(
            environ={"ACTUEL_STORIES": "false"},
            db=str(tmp_path / "plain.db"),
            fetch_respect_robots=False,
            fetch_deadline=20.0,
        )
    )
    assert settings.stories is False
    with DemoWorld(flaky=False) as world, Store.open(settings.db, settings) as store:
        with Fetcher(settings) as fetcher:
            sources = register_outlets(store, fetcher, world.outlets)
            with Ingestor(store, fetcher, settings) as ingestor:
                ingestor.run_pass(sources)
        stored = store.articles.latest(limit=10_000)
        assert len(stored) >= 50  # the demo world's pages, its one broken feed aside
        assert store.stories.latest(limit=10) == []
        assert all(store.stories.of_article(a.id or 0) is None for a in stored)
        assert all(store.articles.credits(a.id or 0) == [] for a in stored)
        newest = stored[0]

    with Store.open(settings.db, settings, readonly=True) as store:
        app = create_app(settings.replace(site_page_size=10), store)
        with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            home = client.get("/")
    assert home.status_code == 200
    assert 'class="card story-card"' not in home.text
    linked = {int(n) for n in re.findall(r'href="/articles/(\d+)"', home.text)}
    assert newest.id in linked
    assert len(linked) >= 10  # a full page of articles
