"""A reader searches without accents, sees highlighted results, and opens the story they wanted."""

from __future__ import annotations

import re
import unicodedata

import pytest
from playwright.sync_api import expect

from tests.browser.watch import Watched
from tests.browser.world import LiveSite

pytestmark = pytest.mark.browser


def unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_search_without_accents_finds_the_story(visit: Watched, site: LiveSite) -> None:
    # A story whose title has a long accented word: the reader types it without its accents.
    with site.store() as store:
        stories = store.stories.latest(limit=100)
        found = [
            (story, word)
            for story in stories
            for word in re.findall(r"\w{7,}", story.title or "")
            if unaccented(word) != word
        ]
        assert found, "no demo story has an accented word in its title"
        story, word = found[0]
        members = {m.article.id for m in store.stories.members(story.id)}
    query = unaccented(word).lower()

    page = visit.page
    page.goto("/search")
    box = page.get_by_role("searchbox").first
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/search\?(.*&)?q={query}"))
    expect(page.locator("main mark").first).to_be_visible()  # the words found are highlighted
    targets = [f'a[href="/stories/{story.key}"]'] + [f'a[href="/articles/{i}"]' for i in members]
    result = page.locator("main").locator(", ".join(targets)).first
    expect(result).to_be_visible()
    visit.shot(f"search {query}")

    result.click()
    paths = [f"/stories/{story.key}"] + [f"/articles/{i}" for i in members]
    expect(page).to_have_url(re.compile("|".join(re.escape(site.url(p)) + "$" for p in paths)))
    visit.shot("search result opened")
    assert visit.problems() == []
