"""The site: Starlette app factory for the home, story and article pages, and the mounted API."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from actuel import __version__
from actuel.api.cursor import BadCursorError, decode_cursor, encode_cursor
from actuel.api.routes import create_api
from actuel.config import Settings
from actuel.errors import NotFoundError
from actuel.store import Store
from actuel.web.render import render
from actuel.web.views import article_page, story_page

MAX_PAGE_SIZE = 200

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
    page_size = max(1, min(MAX_PAGE_SIZE, int(settings.site_page_size)))

    def get_store() -> Store:
        if "store" not in state:
            state["store"] = store or Store.open(settings.db, settings, readonly=True)
        return state["store"]

    def page(template: str, status: int = 200, **context: object) -> HTMLResponse:
        html = render(
            template, settings=settings, lang=settings.site_lang, version=__version__, **context
        )
        return HTMLResponse(html, status_code=status)

    def before_param(request: Request, name: str = "before") -> tuple[datetime, int] | None:
        try:
            return decode_cursor(request.query_params.get(name))
        except BadCursorError:
            raise HTTPException(400, "Ce lien de pagination n'est pas valide.") from None

    def home(request: Request) -> Response:
        before = before_param(request)
        lang = request.query_params.get("lang") or None
        store = get_store()
        article_before = before_param(request, "articles_before")
        stories = []
        if article_before is None:
            stories = store.latest_stories(limit=page_size + 1, before=before, lang=lang)
        if stories or (before is not None and article_before is None):
            more = len(stories) > page_size
            stories = stories[:page_size]
            last = stories[-1] if stories else None
            return page(
                "home.html",
                stories=stories,
                articles=[],
                sources={},
                next_cursor=encode_cursor(last.updated_at, last.id) if more and last else None,
                filter_lang=lang,
            )
        # No story yet (the stories step is off or has not run): list the articles themselves.
        articles = store.latest_articles(limit=page_size + 1, before=article_before, lang=lang)
        more = len(articles) > page_size
        articles = articles[:page_size]
        last_article = articles[-1] if articles else None
        return page(
            "home.html",
            stories=[],
            articles=articles,
            sources={s.id: s for s in store.list_sources()},
            next_cursor=None,
            next_articles=encode_cursor(
                last_article.published_at or last_article.first_seen_at, last_article.id
            )
            if more and last_article
            else None,
            filter_lang=lang,
        )

    def story(request: Request) -> Response:
        key = request.path_params["key"]
        store = get_store()
        try:
            view = store.get_story(key)
        except NotFoundError:
            raise HTTPException(404, "Cette histoire n'existe pas ou plus.") from None
        if view.key != key:
            return RedirectResponse(f"/stories/{quote(view.key)}", status_code=301)
        return page("story.html", page=story_page(store, view, settings.site_lang))

    def article(request: Request) -> Response:
        try:
            data = article_page(get_store(), request.path_params["article_id"])
        except NotFoundError:
            raise HTTPException(404, "Cet article n'existe pas.") from None
        return page(
            "article.html",
            article=data.article,
            source=data.source,
            credit=data.credit,
            sources=data.sources,
        )

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
            Route("/stories/{key}", story),
            Route("/articles/{article_id:int}", article),
            Mount("/api/v1", create_api(get_store, settings)),
            Route("/healthz", health),
            Mount("/static", static, name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: not_found},
    )
