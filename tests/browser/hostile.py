"""An outlet that attacks its readers: a feed and pages carrying script payloads, on loopback.

Every payload calls `__actuelPwned(label)`: if one ever runs in a reader's browser, the test hears
which one. The texts are ours (fictional), long enough for the extractor to keep them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from actuel.cli.demo import demo_settings
from actuel.config import load_settings
from actuel.fetch import Fetcher
from actuel.model import SourceKind
from actuel.pipeline.discovery import new_source
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.loopback import Loopback, Reply
from tests.support.webserver import running


def payloads(label: str) -> list[str]:
    """Ways to run a script from outside HTML, each naming itself when it runs."""
    call = f"__actuelPwned('{label}')"
    return [
        f"<script>{call}</script>",
        f'<img src="x" onerror="{call}">',
        f"<svg onload=\"{call}\"><circle r='1'/></svg>",
        f'<a href="javascript:{call}">un lien</a>',
        f'<a href="data:text/html,<script>{call}</script>">un autre</a>',
        f'<iframe srcdoc="<script>parent.{call}</script>"></iframe>',
        f'<div style="background:url(javascript:{call})" onmouseover="{call}">survol</div>',
        f'"><script>{call}</script>',
    ]


PARAGRAPHS = (
    "Le conseil municipal de Port-Ambre a voté jeudi soir le budget de l'année prochaine, après "
    "une séance de plus de quatre heures marquée par de longs échanges sur le prix des transports.",
    "La majorité a défendu une hausse modérée des investissements dans les écoles du quartier du "
    "port, tandis que l'opposition réclamait d'abord la rénovation de la halle aux poissons.",
    "Le maire a promis de présenter au printemps un calendrier précis des travaux, quartier par "
    "quartier, et d'ouvrir une consultation des habitants avant toute décision sur la halle.",
)
TITLES = (
    "Port-Ambre : le conseil municipal vote le budget",
    "Port-Ambre : la halle aux poissons attendra",
    "Port-Ambre : une consultation promise aux habitants",
)


def _page(n: int, base: str) -> bytes:
    bad = payloads(f"page {n}")
    body = "\n".join(
        f"<p>{text} {bad[(i + n) % len(bad)]}</p>" for i, text in enumerate(PARAGRAPHS * 2)
    )
    html = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>{escape(TITLES[n])}</title>
<meta name="author" content="{escape(bad[2])}">
<meta property="og:title" content="{escape(TITLES[n] + bad[0])}">
<meta property="og:image" content="javascript:__actuelPwned('og image {n}')">
<link rel="canonical" href="{base}/articles/{n}">
</head><body><article><h1>{escape(TITLES[n])}</h1>{"".join(bad)}
{body}
</article></body></html>"""
    return html.encode()


def _feed(base: str) -> bytes:
    when = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    items = []
    for n, title in enumerate(TITLES):
        bad = payloads(f"feed {n}")
        items.append(
            f"""<item><title>{escape(title + " " + bad[n % len(bad)])}</title>
<link>{base}/articles/{n}</link><guid>{base}/articles/{n}</guid>
<author>redaction@exemple.test ({escape(bad[2])})</author>
<pubDate>{format_datetime(when - timedelta(hours=n), usegmt=True)}</pubDate>
<description>{escape(PARAGRAPHS[n] + "".join(bad))}</description></item>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>La Gazette piégée</title><link>{base}/</link><description>Piégée</description>
<language>fr</language>{"".join(items)}</channel></rss>""".encode()


@contextmanager
def hostile_outlet() -> Iterator[Loopback]:
    """The outlet on loopback: its feed at /feed.xml, its pages at /articles/N."""
    server = Loopback()
    base = server.base_url
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.route(
        "/feed.xml", Reply(headers={"Content-Type": "application/rss+xml"}, body=_feed(base))
    )
    for n in range(len(TITLES)):
        server.route(f"/articles/{n}", Reply(headers=html, body=_page(n, base)))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def hostile_site(root: Path) -> Iterator[tuple[str, str]]:
    """Ingest the hostile outlet through the real pipeline into root/hostile.db, serve the site:
    (the site's base URL, the outlet's)."""
    settings = demo_settings(
        load_settings(environ={}, db=str(root / "hostile.db"), fetch_respect_robots=False)
    ).replace(extract_workers=1)
    with hostile_outlet() as outlet:
        with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
            source = store.sources.add(
                new_source(
                    outlet.url("/feed.xml"),
                    None,
                    kind=SourceKind.FEED,
                    name="La Gazette piégée",
                    lang="fr",
                )
            )
            with Ingestor(store, fetcher, settings) as ingestor:
                ingestor.run_pass([source])
            assert store.articles.count() == len(TITLES), "the hostile outlet was not ingested"
        with running(create_app(settings)) as base_url:
            yield base_url, outlet.base_url
