"""The site: Starlette app factory composing the route modules, the API and the middleware."""

from __future__ import annotations

from importlib.resources import files

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from actuel.api.routes import create_api
from actuel.config import Settings
from actuel.store import Store
from actuel.web import admin, comments, feeds, public, search
from actuel.web.site import Site

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https: http:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    """A CSP and the usual hardening headers on every response."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    """The web application over `store` (opened from settings when not given)."""
    site = Site(settings, store)

    def health(_request: Request) -> Response:
        return JSONResponse({"ok": True, "articles": site.store().count_articles()})

    async def error_page(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "server error"
        return site.page(request, "error.html", status=status, status_code=status, detail=detail)

    static = StaticFiles(directory=str(files("actuel.web") / "static"))
    routes: list[BaseRoute] = [
        *public.routes(site),
        *search.routes(site),
        *feeds.routes(site),
        *comments.routes(site),
        *admin.routes(site),
        Mount("/api/v1", create_api(site.store, settings)),
        Route("/healthz", health),
        Mount("/static", static, name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: error_page},
    )
