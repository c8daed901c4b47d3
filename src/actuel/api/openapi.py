"""The OpenAPI 3.1 description of /api/v1, written by hand to match routes.py."""

from __future__ import annotations

from typing import Any

from actuel import __version__
from actuel.api import comments as comment_api
from actuel.api import search as search_api
from actuel.api import write as write_api


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_INT = {"type": ["integer", "null"]}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "examples": ["story_not_found", "bad_cursor"]},
                    "message": {"type": "string"},
                    "fix": {"type": "string"},
                },
            }
        },
    },
    "Original": {
        "type": "object",
        "description": "Who reported first: an ingested article, or an outlet it credits.",
        "properties": {
            "article_id": NULLABLE_INT,
            "outlet": NULLABLE_STRING,
            "credit": {**NULLABLE_STRING, "description": "outlet credited but not ingested"},
        },
    },
    "Headline": {
        "type": "object",
        "description": "The title and lead the site shows readers of one language, and the "
        "article they are from.",
        "properties": {
            "title": NULLABLE_STRING,
            "summary": NULLABLE_STRING,
            "article_id": NULLABLE_INT,
            "translated_from": {
                **NULLABLE_STRING,
                "description": "set when the title and lead are our machine translation of the "
                "article's, from this language",
            },
            "translator": {**NULLABLE_STRING, "description": "the backend and model that made it"},
        },
    },
    "Translation": {
        "type": "object",
        "description": "An article's title and lead machine-translated by us into one language.",
        "properties": {
            "title": NULLABLE_STRING,
            "summary": NULLABLE_STRING,
            "from": {"type": "string", "description": "the article's language"},
            "backend": NULLABLE_STRING,
            "model": NULLABLE_STRING,
            "translated_at": NULLABLE_TIME,
        },
    },
    "Story": {
        "type": "object",
        "properties": {
            "key": {"type": "string", "description": "stable public id"},
            "title": {**NULLABLE_STRING, "description": "the original's title"},
            "summary": {**NULLABLE_STRING, "description": "the original's lead"},
            "language": {**NULLABLE_STRING, "description": "the original's language"},
            "headlines": {
                "type": "object",
                "description": "by language code, for each language the story has an article "
                "in: a member's title and lead in that language (the original's in its own)",
                "additionalProperties": _ref("Headline"),
            },
            "original": _ref("Original"),
            "first_published_at": NULLABLE_TIME,
            "updated_at": NULLABLE_TIME,
            "article_count": {"type": "integer"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "outlets": {"type": "array", "items": {"type": "string"}},
            "image": NULLABLE_STRING,
            "category": NULLABLE_STRING,
            "url": {"type": "string"},
            "api_url": {"type": "string"},
        },
    },
    "StoryPage": {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": _ref("Story")},
            "next": {**NULLABLE_STRING, "description": "pass as `before` for the next page"},
        },
    },
    "Member": {
        "type": "object",
        "description": "An article of the story; relations point from derived to source.",
        "properties": {
            "article_id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "outlet": {"type": "string"},
            "language": NULLABLE_STRING,
            "published_at": NULLABLE_TIME,
            "first_seen_at": NULLABLE_TIME,
            "relation": {
                "type": "string",
                "enum": ["original", "independent", "copy", "excerpt", "rewrite", "translation"],
            },
            "derived_from": {**NULLABLE_INT, "description": "article id of the source"},
            "confidence": {"type": ["number", "null"]},
            "evidence": {
                "type": "object",
                "description": "why the relation holds: scores of shared passages, names, "
                "numbers, quotes and meaning, the shared names and numbers, and aligned sentences",
                "properties": {
                    "shared_names": {"type": "array", "items": {"type": "string"}},
                    "shared_numbers": {"type": "array", "items": {"type": "string"}},
                    "aligned_sentences": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "derived": {"type": "string"},
                                "source": {"type": "string"},
                                "score": {"type": "number"},
                                "by": {"type": "string", "enum": ["words", "anchors", "meaning"]},
                            },
                        },
                    },
                },
            },
            "page_url": {"type": "string"},
        },
    },
    "Quote": {
        "type": "object",
        "properties": {
            "text": {"type": "string"},
            "speaker": NULLABLE_STRING,
            "language": NULLABLE_STRING,
            "article_ids": {"type": "array", "items": {"type": "integer"}},
            "outlets": {"type": "array", "items": {"type": "string"}},
            "translations": {
                "type": "array",
                "description": "the same quote in other languages, from the story's "
                "translations (each without translations of its own)",
                "items": _ref("Quote"),
            },
        },
    },
    "StoryDetail": {
        "allOf": [
            _ref("Story"),
            {
                "type": "object",
                "properties": {
                    "members": {"type": "array", "items": _ref("Member")},
                    "quotes": {"type": "array", "items": _ref("Quote")},
                    "related": {"type": "array", "items": _ref("Story")},
                },
            },
        ]
    },
    "Article": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "canonical_url": {"type": "string"},
            "outlet": NULLABLE_STRING,
            "source_id": {"type": "integer"},
            "language": NULLABLE_STRING,
            "author": NULLABLE_STRING,
            "published_at": NULLABLE_TIME,
            "first_seen_at": NULLABLE_TIME,
            "summary": NULLABLE_STRING,
            "text": {"type": "string", "description": "the start of the text (excerpt_chars)"},
            "text_truncated": {"type": "boolean"},
            "image": NULLABLE_STRING,
            "from_feed_only": {"type": "boolean"},
            "page_url": {"type": "string"},
            "translations": {
                "type": "object",
                "description": "our machine translations of its title and lead, by language",
                "additionalProperties": _ref("Translation"),
            },
            "story": {
                "type": ["object", "null"],
                "properties": {
                    "key": {"type": "string"},
                    "title": NULLABLE_STRING,
                    "relation": {"type": "string"},
                    "derived_from": NULLABLE_INT,
                    "confidence": {"type": ["number", "null"]},
                    "original": _ref("Original"),
                    "api_url": {"type": "string"},
                },
            },
        },
    },
}

