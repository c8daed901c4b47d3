"""`actuel reprocess` re-extracts every article from its stored page, without the network."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source
from actuel.pipeline import Ingestor
from actuel.store import Store
from tests.pipeline.test_bad_sources import _serve_good
from tests.support.loopback import Loopback


def test_reprocess_restores_text_from_the_stored_page(
    loopback: Loopback, settings: Settings
) -> None:
    _serve_good(loopback)
    with Store.open(settings.db, settings) as store, Fetcher(settings) as fetcher:
        source = store.add_source(Source(url=loopback.url("/feed.xml"), name="Veilleur"))
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass([source])
        [article] = store.latest_articles()
        original_text = article.text
        assert "coopératives de femmes" in original_text
        article.text = "texte abîmé par un ancien extracteur"
        store.update_extraction(article)
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
        [article] = store.latest_articles()
    assert article.text == original_text
    assert len(loopback.hits) == hits_before
