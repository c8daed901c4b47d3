"""The same pipeline on SQLite and on PostgreSQL: one code path, the same results."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from actuel.cli import main
from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import Settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store


def test_demo_world_ingests_the_same_on_both_backends(store: Store, settings: Settings) -> None:
    settings = demo_settings(settings)
    with DemoWorld(flaky=False) as world, Fetcher(settings) as fetcher:
        sources = register_outlets(store, fetcher, world.outlets)
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass(sources)
            first = store.articles.count()
            again = ingestor.run_pass(store.sources.all())
    assert again.new_articles == 0
    assert store.articles.count() == first
    expected = sum(1 for a in world.manifest["articles"] if a["outlet"] != "portail-citoyen")
    assert first >= expected - 2
    stats = store.maintenance.stats()
    assert stats["articles"]["total"] == first
    assert set(stats["articles"]["by_language"]) == {"fr", "en"}
    hits = store.search.hits("dockers")
    assert hits, "the full-text index is maintained as articles arrive"


def test_cli_accepts_a_postgresql_url(postgres_url: str) -> None:
    env = dict(os.environ, ACTUEL_DB=postgres_url)
    runner = CliRunner()
    result = runner.invoke(main, ["stats", "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources"]["total"] == 0
