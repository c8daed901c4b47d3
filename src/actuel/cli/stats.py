"""`actuel stats`: counts of sources, articles, fetches and errors."""

from __future__ import annotations

import json

import click
from rich.table import Table

from actuel.cli.common import common_options, open_store, out
from actuel.config import Settings


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@common_options
def stats_command(settings: Settings, as_json: bool) -> None:
    """Counts: sources by state, articles by language and source, translations, fetches,
    errors."""
    with open_store(settings) as store:
        stats = store.maintenance.stats()
        into = settings.translate_languages
        stats["translations"] = {"into": into, **store.translations.counts(into)}
    if as_json:
        out.print(json.dumps(stats, ensure_ascii=False, indent=2, default=str), markup=False)
        return
    sources, articles, fetches = stats["sources"], stats["articles"], stats["fetches"]
    out.print(
        f"[bold]sources[/]: {sources['total']} "
        + " ".join(f"{k}={v}" for k, v in sorted(sources["by_state"].items()))
    )
    out.print(
        f"[bold]articles[/]: {articles['total']} "
        + " ".join(
            f"{k}={v}"
            for k, v in sorted(articles["by_language"].items(), key=lambda kv: str(kv[0]))
        )
    )
    translated = stats["translations"]
    out.print(
        f"[bold]translations[/] into {','.join(translated['into'])}: "
        f"translated={translated['translated']} pending={translated['pending']} "
        f"failed={translated['failed']}"
    )
    out.print(f"[bold]fetches[/]: {fetches['total']} ({fetches.get('errors', 0)} errors)")
    table = Table(title="articles by source")
    table.add_column("source")
    table.add_column("articles", justify="right")
    for name, count in sorted(articles["by_source"].items(), key=lambda kv: -kv[1]):
        table.add_row(str(name), str(count))
    out.print(table)
    if stats.get("errors"):
        errors = Table(title="sources in error")
        for column in ("source", "errors", "last error"):
            errors.add_column(column)
        for e in stats["errors"]:
            errors.add_row(
                str(e.get("source")), str(e.get("error_count")), str(e.get("last_error"))
            )
        out.print(errors)
