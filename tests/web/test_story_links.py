"""Story links stay valid after a merge, and outside text in story pages is escaped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from actuel.config import Settings
from actuel.model import Article, Source
from actuel.store import Store
from actuel.store.stories import MemberRow, StoryUpdate
from actuel.web.app import create_app
from tests.store.conftest import _postgres_ready, db_url, postgres_url
from tests.support.webserver import running

__all__ = ["_postgres_ready", "db_url", "postgres_url"]  # fixtures, on both backends

EVIL_TITLE = 'Inondations <script>alert("x")</script> à Port-Ambre'


@pytest.fixture
def merged(settings: Settings, db_url: str) -> Iterator[httpx.Client]:
    """Two stories, the first merged into the second when an article bridged them; a third whose
    original is an outlet credited but not ingested. On SQLite and on PostgreSQL."""
    settings = settings.replace(db=db_url)
    with Store.open(settings.db, settings) as store:
        source = store.sources.add(
            Source(url="https://gazette.example/feed.xml", name="La Gazette <i>du Port</i>")
        )
        assert source.id is not None
        ids = []
        titles = (EVIL_TITLE, "Crue de la Sorène : les quais évacués", "Séisme au large (AFP)")
        for n, title in enumerate(titles):
            article_id, _ = store.articles.upsert(
                Article(
                    source_id=source.id,
                    url=f"https://gazette.example/a/{n}",
                    canonical_url=f"https://gazette.example/a/{n}",
                    title=title,
                    text="La Sorène est sortie de son lit dans la nuit. " * 10,
                    language="fr",
                    published_at=datetime(2026, 11, 20, 8 + n, tzinfo=UTC),
                    first_seen_at=datetime(2026, 11, 20, 8 + n, 5, tzinfo=UTC),
                )
            )
            ids.append(article_id)
        store.stories.save(
            StoryUpdate(
                key="st-old", members=[MemberRow(ids[1], "original")], original_article_id=ids[1]
            )
        )
        store.stories.save(
            StoryUpdate(
                key="st-survivor",
                members=[MemberRow(ids[0], "original"), MemberRow(ids[1], "independent")],
                merged_keys=["st-old"],
                original_article_id=ids[0],
            )
        )
        # An outlet named in credit lines but not ingested reported first.
        store.stories.save(
            StoryUpdate(
                key="st-credit",
                members=[MemberRow(ids[2], "original")],
                original_article_id=ids[2],
                original_credit="AFP",
            )
        )
        with running(create_app(settings, store)) as base, httpx.Client(base_url=base) as client:
            yield client


def test_merged_story_key_redirects_to_the_survivor(merged: httpx.Client) -> None:
    page = merged.get("/stories/st-old")
    assert page.status_code == 301
    assert page.headers["location"] == "/stories/st-survivor"
    api = merged.get("/api/v1/stories/st-old")
    assert api.status_code == 301
    assert api.headers["location"] == "/api/v1/stories/st-survivor"
    assert merged.get("/api/v1/stories/st-survivor").json()["key"] == "st-survivor"


def test_story_pages_escape_outside_text(merged: httpx.Client) -> None:
    for url in ("/", "/stories/st-survivor"):
        html = merged.get(url).text
        assert "<script>" not in html, url
        assert "&lt;script&gt;" in html, url
    story = merged.get("/stories/st-survivor").text
    assert "La Gazette &lt;i&gt;du Port&lt;/i&gt;" in story
    assert "reportage indépendant" in story
    assert merged.get("/api/v1/stories/st-survivor").json()["title"] == EVIL_TITLE


def test_credited_outlet_not_ingested_is_named_first(merged: httpx.Client) -> None:
    story = merged.get("/stories/st-credit").text
    assert "Publié d'abord par <strong>AFP</strong> (cité par <a href=" in story
    assert "La Gazette &lt;i&gt;du Port&lt;/i&gt;</a>)" in story
    body = merged.get("/api/v1/stories/st-credit").json()
    assert body["original"]["credit"] == "AFP"
    article_id = body["original"]["article_id"]
    page = merged.get(f"/articles/{article_id}").text
    assert "Publié d'abord par <strong>AFP</strong>" in page
    home = merged.get("/").text
    assert "Publié d'abord par <strong>AFP</strong>" in home
