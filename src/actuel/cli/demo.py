"""`actuel demo`: play the bundled news world on loopback, ingest it for real, serve the site."""

from __future__ import annotations

import contextlib
import errno
import json
import secrets
import signal
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import click

from actuel.accounts.passwords import hash_password
from actuel.cli.common import common_options, console, open_store, out
from actuel.cli.ingest import ingest_once, print_report, scheduler_loop
from actuel.config import Settings
from actuel.demo.server import DemoOutlet, DemoWorld, Hit
from actuel.errors import ActuelError, DuplicateSourceError
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind
from actuel.parse.opml import write_opml
from actuel.pipeline.discovery import discover, new_source
from actuel.store import Store

# Outlets listen on 127.0.1.N at one port of these, the same from one demo of a database to the
# next (their URLs are its sources'): 8090, or the next one free when another demo holds it.
DEMO_OUTLETS_PORTS = range(8090, 8190)
DEMO_OUTLETS_PORT = DEMO_OUTLETS_PORTS[0]
FIRST_ADMIN = "admin"


def outlets_port(store: Store) -> int:
    """The port of this database's demo outlets: the one its registered outlets use, else the
    first of DEMO_OUTLETS_PORTS free (a second `actuel demo` on another database runs beside)."""
    for source in store.sources.all():
        parts = urlsplit(source.url)
        port = parts.port
        if (parts.hostname or "").startswith("127.0.1.") and port in DEMO_OUTLETS_PORTS:
            return int(port or 0)
    return first_free_port()  # all taken: DemoWorld says so, naming the fix


def _free(port: int) -> bool:
    for address in ("127.0.1.1", "127.0.0.1"):  # some systems have only 127.0.0.1 for loopback
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((address, port))
            except OSError as exc:
                if exc.errno == errno.EADDRNOTAVAIL:
                    continue
                return False
            return True
    return False


def demo_settings(settings: Settings) -> Settings:
    """The demo's outlets live on loopback: allow it, and be quick but still polite."""
    return settings.replace(
        fetch_allow_private=True,
        fetch_per_host_delay=0.02,
        fetch_deadline=20.0,
        poll_interval_min=30,
    )


def create_first_admin(store: Store) -> str | None:
    """The database's first admin, `FIRST_ADMIN`, with a one-time password (returned, to be
    shown once); None when it has an admin already."""
    if store.users.count_admins():
        return None
    password = secrets.token_urlsafe(12)
    store.users.create_admin(FIRST_ADMIN, hash_password(password), one_time=True)
    return password


def register_outlets(store: Store, fetcher: Fetcher, outlets: list[DemoOutlet]) -> list[Source]:
    """Register every demo outlet as an operator would: by URL, with discovery."""
    registered = {s.url: s for s in store.sources.all()}
    sources = []
    for outlet in outlets:
        known = registered.get(outlet.source_url)
        if known:
            sources.append(known)
            continue
        fields = {"name": outlet.name, "lang": outlet.lang, "category": outlet.category}
        try:
            source = new_source(outlet.source_url, discover(outlet.source_url, fetcher), **fields)
        except ActuelError as exc:
            console.print(
                f"[yellow]{outlet.name}[/]: discovery failed ({exc.describe()}); "
                "registered as a feed",
                highlight=False,
            )
            source = new_source(outlet.source_url, None, kind=SourceKind.FEED, **fields)
        try:
            sources.append(store.sources.add(source))
        except DuplicateSourceError:
            sources.append(store.sources.get(source.url))
    return sources


def outlet_sources(outlets: list[DemoOutlet]) -> list[Source]:
    """The demo outlets as sources to register, without asking them (no discovery)."""
    return [
        Source(
            url=o.source_url,
            name=o.name,
            kind=o.kind,
            lang=o.lang,
            category=o.category,
            site_url=o.base_url,
        )
        for o in outlets
    ]


def serve_outlets_only(opml: str | None) -> None:
    """The outlets alone, until stopped: their sources as OPML at `opml`, and each request they
    answer as one JSON line on standard output (what a test of many workers reads)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def log_hit(hit: Hit) -> None:
        line = {"host": hit.host, "path": hit.path, "status": hit.status, "method": hit.method}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()

    with DemoWorld(port=first_free_port(), on_hit=log_hit) as world:
        if opml:
            written = write_opml(outlet_sources(world.outlets), title="actuel demo outlets")
            Path(opml).write_bytes(written)
        console.print(
            f"demo world: {len(world.outlets)} outlets on loopback"
            + (f"; their sources in {opml}" if opml else "")
            + " (Ctrl-C to stop)",
            highlight=False,
        )
        with contextlib.suppress(KeyboardInterrupt):
            while not stop.wait(0.5):
                pass


def first_free_port() -> int:
    """The first of DEMO_OUTLETS_PORTS free."""
    return next((port for port in DEMO_OUTLETS_PORTS if _free(port)), DEMO_OUTLETS_PORT)


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Stop after ingesting.")
@click.option("--port", type=int, default=None, help="Port of the site [setting web_port].")
@click.option("--host", default=None, help="Address of the site [setting web_host].")
@click.option(
    "--outlets-only",
    is_flag=True,
    help="Serve the demo's outlets alone until stopped (no ingest, no site), logging each "
    "request as a JSON line on standard output.",
)
@click.option(
    "--opml",
    type=click.Path(dir_okay=False, writable=True),
    help="With --outlets-only: write the outlets' sources to this OPML file.",
)
@common_options
def demo_command(
    settings: Settings,
    no_serve: bool,
    port: int | None,
    host: str | None,
    outlets_only: bool,
    opml: str | None,
) -> None:
    """Start the bundled demo outlets, ingest them all, then serve the site."""
    if opml and not outlets_only:
        raise click.UsageError("--opml goes with --outlets-only (`actuel sources export` else)")
    if outlets_only:
        serve_outlets_only(opml)
        return
    settings = demo_settings(settings).replace(web_port=port, web_host=host)
    with open_store(settings) as store:
        outlets_at = outlets_port(store)
    with DemoWorld(port=outlets_at) as world:
        console.print(f"demo world: {len(world.outlets)} outlets on loopback", highlight=False)
        with open_store(settings) as store:
            with Fetcher(settings, holds=store.hosts) as fetcher:
                sources = register_outlets(store, fetcher, world.outlets)
            report = ingest_once(store, settings, source_ids=[s.id for s in sources if s.id])
            print_report(report)
            stats = store.maintenance.stats()
            first_admin = create_first_admin(store)
        out.print(
            f"{stats['articles']['total']} articles from {stats['sources']['total']} "
            f"sources in {settings.db}"
        )
        if first_admin is not None:
            out.print(
                f"admin: log in at http://{settings.web_host}:{settings.web_port}/admin as "
                f"{FIRST_ADMIN} with the one-time password {first_admin} (shown once: you choose "
                "your own at the first login)",
                highlight=False,
            )
        if no_serve:
            return
        from actuel.web.server import serve

        stop = threading.Event()
        worker = threading.Thread(
            target=scheduler_loop, args=(settings, stop), daemon=True, name="actuel-scheduler"
        )
        worker.start()
        out.print(f"serving http://{settings.web_host}:{settings.web_port}/ (Ctrl-C to stop)")
        try:
            serve(settings)
        finally:
            stop.set()
            worker.join(timeout=30)
