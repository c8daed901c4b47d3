"""Story corrections by an editor: original, split, merge; each survives re-clustering."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from actuel.store import Store
from actuel.store.stories import MemberRow, StoryUpdate
from tests.web.admin_support import AdminSite, admin_site, admin_token, copy_demo
from tests.web.demo_site import DemoSite


@pytest.fixture()
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    settings = copy_demo(demo_site, tmp_path_factory.mktemp("admin-stories"))
    with Store.open(settings.db, settings, readonly=True) as store:
        if not store.stories.latest(limit=1):
            pytest.skip("the demo world stored no story")
    with admin_site(settings) as served:
        yield served


def _stories_with_members(store: Store, at_least: int = 2) -> list[tuple[str, list[int]]]:
    found = []
    for view in store.stories.latest(limit=200):
        members = [int(m.article.id or 0) for m in store.stories.members(view.id)]
        if len(members) >= at_least:
            found.append((view.key, members))
    if not found:
        pytest.skip("no demo story has several articles")
    return found


def test_an_original_fixed_by_hand_survives_reclustering(
    site: AdminSite, editor: httpx.Client
) -> None:
    store = site.store
    key, members = _stories_with_members(store)[0]
    view = store.stories.get(key)
    chosen = next(a for a in members if a != view.original_article_id)
    token = admin_token(editor, f"/admin/stories/{key}")
    answer = editor.post(
        f"/admin/stories/{key}/original", data={"csrf_token": token, "article_id": str(chosen)}
    )
    assert answer.status_code == 303
    assert store.stories.get(key).original_article_id == chosen
    assert editor.get(f"/api/v1/stories/{key}").json()["original"]["article_id"] == chosen
    # the algorithm places the story again and names its own original: the person's choice stays
    algorithm = view.original_article_id or next(a for a in members if a != chosen)
    store.stories.save(
        StoryUpdate(
            key=key,
            members=[MemberRow(algorithm, "original"), MemberRow(chosen, "copy", algorithm)],
            original_article_id=algorithm,
        )
    )
    after = store.stories.get(key)
    assert after.original_article_id == chosen
    relations = {m.article.id: m.relation for m in store.stories.members(after.id)}
    assert relations[chosen] == "original"
    assert [c.kind for c in store.stories.corrections()] == ["original"]
    listing = html.unescape(editor.get("/admin/stories").text)
    assert "article d'origine choisi" in listing and "· original ·" not in listing


def test_an_article_split_out_stays_out_after_reclustering(
    site: AdminSite, editor: httpx.Client
) -> None:
    store = site.store
    key, members = _stories_with_members(store)[0]
    view = store.stories.get(key)
    moved = next(a for a in members if a != view.original_article_id)
    token = admin_token(editor, f"/admin/stories/{key}")
    answer = editor.post(
        f"/admin/stories/{key}/split", data={"csrf_token": token, "article_id": str(moved)}
    )
    assert answer.status_code == 303
    found = store.stories.of_article(moved)
    assert found is not None
    alone = found[0]
    assert alone.key != key and alone.article_count == 1
    assert alone.original_article_id == moved
    assert answer.headers["location"].startswith(f"/admin/stories/{alone.key}")
    assert store.stories.get(key).article_count == len(members) - 1
    # re-clustering puts it back where the algorithm thought it belonged: the split holds
    store.stories.save(
        StoryUpdate(
            key=key, members=[MemberRow(moved, "copy", view.original_article_id)], added=[moved]
        )
    )
    again = store.stories.of_article(moved)
    assert again is not None and again[0].key == alone.key
    assert store.stories.get(key).article_count == len(members) - 1


def test_two_stories_merged_by_hand_stay_merged(site: AdminSite, editor: httpx.Client) -> None:
    store = site.store
    views = store.stories.latest(limit=200)
    if len(views) < 3:
        pytest.skip("the demo world has fewer than three stories")
    keep, gone, third = views[0], views[1], views[2]
    keep_count, gone_count = keep.article_count, gone.article_count
    token = admin_token(editor, f"/admin/stories/{keep.key}")
    answer = editor.post(
        f"/admin/stories/{keep.key}/merge",
        data={"csrf_token": token, "other": f"{site.base}/stories/{gone.key}"},
    )
    assert answer.status_code == 303, answer.text[:500]
    assert store.stories.get(gone.key).key == keep.key  # the old key leads to the survivor
    assert store.stories.get(keep.key).article_count == keep_count + gone_count
    # the algorithm, unaware, adds an article to the story it still knows by the old key
    newcomer = int(store.stories.members(third.id)[0].article.id or 0)
    store.stories.save(StoryUpdate(key=gone.key, members=[MemberRow(newcomer, "independent")]))
    found = store.stories.of_article(newcomer)
    assert found is not None and found[0].key == keep.key
    same = editor.post(
        f"/admin/stories/{keep.key}/merge", data={"csrf_token": token, "other": keep.key}
    )
    assert same.status_code == 422
    assert "already in one story" in same.text


def test_story_admin_pages_list_members_and_corrections(
    site: AdminSite, editor: httpx.Client
) -> None:
    key, members = _stories_with_members(site.store)[0]
    html = editor.get(f"/admin/stories/{key}").text
    for article_id in members:
        assert f'id="member-{article_id}"' in html
    assert editor.get("/admin/stories").status_code == 200
    assert editor.get("/admin/stories/no-such-story").status_code == 404


def pinned_section(html: str) -> str:
    found = re.search(r'<section class="pinned".*?</section>', html, flags=re.S)
    return found.group(0) if found else ""


def test_a_pinned_story_leads_the_home_page_once_and_follows_its_articles(
    site: AdminSite, editor: httpx.Client
) -> None:
    store = site.store
    views = store.stories.latest(limit=200)
    if len(views) < 3:
        pytest.skip("the demo world has fewer than three stories")
    chosen, other = views[-1], views[-2]  # the oldest: far down the home page until pinned
    token = admin_token(editor, f"/admin/stories/{chosen.key}")
    pinned = editor.post(f"/admin/stories/{chosen.key}/pin", data={"csrf_token": token})
    assert pinned.headers["location"] == f"/admin/stories/{chosen.key}?done=pin"
    assert "Ne plus épingler" in editor.get(pinned.headers["location"]).text
    with site.client() as reader:
        home = reader.get("/").text
        section = pinned_section(home)
        assert "À la une" in section and f"/stories/{chosen.key}" in section
        assert home.count(f'href="/stories/{chosen.key}"') == section.count(
            f'href="/stories/{chosen.key}"'
        ), "the pinned story is not listed a second time below"
        assert pinned_section(reader.get("/categories/sport").text) == ""  # home page only
        # a re-clustering (here, an editor's merge) keeps the event pinned under its new key
        merged = editor.post(
            f"/admin/stories/{other.key}/merge", data={"csrf_token": token, "other": chosen.key}
        )
        assert merged.status_code == 303
        assert f"/stories/{other.key}" in pinned_section(reader.get("/").text)
        unpinned = editor.post(f"/admin/stories/{other.key}/unpin", data={"csrf_token": token})
        assert unpinned.headers["location"].endswith("?done=unpin")
        assert pinned_section(reader.get("/").text) == ""
    assert store.stories.pinned() == []
