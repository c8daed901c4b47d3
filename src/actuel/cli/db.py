"""`actuel db …`: migrate, check, back up and prune the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click

from actuel.cli.common import common_options, open_store, out
from actuel.config import Settings
from actuel.errors import StoreError


@click.group("db")
def db_group() -> None:
    """Migrate, check, back up and prune the database."""


@db_group.command("migrate")
@common_options
def migrate_command(settings: Settings) -> None:
    """Bring the schema to the current version (opening the database does it too)."""
    with open_store(settings) as store:
        out.print(f"database {store.label} is at the current schema")


@db_group.command("check")
@common_options
def check_command(settings: Settings) -> None:
    """Run the database's integrity check; exit 1 when it finds a problem."""
    with open_store(settings) as store:
        problems = store.maintenance.integrity_check()
        label = store.label
    if problems:
        for problem in problems:
            out.print(f"[red]{problem}[/red]")
        raise StoreError(
            f"integrity check found {len(problems)} problem(s)",
            fix="restore the last backup (actuel db backup makes them)",
            source=label,
        )
    out.print(f"database {label}: integrity ok")


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@common_options
def backup_command(settings: Settings, path: str) -> None:
    """Copy the live SQLite database to PATH, consistently, while it is in use."""
    with open_store(settings) as store:
        store.maintenance.backup(path)
    out.print(f"backed up to {path}")


@db_group.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    help="Keep this many days of fetch log (default: the fetch_log_keep_days setting).",
)
@common_options
def prune_command(settings: Settings, days: int | None) -> None:
    """Drop old fetch log rows (articles and stories are never pruned)."""
    before = datetime.now(UTC) - timedelta(days=days) if days is not None else None
    with open_store(settings) as store:
        removed = store.fetches.prune(before)
    out.print(f"removed {removed} fetch log rows")
