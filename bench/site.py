"""Site throughput with wrk on loopback: story and article pages, uncached and from the page cache.

    python bench/site.py [--quick] [--db demo.db] [--workers 1,2] [--connections 16,64]
                         [--scenarios uncached,uncached_gzip,gzip,identity,static]

The server is `actuel run` (uvicorn, httptools and the standard event loop, `web_workers`
processes) over the demo world's database, its sources paused so that nothing is fetched during
the runs. wrk shares the machine's cores with it, as the issue's WordPress figures did. Each
scenario rotates over every story and article page:

- uncached: `site_cache=false`, every request renders its page (goal ≥ 600 req/s);
- uncached_gzip: the same with `site_gzip_uncached=true` and `Accept-Encoding: gzip`, each page
  compressed as it is sent (compare with uncached: whether gzip pays on loopback);
- cached, gzip: the page cache on, `Accept-Encoding: gzip` as browsers send it (goal ≥ 8,000
  req/s, p99 < 10 ms);
- cached, no compression: the figure nginx's 35,000–44,000 pages/s compares with;
- static: the site's static files (style sheets, icons) beside cached pages on the same server in
  the same run, gzip; goal: static p99 no higher than cached pages' (issue 11 measured 3.2 s for
  /static/site.css against 0.2–0.6 s for pages, 256 connections: `--connections 256`).

Anchors: the WordPress figures from the issue (stock WordPress 6.1, PHP 8.2 + OPcache, MariaDB,
nginx, same 2-core machine) printed beside each figure, and, measured in this run, a bare ASGI
app under the same uvicorn answering one stored gzip page: the ceiling any Python page cache
behind uvicorn can reach here.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import load_settings
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.model import SourceState
from actuel.pipeline.ingest import Ingestor
from actuel.store import Store

WORDPRESS = {
    "uncached": (55, 60, "WordPress uncached"),
    "uncached_gzip": (55, 60, "WordPress uncached"),
    "gzip": (6_000, 8_300, "WordPress + nginx cache, gzip"),
    "identity": (35_000, 44_000, "WordPress + nginx cache, no compression"),
    "static": (6_000, 8_300, "WordPress + nginx cache, gzip"),
}
ROUNDS = 3  # static beside pages: runs of each, alternated
STATIC_PATHS = ["/static/site.css", "/static/favicon.svg", "/static/logo.svg", "/static/admin.css"]
GOALS = {"uncached": (600, None), "uncached_gzip": (600, None), "gzip": (8_000, 10.0)}


@dataclass
class Run:
    requests_per_s: float
    p99_ms: float
    errors: str
    load: float  # the machine's 1-minute load average as the run started: other work skews it


def build_database(root: Path) -> str:
    """The demo world ingested for real, its sources then paused."""
    settings = demo_settings(
        load_settings(environ={}, db=str(root / "site.db"), fetch_respect_robots=False)
    )
    with (
        DemoWorld(flaky=False) as world,
        Store.open(settings.db, settings) as store,
        Fetcher(settings) as fetcher,
    ):
        sources = register_outlets(store, fetcher, world.outlets)
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass(sources)
    pause_sources(settings.db)
    return settings.db


def pause_sources(db: str) -> None:
    with Store.open(db, load_settings(environ={}, db=db)) as store:
        for source in store.sources.all():
            source.state = SourceState.PAUSED
            store.sources.update(source)


def page_paths(db: str) -> list[str]:
    with Store.open(db, load_settings(environ={}, db=db), readonly=True) as store:
        stories = [f"/stories/{s.key}" for s in store.stories.latest(limit=10_000)]
        articles = [f"/articles/{a.id}" for a in store.articles.latest(limit=10_000)]
    return stories + articles


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz within 60 s")


def start_site(
    db: str, workers: int, cache: bool, gzip_uncached: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    """`actuel run` on a free port, as an operator would start it."""
    port = free_port()
    env = {
        **os.environ,
        "ACTUEL_DB": db,
        "ACTUEL_WEB_WORKERS": str(workers),
        "ACTUEL_SITE_CACHE": "true" if cache else "false",
        "ACTUEL_SITE_GZIP_UNCACHED": "true" if gzip_uncached else "false",
        "ACTUEL_FETCH_PAGES": "false",
        "ACTUEL_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "actuel", "run", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        if workers > 1 and len(worker_processes(process.pid)) != workers:
            raise SystemExit(f"asked for {workers} workers, uvicorn runs another number")
    except BaseException:
        stop(process)
        raise
    return process, base


def worker_processes(parent: int) -> list[int]:
    """uvicorn's worker processes under `parent` (multiprocessing children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


