"""Politeness under threads: spacing per host, concurrency per host and overall."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from actuel.config import Settings
from actuel.fetch import Fetcher, host_key
from tests.support.loopback import Loopback, Reply, Request


class _Recorder:
    """A handler that notes when each request arrived and how many were in flight at once."""

    def __init__(self, hold: float = 0.0):
        self.hold = hold
        self.arrivals: list[float] = []
        self.in_flight = 0
        self.peak = 0
        self._lock = threading.Lock()

    def __call__(self, req: Request) -> Reply:
        with self._lock:
            self.arrivals.append(time.monotonic())
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        time.sleep(self.hold)
        with self._lock:
            self.in_flight -= 1
        return Reply(body=b"ok")


def test_requests_to_one_host_are_spaced(loopback: Loopback, fetch_settings: Settings) -> None:
    recorder = _Recorder()
    loopback.route("/page", recorder)
    delay = 0.3
    with Fetcher(fetch_settings.replace(fetch_per_host_delay=delay)) as fetcher:
        for _ in range(3):
            fetcher.get(loopback.url("/page"))
    gaps = [b - a for a, b in itertools.pairwise(recorder.arrivals)]
    assert len(gaps) == 2
    assert min(gaps) >= delay * 0.9, gaps


def test_threads_share_the_spacing(loopback: Loopback, fetch_settings: Settings) -> None:
    recorder = _Recorder()
    loopback.route("/page", recorder)
    delay = 0.2
    settings = fetch_settings.replace(fetch_per_host_delay=delay, fetch_per_host_concurrency=4)
    with Fetcher(settings) as fetcher, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: fetcher.get(loopback.url("/page")), range(4)))
    assert [r.content for r in results] == [b"ok"] * 4
    arrivals = sorted(recorder.arrivals)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= delay * 0.9, gaps


def test_per_host_concurrency_respected(loopback: Loopback, fetch_settings: Settings) -> None:
    recorder = _Recorder(hold=0.1)
    loopback.route("/page", recorder)
    settings = fetch_settings.replace(fetch_per_host_concurrency=1, fetch_concurrency=8)
    with Fetcher(settings) as fetcher, ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: fetcher.get(loopback.url("/page")), range(6)))
    assert len(recorder.arrivals) == 6
    assert recorder.peak == 1


def test_overall_concurrency_respected(loopback: Loopback, fetch_settings: Settings) -> None:
    hosts = [Loopback().start() for _ in range(3)]
    recorder = _Recorder(hold=0.15)
    try:
        for host in hosts:
            host.route("/page", recorder)
        settings = fetch_settings.replace(fetch_per_host_concurrency=4, fetch_concurrency=2)
        urls = [host.url("/page") for host in hosts for _ in range(3)]
        with Fetcher(settings) as fetcher, ThreadPoolExecutor(9) as pool:
            list(pool.map(fetcher.get, urls))
    finally:
        for host in hosts:
            host.stop()
    assert len(recorder.arrivals) == 9
    assert recorder.peak <= 2  # 9 would be in flight at once without the limit


def test_host_key_is_host_and_port() -> None:
    assert host_key("https://News.Example/a") == "news.example:443"
    assert host_key("http://news.example/a") == "news.example:80"
    assert host_key("http://news.example:8080/a?b") == "news.example:8080"
