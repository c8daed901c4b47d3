"""A real HTTP server on 127.0.0.1 speaking LibreTranslate's API, standing in for the server.

LibreTranslate is an outside service that actuel does not ship, so the tests run this small
stand-in for it; the client under test (actuel.fetch.libretranslate) is the real one, over real
sockets. It answers GET /languages and POST /translate (JSON bodies), and its "translation" is a
transform that tests recognise: `translated(text, target)` = f"{target}:{text.upper()}", so
"Hallo" de→en→fr comes back as "fr:EN:HALLO".

Knobs: `api_key` (a wrong or missing key gets 403), `fail_next(status, n)` (the next n requests
answered with an error status), `answer_next(body)` (raw bytes, for broken servers), `delay`
(seconds before each answer), `die_after(n)` (the listening socket closed after n translate
requests: later connections are refused). `requests` logs every request with its parsed JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

# Each language: its code, name and the codes it translates into (LibreTranslate's /languages).
DEFAULT_LANGUAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("en", "English", ("fr", "de", "es")),
    ("fr", "French", ("en",)),
    ("de", "German", ("en",)),
    ("es", "Spanish", ("en",)),
)


def translated(text: str, target: str) -> str:
    """What the stand-in answers for `text` translated into `target`."""
    return f"{target}:{text.upper()}"


@dataclass
class Logged:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON body, None when there was none (or it was not JSON)


@dataclass
class _Canned:
    """A reply given instead of the normal one, to the next request on `path`."""

    path: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class FakeLibreTranslate:
    """Start with `with FakeLibreTranslate() as server:` (or start()/stop()); `server.url` is its
    address. HTTP/1.0: every answer closes its connection, so nothing outlives `die_after`."""

    def __init__(
        self,
        languages: Iterable[tuple[str, str, Iterable[str]]] = DEFAULT_LANGUAGES,
        *,
        api_key: str = "",
        delay: float = 0.0,
    ) -> None:
        self.languages = [(code, name, tuple(targets)) for code, name, targets in languages]
        self.api_key = api_key
        self.delay = delay
        self.requests: list[Logged] = []
        self._canned: deque[_Canned] = deque()
        self._die_after: int | None = None
        self._translations = 0
        self._lock = threading.Lock()
        self._stopped = False
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:
                self._serve(None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                self._serve(body)

            def _serve(self, body: Any) -> None:
                status, headers, payload = fake._answer(self, body)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        if name != "Content-Length":
                            self.send_header(name, value)
                    if headers.get("Content-Length") != "":
                        self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # knobs

    def fail_next(
        self,
        status: int,
        n: int = 1,
        *,
        error: str | None = None,
        retry_after: str | None = None,
        path: str = "/translate",
    ) -> None:
        """Answer the next n requests on `path` with `status` and {"error": ...}."""
        message = error or f"fake failure {status}"
        headers = {"Content-Type": "application/json"}
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        payload = json.dumps({"error": message}).encode()
        with self._lock:
            self._canned.extend(_Canned(path, status, payload, headers) for _ in range(n))

    def answer_next(
        self,
        body: bytes,
        *,
        status: int = 200,
        n: int = 1,
        path: str = "/translate",
        content_length: bool = True,
    ) -> None:
        """Answer the next n requests on `path` with these bytes, whatever they asked; without
        `content_length` the body ends when the connection closes (its size known only then)."""
        headers = {"Content-Type": "application/json"}
        if not content_length:
            headers["Content-Length"] = ""  # sent without the header
        with self._lock:
            self._canned.extend(_Canned(path, status, body, headers) for _ in range(n))

    def die_after(self, n: int) -> None:
        """Close the listening socket once n translate requests (counted from now) are answered."""
        with self._lock:
            self._die_after = self._translations + n

    @property
    def translations(self) -> list[Logged]:
        """The POST /translate requests, in order."""
        with self._lock:
            return [r for r in self.requests if r.path == "/translate"]

    # serving

    def _answer(
        self, handler: BaseHTTPRequestHandler, body: Any
    ) -> tuple[int, dict[str, str], bytes]:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests.append(
                Logged(
                    handler.command,
                    path,
                    {k.lower(): v for k, v in handler.headers.items()},
                    body,
                )
            )
            canned = next((c for c in self._canned if c.path == path), None)
            if canned is not None:
                self._canned.remove(canned)
            dies = False
            if path == "/translate" and handler.command == "POST":
                self._translations += 1
                dies = self._die_after is not None and self._translations >= self._die_after
        if self.delay:
            time.sleep(self.delay)
        if dies:
            self._close()  # before answering: the client's next connection is refused
        if canned is not None:
            return canned.status, canned.headers, canned.body
        if path == "/languages" and handler.command == "GET":
            listing = [
                {"code": code, "name": name, "targets": list(targets)}
                for code, name, targets in self.languages
            ]
            return _json(200, listing)
        if path == "/translate" and handler.command == "POST":
            return self._translate(body)
        return _json(404, {"error": "Not Found"})

    def _translate(self, body: Any) -> tuple[int, dict[str, str], bytes]:
        if not isinstance(body, dict):
            return _json(400, {"error": "Invalid request: missing q parameter"})
        if self.api_key and body.get("api_key") != self.api_key:
            return _json(403, {"error": "Invalid API key"})
        source, target, q = body.get("source"), body.get("target"), body.get("q")
        targets = {code: set(t) for code, _, t in self.languages}
        if source not in targets:
            return _json(400, {"error": f"{source} is not supported"})
        if target not in targets[source]:
            return _json(
                400, {"error": f"{target} is not available as a target language from {source}"}
            )
        if isinstance(q, str):
            return _json(200, {"translatedText": translated(q, target)})
        if not isinstance(q, list) or not all(isinstance(t, str) for t in q):
            return _json(400, {"error": "Invalid request: missing q parameter"})
        return _json(200, {"translatedText": [translated(text, target) for text in q]})

    # lifetime

    def _close(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _json(status: int, data: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


def main() -> None:
    """Serve the stand-in until killed, printing its address on the first line (bench/ingest.py
    runs it in a process of its own, as a real server would be)."""
    with FakeLibreTranslate() as server:
        print(server.url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
