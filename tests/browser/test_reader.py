"""A reader's visit in Chromium: home, a story, one of its articles, and on to the outlet's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.watch import Watched
from tests.browser.world import LiveSite

pytestmark = pytest.mark.browser


def test_home_story_article_then_read_on_at_the_outlet(visit: Watched, site: LiveSite) -> None:
    page = visit.page
    response = page.goto("/")
    assert response is not None and response.ok
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dernières nouvelles")
    story_links = page.locator('main a[href^="/stories/"]')
    assert story_links.count() > 1, "the home page lists no stories"
    visit.shot("home")

    # The story with the most articles: its page has the most to show.
    with site.store() as store:
        hrefs = [str(story_links.nth(i).get_attribute("href")) for i in range(story_links.count())]
        keys = list(dict.fromkeys(href.rsplit("/", 1)[1] for href in hrefs))
        views = {key: store.stories.get(key) for key in keys}
    key = max(keys, key=lambda k: (views[k].article_count, k))
    story = views[key]
    page.locator(f'main a[href="/stories/{key}"]').first.click()
    expect(page).to_have_url(site.url(f"/stories/{key}"))
    # its headline in the reader's language: a French member's title when it has one
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline("fr").title or "")
    visit.shot("story")

    article_link = page.locator('main .timeline a[href^="/articles/"]').first
    article_id = int(str(article_link.get_attribute("href")).rsplit("/", 1)[1])
    with site.store() as store:
        article = store.articles.get(article_id)
    article_link.click()
    expect(page).to_have_url(site.url(f"/articles/{article_id}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    visit.shot("article")

    # The outlet's page on our site lists what we have from it.
    with site.store() as store:
        outlet = store.sources.get(article.source_id)
    page.locator("article .meta a.outlet").click()
    expect(page).to_have_url(site.url(f"/outlets/{outlet.id}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(outlet.name or "")
    expect(page.locator('main a[href^="/articles/"]').first).to_be_visible()
    visit.shot("outlet on our site")
    page.go_back()
    expect(page).to_have_url(site.url(f"/articles/{article_id}"))

    read_on = page.get_by_role("link", name=re.compile(r"^Lire la suite sur "))
    expect(read_on).to_have_count(1)
    read_on.click()
    page.wait_for_load_state()
    # The outlet's own server answered, with the very article we were reading.
    assert not page.url.startswith(site.base_url), page.url
    came_from = site.world.article_for_url(article.url)
    assert came_from is not None, f"stored URL {article.url} is not a demo article"
    assert site.world.article_for_url(page.url) == came_from, page.url
    visit.shot("the outlet's own page")

    assert visit.problems() == []
