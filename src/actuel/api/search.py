"""GET /api/v1/search: full-text search of the articles, filtered, offset-paged, with snippets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from actuel.api.schemas import JSON, article_json, error_body
from actuel.config import Settings
from actuel.store import SearchFilters, SearchHit, Store, snippet_parts

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1000  # relevance ranks the newest matches only: deeper pages are not offered
MAX_QUERY_CHARS = 300


class _BadParameterError(Exception):
    def __init__(self, code: str, message: str, fix: str) -> None:
        super().__init__(message)
        self.body = error_body(code, message, fix)


def _whole(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _BadParameterError(
            f"bad_{name}",
            f"{name} {raw[:20]!r} is not a whole number from {low} to {high}",
            f"pass {name} between {low} and {high}",
        )
    return int(raw)


def _day(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise _BadParameterError(
            f"bad_{name}",
            f"{name} {raw[:30]!r} is not a date",
            f"write {name} as YYYY-MM-DD, e.g. 2026-11-25",
        ) from None
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def hit_json(hit: SearchHit, outlet: str | None, excerpt_chars: int) -> JSON:
    """A result: the article as elsewhere in the API, its snippet in pieces, its story."""
    body = article_json(hit.article, outlet, excerpt_chars)
    body["snippet"] = [
        {"text": text, "match": is_match} for text, is_match in snippet_parts(hit.snippet)
    ]
    body["story"] = (
        {
            "key": hit.story_key,
            "title": hit.story_title,
            "article_count": hit.story_articles,
            "api_url": f"/api/v1/stories/{hit.story_key}",
        }
        if hit.story_key
        else None
    )
    return body


def routes(get_store: Callable[[], Store], settings: Settings) -> list[Route]:
    def search(request: Request) -> Response:
        query = (request.query_params.get("q") or "").strip()
        try:
            if not query:
                raise _BadParameterError(
                    "missing_query", "q is empty", "pass the words to look for as q"
                )
            limit = _whole(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
            offset = _whole(request, "offset", 0, 0, MAX_OFFSET)
            outlet = _whole(request, "outlet", 0, 1, 2**31 - 1) or None
            since, until = _day(request, "since"), _day(request, "until")
        except _BadParameterError as exc:
            return JSONResponse(exc.body, status_code=400)
        filters = SearchFilters(
            lang=(request.query_params.get("lang") or "").strip()[:16] or None,
            source_id=outlet,
            since=since,
            until=until + timedelta(days=1) if until else None,  # the whole last day
        )
        store = get_store()
        found = store.search.page(query[:MAX_QUERY_CHARS], filters, limit=limit, offset=offset)
        names = {s.id: s.name for s in store.sources.all()}
        excerpt_chars = int(settings.excerpt_chars)
        more = found.has_more and offset + limit <= MAX_OFFSET
        answer = JSONResponse(
            {
                "items": [
                    hit_json(hit, names.get(hit.article.source_id), excerpt_chars)
                    for hit in found.hits
                ],
                "next_offset": offset + limit if more else None,
            }
        )
        answer.headers["Cache-Control"] = "private, no-cache"  # kept out of the page cache
        return answer

    return [Route("/search", search)]


_TEXT = {"type": "string"}
OPENAPI_SCHEMAS: dict[str, Any] = {
    "SearchHit": {
        "allOf": [
            {"$ref": "#/components/schemas/Article"},
            {
                "type": "object",
                "properties": {
                    "snippet": {
                        "type": "array",
                        "description": "the best passage, in pieces; `match` marks the words "
                        "that matched the query",
                        "items": {
                            "type": "object",
                            "required": ["text", "match"],
                            "properties": {"text": _TEXT, "match": {"type": "boolean"}},
                        },
                    },
                },
            },
        ]
    },
    "SearchPage": {
        "type": "object",
        "required": ["items", "next_offset"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
            "next_offset": {
                "type": ["integer", "null"],
                "description": "pass as `offset` for the next page",
            },
        },
    },
}
OPENAPI_PATHS: dict[str, Any] = {
    "/search": {
        "get": {
            "summary": "Articles containing every word of q, best first, a story once",
            "description": "Accents and case do not matter; French and English words match "
            "their other forms (élection, élections). Operators are read as words.",
            "operationId": "search",
            "parameters": [
                {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                {
                    "name": "lang",
                    "in": "query",
                    "description": "only articles in this language (ISO 639-1)",
                    "schema": {"type": "string", "maxLength": 16},
                },
                {
                    "name": "outlet",
                    "in": "query",
                    "description": "only articles of this source id",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                },
                {
                    "name": "since",
                    "in": "query",
                    "description": "published on or after this day (UTC)",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "until",
                    "in": "query",
                    "description": "published on or before this day (UTC)",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_LIMIT,
                        "default": DEFAULT_LIMIT,
                    },
                },
                {
                    "name": "offset",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
                },
            ],
            "responses": {
                "200": {
                    "description": "a page of results",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/SearchPage"}}
                    },
                },
                "400": {
                    "description": "empty q, or a bad limit, offset, outlet or date",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
    }
}
