"""HTTPS through the guard: we connect to the vetted address, yet TLS checks the host name."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from actuel.config import Settings
from actuel.errors import ConfigError, ConnectError
from actuel.fetch import Fetcher

if TYPE_CHECKING:
    import trustme
else:
    trustme = pytest.importorskip("trustme", reason="trustme makes the test certificates")


class _TLSServer:
    """A one-route HTTPS server on 127.0.0.1 with a certificate for news.example."""

    def __init__(self, ca: trustme.CA):
        self.server_names: list[str | None] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("news.example").configure_cert(context)
        context.sni_callback = lambda _sock, name, _ctx: self.server_names.append(name)

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "6")
                self.end_headers()
                self.wfile.write(b"<rss/>")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[_TLSServer]:
    server = _TLSServer(ca)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def named(fetch_settings: Settings) -> Settings:
    return fetch_settings.replace(fetch_allow_private=False, fetch_allow_hosts="news.example")


def _resolve(host: str) -> list[str]:
    return {"news.example": ["127.0.0.1"]}[host]


def test_https_uses_the_host_name_for_sni_and_certificate(
    tls_server: _TLSServer, ca: trustme.CA, named: Settings, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with Fetcher(named.replace(fetch_ca_file=str(ca_file)), resolver=_resolve) as fetcher:
        result = fetcher.get(f"https://news.example:{tls_server.port}/feed")
    assert result.content == b"<rss/>"
    assert tls_server.server_names == ["news.example"]


def test_untrusted_certificate_refused(tls_server: _TLSServer, named: Settings) -> None:
    with Fetcher(named, resolver=_resolve) as fetcher, pytest.raises(ConnectError, match="CERT"):
        fetcher.get(f"https://news.example:{tls_server.port}/feed", source="source 15 (tls)")


def test_unreadable_ca_file_is_a_config_error(named: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ConfigError, match="ACTUEL_FETCH_CA_FILE"):
        Fetcher(named.replace(fetch_ca_file=str(bad)))
