"""A real HTTP server on 127.0.0.1 for tests: a route table of handlers and a log of every hit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    """What a handler sees of an incoming request."""

    method: str
    path: str  # with query string
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Reply:
    """What a handler answers; `body` may be an iterable of chunks to stream slowly or forever."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""
    chunk_delay: float = 0.0


Handler = Callable[[Request], Reply]


class Loopback:
    """A threaded HTTP/1.0 server (bodies end at close) with routes added by tests."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def _serve(self) -> None:
                req = Request(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}
                )
                with server._lock:
                    server.hits.append(req)
                handler = server.routes.get(self.path) or server.routes.get(
                    self.path.split("?", 1)[0]
                )
                reply = handler(req) if handler else Reply(404, body=b"not found")
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if isinstance(reply.body, bytes) and "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if self.command == "HEAD":
                        return
                    chunks = [reply.body] if isinstance(reply.body, bytes) else reply.body
                    for chunk in chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        if reply.chunk_delay:
                            time.sleep(reply.chunk_delay)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _serve  # noqa: N815
            do_HEAD = _serve  # noqa: N815
            do_POST = _serve  # noqa: N815

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, handler: Handler | Reply | bytes) -> None:
        """Serve `path` with a handler, a fixed reply, or fixed bytes."""
        if isinstance(handler, bytes):
            fixed = Reply(body=handler)
            self.routes[path] = lambda _req: fixed
        elif isinstance(handler, Reply):
            fixed_reply = handler
            self.routes[path] = lambda _req: fixed_reply
        else:
            self.routes[path] = handler

    def hits_to(self, path: str) -> list[Request]:
        with self._lock:
            return [h for h in self.hits if h.path.split("?", 1)[0] == path]

    def start(self) -> Loopback:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
