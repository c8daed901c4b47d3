"""`actuel worker`: run ingest jobs from the queue kept in PostgreSQL, beside other workers."""

from __future__ import annotations

import click

from actuel.cli.common import common_options
from actuel.config import Settings


@click.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Jobs this process runs at once.",
)
@click.option(
    "--until-idle",
    is_flag=True,
    help="Exit once no job waits or runs anywhere (after queueing the sources due now).",
)
@common_options
def worker_command(settings: Settings, concurrency: int, until_idle: bool) -> None:
    """Poll sources, extract and store their articles, and place them in stories, as jobs of a
    queue in PostgreSQL: as many workers as wanted, on as many machines. PostgreSQL only; on
    SQLite, `actuel run` does it all in one process."""
    from actuel.pipeline.jobs import Jobs, conninfo

    conninfo(settings)  # refuses SQLite before anything starts
    jobs = Jobs(settings)
    try:
        jobs.run(concurrency=concurrency, until_idle=until_idle)
    finally:
        jobs.close()
