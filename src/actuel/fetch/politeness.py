"""Politeness between threads: concurrency per host and overall, spacing per host, Retry-After.

Hand-written: the rules are a few locks and clocks, and no threaded library keeps a per-host
Retry-After memory beside the spacing.
"""

from __future__ import annotations

import contextlib
import email.utils
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_key(url: str) -> str:
    """hostname:port of a URL, the unit of politeness and of Retry-After memory."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        port = 0
    return f"{host}:{port}"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date); None if unusable."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


@dataclass
class _Host:
    slots: threading.BoundedSemaphore
    next_start: float = 0.0  # monotonic time before which no request starts
    blocked_until: datetime | None = None  # from Retry-After, in wall-clock time
    blocked_status: int = 429
    delay: float = 0.0  # asked by the host (robots.txt Crawl-delay), on top of ours
    lock: threading.Lock = field(default_factory=threading.Lock)


class Politeness:
    """Who may send a request now: at most N per host and M overall, spaced by a delay per host."""

    def __init__(self, *, concurrency: int, per_host_concurrency: int, per_host_delay: float):
        self._all = threading.BoundedSemaphore(max(1, concurrency))
        self._per_host = max(1, per_host_concurrency)
        self._delay = max(0.0, per_host_delay)
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, key: str) -> _Host:
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = _Host(threading.BoundedSemaphore(self._per_host))
                self._hosts[key] = host
            return host

    @contextlib.contextmanager
    def slot(self, key: str) -> Iterator[None]:
        """Wait for a free slot for `key` and the host's spacing, then hold it for one request."""
        host = self._host(key)
        with host.slots:
            with host.lock:
                start = max(time.monotonic(), host.next_start)
                host.next_start = start + max(self._delay, host.delay)
            wait = start - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            # The host slot is taken first so that a thread waiting on one slow host does not
            # hold one of the shared slots meanwhile.
            with self._all:
                yield

    def ask_delay(self, key: str, seconds: float) -> None:
        """Space requests to `key` by at least `seconds` (the host's own wish)."""
        host = self._host(key)
        with host.lock:
            host.delay = max(0.0, seconds)

    def block(self, key: str, seconds: float, status: int) -> datetime:
        """Remember that `key` answered `status` (429/503) asking for nothing during `seconds`."""
        return self.block_until(key, datetime.now(UTC) + timedelta(seconds=seconds), status)

    def block_until(self, key: str, until: datetime, status: int) -> datetime:
        """Hold `key` back until `until` (UTC; a later hold already there stays); when it ends."""
        host = self._host(key)
        with host.lock:
            if host.blocked_until is None or until > host.blocked_until:
                host.blocked_until = until
                host.blocked_status = status
            return host.blocked_until

    def blocked(self, key: str) -> tuple[datetime, int] | None:
        """When the Retry-After of `key` ends and the status that set it; None: requests may go."""
        with self._lock:
            host = self._hosts.get(key)
        if host is None:
            return None
        with host.lock:
            until = host.blocked_until
            if until is None:
                return None
            if until <= datetime.now(UTC):
                host.blocked_until = None
                return None
            return until, host.blocked_status
