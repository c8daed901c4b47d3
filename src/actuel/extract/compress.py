"""Raw HTML kept compressed: zlib level 6 (Python 3.11 has no zstd; zlib is fast and always there)."""

from __future__ import annotations

import zlib

from actuel.errors import ExtractError

LEVEL = 6


def compress_html(html: bytes) -> bytes:
    """The page's bytes, zlib-compressed for storage."""
    return zlib.compress(html, LEVEL)


def decompress_html(blob: bytes, *, max_bytes: int | None = None) -> bytes:
    """The page's bytes back from `compress_html`; a corrupt blob raises ExtractError."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(blob, max_bytes or 0)
        if max_bytes is None:
            out += inflater.flush()
    except zlib.error as exc:
        raise ExtractError(
            f"stored HTML is not a zlib stream ({exc})",
            fix="re-fetch the page; the stored copy is damaged",
        ) from None
    if not inflater.eof and max_bytes is None:
        raise ExtractError(
            "stored HTML is truncated", fix="re-fetch the page; the stored copy is damaged"
        )
    return out
