"""The Fetcher: actuel's only HTTP client, safe against hostile servers and polite to real ones.

Redirects are followed here, not by httpx, so that the scheme check, robots.txt, Retry-After
memory and politeness apply to every hop; the address guard runs in the socket layer (network.py).
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from actuel.config import Settings
from actuel.errors import (
    BlockedAddressError,
    BlockedSchemeError,
    ConfigError,
    ConnectError,
    FetchError,
    HTTPStatusError,
    TooManyRedirectsError,
)
from actuel.fetch import messages as msg
from actuel.fetch.decode import BoundedDecoder, DecodedTooLarge, UndecodableBody
from actuel.fetch.guard import (
    ALLOWED_SCHEMES,
    BlockedAddress,
    Resolver,
    default_resolver,
    literal_ip,
    parse_allow_hosts,
)
from actuel.fetch.network import GuardedBackend, GuardedTransport, deadline_at, tls_context
from actuel.fetch.politeness import Politeness, host_key, parse_retry_after
from actuel.fetch.robots import RobotsCache, RobotsUnavailable
from actuel.model import FetchResult

log = logging.getLogger("actuel.fetch")

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})

ACCEPT = {
    "feed": (
        "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
    ),
    "sitemap": "application/xml, text/xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
    "image": "image/avif, image/webp, image/*;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "discovery": (
        "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
        "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
    ),
}


@dataclass
class _Answer:
    """One hop's response, body read (or not, for redirects and errors)."""

    status: int
    headers: dict[str, str]
    content: bytes
    wire_bytes: int
    truncated: bool = False  # cut at the size limit (feeds and robots.txt are read that far)


class HostHolds(Protocol):
    """Where the waits hosts ask for are kept for other processes (the store's `hosts`)."""

    def holds(self) -> Mapping[str, tuple[datetime, int]]: ...

    def hold(self, host: str, until: datetime, status: int) -> None: ...


