"""Options every command shares (--db, --config, --verbose, --quiet) and the objects they build."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console

from actuel.config import Settings, load_settings
from actuel.errors import ActuelError
from actuel.logs import configure_logging

F = TypeVar("F", bound=Callable[..., Any])

console = Console(stderr=True)
out = Console(soft_wrap=True, highlight=False)


def common_options(func: F) -> F:
    """Add --db, --config, --verbose and --quiet, and pass `settings` to the command."""

    @click.option(
        "--db",
        "db",
        metavar="PATH|URL",
        help="SQLite file or postgresql:// URL [env ACTUEL_DB; default ./actuel.db].",
    )
    @click.option(
        "--config",
        "config_file",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="TOML file of settings [env ACTUEL_CONFIG].",
    )
    @click.option("-v", "--verbose", is_flag=True, help="Log debug details.")
    @click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors; no progress bars.")
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        db: str | None,
        config_file: str | None,
        verbose: bool,
        quiet: bool,
        **kwargs: Any,
    ) -> Any:
        try:
            settings = load_settings(config_file, db=db)
        except ActuelError as exc:
            fail(exc)
        level = "debug" if verbose else "warning" if quiet else settings.log_level
        configure_logging(level, settings.log_format)
        ctx = click.get_current_context()
        ctx.meta["quiet"] = quiet
        with handle_errors():
            return func(*args, settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


def fail(exc: ActuelError | str, code: int = 1) -> None:
    """Print an error that names the fix, and exit."""
    message = exc.describe() if isinstance(exc, ActuelError) else exc
    console.print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    sys.exit(code)


@contextmanager
def handle_errors() -> Iterator[None]:
    try:
        yield
    except ActuelError as exc:
        fail(exc)


def is_quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("quiet"))


def open_store(settings: Settings, *, readonly: bool = False) -> Any:
    from actuel.store import Store

    return Store.open(settings.db, settings, readonly=readonly)


def as_settings(settings: Settings, **changes: Any) -> Settings:
    return settings.replace(**changes)
