"""`actuel cluster` and `actuel relate`: the stories stage on JSON-lines files, for research."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import IO

import click

from actuel.cli.common import common_options, console, is_quiet
from actuel.config import Settings
from actuel.stories.batch import cluster_jsonl, relate_jsonl
from actuel.stories.encoder import default_encoder


def _lines(stream: IO[str], label: str) -> Iterator[str]:
    for count, line in enumerate(stream, 1):
        if count % 10_000 == 0 and not is_quiet():
            console.print(f"{label}: {count:,} lines read", highlight=False)
        yield line


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
            sys.stdin
            if input_path == "-"
            else stack.enter_context(open(input_path, encoding="utf-8"))
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
    type=click.Path(allow_dash=True),
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
    type=click.Path(allow_dash=True),
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
