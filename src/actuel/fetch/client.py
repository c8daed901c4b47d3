"""The Fetcher: actuel's only HTTP client, safe against hostile servers and polite to real ones.

Redirects are followed here, not by httpx, so that the scheme check, robots.txt, Retry-After
memory and politeness apply to every hop; the address guard runs in the socket layer (network.py).
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from actuel.config import Settings
from actuel.errors import (
    BlockedAddressError,
    BlockedSchemeError,
    ConfigError,
    ConnectError,
    DeadlineError,
    FetchError,
    HTTPStatusError,
    RobotsDisallowedError,
    TimeoutError_,
    TooLargeError,
    TooManyRedirectsError,
)
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
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "discovery": (
        "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
        "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
    ),
}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.3g} MB" if n >= 1024 * 1024 else f"{n} bytes"


@dataclass
class _Answer:
    """One hop's response, body read (or not, for redirects and errors)."""

    status: int
    headers: dict[str, str]
    content: bytes
    wire_bytes: int


class Fetcher:
    """GET with an SSRF guard at connect time, size caps, a total deadline and politeness.

    Thread-safe: one Fetcher serves every thread of the pipeline.
    """

    def __init__(self, settings: Settings, *, resolver: Resolver | None = None):
        self._settings = settings
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
            url,
            etag=etag,
            last_modified=last_modified,
            purpose=purpose,
            source=source,
            max_bytes=int(self._settings.fetch_max_bytes),
            truncate=False,
        )

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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
                    raise TooManyRedirectsError(
                        f"{url}: more than {max_redirects} redirects (last to {current})",
                        fix="check the URL in a browser; a redirect loop needs the site's fix, "
                        "else raise ACTUEL_FETCH_MAX_REDIRECTS",
                        source=source,
                    )
                permanent = permanent and answer.status in PERMANENT_REDIRECTS
                current = urljoin(current, location.strip())
                continue
            if answer.status in REDIRECTS:
                raise HTTPStatusError(
                    f"{current}: HTTP {answer.status} redirect without a Location header",
                    status=answer.status,
                    fix="the site's server is misconfigured; try the final URL directly",
                    source=source,
                )
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
            raise self._blocked(url, exc, source) from None
        except httpx.InvalidURL as exc:
            raise FetchError(
                f"{url}: invalid URL: {exc}", fix="correct the URL", source=source
            ) from None
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline - 0.05:
                raise self._deadline_error(url, source) from None
            what = (
                "connecting"
                if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                else ("waiting for data")
            )
            limit = (
                settings.fetch_connect_timeout
                if what == "connecting"
                else settings.fetch_read_timeout
            )
            setting = "CONNECT" if what == "connecting" else "READ"
            raise TimeoutError_(
                f"{url}: timed out after {limit:g} s {what}",
                fix=f"the server is slow or down; retried later (ACTUEL_FETCH_{setting}_TIMEOUT)",
                source=source,
            ) from None
        except httpx.ConnectError as exc:
            raise ConnectError(
                f"{url}: cannot connect: {exc}",
                fix="check the host name and that the site is up; retried later",
                source=source,
            ) from None
        except httpx.TransportError as exc:
            raise ConnectError(
                f"{url}: connection failed during the exchange: {exc or type(exc).__name__}",
                fix="the server broke the connection or spoke bad HTTP; retried later",
                source=source,
            ) from None

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
            raise self._status_error(url, status, headers, source)
        length = headers.get("content-length", "")
        if not truncate and length.isdigit() and int(length) > max_bytes:
            raise self._too_large(url, f"announces {_mb(int(length))}", max_bytes, source)
        decoded_cap = int(self._settings.fetch_max_decoded_bytes)
        if truncate:
            decoded_cap = min(decoded_cap, max_bytes)
        decoder = BoundedDecoder(headers.get("content-encoding"), decoded_cap)
        parts: list[bytes] = []
        wire = 0
        try:
            for chunk in response.iter_raw():
                wire += len(chunk)
                if wire > max_bytes:
                    if truncate:
                        break
                    raise self._too_large(url, "went past", max_bytes, source)
                parts.append(decoder.feed(chunk))
                if time.monotonic() > deadline:
                    raise self._deadline_error(url, source)
        except DecodedTooLarge:
            if not truncate:
                raise TooLargeError(
                    f"{url}: body inflates past the {_mb(decoded_cap)} limit once decoded "
                    f"({headers.get('content-encoding')}); stopped",
                    fix="a compression bomb, or a huge page: raise "
                    "ACTUEL_FETCH_MAX_DECODED_BYTES only if the source is trusted",
                    source=source,
                ) from None
        except UndecodableBody as exc:
            raise FetchError(
                f"{url}: body is not valid {headers.get('content-encoding')}: {exc}",
                fix="the server sent a broken compressed body; retried later",
                source=source,
            ) from None
        return _Answer(status, headers, b"".join(parts), wire)

    # errors and checks

    def _status_error(
        self, url: str, status: int, headers: dict[str, str], source: str | None
    ) -> HTTPStatusError:
        retry_after = None
        if status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after is not None:
                retry_after = min(retry_after, float(self._settings.fetch_retry_after_max))
                self._politeness.block(host_key(url), retry_after, status)
        reason = httpx.codes.get_reason_phrase(status) or "error"
        if status == 410:
            fix = "the feed is gone for good: the source is disabled; find its new URL"
        elif status in RETRY_AFTER_STATUSES:
            fix = "the server is busy or limiting us; no request goes to it before the time given"
        elif status in (401, 403):
            fix = "the site refuses us; check the URL or ask the site to allow our User-Agent"
        elif status == 404:
            fix = "check the URL; the source is retried with backoff"
        else:
            fix = "retried later with backoff"
        wait = f", Retry-After {retry_after:g} s" if retry_after is not None else ""
        return HTTPStatusError(
            f"{url}: HTTP {status} {reason}{wait}",
            status=status,
            retry_after=retry_after,
            fix=fix,
            source=source,
        )

    def _blocked(self, url: str, exc: BlockedAddress, source: str | None) -> BlockedAddressError:
        return BlockedAddressError(
            f"{url}: {exc.describe()}; refused before connecting",
            fix="use the site's public URL; list a host of yours in ACTUEL_FETCH_ALLOW_HOSTS "
            "(ACTUEL_FETCH_ALLOW_PRIVATE=true is for tests and the demo only)",
            source=source,
        )

    def _too_large(self, url: str, how: str, max_bytes: int, source: str | None) -> TooLargeError:
        return TooLargeError(
            f"{url}: response {how} the {_mb(max_bytes)} limit; stopped",
            fix="raise ACTUEL_FETCH_MAX_BYTES if this source is legitimate",
            source=source,
        )

    def _deadline_error(self, url: str, source: str | None) -> DeadlineError:
        limit = float(self._settings.fetch_deadline)
        return DeadlineError(
            f"{url}: not finished within the {limit:g} s deadline; stopped",
            fix="the server is too slow; retried later (ACTUEL_FETCH_DEADLINE)",
            source=source,
        )

    def _check_scheme(self, url: str, source: str | None) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError as exc:
            raise FetchError(
                f"{url}: invalid URL: {exc}", fix="correct the URL", source=source
            ) from None
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise BlockedSchemeError(
                f"{url}: scheme {parts.scheme or '(none)'!r} refused; only http and https are "
                "fetched",
                fix="use an http:// or https:// URL",
                source=source,
            )
        if not parts.hostname:
            raise FetchError(
                f"{url}: no host name in the URL", fix="use an absolute URL", source=source
            )
        if literal_ip(parts.hostname) is not None:
            # Judged here too, as some literal forms (0177.0.0.1) never reach the socket layer.
            try:
                self._backend.vet(parts.hostname)
            except BlockedAddress as exc:
                raise self._blocked(url, exc, source) from None

    def _check_retry_after(self, key: str, url: str, source: str | None) -> None:
        blocked = self._politeness.blocked(key)
        if blocked is None:
            return
        until, status = blocked
        left = max(0.0, (until - datetime.now(UTC)).total_seconds())
        raise HTTPStatusError(
            f"{url}: {key} answered HTTP {status} with Retry-After; no request sent before "
            f"{until:%Y-%m-%d %H:%M:%S} UTC ({left:.0f} s left)",
            status=status,
            retry_after=left,
            fix="wait for the time the server gave",
            source=source,
        )

    def _check_robots(self, url: str, source: str | None) -> None:
        verdict = self._robots.verdict(url, functools.partial(self._load_robots, source=source))
        cap = float(self._settings.fetch_crawl_delay_max)
        if cap > 0:
            self._politeness.ask_delay(host_key(url), min(cap, verdict.crawl_delay or 0.0))
        if not verdict.allowed:
            raise RobotsDisallowedError(
                f"{url}: robots.txt forbids this URL to {self._settings.user_agent!r}",
                fix="respect the site's wish, or ask it to allow our User-Agent "
                "(ACTUEL_FETCH_RESPECT_ROBOTS=false only for sites you own)",
                source=source,
            )

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
