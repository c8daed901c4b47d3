"""The translation step: stored articles' titles and leads translated into the site's languages,
apart from ingest (a backend that is slow or down never holds an article back), through the
cache first, and failures kept with a time to try again."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from actuel.config import Settings
from actuel.errors import ConfigError, TranslationRefused, TranslatorUnavailable
from actuel.model import Translation
from actuel.pipeline import utcnow
from actuel.store import Store
from actuel.store.translations import TranslationFailed, TranslationWanted, text_hash
from actuel.translate.backend import Translator, route_models, translate_by_route

log = logging.getLogger("actuel.translate")

BACKENDS = ("none", "ctranslate2", "libretranslate")
ROUND = 64  # (article, language) pairs read, translated and stored together
TEXT_ROUND = 8  # whole texts translated and stored together
MAX_PIECE = 600  # characters of one piece of a whole text sent to the backend
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]*\s+(?=[\"«“(\[]?[^\W\d_]|\d)")
RETRY_AFTER = timedelta(hours=1)  # a refused pair (no model, text refused) is tried again then


def open_translator(settings: Settings) -> Translator | None:
    """The backend the settings name, or None for `none`."""
    backend = str(settings.translate_backend).strip().lower()
    if backend == "none":
        return None
    if not settings.translate_languages:
        raise ConfigError(
            f"translate_into names no language ({settings.translate_into!r})",
            fix="set ACTUEL_TRANSLATE_INTO to the site's languages, e.g. fr or fr,en",
        )
    if backend == "libretranslate":
        from actuel.fetch.libretranslate import LibreTranslate

        return LibreTranslate.from_settings(settings)
    if backend == "ctranslate2":
        from actuel.translate.local import LocalModels

        return LocalModels.from_settings(settings)
    raise ConfigError(
        f"unknown translation backend {backend!r}",
        fix=f"set ACTUEL_TRANSLATE_BACKEND to one of: {', '.join(BACKENDS)}",
    )


@dataclass
class TranslationReport:
    """What one catch-up did: pairs translated, how many texts came from the cache, failures,
    and why it stopped early (the backend down), if it did."""

    translated: int = 0
    texts: int = 0  # whole texts translated
    from_cache: int = 0
    sent: int = 0
    failed: int = 0
    paused: str | None = None
    errors: list[str] = field(default_factory=list)


def translate_pending(
    store: Store,
    translator: Translator,
    into: list[str],
    *,
    limit: int | None = None,
    redo: bool = False,
    progress: Callable[[int], None] | None = None,
    every_text: bool = False,
) -> TranslationReport:
    """Translate what is still to be, the newest articles first, round by round until nothing
    is left (or `limit` pairs are done); stops at once, keeping every round already stored,
    when the backend is down. Then whole texts: those readers asked for, or all with
    `every_text` (translate_full_text)."""
    report = TranslationReport()
    started = utcnow()
    done_pairs = 0
    while limit is None or done_pairs < limit:
        size = ROUND if limit is None else min(ROUND, limit - done_pairs)
        wanted = store.translations.wanted(
            into, size, now=utcnow(), redo_before=started if redo else None
        )
        if not wanted:
            break
        try:
            _translate_round(store, translator, wanted, report)
        except TranslatorUnavailable as exc:
            report.paused = exc.describe()
            log.warning("translation paused: %s", exc.describe())
            break
        done_pairs += len(wanted)
        if progress is not None:
            progress(len(wanted))
    if report.paused is None:
        _translate_texts(store, translator, into, every=every_text, report=report)
    return report


def _translate_texts(
    store: Store, translator: Translator, into: list[str], *, every: bool, report: TranslationReport
) -> None:
    """Whole texts readers asked for (all of them with `every`), a few articles a round."""
    while True:
        wanted = store.translations.texts_wanted(into, TEXT_ROUND, every=every)
        if not wanted:
            return
        done: list[tuple[int, str, str]] = []
        cache: dict[tuple[str, str], dict[str, str]] = {}
        models: dict[tuple[str, str], str] = {}
        for item in wanted:
            pair = (item.source_lang, item.target)
            paragraphs = [sentences(p) for p in paragraphs_of(item.text)]
            pieces = sorted({s for p in paragraphs for s in p})
            try:
                found, fresh, model = _through_cache(store, translator, pieces, pair, report)
            except TranslationRefused as exc:
                report.errors.append(exc.describe())
                continue
            except TranslatorUnavailable as exc:
                report.paused = exc.describe()
                store.translations.save_texts(
                    done, cache=cache, backend=translator.name, models=models
                )
                return
            if fresh:
                cache.setdefault(pair, {}).update(fresh)
                models[pair] = model
            text = "\n\n".join(" ".join(found[s] for s in p) for p in paragraphs)
            done.append((item.article_id, item.target, text))
        store.translations.save_texts(done, cache=cache, backend=translator.name, models=models)
        report.texts += len(done)
        if len(done) < len(wanted):  # refused ones stay asked for: try them another time
            return


def _through_cache(
    store: Store,
    translator: Translator,
    texts: list[str],
    pair: tuple[str, str],
    report: TranslationReport,
) -> tuple[dict[str, str], dict[str, str], str]:
    """Each text's translation, from the cache or else the backend: (all, the backend's new
    ones to cache, the model(s) that made them). Raises what the backend raises."""
    known = store.translations.cached((text_hash(t) for t in texts), *pair)
    found = {t: known[text_hash(t)] for t in texts if text_hash(t) in known}
    report.from_cache += len(found)
    missing = [t for t in texts if t not in found]
    if not missing:
        return found, {}, ""
    results, model = translate_by_route(translator, missing, *pair)
    fresh = dict(zip(missing, results, strict=True))
    report.sent += len(missing)
    return {**found, **fresh}, fresh, model


def paragraphs_of(text: str) -> list[str]:
    """The text's paragraphs (blank-line separated), spacing folded."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut at sentence ends, and any sentence longer than MAX_PIECE at a word: what a
    model translates best, one at a time (a local model reads 256 tokens at most)."""
    pieces = []
    for sentence in _SENTENCE_END.split(paragraph):
        while len(sentence) > MAX_PIECE:
            cut = sentence.rfind(" ", 0, MAX_PIECE)
            cut = cut if cut > MAX_PIECE // 2 else MAX_PIECE
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:]
        if sentence.strip():
            pieces.append(sentence.strip())
    return pieces


def _translate_round(
    store: Store, translator: Translator, wanted: list[TranslationWanted], report: TranslationReport
) -> None:
    groups: dict[tuple[str, str], list[TranslationWanted]] = {}
    for item in wanted:
        groups.setdefault((item.source_lang, item.target), []).append(item)
    done: list[Translation] = []
    failed: list[TranslationFailed] = []
    cache: dict[tuple[str, str], dict[str, str]] = {}
    models: dict[tuple[str, str], str] = {}
    now = utcnow()
    for (source, target), items in groups.items():
        texts = sorted({t for item in items for t in (item.title, item.lead) if t.strip()})
        try:
            translated, fresh, model = _through_cache(
                store, translator, texts, (source, target), report
            )
        except TranslationRefused as exc:
            failed.extend(_failures(items, exc.describe(), now))
            report.failed += len(items)
            report.errors.append(exc.describe())
            continue
        if fresh:
            cache[(source, target)] = fresh
            models[(source, target)] = model
        for item in items:
            done.append(
                Translation(
                    item.article_id,
                    target,
                    source,
                    translated.get(item.title) or None,
                    translated.get(item.lead) or None,
                    backend=translator.name,
                    model=model or route_models(translator, source, target),
                    translated_at=now,
                )
            )
    store.translations.save(done, failed, cache=cache, backend=translator.name, models=models)
    report.translated += len(done)


def _failures(items: list[TranslationWanted], error: str, now: datetime) -> list[TranslationFailed]:
    return [
        TranslationFailed(item.article_id, item.source_lang, item.target, error, now + RETRY_AFTER)
        for item in items
    ]


def translation_loop(
    settings: Settings, stop: threading.Event, *, idle_s: float = 15.0, pause_max_s: float = 600.0
) -> None:
    """What `actuel run` does beside ingest, in a thread of its own: translate what is new, wait
    when nothing is, and back off (up to `pause_max_s`) while the backend is down."""
    try:
        translator = open_translator(settings)
    except ConfigError as exc:
        log.error("translation off: %s", exc.describe())
        return
    if translator is None:
        return
    into = settings.translate_languages
    pause_s = idle_s
    with closing(translator), Store.open(settings.db, settings) as store:
        while not stop.is_set():
            try:
                report = translate_pending(
                    store,
                    translator,
                    into,
                    limit=ROUND * 4,
                    every_text=bool(settings.translate_full_text),
                )
            except Exception:  # the loop must outlive one bad round; the error is logged
                log.exception("translation round failed")
                report = TranslationReport(paused="unexpected error")
            if report.paused:
                stop.wait(pause_s)
                pause_s = min(pause_max_s, pause_s * 2)
                continue
            pause_s = idle_s
            if report.translated or report.texts:
                log.info(
                    "translated",
                    extra={"pairs": report.translated, "texts": report.texts, "sent": report.sent},
                )
            else:
                stop.wait(idle_s)
