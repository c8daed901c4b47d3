"""HTTP caching as readers and feed readers see it: 304s, stored compressed pages, invalidation."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import brotli
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from actuel.config import Settings
from actuel.store import Store
from actuel.web.cache import PageCache
from actuel.web.site import Site
from tests.support.webserver import running
from tests.web.conftest import serve_gazette

ROOT = Path(__file__).resolve().parents[2]
OLD_DATE = "Mon, 01 Jan 2001 00:00:00 GMT"


@pytest.fixture(params=[True, False], ids=["cache-on", "cache-off"])
def site(
    request: pytest.FixtureRequest, seeded: tuple[Settings, int, int]
) -> Iterator[tuple[httpx.Client, int, int]]:
    settings, source_id, article_id = seeded
    with serve_gazette(settings.replace(site_cache=request.param)) as client:
        yield client, source_id, article_id


@pytest.fixture
def cached(seeded: tuple[Settings, int, int]) -> Iterator[tuple[httpx.Client, Settings, int]]:
    settings, source_id, _article_id = seeded
    with serve_gazette(settings) as client:
        yield client, settings, source_id


def test_every_page_and_feed_answers_conditional_gets(
    site: tuple[httpx.Client, int, int],
) -> None:
    client, source_id, article_id = site
    cache_on = (
        client.get("/").headers.get("x-cache") is not None
        and client.get("/").headers["x-cache"] == "HIT"
    )
    paths = ["/", f"/articles/{article_id}", "/feed.xml", f"/outlets/{source_id}/feed.atom"]
    for path in [*paths, "/sitemap.xml", "/robots.txt"]:
        first = client.get(path)
        assert first.status_code == 200, path
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        # uncached, the article page's comment form carries the time it was shown: each
        # rendering differs, so only the cache (which keeps one rendering) can match its ETag
        if cache_on or not path.startswith("/articles/"):
            again = client.get(path, headers={"If-None-Match": etag})
            assert (again.status_code, again.content) == (304, b""), path
            assert again.headers["etag"] == etag
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        assert client.get(path, headers={"If-Modified-Since": OLD_DATE}).status_code == 200


def test_a_cached_page_is_stored_compressed_and_served_as_stored(
    cached: tuple[httpx.Client, Settings, int],
) -> None:
    client, _settings, source_id = cached
    for path in ("/", f"/outlets/{source_id}/feed.json"):
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert plain.headers["x-cache"] == "MISS"
        assert "content-encoding" not in plain.headers
        for encoding, decompress in (("gzip", gzip.decompress), ("br", brotli.decompress)):
            with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
                raw = b"".join(response.iter_raw())
                assert response.headers["x-cache"] == "HIT"
                assert response.headers["content-encoding"] == encoding
                assert "Accept-Encoding" in response.headers["vary"]
            assert decompress(raw) == plain.content
        # a browser's usual header gets brotli; gzip when brotli is refused
        browser = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert browser.headers["content-encoding"] == "br"
        no_br = client.get(path, headers={"Accept-Encoding": "gzip, br;q=0"})
        assert no_br.headers["content-encoding"] == "gzip"


def test_a_write_by_another_process_shows_at_once(
    cached: tuple[httpx.Client, Settings, int],
) -> None:
    client, settings, source_id = cached
    path = f"/outlets/{source_id}/feed.json"
    before = client.get(path)
    assert client.get(path).headers["x-cache"] == "HIT"
    assert client.get(path, headers={"If-None-Match": before.headers["etag"]}).status_code == 304
    # what `actuel fetch` from cron does: another process commits an article
    script = (
        "import sys\n"
        "from actuel.config import load_settings\n"
        "from actuel.store import Store\n"
        "from tests.web.conftest import gazette_article\n"
        "settings = load_settings(environ={}, db=sys.argv[1])\n"
        "with Store.open(settings.db, settings) as store:\n"
        "    store.articles.upsert(gazette_article(int(sys.argv[2]), 2, 'Nouvelle piscine'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script, settings.db, str(source_id)], check=True, env=env)
    after = client.get(path)
    assert after.headers["x-cache"] == "MISS"
    assert "Nouvelle piscine" in after.text
    assert after.headers["etag"] != before.headers["etag"]
    assert client.get(path, headers={"If-None-Match": before.headers["etag"]}).status_code == 200
    modified = client.get(path, headers={"If-Modified-Since": before.headers["last-modified"]})
    assert modified.status_code == 200


def test_the_readers_language_is_part_of_the_key(
    cached: tuple[httpx.Client, Settings, int],
) -> None:
    client, _settings, _source_id = cached
    for _round in range(2):
        english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
        french = client.get("/", headers={"Accept-Language": "fr-FR"})
        chosen = client.get("/", headers={"Cookie": "actuel_lang=en"})
        assert english.headers["content-language"] == "en"
        assert french.headers["content-language"] == "fr"
        assert chosen.headers["content-language"] == "en"
        assert chosen.content == english.content
    assert english.headers["x-cache"] == french.headers["x-cache"] == "HIT"


def test_a_reader_with_a_session_cookie_gets_a_fresh_page_never_stored(
    cached: tuple[httpx.Client, Settings, int],
) -> None:
    client, _settings, _source_id = cached
    for _round in range(2):
        personal = client.get("/", headers={"Cookie": "actuel_session=abc; actuel_lang=fr"})
        assert personal.status_code == 200
        assert "x-cache" not in personal.headers
    assert client.get("/").headers["x-cache"] == "MISS"  # nothing was stored for them
    for _round in range(2):
        bearer = client.get("/api/v1/stories", headers={"Authorization": "Bearer x"})
        assert "x-cache" not in bearer.headers


def _private_app(settings: Settings, store: Store) -> PageCache:
    """Pages that must never be stored, plus big pages to fill the cache."""

    def cookie(_request: Request) -> Response:
        response = PlainTextResponse("bonjour")
        response.set_cookie("seen", "1")
        return response

    def private(_request: Request) -> Response:
        return PlainTextResponse("à vous seul", headers={"Cache-Control": "private"})

    def big(request: Request) -> Response:
        # incompressible, so that each entry weighs about its identity body three times over
        return Response(os.urandom(200_000), media_type="application/octet-stream")

    app = Starlette(
        routes=[Route("/cookie", cookie), Route("/private", private), Route("/big/{n}", big)]
    )
    return PageCache(app, Site(settings, store))


def test_responses_that_set_cookies_or_say_private_are_not_stored_and_memory_is_bounded(
    cached: tuple[httpx.Client, Settings, int],
) -> None:
    _client, settings, _source_id = cached
    settings = settings.replace(site_cache_mb=1)
    with Store.open(settings.db, settings, readonly=True) as store:
        app = _private_app(settings, store)
        with running(app) as base, httpx.Client(base_url=base) as client:
            for path in ("/cookie", "/private"):
                for _round in range(2):
                    client.cookies.clear()  # the cookie set would make the next request personal
                    assert client.get(path).headers["x-cache"] == "MISS"
            assert client.post("/cookie").status_code == 405
            first = client.get("/big/1").content
            assert client.get("/big/1").content == first  # stored
            for n in range(2, 6):
                client.get(f"/big/{n}")
            assert app.bytes <= 1024 * 1024
            assert client.get("/big/1").content != first  # evicted to stay within 1 MB


def test_head_gets_the_cached_pages_headers_without_its_body(
    cached: tuple[httpx.Client, Settings, int],
) -> None:
    client, _settings, source_id = cached
    path = f"/outlets/{source_id}/feed.atom"
    page = client.get(path, headers={"Accept-Encoding": "gzip"})
    head = client.head(path, headers={"Accept-Encoding": "gzip"})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["x-cache"] == "HIT"
    assert head.headers["etag"] == page.headers["etag"]
    # the length of the gzip bytes a GET gets
    assert head.headers["content-length"] == page.headers["content-length"]
