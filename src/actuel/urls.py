"""URL hygiene for every stage: absolute http(s) URLs, the canonical form two links to one article
share, a site's host and home page.

Written by hand on purpose: courlan's normalisation drops query keys it does not know
(`spip.php?article123`, `news.asp?newsid=55`), which would merge distinct articles into one URL.
Here only known tracking parameters are removed; every other parameter is kept, in order."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "rb_clickid",
        "s_cid",
        "ncid",
        "cmpid",
        "ocid",
        "sr_share",
        "share",
        "shared",
        "ref_src",
        "ref_url",
        "xtor",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "fb_action_ids",
        "fb_action_types",
        "fb_source",
        "fb_ref",
        "spm",
        "amp",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "__hs", "at_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_http_url(url: str | None) -> bool:
    """True for an absolute http or https URL with a host."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is no number (fuzzed feeds)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def absolute_url(href: str | None, base: str | None) -> str | None:
    """Resolve `href` against `base`; None unless the result is http(s)."""
    if not href:
        return None
    try:
        joined = urljoin(base or "", href.strip())
    except ValueError:
        return None
    return joined if is_http_url(joined) else None


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def without_tracking(url: str) -> str:
    """The URL as given, less its tracking parameters (utm_*, fbclid, ...) and its fragment:
    what is stored, linked and cited ("Lire la suite", isBasedOn, feeds)."""
    url = url.strip()
    if not is_http_url(url):
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, _untracked(parts.query), ""))


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters,
    percent-encoding normalised; other query parameters kept in their order."""
    url = url.strip()
    if not is_http_url(url):
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port if parts.port and parts.port != DEFAULT_PORTS[parts.scheme] else None
    netloc = f"{host}:{port}" if port else host
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~%") or "/"
    path = re.sub(r"/{2,}", "/", path)
    return urlunsplit((parts.scheme.lower(), netloc, path, _untracked(parts.query), ""))


def _untracked(query: str) -> str:
    """A query string less its tracking parameters, the others in their order."""
    kept = [
        pair
        for pair in query.split("&")
        if pair and not is_tracking_param(unquote(pair.split("=", 1)[0]))
    ]
    return "&".join(kept)


def site_host(url: str) -> str:
    """The host without a leading `www.`, lower-case: `www.Example.fr` → `example.fr`."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def same_host(a: str, b: str) -> bool:
    """Whether two URLs are on one host, `www.` or not (`m.example.fr` is another host)."""
    return site_host(a) == site_host(b)


def same_site(url: str, home_url: str) -> bool:
    """True when `url` is on the home page's site or one of its subdomains (`sport.example.fr`)."""
    host, home = site_host(url), site_host(home_url)
    if not host or not home:
        return False
    return host == home or host.endswith("." + home) or home.endswith("." + host)


def robots_url(url: str) -> str:
    """The robots.txt URL governing `url`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def home_url(url: str) -> str:
    """The root of `url`'s site: scheme://host[:port]/."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
