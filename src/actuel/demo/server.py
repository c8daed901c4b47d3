"""Play the demo world: each outlet on its own loopback address and port, behaving like the web.

This is our fake web for the demo, tests and benchmarks, not a product HTTP server, so the standard
library's ThreadingHTTPServer is enough.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gzip
import hashlib
import json
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from actuel.demo.build import OutletSite, Resource, load_world, render_world
from actuel.demo.corpus import CORPUS_DIR, Outlet
from actuel.demo.placeholder import is_image_path
from actuel.errors import DemoCorpusError
from actuel.model import SourceKind

_TRACKING = ("utm_", "fbclid", "gclid", "mc_")
_KINDS = {"newssitemap": SourceKind.SITEMAP, "homepage": SourceKind.PAGE}


@dataclass(frozen=True)
class DemoOutlet:
    """An outlet as an operator would register it."""

    id: str
    name: str
    lang: str
    category: str
    source_url: str  # the feed, sitemap or home page to register
    base_url: str
    kind: SourceKind
    exposure: str


@dataclass(frozen=True)
class Hit:
    """One request the world answered."""

    outlet: str
    method: str
    path: str
    status: int
    host: str = ""  # the outlet's host and port, as its URLs name it


def clean_target(target: str) -> tuple[str, str]:
    """Path and query of a request target, tracking parameters removed."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = [(k, v) for k, v in query if not k.lower().startswith(_TRACKING)]
    return parts.path or "/", urlencode(kept)


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (timeouts, caps) are normal here: no traceback for those."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _OutletServer:
    """One outlet's HTTP server and the state that makes it slow or flaky."""

    def __init__(self, world: DemoWorld, outlet: Outlet, address: str, port: int = 0) -> None:
        self.world = world
        self.outlet = outlet
        self.site: OutletSite | None = None
        self.feed_requests = 0
        self.gzipped: dict[int, bytes] = {}  # by id() of the resource: bodies never change
        self.etags: dict[int, str] = {}
        self.httpd = _QuietServer((address, port), _make_handler(self))
        self.base_url = f"http://{address}:{self.httpd.server_port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits up to one interval per outlet
            name=f"demo-{outlet.id}",
            daemon=True,
        )

    def lookup(self, target: str) -> Resource | None:
        """What a request target shows: exact path and query, then the path alone, then images."""
        assert self.site is not None
        path, query = clean_target(target)
        key = f"{path}?{query}" if query else path
        found = self.site.resources.get(key)
        if found is None and query and path != "/":
            found = self.site.resources.get(path)
        if found is None and is_image_path(path):
            found = self.site.image
        return found

    def feed_only(self, target: str) -> str | None:
        """The headline-only item a request target links to (its page answers 404), or None."""
        assert self.site is not None
        path, query = clean_target(target)
        return self.site.feed_only.get(f"{path}?{query}" if query else path)

    def should_fail(self, resource: Resource) -> bool:
        """The flaky outlet answers 503 to every Nth request for its feed, deterministically."""
        if not self.world.flaky or not self.outlet.flaky_every or resource.kind != "feed":
            return False
        with self.world._lock:
            self.feed_requests += 1
            return self.feed_requests % self.outlet.flaky_every == 0

    def gzip_body(self, resource: Resource) -> bytes:
        packed = self.gzipped.get(id(resource))
        if packed is None:
            packed = gzip.compress(resource.body, compresslevel=6, mtime=0)
            self.gzipped[id(resource)] = packed
        return packed

    def etag(self, resource: Resource) -> str:
        tag = self.etags.get(id(resource))
        if tag is None:
            tag = '"' + hashlib.sha256(resource.body).hexdigest()[:20] + '"'
            self.etags[id(resource)] = tag
        return tag


