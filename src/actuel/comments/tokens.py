"""Signed comment-form tokens: which article the form belongs to and when it was shown.

The token names no reader (article id and issue time only), so a page carrying it can be cached;
a cached copy only makes the token look older than the reader's visit. That is why the time a
reader opened the page comes in a second token of another purpose (`SEEN`), set as a cookie on
every answer to the article page, cached or not (web/comments.py `FormClock`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from enum import StrEnum

VERSION = "c1"
FORM = ""  # the form's own token: which article, and its two-hour life
SEEN = "seen"  # when this reader was last sent the article page: the 3-second rule


class TokenVerdict(StrEnum):
    """What a posted token says about the form it came with."""

    OK = "ok"
    TOO_FAST = "too_fast"  # sent sooner after the form was shown than a person types
    EXPIRED = "expired"  # the form was shown too long ago: the reader must reload it
    INVALID = "invalid"  # forged, damaged, or taken from another article's form


def _signature(key: bytes, article_id: int, issued: int, purpose: str) -> str:
    # a token of one purpose never passes for the other: the purpose is part of what is signed
    message = f"{VERSION}:{purpose + ':' if purpose else ''}{article_id}:{issued}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(key: bytes, article_id: int, now: float, purpose: str = FORM) -> str:
    """The token of the form (or of the `purpose`) shown now under article `article_id`."""
    issued = int(now * 1000)  # milliseconds: the 3-second rule needs better than whole seconds
    return f"{VERSION}.{article_id}.{issued}.{_signature(key, article_id, issued, purpose)}"


def check(
    key: bytes,
    token: str,
    article_id: int,
    now: float,
    *,
    min_age: float,
    max_age: float,
    purpose: str = FORM,
) -> TokenVerdict:
    """Whether `token` is ours for this article, issued neither too recently nor too long ago."""
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != VERSION:
        return TokenVerdict.INVALID
    _, raw_article, raw_issued, signature = parts
    if not (raw_article.isdigit() and raw_issued.isdigit()) or int(raw_article) != article_id:
        return TokenVerdict.INVALID
    issued = int(raw_issued)
    if not hmac.compare_digest(signature, _signature(key, article_id, issued, purpose)):
        return TokenVerdict.INVALID
    age = now - issued / 1000
    if age > max_age:
        return TokenVerdict.EXPIRED
    if age < min_age:
        return TokenVerdict.TOO_FAST
    return TokenVerdict.OK


def verdict(form: TokenVerdict, seen: TokenVerdict) -> TokenVerdict:
    """What the post's timing says: the form's own verdict when it is not sound; otherwise too
    fast unless the reader was sent the page long enough ago (no `SEEN` token counts as just
    now: a reader refusing cookies has the comment held for a moderator, not lost)."""
    if form is not TokenVerdict.OK:
        return form
    return TokenVerdict.OK if seen is TokenVerdict.OK else TokenVerdict.TOO_FAST