class Fetcher:
    """GET with an SSRF guard at connect time, size caps, a total deadline and politeness.

    Thread-safe: one Fetcher serves every thread of the pipeline.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        holds: HostHolds | None = None,
    ):
        self._settings = settings
        self._holds = holds
        self._backend = backend = GuardedBackend(
            resolver or default_resolver,
            allow_private=bool(settings.fetch_allow_private),
            allow_hosts=parse_allow_hosts(settings.fetch_allow_hosts),
        )
        connections = max(1, int(settings.fetch_concurrency)) + 2  # room for robots.txt
        self._client = httpx.Client(
            transport=GuardedTransport(
                backend, max_connections=connections, ssl_context=self._tls_context()
            ),
            follow_redirects=False,
            trust_env=False,
            # No cookies kept: one site's cookies never reach another source, and every fetch
            # is the same whatever came before.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            headers={
                "User-Agent": settings.user_agent,
                # Bodies are read raw and decoded by decode.py, with a bound; httpx's
                # own decoders have none.
                "Accept-Encoding": "gzip, deflate, br",
            },
        )
        self._politeness = Politeness(
            concurrency=int(settings.fetch_concurrency),
            per_host_concurrency=int(settings.fetch_per_host_concurrency),
            per_host_delay=float(settings.fetch_per_host_delay),
        )
        self._robots = RobotsCache(ttl=settings.fetch_robots_ttl, user_agent=settings.user_agent)
        self.load_holds()

    def _tls_context(self) -> ssl.SSLContext:
        ca_file = str(self._settings.fetch_ca_file or "")
        try:
            return tls_context(ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                f"fetch_ca_file {ca_file!r} cannot be read as certificates: {exc}",
                fix="set ACTUEL_FETCH_CA_FILE to a PEM file of CA certificates, or leave it empty",
            ) from None

    # public surface

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        purpose: str = "page",
        source: str | None = None,
    ) -> FetchResult:
        """GET `url`, following up to fetch_max_redirects redirects; raises a FetchError subclass.

        `purpose` (feed, sitemap, page, robots, ...) picks the Accept header; `source` labels
        every error message, e.g. "source 12 (https://…/feed)".
        """
        return self._fetch(
            url.strip(),
            etag=etag,
            last_modified=last_modified,
            purpose=purpose,
            source=source,
            max_bytes=int(self._settings.fetch_max_bytes),
            # a feed past the limit is read up to it: its first items are what a poll wants
            truncate=purpose == "feed",
        )

    def load_holds(self) -> None:
        """Take up the waits hosts asked of other processes (`holds`, when given)."""
        if self._holds is None:
            return
        for key, (until, status) in self._holds.holds().items():
            self._politeness.block_until(key, until, status)

    def host_ready_at(self, url: str) -> datetime | None:
        """When the Retry-After a 429/503 of this URL's host set ends; None when it may be asked."""
        blocked = self._politeness.blocked(host_key(url))
        return None if blocked is None else blocked[0]

    def robots_sitemaps(self, url: str, *, source: str | None = None) -> list[str]:
        """The Sitemap: URLs listed in the robots.txt of `url`'s host (fetched and cached)."""
        load = functools.partial(self._load_robots, source=source)
        return self._robots.verdict(url, load).sitemaps

    def close(self) -> None:
        """Close pooled connections; the Fetcher must not be used afterwards."""
        self._client.close()
        self._backend.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # one request, all hops

    def _fetch(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        purpose: str,
        source: str | None,
        max_bytes: int,
        truncate: bool,
    ) -> FetchResult:
        settings = self._settings
        headers = {"Accept": ACCEPT.get(purpose, ACCEPT["page"])}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        max_redirects = int(settings.fetch_max_redirects)
        current = url
        permanent = True
        started: float | None = None
        deadline = 0.0
        for hop in range(max_redirects + 1):
            self._check_scheme(current, source)
            key = host_key(current)
            self._check_retry_after(key, current, source)
            if settings.fetch_respect_robots and purpose != "robots":
                self._check_robots(current, source)
            with self._politeness.slot(key):
                # Another thread may have been told to wait while this one queued.
                self._check_retry_after(key, current, source)
                if started is None:
                    # The deadline counts from the first byte sent, not the time spent queuing.
                    started = time.monotonic()
                    deadline = started + float(settings.fetch_deadline)
                answer = self._exchange(current, headers, deadline, max_bytes, truncate, source)
            log.debug("GET %s -> %s (%s bytes)", current, answer.status, answer.wire_bytes)
            location = answer.headers.get("location")
            if answer.status in REDIRECTS and location:
                if hop == max_redirects:
                    raise msg.too_many_redirects(url, current, max_redirects, source)
                permanent = permanent and answer.status in PERMANENT_REDIRECTS
                current = urljoin(current, location.strip())
                continue
            if answer.status in REDIRECTS:
                raise msg.redirect_without_location(current, answer.status, source)
            return FetchResult(
                url=url,
                final_url=current,
                status=answer.status,
                headers=answer.headers,
                content=answer.content,
                elapsed_s=time.monotonic() - started,
                wire_bytes=answer.wire_bytes,
                etag=answer.headers.get("etag"),
                last_modified=answer.headers.get("last-modified"),
                permanent_redirect=current if hop > 0 and permanent else None,
                truncated=answer.truncated,
            )
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def _exchange(
        self,
        url: str,
        headers: dict[str, str],
        deadline: float,
        max_bytes: int,
        truncate: bool,
        source: str | None,
    ) -> _Answer:
        """One request and response, every wait clamped to `deadline`; errors turned into ours."""
        settings = self._settings
        timeout = httpx.Timeout(
            connect=float(settings.fetch_connect_timeout),
            read=float(settings.fetch_read_timeout),
            write=float(settings.fetch_read_timeout),
            pool=float(settings.fetch_connect_timeout),
        )
        try:
            with deadline_at(deadline):
                request = self._client.build_request("GET", url, headers=headers, timeout=timeout)
                response = self._client.send(request, stream=True)
                try:
                    return self._read(url, response, deadline, max_bytes, truncate, source)
                finally:
                    response.close()
        except BlockedAddress as exc:
            raise msg.blocked_address(url, exc, source) from None
        except httpx.InvalidURL as exc:
            raise msg.invalid_url(url, exc, source) from None
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline - 0.05:
                raise msg.past_deadline(url, settings.fetch_deadline, source) from None
            if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                raise msg.timed_out(url, True, settings.fetch_connect_timeout, source) from None
            raise msg.timed_out(url, False, settings.fetch_read_timeout, source) from None
        except httpx.ConnectError as exc:
            raise msg.cannot_connect(url, exc, source) from None
        except httpx.TransportError as exc:
            raise msg.broken_exchange(url, str(exc) or type(exc).__name__, source) from None

    def _read(
        self,
        url: str,
        response: httpx.Response,
        deadline: float,
        max_bytes: int,
        truncate: bool,
        source: str | None,
    ) -> _Answer:
        """Check the status, then stream and decode the body within both caps and the deadline."""
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        if status in REDIRECTS or status == 304:
            return _Answer(status, headers, b"", 0)
        if not 200 <= status < 300:
            raise msg.bad_status(url, status, self._retry_after(url, status, headers), source)
        length = headers.get("content-length", "")
        if not truncate and length.isdigit() and int(length) > max_bytes:
            announced = f"announces {msg.size(int(length))}, past"
            raise msg.too_large(url, announced, max_bytes, source)
        decoded_cap = int(self._settings.fetch_max_decoded_bytes)
        if truncate:
            decoded_cap = min(decoded_cap, max_bytes)
        decoder = BoundedDecoder(headers.get("content-encoding"), decoded_cap)
        parts: list[bytes] = []
        wire = 0
        cut = False
        try:
            for chunk in response.iter_raw():
                if wire + len(chunk) > max_bytes:
                    if not truncate:
                        raise msg.too_large(url, "went past", max_bytes, source)
                    chunk = chunk[: max_bytes - wire]
                    wire += len(chunk)
                    cut = True
                    parts.append(decoder.feed(chunk))
                    break
                wire += len(chunk)
                parts.append(decoder.feed(chunk))
                if time.monotonic() > deadline:
                    raise msg.past_deadline(url, self._settings.fetch_deadline, source)
        except DecodedTooLarge:
            if not truncate:
                encoding = headers.get("content-encoding")
                raise msg.decoded_too_large(url, encoding, decoded_cap, source) from None
            cut = True
        except UndecodableBody as exc:
            encoding = headers.get("content-encoding")
            raise msg.undecodable(url, encoding, exc, source) from None
        return _Answer(status, headers, b"".join(parts), wire, cut)

    # errors and checks

    def _retry_after(self, url: str, status: int, headers: dict[str, str]) -> float | None:
        """Seconds a 429/503 asks us to wait, capped; the host is held back meanwhile."""
        if status not in RETRY_AFTER_STATUSES:
            return None
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is None:
            return None
        retry_after = min(retry_after, float(self._settings.fetch_retry_after_max))
        until = self._politeness.block(host_key(url), retry_after, status)
        if self._holds is not None:
            self._holds.hold(host_key(url), until, status)
        return retry_after

    def _check_scheme(self, url: str, source: str | None) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError as exc:
            raise msg.invalid_url(url, exc, source) from None
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise msg.blocked_scheme(url, parts.scheme, source)
        if not parts.hostname:
            raise msg.no_host(url, source)
        if literal_ip(parts.hostname) is not None:
            # Judged here too, as some literal forms (0177.0.0.1) never reach the socket layer.
            try:
                self._backend.vet(parts.hostname)
            except BlockedAddress as exc:
                raise msg.blocked_address(url, exc, source) from None

    def _check_retry_after(self, key: str, url: str, source: str | None) -> None:
        blocked = self._politeness.blocked(key)
        if blocked is None:
            return
        until, status = blocked
        left = max(0.0, (until - datetime.now(UTC)).total_seconds())
        raise msg.held_back(url, key, until, left, status, source)

    def _check_robots(self, url: str, source: str | None) -> None:
        verdict = self._robots.verdict(url, functools.partial(self._load_robots, source=source))
        cap = float(self._settings.fetch_crawl_delay_max)
        if cap > 0:
            self._politeness.ask_delay(host_key(url), min(cap, verdict.crawl_delay or 0.0))
        if not verdict.allowed:
            raise msg.robots_disallowed(url, self._settings.user_agent, source)

    def _load_robots(self, robots_url: str, source: str | None) -> bytes | None:
        try:
            result = self._fetch(
                robots_url,
                etag=None,
                last_modified=None,
                purpose="robots",
                source=source,
                max_bytes=int(self._settings.fetch_robots_max_bytes),
                truncate=True,
            )
        except HTTPStatusError as exc:
            if exc.status == 429 or exc.status >= 500:
                raise RobotsUnavailable(exc.problem) from None
            return None  # 4xx: no rules (RFC 9309)
        except (TooManyRedirectsError, BlockedSchemeError, BlockedAddressError):
            # A robots.txt redirected somewhere we refuse to go gives no rules; the page
            # itself still passes every check.
            return None
        except ConnectError:
            raise  # not cached: the page is on the same host and port and will say why
        except FetchError as exc:
            raise RobotsUnavailable(exc.problem) from None
        return result.content
