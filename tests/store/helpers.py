"""Small builders for store tests: sources and articles with plausible French news values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from actuel.model import Article, Source
from actuel.store import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def add_source(store: Store, n: int = 1, **fields: Any) -> Source:
    return store.sources.add(
        Source(url=f"https://journal{n}.example.fr/rss", name=f"Journal {n}", **fields)
    )


def article(source: Source, n: int, **fields: Any) -> Article:
    assert source.id is not None
    values: dict[str, Any] = {
        "source_id": source.id,
        "url": f"https://journal.example.fr/{source.id}/article-{n}?utm_source=rss",
        "canonical_url": f"https://journal.example.fr/{source.id}/article-{n}",
        "title": f"Article numéro {n}",
        "text": f"Texte de l'article {n} sur la vie régionale.",
        "guid": f"guid-{source.id}-{n}",
        "published_at": T0 + timedelta(minutes=n),
        "language": "fr",
    }
    values.update(fields)
    return Article(**values)
