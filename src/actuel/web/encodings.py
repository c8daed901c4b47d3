"""Which content encoding a client accepts (the page cache's and the static files' choice)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def preferred_encoding(header: bytes) -> str:
    """br, gzip or identity: the best encoding the client accepts (q=0 refuses)."""
    accepted = set()
    for part in header.decode("latin-1").lower().split(","):
        token, _, params = part.strip().partition(";")
        params = params.replace(" ", "")
        if params.startswith("q=") and params[2:] in ("0", "0.0", "0.00", "0.000"):
            continue
        accepted.add(token.strip())
    if "br" in accepted:
        return "br"
    if "gzip" in accepted or "*" in accepted:
        return "gzip"
    return "identity"
