"""The page /search on a real server: forms, stemmed results with marked words, escaped outside
text, a story once, filters, pages, and readers' mistakes answered with a message."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from actuel.config import Settings
from tests.web.portal import Portal, serve


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    from actuel.config import load_settings

    folder = tmp_path_factory.mktemp("search-portal")
    settings: Settings = load_settings(environ={}, db=str(folder / "portal.db"))
    with serve(settings) as served:
        yield served


def results(html: str) -> list[str]:
    """The titles of the results, as shown."""
    return re.findall(r'<li class="card result">\s*<h3><a href="[^"]+"[^>]*>(.*?)</a>', html)


def test_an_empty_search_shows_the_form(portal: Portal) -> None:
    page = portal.client.get("/search")
    assert page.status_code == 200
    assert '<form class="search" method="get" action="/search" role="search">' in page.text
    assert 'name="robots" content="noindex"' in page.text
    assert "Content-Security-Policy" in page.headers
    assert page.headers["Cache-Control"] == "private, no-cache"  # not in the page cache


def test_other_forms_of_the_words_are_found_and_marked(portal: Portal) -> None:
    page = portal.client.get("/search", params={"q": "ENQUETES blindes"})
    assert page.status_code == 200
    # the translation and its copy belong to one story: it shows once, with a link to it
    assert results(page.text) == ["Northbridge ouvre une enquête sur des blindés"]
    assert "<mark>enquête</mark>" in page.text and "<mark>blindés</mark>" in page.text
    assert 'href="/stories/northbridge"' in page.text
    assert "histoire : 3 articles</a>" in page.text


def test_outside_text_in_results_stays_text(portal: Portal) -> None:
    page = portal.client.get("/search", params={"q": "onerror vendanges"})
    assert len(results(page.text)) == 1
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page.text
    assert "&lt;img src=x <mark>onerror</mark>=" in page.text


def test_the_readers_words_are_shown_back_escaped(portal: Portal) -> None:
    typed = '"><script>alert(1)</script> NEAR(blindés -enquête) *:'
    page = portal.client.get("/search", params={"q": typed})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_filters_narrow_the_results(portal: Portal) -> None:
    english = portal.client.get("/search", params={"q": "northbridge", "lang": "en"})
    assert results(english.text) == ["Northbridge opens inquiry into armoured vehicles"]
    assert '<option value="en" selected>' in english.text
    kalaba = portal.sources["kalaba"].id
    by_outlet = portal.client.get("/search", params={"q": "conseil", "outlet": str(kalaba)})
    assert len(results(by_outlet.text)) == 3  # a page of three
    none = portal.client.get("/search", params={"q": "conseil", "until": "2026-11-01"})
    assert results(none.text) == []
    assert "Aucun article ne contient tous ces mots" in none.text
    one_day = portal.client.get(
        "/search", params={"q": "conseil", "since": "2026-11-19", "until": "2026-11-19"}
    )
    assert results(one_day.text) == ["Conseil municipal, séance 1"]


def test_pages_of_results_link_to_each_other(portal: Portal) -> None:
    first = portal.client.get("/search", params={"q": "municipal"})
    assert len(results(first.text)) == 3
    link = re.search(r'<a rel="next" href="([^"]+)"', first.text)
    assert link is not None
    second = portal.client.get(link.group(1).replace("&amp;", "&"))
    assert len(results(second.text)) == 2
    assert '<ol class="results" start="4">' in second.text
    assert set(results(first.text)).isdisjoint(results(second.text))
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_mistakes_in_the_form_get_a_message_not_an_error(portal: Portal) -> None:
    page = portal.client.get(
        "/search", params={"q": "conseil", "since": "hier", "outlet": "x", "page": "9999"}
    )
    assert page.status_code == 200
    assert "Date non reconnue" in page.text
    assert "Cette page de résultats n" in page.text and "existe pas" in page.text


def test_the_page_speaks_english_to_english_readers(portal: Portal) -> None:
    page = portal.client.get("/search", params={"q": "inquiry"}, headers={"Accept-Language": "en"})
    assert '<html lang="en">' in page.text
    assert "Search" in page.text and "Recherche</h1>" not in page.text