def _not_modified(headers: Any, etag: str, last_modified: datetime) -> bool:
    match = headers.get("If-None-Match")
    if match:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    if since:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _make_handler(server: _OutletServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes

        def version_string(self) -> str:
            return "nginx"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            # recorded before the reply leaves, so a client that got it sees it counted
            host = server.base_url.split("://", 1)[1]
            server.world._record(server.outlet.id, self.command, self.path, status, host)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and status != 304:
                self.wfile.write(body)

        def _serve(self) -> None:
            if server.outlet.slow_s:
                time.sleep(server.outlet.slow_s)
            assert server.site is not None
            resource = server.lookup(self.path)
            if resource is None:
                page = server.site.not_found
                self._send(404, {"Content-Type": "text/html; charset=UTF-8"}, page)
                return
            if server.should_fail(resource):
                body = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
                headers = {"Content-Type": "text/html", "Retry-After": "1"}
                self._send(503, headers, body)
                return
            if resource.status in (301, 302) and resource.location:
                self._send(resource.status, {"Location": resource.location}, b"")
                return
            etag = server.etag(resource)
            headers = {
                "Content-Type": resource.content_type,
                "ETag": etag,
                "Last-Modified": _http_date(resource.last_modified),
                "Cache-Control": "public, max-age=60",
                "Vary": "Accept-Encoding",
            }
            if _not_modified(self.headers, etag, resource.last_modified):
                self._send(304, {k: v for k, v in headers.items() if k != "Content-Type"}, b"")
                return
            body = resource.body
            accepts = (self.headers.get("Accept-Encoding") or "").lower()
            if "gzip" in accepts and not resource.content_type.startswith("image/"):
                body = server.gzip_body(resource)
                headers["Content-Encoding"] = "gzip"
            self._send(200, headers, body)

        def do_GET(self) -> None:
            self._serve()

        def do_HEAD(self) -> None:
            self._serve()

    return Handler


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


class DemoWorld:
    """The fictional outlets served on loopback: `with DemoWorld() as world: ...`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        synthetic_articles: int = 0,
        seed: int = 0,
        flaky: bool = True,
        port: int = 0,
        on_hit: Callable[[Hit], None] | None = None,
    ):
        self.host = host
        # A fixed port keeps the outlets' URLs stable between runs (`actuel demo` resumes);
        # 0 picks free ports (tests, benchmarks).
        self.port = port
        self.flaky = flaky  # False: the flaky outlet never answers 503 (steady benchmarks)
        self.on_hit = on_hit  # told of every request answered (`actuel demo --outlets-only`)
        self.world = load_world(CORPUS_DIR, synthetic_articles=synthetic_articles, seed=seed)
        self.manifest: dict[str, Any] = self.world.manifest()
        self.outlets: list[DemoOutlet] = []
        self.hits: Counter[str] = Counter()
        self.log: deque[Hit] = deque(maxlen=100_000)  # the latest requests, for tests
        self._lock = threading.Lock()
        self._servers: dict[str, _OutletServer] = {}
        self._paths = {a.id: (a.outlet.id, a.path) for a in self.world.articles}

    def _address(self, n: int) -> str:
        # all of 127/8 is loopback on Linux: one address per outlet, like separate hosts
        if self.host == "127.0.0.1" and n < 255:
            return f"127.0.1.{n}"
        return self.host

    def _bind(self) -> None:
        for n, outlet in enumerate(self.world.outlets, 1):
            address = self._address(n)
            try:
                server = _OutletServer(self, outlet, address, self.port)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:  # never drift: stable URLs are the point
                    raise DemoCorpusError(
                        f"the demo outlets cannot listen on {address}:{self.port} ({exc})",
                        fix="another `actuel demo` is probably running: stop it and try again",
                    ) from exc
                # systems where only 127.0.0.1 is loopback: one port per outlet
                server = _OutletServer(self, outlet, self.host, self.port + n if self.port else 0)
            self._servers[outlet.id] = server

    def start(self) -> DemoWorld:
        """Bind every outlet, render the pages with the real URLs, serve in background threads."""
        if self._servers:
            return self
        try:
            self._bind()
            sites = render_world(self.world, {oid: s.base_url for oid, s in self._servers.items()})
        except BaseException:
            self.stop()
            raise
        for oid, server in self._servers.items():
            server.site = sites[oid]
            server.thread.start()
            outlet = server.outlet
            self.outlets.append(
                DemoOutlet(
                    id=outlet.id,
                    name=outlet.name,
                    lang=outlet.lang,
                    category=outlet.category,
                    source_url=server.base_url + outlet.source_path,
                    base_url=server.base_url,
                    kind=_KINDS.get(outlet.exposure, SourceKind.FEED),
                    exposure=outlet.exposure,
                )
            )
        return self

    def stop(self) -> None:
        """Stop every outlet's server and close its socket."""
        for server in self._servers.values():
            if server.thread.is_alive():
                server.httpd.shutdown()
                server.thread.join(timeout=5)
            server.httpd.server_close()
        self._servers.clear()
        self.outlets.clear()

    def __enter__(self) -> DemoWorld:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _record(self, outlet_id: str, method: str, path: str, status: int, host: str = "") -> None:
        hit = Hit(outlet_id, method, path, status, host)
        with self._lock:
            self.hits[outlet_id] += 1
            self.log.append(hit)
            if self.on_hit is not None:  # under the lock: one line at a time
                self.on_hit(hit)

    def outlet(self, outlet_id: str) -> DemoOutlet:
        return next(o for o in self.outlets if o.id == outlet_id)

    def url_of(self, article_id: str) -> str:
        """The served URL of a manifest article (KeyError for an unknown id)."""
        if not self._servers:
            raise RuntimeError("the demo world is not started: call start() or use `with`")
        outlet_id, path = self._paths[article_id]
        return self._servers[outlet_id].base_url + path

    def article_for_url(self, url: str) -> str | None:
        """The manifest article id a served URL shows (tracking parameters ignored), or None."""
        parts = urlsplit(url.strip())
        netloc = (parts.netloc or "").lower()
        for server in self._servers.values():
            if server.base_url.split("://", 1)[1] == netloc:
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                resource = server.lookup(target or "/")
                if resource is not None:
                    return resource.article_id
                return server.feed_only(target or "/")
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m actuel.demo.server`: serve the world and print what to register, until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m actuel.demo.server", description=main.__doc__)
    parser.add_argument("--synthetic", type=int, default=0, help="extra generated articles")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated articles")
    parser.add_argument("--steady", action="store_true", help="never answer 503 (benchmarks)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON line: outlets and article URLs"
    )
    args = parser.parse_args(argv)
    world_args = {"synthetic_articles": args.synthetic, "seed": args.seed, "flaky": not args.steady}
    with DemoWorld(**world_args) as world:
        if args.json:
            description = {
                "outlets": [
                    {
                        "id": o.id,
                        "name": o.name,
                        "lang": o.lang,
                        "kind": str(o.kind),
                        "source_url": o.source_url,
                    }
                    for o in world.outlets
                ],
                "pages": [
                    world.url_of(a["id"])
                    for a in world.manifest["articles"]
                    if not a["headline_only"]
                ],
            }
            print(json.dumps(description), flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
            return 0
        for outlet in world.outlets:
            print(f"{outlet.id:20} {outlet.kind:8} {outlet.source_url}")
        print(f"{len(world.manifest['articles'])} articles; Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
