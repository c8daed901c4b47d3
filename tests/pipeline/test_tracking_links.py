"""Links are stored, shown and cited without tracking parameters (utm_*, fbclid...)."""

from __future__ import annotations

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from actuel.urls import without_tracking
from tests.pipeline.test_feed_only_items import PAGE
from tests.support.loopback import Loopback, Reply

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le Quotidien d'essai</title><link>{base}/</link>
<item><title>Le barrage de la Sorène achevé</title>
<link>{base}/articles/barrage?id=3&amp;utm_source=rss&amp;utm_medium=rss&amp;fbclid=x#respond</link>
<guid>barrage-1</guid><pubDate>Mon, 23 Nov 2026 08:00:00 +0100</pubDate></item>
</channel></rss>"""


def test_without_tracking_keeps_the_rest_of_the_address_as_it_was() -> None:
    given = "https://Exemple.fr:8443/A//b/?id=3&utm_source=rss&Page=2&fbclid=x#respond"
    assert without_tracking(given) == "https://Exemple.fr:8443/A//b/?id=3&Page=2"
    assert without_tracking("mailto:x@example.org") == "mailto:x@example.org"


def test_an_items_tracking_parameters_are_not_stored(
    loopback: Loopback, settings: Settings
) -> None:
    base = loopback.base_url
    rss = {"Content-Type": "application/rss+xml"}
    loopback.route("/feed.xml", Reply(headers=rss, body=FEED.format(base=base).encode()))
    html = {"Content-Type": "text/html; charset=utf-8"}
    loopback.route("/articles/barrage", Reply(headers=html, body=PAGE.encode()))
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(
            Source(url=loopback.url("/feed.xml"), name="Essai", kind=SourceKind.FEED)
        )
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass([source])
        [article] = store.articles.latest()
    assert article.url == f"{base}/articles/barrage?id=3"
    assert "utm_" not in (article.canonical_url or "")
