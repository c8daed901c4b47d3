"""Solid-colour PNG placeholders for the outlets' image URLs.

Hand-written (a PNG is a signature and three zlib/CRC-framed chunks) so the demo needs no imaging
library for pictures that only have to exist.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
IMAGE_PREFIXES = ("/wp-content/uploads/", "/img/", "/images/")


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def placeholder_png(key: str, width: int = 160, height: int = 90) -> bytes:
    """A width×height PNG in a colour that depends only on `key`."""
    red, green, blue = hashlib.sha256(key.encode("utf-8")).digest()[:3]
    row = b"\x00" + bytes((red // 2 + 64, green // 2 + 64, blue // 2 + 64)) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * height, 9))
        + _chunk(b"IEND", b"")
    )


def is_image_path(path: str) -> bool:
    return path.startswith(IMAGE_PREFIXES) and path.lower().endswith(IMAGE_SUFFIXES)
