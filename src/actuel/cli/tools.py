"""`actuel extract` and `actuel parse`: run one stage on saved files, print JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from actuel.cli.common import common_options, out
from actuel.config import Settings
from actuel.enrich import detect_language
from actuel.errors import ActuelError
from actuel.extract import extract_page
from actuel.extract.report import page_report
from actuel.model import Feed, FeedItem
from actuel.parse import parse_feed


def _inputs(files: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    for name in files:
        if name == "-":
            yield "-", sys.stdin.buffer.read()
        else:
            yield name, Path(name).read_bytes()


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _emit(objects: list[dict[str, Any]]) -> None:
    if len(objects) == 1:
        out.print(json.dumps(objects[0], ensure_ascii=False, indent=2, default=_iso), markup=False)
    else:
        for obj in objects:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_iso) + "\n")


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--url", help="URL the page came from (resolves relative links, canonical URL).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@common_options
def extract_command(settings: Settings, files: tuple[str, ...], url: str | None, fmt: str) -> None:
    """Extract main text and metadata from saved HTML pages (`-` reads standard input)."""
    reports = []
    for path, data in _inputs(files):
        page = extract_page(data, url=url, max_bytes=settings.extract_max_html_bytes)
        if page.text and not page.language:
            page.language = detect_language(page.text, title=page.title)
        elif page.text:
            page.language = (
                detect_language(page.text, title=page.title, hint=page.language) or page.language
            )
        reports.append(page_report(path, page))
    if fmt == "text":
        for report in reports:
            if len(reports) > 1:
                sys.stdout.write(f"==> {report['path']} <==\n")
            sys.stdout.write(f"{report.get('title') or ''}\n\n{report.get('text') or ''}\n")
        return
    _emit(reports)


def _item_json(item: FeedItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "link": item.link,
        "id": item.guid,
        "published": item.published_at,
        "updated": item.updated_at,
        "author": item.author,
        "summary": item.summary,
        "content": item.content,
        "language": item.language,
        "image": item.image,
        "enclosures": [{"url": e.url, "type": e.type, "length": e.length} for e in item.enclosures],
    }


def feed_json(path: str, feed: Feed) -> dict[str, Any]:
    return {
        "path": path,
        "format": feed.format,
        "parser": feed.parser,
        "title": feed.title,
        "link": feed.link,
        "language": feed.language,
        "description": feed.description,
        "updated": feed.updated_at,
        "notes": feed.notes,
        "sitemaps": feed.sitemaps,
        "items": [_item_json(i) for i in feed.items],
    }


@click.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--url", help="URL the feed came from (resolves relative links).")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@common_options
def parse_command(settings: Settings, files: tuple[str, ...], url: str | None, fmt: str) -> None:
    """Parse saved feed or sitemap files and print their items (`-` reads standard input)."""
    results = []
    failed = False
    for path, data in _inputs(files):
        try:
            feed = parse_feed(data, url=url, max_items=settings.parse_max_items)
        except ActuelError as exc:
            exc.source = exc.source or path
            results.append({"path": path, "error": exc.describe(), "code": exc.code})
            failed = True
            continue
        results.append(feed_json(path, feed))
    _emit(results)
    if failed:
        sys.exit(1)
