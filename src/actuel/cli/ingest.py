"""`actuel fetch`, `actuel run` and `actuel reprocess`: ingest passes, scheduler, re-extraction."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from actuel.cli.common import common_options, console, is_quiet, open_store, out
from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.pipeline.ingest import Ingestor, PassReport
from actuel.pipeline.reprocess import reprocess
from actuel.store import Store

log = logging.getLogger("actuel.cli")


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=is_quiet(),
        transient=False,
    )


def ingest_once(
    store: Store,
    settings: Settings,
    *,
    source_ids: list[int] | None = None,
    show_progress: bool = True,
) -> PassReport:
    """One pass over the due sources (or the given ones), with a progress bar."""
    sources = [store.sources.get(i) for i in source_ids] if source_ids else None
    with Fetcher(settings, holds=store.hosts) as fetcher, progress_bar() as progress:
        task = progress.add_task("ingesting", total=None, visible=show_progress)

        def advance(_what: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        with Ingestor(store, fetcher, settings, on_progress=advance) as ingestor:
            return ingestor.run_pass(sources)


def print_report(report: PassReport) -> None:
    table = Table(
        title=f"ingest pass: {report.new_articles} new articles in {report.elapsed_s:.1f} s",
        show_lines=False,
    )
    for column in ("source", "items", "new", "updated", "feed only", "status"):
        table.add_column(column)
    for r in report.sources:
        status = "not modified" if r.not_modified else (r.error or "ok")
        table.add_row(
            r.source.name or r.source.url,
            str(r.items),
            str(r.new_articles),
            str(r.updated_articles),
            str(r.feed_only),
            f"[red]{status}[/]" if r.error else status,
        )
    notes = []
    if report.retried_pages:
        notes.append(f"{report.retried_pages} pages recovered after an earlier failure")
    if report.images:
        notes.append(f"{report.images} images kept as local copies")
    if notes:
        table.caption = "; ".join(notes)
    out.print(table)


@click.command("fetch")
@click.option(
    "--source",
    "source_ids",
    type=int,
    multiple=True,
    help="Only this source id (repeatable), due or not.",
)
@common_options
def fetch_command(settings: Settings, source_ids: tuple[int, ...]) -> None:
    """One pass over every due source: fetch, parse, extract, store."""
    with open_store(settings) as store:
        report = ingest_once(store, settings, source_ids=list(source_ids) or None)
    if not is_quiet():
        print_report(report)


def scheduler_loop(settings: Settings, stop: threading.Event, *, idle_s: float = 30.0) -> None:
    """Run ingest passes until `stop` is set, sleeping until the next source is due."""
    with open_store(settings) as store:
        while not stop.is_set():
            try:
                report = ingest_once(store, settings, show_progress=False)
                log.info(
                    "pass done",
                    extra={
                        "new_articles": report.new_articles,
                        "errors": len(report.errors),
                        "elapsed_s": round(report.elapsed_s, 2),
                    },
                )
            except Exception:  # the loop must outlive one bad pass; the error is logged
                log.exception("ingest pass failed")
            upcoming = [
                s.next_poll_at
                for s in store.sources.all()
                if s.next_poll_at and s.state in ("active", "error")
            ]
            wait_s = idle_s
            if upcoming:
                wait_s = max(1.0, min(idle_s, (min(upcoming) - datetime.now(UTC)).total_seconds()))
            stop.wait(wait_s)


@click.command("run")
@click.option("--host", default=None, help="Address to listen on [setting web_host].")
@click.option("--port", type=int, default=None, help="Port to listen on [setting web_port].")
@common_options
def run_command(settings: Settings, host: str | None, port: int | None) -> None:
    """Poll sources on schedule and serve the site, in one process."""
    from actuel.pipeline.translation import translation_loop
    from actuel.web.server import serve

    settings = settings.replace(web_host=host, web_port=port)
    with open_store(settings) as store:  # create or migrate the schema before the two halves
        if not store.users.count_admins():
            console.print(
                "[yellow]no admin yet[/]: create one with `actuel admin create-user NAME`, "
                f"then log in at http://{settings.web_host}:{settings.web_port}/admin",
                highlight=False,
            )
    stop = threading.Event()
    worker = threading.Thread(
        target=scheduler_loop, args=(settings, stop), daemon=True, name="actuel-scheduler"
    )
    worker.start()
    translator = threading.Thread(
        target=translation_loop, args=(settings, stop), daemon=True, name="actuel-translate"
    )
    if str(settings.translate_backend).strip().lower() != "none":
        translator.start()
    try:
        serve(settings)
    finally:
        stop.set()
        worker.join(timeout=30)
        if translator.is_alive():
            translator.join(timeout=30)


@click.command("reprocess")
@common_options
def reprocess_command(settings: Settings) -> None:
    """Re-extract every article from its stored raw HTML, without fetching."""
    with open_store(settings) as store, progress_bar() as progress:
        task = progress.add_task("re-extracting", total=store.articles.count())
        count = reprocess(store, settings, on_progress=lambda n: progress.update(task, completed=n))
    if not is_quiet():
        out.print(f"re-extracted {count} articles from their stored pages")
