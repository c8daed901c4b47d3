"""Comment rows on both backends: stored once per text, listed by status, moderated in bulk."""

from __future__ import annotations

from datetime import timedelta

import pytest

from actuel.errors import StoreError
from actuel.model import Comment
from actuel.store import Store
from tests.store.helpers import T0, add_source, article


def _article(store: Store, n: int = 1) -> int:
    source = add_source(store, n)
    article_id, _ = store.articles.upsert(article(source, n))
    return article_id


def _comment(article_id: int, n: int, **fields: object) -> Comment:
    values: dict[str, object] = {
        "article_id": article_id,
        "author_name": f"Lectrice {n}",
        "text": f"Commentaire numéro {n}.",
        "email_hash": f"hash-{n}",
        "created_at": T0 + timedelta(minutes=n),
    }
    values.update(fields)
    return Comment(**values)  # type: ignore[arg-type]


def test_the_same_text_under_the_same_article_is_stored_once(store: Store) -> None:
    first, second = _article(store, 1), _article(store, 2)
    saved = store.comments.add(_comment(first, 1))
    assert saved is not None and saved.id is not None
    assert store.comments.add(_comment(first, 1, author_name="Autre", email_hash="x")) is None
    assert store.comments.add(_comment(second, 1)) is not None  # another article: fine
    assert store.comments.exists(first, "Commentaire numéro 1.")
    assert not store.comments.exists(first, "Commentaire numéro 2.")
    assert store.comments.get(saved.id).author_name == "Lectrice 1"


def test_moderation_queue_lists_by_status_newest_first_and_pages(store: Store) -> None:
    article_id = _article(store)
    ids = []
    for n in range(5):
        saved = store.comments.add(_comment(article_id, n))
        assert saved is not None and saved.id is not None
        ids.append(saved.id)
    first_page = store.comments.by_status("pending", limit=3)
    assert [c.id for c in first_page] == ids[::-1][:3]
    last = first_page[-1]
    assert last.created_at is not None and last.id is not None
    rest = store.comments.by_status("pending", limit=3, before=(last.created_at, last.id))
    assert [c.id for c in rest] == ids[::-1][3:]
    assert store.comments.count() == {"pending": 5, "published": 0, "spam": 0, "deleted": 0}


def test_bulk_approve_spam_delete_move_comments_and_publish_them(store: Store) -> None:
    article_id = _article(store)
    ids = []
    for n in range(6):
        saved = store.comments.add(_comment(article_id, n))
        assert saved is not None and saved.id is not None
        ids.append(saved.id)
    assert store.comments.approve([*ids[:3], 999_999]) == 3
    assert store.comments.approve(ids[:3]) == 0  # already published: nothing changes
    assert store.comments.mark_spam([ids[3]]) == 1
    assert store.comments.delete(ids[4:]) == 2
    assert store.comments.count() == {"pending": 0, "published": 3, "spam": 1, "deleted": 2}
    shown = store.comments.of_article(article_id)
    assert [c.id for c in shown] == ids[:3]  # oldest first, only published ones
    assert all(c.moderated_at is not None for c in shown)
    assert store.comments.published_counts([article_id, 424242]) == {article_id: 3}
    assert store.comments.purge([ids[3]]) == 1
    assert store.comments.count()["spam"] == 0


def test_an_email_is_approved_once_one_of_its_comments_is_published(store: Store) -> None:
    article_id = _article(store)
    saved = store.comments.add(_comment(article_id, 1, email_hash="h-anne"))
    assert saved is not None and saved.id is not None
    assert not store.comments.email_approved("h-anne")
    store.comments.approve([saved.id])
    assert store.comments.email_approved("h-anne")
    later = store.comments.add(_comment(article_id, 2, email_hash="h-anne"))
    assert later is not None and later.id is not None
    store.comments.mark_spam([later.id])  # one spam is enough to send the next ones to moderation
    assert not store.comments.email_approved("h-anne")


def test_unknown_status_is_refused_with_the_known_ones_named(store: Store) -> None:
    with pytest.raises(StoreError, match="pending, published, spam, deleted"):
        store.comments.set_status([1], "approved")


def test_comments_go_with_their_article_source(store: Store) -> None:
    article_id = _article(store)
    store.comments.add(_comment(article_id, 1))
    store.sources.remove(1)
    assert store.comments.count()["pending"] == 0


def test_site_secret_is_drawn_once_and_kept(store: Store) -> None:
    key = store.users.site_secret("comments")
    assert len(key) == 64
    assert store.users.site_secret("comments") == key
    assert store.users.site_secret("other") != key
