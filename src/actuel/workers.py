"""What extraction worker processes run: extraction and language detection, light to import.

Kept apart from pipeline.py so a worker imports the extract and enrich stages only, not the store,
the fetcher and the stories stage (half a second of start-up per worker on every large pass).
"""

from __future__ import annotations

import os
import threading
import time

from actuel.enrich.language import detect_language
from actuel.extract import extract_page
from actuel.model import ExtractedPage


def extract_and_detect(
    content: bytes, url: str, content_type: str | None, max_bytes: int, guess_date: bool = True
) -> tuple[ExtractedPage, str | None]:
    """Extraction and language detection of one page: the CPU-heavy part of ingest."""
    page = extract_page(
        content, url=url, content_type=content_type, max_bytes=max_bytes, guess_date=guess_date
    )
    detected = (
        detect_language(page.text, title=page.title, hint=page.language) if page.text else None
    )
    return page, detected


def exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when the process that started it is gone (a SIGKILLed
    `actuel fetch` would otherwise leave its workers waiting for jobs forever)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
