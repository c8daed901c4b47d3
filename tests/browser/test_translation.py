"""A French reader sees English reports under French headlines labelled as machine translations,
with the way to the original (a LibreTranslate stand-in on loopback translated the live site:
tests/support/libretranslate.py). Runs last among the browser tests: it changes the site."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actuel.pipeline.translation import open_translator, translate_pending
from actuel.store import Store
from tests.browser.watch import Watched
from tests.browser.world import LiveSite
from tests.support.libretranslate import FakeLibreTranslate

pytestmark = pytest.mark.browser


def test_english_reports_read_in_french_labelled_with_the_original_one_click_away(
    visit: Watched, site: LiveSite
) -> None:
    with FakeLibreTranslate() as server:
        settings = site.settings.replace(
            translate_backend="libretranslate", translate_url=server.url
        )
        translator = open_translator(settings)
        assert translator is not None
        with Store.open(settings.db, settings) as store:
            report = translate_pending(store, translator, ["fr"])
    assert report.translated > 0
    page = visit.page
    page.goto("/")
    card = page.locator("li.story-card", has=page.locator(".mt-label")).first
    expect(card).to_be_visible()
    headline = card.get_by_role("heading", level=2).get_by_role("link")
    expect(headline).to_have_text(re.compile(r"^fr:"))
    expect(headline).not_to_have_attribute("lang", "en")
    expect(card.locator(".mt").first).to_have_text("Traduction automatique")
    expect(card.locator(".mt-label")).to_contain_text("original en anglais")
    visit.shot("home with a translated headline")

    card.get_by_role("link", name="lire l'original").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^fr:"))
    expect(page.locator(".mt-label")).to_contain_text("Traduction automatique")
    original = page.locator(".original-title span")
    expect(original).to_have_attribute("lang", "en")
    expect(original).not_to_have_text(re.compile(r"^fr:"))
    visit.shot("article with its translation and its original title")
