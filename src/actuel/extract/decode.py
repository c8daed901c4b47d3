"""Bytes of a page to text for the extractor: the shared decoder when present, else a small fallback.

The fallback exists only so extraction works before `actuel.parse.decode_document` lands: header charset,
then a <meta> charset in the first 4 KB, then UTF-8, then charset-normalizer, never raising.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

import charset_normalizer

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.IGNORECASE)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    # browsers read latin-1 labels as windows-1252 (WHATWG encoding standard)
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _fallback_decode(content: bytes, content_type: str | None) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", errors="replace")
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(content[:4096])
    for label in (header.group(1) if header else None, meta.group(1).decode("ascii") if meta else None):
        codec = _codec(label)
        if codec:
            return content.decode(codec, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(content[:200_000]).best()
    codec = _codec(best.encoding) if best else None
    return content.decode(codec or "cp1252", errors="replace")


def _shared_decoder() -> Callable[[bytes, str | None], str] | None:
    try:
        from actuel.parse import decode_document  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return decode_document  # type: ignore[no-any-return,unused-ignore]


def decode_page(content: bytes, content_type: str | None = None) -> str:
    """Text of a page's bytes, using the charset the headers or the page declare."""
    decoder = _shared_decoder()
    if decoder is not None:
        try:
            return decoder(content, content_type)
        except Exception:  # the shared decoder must not make extraction fail
            pass
    return _fallback_decode(content, content_type)
