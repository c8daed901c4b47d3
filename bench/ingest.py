"""Ingest benchmark: the whole pipeline vs bare trafilatura on the same pages, printed as a ratio.

The demo world, grown with synthetic articles (>= 2,000 pages), is served by its own process on
loopback (as the web would be: its CPU is not ours). The pipeline ingests it for real — fetch →
parse → extract → enrich → store into a fresh SQLite file — and then, in the same run, bare
trafilatura extracts the very same HTML (fetched beforehand, not timed).
Goal: pipeline >= 0.8x bare extraction, stories off (the stories step is measured beside it).
Each pass also prints the CPU seconds of this process (fetch, parse, store) and of its extraction
workers: on a small machine their sum, not the writer alone, is what bounds the rate.
With --translate, passes alternate with and without `actuel run`'s translation thread beside
ingest, sending titles and leads to a LibreTranslate stand-in in a process of its own
(tests/support/libretranslate.py: instant nonsense answers, so only our side's cost is measured).
Goal: translation on within 5% of off.

    python bench/ingest.py [--articles 2000] [--no-stories] [--rounds N] [--translate]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The pipeline's modules are imported inside the functions that use them, as the `actuel` console
# script does: the extraction workers, spawned, import this script again and need none of them.


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_worker_rss_mb() -> float:
    """The largest finished child (extraction workers; the demo server is still running)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def helper_processes_cpu_s() -> float:
    """CPU seconds of this process's live children other than the demo server, with the children
    they reaped: the forkserver that starts the extraction workers, and so the workers themselves
    (they are its children, not ours, so os.times() does not count them)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, times = int(fields[1]), fields[11:15]  # utime stime cutime cstime
        if ppid == os.getpid() and int(stat.parent.name) not in DEMO_SERVER_PIDS:
            total += sum(int(t) for t in times) / tick
    return total


DEMO_SERVER_PIDS: set[int] = set()


def demo_server_cpu_s() -> float:
    """CPU seconds the demo server (the outlets' web) has used so far: not ours, but it runs on
    the same cores during a pass, as the anchor's pages (fetched beforehand) do not."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in DEMO_SERVER_PIDS:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(t) for t in fields[11:13]) / tick
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to add")
    parser.add_argument(
        "--no-stories", action="store_true", help="skip the pass with the stories step"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="pipeline and anchor measured this many times, alternately; the median ratio is "
        "printed (on a shared machine one round can be off by 15%%)",
    )
    parser.add_argument(
        "--translate",
        action="store_true",
        help="also measure passes with the translation thread on (LibreTranslate stand-in)",
    )
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
    DEMO_SERVER_PIDS.add(server.pid)
    try:
        assert server.stdout is not None
        world = json.loads(server.stdout.readline())
        if args.translate:
            run_translated(world, rounds=max(1, args.rounds))
        else:
            run(world, stories=not args.no_stories, rounds=max(1, args.rounds))
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class Pass:
    """What one ingest pass into a new file did."""

    stored: int
    seconds: float
    errors: int
    peak_rss_mb: float
    cpu_main_s: float  # this process: fetch threads, parsing, the writer
    cpu_workers_s: float  # extraction worker processes
    cpu_server_s: float  # the demo server answering the pass's requests
    translated: int = 0  # articles translated into French by the end of the pass

    @property
    def rate(self) -> float:
        return self.stored / self.seconds


def ingest(world: dict, *, stories: bool, translate_url: str | None = None) -> Pass:
    """One pass of the whole pipeline into a new SQLite file; with `translate_url`, the
    translation thread of `actuel run` runs beside it (and goes on until the pass ends)."""
    import threading

    from actuel.config import load_settings
    from actuel.fetch import Fetcher
    from actuel.model import Source, SourceKind
    from actuel.pipeline.ingest import Ingestor
    from actuel.pipeline.translation import translation_loop
    from actuel.store import Store

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
        if translate_url is not None:
            settings = settings.replace(
                translate_backend="libretranslate", translate_url=translate_url
            )
        with Store.open(db, settings) as store:
            for outlet in world["outlets"]:
                store.sources.add(
                    Source(
                        url=outlet["source_url"],
                        name=outlet["name"],
                        kind=SourceKind(outlet["kind"]),
                        lang=outlet["lang"],
                    )
                )
            start, cpu = time.perf_counter(), os.times()
            helpers_before = helper_processes_cpu_s()
            server_before = demo_server_cpu_s()
            stop = threading.Event()
            translator = threading.Thread(
                target=translation_loop, args=(settings, stop), kwargs={"idle_s": 0.5}
            )
            if translate_url is not None:
                translator.start()
            with Fetcher(settings) as fetcher, Ingestor(store, fetcher, settings) as ingestor:
                report = ingestor.run_pass()
            seconds, after = time.perf_counter() - start, os.times()
            stop.set()
            if translator.is_alive():
                translator.join(timeout=60)
            translated = store.translations.counts(["fr"])["translated"]
            helpers = helper_processes_cpu_s() - helpers_before
            server = demo_server_cpu_s() - server_before
            stored = store.articles.count()
    return Pass(
        stored=stored,
        seconds=seconds,
        errors=len([r for r in report.sources if r.error]),
        peak_rss_mb=peak_rss_mb(),
        cpu_main_s=after.user + after.system - cpu.user - cpu.system,
        cpu_workers_s=helpers
        + after.children_user
        + after.children_system
        - cpu.children_user
        - cpu.children_system,
        cpu_server_s=server,
        translated=translated,
    )


def bare_trafilatura_rate(pages: list[tuple[str, str]]) -> float:
    """Pages per second of bare trafilatura on the pages, in this process."""
    import trafilatura

    start = time.perf_counter()
    for url, html in pages:
        trafilatura.bare_extraction(html, url=url, with_metadata=True)
    return len(pages) / (time.perf_counter() - start)


def run(world: dict, *, stories: bool, rounds: int = 1) -> None:
    page_urls = world["pages"]
    print(
        f"world: {len(world['outlets'])} outlets, {len(page_urls)} article pages "
        "(served by another process; the demo's broken feed fails on purpose)"
    )
    rss_before = peak_rss_mb()
    plain = ingest(world, stories=False)
    with_stories = ingest(world, stories=True) if stories else None

    import httpx

    with httpx.Client() as client:
        pages = [(u, client.get(u).text) for u in page_urls]
    bare_rate = bare_trafilatura_rate(pages)
    bare_s = len(pages) / bare_rate
    print(
        f"pipeline, fetch → store       : {plain.stored} articles in {plain.seconds:.1f} s = "
        f"{plain.rate:.1f} articles/s ({plain.errors} source in error)"
    )
    print(
        f"  CPU seconds                 : {plain.cpu_main_s:.1f} this process (fetch, parse, "
        f"store), {plain.cpu_workers_s:.1f} extraction workers; {plain.cpu_server_s:.1f} the demo "
        "server (same cores)"
    )
    if with_stories is not None:
        print(
            f"pipeline + stories step       : {with_stories.stored} articles in "
            f"{with_stories.seconds:.1f} s = {with_stories.rate:.1f} articles/s"
        )
    print(
        f"anchor: bare trafilatura      : {len(pages)} pages in {bare_s:.1f} s = "
        f"{bare_rate:.1f} pages/s (one process)"
    )
    print(f"ratio fetch → store / anchor  : {plain.rate / bare_rate:.2f}x (goal >= 0.80x)")
    if with_stories is not None:
        print(f"ratio with stories / anchor   : {with_stories.rate / bare_rate:.2f}x")
    second = (
        f", {with_stories.peak_rss_mb:.0f} MB after the second" if with_stories is not None else ""
    )
    print(
        f"memory: peak RSS {plain.peak_rss_mb:.0f} MB after the first pass{second} "
        f"(start {rss_before:.0f} MB)"
    )
    if rounds > 1:
        ratios = [plain.rate / bare_rate]
        for n in range(2, rounds + 1):
            again = ingest(world, stories=False)
            anchor = bare_trafilatura_rate(pages)
            ratios.append(again.rate / anchor)
            print(
                f"round {n}: pipeline {again.rate:.1f} articles/s, anchor {anchor:.1f} pages/s, "
                f"ratio {ratios[-1]:.2f}x"
            )
        listed = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"median ratio over {rounds} rounds: {statistics.median(ratios):.2f}x ({listed})")


