"""Sources: registering, reading, updating, removing and picking the ones due for a poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from actuel.errors import DuplicateSourceError, NotFoundError
from actuel.model import FetchLog, Source, SourceKind, SourceState
from actuel.store import Store
from tests.store.helpers import T0, add_source, article


def test_added_source_reads_back_by_id_and_url(store: Store) -> None:
    added = store.sources.add(
        Source(
            url="https://www.leprogres.fr/rss",
            name="Le Progrès",
            kind=SourceKind.SITEMAP,
            lang="fr",
            category="régional",
            interval_s=900,
            site_url="https://www.leprogres.fr/",
        )
    )
    assert added.id is not None
    assert added.created_at is not None and added.created_at.tzinfo is not None
    assert store.sources.get(added.id) == added
    assert store.sources.get("https://www.leprogres.fr/rss") == added
    assert store.sources.get(added.id).kind is SourceKind.SITEMAP
    assert store.sources.all() == [added]


def test_duplicate_url_names_the_existing_source(store: Store) -> None:
    first = add_source(store)
    with pytest.raises(DuplicateSourceError) as caught:
        store.sources.add(Source(url=first.url, name="Encore"))
    assert f"source {first.id}" in str(caught.value)
    assert len(store.sources.all()) == 1


def test_update_changes_every_mutable_field(store: Store) -> None:
    source = add_source(store)
    paris = timezone(timedelta(hours=1))
    source.url = "https://journal1.example.fr/feed.xml"
    source.name = "Journal un"
    source.kind = SourceKind.PAGE
    source.lang = "en"
    source.category = "sport"
    source.interval_s = 600
    source.site_url = "https://journal1.example.fr/"
    source.state = SourceState.ERROR
    source.etag = '"abc"'
    source.last_modified = "Wed, 25 Nov 2026 07:00:00 GMT"
    source.next_poll_at = datetime(2026, 11, 25, 9, 30, tzinfo=paris)
    source.last_polled_at = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    source.error_count = 3
    source.last_error = "HTTP 503"
    store.sources.update(source)
    again = store.sources.get(source.id or 0)
    assert again == source
    assert again.next_poll_at == datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    assert again.next_poll_at is not None and again.next_poll_at.utcoffset() == timedelta(0)


def test_update_to_a_taken_url_is_refused(store: Store) -> None:
    one, two = add_source(store, 1), add_source(store, 2)
    two.url = one.url
    with pytest.raises(DuplicateSourceError):
        store.sources.update(two)
    assert store.sources.get(two.id or 0).url != one.url


def test_unknown_source_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.sources.get(999)
    with pytest.raises(NotFoundError):
        store.sources.get("https://nowhere.example/rss")
    with pytest.raises(NotFoundError):
        store.sources.remove(999)
    with pytest.raises(NotFoundError):
        store.sources.update(Source(url="https://x.example/rss", id=999))


def test_removing_a_source_deletes_its_articles_and_keeps_the_fetch_log(store: Store) -> None:
    gone, kept = add_source(store, 1), add_source(store, 2)
    for n in range(3):
        store.articles.upsert(article(gone, n), raw_html=b"<p>page</p>")
    store.articles.upsert(article(kept, 1))
    store.fetches.log(FetchLog(url=gone.url, started_at=T0, source_id=gone.id, status=200))
    assert store.sources.remove(gone.url) == 3
    assert store.articles.count() == 1
    assert [s.id for s in store.sources.all()] == [kept.id]
    assert list(store.articles.raw_pages()) == []
    assert store.search.hits("article") and all(
        a.source_id == kept.id for a, _ in store.search.hits("article")
    )
    assert store.maintenance.stats()["fetches"]["total"] == 1
    assert store.maintenance.integrity_check() == []


def test_due_sources_are_active_or_failing_and_their_time_has_come(store: Store) -> None:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    never = add_source(store, 1)
    past = add_source(store, 2, next_poll_at=now - timedelta(minutes=5))
    failing = add_source(store, 3, state=SourceState.ERROR, next_poll_at=now)
    add_source(store, 4, next_poll_at=now + timedelta(seconds=1))
    add_source(store, 5, state=SourceState.PAUSED)
    add_source(store, 6, state=SourceState.DISABLED, next_poll_at=now - timedelta(days=1))
    due = store.sources.due(now)
    assert [s.id for s in due] == [never.id, past.id, failing.id]
