"""The JSON API under /api/v1: stories with their relations and quotes, articles; JSON errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from actuel.api import comments as comment_api
from actuel.api import search as search_api
from actuel.api import write as write_api
from actuel.api.openapi import openapi_document
from actuel.api.schemas import (
    JSON,
    article_json,
    error_body,
    member_json,
    quote_json,
    story_json,
    translation_json,
)
from actuel.config import Settings
from actuel.cursor import BadCursorError, decode_cursor, encode_cursor
from actuel.errors import ActuelError, NotFoundError
from actuel.store import Store

DEFAULT_LIMIT = 30
MAX_LIMIT = 100

HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    500: "server_error",
}


class ApiError(Exception):
    """An answer other than 200, with its stable code and a message naming the fix."""

    def __init__(self, status: int, code: str, message: str, fix: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fix = fix


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        raise ApiError(
            400, "bad_limit", f"limit {raw[:20]!r} is not a whole number from 1 to {MAX_LIMIT}"
        )
    return value


def _cursor(request: Request) -> tuple[datetime, int] | None:
    try:
        return decode_cursor(request.query_params.get("before"))
    except BadCursorError as exc:
        raise ApiError(400, exc.code, exc.problem, exc.fix) from None


def create_api(
    get_store: Callable[[], Store],
    settings: Settings,
    get_writer: Callable[[], Store] | None = None,
) -> Starlette:
    """The /api/v1 application; `get_store` gives the (read-only) store on first use.

    Article texts are cut to the excerpt_chars setting, as on the site: the API does not
    republish other outlets' articles in full."""

    def stories(request: Request) -> Response:
        limit = _limit(request)
        before = _cursor(request)
        lang = request.query_params.get("lang") or None
        category = request.query_params.get("category") or None
        rows = get_store().stories.latest(
            limit=limit + 1, before=before, lang=lang, category=category
        )
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].updated_at, rows[-1].id) if more and rows else None
        return JSONResponse({"items": [story_json(v) for v in rows], "next": next_cursor})

    def story(request: Request) -> Response:
        key = request.path_params["key"]
        store = get_store()
        try:
            view = store.stories.get(key)
        except NotFoundError:
            raise ApiError(404, "story_not_found", f"no story has the key {key[:80]!r}") from None
        if view.key != key:
            return RedirectResponse(f"/api/v1/stories/{quote(view.key)}", status_code=301)
        body: JSON = story_json(view)
        body["members"] = [member_json(m) for m in store.stories.members(view.id)]
        body["quotes"] = [quote_json(q) for q in store.stories.quotes(view.id)]
        body["related"] = [story_json(v) for v in store.stories.related(view.id)]
        return JSONResponse(body)

    def article(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        store = get_store()
        try:
            item = store.articles.get(article_id)
        except NotFoundError:
            raise ApiError(
                404, "article_not_found", f"no article has the id {article_id}"
            ) from None
        names = {s.id: s.name for s in store.sources.all()}
        body = article_json(item, names.get(item.source_id), int(settings.excerpt_chars))
        body["translations"] = {
            t.lang: translation_json(t) for t in store.translations.of_articles([article_id])
        }
        body["story"] = None
        found = store.stories.of_article(article_id)
        if found is not None:
            view, member = found
            body["story"] = {
                "key": view.key,
                "title": view.title,
                "relation": member.relation,
                "derived_from": member.derived_from,
                "confidence": member.confidence,
                "original": {
                    "article_id": view.original_article_id,
                    "outlet": view.original_source,
                    "credit": view.original_credit,
                },
                "api_url": f"/api/v1/stories/{view.key}",
            }
        return JSONResponse(body)

    def index(_request: Request) -> Response:
        return JSONResponse(
            {
                "stories": "/api/v1/stories",
                "story": "/api/v1/stories/{key}",
                "article": "/api/v1/articles/{id}",
                "comments": "/api/v1/articles/{id}/comments",
                "search": "/api/v1/search?q={words}",
                "openapi": "/api/v1/openapi.json",
            }
        )

    def openapi(_request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return JSONResponse(error_body(exc.code, exc.message, exc.fix), status_code=exc.status)

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = HTTP_CODES.get(exc.status_code, "error")
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )

    async def actuel_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ActuelError)
        return JSONResponse(error_body(exc.code, exc.problem, exc.fix), status_code=500)

    async def server_error(_request: Request, _exc: Exception) -> Response:
        return JSONResponse(error_body("server_error", "the server failed; see its log"), 500)

    return Starlette(
        routes=[
            Route("/", index),
            Route("/stories", stories),
            Route("/stories/{key}", story),
            Route("/articles/{article_id:id}", article),
            *comment_api.routes(get_store),
            *search_api.routes(get_store, settings),
            *write_api.routes(get_writer or get_store, settings),
            Route("/openapi.json", openapi),
        ],
        # Public, read-only, cookie-less data: any site may read it from a browser.
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])],
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            ActuelError: actuel_error,
            Exception: server_error,
        },
    )
