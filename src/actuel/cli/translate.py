"""`actuel translate`: catch up with the translations of stored articles (titles and leads into
the site's languages, whole texts asked for), and `actuel translate models`: what the backend
can translate."""

from __future__ import annotations

from contextlib import closing

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from actuel.cli.common import common_options, console, fail, is_quiet, open_store, out
from actuel.config import Settings
from actuel.errors import ConfigError
from actuel.translate.backend import Translator


def _backend_or_fail(settings: Settings) -> Translator:
    from actuel.pipeline.translation import open_translator

    translator = open_translator(settings)
    if translator is None:
        raise ConfigError(
            "no translation backend is set (translate_backend = none)",
            fix="set ACTUEL_TRANSLATE_BACKEND=libretranslate (and ACTUEL_TRANSLATE_URL) or "
            "ctranslate2 (and ACTUEL_TRANSLATE_MODELS_DIR): README, Translation",
        )
    return translator


@click.group("translate", invoke_without_command=True)
@click.option("--redo", is_flag=True, help="Translate again what was already translated.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many translations.")
@common_options
@click.pass_context
def translate_group(ctx: click.Context, settings: Settings, redo: bool, limit: int | None) -> None:
    """Translate the titles and leads of stored articles into the site's languages
    (translate_into), the newest first; resumable, and safe beside `actuel run`."""
    if ctx.invoked_subcommand is not None:
        return
    from actuel.pipeline.translation import translate_pending

    translator = _backend_or_fail(settings)
    into = settings.translate_languages
    columns = (
        TextColumn("[bold]translating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with (
        closing(translator),
        open_store(settings) as store,
        Progress(*columns, console=console, disable=is_quiet()) as progress,
    ):
        pending = store.translations.counts(into)["pending"]
        task = progress.add_task("translating", total=None if redo else pending)
        report = translate_pending(
            store,
            translator,
            into,
            limit=limit,
            redo=redo,
            progress=lambda n: progress.advance(task, n),
            every_text=bool(settings.translate_full_text),
        )
    if not is_quiet():
        out.print(
            f"translated {report.translated:,} titles and leads and {report.texts:,} whole texts "
            f"into {', '.join(into)} "
            f"({report.sent:,} texts sent to {translator.name}, {report.from_cache:,} from the "
            f"cache); {report.failed:,} failed"
        )
        for error in sorted(set(report.errors))[:5]:
            console.print(f"[yellow]refused:[/] {error}", highlight=False)
    if report.paused:
        fail(f"stopped: {report.paused}; what was translated is kept, run it again later")


@translate_group.command("models")
@common_options
def models_command(settings: Settings) -> None:
    """What the backend translates, against the languages of the stored articles: direct,
    through English, or missing."""
    from actuel.translate.backend import route, route_models

    translator = _backend_or_fail(settings)
    into = settings.translate_languages
    with closing(translator), open_store(settings, readonly=True) as store:
        stored = store.maintenance.stats()["articles"]["by_language"]
        pairs = translator.pairs()
    table = Table(title=f"{translator.name}: pairs the stored articles need")
    for column in ("from", "into", "articles", "route", "model"):
        table.add_column(column)
    missing = 0
    for source, count in sorted(stored.items(), key=lambda kv: -kv[1]):
        if not source or source in ("und", "zxx"):
            continue
        for target in into:
            if target == source:
                continue
            found = route(pairs, source, target)
            if found is None:
                missing += 1
            how = "missing" if found is None else "via en" if found.pivoted else "direct"
            model = route_models(translator, source, target) if found else ""
            table.add_row(source, target, f"{count:,}", how, model)
    out.print(table)
    direct = Table(title=f"{translator.name}: pairs translated directly")
    for column in ("from", "into", "model"):
        direct.add_column(column)
    for source, target in sorted(pairs):
        direct.add_row(source, target, translator.model(source, target))
    out.print(direct)
    if missing:
        out.print(f"{missing} pair(s) missing: those articles stay shown in their language")
