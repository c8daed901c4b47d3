"""On a phone-sized screen the pages fit: nothing sticks out, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import ViewportSize

from tests.browser.watch import Watched

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 740}

# Elements sticking out past the right edge of the screen, described for the failure message.
_OVERFLOWING = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)}px)`);
    }
  }
  return {scroll: document.scrollingElement.scrollWidth - width, wide: wide.slice(0, 5)};
}
"""


def test_home_story_and_article_fit_a_phone_screen(visit: Watched) -> None:
    page = visit.page
    page.set_viewport_size(PHONE)
    page.goto("/")
    story_path = str(page.locator('main a[href^="/stories/"]').first.get_attribute("href"))
    page.goto(story_path)
    article_path = str(page.locator('main a[href^="/articles/"]').first.get_attribute("href"))
    for name, path in (("home", "/"), ("story", story_path), ("article", article_path)):
        page.goto(path)
        overflow = page.evaluate(_OVERFLOWING)
        visit.shot(f"{name} on a phone")
        assert overflow["scroll"] <= 0, f"{path} scrolls sideways on a phone: {overflow['wide']}"
    assert visit.problems() == []
