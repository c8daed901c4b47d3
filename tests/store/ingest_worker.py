"""A worker process for crash and concurrency tests: ingest articles START..STOP, print each id.

    python -m tests.store.ingest_worker DB START STOP

Each line printed is an article whose transaction has committed. With ACTUEL_TEST_GO_FILE set,
the worker prints "ready" and waits for that file, so several workers start at the same instant.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from actuel.config import load_settings
from actuel.errors import DuplicateSourceError
from actuel.model import Article, Source
from actuel.store import Store

FEED = "https://journal.example.fr/rss"


def item(source_id: int, n: int) -> Article:
    return Article(
        source_id=source_id,
        url=f"https://journal.example.fr/a/{n}?utm_medium=rss",
        canonical_url=f"https://journal.example.fr/a/{n}",
        guid=f"urn:journal:{n}",
        title=f"Article {n}",
        text=f"Texte numéro {n} " * 50,
        content_hash=f"hash-{n}",
        language="fr",
    )


def main(db: str, start: int, stop: int) -> None:
    with Store.open(db, load_settings(environ={})) as store:
        try:
            source = store.sources.add(Source(url=FEED, name="Journal"))
        except DuplicateSourceError:
            source = store.sources.get(FEED)
        assert source.id is not None
        go = os.environ.get("ACTUEL_TEST_GO_FILE")
        if go:
            print("ready", flush=True)
            deadline = time.monotonic() + 60
            while not Path(go).exists() and time.monotonic() < deadline:
                time.sleep(0.001)
        for n in range(start, stop):
            store.articles.upsert(item(source.id, n), raw_html=b"<html>%d</html>" % n)
            print(n, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
