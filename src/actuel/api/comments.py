"""GET /api/v1/articles/{id}/comments: an article's published comments, oldest first (read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from actuel.api.schemas import JSON, error_body, iso
from actuel.cursor import BadCursorError, decode_cursor, encode_cursor
from actuel.errors import NotFoundError
from actuel.model import Comment
from actuel.store import Store

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def comment_json(comment: Comment) -> JSON:
    """What anyone may read of a comment: never the e-mail or network address, not even hashed."""
    return {
        "id": comment.id,
        "article_id": comment.article_id,
        "author": comment.author_name,
        "text": comment.text,
        "created_at": iso(comment.created_at),
    }


def _limit(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_LIMIT else None


def routes(get_store: Callable[[], Store]) -> list[Route]:
    def article_comments(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        limit = _limit(request.query_params.get("limit"))
        if limit is None:
            message = f"limit is not a whole number from 1 to {MAX_LIMIT}"
            return JSONResponse(error_body("bad_limit", message), status_code=400)
        try:
            after = decode_cursor(request.query_params.get("after"))
        except BadCursorError as exc:
            return JSONResponse(error_body(exc.code, exc.problem, exc.fix), status_code=400)
        store = get_store()
        try:
            store.articles.get(article_id)
        except NotFoundError:
            message = f"no article has the id {article_id}"
            return JSONResponse(error_body("article_not_found", message), status_code=404)
        rows = store.comments.of_article(article_id, limit=limit + 1, after=after)
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1] if rows and more else None
        return JSONResponse(
            {
                "items": [comment_json(c) for c in rows],
                "next": encode_cursor(last.created_at, last.id) if last else None,
            }
        )

    return [Route("/articles/{article_id:id}/comments", article_comments)]


COMMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "article_id", "author", "text", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "article_id": {"type": "integer"},
        "author": {"type": "string"},
        "text": {"type": "string", "description": "plain text, as written: escape it to show it"},
        "created_at": {"type": "string", "format": "date-time"},
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/articles/{id}/comments": {
        "get": {
            "summary": "An article's published comments, oldest first",
            "operationId": "listArticleComments",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                },
                {
                    "name": "after",
                    "in": "query",
                    "description": "the `next` cursor of the previous page",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "the comments",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "items": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Comment"},
                                    },
                                    "next": {"type": ["string", "null"]},
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": "bad limit or cursor",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
                "404": {
                    "description": "no such article",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
    }
}
