"""Admin rows on both backends: users, sessions with expiry, API tokens, story corrections that
outlive the algorithm's next placement."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from actuel.errors import StoreError
from actuel.store import Store
from actuel.store.stories import MemberRow, StoryUpdate
from tests.store.helpers import add_source, article


def _name() -> str:
    return "editor-" + secrets.token_hex(4)  # the PostgreSQL schema is shared by a run's tests


def test_admins_sessions_and_tokens(store: Store) -> None:
    name = _name()
    user_id = store.create_admin(name, "$argon2id$v=19$m=65536,t=3,p=4$fake")
    with pytest.raises(StoreError, match="already exists"):
        store.create_admin(name, "$argon2id$other")
    found = store.get_admin(name)
    assert found is not None and found.id == user_id
    live, old = secrets.token_hex(32), secrets.token_hex(32)
    store.start_admin_session(user_id, old, datetime.now(UTC) - timedelta(seconds=1))
    store.start_admin_session(user_id, live, datetime.now(UTC) + timedelta(hours=1))
    assert store.admin_of_session(live) == name
    assert store.admin_of_session(old) is None  # expired
    store.end_admin_session(live)
    assert store.admin_of_session(live) is None
    digest = secrets.token_hex(32)
    store.add_api_token(digest, "robot", user_id)
    assert store.use_api_token(digest) == "robot"
    assert store.use_api_token(secrets.token_hex(32)) is None


def _three(store: Store) -> list[int]:
    outlets = [add_source(store, n, category="monde") for n in (1, 2, 3)]
    return [store.upsert_article(article(s, n))[0] for n, s in enumerate(outlets, start=1)]


def test_corrections_hold_after_the_algorithm_writes_again(store: Store) -> None:
    a, b, c = _three(store)
    store.save_story(
        StoryUpdate(
            key="st-a",
            members=[MemberRow(a, "original"), MemberRow(b, "copy", a), MemberRow(c, "copy", a)],
            original_article_id=a,
        )
    )
    store.correct_story_original(b, "editor")
    store.save_story(
        StoryUpdate(key="st-a", members=[MemberRow(a, "original")], original_article_id=a)
    )
    assert store.get_story("st-a").original_article_id == b
    alone = store.correct_story_split(c, "editor")
    store.save_story(StoryUpdate(key="st-a", members=[MemberRow(c, "copy", a)], added=[c]))
    found = store.story_of_article(c)
    assert found is not None and found[0].id == alone
    assert store.get_story("st-a").article_count == 2
    keep = store.correct_story_merge(c, a, "editor")
    assert store.get_story("st-a").id == keep  # the old key leads to the survivor
    assert store.get_story(found[0].key).article_count == 3
    # a merge after a split: the later correction wins, and survives the next placement
    store.save_story(StoryUpdate(key="st-a", members=[MemberRow(a, "original")]))
    assert {m.article.id for m in store.story_members(keep)} == {a, b, c}
    assert store.get_story(found[0].key).original_article_id == b
    assert [x.kind for x in store.story_corrections()] == ["merge", "split", "original"]
