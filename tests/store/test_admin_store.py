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
    user_id = store.users.create_admin(name, "$argon2id$v=19$m=65536,t=3,p=4$fake")
    with pytest.raises(StoreError, match="already exists"):
        store.users.create_admin(name, "$argon2id$other")
    found = store.users.get_admin(name)
    assert found is not None and found.id == user_id
    live, old = secrets.token_hex(32), secrets.token_hex(32)
    store.users.start_session(user_id, old, datetime.now(UTC) - timedelta(seconds=1))
    store.users.start_session(user_id, live, datetime.now(UTC) + timedelta(hours=1))
    assert store.users.admin_of_session(live) == name
    assert store.users.admin_of_session(old) is None  # expired
    store.users.end_session(live)
    assert store.users.admin_of_session(live) is None
    digest = secrets.token_hex(32)
    store.users.add_api_token(digest, "robot", user_id)
    assert store.users.use_api_token(digest) == "robot"
    assert store.users.use_api_token(secrets.token_hex(32)) is None


def _three(store: Store) -> list[int]:
    outlets = [add_source(store, n, category="monde") for n in (1, 2, 3)]
    return [store.articles.upsert(article(s, n))[0] for n, s in enumerate(outlets, start=1)]


def _story_of_three(store: Store) -> list[int]:
    """Story st-a: an original and two copies of it, from three outlets."""
    a, b, c = _three(store)
    store.stories.save(
        StoryUpdate(
            key="st-a",
            members=[MemberRow(a, "original"), MemberRow(b, "copy", a), MemberRow(c, "copy", a)],
            original_article_id=a,
        )
    )
    return [a, b, c]


def test_corrections_hold_after_the_algorithm_writes_again(store: Store) -> None:
    a, b, c = _story_of_three(store)
    store.stories.correct_original(b, "editor")
    store.stories.save(
        StoryUpdate(key="st-a", members=[MemberRow(a, "original")], original_article_id=a)
    )
    assert store.stories.get("st-a").original_article_id == b
    alone = store.stories.correct_split(c, "editor")
    store.stories.save(StoryUpdate(key="st-a", members=[MemberRow(c, "copy", a)], added=[c]))
    found = store.stories.of_article(c)
    assert found is not None and found[0].id == alone
    assert store.stories.get("st-a").article_count == 2
    keep = store.stories.correct_merge(c, a, "editor")
    assert store.stories.get("st-a").id == keep  # the old key leads to the survivor
    assert store.stories.get(found[0].key).article_count == 3
    # a merge after a split: the later correction wins, and survives the next placement
    store.stories.save(StoryUpdate(key="st-a", members=[MemberRow(a, "original")]))
    assert {m.article.id for m in store.stories.members(keep)} == {a, b, c}
    assert store.stories.get(found[0].key).original_article_id == b
    assert [x.kind for x in store.stories.corrections()] == ["merge", "split", "original"]


def test_a_split_holds_when_the_algorithm_merges_its_old_story_into_the_split_one(
    store: Store,
) -> None:
    """A clusterer restored from the store knows the article split out under its own story's
    key; an article bridging both makes it merge the old story into that one."""
    a, b, c = _story_of_three(store)
    alone = store.stories.correct_split(c, "editor")
    own_key = store.stories.of_article(c)
    assert own_key is not None and own_key[0].id == alone
    bridge = store.articles.upsert(article(add_source(store, 4), 4))[0]
    store.stories.save(
        StoryUpdate(
            key=own_key[0].key,
            members=[MemberRow(bridge, "copy", c), MemberRow(a, "independent")],
            merged_keys=["st-a"],
            added=[bridge],
        )
    )
    home = {n: store.stories.of_article(n) for n in (a, b, c, bridge)}
    assert all(found is not None for found in home.values())
    stories = {n: found[0].id for n, found in home.items() if found is not None}
    assert stories[c] not in (stories[a], stories[b])
    assert stories[a] == stories[b]
    view = store.stories.get(home[c][0].key)  # type: ignore[index]
    assert view.original_article_id == c and view.article_count == 1
    assert store.stories.get(home[a][0].key).original_article_id == a  # type: ignore[index]


def test_corrections_outlive_the_articles_they_were_made_on(store: Store) -> None:
    """Removing an outlet deletes its articles; a merge or a split made on one of them still
    holds for the articles that remain."""
    first, second, third = (add_source(store, n, category="monde") for n in (1, 2, 3))
    a, b, c, d = (store.articles.upsert(article(s, n))[0] for n, s in
                  enumerate((first, second, third, second), start=1))  # fmt: skip
    x1, x2 = (store.articles.upsert(article(s, n))[0] for n, s in ((5, first), (6, second)))
    y1, y2 = (store.articles.upsert(article(s, n))[0] for n, s in ((7, first), (8, third)))
    store.stories.save(
        StoryUpdate(
            key="st-a",
            members=[
                MemberRow(a, "original"),
                MemberRow(b, "copy", a),
                MemberRow(c, "copy", a),
                MemberRow(d, "copy", b),
            ],
            original_article_id=a,
        )
    )
    for key, one, two in (("st-x", x1, x2), ("st-y", y1, y2)):
        store.stories.save(
            StoryUpdate(
                key=key,
                members=[MemberRow(one, "original"), MemberRow(two, "copy", one)],
                original_article_id=one,
            )
        )
    store.stories.correct_split(c, "editor")  # made on c and a
    store.stories.correct_merge(x1, y1, "editor")  # made on x1 and y1
    assert first.id is not None
    store.sources.remove(first.id)  # a, x1 and y1 go
    assert len(store.stories.corrections()) == 2
    # the algorithm puts c back with b and d; a new copy lands in the story merged away
    store.stories.save(StoryUpdate(key="st-a", members=[MemberRow(c, "copy", b)]))
    late = store.articles.upsert(article(third, 9))[0]
    store.stories.save(StoryUpdate(key="st-y", members=[MemberRow(late, "copy", y2)], added=[late]))
    home = {}
    for n in (b, c, d, x2, y2, late):
        found = store.stories.of_article(n)
        assert found is not None
        home[n] = found[0]
    assert home[c].id != home[b].id and home[b].id == home[d].id
    assert home[x2].id == home[y2].id == home[late].id
    assert home[late].key == store.stories.get("st-y").key  # the merged key leads to it
    assert store.stories.get("st-x").article_count == 3
