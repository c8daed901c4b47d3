"""The write half of /api/v1, behind bearer tokens: sources (add, pause, resume, delete) and
comment moderation (approve, spam, delete in bulk). No cookie is read here, so no CSRF token."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from actuel.api.schemas import JSON, error_body, iso
from actuel.config import Settings
from actuel.errors import ActuelError, DuplicateSourceError, NotFoundError
from actuel.model import Comment, Source, SourceKind
from actuel.operations import MAX_SOURCE_ID, source_fields
from actuel.store import Store

MAX_BODY = 64 * 1024
STATUSES = ("pending", "published", "spam", "deleted")
Endpoint = Callable[[Request], Awaitable[Response]]


def source_json(source: Source, articles_per_day: float | None = None) -> JSON:
    return {
        **source_fields(source),
        "last_polled_at": iso(source.last_polled_at),
        "last_error_code": source.last_error_code,
        "articles_per_day": articles_per_day,
    }


def moderated_json(comment: Comment) -> JSON:
    """A comment as moderators see it: status and hold reason, never the address or e-mail."""
    return {
        "id": comment.id,
        "article_id": comment.article_id,
        "author": comment.author_name,
        "text": comment.text,
        "status": comment.status,
        "hold_reason": comment.hold_reason,
        "created_at": iso(comment.created_at),
    }


def _check_id(source_id: int) -> None:
    if source_id > MAX_SOURCE_ID:  # no such row; the database could not even bind it
        raise NotFoundError(f"no source {source_id}", fix="check the source's id")


def _error(status: int, code: str, message: str, fix: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="actuel"'} if status == 401 else None
    return JSONResponse(error_body(code, message, fix), status_code=status, headers=headers)


async def _body(request: Request) -> dict[str, Any] | JSONResponse:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _error(413, "body_too_large", f"the body is over {MAX_BODY} bytes")
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "bad_json", "the body is not JSON", "send a JSON object")
    if not isinstance(data, dict):
        return _error(400, "bad_json", "the body is not a JSON object", "send a JSON object")
    return data


def routes(get_writer: Callable[[], Store], settings: Settings) -> list[Route]:
    from actuel import operations
    from actuel.accounts.tokens import token_hash

    def authorized(handler: Endpoint) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
                return _error(
                    401, "unauthorized", "this route needs an API token",
                    "send Authorization: Bearer <token> (see `actuel admin create-token`)",
                )  # fmt: skip
            # a read leaves the database as it was: only writes record the token's last use
            known = get_writer().users.use_api_token(
                token_hash(token.strip()), record=request.method not in ("GET", "HEAD")
            )
            if known is None:
                return _error(
                    401, "bad_token", "this API token is unknown or was revoked",
                    "create one with `actuel admin create-token`",
                )  # fmt: skip
            response = await handler(request)
            response.headers["Cache-Control"] = "no-store"  # one client's data: never kept
            return response

        return endpoint

    async def list_sources(_request: Request) -> Response:
        store = get_writer()
        per_source = store.articles.per_source(7)
        items = [source_json(s, per_source.get(s.id or 0, 0) / 7) for s in store.sources.all()]
        return JSONResponse({"items": items})

    async def add_source(request: Request) -> Response:
        data = await _body(request)
        if isinstance(data, JSONResponse):
            return data
        url, kind = data.get("url"), data.get("kind")
        if not isinstance(url, str) or not url.strip() or len(url) > 2000:
            return _error(400, "bad_url", "url is missing or not a string", 'send {"url": ...}')
        if kind is not None and kind not in {k.value for k in SourceKind}:
            return _error(400, "bad_kind", "kind is not feed, sitemap or page")
        fields = {}
        for name in ("name", "category", "lang"):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                return _error(400, f"bad_{name}", f"{name} is not a string")
            fields[name] = value[:200] if isinstance(value, str) else None
        discover_first = data.get("discover", True) is not False
        try:
            source = await _threaded(
                operations.add_source, get_writer(), settings, url, kind=kind,
                discover_first=discover_first, **fields,
            )  # fmt: skip
        except DuplicateSourceError as exc:
            return _error(409, "source_exists", exc.problem, exc.fix)
        except ActuelError as exc:
            return _error(422, exc.code, exc.problem, exc.fix)
        return JSONResponse(source_json(source), status_code=201)

    def source_action(
        change: Callable[[Store, int], Source],
    ) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            source_id = request.path_params["source_id"]
            try:
                _check_id(source_id)
                return JSONResponse(source_json(change(get_writer(), source_id)))
            except NotFoundError:
                return _error(404, "source_not_found", f"no source has the id {source_id}")

        return endpoint

    async def delete_source(request: Request) -> Response:
        source_id = request.path_params["source_id"]
        try:
            _check_id(source_id)
            removed = get_writer().sources.remove(source_id)
        except NotFoundError:
            return _error(404, "source_not_found", f"no source has the id {source_id}")
        return JSONResponse({"deleted": source_id, "articles_removed": removed})

    async def queue(request: Request) -> Response:
        status = request.query_params.get("status", "pending")
        if status not in STATUSES:
            return _error(400, "bad_status", f"status is not one of {', '.join(STATUSES)}")
        rows = get_writer().comments.by_status(status, limit=200)
        return JSONResponse({"items": [moderated_json(c) for c in rows]})

    async def moderate(request: Request) -> Response:
        data = await _body(request)
        if isinstance(data, JSONResponse):
            return data
        action, ids = data.get("action"), data.get("ids")
        if action not in operations.MODERATION:
            return _error(400, "bad_action", "action is not approve, spam or delete")
        if (
            not isinstance(ids, list)
            or not ids
            or len(ids) > operations.MAX_BULK
            or not all(
                isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63 for i in ids
            )
        ):
            return _error(
                400, "bad_ids", f"ids is not a list of 1 to {operations.MAX_BULK} comment ids"
            )
        changed = operations.moderate(get_writer(), str(action), [int(i) for i in ids])
        return JSONResponse({"action": action, "changed": changed})

    return [
        Route("/sources", authorized(list_sources), methods=["GET"]),
        Route("/sources", authorized(add_source), methods=["POST"]),
        Route("/sources/{source_id:id}", authorized(delete_source), methods=["DELETE"]),
        Route(
            "/sources/{source_id:id}/pause",
            authorized(source_action(operations.pause)),
            methods=["POST"],
        ),
        Route(
            "/sources/{source_id:id}/resume",
            authorized(source_action(operations.resume)),
            methods=["POST"],
        ),
        Route("/moderation/comments", authorized(queue), methods=["GET"]),
        Route("/moderation/comments", authorized(moderate), methods=["POST"]),
    ]


async def _threaded(func: Callable[..., Source], *args: Any, **kwargs: Any) -> Source:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args, **kwargs)


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _answer(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": _json(schema)}


def _failures(*statuses: int) -> dict[str, Any]:
    names = {
        400: "the request is malformed",
        401: "no token, or an unknown one",
        404: "no such source",
        409: "the source is already registered",
        413: "the body is too large",
        422: "the URL could not be registered",
    }
    return {str(s): _answer(names[s], "Error") for s in statuses}


SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
SOURCE_ID = {
    "name": "source_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_SOURCE_ID},
}
NULLABLE_STRING = {"type": ["string", "null"]}

OPENAPI_SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `actuel admin create-token`.",
    }
}

OPENAPI_SCHEMAS: dict[str, Any] = {
    "Source": {
        "type": "object",
        "required": ["id", "url", "name", "kind", "state"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["feed", "sitemap", "page"]},
            "lang": NULLABLE_STRING,
            "category": NULLABLE_STRING,
            "state": {"type": "string", "enum": ["active", "error", "paused", "disabled"]},
            "last_polled_at": {"type": ["string", "null"], "format": "date-time"},
            "last_error": NULLABLE_STRING,
            "last_error_code": NULLABLE_STRING,
            "error_count": {"type": "integer"},
            "articles_per_day": {"type": ["number", "null"]},
        },
    },
    "SourceList": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}
        },
    },
    "NewSource": {
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {"type": "string", "description": "feed, sitemap or home page"},
            "kind": {"type": "string", "enum": ["feed", "sitemap", "page"]},
            "name": {"type": "string"},
            "category": {"type": "string"},
            "lang": {"type": "string"},
            "discover": {"type": "boolean", "description": "find the feed first (default true)"},
        },
    },
    "Deleted": {
        "type": "object",
        "required": ["deleted", "articles_removed"],
        "properties": {"deleted": {"type": "integer"}, "articles_removed": {"type": "integer"}},
    },
    "ModeratedComment": {
        "type": "object",
        "required": ["id", "article_id", "author", "text", "status"],
        "properties": {
            "id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "author": {"type": "string"},
            "text": {"type": "string"},
            "status": {"type": "string", "enum": list(STATUSES)},
            "hold_reason": NULLABLE_STRING,
            "created_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "ModerationQueue": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ModeratedComment"}}
        },
    },
    "Moderation": {
        "type": "object",
        "required": ["action", "ids"],
        "properties": {
            "action": {"type": "string", "enum": ["approve", "spam", "delete"]},
            "ids": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1},
                "minItems": 1,
                "maxItems": 500,
            },
        },
    },
    "Moderated": {
        "type": "object",
        "required": ["action", "changed"],
        "properties": {"action": {"type": "string"}, "changed": {"type": "integer"}},
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/sources": {
        "get": {
            "summary": "The sources polled, with their health",
            "security": SECURED,
            "responses": {"200": _answer("the sources", "SourceList"), **_failures(401)},
        },
        "post": {
            "summary": "Register a source by URL (discovered, unless a kind is given)",
            "security": SECURED,
            "requestBody": {"required": True, "content": _json("NewSource")},
            "responses": {
                "201": _answer("the source registered", "Source"),
                **_failures(400, 401, 409, 413, 422),
            },
        },
    },
    "/sources/{source_id}": {
        "delete": {
            "summary": "Remove a source and its articles",
            "security": SECURED,
            "parameters": [SOURCE_ID],
            "responses": {"200": _answer("what was removed", "Deleted"), **_failures(401, 404)},
        }
    },
    "/sources/{source_id}/pause": {
        "post": {
            "summary": "Stop polling a source; its articles stay",
            "security": SECURED,
            "parameters": [SOURCE_ID],
            "responses": {"200": _answer("the source", "Source"), **_failures(401, 404)},
        }
    },
    "/sources/{source_id}/resume": {
        "post": {
            "summary": "Poll a paused or failing source again",
            "security": SECURED,
            "parameters": [SOURCE_ID],
            "responses": {"200": _answer("the source", "Source"), **_failures(401, 404)},
        }
    },
    "/moderation/comments": {
        "get": {
            "summary": "Comments in one moderation status (pending by default), newest first",
            "security": SECURED,
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(STATUSES)},
                }
            ],
            "responses": {"200": _answer("the queue", "ModerationQueue"), **_failures(400, 401)},
        },
        "post": {
            "summary": "Approve, mark as spam or delete comments in bulk",
            "security": SECURED,
            "requestBody": {"required": True, "content": _json("Moderation")},
            "responses": {
                "200": _answer("how many changed", "Moderated"),
                **_failures(400, 401, 413),
            },
        },
    },
}
