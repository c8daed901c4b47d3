"""What the admin pages and the write API both do: discover, add, edit, pause, resume a source;
moderate comments in bulk; what they (and the CLI) say of a source. Thin shells over the pipeline
and the store."""

from __future__ import annotations

import re
from dataclasses import replace

from actuel.config import Settings
from actuel.fetch import Fetcher
from actuel.model import Source, SourceKind, SourceState
from actuel.pipeline.discovery import DiscoveryResult, discover, new_source
from actuel.sources import state
from actuel.sources.discovery import normalize_source_url
from actuel.store import Store

MODERATION = {"approve": "published", "spam": "spam", "delete": "deleted"}
MAX_BULK = 500
MAX_NAME = 200
MAX_SOURCE_ID = 2**31 - 1  # past it no row exists, and the database could not even bind it
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639-1 or -3, as articles' languages are kept
CATEGORY_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # a slug: it is part of /categories/…


def source_fields(source: Source) -> dict[str, object]:
    """What the write API and `actuel sources list --json` both say of a source."""
    return {
        "id": source.id,
        "url": source.url,
        "name": source.name,
        "kind": str(source.kind),
        "lang": source.lang,
        "category": source.category,
        "state": str(source.state),
        "error_count": source.error_count,
        "last_error": source.last_error,
    }


def edit_source(store: Store, source_id: int, *, name: str, category: str, lang: str) -> Source:
    """A source renamed, filed under another category, or given another language (empty: none;
    the language is then detected per article). ValueError names a field that cannot be kept."""
    name, category, lang = " ".join(name.split()), category.strip().lower(), lang.strip().lower()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise ValueError("name")
    if category and not CATEGORY_CODE.fullmatch(category):
        raise ValueError("category")
    if lang and not LANGUAGE_CODE.fullmatch(lang):
        raise ValueError("lang")
    edited = replace(
        store.sources.get(source_id), name=name, category=category or None, lang=lang or None
    )
    store.sources.update(edited)
    return edited


def preview(settings: Settings, url: str, store: Store | None = None) -> DiscoveryResult:
    """What registering `url` would poll (fetches it; FetchError and ParseError on failure);
    with `store`, the waits hosts asked of any process hold."""
    with Fetcher(settings, holds=store.hosts if store is not None else None) as fetcher:
        return discover(normalize_source_url(url), fetcher)


def add_source(
    store: Store,
    settings: Settings,
    url: str,
    *,
    kind: str | None = None,
    discover_first: bool = True,
    **fields: str | None,
) -> Source:
    """Register a source: discovered from its URL, or taken as `kind` as is."""
    clean = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items()}
    if kind:
        source = new_source(normalize_source_url(url), None, kind=SourceKind(kind), **clean)
    elif discover_first:
        source = new_source(url, preview(settings, url, store), **clean)
    else:
        source = new_source(normalize_source_url(url), None, **clean)
    return store.sources.add(source)  # DuplicateSourceError when its URL is known


def pause(store: Store, source_id: int) -> Source:
    found = store.sources.get(source_id)
    paused = replace(found, state=SourceState.PAUSED)
    store.sources.update(paused)
    return paused


def resume(store: Store, source_id: int) -> Source:
    resumed = state.enabled(store.sources.get(source_id))
    store.sources.update(resumed)
    return resumed


def moderate(store: Store, action: str, ids: list[int]) -> int:
    """Approve, mark as spam or delete these comments; how many changed."""
    if action not in MODERATION:
        raise ValueError(action)
    return store.comments.set_status(ids[:MAX_BULK], MODERATION[action])
