"""The whole pipeline on the demo world: every outlet ingested, failures isolated, reruns clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import Settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.pipeline.ingest import Ingestor, PassReport
from actuel.store import Store


@pytest.fixture(scope="module")
def world() -> Iterator[DemoWorld]:
    with DemoWorld() as running:
        yield running


def ingest(store: Store, settings: Settings, world: DemoWorld) -> PassReport:
    with Fetcher(settings) as fetcher:
        sources = register_outlets(store, fetcher, world.outlets)
        with Ingestor(store, fetcher, settings) as ingestor:
            return ingestor.run_pass(sources)


def test_demo_world_is_ingested_with_failures_isolated(
    world: DemoWorld, settings: Settings
) -> None:
    settings = demo_settings(settings)
    with Store.open(settings.db, settings) as store:
        report = ingest(store, settings, world)
        stats = store.maintenance.stats()
        articles = store.articles.latest(limit=500)

    manifest_articles = world.manifest["articles"]
    assert stats["sources"]["total"] == len(world.outlets)
    # The broken feed fails alone, with a message naming the source and the problem.
    failed = {r.source.url: r.error for r in report.sources if r.error}
    assert all(url in (r.source.url for r in report.sources) for url in failed)
    assert len(failed) <= 2, failed
    for error in failed.values():
        assert "source" in error
    # Every other outlet's articles arrived, with text and a language.
    assert stats["articles"]["total"] >= 0.8 * len(manifest_articles)
    assert set(stats["articles"]["by_language"]) >= {"fr", "en"}
    with_text = [a for a in articles if len(a.text) > 200]
    assert len(with_text) >= 0.8 * len(articles)
    # Template junk does not reach the stored text.
    for article in articles:
        assert "fbpx" not in article.text
        assert "Laisser un commentaire" not in article.text
    # A feed item whose page answers 404 is kept from the feed: its title and its one line.
    stored = {world.article_for_url(a.url): a for a in articles}
    truth = {a.id: a for a in world.world.articles}
    healthy = {r.source.name for r in report.sources if not r.error}
    headline_only = [truth[a["id"]] for a in manifest_articles if a["headline_only"]]
    kept = [a for a in headline_only if a.outlet.name in healthy]
    assert len(kept) >= 2, "the flaky outlet fails one pass at most"
    for item in kept:
        article = stored[item.id]
        assert (article.title, article.text) == (item.title, item.paragraphs[0])
        assert article.from_feed_only and article.language == item.lang


def test_second_pass_adds_no_duplicates(world: DemoWorld, settings: Settings) -> None:
    settings = demo_settings(settings)
    with Store.open(settings.db, settings) as store:
        ingest(store, settings, world)
        ingest(store, settings, world)
        articles = store.articles.latest(limit=1000)
    urls = [a.canonical_url for a in articles]
    assert len(urls) == len(set(urls))
    # Each stored article is a distinct article of the world: no copy stored twice.
    ids = [world.article_for_url(a.url) for a in articles]
    assert None not in ids
    assert len(ids) == len(set(ids))


def test_worker_processes_extract_the_same_articles_as_the_main_process(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    texts: dict[str, dict[str, tuple[str, str | None, str | None]]] = {}
    with DemoWorld(flaky=False) as steady:  # both passes see the same answers
        for mode, workers in (("in-process", 1), ("workers", 2)):
            db = str(tmp_path_factory.mktemp(mode) / "actuel.db")
            run = demo_settings(settings).replace(
                db=db, extract_workers=workers, extract_pool_min_pages=1, stories=False
            )
            with Store.open(db, run) as store:
                ingest(store, run, steady)
                texts[mode] = {
                    a.canonical_url: (a.text, a.title, a.language)
                    for a in store.articles.latest(limit=1000)
                }
        assert len(texts["workers"]) >= 0.8 * len(steady.manifest["articles"])
    assert texts["workers"] == texts["in-process"]
