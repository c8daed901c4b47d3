"""The site: Starlette app factory composing the route modules, the API and the middleware."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from actuel.api.routes import create_api
from actuel.config import Settings
from actuel.store import Store
from actuel.web import admin, comments, feeds, images, public, search
from actuel.web.assets import StaticAssets, bundled
from actuel.web.cache import PageCache
from actuel.web.security import CSRFMiddleware
from actuel.web.site import Site

log = logging.getLogger("actuel.web")

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: http:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """A CSP and the usual hardening headers on every response (a plain ASGI middleware: the
    BaseHTTPMiddleware version cost a task and a stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


ErrorPage = Callable[[Request, Exception], Awaitable[Response]]


class ServerErrors:
    """An unexpected error becomes the site's error page inside the security headers, logged
    with its traceback, the connection kept: Starlette's own handler sits outside every
    middleware and raises the error again to the server, which drops the connection. (The API
    answers its own errors, in its own shape.)"""

    def __init__(self, app: ASGIApp, page: ErrorPage) -> None:
        self.app = app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.exception("server error", extra={"path": scope.get("path")})
            if started:  # half a response is out: nothing better than closing it
                raise
            response = await self.page(Request(scope, receive), exc)
            await response(scope, receive, send)


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    """The web application over `store` (opened from settings when not given)."""
    site = Site(settings, store)

    def health(_request: Request) -> Response:
        return JSONResponse({"ok": True, "articles": site.store().articles.count()})

    async def error_page(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "server error"
        return site.page(request, "error.html", status=status, status_code=status, detail=detail)

    routes: list[BaseRoute] = [
        *public.routes(site),
        *search.routes(site),
        *feeds.routes(site),
        *comments.routes(site),
        *images.routes(site),
        *admin.routes(site),
        Mount("/api/v1", create_api(site.store, settings, get_writer=site.writer)),
        Route("/healthz", health),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(StaticAssets, assets=bundled(), headers=SECURITY_HEADERS),
            Middleware(comments.FormClock, site=site),  # stamps cached article pages too
            Middleware(PageCache, site=site),  # a cached page skips everything below
            Middleware(SecurityHeaders),
            Middleware(ServerErrors, page=error_page),
            Middleware(CSRFMiddleware, settings=settings),
        ],
        exception_handlers={HTTPException: error_page},
    )
