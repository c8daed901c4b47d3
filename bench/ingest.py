"""Ingest benchmark: the whole pipeline vs bare trafilatura on the same pages, printed as a ratio.

The demo world, grown with synthetic articles (>= 2,000 pages), is served by its own process on
loopback (as the web would be: its CPU is not ours). The pipeline ingests it for real — fetch →
parse → extract → enrich → store into a fresh SQLite file — and then, in the same run, bare
trafilatura extracts the very same HTML (fetched beforehand, not timed).
Goal: pipeline >= 0.8x bare extraction.

    python bench/ingest.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import trafilatura

from actuel.config import load_settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind
from actuel.pipeline import Ingestor
from actuel.store import Store


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_worker_rss_mb() -> float:
    """The largest finished child (extraction workers; the demo server is still running)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to add")
    args = parser.parse_args()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "actuel.demo.server",
            "--synthetic",
            str(args.articles),
            "--steady",
            "--json",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        world = json.loads(server.stdout.readline())
        run(world)
    finally:
        server.terminate()
        server.wait(timeout=30)


def ingest(world: dict, *, stories: bool) -> tuple[int, float, int, float]:  # type: ignore[type-arg]
    """(articles stored, seconds, sources in error, peak RSS MB) of one pass into a new file."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        settings = load_settings(
            environ={},
            db=db,
            fetch_allow_private=True,
            fetch_per_host_delay=0.0,
            fetch_respect_robots=False,
            fetch_per_host_concurrency=4,
            parse_max_items=1000,
            stories=stories,
        )
        with Store.open(db, settings) as store:
            for outlet in world["outlets"]:
                store.add_source(
                    Source(
                        url=outlet["source_url"],
                        name=outlet["name"],
                        kind=SourceKind(outlet["kind"]),
                        lang=outlet["lang"],
                    )
                )
            start = time.perf_counter()
            with Fetcher(settings) as fetcher, Ingestor(store, fetcher, settings) as ingestor:
                report = ingestor.run_pass()
            seconds = time.perf_counter() - start
            stored = store.count_articles()
    return stored, seconds, len([r for r in report.sources if r.error]), peak_rss_mb()


def run(world: dict) -> None:  # type: ignore[type-arg]
    page_urls = world["pages"]
    print(
        f"world: {len(world['outlets'])} outlets, {len(page_urls)} article pages "
        "(served by another process; the demo's broken feed fails on purpose)"
    )
    rss_before = peak_rss_mb()
    stored, plain_s, errors, rss_plain = ingest(world, stories=False)
    stored_st, stories_s, _, rss_stories = ingest(world, stories=True)

    with httpx.Client() as client:
        pages = [(u, client.get(u).text) for u in page_urls]
    start = time.perf_counter()
    for url, html in pages:
        trafilatura.bare_extraction(html, url=url, with_metadata=True)
    bare_s = time.perf_counter() - start

    bare_rate = len(pages) / bare_s
    plain_rate, stories_rate = stored / plain_s, stored_st / stories_s
    print(
        f"pipeline, fetch → store       : {stored} articles in {plain_s:.1f} s = "
        f"{plain_rate:.1f} articles/s ({errors} source in error)"
    )
    print(
        f"pipeline + stories step       : {stored_st} articles in {stories_s:.1f} s = "
        f"{stories_rate:.1f} articles/s"
    )
    print(
        f"anchor: bare trafilatura      : {len(pages)} pages in {bare_s:.1f} s = "
        f"{bare_rate:.1f} pages/s"
    )
    print(f"ratio fetch → store / anchor  : {plain_rate / bare_rate:.2f}x (goal >= 0.80x)")
    print(f"ratio with stories / anchor   : {stories_rate / bare_rate:.2f}x")
    print(
        f"memory: peak RSS {rss_plain:.0f} MB after the first pass, {rss_stories:.0f} MB after "
        f"the second (start {rss_before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