PARAMETERS: dict[str, Any] = {
    "before": {
        "name": "before",
        "in": "query",
        "description": "cursor from the previous page's `next`",
        "schema": {"type": "string"},
    },
    "limit": {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 30},
    },
    "lang": {
        "name": "lang",
        "in": "query",
        "description": "only stories with an article in this language (ISO 639-1)",
        "schema": {"type": "string"},
    },
    "category": {"name": "category", "in": "query", "schema": {"type": "string"}},
}

PATHS: dict[str, Any] = {
    "/stories": {
        "get": {
            "summary": "Latest stories, most recently updated first",
            "operationId": "listStories",
            "parameters": [PARAMETERS[n] for n in ("before", "limit", "lang", "category")],
            "responses": {
                "200": _ok("a page of stories", "StoryPage"),
                "400": _error("bad cursor or limit"),
            },
        }
    },
    "/stories/{key}": {
        "get": {
            "summary": "A story: its articles with their relations, and its quotes",
            "operationId": "getStory",
            "parameters": [
                {
                    "name": "key",
                    "in": "path",
                    "required": True,
                    # a key is one path segment: never `.` or `..`, which clients resolve away
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"},
                }
            ],
            "responses": {
                "200": _ok("the story", "StoryDetail"),
                "301": {"description": "the story was merged; Location is the survivor"},
                "404": _error("no such story"),
            },
        }
    },
    "/articles/{id}": {
        "get": {
            "summary": "An article, its outlet and its place in a story",
            "operationId": "getArticle",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": _ok("the article", "Article"),
                "404": _error("no such article"),
            },
        }
    },
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "actuel API",
            "version": __version__,
            "description": "Stories grouped across outlets and languages, with provenance.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            **PATHS,
            **comment_api.OPENAPI_PATHS,
            **search_api.OPENAPI_PATHS,
            **write_api.OPENAPI_PATHS,
        },
        "components": {
            "schemas": {
                **SCHEMAS,
                "Comment": comment_api.COMMENT_SCHEMA,
                **search_api.OPENAPI_SCHEMAS,
                **write_api.OPENAPI_SCHEMAS,
            },
            "securitySchemes": write_api.OPENAPI_SECURITY_SCHEMES,
        },
    }
