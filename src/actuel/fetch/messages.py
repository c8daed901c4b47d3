"""The fetch stage's errors, worded once: the URL, what went wrong, and the fix with its setting."""

from __future__ import annotations

from datetime import datetime

import httpx

from actuel.errors import (
    BlockedAddressError,
    BlockedSchemeError,
    ConnectError,
    DeadlineError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
)
from actuel.fetch.guard import BlockedAddress

_STATUS_FIXES = {
    401: "the site refuses us; check the URL or ask the site to allow our User-Agent",
    403: "the site refuses us; check the URL or ask the site to allow our User-Agent",
    404: "check the URL; the source is retried with backoff",
    410: "the feed is gone for good: the source is disabled; find its new URL",
    429: "the server is limiting us; no request goes to it before the time given",
    503: "the server is busy; no request goes to it before the time given, if it gave one",
}


def size(n: int) -> str:
    """`15 MB` or `512 bytes`."""
    return f"{n / (1024 * 1024):.3g} MB" if n >= 1024 * 1024 else f"{n} bytes"


def invalid_url(url: str, detail: object, source: str | None) -> FetchError:
    return FetchError(f"{url}: invalid URL: {detail}", fix="correct the URL", source=source)


def no_host(url: str, source: str | None) -> FetchError:
    return FetchError(f"{url}: no host name in the URL", fix="use an absolute URL", source=source)


def blocked_scheme(url: str, scheme: str, source: str | None) -> BlockedSchemeError:
    return BlockedSchemeError(
        f"{url}: scheme {scheme or '(none)'!r} refused; only http and https are fetched",
        fix="use an http:// or https:// URL",
        source=source,
    )


def blocked_address(url: str, exc: BlockedAddress, source: str | None) -> BlockedAddressError:
    return BlockedAddressError(
        f"{url}: {exc.describe()}; refused before connecting",
        fix="use the site's public URL; list a host of yours in ACTUEL_FETCH_ALLOW_HOSTS "
        "(ACTUEL_FETCH_ALLOW_PRIVATE=true is for tests and the demo only)",
        source=source,
    )


def too_many_redirects(
    url: str, last: str, max_redirects: int, source: str | None
) -> TooManyRedirectsError:
    return TooManyRedirectsError(
        f"{url}: more than {max_redirects} redirects (last to {last})",
        fix="check the URL in a browser; a redirect loop needs the site's fix, "
        "else raise ACTUEL_FETCH_MAX_REDIRECTS",
        source=source,
    )


def redirect_without_location(url: str, status: int, source: str | None) -> HTTPStatusError:
    return HTTPStatusError(
        f"{url}: HTTP {status} redirect without a Location header",
        status=status,
        fix="the site's server is misconfigured; try the final URL directly",
        source=source,
    )


def bad_status(
    url: str, status: int, retry_after: float | None, source: str | None
) -> HTTPStatusError:
    reason = httpx.codes.get_reason_phrase(status) or "error"
    wait = f", Retry-After {retry_after:g} s" if retry_after is not None else ""
    return HTTPStatusError(
        f"{url}: HTTP {status} {reason}{wait}",
        status=status,
        retry_after=retry_after,
        fix=_STATUS_FIXES.get(status, "retried later with backoff"),
        source=source,
    )


def held_back(
    url: str, host: str, until: datetime, left: float, status: int, source: str | None
) -> HTTPStatusError:
    return HTTPStatusError(
        f"{url}: {host} answered HTTP {status} with Retry-After; no request sent before "
        f"{until:%Y-%m-%d %H:%M:%S} UTC ({left:.0f} s left)",
        status=status,
        retry_after=left,
        fix="wait for the time the server gave",
        source=source,
    )


def too_large(url: str, how: str, max_bytes: int, source: str | None) -> TooLargeError:
    return TooLargeError(
        f"{url}: response {how} the {size(max_bytes)} limit; stopped",
        fix="raise ACTUEL_FETCH_MAX_BYTES if this source is legitimate",
        source=source,
    )


def decoded_too_large(
    url: str, encoding: str | None, cap: int, source: str | None
) -> TooLargeError:
    return TooLargeError(
        f"{url}: body inflates past the {size(cap)} limit once decoded ({encoding}); stopped",
        fix="a compression bomb, or a huge page: raise ACTUEL_FETCH_MAX_DECODED_BYTES only if "
        "the source is trusted",
        source=source,
    )


def undecodable(url: str, encoding: str | None, detail: object, source: str | None) -> FetchError:
    return FetchError(
        f"{url}: body is not valid {encoding}: {detail}",
        fix="the server sent a broken compressed body; retried later",
        source=source,
    )


def past_deadline(url: str, seconds: float, source: str | None) -> DeadlineError:
    return DeadlineError(
        f"{url}: not finished within the {seconds:g} s deadline; stopped",
        fix="the server is too slow; retried later (ACTUEL_FETCH_DEADLINE)",
        source=source,
    )


def timed_out(url: str, connecting: bool, seconds: float, source: str | None) -> FetchTimeoutError:
    what, setting = ("connecting", "CONNECT") if connecting else ("waiting for data", "READ")
    return FetchTimeoutError(
        f"{url}: timed out after {seconds:g} s {what}",
        fix=f"the server is slow or down; retried later (ACTUEL_FETCH_{setting}_TIMEOUT)",
        source=source,
    )


def cannot_connect(url: str, detail: object, source: str | None) -> ConnectError:
    return ConnectError(
        f"{url}: cannot connect: {detail}",
        fix="check the host name and that the site is up; retried later",
        source=source,
    )


def broken_exchange(url: str, detail: object, source: str | None) -> ConnectError:
    return ConnectError(
        f"{url}: connection failed during the exchange: {detail}",
        fix="the server broke the connection or spoke bad HTTP; retried later",
        source=source,
    )


def robots_disallowed(url: str, user_agent: str, source: str | None) -> RobotsDisallowedError:
    return RobotsDisallowedError(
        f"{url}: robots.txt forbids this URL to {user_agent!r}",
        fix="respect the site's wish, or ask it to allow our User-Agent "
        "(ACTUEL_FETCH_RESPECT_ROBOTS=false only for sites you own)",
        source=source,
    )
