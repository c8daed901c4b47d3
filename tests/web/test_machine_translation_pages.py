"""The demo's outlets that publish machine translations unedited: their article pages say so,
name the outlet and highlight the leftovers; human translations carry no such notice."""

from __future__ import annotations

import re
from html import unescape

import httpx

from actuel.store import Store
from tests.web.demo_site import DemoSite

Served = tuple[httpx.Client, Store]
NOTICE = "Traduction automatique probable par"


def test_machine_translations_are_flagged_with_their_leftovers_marked(
    demo: Served, demo_site: DemoSite
) -> None:
    client, store = demo
    machine = [
        k for k, v in demo_site.truth.items() if v.get("machine_translation") and k in demo_site.ids
    ]
    human = [
        k
        for k, v in demo_site.truth.items()
        if v.get("relation") == "translation" and not v.get("machine_translation")
    ]
    assert machine and human
    flagged = 0
    for manifest_id in machine:
        article = store.articles.get(demo_site.ids[manifest_id])
        page = client.get(f"/articles/{article.id}").text
        if NOTICE not in page:
            continue
        flagged += 1
        marked = [unescape(m) for m in re.findall(r'<mark class="mt-sign">([^<]+)</mark>', page)]
        assert any(m.startswith("[") and m.endswith("]") for m in marked), manifest_id
        shown = (article.title or "") + (article.text or "")
        assert all(m in shown for m in marked), "the outlet's own words, marked, never rewritten"
    # the ones the stories stage places as translations (an excerpt of one is not)
    assert flagged >= 3, "the demo's machine translations placed as translations are flagged"
    for manifest_id in human:
        page = client.get(f"/articles/{demo_site.ids[manifest_id]}").text
        assert NOTICE not in page, manifest_id
        assert "mt-sign" not in page


def test_the_english_page_says_it_in_english(demo: Served, demo_site: DemoSite) -> None:
    client, _ = demo
    machine = next(
        k
        for k, v in demo_site.truth.items()
        if v.get("machine_translation") and v.get("relation") == "translation"
    )
    english = {"Accept-Language": "en"}
    page = client.get(f"/articles/{demo_site.ids[machine]}", headers=english).text
    assert "Probably machine-translated by" in page
