"""Articles stored in batches (as ingest does): the same rows and ids as storing them one by one."""

from __future__ import annotations

import zlib
from dataclasses import replace

import pytest

from actuel.errors import StoreError
from actuel.model import Article
from actuel.store import Store
from actuel.store.articles import MAX_URL_CHARS, ArticleWrite
from tests.store.helpers import add_source, article


def _stored(store: Store) -> list[tuple[str, str, str | None]]:
    """(canonical URL, title, guid) of every stored article, oldest id first."""
    found = [store.articles.get(a.id) for a in store.articles.latest(limit=100) if a.id]
    return sorted((a.canonical_url, a.title, a.guid) for a in found)


def test_a_batch_of_new_articles_is_stored_with_pages_in_order(store: Store) -> None:
    source = add_source(store)
    writes = [
        ArticleWrite(article(source, n), raw_html=f"<p>page {n}</p>".encode(), final_url=f"u{n}")
        for n in range(1, 6)
    ]
    results = store.articles.upsert_many(writes)
    assert [created for _, created in results] == [True] * 5
    assert len({article_id for article_id, _ in results}) == 5
    for (article_id, _), write in zip(results, writes, strict=True):
        assert store.articles.get(article_id).canonical_url == write.article.canonical_url
    pages = {a.id: html for a, html, _ in store.articles.raw_pages()}
    assert pages == {
        article_id: f"<p>page {n}</p>".encode()
        for n, (article_id, _) in enumerate(results, start=1)
    }


def test_batch_and_one_by_one_give_the_same_rows(store: Store) -> None:
    """Known articles, repeats and key clashes inside the batch: each resolved as if alone."""
    source = add_source(store)
    known_id, _ = store.articles.upsert(article(source, 1))
    batch = [
        article(source, 2),
        article(source, 1, title="Titre corrigé"),  # already stored: updated in place
        article(source, 3),
        article(source, 2, title="Article 2, mis à jour"),  # repeats one earlier in the batch
        article(source, 4, guid="guid-1-3"),  # same guid as article 3 of the batch: one article
        article(source, 5, content_hash="même-texte"),
        article(source, 6, content_hash="même-texte"),  # same text as article 5: one article
    ]
    results = store.articles.upsert_many([ArticleWrite(a) for a in batch])
    by_position = [article_id for article_id, _ in results]
    assert [created for _, created in results] == [True, False, True, False, False, True, False]
    assert by_position[1] == known_id
    assert by_position[3] == by_position[0]
    assert by_position[4] == by_position[2]
    assert by_position[6] == by_position[5]
    batched = _stored(store)

    store.sources.remove(source.id or 0)
    again = add_source(store)
    assert again.id is not None
    for item in [article(source, 1), *batch]:
        store.articles.upsert(replace(item, source_id=again.id))
    one_by_one = _stored(store)
    assert len(batched) == 4  # 3 and 4 are one article, so are 5 and 6
    assert batched == one_by_one


def test_pages_already_compressed_are_kept_as_given(store: Store) -> None:
    source = add_source(store)
    html = "<html><body><p>Un article entier, accents compris : é à ç.</p></body></html>"
    blob = zlib.compress(html.encode("utf-8"), 6)
    [(article_id, created)] = store.articles.upsert_many(
        [ArticleWrite(article(source, 1), raw_html=blob, compressed=True)]
    )
    assert created
    [(stored, page, _)] = list(store.articles.raw_pages())
    assert stored.id == article_id and page == html.encode("utf-8")


def test_the_last_page_of_an_article_repeated_in_a_batch_wins(store: Store) -> None:
    source = add_source(store)
    results = store.articles.upsert_many(
        [
            ArticleWrite(article(source, 1), raw_html=b"<p>first fetch</p>"),
            ArticleWrite(article(source, 1), raw_html=b"<p>second fetch</p>"),
        ]
    )
    assert results[0][0] == results[1][0]
    assert [page for _, page, _ in store.articles.raw_pages()] == [b"<p>second fetch</p>"]


def test_a_refused_article_stores_nothing_of_its_batch(store: Store) -> None:
    """The pipeline then stores the batch one by one, so the bad item costs only itself."""
    source = add_source(store)
    too_long = "https://journal.example.fr/" + "x" * MAX_URL_CHARS
    bad: Article = article(source, 2, canonical_url=too_long)
    with pytest.raises(StoreError, match="canonical_url"), store.batch():
        store.articles.upsert_many([ArticleWrite(article(source, 1)), ArticleWrite(bad)])
    assert store.articles.count() == 0


def test_an_empty_batch_does_nothing(store: Store) -> None:
    assert store.articles.upsert_many([]) == []
    assert store.articles.count() == 0
