"""Size caps, decompression bombs, the total deadline and timeouts, against hostile handlers."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from collections.abc import Iterator

import brotli
import pytest

from actuel.config import Settings
from actuel.errors import ConnectError, DeadlineError, FetchTimeoutError, TooLargeError
from actuel.fetch import Fetcher
from tests.fetch.conftest import MB
from tests.support.loopback import Loopback, Reply

BOMB_SIZE = 30 * MB  # inflates about 1000 times from a few tens of KB


def _bombs() -> dict[str, bytes]:
    zeros = bytes(BOMB_SIZE)
    deflater = zlib.compressobj(9)
    return {
        "gzip": gzip.compress(zeros, compresslevel=9),
        "deflate": deflater.compress(zeros) + deflater.flush(),
        "br": brotli.compress(zeros, quality=5),
    }


BOMBS = _bombs()


@pytest.mark.parametrize("encoding", sorted(BOMBS))
def test_compression_bomb_stopped_at_decoded_cap_with_memory_near_cap(
    loopback: Loopback, fetcher: Fetcher, fetch_settings: Settings, encoding: str
) -> None:
    body = BOMBS[encoding]
    assert len(body) * 900 < BOMB_SIZE  # it is a bomb
    loopback.route("/bomb", Reply(headers={"Content-Encoding": encoding}, body=body))
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match="ACTUEL_FETCH_MAX_DECODED_BYTES"):
            fetcher.get(loopback.url("/bomb"), source="source 4 (bomb)")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    cap = fetch_settings.fetch_max_decoded_bytes
    assert peak < 4 * cap, f"peak {peak} bytes for a {cap}-byte cap"


def _forever(chunk: bytes) -> Iterator[bytes]:
    while True:
        yield chunk


def test_endless_body_stopped_at_raw_cap(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/big", Reply(body=_forever(b"x" * 65536)))
    with pytest.raises(TooLargeError, match="ACTUEL_FETCH_MAX_BYTES") as info:
        fetcher.get(loopback.url("/big"), source="source 5 (big)")
    assert str(info.value).startswith("source 5 (big): ")


def test_announced_length_over_cap_refused_without_reading(
    loopback: Loopback, fetcher: Fetcher
) -> None:
    # The body would take 100 s to arrive: only an early refusal ends this test.
    slow = Reply(headers={"Content-Length": str(50 * MB)}, body=_forever(b"x"), chunk_delay=1.0)
    loopback.route("/huge", slow)
    with pytest.raises(TooLargeError, match="announces 50 MB, past the"):
        fetcher.get(loopback.url("/huge"))


def test_body_at_the_cap_is_accepted(loopback: Loopback, fetcher: Fetcher) -> None:
    body = b"a" * MB
    loopback.route("/exact", Reply(headers={"Content-Encoding": "gzip"}, body=gzip.compress(body)))
    assert fetcher.get(loopback.url("/exact")).content == body


def test_drip_stopped_at_total_deadline(loopback: Loopback, fetch_settings: Settings) -> None:
    settings = fetch_settings.replace(fetch_deadline=1.5, fetch_read_timeout=5.0)
    loopback.route("/drip", Reply(body=_forever(b"."), chunk_delay=0.5))
    started = time.monotonic()
    with Fetcher(settings) as fetcher, pytest.raises(DeadlineError, match=r"1\.5 s deadline"):
        fetcher.get(loopback.url("/drip"), source="source 6 (drip)")
    assert time.monotonic() - started < 1.5 + 1.0


def test_stalled_body_stopped_at_deadline_shorter_than_read_timeout(
    loopback: Loopback, fetch_settings: Settings
) -> None:
    settings = fetch_settings.replace(fetch_deadline=1.0, fetch_read_timeout=30.0)
    loopback.route("/stall", Reply(body=[b"start", b"never"], chunk_delay=20.0))
    started = time.monotonic()
    with Fetcher(settings) as fetcher, pytest.raises(DeadlineError):
        fetcher.get(loopback.url("/stall"))
    assert time.monotonic() - started < 1.0 + 1.0


def test_silent_server_gives_read_timeout(loopback: Loopback, fetch_settings: Settings) -> None:
    settings = fetch_settings.replace(fetch_read_timeout=0.5, fetch_deadline=10.0)
    loopback.route("/stall", Reply(body=[b"start", b"never"], chunk_delay=20.0))
    with Fetcher(settings) as fetcher, pytest.raises(FetchTimeoutError, match="ACTUEL_FETCH_READ"):
        fetcher.get(loopback.url("/stall"), source="source 8 (slow)")


def test_closed_port_gives_connect_error(fetcher: Fetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(ConnectError) as info:
            fetcher.get(f"http://127.0.0.1:{port}/feed", source="source 9 (down)")
    message = str(info.value)
    assert message.startswith("source 9 (down): ")
    assert f"127.0.0.1:{port}/feed" in message


def test_hung_dns_stopped_at_deadline(fetch_settings: Settings) -> None:
    def hung_resolver(_host: str) -> list[str]:
        time.sleep(2.0)  # a resolver that never answers, as far as the fetch is concerned
        return ["127.0.0.1"]

    settings = fetch_settings.replace(fetch_deadline=1.0, fetch_connect_timeout=10.0)
    started = time.monotonic()
    with Fetcher(settings, resolver=hung_resolver) as fetcher, pytest.raises(DeadlineError):
        fetcher.get("http://slow-dns.example/feed", source="source 18 (dns)")
    assert time.monotonic() - started < 1.0 + 1.0


def test_slow_dns_gives_connect_timeout(fetch_settings: Settings) -> None:
    def hung_resolver(_host: str) -> list[str]:
        time.sleep(2.0)
        return ["127.0.0.1"]

    settings = fetch_settings.replace(fetch_deadline=10.0, fetch_connect_timeout=0.5)
    with (
        Fetcher(settings, resolver=hung_resolver) as fetcher,
        pytest.raises(FetchTimeoutError, match="ACTUEL_FETCH_CONNECT_TIMEOUT"),
    ):
        fetcher.get("http://slow-dns.example/feed")


def test_body_cut_short_is_a_connect_error(loopback: Loopback, fetcher: Fetcher) -> None:
    loopback.route("/cut", Reply(headers={"Content-Length": "1000"}, body=[b"only ten b"]))
    with pytest.raises(ConnectError, match="during the exchange"):
        fetcher.get(loopback.url("/cut"), source="source 19 (cut)")
