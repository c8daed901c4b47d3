"""The `actuel` command line: thin shells over the pipeline and the store."""

from __future__ import annotations

import click

from actuel import __version__


@click.group()
@click.version_option(__version__, prog_name="actuel")
def main() -> None:
    """actuel: a news aggregator that knows where every story came from."""
