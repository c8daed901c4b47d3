"""The site: Starlette app factory with the home page and article pages, served from the store."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from actuel import __version__
from actuel.config import Settings
from actuel.errors import NotFoundError
from actuel.store import Store
from actuel.web.render import render

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
    """The web application over `store` (opened read-only from settings when not given)."""
    state: dict[str, Store] = {}

    def get_store() -> Store:
        if "store" not in state:
            state["store"] = store or Store.open(settings.db, settings, readonly=True)
        return state["store"]

    def page(template: str, status: int = 200, **context: object) -> HTMLResponse:
        html = render(
            template, settings=settings, lang=settings.site_lang, version=__version__, **context
        )
        return HTMLResponse(html, status_code=status)

    def home(request: Request) -> Response:
        before = None
        cursor = request.query_params.get("before")
        if cursor:
            try:
                stamp, _, ident = cursor.partition("_")
                before = (datetime.fromisoformat(stamp), int(ident))
            except ValueError:
                raise HTTPException(400, "bad cursor") from None
        lang = request.query_params.get("lang") or None
        articles = get_store().latest_articles(limit=30, before=before, lang=lang)
        sources = {s.id: s for s in get_store().list_sources()}
        next_cursor = None
        if len(articles) == 30:
            last = articles[-1]
            last_time = last.published_at or last.first_seen_at
            if last_time is not None:
                next_cursor = f"{last_time.isoformat()}_{last.id}"
        return page(
            "home.html",
            articles=articles,
            sources=sources,
            next_cursor=next_cursor,
            filter_lang=lang,
        )

    def article(request: Request) -> Response:
        try:
            item = get_store().get_article(int(request.path_params["article_id"]))
        except NotFoundError:
            raise HTTPException(404, "article not found") from None
        source = next((s for s in get_store().list_sources() if s.id == item.source_id), None)
        return page("article.html", article=item, source=source)

    def health(_request: Request) -> Response:
        return JSONResponse({"ok": True, "articles": get_store().count_articles()})

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "server error"
        return page("error.html", status=status, status_code=status, detail=detail)

    static = StaticFiles(directory=str(files("actuel.web") / "static"))
    return Starlette(
        routes=[
            Route("/", home),
            Route("/articles/{article_id:int}", article),
            Route("/healthz", health),
            Mount("/static", static, name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: not_found},
    )
