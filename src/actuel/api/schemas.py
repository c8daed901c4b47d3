"""JSON shapes of the API: stories, their members and quotes, articles, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from actuel.model import Article, QuoteView, StoryMember, StoryView, Translation
from actuel.text import excerpt

JSON = dict[str, Any]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC, or None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def error_body(code: str, message: str, fix: str | None = None) -> JSON:
    """The one error shape of the API: `{"error": {"code": ..., "message": ...}}`."""
    error: JSON = {"code": code, "message": message}
    if fix:
        error["fix"] = fix
    return {"error": error}


def story_json(view: StoryView) -> JSON:
    """A story as listed: the original's title and lead, the headline in each of its languages
    (what the site shows readers of that language), original, outlets, languages."""
    return {
        "key": view.key,
        "title": view.title,
        "summary": view.summary,
        "language": view.language,
        "headlines": {
            lang: {
                "title": h.title,
                "summary": h.summary,
                "article_id": h.article_id,
                "translated_from": h.translated_from,
                "translator": h.translator,
            }
            for lang, h in sorted(view.headlines.items())
        },
        "original": {
            "article_id": view.original_article_id,
            "outlet": view.original_source,
            "credit": view.original_credit,
        },
        "first_published_at": iso(view.first_published_at),
        "updated_at": iso(view.updated_at),
        "article_count": view.article_count,
        "languages": list(view.languages),
        "outlets": list(view.outlets),
        "image": view.image,
        "category": view.category,
        "url": f"/stories/{view.key}",
        "api_url": f"/api/v1/stories/{view.key}",
    }


def article_json(article: Article, source_name: str | None, excerpt_chars: int) -> JSON:
    """An article's metadata and the start of its text (`text_truncated` says when it was cut)."""
    text = article.text or ""
    cut = excerpt(text, excerpt_chars)
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": source_name,
        "source_id": article.source_id,
        "language": article.language,
        "author": article.author,
        "published_at": iso(article.published_at),
        "first_seen_at": iso(article.first_seen_at),
        "summary": article.summary,
        "text": cut,
        "text_truncated": cut != text.strip(),
        "image": article.image,
        "from_feed_only": article.from_feed_only,
        "page_url": f"/articles/{article.id}",
    }


def translation_json(found: Translation) -> JSON:
    """Our machine translation of an article's title and lead, and what made it."""
    return {
        "title": found.title,
        "summary": found.summary,
        "from": found.source_lang,
        "backend": found.backend,
        "model": found.model,
        "translated_at": iso(found.translated_at),
    }


def member_json(member: StoryMember) -> JSON:
    """One article of a story and its relation: derived → source, with confidence and evidence."""
    article = member.article
    return {
        "article_id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": member.source_name,
        "language": article.language,
        "published_at": iso(article.published_at),
        "first_seen_at": iso(article.first_seen_at),
        "relation": member.relation,
        "derived_from": member.derived_from,
        "confidence": member.confidence,
        "evidence": _plain(member.evidence),
        "page_url": f"/articles/{article.id}",
    }


def quote_json(quote: QuoteView) -> JSON:
    """Who said what, which articles and outlets carry it, and its translations."""
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "language": quote.lang,
        "article_ids": list(quote.article_ids),
        "outlets": list(quote.outlets),
        "translations": [quote_json(t) for t in quote.translations],
    }


def _plain(value: Any) -> Any:
    """Evidence as JSON-safe values (tuples, sets and dates from the stories stage)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
