"""Admin passwords: argon2id hashes (argon2-cffi), and the same work for unknown names."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def verify(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash (unknown name) a dummy hash is checked, so
    that an unknown name and a wrong password take about as long and answer the same."""
    try:
        return HASHER.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)
