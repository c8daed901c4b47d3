"""Items whose page cannot be fetched are stored from the feed, marked, and recovered later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from tests.support.loopback import Loopback, Reply

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le Quotidien d'essai</title><link>{base}/</link>
<item><title>Le barrage de la Sorène achevé</title><link>{base}/articles/barrage</link>
<guid>barrage-1</guid><pubDate>Mon, 23 Nov 2026 08:00:00 +0100</pubDate>
<description>&lt;p&gt;Les travaux du barrage sont terminés après quatre ans de chantier, a annoncé
le ministère de l'Énergie lundi matin à Kalaba.&lt;/p&gt;</description></item>
</channel></rss>"""

PAGE = """<!doctype html><html lang="fr"><head><title>Le barrage de la Sorène achevé</title></head>
<body><nav>Accueil | Politique | Économie</nav><article><h1>Le barrage de la Sorène achevé</h1>
<p>Les travaux du barrage de la Sorène sont terminés après quatre ans de chantier, a annoncé le
ministère de l'Énergie lundi matin à Kalaba, devant les élus de la région.</p>
<p>L'ouvrage doit fournir l'électricité de près de deux cent mille foyers dès le mois prochain,
selon les ingénieurs chargés de la mise en service progressive des turbines.</p>
<p>« C'est une étape décisive pour tout le pays », a déclaré la ministre lors de l'inauguration,
rappelant que le chantier avait connu plusieurs retards liés aux crues de la saison des pluies.</p>
</article><footer>Mentions légales</footer></body></html>"""


def test_page_failure_keeps_feed_text_then_recovers(loopback: Loopback, settings: Settings) -> None:
    base = loopback.base_url
    loopback.route(
        "/feed.xml",
        Reply(
            headers={"Content-Type": "application/rss+xml"}, body=FEED.format(base=base).encode()
        ),
    )
    loopback.route("/articles/barrage", Reply(status=500, body=b"upstream error"))
    settings = settings.replace(backoff_base=1)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(
            Source(url=loopback.url("/feed.xml"), name="Essai", kind=SourceKind.FEED, lang="fr")
        )
        with Ingestor(store, fetcher, settings) as ingestor:
            report = ingestor.run_pass([source])
            assert report.sources[0].feed_only == 1
            [article] = store.articles.latest()
            assert article.from_feed_only
            assert article.title == "Le barrage de la Sorène achevé"
            assert "quatre ans de chantier" in article.text
            assert article.published_at == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)

            # The page comes back: the retry replaces the feed text with the full page.
            loopback.route(
                "/articles/barrage",
                Reply(headers={"Content-Type": "text/html; charset=utf-8"}, body=PAGE.encode()),
            )
            stored = store.articles.get(article.id)  # type: ignore[arg-type]
            stored.next_page_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
            store.articles.update_extraction(stored)
            assert ingestor.retry_pages() == 1
        [article] = store.articles.latest()
        assert not article.from_feed_only
        assert "deux cent mille foyers" in article.text
        assert store.articles.count() == 1


WIRE_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>L'Agence d'essai</title><link>{base}/</link>
<item><title>Le barrage de la Sorène achevé</title><link>{base}/depeches/barrage</link>
<guid>depeche-barrage</guid><pubDate>Mon, 23 Nov 2026 08:00:00 +0100</pubDate>
<description>Les travaux du barrage sont terminés.</description></item>
</channel></rss>"""

TEASER_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Gazette d'essai</title><link>{base}/</link>
<item><title>Énergie : fin de chantier au nord</title><link>{base}/gazette/energie</link>
<guid>gazette-energie</guid><pubDate>Mon, 23 Nov 2026 11:30:00 +0100</pubDate>
<description>Notre dossier du jour.</description></item>
</channel></rss>"""

REWRITE_PAGE = """<!doctype html><html lang="fr"><head>
<title>Énergie : fin de chantier au nord</title></head><body><article>
<h1>Énergie : fin de chantier au nord</h1>
<p>Quatre ans après le premier coup de pioche, le barrage de la Sorène est terminé. La ministre de
l'Énergie l'a inauguré lundi à Kalaba, en présence des élus de la région.</p>
<p>Les turbines seront mises en service progressivement à partir du mois prochain et doivent
alimenter près de deux cent mille foyers. Le chantier a pris du retard à plusieurs reprises à cause
des crues de la saison des pluies, ont rappelé les ingénieurs.</p>
<p>« Une étape décisive pour tout le pays », a dit la ministre.</p></article></body></html>"""


def test_headline_item_joins_the_story_when_its_page_comes(
    loopback: Loopback, settings: Settings
) -> None:
    """A feed item with a title and a line shares too little to join the story it tells; once its
    page (the same event in the newsroom's own words) is fetched, it joins that story and leaves
    no story of its own behind."""
    base = loopback.base_url
    html = {"Content-Type": "text/html; charset=utf-8"}
    rss = {"Content-Type": "application/rss+xml"}
    loopback.route("/agence.xml", Reply(headers=rss, body=WIRE_FEED.format(base=base).encode()))
    loopback.route("/gazette.xml", Reply(headers=rss, body=TEASER_FEED.format(base=base).encode()))
    loopback.route("/depeches/barrage", Reply(headers=html, body=PAGE.encode()))
    loopback.route("/gazette/energie", Reply(status=503, body=b"maintenance"))
    settings = settings.replace(backoff_base=1)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        sources = [
            store.sources.add(
                Source(url=loopback.url(path), name=name, kind=SourceKind.FEED, lang="fr")
            )
            for path, name in (("/agence.xml", "Agence"), ("/gazette.xml", "Gazette"))
        ]
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass(sources)
            teaser = next(a for a in store.articles.latest() if a.from_feed_only)
            assert len(store.stories.latest()) == 2, "the title and line alone join no story"

            loopback.route("/gazette/energie", Reply(headers=html, body=REWRITE_PAGE.encode()))
            stored = store.articles.get(teaser.id)  # type: ignore[arg-type]
            stored.next_page_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
            store.articles.update_extraction(stored)
            assert ingestor.retry_pages() == 1

        [story] = store.stories.latest()
        members = {m.article.url: m for m in store.stories.members(story.id)}
        assert set(members) == {loopback.url("/depeches/barrage"), loopback.url("/gazette/energie")}
        assert members[loopback.url("/gazette/energie")].relation != "original"
        assert story.article_count == 2
