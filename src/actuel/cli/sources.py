"""`actuel sources …`: add (with discovery), list, pause, resume, remove, import and export OPML."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.table import Table

from actuel.cli.common import common_options, console, open_store, out
from actuel.config import Settings
from actuel.errors import ActuelError, DuplicateSourceError
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind, SourceState
from actuel.operations import source_fields
from actuel.parse.opml import parse_opml, write_opml
from actuel.pipeline.discovery import discover, new_source
from actuel.sources import state
from actuel.sources.discovery import normalize_source_url


@click.group("sources")
def sources_group() -> None:
    """Register, list, pause, resume, remove, import and export the sources to poll."""


def _source_row(source: Source) -> dict[str, object]:
    return {
        **source_fields(source),
        "interval_s": source.interval_s,
        "last_polled_at": source.last_polled_at.isoformat() if source.last_polled_at else None,
        "next_poll_at": source.next_poll_at.isoformat() if source.next_poll_at else None,
    }


@sources_group.command("add")
@click.argument("url")
@click.option("--name", help="Name shown on the site (default: the feed's title).")
@click.option("--lang", help="Language of the source, e.g. fr (default: detected).")
@click.option("--category", help="Category of the source's articles, e.g. economie.")
@click.option("--interval", type=int, help="Seconds between polls (default: adaptive).")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in SourceKind]),
    help="Skip discovery: register the URL as this kind.",
)
@common_options
def add_command(
    settings: Settings,
    url: str,
    name: str | None,
    lang: str | None,
    category: str | None,
    interval: int | None,
    kind: str | None,
) -> None:
    """Register URL: a feed, a sitemap, or a home page whose feeds are discovered."""
    url = normalize_source_url(url)
    fields = {"name": name, "lang": lang, "category": category, "interval_s": interval}
    if kind:
        source = new_source(url, None, kind=SourceKind(kind), **fields)
    else:
        with (
            open_store(settings) as store,
            Fetcher(settings, holds=store.hosts) as fetcher,
            console.status(f"discovering {url}"),
        ):
            found = discover(url, fetcher)
        source = new_source(url, found, **fields)
        if found.url != url:
            console.print(f"found {found.kind.value} {found.url}", highlight=False)
    with open_store(settings) as store:
        added = store.sources.add(source)
    out.print(f"added source {added.id}: {added.name} ({added.kind.value}) {added.url}")


@sources_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of a table.")
@common_options
def list_command(settings: Settings, as_json: bool) -> None:
    """List sources with their state and last error."""
    with open_store(settings) as store:
        sources = store.sources.all()
    if as_json:
        out.print(json.dumps([_source_row(s) for s in sources], ensure_ascii=False, indent=2))
        return
    table = Table()
    for column in ("id", "name", "kind", "lang", "state", "url", "last error"):
        table.add_column(column)
    for s in sources:
        table.add_row(
            str(s.id), s.name, s.kind.value, s.lang or "", s.state.value, s.url, s.last_error or ""
        )
    out.print(table)


@sources_group.command("remove")
@click.argument("source", metavar="ID|URL")
@common_options
def remove_command(settings: Settings, source: str) -> None:
    """Remove a source and its articles."""
    key = _source_key(source)
    with open_store(settings) as store:
        found = store.sources.get(key)
        removed = store.sources.remove(key)
    out.print(f"removed source {found.id} ({found.url}) and its {removed} articles")


def _source_key(source: str) -> int | str:
    return int(source) if source.isdigit() else source


@sources_group.command("pause")
@click.argument("source", metavar="ID|URL")
@common_options
def pause_command(settings: Settings, source: str) -> None:
    """Stop polling a source; its articles stay on the site."""
    with open_store(settings) as store:
        found = store.sources.get(_source_key(source))
        store.sources.update(replace(found, state=SourceState.PAUSED))
    out.print(f"paused source {found.id} ({found.url})")


@sources_group.command("resume")
@click.argument("source", metavar="ID|URL")
@common_options
def resume_command(settings: Settings, source: str) -> None:
    """Poll a paused, failing or disabled source again, at the next pass."""
    with open_store(settings) as store:
        found = store.sources.get(_source_key(source))
        store.sources.update(state.enabled(found))
    out.print(f"resumed source {found.id} ({found.url}): polled at the next pass")


@sources_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@common_options
def import_command(settings: Settings, file: str) -> None:
    """Register every feed of an OPML file (existing ones are skipped)."""
    data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        outlines = parse_opml(data)
    except ActuelError as exc:
        exc.source = exc.source or file
        raise
    added = skipped = 0
    with open_store(settings) as store:
        for outline in outlines:
            source = Source(
                url=normalize_source_url(outline.url),
                name=outline.title or "",
                category=outline.category,
                lang=outline.lang,
                site_url=outline.site_url,
            )
            try:
                store.sources.add(
                    new_source(
                        source.url,
                        None,
                        kind=SourceKind(outline.kind or "feed"),
                        name=source.name or None,
                        category=source.category,
                        lang=source.lang,
                        site_url=source.site_url,
                    )
                )
                added += 1
            except DuplicateSourceError:
                skipped += 1
    out.print(f"imported {added} sources from {file} ({skipped} already registered)")


@sources_group.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@common_options
def export_command(settings: Settings, file: str | None) -> None:
    """Write every source as OPML 2.0 (to FILE, or standard output)."""
    with open_store(settings) as store:
        data = write_opml(store.sources.all())
    if file and file != "-":
        Path(file).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
