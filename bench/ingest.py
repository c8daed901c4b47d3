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


def run(world: dict) -> None:  # type: ignore[type-arg]
    page_urls = world["pages"]
    print(
        f"world: {len(world['outlets'])} outlets, {len(page_urls)} article pages "
        "(served by another process)"
    )
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
            rss_before = peak_rss_mb()
            start = time.perf_counter()
            with Fetcher(settings) as fetcher, Ingestor(store, fetcher, settings) as ingestor:
                report = ingestor.run_pass()
            pipeline_s = time.perf_counter() - start
            stored = store.count_articles()
            rss_after = peak_rss_mb()
    errors = [r.error for r in report.sources if r.error]

    with httpx.Client() as client:
        pages = [(u, client.get(u).text) for u in page_urls]
    start = time.perf_counter()
    for url, html in pages:
        trafilatura.bare_extraction(html, url=url, with_metadata=True)
    bare_s = time.perf_counter() - start

    pipeline_rate = stored / pipeline_s
    bare_rate = len(pages) / bare_s
    print(
        f"pipeline: {stored} articles stored in {pipeline_s:.1f} s = {pipeline_rate:.1f} "
        f"articles/s ({len(errors)} sources in error, the demo's broken feed among them)"
    )
    print(
        f"anchor  : bare trafilatura on the same {len(pages)} pages in {bare_s:.1f} s = "
        f"{bare_rate:.1f} pages/s"
    )
    print(
        f"ratio   : pipeline / bare trafilatura = {pipeline_rate / bare_rate:.2f}x (goal >= 0.80x)"
    )
    print(f"memory  : peak RSS {rss_after:.0f} MB (before ingest {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
