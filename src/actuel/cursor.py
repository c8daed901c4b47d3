"""Keyset cursors for paginated lists: `2026-11-17T10:10:00Z_42` ⇄ (time, id)."""

from __future__ import annotations

from datetime import UTC, datetime

from actuel.errors import ActuelError


class BadCursorError(ActuelError):
    """A `before` cursor that we did not hand out."""

    code = "bad_cursor"


def encode_cursor(stamp: datetime | None, ident: int | None) -> str | None:
    """The cursor that continues a list after the row (stamp, ident); None when it cannot."""
    if stamp is None or ident is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    # "Z" rather than "+00:00": a "+" in a query string would read back as a space.
    return f"{stamp.astimezone(UTC).isoformat().replace('+00:00', 'Z')}_{ident}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """(time, id) from a cursor made by `encode_cursor`; None for an empty one."""
    if not cursor:
        return None
    stamp, sep, ident = cursor.rpartition("_")
    try:
        if not sep:
            raise ValueError(cursor)
        when = datetime.fromisoformat(stamp)
        number = int(ident)
    except ValueError:
        raise BadCursorError(
            f"cursor {cursor[:80]!r} is not one this site hands out",
            fix="follow the `next` link of the previous page, or drop `before` to start over",
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when, number
