"""Page cache and conditional GET: a plain ASGI middleware in front of the site's routing.

Every GET answered 200 gets a strong ETag (a hash of the body) and a Last-Modified (when this
process first saw the database in its current state); If-None-Match / If-Modified-Since then
get a 304. Anonymous pages are kept in memory already compressed (gzip and brotli) and served
as stored bytes until what pages show changes: `Store.site_generation()`, checked at most every
`site_cache_check_s`, moves with each write that changes pages, by any process (`actuel fetch`
from cron included), never with a fetch log row or a comment held for moderation; a successful
POST through this process forces the next check.

What is never cached (the rule the other parts of the site rely on):
- anything but GET/HEAD, and /admin, /healthz, /static (web/assets.py keeps those itself);
- a request with an Authorization header or any cookie other than the language cookie
  (a logged-in admin, a commenter's session: the page may be personal);
- a response that sets a cookie, sends `Cache-Control: private` or `no-store`, or is not a 200.
A page that embeds something tied to one reader must send `Cache-Control: private`. A token
tied only to the time it was issued (the comment form's) may be cached: an entry lives at most
`site_cache_max_age_s`, far below the form's lifetime, so it stays valid; the "too fast" rule
counts from a cookie set outside the cache on every answer (web/comments.py `FormClock`).
With `site_gzip_uncached`, a page not kept (the cache off, a reader with a session) is still
gzipped, at gzip's fastest level, for a client that accepts it (off by default: on loopback the
compression cost more pages per second than the smaller writes saved; bench/site.py measures it).
Entries are keyed by path, query string, the reader's language and whether the request has an
Origin header (the API's CORS headers answer only those); each holds every encoding.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache

import brotli
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actuel.errors import StoreError
from actuel.web.encodings import preferred_encoding
from actuel.web.i18n import LANG_COOKIE, negotiate
from actuel.web.identity import site_languages
from actuel.web.site import Site

EXCLUDED_PREFIXES = ("/admin", "/healthz", "/static")  # /static: stored bytes already (assets.py)
CACHED_TYPES = (b"text/html", b"application/", b"text/plain", b"text/xml")
MAX_BODY = 4 * 1024 * 1024  # larger responses stream through untouched
ENTRY_OVERHEAD = 512  # bytes counted per entry for its key and headers
VARY = b"Accept-Encoding, Accept-Language, Cookie, Origin"
GZIP_LEVEL = 6
UNCACHED_GZIP_LEVEL = 1  # a third of the bytes for 40 µs; level 6 saves 8% more for 60% more time
MIN_COMPRESSED = 1024  # below, the header costs more than gzip saves
BROTLI_QUALITY = 5  # most of brotli's gain at a small fraction of quality 11's time
HIT = (b"x-cache", b"HIT")  # served from the cache
MISS = (b"x-cache", b"MISS")  # rendered for this request
HOP_HEADERS = {b"content-length", b"content-encoding", b"etag", b"last-modified", b"vary"}


@dataclass
class Entry:
    """One cached page: its headers, its body in each encoding, its validators."""

    status: int
    headers: list[tuple[bytes, bytes]]
    bodies: dict[str, bytes]  # "identity", "gzip", "br"
    etag: str  # hex digest, without quotes
    last_modified: bytes
    stored_at: float
    prepared: dict[tuple[str, bytes], list[tuple[bytes, bytes]]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.bodies.values()) + ENTRY_OVERHEAD


@lru_cache(maxsize=1024)
def cookie_names(header: bytes) -> tuple[str, str | None]:
    """(the names other than the language cookie, joined; the language cookie's value)."""
    others = []
    lang = None
    for part in header.decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE:
            lang = value.strip().strip('"')
        elif name:
            others.append(name)
    return ",".join(others), lang


@lru_cache(maxsize=256)
def reader_lang(
    cookie_lang: str | None, accept_language: str | None, default: str, offered: tuple[str, ...]
) -> str:
    """The language the site renders for this reader: the key must match `Site.lang`."""
    return negotiate(cookie_lang, accept_language, default, offered)


def etag_matches(header: bytes, etag: str) -> bool:
    """If-None-Match (weak comparison): any listed tag of this body, in any encoding."""
    for tag in header.decode("latin-1").split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"')
        if tag.split("-", 1)[0] == etag:
            return True
    return False


def not_modified_since(header: bytes, last_modified_s: int) -> bool:
    try:
        since = parsedate_to_datetime(header.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return False
    return since.timestamp() >= last_modified_s


class PageCache:
    """ASGI middleware: conditional GET on every page, and the in-memory page cache."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site
        settings = site.settings
        self.enabled = bool(settings.site_cache)
        self.max_bytes = max(0, int(settings.site_cache_mb)) * 1024 * 1024
        self.check_s = max(0.0, float(settings.site_cache_check_s))
        self.max_age_s = max(0.0, float(settings.site_cache_max_age_s))
        self.site_lang = str(settings.site_lang)
        self.languages = tuple(site_languages(settings))
        self.gzip_uncached = bool(settings.site_gzip_uncached)
        self.entries: OrderedDict[tuple[str, bytes, str], Entry] = OrderedDict()
        self.bytes = 0
        self.generation: str | None = None
        self.changes = 0  # how many times the generation moved: entries of an older one are stale
        self.since_s = 0  # Last-Modified of every page in this generation (set at first check)
        self.last_modified = formatdate(self.since_s, usegmt=True).encode()
        self.next_check = 0.0
        self.hits = 0
        self.misses = 0

    # the generation

    def refresh(self, now: float) -> None:
        """Ask the store whether what pages show changed, at most every check_s."""
        if now < self.next_check:
            return
        self.next_check = now + self.check_s
        try:
            generation = self.site.store().site_generation()
        except StoreError:
            generation = None
        if generation is None or generation != self.generation:
            self.generation = generation
            self.changes += 1
            self.clear()
            self.since_s = max(int(time.time()), self.since_s + 1)
            self.last_modified = formatdate(self.since_s, usegmt=True).encode()

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0

    def _store(self, key: tuple[str, bytes, str], entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        self.entries[key] = entry
        self.bytes += entry.size
        while self.bytes > self.max_bytes and self.entries:
            _key, evicted = self.entries.popitem(last=False)
            self.bytes -= evicted.size

    # the request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method != "GET" and method != "HEAD":
            await self._write_through(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(EXCLUDED_PREFIXES):
            await self.app(scope, receive, send)
            return
        encoding_header = b""
        accept_language = None
        cookie_lang = None
        if_none_match = None
        if_modified_since = None
        cross_origin = b""
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                encoding_header = value
            elif name == b"accept-language":
                accept_language = value.decode("latin-1")
            elif name == b"cookie":
                others, cookie_lang = cookie_names(value)
                if others:
                    await self.app(scope, receive, send)
                    return
            elif name == b"authorization":
                await self.app(scope, receive, send)
                return
            elif name == b"if-none-match":
                if_none_match = value
            elif name == b"if-modified-since":
                if_modified_since = value
            elif name == b"origin":
                cross_origin = b"o"
        now = time.monotonic()
        self.refresh(now)
        lang = reader_lang(cookie_lang, accept_language, self.site_lang, self.languages)
        # The API answers a request with an Origin with CORS headers, one without none.
        key = (path, scope["query_string"], lang + cross_origin.decode())
        entry = self.entries.get(key) if self.enabled else None
        if entry is not None and now - entry.stored_at <= self.max_age_s:
            self.hits += 1
            await self._send_entry(
                send, entry, method, encoding_header, if_none_match, if_modified_since, HIT
            )
            return
        if method == "HEAD":
            await self.app(scope, receive, send)
            return
        self.misses += 1
        changes = self.changes
        captured = await self._capture(scope, receive, send)
        if captured is None:
            return  # streamed through
        start, body = captured
        status = start["status"]
        headers: list[tuple[bytes, bytes]] = list(start.get("headers", []))
        if status != 200 or any(n in (b"etag", b"content-encoding") for n, _ in headers):
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        entry = self._entry(status, headers, body, now)
        if (
            self.enabled
            and self.generation is not None
            and changes == self.changes
            and self._cacheable(headers)
        ):
            self._compress(entry)
            self._store(key, entry)
        elif (
            self.gzip_uncached
            and len(body) >= MIN_COMPRESSED
            and preferred_encoding(encoding_header) != "identity"
            and _compressible(headers)
        ):
            # a page rendered for one reader: gzip at its fastest level (40 µs for a 10 kB page)
            entry.bodies["gzip"] = gzip.compress(body, UNCACHED_GZIP_LEVEL, mtime=0)
        await self._send_entry(
            send, entry, method, encoding_header, if_none_match, if_modified_since, MISS
        )

    async def _write_through(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A POST (comment, admin action): once it succeeded, check the generation at once."""

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.next_check = 0.0
            await send(message)

        await self.app(scope, receive, watch)

    async def _capture(
        self, scope: Scope, receive: Receive, send: Send
    ) -> tuple[Message, bytes] | None:
        """Run the app and keep its response; one over MAX_BODY streams through (None)."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        streaming = False

        async def keep(message: Message) -> None:
            nonlocal start, size, streaming
            kind = message["type"]
            if streaming:
                await send(message)
            elif kind == "http.response.start":
                start = message
            elif kind == "http.response.body":
                chunk = message.get("body", b"")
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY and message.get("more_body", False) and start is not None:
                    streaming = True
                    await send(start)
                    await send({"type": kind, "body": b"".join(chunks), "more_body": True})
            else:
                await send(message)

        await self.app(scope, receive, keep)
        if streaming or start is None:
            return None
        return start, b"".join(chunks)

    def _entry(
        self, status: int, headers: list[tuple[bytes, bytes]], body: bytes, now: float
    ) -> Entry:
        kept = [(n, v) for n, v in headers if n not in HOP_HEADERS]
        if not any(n == b"cache-control" for n, _ in kept):
            kept.append((b"cache-control", b"no-cache"))  # browsers revalidate: a cheap 304
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        return Entry(status, kept, {"identity": body}, digest, self.last_modified, now)

    @staticmethod
    def _cacheable(headers: list[tuple[bytes, bytes]]) -> bool:
        for name, value in headers:
            if name == b"set-cookie":
                return False
            if name == b"cache-control" and (b"private" in value or b"no-store" in value):
                return False
            if name == b"content-type" and not value.startswith(CACHED_TYPES):
                return False
        return True

    @staticmethod
    def _compress(entry: Entry) -> None:
        body = entry.bodies["identity"]
        entry.bodies["gzip"] = gzip.compress(body, GZIP_LEVEL, mtime=0)
        entry.bodies["br"] = brotli.compress(body, quality=BROTLI_QUALITY)

    async def _send_entry(
        self,
        send: Send,
        entry: Entry,
        method: str,
        encoding_header: bytes,
        if_none_match: bytes | None,
        if_modified_since: bytes | None,
        outcome: tuple[bytes, bytes],
    ) -> None:
        encoding = preferred_encoding(encoding_header) if len(entry.bodies) > 1 else "identity"
        if encoding not in entry.bodies:
            encoding = "gzip" if "gzip" in entry.bodies and encoding == "br" else "identity"
        tag = entry.etag if encoding == "identity" else f"{entry.etag}-{encoding}"
        validators = [
            (b"etag", f'"{tag}"'.encode()),
            (b"last-modified", entry.last_modified),
            (b"vary", VARY),
            outcome,
        ]
        if if_none_match is None and if_modified_since is None:
            fresh = False
        elif if_none_match is not None:
            fresh = etag_matches(if_none_match, entry.etag)
        else:
            since = if_modified_since or b""
            fresh = not_modified_since(since, _seconds(entry.last_modified))
        if fresh:
            kept = [(n, v) for n, v in entry.headers if n == b"cache-control"]
            await send({"type": "http.response.start", "status": 304, "headers": validators + kept})
            await send({"type": "http.response.body", "body": b""})
            return
        body = entry.bodies[encoding]
        headers = entry.prepared.get((encoding, outcome[1]))
        if headers is None:  # the same few header lists serve every hit
            headers = [*entry.headers, *validators]
            headers.append((b"content-length", str(len(body)).encode()))
            if encoding != "identity":
                headers.append((b"content-encoding", encoding.encode()))
            entry.prepared[(encoding, outcome[1])] = headers
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


def _compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(n == b"content-type" and v.startswith(CACHED_TYPES) for n, v in headers)


@lru_cache(maxsize=64)
def _seconds(http_date: bytes) -> int:
    return int(parsedate_to_datetime(http_date.decode()).timestamp())
