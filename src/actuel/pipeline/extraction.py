"""Extraction and language detection, the CPU-bound part of ingest, in worker processes when a
pass has enough pages.

Worker processes are spawned and import this module (and the package above it) alone, so it stays
light: the extract and enrich stages, not the store, the fetcher or the stories stage (half a
second of start-up per worker on every large pass).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from actuel.enrich.language import detect_language
from actuel.extract import extract_page
from actuel.model import ExtractedPage, FetchResult

if TYPE_CHECKING:
    from actuel.config import Settings

log = logging.getLogger("actuel.pipeline")


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


def usable_cpus() -> int:
    """CPUs this process may run on: a container or `taskset` often allows fewer than the
    machine has, and a worker per machine CPU would then only compete for them."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every platform
        return os.cpu_count() or 1


def _worker_context() -> multiprocessing.context.BaseContext:
    """Spawned workers: never a plain fork of this process, whose fetch threads may hold locks.
    (A forkserver starts them faster, but it outlives a SIGKILLed parent.)"""
    return multiprocessing.get_context("spawn")


class ExtractionPool:
    """Extraction is CPU-bound and the GIL serialises it: large passes spread it over worker
    processes; small ones (or extract_workers=1) stay in the calling thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        workers = settings.extract_workers or usable_cpus()
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def warm_up(self, pages: int) -> None:
        """Start the worker processes when a pass has enough pages to repay their start-up."""
        if self.workers < 2 or pages < self.settings.extract_pool_min_pages:
            return
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=_worker_context(),
                    initializer=exit_with_parent,
                    initargs=(os.getpid(),),
                )

    def extract(
        self, fetched: FetchResult, *, guess_date: bool = True
    ) -> tuple[ExtractedPage, str | None]:
        """The page's content and its detected language (see extract_page for `guess_date`)."""
        job = (
            fetched.content,
            fetched.final_url,
            fetched.content_type,
            self.settings.extract_max_html_bytes,
            guess_date,
        )
        pool = self._pool
        if pool is not None:
            try:
                return pool.submit(extract_and_detect, *job).result()
            except BrokenProcessPool:  # a worker died (out of memory, killed): go on without
                log.warning("extraction workers lost; extracting in-process")
                with self._lock:
                    self._pool = None
        return extract_and_detect(*job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
