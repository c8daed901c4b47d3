"""Every source fails alone, with a message naming the source, the problem and the fix."""

from __future__ import annotations

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind, SourceState
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from tests.support.loopback import Loopback, Reply

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le Veilleur</title><link>{base}/</link>
<item><title>La foire agricole de Téréna ouvre samedi</title><link>{base}/a/foire</link>
<guid>foire</guid><pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate>
<description>Plus de trois cents exposants sont attendus à la foire agricole.</description></item>
</channel></rss>"""

PAGE = """<!doctype html><html lang="fr"><head><title>La foire agricole de Téréna</title></head>
<body><article><h1>La foire agricole de Téréna ouvre samedi</h1>
<p>Plus de trois cents exposants sont attendus samedi à la foire agricole de Téréna, qui se
tient chaque année sur l'esplanade du marché central depuis bientôt vingt ans.</p>
<p>Les organisateurs annoncent des démonstrations de semoirs et un concours de bétail, ainsi
qu'un espace consacré aux coopératives de femmes productrices de manioc et de mil.</p>
</article></body></html>"""


CRAFTED = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="\xed\xa0/" t=""/>'


def states_of(store: Store) -> dict[str, SourceState]:
    return {s.url: s.state for s in store.sources.all()}


def _serve_good(loopback: Loopback) -> None:
    base = loopback.base_url
    loopback.route(
        "/feed.xml",
        Reply(
            headers={"Content-Type": "application/rss+xml"}, body=FEED.format(base=base).encode()
        ),
    )
    loopback.route(
        "/a/foire", Reply(headers={"Content-Type": "text/html; charset=utf-8"}, body=PAGE.encode())
    )


def test_broken_sources_fail_alone_with_named_errors(
    loopback: Loopback, settings: Settings
) -> None:
    _serve_good(loopback)
    loopback.route("/gone.xml", Reply(status=410, body=b"gone"))
    loopback.route(
        "/json-error",
        Reply(headers={"Content-Type": "application/json"}, body=b'{"error": "rate limited"}'),
    )
    loopback.route("/empty.xml", Reply(body=b""))
    # found by fuzzing: feedparser's strict parser raises ValueError on this namespace
    loopback.route("/crafted.xml", Reply(body=CRAFTED))
    loopback.route(
        "/page.html",
        Reply(
            headers={"Content-Type": "text/html"},
            body=b"<html><head><title>Accueil</title></head></html>",
        ),
    )
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        urls = ["/gone.xml", "/json-error", "/empty.xml", "/page.html", "/crafted.xml", "/feed.xml"]
        sources = [
            store.sources.add(Source(url=loopback.url(u), name=u, kind=SourceKind.FEED))
            for u in urls
        ]
        with Ingestor(store, fetcher, settings) as ingestor:
            report = ingestor.run_pass(sources)
        by_url = {r.source.url: r for r in report.sources}
        good = by_url[loopback.url("/feed.xml")]
        assert good.error is None and good.new_articles == 1
        for path in urls[:-1]:
            result = by_url[loopback.url(path)]
            assert result.error, path
            assert f"source {result.source.id}" in result.error
        assert "410" in by_url[loopback.url("/gone.xml")].error  # type: ignore[operator]
        assert "rate limited" in by_url[loopback.url("/json-error")].error  # type: ignore[operator]
        assert "empty" in by_url[loopback.url("/empty.xml")].error  # type: ignore[operator]
        assert "HTML page" in by_url[loopback.url("/page.html")].error  # type: ignore[operator]
        assert "feed" in by_url[loopback.url("/crafted.xml")].error  # type: ignore[operator]
        assert states_of(store)[loopback.url("/crafted.xml")] == SourceState.ERROR
        states = {s.url: s.state for s in store.sources.all()}
        assert states[loopback.url("/gone.xml")] == SourceState.DISABLED
        assert states[loopback.url("/json-error")] == SourceState.ERROR
        assert states[loopback.url("/feed.xml")] == SourceState.ACTIVE
        assert store.articles.count() == 1


def test_a_feed_url_that_became_a_page_follows_the_feed_it_announces(
    loopback: Loopback, settings: Settings
) -> None:
    _serve_good(loopback)
    loopback.route(
        "/old-feed",
        Reply(
            headers={"Content-Type": "text/html"},
            body=(
                '<html><head><title>Le Veilleur</title><link rel="alternate" '
                f'type="application/rss+xml" href="{loopback.url("/feed.xml")}"></head></html>'
            ).encode(),
        ),
    )
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(Source(url=loopback.url("/old-feed"), name="Veilleur"))
        with Ingestor(store, fetcher, settings) as ingestor:
            report = ingestor.run_pass([source])
        assert report.sources[0].error is None
        assert store.articles.count() == 1
        assert store.sources.get(source.id).url == loopback.url("/feed.xml")  # type: ignore[arg-type]


def test_conditional_get_makes_a_second_pass_cheap(loopback: Loopback, settings: Settings) -> None:
    _serve_good(loopback)
    etag = '"v1"'

    def feed(request):  # type: ignore[no-untyped-def]
        if request.header("if-none-match") == etag:
            return Reply(status=304)
        return Reply(
            headers={"Content-Type": "application/rss+xml", "ETag": etag},
            body=FEED.format(base=loopback.base_url).encode(),
        )

    loopback.route("/feed.xml", feed)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(Source(url=loopback.url("/feed.xml"), name="Veilleur"))
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass([source])
            second = ingestor.run_pass([store.sources.get(source.id)])  # type: ignore[arg-type]
        assert second.sources[0].not_modified
        assert second.new_articles == 0
        assert len(loopback.hits_to("/a/foire")) == 1
        assert store.sources.get(source.id).etag == etag  # type: ignore[arg-type]


def test_a_feed_past_the_download_limit_gives_its_first_items(
    loopback: Loopback, settings: Settings
) -> None:
    """100,000 items, 24 MB (Content-Length announced): read up to the 15 MB limit, the first
    1,000 items kept, where the whole feed used to be refused with none."""
    base = loopback.base_url
    summary = "un résumé assez long pour que cent mille articles pèsent leur poids. " * 2
    items = "".join(
        f"<item><title>Article {i} de la foire</title><link>{base}/a/{i}</link>"
        f"<guid>g{i}</guid><description>Stand {i} : {summary}</description></item>"
        for i in range(100_000)
    )
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Le Veilleur</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()
    assert len(body) > 24_000_000
    loopback.route("/big.xml", Reply(headers={"Content-Type": "application/rss+xml"}, body=body))
    settings = settings.replace(fetch_pages=False)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(
            Source(url=loopback.url("/big.xml"), name="Le Veilleur", kind=SourceKind.FEED)
        )
        with Ingestor(store, fetcher, settings) as ingestor:
            [report] = ingestor.run_pass([source]).sources
        assert report.error is None
        assert store.articles.count() == 1000
        assert states_of(store)[source.url] == SourceState.ACTIVE


BROKEN_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Le Portail</title><subtitle>Actualit
<br />
<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted in feed-atom.php"""