def run_translated(world: dict, *, rounds: int) -> None:
    """Passes without and with the translation thread, alternately; the median ratio."""
    stand_in = subprocess.Popen(
        [sys.executable, "-m", "tests.support.libretranslate"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    DEMO_SERVER_PIDS.add(stand_in.pid)
    try:
        assert stand_in.stdout is not None
        url = stand_in.stdout.readline().strip()
        print(f"world: {len(world['pages'])} article pages; LibreTranslate stand-in at {url}")
        ratios, cpu_ratios = [], []
        for n in range(1, rounds + 1):
            off = ingest(world, stories=False)
            on = ingest(world, stories=False, translate_url=url)
            ratios.append(on.rate / off.rate)
            cpu_off = (off.cpu_main_s + off.cpu_workers_s) / off.stored
            cpu_on = (on.cpu_main_s + on.cpu_workers_s) / on.stored
            cpu_ratios.append(cpu_on / cpu_off)
            print(
                f"round {n}: off {off.rate:.1f} articles/s ({cpu_off * 1000:.1f} CPU ms/article); "
                f"on {on.rate:.1f} articles/s ({cpu_on * 1000:.1f} CPU ms/article, translation "
                f"included), {on.translated} translated during the pass; "
                f"ratio {ratios[-1]:.3f}x"
            )
        listed = ", ".join(f"{r:.3f}" for r in ratios)
        print(
            f"ratio translation on / off: median {statistics.median(ratios):.3f}x ({listed}); "
            f"CPU per article {statistics.median(cpu_ratios):.3f}x (goal: rate >= 0.95x)"
        )
    finally:
        stand_in.terminate()
        stand_in.wait(timeout=30)


if __name__ == "__main__":
    main()
