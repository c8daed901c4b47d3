"""Workers at once: two processes ingesting the same items store each article once."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from actuel.config import Settings
from actuel.store import Store
from tests.store.helpers import add_source, article
from tests.store.test_crash import start_worker


def test_two_workers_ingesting_the_same_items_make_no_duplicates(
    db_url: str, settings: Settings, tmp_path: Path
) -> None:
    Store.open(db_url, settings).close()  # schema first, so both workers start ingesting at once
    total = 100
    go = tmp_path / "go"
    with (
        start_worker(db_url, 0, total, ACTUEL_TEST_GO_FILE=str(go)) as one,
        start_worker(db_url, 0, total, ACTUEL_TEST_GO_FILE=str(go)) as two,
    ):
        for worker in (one, two):
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        go.touch()
        for worker in (one, two):
            _, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
    with Store.open(db_url, settings) as store:
        assert len(store.sources.all()) == 1
        assert store.articles.count() == total
        urls = [a.canonical_url for a in store.articles.latest(limit=1000)]
        assert len(urls) == len(set(urls)) == total
        assert len(list(store.articles.raw_pages())) == total
        assert store.maintenance.integrity_check() == []


def test_workers_opening_a_new_database_at_once_all_succeed(
    db_url: str, settings: Settings
) -> None:
    code = f"from actuel.store import Store; Store.open({db_url!r}).close()"
    openers = [
        subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for opener in openers:
        with opener:
            _, err = opener.communicate(timeout=60)
            assert opener.returncode == 0, err
    with Store.open(db_url, settings, readonly=True) as store:
        assert store.sources.all() == []


def test_threads_sharing_one_store_read_while_it_writes(store: Store) -> None:
    source = add_source(store)
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                page = store.articles.latest(limit=20)
                assert len({a.id for a in page}) == len(page)
                store.search.hits("article")
                store.maintenance.stats()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for n in range(60):
            store.articles.upsert(article(source, n))
    finally:
        done.set()
        for reader in readers:
            reader.join(timeout=30)
    assert errors == []
    assert store.articles.count() == 60