ANCHOR_APP = textwrap.dedent(
    """
    import gzip, os

    BODY = gzip.compress(open(os.environ["ANCHOR_PAGE"], "rb").read())
    HEADERS = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-encoding", b"gzip"),
        (b"content-length", str(len(BODY)).encode()),
    ]

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": BODY})

    def factory():
        return app
    """
)


def start_anchor(page: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """A bare ASGI app under the same uvicorn, answering one stored gzip page."""
    port = free_port()
    (page.parent / "anchor_app.py").write_text(ANCHOR_APP, encoding="utf-8")
    command = [sys.executable, "-m", "uvicorn", "anchor_app:factory", "--factory"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    command += ["--no-access-log", "--app-dir", str(page.parent)]
    command += ["--loop", "asyncio"]  # the site's event loop
    env = {**os.environ, "ANCHOR_PAGE": str(page)}
    process = subprocess.Popen(command, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(base, timeout=2)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("the anchor app did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server we started and its workers (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def lua_script(folder: Path, paths: list[str], name: str = "rotate") -> Path:
    """wrk requests every path in turn, each request prepared once."""
    listed = ", ".join(f'"{p}"' for p in paths)
    script = folder / f"{name}.lua"
    script.write_text(
        textwrap.dedent(
            f"""
            local paths = {{{listed}}}
            local prepared = {{}}
            local i = 0
            init = function(args)
              for n, path in ipairs(paths) do prepared[n] = wrk.format("GET", path) end
            end
            request = function()
              i = (i % #prepared) + 1
              return prepared[i]
            end
            """
        ),
        encoding="utf-8",
    )
    return script


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(base: str, script: Path, connections: int, seconds: int, encoding: str) -> Run:
    load = os.getloadavg()[0]
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Accept-Encoding: {encoding}",
        "-s",
        str(script),
        base,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    if rate is None or p99 is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    errors = []
    for pattern in (r"Non-2xx or 3xx responses: \d+", r"Socket errors: [^\n]+"):
        found = re.search(pattern, output)
        if found:
            errors.append(found.group(0))
    p99_ms = float(p99.group(1)) * UNITS[p99.group(2)]
    return Run(float(rate.group(1)), p99_ms, "; ".join(errors), load)


def check_pages(base: str, paths: list[str], encoding: str, cached: bool) -> None:
    """Every page answers 200 in the encoding asked; cached runs hit the cache."""
    with httpx.Client(base_url=base, timeout=30) as client:
        for path in paths:
            for _round in range(2 if cached else 1):
                response = client.get(path, headers={"Accept-Encoding": encoding})
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
            if cached and response.headers.get("x-cache") != "HIT":
                raise SystemExit(f"{path}: not served from the cache")
            if encoding == "gzip" and response.headers.get("content-encoding") != "gzip":
                raise SystemExit(f"{path}: not served gzipped")


def report(kind: str, label: str, workers: int, connections: int, run: Run) -> None:
    low, high, who = WORDPRESS[kind]
    line = (
        f"{label:<28} workers={workers} c={connections:<3} {run.requests_per_s:>9,.0f} req/s"
        f"  p99 {run.p99_ms:>7.2f} ms | {who}: {low:,}–{high:,}/s"
        f" → ×{run.requests_per_s / high:.1f} (vs {high:,})"
    )
    goal = GOALS.get(kind)
    if goal:
        rate, p99 = goal
        met = run.requests_per_s >= rate and (p99 is None or run.p99_ms < p99)
        wanted = f"≥ {rate:,} req/s" + (f", p99 < {p99:g} ms" if p99 else "")
        line += f" | goal {wanted}: {'met' if met else 'NOT met'}"
    if run.errors:
        line += f" | {run.errors}"
    print(line + f" | load {run.load:.1f}", flush=True)


def static_beside_pages(
    base: str, root: Path, pages: Path, connection_list: list[int], seconds: int, workers: int
) -> None:
    """Cached pages, then static files, on one warmed-up server: their p99s side by side."""
    with httpx.Client(base_url=base) as client:
        for path in STATIC_PATHS:
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path}: not served")
    static = lua_script(root, STATIC_PATHS, "static")
    for connections in connection_list:
        wrk(base, pages, connections, 2, "gzip")  # warm-up: the first run also pays for accepts
        runs: dict[str, list[Run]] = {"pages": [], "static": []}
        for _round in range(ROUNDS):  # alternated: load drifts over a run; medians compared
            runs["pages"].append(wrk(base, pages, connections, seconds, "gzip"))
            runs["static"].append(wrk(base, static, connections, seconds, "gzip"))
        cached, files = (sorted(runs[k], key=lambda r: r.p99_ms)[ROUNDS // 2] for k in runs)
        report("gzip", "cached pages, gzip", workers, connections, cached)
        report("static", "static files, gzip", workers, connections, files)
        ratio = files.p99_ms / cached.p99_ms
        verdict = "met" if ratio <= 1.0 else "NOT met"
        print(
            f"{'static p99 / cached pages p99':<28} workers={workers} c={connections:<3}"
            f" ×{ratio:.2f} (median of {ROUNDS} alternated runs each) | goal ≤ 1: {verdict}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s runs instead of 30 s")
    parser.add_argument("--db", help="an existing actuel database (default: build the demo's)")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--connections", default="16,64", help="wrk connection counts")
    parser.add_argument(
        "--scenarios",
        default="uncached,uncached_gzip,gzip,identity",
        help="which of uncached, uncached_gzip, gzip (cached), identity (cached) to run; "
        "the anchor runs with gzip",
    )
    args = parser.parse_args()
    seconds = 5 if args.quick else 30
    workers_list = [int(w) for w in args.workers.split(",")]
    connection_list = [int(c) for c in args.connections.split(",")]
    wanted = {name.strip() for name in args.scenarios.split(",")}
    if not wanted or not wanted <= set(WORDPRESS):
        parser.error(f"--scenarios: choose among {', '.join(WORDPRESS)}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if args.db:
            db = args.db
            pause_sources(db)
        else:
            print("building the demo database…", flush=True)
            db = build_database(root)
        paths = page_paths(db)
        print(f"{len(paths)} story and article pages, {seconds} s per run, wrk -t1", flush=True)
        cores, load = os.cpu_count() or 1, os.getloadavg()[0]
        busy = "busy: other work shares the cores" if load > cores else "quiet"
        print(f"{cores} cores; load average {load:.1f} ({busy})")
        script = lua_script(root, paths)
        scenarios = [
            ("uncached", "uncached story+article", False, "identity"),
            ("uncached_gzip", "uncached, gzip", False, "gzip"),
            ("gzip", "cached, gzip", True, "gzip"),
            ("identity", "cached, no compression", True, "identity"),
            ("static", "static files, gzip", True, "gzip"),
        ]
        scenarios = [scenario for scenario in scenarios if scenario[0] in wanted]
        for workers in workers_list:
            for kind, label, cache, encoding in scenarios:
                process, base = start_site(db, workers, cache, kind == "uncached_gzip")
                try:
                    check_pages(base, paths, encoding, cache)
                    if kind == "static":
                        static_beside_pages(base, root, script, connection_list, seconds, workers)
                        continue
                    for connections in connection_list:
                        run = wrk(base, script, connections, seconds, encoding)
                        report(kind, label, workers, connections, run)
                    if kind == "gzip":
                        page = root / "page.html"
                        page.write_bytes(httpx.get(base + paths[0]).content)
                finally:
                    stop(process)
            if "gzip" not in wanted:
                continue
            anchor, base = start_anchor(root / "page.html", workers)
            try:
                for connections in connection_list:
                    run = wrk(base, lua_script(root, ["/"], "anchor"), connections, seconds, "gzip")
                    print(
                        f"{'anchor: bare ASGI, 1 gzip page':<28} workers={workers} "
                        f"c={connections:<3} {run.requests_per_s:>9,.0f} req/s"
                        f"  p99 {run.p99_ms:>7.2f} ms (the ceiling of uvicorn here)"
                        f" | load {run.load:.1f}",
                        flush=True,
                    )
            finally:
                stop(anchor)


if __name__ == "__main__":
    main()
