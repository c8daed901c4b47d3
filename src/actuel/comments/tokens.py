"""Signed comment-form tokens: which article the form belongs to and when it was shown.

The token names no reader (article id and issue time only), so a page carrying it can be cached;
a cached copy only makes the token look older than the reader's visit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from enum import StrEnum

VERSION = "c1"


class TokenVerdict(StrEnum):
    """What a posted token says about the form it came with."""

    OK = "ok"
    TOO_FAST = "too_fast"  # sent sooner after the form was shown than a person types
    EXPIRED = "expired"  # the form was shown too long ago: the reader must reload it
    INVALID = "invalid"  # forged, damaged, or taken from another article's form


def _signature(key: bytes, article_id: int, issued: int) -> str:
    message = f"{VERSION}:{article_id}:{issued}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(key: bytes, article_id: int, now: float) -> str:
    """The token of the form shown now under article `article_id`."""
    issued = int(now * 1000)  # milliseconds: the 3-second rule needs better than whole seconds
    return f"{VERSION}.{article_id}.{issued}.{_signature(key, article_id, issued)}"


def check(
    key: bytes, token: str, article_id: int, now: float, *, min_age: float, max_age: float
) -> TokenVerdict:
    """Whether `token` is ours for this article, issued neither too recently nor too long ago."""
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != VERSION:
        return TokenVerdict.INVALID
    _, raw_article, raw_issued, signature = parts
    if not (raw_article.isdigit() and raw_issued.isdigit()) or int(raw_article) != article_id:
        return TokenVerdict.INVALID
    issued = int(raw_issued)
    if not hmac.compare_digest(signature, _signature(key, article_id, issued)):
        return TokenVerdict.INVALID
    age = now - issued / 1000
    if age > max_age:
        return TokenVerdict.EXPIRED
    if age < min_age:
        return TokenVerdict.TOO_FAST
    return TokenVerdict.OK
