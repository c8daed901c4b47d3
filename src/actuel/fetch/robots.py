"""robots.txt rules per host, cached for fetch_robots_ttl and read with protego (Google's rules).

What counts as an answer: a 2xx body is parsed; a 4xx (no robots.txt, or hidden) allows everything,
as RFC 9309 says. A 5xx, a 429 or a timeout is a passing failure: the rules cached before are
kept, else everything is allowed, because a news page that is reachable while its robots.txt is
not is far more often a broken server than a refusal; either way robots.txt is asked again after
RETRY_FAILED_S, not after the full TTL. A refused connection is not cached at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from protego import Protego

from actuel.urls import robots_url

# Loads a robots.txt URL: its body, or None when the answer means "allow everything".
# Raises RobotsUnavailable for a passing failure; any other exception is not cached.
Loader = Callable[[str], bytes | None]

RETRY_FAILED_S = 600.0  # how soon a robots.txt that failed (5xx, 429, timeout) is asked again


class RobotsUnavailable(Exception):  # noqa: N818 - a signal between the fetcher and the cache
    """robots.txt could not be read this time (5xx, 429, timeout); not a statement of rules."""


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: `actuel` in `actuel/0.1 (...)`."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0].strip() or user_agent


@dataclass(frozen=True)
class Verdict:
    """robots.txt's answer for one URL: may we fetch it, how slowly, and the sitemaps it lists."""

    allowed: bool
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    rules: Protego | None  # None: everything allowed
    expires: float


class RobotsCache:
    """Rules of each host's robots.txt, loaded once per TTL even when many threads ask at once."""

    def __init__(self, *, ttl: float, user_agent: str):
        self._ttl = ttl
        self._agent = agent_token(user_agent)
        self._entries: dict[str, _Entry] = {}
        self._loading: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def _entry(self, url: str, load: Loader) -> _Entry:
        key = robots_url(url)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.expires > time.monotonic():
                return entry
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry.expires > time.monotonic():
                    return entry
            try:
                body = load(key)
            except RobotsUnavailable:
                stale = entry.rules if entry is not None else None
                entry = _Entry(stale, time.monotonic() + min(self._ttl, RETRY_FAILED_S))
            else:
                rules = None
                if body is not None and body.strip():
                    rules = Protego.parse(body.decode("utf-8", errors="replace"))
                entry = _Entry(rules, time.monotonic() + self._ttl)
            with self._lock:
                self._entries[key] = entry
            return entry

    def verdict(self, url: str, load: Loader) -> Verdict:
        """What robots.txt says about `url` for our User-Agent."""
        rules = self._entry(url, load).rules
        if rules is None:
            return Verdict(allowed=True)
        delay = rules.crawl_delay(self._agent)
        return Verdict(
            allowed=bool(rules.can_fetch(url, self._agent)),
            crawl_delay=None if delay is None else float(delay),
            sitemaps=list(rules.sitemaps),
        )
