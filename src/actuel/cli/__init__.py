"""The `actuel` command line: thin shells over the pipeline and the store."""

from __future__ import annotations

import click

from actuel import __version__
from actuel.cli.admin import admin_group
from actuel.cli.db import db_group
from actuel.cli.demo import demo_command
from actuel.cli.ingest import fetch_command, reprocess_command, run_command
from actuel.cli.sources import sources_group
from actuel.cli.stats import stats_command
from actuel.cli.stories import cluster_command, relate_command, stories_group
from actuel.cli.tools import extract_command, parse_command
from actuel.cli.translate import translate_group
from actuel.cli.worker import worker_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="actuel")
def main() -> None:
    """actuel: a news aggregator that knows where every story came from."""


for command in (
    demo_command,
    sources_group,
    fetch_command,
    run_command,
    worker_command,
    reprocess_command,
    extract_command,
    parse_command,
    stats_command,
    cluster_command,
    relate_command,
    stories_group,
    translate_group,
    db_group,
    admin_group,
):
    main.add_command(command)
