"""A small portal written by hand: outlets in two languages and categories, an English report with
its French translation and a copy, stories placed directly, and outside text carrying HTML payloads.

The pages are checked against it without depending on the clustering step's choices."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from actuel.config import Settings
from actuel.model import Article, Source
from actuel.store import Store
from actuel.store.stories import MemberRow, StoryUpdate
from actuel.web.app import create_app
from tests.support.webserver import running

# Outside text as an attacker would write it: each must reach the page as text, never as markup.
PAYLOADS = (
    "<script>alert('title')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '"><a href="javascript:alert(1)">clic</a>',
    "</script><script>alert('ld')</script>",
)
REPORT_TEXT = (
    "Northbridge harbour authorities opened an inquiry on Monday into the purchase of armoured "
    "vehicles, after auditors found that the contract had been signed twice. "
) * 12
TRANSLATION_TEXT = (
    "Les autorités du port de Northbridge ont ouvert lundi une enquête sur l'achat de véhicules "
    "blindés, après que des auditeurs ont découvert que le contrat avait été signé deux fois. "
) * 12
START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


@dataclass
class Portal:
    """What the tests compare pages with."""

    client: httpx.Client
    store: Store
    settings: Settings
    sources: dict[str, Source] = field(default_factory=dict)
    articles: dict[str, int] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


def _article(
    source: Source, slug: str, title: str, text: str, lang: str, hours: int, **extra: Any
) -> Article:
    assert source.id is not None
    url = f"{source.site_url}/{slug}"
    return Article(
        source_id=source.id,
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        language=lang,
        published_at=START + timedelta(hours=hours),
        first_seen_at=START + timedelta(hours=hours, minutes=5),
        **extra,
    )


def build(
    store: Store, *, stories: bool = True
) -> tuple[dict[str, Source], dict[str, int], dict[str, str]]:
    """Write the portal's outlets, articles and (unless told not to) stories into `store`."""
    outlets = {
        "meridian": Source(
            url="https://meridian.example/feed.xml",
            name="The Meridian Post",
            lang="en",
            category="international",
            site_url="https://meridian.example",
        ),
        "kalaba": Source(
            url="https://kalaba.example/rss",
            name="Kalaba Matin",
            lang="fr",
            category="regional",
            site_url="https://kalaba.example",
        ),
        "echo": Source(
            url="https://echo.example/feed",
            name="L'Écho <b>des Collines</b>",
            lang="fr",
            category="regional",
            site_url="https://echo.example",
        ),
    }
    sources = {key: store.sources.add(source) for key, source in outlets.items()}
    meridian, kalaba, echo = sources["meridian"], sources["kalaba"], sources["echo"]
    written = {
        "report": _article(
            meridian,
            "northbridge-inquiry",
            "Northbridge opens inquiry into armoured vehicles",
            REPORT_TEXT,
            "en",
            0,
            author="Jane Ryder",
            image="https://meridian.example/img/harbour.jpg",
        ),
        "translation": _article(
            kalaba,
            "enquete-northbridge",
            "Northbridge ouvre une enquête sur des blindés",
            TRANSLATION_TEXT,
            "fr",
            3,
        ),
        "copy": _article(
            echo,
            "blindes",
            "Northbridge ouvre une enquête sur des blindés " + PAYLOADS[4],
            TRANSLATION_TEXT + "\n\n" + PAYLOADS[0] + " " + PAYLOADS[2],
            "fr",
            5,
            author=PAYLOADS[1],
        ),
        "evil": _article(
            echo,
            "piege",
            "Fête des vendanges " + PAYLOADS[0] + PAYLOADS[3],
            "La fête a réuni le village. " * 20 + PAYLOADS[1],
            "fr",
            8,
            author=PAYLOADS[2],
            image="javascript:alert(1)",
        ),
    }
    # Older French news from Kalaba Matin, each its own story, so that listings have pages.
    for n in range(5):
        written[f"local-{n}"] = _article(
            kalaba,
            f"local-{n}",
            f"Conseil municipal, séance {n + 1}",
            f"Le conseil municipal a voté le budget de la séance {n + 1}. " * 10,
            "fr",
            -24 * (n + 1),
        )
    ids: dict[str, int] = {}
    urls: dict[str, str] = {}
    for key, article in written.items():
        ids[key], _ = store.articles.upsert(article)
        urls[key] = article.url
    if not stories:
        return sources, ids, urls
    store.stories.save(
        StoryUpdate(
            key="northbridge",
            members=[
                MemberRow(ids["report"], "original"),
                MemberRow(ids["translation"], "translation", ids["report"], 0.93),
                MemberRow(ids["copy"], "copy", ids["translation"], 0.97, {"contain_max": 0.98}),
            ],
            original_article_id=ids["report"],
        )
    )
    store.stories.save(
        StoryUpdate(
            key="vendanges",
            members=[MemberRow(ids["evil"], "original")],
            original_article_id=ids["evil"],
        )
    )
    for n in range(5):
        store.stories.save(
            StoryUpdate(
                key=f"conseil-{n}",
                members=[MemberRow(ids[f"local-{n}"], "original")],
                original_article_id=ids[f"local-{n}"],
            )
        )
    return sources, ids, urls


@contextmanager
def serve(settings: Settings, *, stories: bool = True, **changes: object) -> Iterator[Portal]:
    """The portal on a loopback uvicorn; `changes` are settings (identity, page size…)."""
    settings = settings.replace(site_page_size=3, **changes)
    with Store.open(settings.db, settings) as store:
        sources, ids, urls = build(store, stories=stories)
        with running(create_app(settings, store)) as base, httpx.Client(base_url=base) as client:
            yield Portal(client, store, settings, sources, ids, urls)
