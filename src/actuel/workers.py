"""What extraction worker processes run: extraction and language detection, light to import.

Kept apart from pipeline.py so a worker imports the extract and enrich stages only, not the store,
the fetcher and the stories stage (half a second of start-up per worker on every large pass).
"""

from __future__ import annotations

from actuel.enrich.language import detect_language
from actuel.extract import extract_page
from actuel.model import ExtractedPage


def extract_and_detect(
    content: bytes, url: str, content_type: str | None, max_bytes: int
) -> tuple[ExtractedPage, str | None]:
    """Extraction and language detection of one page: the CPU-heavy part of ingest."""
    page = extract_page(content, url=url, content_type=content_type, max_bytes=max_bytes)
    detected = (
        detect_language(page.text, title=page.title, hint=page.language) if page.text else None
    )
    return page, detected
