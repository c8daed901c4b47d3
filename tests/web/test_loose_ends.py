"""Site fixes readers would notice: CORS through the page cache, the header's search box, the
language form with a file posted, pages that change as soon as the database does."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator

import httpx
import pytest

from actuel.config import Settings
from actuel.model import Source
from actuel.store import Store
from actuel.web.cache import reader_lang
from actuel.web.memo import GenerationMemo
from tests.web.conftest import gazette_article, serve_gazette

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def cached(seeded: tuple[Settings, int, int]) -> Iterator[httpx.Client]:
    with serve_gazette(seeded[0]) as client:
        yield client


@pytest.fixture
def uncached(seeded: tuple[Settings, int, int]) -> Iterator[httpx.Client]:
    with serve_gazette(seeded[0].replace(site_cache=False)) as client:
        yield client


def test_the_api_answers_cross_origin_readers_even_after_a_plain_request_was_cached(
    seeded: tuple[Settings, int, int], cached: httpx.Client
) -> None:
    path = f"/api/v1/articles/{seeded[2]}"
    plain = cached.get(path)
    assert plain.status_code == 200
    assert cached.get(path).headers["x-cache"] == "HIT"
    for _round in range(2):
        cross = cached.get(path, headers={"Origin": "https://reader.example"})
        assert cross.status_code == 200
        assert cross.headers["access-control-allow-origin"] == "*"
        assert cross.json() == plain.json()
    assert cross.headers["x-cache"] == "HIT"
    assert "Origin" in cross.headers["vary"]
    assert "access-control-allow-origin" not in cached.get(path).headers


def test_the_cache_keys_pages_by_the_language_the_site_renders(
    seeded: tuple[Settings, int, int],
) -> None:
    # a site in French only renders French for an English reader: one entry serves both
    assert reader_lang(None, "en-GB,en;q=0.9", "fr", ("fr",)) == "fr"
    assert reader_lang("en", None, "fr", ("fr",)) == "fr"
    assert reader_lang(None, "en-GB,en;q=0.9", "fr", ("fr", "en")) == "en"
    settings = seeded[0].replace(site_languages="fr")
    with serve_gazette(settings) as client:
        french = client.get("/", headers={"Accept-Language": "fr"})
        english = client.get("/", headers={"Accept-Language": "en"})
        assert french.headers["content-language"] == english.headers["content-language"] == "fr"
        assert english.headers["x-cache"] == "HIT"


def test_every_page_has_a_search_box_in_the_readers_language(cached: httpx.Client) -> None:
    french = cached.get("/").text
    form = re.search(r'<form class="site-search" role="search".*?</form>', french, re.S)
    assert form is not None
    assert 'method="get" action="/search"' in form.group(0)
    assert 'name="q"' in form.group(0)
    assert '<label class="visually-hidden" id="site-search-label" for="site-search-q">' in french
    assert "Rechercher dans les articles" in french
    english = cached.get("/", headers={"Accept-Language": "en"}).text
    assert "Search the articles" in english
    assert cached.get("/search", params={"q": "budget"}).status_code == 200


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_the_language_form_closes_a_file_posted_with_it(uncached: httpx.Client) -> None:
    token = TOKEN.search(uncached.get("/").text)
    assert token is not None
    response = uncached.post(
        "/langue",
        data={"lang": "en", "next": "/", "csrf_token": token.group(1)},
        files={"upload": ("big.txt", b"x" * 20_000, "text/plain")},
    )
    assert response.status_code == 303
    assert response.cookies.get("actuel_lang") == "en"
    gc.collect()  # an unclosed spooled file would warn here


def test_a_page_shows_a_change_committed_after_it_was_first_shown(
    seeded: tuple[Settings, int, int], uncached: httpx.Client
) -> None:
    settings, source_id, article_id = seeded
    assert "Budget voté" in uncached.get(f"/articles/{article_id}").text
    with Store.open(settings.db, settings) as store:
        store.articles.upsert(gazette_article(source_id, 1, "Budget rectifié"))
    page = uncached.get(f"/articles/{article_id}").text
    assert "Budget rectifié" in page
    assert "Budget voté" not in page


def test_kept_values_last_until_the_next_commit(settings: Settings) -> None:
    with Store.open(settings.db, settings) as store:
        memo = GenerationMemo(store.site_generation)
        reads: list[int] = []

        def count() -> int:
            reads.append(1)
            return len(store.sources.all())

        assert memo.get("sources", count) == memo.get("sources", count) == 0
        assert len(reads) == 1
        store.sources.add(Source(url="https://gazette.example/feed.xml", name="Gazette"))
        assert memo.get("sources", count) == 1
        assert len(reads) == 2
        small = GenerationMemo(store.site_generation, max_entries=2)
        for n in range(5):
            small.get(n, int)
        assert len(small) == 2


def test_a_store_that_cannot_tell_its_generation_keeps_nothing() -> None:
    memo = GenerationMemo(lambda: None)
    values = iter(range(10))
    assert [memo.get("k", lambda: next(values)) for _ in range(3)] == [0, 1, 2]
    assert len(memo) == 0


def test_a_page_rendered_for_one_reader_is_gzipped_when_the_site_says_so(
    seeded: tuple[Settings, int, int], uncached: httpx.Client
) -> None:
    path = f"/articles/{seeded[2]}"
    default = uncached.get(path, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in default.headers  # off by default: costs more than it saves
    with serve_gazette(seeded[0].replace(site_cache=False, site_gzip_uncached=True)) as client:
        check_gzipped(client, path)


def check_gzipped(uncached: httpx.Client, path: str) -> None:
    zipped = uncached.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Budget voté" in zipped.text  # httpx decodes it as a browser does
    assert int(zipped.headers["content-length"]) < len(zipped.content) / 2
    plain = uncached.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert "Budget voté" in plain.text
    css = uncached.get("/theme.css", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in css.headers  # too small to gain anything
