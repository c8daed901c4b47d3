"""`actuel reprocess` re-extracts every article from its stored page, without the network."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source
from actuel.pipeline.ingest import Ingestor
from actuel.pipeline.reprocess import reprocess
from actuel.store import Store
from tests.pipeline.test_bad_sources import _serve_good
from tests.support.loopback import Loopback, Reply


def test_reprocess_restores_text_from_the_stored_page(
    loopback: Loopback, settings: Settings
) -> None:
    _serve_good(loopback)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(Source(url=loopback.url("/feed.xml"), name="Veilleur"))
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass([source])
        [article] = store.articles.latest()
        original_text = article.text
        assert "coopératives de femmes" in original_text
        article.text = "texte abîmé par un ancien extracteur"
        store.articles.update_extraction(article)
    loopback.stop()  # nothing may be fetched again
    hits_before = len(loopback.hits)
    env = dict(os.environ, ACTUEL_DB=settings.db, ACTUEL_LOG_FORMAT="json")
    done = subprocess.run(
        [sys.executable, "-m", "actuel", "reprocess"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "re-extracted 1 articles" in done.stdout
    for line in done.stderr.splitlines():
        if line.startswith("{"):
            assert "event" in json.loads(line)  # structured logs, one object per line
    with Store.open(settings.db, settings) as store:
        [article] = store.articles.latest()
    assert article.text == original_text
    assert len(loopback.hits) == hits_before


SECTION_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le Stade</title><link>{base}/</link>
<item><title>Les Aigles battent les Lions deux buts à un</title><link>{base}/a/derby</link>
<guid>derby</guid><category>Actualité</category></item></channel></rss>"""
SECTION_PAGE = """<!doctype html><html lang="fr"><head><title>Derby</title>
<meta property="article:section" content="Sport"></head>
<body><article><h1>Les Aigles battent les Lions deux buts à un</h1>
<p>Devant douze mille spectateurs, les Aigles ont pris le dessus en seconde période, grâce à
deux réalisations de leur avant-centre, avant de tenir bon jusqu'au coup de sifflet final.</p>
</article></body></html>"""


def test_ingest_files_articles_by_the_outlets_section_and_reprocess_fills_old_ones(
    loopback: Loopback, settings: Settings
) -> None:
    base = loopback.base_url
    rss = {"Content-Type": "application/rss+xml"}
    loopback.route("/feed.xml", Reply(headers=rss, body=SECTION_FEED.format(base=base).encode()))
    loopback.route(
        "/a/derby", Reply(headers={"Content-Type": "text/html"}, body=SECTION_PAGE.encode())
    )
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.sources.add(Source(url=loopback.url("/feed.xml"), name="Le Stade"))
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass([source])
        [article] = store.articles.latest()
        assert (article.rubrique, article.rubrique_by) == ("sport", "category")
    with sqlite3.connect(settings.db) as conn:  # a database from before rubriques
        conn.execute("UPDATE articles SET rubrique = NULL, rubrique_by = NULL")
    loopback.stop()
    with Store.open(settings.db, settings) as store:
        assert reprocess(store, settings) == 1
        [article] = store.articles.latest()
    assert (article.rubrique, article.rubrique_by) == ("sport", "category")
