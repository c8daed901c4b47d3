"""`actuel cluster` and `actuel relate` (the stories stage on JSON-lines files, for research) and
`actuel stories rebuild` (place stored articles that are in no story)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import IO

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from actuel.cli.common import common_options, console, is_quiet, open_store, out
from actuel.config import Settings
from actuel.errors import ConfigError, StoriesInputError
from actuel.stories.batch import cluster_jsonl, relate_jsonl
from actuel.stories.encoder import default_encoder


def _lines(stream: IO[bytes], label: str) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that a bad byte is named by its line."""
    for count, raw in enumerate(stream, 1):
        if count % 10_000 == 0 and not is_quiet():
            console.print(f"{label}: {count:,} lines read", highlight=False)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StoriesInputError(
                f"not UTF-8 ({exc.reason} at byte {exc.start + 1} of the line)",
                fix="save the file as UTF-8, the encoding of JSON lines",
                source=f"{label} line {count}",
            ) from None


def _write(rows: Iterator[dict[str, object]], output: IO[str]) -> int:
    written = 0
    for row in rows:
        output.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        written += 1
    return written


def _run(
    input_path: str,
    output_path: str | None,
    answer: Callable[[Iterator[str]], Iterator[dict[str, object]]],
) -> None:
    """Read JSON lines from a file or stdin, write one answer per line to a file or stdout."""
    with ExitStack() as stack:
        source = (
            sys.stdin.buffer if input_path == "-" else stack.enter_context(open(input_path, "rb"))
        )
        to_file = bool(output_path) and output_path != "-"
        target = (
            stack.enter_context(open(str(output_path), "w", encoding="utf-8"))
            if to_file
            else sys.stdout
        )
        written = _write(answer(_lines(source, input_path)), target)
    if to_file and not is_quiet():
        console.print(f"{written:,} lines written to {output_path}", highlight=False)


@click.command("cluster")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="JSON lines: id, title, text, and optional url, published_at, lang, source.",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(allow_dash=True, dir_okay=False),
    help="Where to write one line per article (default: standard output).",
)
@common_options
def cluster_command(settings: Settings, input_path: str, output_path: str | None) -> None:
    """Group articles into stories: story_id, relation, derived_from, confidence, original."""
    encoder = default_encoder(settings)
    _run(
        input_path,
        output_path,
        lambda lines: cluster_jsonl(
            lines, encoder=encoder, label=input_path, window_days=settings.stories_window_days
        ),
    )


@click.command("relate")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="JSON lines: id, a, b (each an article object as for `cluster`).",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(allow_dash=True, dir_okay=False),
    help="Where to write one line per pair (default: standard output).",
)
@common_options
def relate_command(settings: Settings, input_path: str, output_path: str | None) -> None:
    """Score pairs: same_story in [0, 1], relation, direction (derived -> source), confidence."""
    encoder = default_encoder(settings)
    _run(
        input_path,
        output_path,
        lambda lines: relate_jsonl(lines, encoder=encoder, label=input_path),
    )


@click.group("stories")
def stories_group() -> None:
    """Stories kept in the store."""


@stories_group.command("rebuild")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    help="Only articles dated from this day (UTC) on [default: the oldest article].",
)
@common_options
def rebuild_command(settings: Settings, since: datetime | None) -> None:
    """Place stored articles that are in no story: an archive import, or articles stored while
    stories were off. Oldest first, each beside the articles of its own days; resumable (run it
    again after an interruption). Best run while no ingest is running."""
    if not settings.stories:
        raise ConfigError(
            "the stories step is turned off (stories = false)",
            fix="set ACTUEL_STORIES=true (or stories = true in the config file) to rebuild stories",
        )
    from actuel.pipeline.stories_step import StoriesStep

    start = since.replace(tzinfo=UTC) if since is not None else None
    columns = (
        TextColumn("[bold]placing articles"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with (
        open_store(settings) as store,
        Progress(*columns, console=console, disable=is_quiet()) as progress,
    ):
        task = progress.add_task("placing", total=None)
        step = StoriesStep(store, settings)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        placed = step.rebuild(start, on_progress=advance)
    if not is_quiet():
        out.print(f"placed {placed:,} articles in stories")
