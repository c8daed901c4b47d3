"""Secret tokens (admin sessions, API bearer tokens): made at random, kept only as their hash."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    """The sha256 the database keeps of a token (a leaked table gives no usable token)."""
    return hashlib.sha256(token.encode()).hexdigest()
