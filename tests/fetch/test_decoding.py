"""Bodies come back decoded (gzip, deflate, br), byte for byte, with the headers we sent seen."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from actuel.errors import FetchError
from actuel.fetch import Fetcher
from tests.support.loopback import Loopback, Reply

TEXT = (
    "<p>Élections régionales : l'Hérault compte ses voix, à Sète comme à Béziers.</p>\n" * 200
).encode()


def _raw_deflate(data: bytes) -> bytes:
    obj = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return obj.compress(data) + obj.flush()


ENCODED = {
    "gzip": gzip.compress(TEXT),
    "x-gzip": gzip.compress(TEXT),
    "deflate": zlib.compress(TEXT),
    "br": brotli.compress(TEXT),
    "identity": TEXT,
    "gzip, br": brotli.compress(gzip.compress(TEXT)),
}


@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_body_decoded(loopback: Loopback, fetcher: Fetcher, encoding: str) -> None:
    wire = ENCODED[encoding]
    loopback.route("/page", Reply(headers={"Content-Encoding": encoding}, body=wire))
    result = fetcher.get(loopback.url("/page"))
    assert result.content == TEXT
    assert result.wire_bytes == len(wire)
    assert result.headers["content-encoding"] == encoding


def test_raw_deflate_from_old_servers_decoded(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/page", Reply(headers={"Content-Encoding": "deflate"}, body=_raw_deflate(TEXT)))
    assert fetcher.get(loopback.url("/page")).content == TEXT


def test_broken_gzip_is_a_clear_error(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/page", Reply(headers={"Content-Encoding": "gzip"}, body=b"not gzip at all"))
    with pytest.raises(FetchError, match="not valid gzip"):
        fetcher.get(loopback.url("/page"), source="source 2 (x)")


def test_request_identifies_us_and_asks_for_compression(
    loopback: Loopback, fetcher: Fetcher
) -> None:
    loopback.route("/feed", b"<rss/>")
    fetcher.get(loopback.url("/feed"), purpose="feed")
    hit = loopback.hits[0]
    assert (hit.header("user-agent") or "").startswith("actuel/")
    assert hit.header("accept-encoding") == "gzip, deflate, br"
    assert "application/rss+xml" in (hit.header("accept") or "")


def test_result_describes_the_response(loopback: Loopback, fetcher: Fetcher) -> None:
    headers = {"ETag": '"v1"', "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT", "X-Thing": "a"}
    loopback.route(
        "/feed", Reply(headers={**headers, "Content-Type": "application/rss+xml"}, body=b"<rss/>")
    )
    result = fetcher.get(loopback.url("/feed"))
    assert result.status == 200
    assert result.url == result.final_url == loopback.url("/feed")
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert result.content_type == "application/rss+xml"
    assert result.headers["x-thing"] == "a"
    assert result.permanent_redirect is None
    assert result.elapsed_s >= 0


def test_cookies_are_not_kept(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/a", Reply(headers={"Set-Cookie": "session=abc; Path=/"}, body=b"a"))
    loopback.route("/b", b"b")
    fetcher.get(loopback.url("/a"))
    fetcher.get(loopback.url("/b"))
    assert loopback.hits_to("/b")[0].header("cookie") is None
