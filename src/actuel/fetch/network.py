"""The socket layer under httpx: resolve, vet and connect on every hop, and clamp I/O to a deadline.

Hand-written as an httpcore network backend because the address check must run at connect time
(redirects and DNS rebinding are then covered) and httpx has no total deadline, only per-read
timeouts; both needs sit exactly at this layer.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from actuel.fetch.guard import Resolver, vet_host

# Monotonic time by which the request running in this thread must be done (None: no deadline).
_deadline: ContextVar[float | None] = ContextVar("actuel_fetch_deadline", default=None)


@contextlib.contextmanager
def deadline_at(moment: float) -> Iterator[None]:
    """Within the block, every connect, read and write of this thread ends by `moment`."""
    token = _deadline.set(moment)
    try:
        yield
    finally:
        _deadline.reset(token)


def _clamp(timeout: float | None, exc: type[Exception]) -> float | None:
    moment = _deadline.get()
    if moment is None:
        return timeout
    left = moment - time.monotonic()
    if left <= 0:
        raise exc("total deadline reached")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every wait ends at the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host, so SNI and certificate checks use the name, not the IP.
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
        )
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, refuses private addresses, then connects to a vetted address."""

    def __init__(self, resolver: Resolver, *, allow_private: bool, allow_hosts: frozenset[str]):
        self._resolver = resolver
        self._allow_private = allow_private
        self._allow_hosts = allow_hosts
        self._inner = httpcore.SyncBackend()
        # getaddrinfo cannot be interrupted; it runs here so that the caller can stop waiting.
        self._dns = ThreadPoolExecutor(max_workers=4, thread_name_prefix="actuel-dns")

    def vet(self, host: str, timeout: float | None = None) -> list[str]:
        """The addresses of `host` we may connect to; raises BlockedAddress, or OSError.

        Resolving gives up after `timeout` seconds (ConnectTimeout), whatever the resolver does.
        """

        def resolve(name: str) -> list[str]:
            future = self._dns.submit(self._resolver, name)
            try:
                return future.result(timeout)
            except FutureTimeout:
                future.cancel()
                raise httpcore.ConnectTimeout(f"resolving {name} took over {timeout:g} s") from None

        return vet_host(
            host, resolve, allow_private=self._allow_private, allow_hosts=self._allow_hosts
        )

    def close(self) -> None:
        """Let go of the resolver threads (one stuck in getaddrinfo ends on its own)."""
        self._dns.shutdown(wait=False, cancel_futures=True)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self.vet(host, _clamp(timeout, httpcore.ConnectTimeout))
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    _clamp(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return DeadlineStream(stream)
        assert last_error is not None
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used by actuel")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.lru_cache(maxsize=8)
def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Certificate checks on, against certifi's authorities plus those of `ca_file` if given.

    Shared by every Fetcher: loading certifi's bundle costs tens of milliseconds, and a context
    that is never changed after this point is safe to use from many threads.
    """
    context = httpx.create_ssl_context(trust_env=False)
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, with its connection pool built on the guarded backend."""

    def __init__(
        self, backend: GuardedBackend, *, max_connections: int, ssl_context: ssl.SSLContext
    ):
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        # httpx has no public hook for a network backend; the pool it builds is replaced by an
        # identical one that differs only by the backend.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )
