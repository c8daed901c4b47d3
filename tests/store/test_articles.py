"""Articles: stored once whatever the feed does, updated in place, read back newest first."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from actuel.errors import NotFoundError, StoreError
from actuel.model import Source
from actuel.store import Store
from actuel.store.schema import pages
from tests.store.helpers import T0, add_source, article


def test_same_article_twice_is_stored_once(store: Store) -> None:
    source = add_source(store)
    first = store.articles.upsert(article(source, 1))
    again = store.articles.upsert(article(source, 1))
    assert first[1] is True
    assert again == (first[0], False)
    assert store.articles.count() == 1


def test_article_reads_back_with_every_field(store: Store) -> None:
    source = add_source(store)
    paris = timezone(timedelta(hours=2))
    item = article(
        source,
        1,
        summary="Un résumé",
        author="Camille Dupont",
        published_at=datetime(2026, 6, 1, 10, 0, tzinfo=paris),
        image="https://journal.example.fr/photo.jpg",
        site_name="Le Journal",
        content_hash="abc123",
        extracted_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
    )
    article_id, _ = store.articles.upsert(item)
    stored = store.articles.get(article_id)
    assert stored.published_at == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert stored.published_at is not None and stored.published_at.utcoffset() == timedelta(0)
    assert stored.first_seen_at is not None and stored.first_seen_at.tzinfo is not None
    assert replace(stored, id=None, first_seen_at=None) == replace(
        item, published_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    )
    assert store.articles.find(canonical_url=item.canonical_url) == stored
    assert store.articles.find(source_id=source.id, guid=item.guid) == stored
    assert store.articles.find(canonical_url="https://journal.example.fr/absent") is None


def test_unknown_article_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.articles.get(12345)


def test_same_guid_with_a_new_url_updates_the_article(store: Store) -> None:
    source = add_source(store)
    article_id, _ = store.articles.upsert(article(source, 1))
    moved = article(source, 1, canonical_url="https://journal.example.fr/nouvelle-adresse")
    assert store.articles.upsert(moved) == (article_id, False)
    assert store.articles.get(article_id).canonical_url == moved.canonical_url
    assert store.articles.count() == 1


def test_same_text_is_one_article_per_outlet_but_separate_across_outlets(store: Store) -> None:
    afp_client_1, afp_client_2 = add_source(store, 1), add_source(store, 2)
    text = "Dépêche : le préfet a annoncé des restrictions d'eau."
    a = article(afp_client_1, 1, content_hash="h-depeche", text=text)
    republished = article(afp_client_1, 2, content_hash="h-depeche", text=text)
    elsewhere = article(afp_client_2, 1, content_hash="h-depeche", text=text)
    first_id, _ = store.articles.upsert(a)
    assert store.articles.upsert(republished) == (first_id, False)
    other_id, created = store.articles.upsert(elsewhere)
    assert created and other_id != first_id
    assert store.articles.count() == 2


def test_feed_only_article_gets_its_full_text_later(store: Store) -> None:
    source = add_source(store)
    teaser = article(
        source,
        1,
        text="",
        summary="Le début de l'article…",
        from_feed_only=True,
        next_page_attempt_at=T0,
    )
    article_id, _ = store.articles.upsert(teaser)
    full = article(source, 1, text="Le texte complet de l'article.", author="Léa Martin")
    assert store.articles.upsert(full, raw_html=b"<html>complet</html>") == (article_id, False)
    stored = store.articles.get(article_id)
    assert stored.text == "Le texte complet de l'article."
    assert stored.summary == "Le début de l'article…"
    assert stored.author == "Léa Martin"
    assert stored.from_feed_only is False
    assert store.articles.needing_page(T0 + timedelta(days=1)) == []


def test_feed_version_never_overwrites_stored_full_text(store: Store) -> None:
    source = add_source(store)
    article_id, _ = store.articles.upsert(article(source, 1, text="Texte complet."))
    feed_again = article(
        source, 1, text="Teaser", image="https://x.example/i.jpg", from_feed_only=True
    )
    store.articles.upsert(feed_again)
    stored = store.articles.get(article_id)
    assert stored.text == "Texte complet."
    assert stored.from_feed_only is False
    assert stored.image == "https://x.example/i.jpg"  # gaps are still filled


def test_update_keeps_keys_owned_by_another_article(store: Store) -> None:
    source = add_source(store)
    one, _ = store.articles.upsert(article(source, 1))
    two, _ = store.articles.upsert(article(source, 2))
    clash = store.articles.get(two)
    clash.canonical_url = store.articles.get(one).canonical_url
    clash.title = "Titre corrigé"
    store.articles.update_extraction(clash)
    stored = store.articles.get(two)
    assert stored.title == "Titre corrigé"
    assert stored.canonical_url != store.articles.get(one).canonical_url
    assert store.articles.count() == 2


def test_latest_articles_pages_through_every_article_once(store: Store) -> None:
    source = add_source(store)
    # ties on the sort time, and an undated article sorted by when it was first seen
    for n in range(7):
        store.articles.upsert(article(source, n, published_at=T0 + timedelta(minutes=n // 2)))
    undated = article(source, 99, published_at=None, first_seen_at=T0 + timedelta(hours=1))
    undated_id, _ = store.articles.upsert(undated)
    seen: list[int] = []
    before = None
    while True:
        page = store.articles.latest(limit=3, before=before)
        if not page:
            break
        seen += [a.id or 0 for a in page]
        last = page[-1]
        assert last.id is not None
        before = (last.published_at or last.first_seen_at or T0, last.id)
    assert seen[0] == undated_id
    assert len(seen) == len(set(seen)) == 8
    everything = store.articles.latest(limit=100)
    assert [a.id for a in everything] == seen
    times = [a.published_at or a.first_seen_at for a in everything]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]


def test_latest_articles_filters_by_language_and_source(store: Store) -> None:
    one, two = add_source(store, 1), add_source(store, 2)
    store.articles.upsert(article(one, 1, language="fr"))
    store.articles.upsert(article(one, 2, language="en"))
    store.articles.upsert(article(two, 3, language="fr"))
    assert {a.canonical_url[-1] for a in store.articles.latest(lang="fr")} == {"1", "3"}
    assert {a.canonical_url[-1] for a in store.articles.latest(source_id=one.id)} == {"1", "2"}
    assert [a.language for a in store.articles.latest(lang="en", source_id=two.id)] == []


def test_articles_needing_page_are_feed_only_due_and_under_the_retry_cap(store: Store) -> None:
    source = add_source(store)
    now = T0 + timedelta(hours=1)
    due, _ = store.articles.upsert(
        article(source, 1, from_feed_only=True, next_page_attempt_at=now)
    )
    store.articles.upsert(
        article(source, 2, from_feed_only=True, next_page_attempt_at=now + timedelta(minutes=1))
    )
    cap = int(store.settings.page_retry_max)
    store.articles.upsert(
        article(source, 3, from_feed_only=True, page_attempts=cap, next_page_attempt_at=T0)
    )
    store.articles.upsert(article(source, 4))
    assert [a.id for a in store.articles.needing_page(now)] == [due]
    # a failed attempt pushes the retry back
    retry = store.articles.get(due)
    retry.page_attempts += 1
    retry.next_page_attempt_at = now + timedelta(hours=1)
    store.articles.upsert(retry)
    assert store.articles.needing_page(now) == []
    assert store.articles.get(due).page_attempts == 1
    # the feed lists the article again: its retry count and time stand
    store.articles.upsert(article(source, 1, from_feed_only=True, next_page_attempt_at=now))
    assert store.articles.needing_page(now) == []
    assert store.articles.get(due).page_attempts == 1


def test_raw_pages_come_back_exactly_and_are_stored_compressed(store: Store) -> None:
    source = add_source(store)
    html = ("<html><body>" + "<p>Un paragraphe répété.</p>" * 2000 + "</body></html>").encode()
    ids = []
    for n in range(5):
        article_id, _ = store.articles.upsert(
            article(source, n),
            raw_html=html + str(n).encode(),
            content_type="text/html; charset=utf-8",
            final_url=f"https://journal.example.fr/final/{n}",
        )
        ids.append(article_id)
    store.articles.upsert(article(source, 9))  # no page: not listed
    found = list(store.articles.raw_pages(batch=2))
    assert [a.id for a, _, _ in found] == ids
    assert [h for _, h, _ in found] == [html + str(n).encode() for n in range(5)]
    assert {t for _, _, t in found} == {"text/html; charset=utf-8"}
    with store._engine.connect() as conn:  # what is on disk, not what the API returns
        stored = conn.execute(sa.select(sa.func.max(sa.func.length(pages.c.html_z)))).scalar_one()
    assert stored < len(html) / 20


def test_update_extraction_replaces_text_and_search_follows(store: Store) -> None:
    source = add_source(store)
    article_id, _ = store.articles.upsert(article(source, 1, text="Le marché de Noël ouvre."))
    assert store.search.hits("marché")
    redone = store.articles.get(article_id)
    redone.text = "La patinoire municipale ouvre samedi."
    redone.title = "Patinoire"
    redone.author = "Jean Morel"
    redone.extracted_at = T0 + timedelta(days=1)
    store.articles.update_extraction(redone)
    stored = store.articles.get(article_id)
    assert (stored.text, stored.title, stored.author) == (redone.text, "Patinoire", "Jean Morel")
    assert stored.extracted_at == T0 + timedelta(days=1)
    assert store.search.hits("marché") == []
    assert [a.id for a, _ in store.search.hits("patinoire")] == [article_id]


def test_article_of_an_unknown_source_is_refused_cleanly(store: Store) -> None:
    source = add_source(store)
    orphan = article(source, 1, source_id=(source.id or 0) + 100)
    with pytest.raises(StoreError, match="refused"):
        store.articles.upsert(orphan, raw_html=b"<p>x</p>")
    assert store.articles.count() == 0
    assert list(store.articles.raw_pages()) == []


def test_update_extraction_records_a_failed_page_retry(store: Store) -> None:
    source = add_source(store)
    now = T0 + timedelta(hours=1)
    store.articles.upsert(article(source, 1, from_feed_only=True, next_page_attempt_at=now))
    [waiting] = store.articles.needing_page(now)
    waiting.page_attempts += 1
    waiting.next_page_attempt_at = now + timedelta(minutes=30)
    store.articles.update_extraction(waiting)
    assert store.articles.needing_page(now) == []
    [again] = store.articles.needing_page(now + timedelta(minutes=30))
    assert again.page_attempts == 1
    assert again.extracted_at is None


def test_page_compressed_by_the_caller_is_stored_as_is(store: Store) -> None:
    source = add_source(store)
    html = "<html><body><p>Déjà compressée</p></body></html>".encode()
    store.articles.upsert(article(source, 1), raw_html=zlib.compress(html, 6), compressed=True)
    store.articles.upsert(article(source, 2), raw_html=b"x\x9c looks compressed, is not")
    pages = {a.canonical_url[-1]: h for a, h, _ in store.articles.raw_pages()}
    assert pages == {"1": html, "2": b"x\x9c looks compressed, is not"}


def test_overlong_addresses_are_refused_the_same_way_on_both_backends(store: Store) -> None:
    source = add_source(store)
    junk = "https://journal.example.fr/" + "a1b2c3d4" * 700
    with pytest.raises(StoreError, match="characters long") as caught:
        store.articles.upsert(article(source, 1, canonical_url=junk, url=junk))
    assert "source " in str(caught.value)
    with pytest.raises(StoreError, match="characters long"):
        store.sources.add(Source(url=junk))
    assert store.articles.count() == 0
    store.articles.upsert(article(source, 2))  # the store is still usable afterwards
    assert store.articles.count() == 1


def test_overlong_guid_still_identifies_the_article(store: Store) -> None:
    source = add_source(store)
    guid = "tag:journal.example.fr," + "é" * 5000
    article_id, created = store.articles.upsert(article(source, 1, guid=guid))
    assert created
    moved = article(source, 1, guid=guid, canonical_url="https://journal.example.fr/autre")
    assert store.articles.upsert(moved) == (article_id, False)
    found = store.articles.find(source_id=source.id, guid=guid)
    assert found is not None and found.id == article_id


def test_a_damaged_stored_page_is_skipped_not_fatal(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    source = add_source(store)
    ids = [
        store.articles.upsert(article(source, n), raw_html=b"<p>%d</p>" % n)[0] for n in range(5)
    ]
    with store._engine.begin() as conn:  # bit rot, or a tool that wrote the wrong bytes
        conn.execute(sa.update(pages).where(pages.c.article_id == ids[2]).values(html_z=b"oops"))
    found = [a.id for a, _, _ in store.articles.raw_pages(batch=2)]
    assert found == ids[:2] + ids[3:]
    assert any("cannot be decompressed" in r.getMessage() for r in caplog.records)
