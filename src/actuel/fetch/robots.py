"""robots.txt rules per host, cached for fetch_robots_ttl and read with protego (Google's rules).

What counts as an answer: a 2xx body is parsed; a 4xx (no robots.txt, or hidden) allows everything,
as RFC 9309 says; a 5xx, 429 or an unreachable robots.txt also allows, because a news page that
is reachable while its robots.txt is not is far more often a broken server than a refusal. 4xx and
5xx answers are cached like a body; network failures are not, so the next request asks again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

# Loads a robots.txt URL: its body, or None when the answer means "allow everything".
# Raises for network failures, which are not cached.
Loader = Callable[[str], bytes | None]


def robots_url(url: str) -> str:
    """The robots.txt URL governing `url`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: `actuel` in `actuel/0.1 (...)`."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0].strip() or user_agent


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
            body = load(key)
            rules = None
            if body is not None and body.strip():
                rules = Protego.parse(body.decode("utf-8", errors="replace"))
            entry = _Entry(rules, time.monotonic() + self._ttl)
            with self._lock:
                self._entries[key] = entry
            return entry

    def allowed(self, url: str, load: Loader) -> bool:
        """True when robots.txt lets our User-Agent fetch `url`."""
        rules = self._entry(url, load).rules
        return rules is None or bool(rules.can_fetch(url, self._agent))

    def sitemaps(self, url: str, load: Loader) -> list[str]:
        """The Sitemap: lines of the robots.txt governing `url`."""
        rules = self._entry(url, load).rules
        return [] if rules is None else list(rules.sitemaps)

    def crawl_delay(self, url: str, load: Loader) -> float | None:
        """The Crawl-delay robots.txt asks of our User-Agent, if any."""
        rules = self._entry(url, load).rules
        if rules is None:
            return None
        delay = rules.crawl_delay(self._agent)
        return None if delay is None else float(delay)
