"""The generation page caches watch: it moves when what pages show changes, by any process, and
only then (a fetch that found nothing new, a comment held for moderation leave it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Comment, FetchLog, Source
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from tests.store.conftest import _postgres_ready, postgres_url  # noqa: F401 - fixtures
from tests.support.loopback import Loopback, Reply
from tests.web.conftest import gazette_article, serve_gazette


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, settings: Settings) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(settings.db)


@pytest.fixture
def writer_and_reader(database: str, settings: Settings) -> Iterator[tuple[Store, Store]]:
    """A writing store and a read-only one on the same database, as ingest and the site are."""
    settings = settings.replace(db=database)
    with (
        Store.open(database, settings) as writer,
        Store.open(database, settings, readonly=True) as reader,
    ):
        yield writer, reader


def test_a_commit_by_another_connection_moves_the_generation(
    writer_and_reader: tuple[Store, Store],
) -> None:
    writer, reader = writer_and_reader
    before = reader.site_generation()
    assert before is not None
    assert reader.site_generation() == before  # reading changes nothing
    reader.sources.all()
    assert reader.site_generation() == before
    writer.sources.add(Source(url="https://gazette.example/feed.xml", name="Gazette"))
    after = reader.site_generation()
    assert after != before
    # the writer's own view moves too: one process serving and ingesting
    assert writer.site_generation() == after


def test_only_writes_that_change_pages_move_the_generation(
    writer_and_reader: tuple[Store, Store],
) -> None:
    writer, reader = writer_and_reader
    source = writer.sources.add(Source(url="https://gazette.example/feed.xml", name="Gazette"))
    assert source.id is not None
    article_id, _ = writer.articles.upsert(gazette_article(source.id, 1, "Budget voté"))
    start = reader.site_generation()
    now = datetime.now(UTC)
    # what a fetch that found nothing new writes, and what pages never show
    writer.fetches.log(FetchLog(url=source.url, started_at=now, source_id=source.id, status=200))
    polled = replace(source, last_polled_at=now, next_poll_at=now + timedelta(minutes=15))
    writer.sources.update(polled)
    writer.comments.add(Comment(article_id, "Lou", "Premier avis.", "h1", status="pending"))
    writer.users.site_secret("another-key")
    writer.fetches.prune(now - timedelta(days=1))
    with writer.batch():
        writer.fetches.log_many([FetchLog(url=source.url, started_at=now, source_id=source.id)])
        writer.articles.upsert_many([])
    assert reader.site_generation() == start
    # what pages show
    moved = [start]
    writer.comments.add(Comment(article_id, "Lou", "Second avis.", "h1", status="published"))
    moved.append(reader.site_generation())
    writer.sources.update(replace(polled, name="La Gazette"))
    moved.append(reader.site_generation())
    writer.articles.upsert(gazette_article(source.id, 2, "Nouvelle piscine"))
    moved.append(reader.site_generation())
    with writer.batch():  # many writes, one commit
        writer.articles.upsert(gazette_article(source.id, 3, "Marché de Noël"))
        writer.fetches.log(FetchLog(url=source.url, started_at=now, source_id=source.id))
    moved.append(reader.site_generation())
    assert len(set(moved)) == len(moved), moved
    # a write rolled back leaves it where it was
    with pytest.raises(RuntimeError), writer.batch():
        writer.articles.upsert(gazette_article(source.id, 4, "Jamais publié"))
        raise RuntimeError("the batch fails")
    assert reader.site_generation() == moved[-1]


def test_an_in_memory_database_cannot_tell(settings: Settings) -> None:
    with Store.open(":memory:", settings) as store:
        assert store.site_generation() is None


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Gazette</title><link>{base}/</link>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{base}/a/{n}</link><guid>{n}</guid>
<pubDate>Tue, 24 Nov 2026 0{n}:00:00 GMT</pubDate><description>{title}.</description></item>"""
PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title></head><body><article>
<h1>{title}</h1><p>{title} : le conseil municipal de la ville en a débattu mardi soir pendant
plus de trois heures, devant une salle comble et des habitants venus nombreux.</p>
<p>La décision sera mise en œuvre dès le printemps, a précisé le maire à la sortie.</p>
</article></body></html>"""


def _publish(loopback: Loopback, titles: list[str]) -> None:
    base = loopback.base_url
    items = "".join(ITEM.format(base=base, n=n, title=t) for n, t in enumerate(titles, 1))
    feed = FEED.format(base=base, items=items).encode()
    loopback.route("/feed.xml", Reply(headers={"Content-Type": "application/rss+xml"}, body=feed))
    for n, title in enumerate(titles, 1):
        page = PAGE.format(title=title).encode()
        loopback.route(f"/a/{n}", Reply(headers={"Content-Type": "text/html"}, body=page))


def test_a_fetch_that_stores_nothing_new_keeps_the_cached_pages(
    database: str, settings: Settings, loopback: Loopback
) -> None:
    settings = settings.replace(db=database, stories=False, site_cache_check_s=0)
    _publish(loopback, ["Budget voté"])
    with Store.open(database, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(Source(url=loopback.url("/feed.xml"), name="Gazette"))
        assert source.id is not None

        def fetch() -> int:
            with Ingestor(store, fetcher, settings) as ingestor:
                report = ingestor.run_pass([store.sources.get(source.id or 0)])
            return sum(r.new_articles for r in report.sources)

        assert fetch() == 1
        with serve_gazette(settings) as client:
            assert client.get("/").headers["x-cache"] == "MISS"
            assert client.get("/").headers["x-cache"] == "HIT"
            # the feed again, unchanged: a fetch log row and the next poll time are written
            assert fetch() == 0
            kept = client.get("/")
            assert kept.headers["x-cache"] == "HIT"
            assert "Budget voté" in kept.text
            # a reader's comment waits for moderation: no page shows it
            article = store.articles.latest(limit=1)[0]
            assert article.id is not None
            held = Comment(article.id, "Lou", "Bravo.", "h1", status="pending")
            assert store.comments.add(held) is not None
            assert client.get("/").headers["x-cache"] == "HIT"
            # a new article empties the cache
            _publish(loopback, ["Budget voté", "Nouvelle piscine"])
            assert fetch() == 1
            fresh = client.get("/")
            assert fresh.headers["x-cache"] == "MISS"
            assert "Nouvelle piscine" in fresh.text
            assert client.get("/").headers["x-cache"] == "HIT"
