"""The site's static files as browsers get them: versioned, compressed, revalidated, hardened."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.resources import files

import brotli
import httpx
import pytest

from actuel.config import Settings
from tests.web.conftest import serve_gazette

SHEET = (files("actuel.web") / "static" / "site.css").read_bytes()


@pytest.fixture
def client(seeded: tuple[Settings, int, int]) -> Iterator[httpx.Client]:
    with serve_gazette(seeded[0]) as client:
        yield client


def linked_sheet(client: httpx.Client) -> str:
    found = re.search(r'<link rel="stylesheet" href="([^"]+)"', client.get("/").text)
    assert found is not None, "the home page links no style sheet"
    return found.group(1)


def test_pages_link_a_sheet_versioned_by_its_content_kept_a_year(client: httpx.Client) -> None:
    href = linked_sheet(client)
    assert re.fullmatch(r"/static/site\.css\?v=[0-9a-f]{12}", href)
    sheet = client.get(href, headers={"Accept-Encoding": "identity"})
    assert sheet.status_code == 200 and sheet.content == SHEET
    assert sheet.headers["content-type"] == "text/css; charset=utf-8"
    assert sheet.headers["cache-control"] == "public, max-age=31536000, immutable"
    # an address without the version (or an old one) may change under it: an hour only
    for plain in ("/static/site.css", "/static/site.css?v=000000000000"):
        answer = client.get(plain)
        assert answer.status_code == 200 and answer.headers["cache-control"].endswith("=3600")


def test_the_sheet_comes_compressed_as_asked_and_revalidates(client: httpx.Client) -> None:
    href = linked_sheet(client)
    packed = client.get(href, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == SHEET  # (decoded by httpx)
    assert int(packed.headers["content-length"]) < len(SHEET) / 2
    with httpx.stream("GET", str(client.base_url) + href, headers={"Accept-Encoding": "br"}) as br:
        assert br.headers["content-encoding"] == "br"
        assert brotli.decompress(b"".join(br.iter_raw())) == SHEET
    assert "Accept-Encoding" in packed.headers["vary"]
    again = client.get(href, headers={"If-None-Match": packed.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_static_answers_carry_the_security_headers_and_refuse_the_rest(
    client: httpx.Client,
) -> None:
    sheet = client.get("/static/site.css")
    assert "default-src 'none'" in sheet.headers["content-security-policy"]
    assert sheet.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/favicon.svg").headers["content-type"] == "image/svg+xml"
    for missing in (
        "/static/nope.css",
        "/static/../config.py",
        "/static/%2e%2e/app.py",
        "/static/",
    ):
        answer = client.get(missing)
        assert answer.status_code == 404, missing
        assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert client.post("/static/site.css").status_code == 405
    head = client.head("/static/site.css", headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(SHEET))
