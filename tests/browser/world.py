"""The demo outlets kept running on loopback beside the site that ingested them, for a browser."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import Settings, load_settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.webserver import running


@dataclass
class LiveSite:
    """The site at `base_url` over `settings.db`, and the demo world its articles link to."""

    base_url: str
    settings: Settings
    world: DemoWorld

    def url(self, path: str) -> str:
        return self.base_url + path

    def store(self) -> Store:
        """A read-only store on the site's database, to compare what the browser shows."""
        return Store.open(self.settings.db, self.settings, readonly=True)


@contextmanager
def live_site(root: Path) -> Iterator[LiveSite]:
    """Play the demo world, ingest it into root/site.db, serve the site; all stopped on exit.

    The world must outlive the ingestion (unlike tests/web's demo build): "Lire la suite" leads
    to the outlets' own pages, and the stories' images are served by them too."""
    settings = demo_settings(
        load_settings(
            environ={}, db=str(root / "site.db"), fetch_respect_robots=False, fetch_deadline=20.0
        )
        # a few dozen pages: extraction processes would cost more to start than they save
    ).replace(site_page_size=10, extract_workers=1)
    with DemoWorld(flaky=False) as world:
        with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
            sources = register_outlets(store, fetcher, world.outlets)
            with Ingestor(store, fetcher, settings) as ingestor:
                ingestor.run_pass(sources)
        # The site opens its own stores, as `actuel serve` does: readers read-only, one writer.
        with running(create_app(settings)) as base_url:
            yield LiveSite(base_url, settings, world)
