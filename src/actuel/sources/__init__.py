"""Sources stage: discover feeds and sitemaps, pick home-page articles, schedule polls."""

from __future__ import annotations

from actuel.sources.discovery import (
    Discovered,
    common_feed_paths,
    feed_links_from_html,
    normalize_source_url,
    sitemaps_from_robots,
)
from actuel.sources.home import article_links_from_home, looks_like_article
from actuel.sources.schedule import (
    is_due,
    next_poll_after_error,
    next_poll_after_success,
    page_retry_at,
)
from actuel.sources.state import after_error, after_success, enabled, paused

__all__ = [
    "Discovered",
    "after_error",
    "after_success",
    "article_links_from_home",
    "common_feed_paths",
    "enabled",
    "feed_links_from_html",
    "is_due",
    "looks_like_article",
    "next_poll_after_error",
    "next_poll_after_success",
    "normalize_source_url",
    "page_retry_at",
    "paused",
    "sitemaps_from_robots",
]
