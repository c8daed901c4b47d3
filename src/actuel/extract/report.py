"""The JSON object `actuel extract` prints for one page."""

from __future__ import annotations

from typing import Any

from actuel.model import ExtractedPage


def page_report(path: str, page: ExtractedPage) -> dict[str, Any]:
    """What was extracted from the page at `path` (a file or URL), as JSON-ready values."""
    return {
        "path": path,
        "title": page.title,
        "text": page.text,
        "author": page.author,
        "published_at": page.published_at.isoformat() if page.published_at else None,
        "language": page.language,
        "image": page.image,
        "canonical_url": page.canonical_url,
        "description": page.description,
        "site_name": page.site_name,
    }
