"""Content decoding (gzip, deflate, br) with a hard bound on the decoded size.

Hand-written because httpx's decoders have no output bound: a 10 KB gzip body may inflate to
10 GB. Here every decompress call asks for at most the bytes still allowed, so memory stays near
the cap whatever the ratio.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import brotli


class DecodedTooLarge(Exception):  # noqa: N818 - internal signal, turned into TooLargeError
    """The decoded body went over its cap."""


class UndecodableBody(Exception):  # noqa: N818 - internal signal, turned into FetchError
    """The body is not valid for its Content-Encoding."""


class _Step(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...

    def flush(self, limit: int) -> bytes: ...


class _Zlib:
    def __init__(self, wbits: int, *, raw_fallback: bool = False):
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error as exc:
            # "deflate" is sent both zlib-wrapped (the standard) and raw (old IIS); try both.
            if self._raw_fallback and not self._started:
                self._raw_fallback = False
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, limit)
            raise UndecodableBody(str(exc)) from None
        self._started = True
        return out

    def flush(self, limit: int) -> bytes:
        # Output held back by the previous bound: asked for again with the same bound.
        tail = self._obj.unconsumed_tail
        if tail:
            return self.feed(tail, limit)
        return b""


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            return bytes(self._obj.process(data, output_buffer_limit=limit))
        except brotli.error as exc:
            raise UndecodableBody(str(exc)) from None

    def flush(self, limit: int) -> bytes:
        if self._obj.can_accept_more_data():
            return b""
        return self.feed(b"", limit)


def _step(name: str) -> _Step | None:
    if name in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
    if name == "br":
        return _Brotli()
    return None  # identity, or an encoding we do not know: passed through untouched


class BoundedDecoder:
    """Turns raw body chunks into decoded bytes, refusing to produce more than `max_bytes`."""

    def __init__(self, content_encoding: str | None, max_bytes: int):
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        # Encodings are listed in the order applied, so they are undone last first.
        self._steps = [s for s in (_step(n) for n in reversed(names)) if s is not None]
        self._max = max_bytes
        self.size = 0

    def feed(self, chunk: bytes) -> bytes:
        data = chunk
        for step in self._steps:
            data = self._drain(step, data)
        self._count(len(data))
        return data

    def _drain(self, step: _Step, data: bytes) -> bytes:
        # One byte over the allowance is enough to know the cap is passed.
        allowance = self._max - self.size + 1
        parts = [step.feed(data, allowance)]
        got = len(parts[0])
        while got < allowance:
            more = step.flush(allowance - got)
            if not more:
                break
            parts.append(more)
            got += len(more)
        if got >= allowance:
            raise DecodedTooLarge
        return b"".join(parts)

    def _count(self, n: int) -> None:
        self.size += n
        if self.size > self._max:
            raise DecodedTooLarge
