"""Keyboard-only reading of the home page: Tab reaches every story link, the focus always shows."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.watch import Watched

pytestmark = pytest.mark.browser

# What has the keyboard focus, where it sits, and whether a reader can see that it does.
_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {
    tag: el.tagName.toLowerCase(),
    href: el.getAttribute("href"),
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    indicator: outline || shadow,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}
"""


def tab_through(page: Page, limit: int) -> list[dict[str, Any]]:
    """Press Tab until the focus leaves the page or comes back round; what got focus, in order."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
    return stops


def test_tab_reaches_every_story_link_in_order_with_a_visible_focus(visit: Watched) -> None:
    page = visit.page
    page.goto("/")
    story_links = page.locator('main a[href^="/stories/"]')
    expected: list[str] = []
    for i in range(story_links.count()):
        href = str(story_links.nth(i).get_attribute("href"))
        if href not in expected:
            expected.append(href)
    assert expected, "the home page lists no stories"
    focusable = page.locator("a[href], button, input, select, textarea, [tabindex]").count()

    stops = tab_through(page, limit=focusable + 5)

    assert stops, "Tab moves the focus nowhere"
    assert stops[0]["href"] == "#main", f"the first stop is not the skip link: {stops[0]}"
    reached = [s["href"] for s in stops if s["href"] in expected]
    first_reach = list(dict.fromkeys(reached))
    assert first_reach == expected, "story links missed or out of order by Tab"
    hidden = [s for s in stops if not (s["indicator"] and s["onScreen"])]
    assert hidden == [], "focus not visible on these stops"

    page.keyboard.press("Shift+Tab")
    visit.shot("keyboard focus on a story link")
    assert visit.problems() == []


def test_skip_link_takes_the_keyboard_to_the_main_content(visit: Watched) -> None:
    page = visit.page
    page.goto("/")
    page.keyboard.press("Tab")
    visit.shot("skip link focused")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("() => !!document.activeElement.closest('main')")
    assert inside_main, "after the skip link, Tab does not land in the main content"
    assert visit.problems() == []


def test_comment_form_tab_order_skips_the_bot_trap(visit: Watched) -> None:
    page = visit.page
    page.goto("/")
    page.locator('main a[href^="/stories/"]').first.click()
    page.locator('main a[href^="/articles/"]').first.click()
    name = page.get_by_label("Nom")
    name.focus()
    order = [page.evaluate("() => document.activeElement.id")]
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate("() => document.activeElement.id || document.activeElement.type")
        )
    # The honeypot field bots fill in is never on a keyboard user's way.
    assert order == ["comment-name", "comment-email", "comment-text", "submit"], order
    submit = page.evaluate(_FOCUSED)
    assert submit["indicator"] and submit["onScreen"], f"no visible focus on {submit}"
    visit.shot("comment form submit focused")
    assert visit.problems() == []
