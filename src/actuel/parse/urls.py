"""URL hygiene: absolute http(s) URLs, canonical form with tracking parameters removed (courlan)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import courlan


def is_http_url(url: str | None) -> bool:
    """True for an absolute http or https URL with a host."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed address ("http://[oops/") is not a usable URL
        return False


def absolute_url(href: str | None, base: str | None) -> str | None:
    """Resolve `href` against `base`; None unless the result is http(s)."""
    if not href:
        return None
    try:
        joined = urljoin(base or "", href.strip())
    except ValueError:
        return None
    return joined if is_http_url(joined) else None


def canonical_url(url: str) -> str:
    """The form two links to one article share: lower-case host, no fragment, no trackers."""
    url = url.strip()
    if not is_http_url(url):
        return url
    try:
        return courlan.normalize_url(url, strict=True)
    except (ValueError, AttributeError):
        return url
