"""An outlet's script payloads, ingested for real, never run in a reader's browser (RELIABILITY.md).

Two layers, each checked alone: the pages carry no active markup (a browser ignoring our CSP runs
nothing either), and the CSP is there on top (no violation: nothing was left for it to block)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page

from tests.browser.hostile import hostile_site
from tests.browser.watch import Shots, Watched

pytestmark = pytest.mark.browser

# Active markup left in the rendered DOM: script-bearing elements, handlers, script URLs.
# The JSON-LD block is data; a payload breaking out of it would show up as a script of its own.
_ACTIVE_MARKUP = """
() => {
  const found = [];
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "poster", "srcset"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    const data = tag === "script" && el.type === "application/ld+json";  // JSON-LD: never run
    if (["script", "iframe", "object", "embed", "base", "frame"].includes(tag) && !data) {
      found.push(tag);
    }
    const equiv = el.getAttribute("http-equiv") || "";
    if (tag === "meta" && /refresh/i.test(equiv)) found.push("meta refresh");
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      if (urlAttrs.includes(name) && /^(javascript|data|vbscript):/.test(value)) {
        found.push(`${tag}[${name}=${value.slice(0, 40)}]`);
      }
      if (name === "style" && value.includes("javascript:")) found.push(`${tag}[style]`);
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with hostile_site(tmp_path_factory.mktemp("hostile-site")) as bases:
        yield bases


@pytest.fixture
def trapped(chromium: Browser) -> Iterator[Callable[[bool], tuple[Page, list[str]]]]:
    """Open a tab (CSP honoured or not) that records every payload run and every dialog."""
    contexts: list[BrowserContext] = []

    def open_tab(bypass_csp: bool) -> tuple[Page, list[str]]:
        context = chromium.new_context(locale="fr-FR", bypass_csp=bypass_csp)
        context.set_default_timeout(10_000)
        contexts.append(context)
        ran: list[str] = []
        context.expose_function("__actuelPwned", lambda label: ran.append(str(label)))
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            ran.append(f"dialog: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page, ran

    try:
        yield open_tab
    finally:
        for context in contexts:
            context.close()


def test_the_trap_hears_payloads_that_run(
    hostile: tuple[str, str], trapped: Callable[[bool], tuple[Page, list[str]]]
) -> None:
    page, ran = trapped(False)
    page.goto(hostile[1] + "/articles/0")  # the outlet's own page, as its HTML comes
    page.mouse.move(300, 300)
    assert any(label.startswith("page 0") for label in ran), ran


@pytest.mark.parametrize("csp", ["with CSP", "CSP ignored"])
def test_payloads_from_an_outlet_never_run_and_leave_no_active_markup(
    hostile: tuple[str, str],
    trapped: Callable[[bool], tuple[Page, list[str]]],
    artifacts: Path,
    csp: str,
) -> None:
    site_base = hostile[0]
    page, ran = trapped(csp == "CSP ignored")
    visit = Watched(page, site_base, Shots(artifacts, f"test_hostile-{csp.replace(' ', '-')}"))
    page.goto(site_base + "/")
    links = page.locator('main a[href^="/stories/"], main a[href^="/articles/"]')
    hrefs = [str(links.nth(i).get_attribute("href")) for i in range(links.count())]
    paths = ["/", *dict.fromkeys(hrefs)]
    assert len(paths) > 3, f"the hostile articles are not listed: {paths}"
    active: dict[str, list[str]] = {}
    for path in paths:
        page.goto(site_base + path)
        page.mouse.move(300, 300)  # a reader's pointer passing over the text
        found = page.evaluate(_ACTIVE_MARKUP)
        if found:
            active[path] = found
    visit.shot("last page visited")
    assert ran == [], f"payloads ran in the reader's browser: {ran}"
    assert active == {}, "active markup in the rendered pages"
    if csp == "with CSP":
        assert visit.problems() == []
