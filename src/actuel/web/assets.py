"""The site's static files, served from memory: compressed once, versioned by their content.

Starlette's StaticFiles stats and reads the disk through the thread pool on every request, so
under 256 connections a 7 KB style sheet waited behind the pool (p99 3.2 s, against 0.2–0.6 s
for cached pages, issue 11). Our static files are a few kilobytes shipped inside the package:
they are read once, gzip and brotli copies made at their best levels, and each answer is stored
bytes sent by the outermost middleware, before routing, like a cached page. `static_url(name)`
gives templates the address with `?v=` and the content's hash, answered with a year of
`immutable` caching; without it (an old page, an operator's link) an hour.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from urllib.parse import parse_qs

import brotli
from starlette.types import ASGIApp, Receive, Scope, Send

from actuel.web.encodings import preferred_encoding

PREFIX = "/static/"
VERSIONED = b"public, max-age=31536000, immutable"
UNVERSIONED = b"public, max-age=3600"
MIN_COMPRESSED = 256  # below, the encoding header costs what compression saves
TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".js": "text/javascript"}


@dataclass(frozen=True)
class Asset:
    """One static file: its type, its bodies by encoding, its version."""

    content_type: bytes
    bodies: dict[str, bytes]  # "identity", and "gzip" / "br" when they are smaller
    version: str  # the first 12 hex digits of the content's SHA-256
    etag: bytes  # the version, quoted


def load_asset(name: str, body: bytes) -> Asset:
    """`body` with its compressed copies (kept only when smaller) and its version."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    content_type = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    bodies = {"identity": body}
    if len(body) >= MIN_COMPRESSED:
        for encoding, packed in (
            ("gzip", gzip.compress(body, compresslevel=9, mtime=0)),
            ("br", brotli.compress(body, quality=11)),
        ):
            if len(packed) < len(body):
                bodies[encoding] = packed
    version = hashlib.sha256(body).hexdigest()[:12]
    return Asset(content_type.encode(), bodies, version, b'"%s"' % version.encode())


def read_folder(folder: Traversable) -> dict[str, Asset]:
    """Every file of `folder` (and below), by its path under it."""
    found: dict[str, Asset] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found.update({f"{entry.name}/{k}": v for k, v in read_folder(entry).items()})
        elif entry.is_file() and not entry.name.startswith("."):
            found[entry.name] = load_asset(entry.name, entry.read_bytes())
    return found


@lru_cache(maxsize=1)
def bundled() -> dict[str, Asset]:
    """The static files shipped in the package."""
    return read_folder(files("actuel.web") / "static")


def static_url(name: str) -> str:
    """The versioned address of the bundled static file `name` (templates' `static_url`)."""
    asset = bundled().get(name)
    if asset is None:
        raise LookupError(f"no static file {name!r} in actuel/web/static")
    return f"/static/{name}?v={asset.version}"


class StaticAssets:
    """ASGI middleware answering GET/HEAD /static/{name} from `assets` before any routing or
    other middleware (its answers carry `headers`, the site's security headers), and passing
    every other request to `app`."""

    def __init__(
        self, app: ASGIApp, assets: dict[str, Asset], headers: Iterable[tuple[bytes, bytes]] = ()
    ) -> None:
        self.app = app
        self.assets = assets
        self.extra = list(headers)
        self.prepared: dict[tuple[str, str, bool], list[tuple[bytes, bytes]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        asset = self.assets.get(scope["path"][len(PREFIX) :])
        if scope["method"] not in ("GET", "HEAD"):
            await self._plain(send, 405, b"method not allowed", [(b"allow", b"GET, HEAD")])
            return
        if asset is None:
            await self._plain(send, 404, b"not found")
            return
        accept, if_none_match = b"", b""
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept = value
            elif name == b"if-none-match":
                if_none_match = value
        query = scope["query_string"]
        versioned = bool(query) and parse_qs(query.decode("latin-1")).get("v") == [asset.version]
        name = scope["path"]
        if if_none_match and asset.etag in if_none_match:
            headers = self._headers(name, asset, "", versioned)
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        encoding = preferred_encoding(accept)
        if encoding not in asset.bodies:
            encoding = "gzip" if "gzip" in asset.bodies and encoding == "br" else "identity"
        headers = self._headers(name, asset, encoding, versioned)
        body = b"" if scope["method"] == "HEAD" else asset.bodies[encoding]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _headers(
        self, name: str, asset: Asset, encoding: str, versioned: bool
    ) -> list[tuple[bytes, bytes]]:
        """The answer's headers, built once per file, encoding ("" for a 304) and caching."""
        key = (name, encoding, versioned)
        found = self.prepared.get(key)
        if found is None:
            found = [
                (b"etag", asset.etag),
                (b"cache-control", VERSIONED if versioned else UNVERSIONED),
                (b"vary", b"Accept-Encoding"),
                *self.extra,
            ]
            if encoding:
                body = asset.bodies[encoding]
                found += [
                    (b"content-type", asset.content_type),
                    (b"content-length", b"%d" % len(body)),
                ]
            if encoding not in ("", "identity"):
                found.append((b"content-encoding", encoding.encode()))
            self.prepared[key] = found
        return found

    async def _plain(
        self, send: Send, status: int, text: bytes, extra: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", b"%d" % len(text)),
            *self.extra,
            *(extra or []),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": text})