HOME = """<!doctype html><html lang="fr"><head><title>Le Portail</title></head><body>
<main><article><h2><a href="/index.php/2026/11/24/foire-agricole-teréna">La foire agricole de
Téréna ouvre samedi</a></h2></article>
<article><h2><a href="/index.php/2026/11/24/barrage-sorene">Le barrage de la Sorène
est achevé</a></h2></article></main></body></html>"""


def test_a_feed_unreadable_three_polls_in_a_row_gives_way_to_the_home_page(
    loopback: Loopback, settings: Settings
) -> None:
    """The fix the error names ("add the site's home page instead"), applied by actuel itself
    after three failed polls, when the home page links to articles."""
    loopback.route(
        "/feed/atom/", Reply(headers={"Content-Type": "application/atom+xml"}, body=BROKEN_ATOM)
    )
    loopback.route(
        "/", Reply(headers={"Content-Type": "text/html; charset=utf-8"}, body=HOME.encode())
    )
    settings = settings.replace(fetch_pages=False)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        added = store.sources.add(
            Source(url=loopback.url("/feed/atom/"), name="Le Portail", kind=SourceKind.FEED)
        )
        assert added.id is not None
        with Ingestor(store, fetcher, settings) as ingestor:
            for _ in range(2):
                [report] = ingestor.run_pass([store.sources.get(added.id)]).sources
                assert report.error and "feed" in report.error
            assert store.sources.get(added.id).state == SourceState.ERROR
            [report] = ingestor.run_pass([store.sources.get(added.id)]).sources
        assert report.error is None
        source = store.sources.get(added.id)
        assert source.kind == SourceKind.PAGE and source.url == loopback.url("/")
        assert source.state == SourceState.ACTIVE
        assert store.articles.count() == 2
