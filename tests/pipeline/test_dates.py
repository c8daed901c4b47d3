"""Publication times: page metadata, then the feed; a date read in the text only as a guess."""

from __future__ import annotations

from datetime import UTC, datetime

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from tests.support.loopback import Loopback, Reply

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Gazette d'essai</title><link>{base}/</link>
<item><title>La foire aux semences rouvre</title><link>{base}/articles/foire</link>
<guid>foire-1</guid><pubDate>Mon, 23 Nov 2026 08:00:00 +0100</pubDate></item>
<item><title>Le pont de Lékié rouvert</title><link>{base}/articles/pont</link>
<guid>pont-1</guid></item>
</channel></rss>"""

# No date in the metadata nor in a byline; the text names one (the date of another event).
PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title></head><body>
<article><h1>{title}</h1>
<p>{lead}, suspendu depuis le 12 mars 2024, reprend sur la place du marché de Kalaba avec
une centaine d'exposants venus de toute la région et des ateliers pour les écoles.</p>
<p>Les organisateurs attendent plusieurs milliers de visiteurs pendant les trois jours, malgré
les travaux sur la route nationale qui ralentissent encore l'accès au centre de la ville.</p>
</article></body></html>"""


def test_feed_date_wins_over_a_date_read_in_the_text(
    loopback: Loopback, settings: Settings
) -> None:
    base = loopback.base_url
    loopback.route(
        "/feed.xml",
        Reply(
            headers={"Content-Type": "application/rss+xml"}, body=FEED.format(base=base).encode()
        ),
    )
    html = {"Content-Type": "text/html; charset=utf-8"}
    for path, title, lead in (
        ("foire", "La foire aux semences rouvre", "Le marché des semences paysannes"),
        ("pont", "Le pont de Lékié rouvert", "Le passage des camions sur le pont"),
    ):
        page = PAGE.format(title=title, lead=lead).encode()
        loopback.route(f"/articles/{path}", Reply(headers=html, body=page))
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(
            Source(url=loopback.url("/feed.xml"), name="Essai", kind=SourceKind.FEED, lang="fr")
        )
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass([source])
        dates = {a.title: a.published_at for a in store.articles.latest()}
    # dated by the feed: the feed's time, not the date printed on the page
    assert dates["La foire aux semences rouvre"] == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    # dated by nothing else: the date found in the page's text is the best there is
    assert dates["Le pont de Lékié rouvert"] == datetime(2024, 3, 12, tzinfo=UTC)
