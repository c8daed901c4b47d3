"""Switching the site to English with the header's form, and back: the choice follows the reader."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.watch import Visitor, Watched
from tests.browser.world import LiveSite

pytestmark = pytest.mark.browser


def test_switch_to_english_and_back(visit: Watched, site: LiveSite) -> None:
    page = visit.page
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dernières nouvelles")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(site.url("/"))  # back where the reader was
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest news")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    visit.shot("home in English")

    # The choice is remembered from page to page.
    story = page.locator('main a[href^="/stories/"]').first
    story_path = str(story.get_attribute("href"))
    story.click()
    expect(page).to_have_url(site.url(story_path))
    expect(html).to_have_attribute("lang", "en")
    page.locator('main a[href^="/articles/"]').first.click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=re.compile(r"^Read more at "))).to_have_count(1)
    visit.shot("article in English")

    page.get_by_role("button", name="Français").click()
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name=re.compile(r"^Lire la suite sur "))).to_have_count(1)
    visit.shot("article back in French")
    assert visit.problems() == []


def test_a_browser_set_to_english_gets_english_pages(visitors: Visitor) -> None:
    visit = visitors("english-browser", locale="en-GB")  # sends Accept-Language: en-GB
    page = visit.page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest news")
    visit.shot("home for an English browser")
    assert visit.problems() == []
