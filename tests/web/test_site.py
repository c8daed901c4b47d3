"""The minimal site: home lists the latest articles; article pages link the source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from actuel.config import Settings
from actuel.model import Article, Source
from actuel.store import Store
from actuel.web.app import create_app
from tests.support.webserver import running


@pytest.fixture
def site(settings: Settings) -> Iterator[tuple[httpx.Client, Store, int]]:
    with Store.open(settings.db, settings) as store:
        source = store.sources.add(
            Source(
                url="https://gazette.example/feed.xml", name="La Gazette <b>du Port</b>", lang="fr"
            )
        )
        assert source.id is not None
        article_id, _ = store.articles.upsert(
            Article(
                source_id=source.id,
                url="https://gazette.example/a/marche",
                canonical_url="https://gazette.example/a/marche",
                title="Ouverture du marché <script>alert(1)</script>",
                text="Le nouveau marché couvert a ouvert ses portes mardi. " * 30,
                language="fr",
                published_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
                first_seen_at=datetime(2026, 11, 24, 9, 5, tzinfo=UTC),
            )
        )
        store.articles.upsert(
            Article(
                source_id=source.id,
                url="javascript:alert(1)",
                canonical_url="javascript:alert(1)",
                title="Lien piégé",
                text="Un article dont le lien n'est pas http.",
                language="fr",
                first_seen_at=datetime(2026, 11, 23, 9, 5, tzinfo=UTC),
            )
        )
        with running(create_app(settings, store)) as base, httpx.Client(base_url=base) as client:
            yield client, store, article_id


def test_home_lists_latest_articles_with_outlet_and_date(
    site: tuple[httpx.Client, Store, int],
) -> None:
    client, _, article_id = site
    response = client.get("/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    html = response.text
    assert '<html lang="fr">' in html
    assert f'href="/articles/{article_id}"' in html
    assert "24 novembre 2026" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "La Gazette &lt;b&gt;du Port&lt;/b&gt;" in html


def test_article_page_shows_excerpt_and_links_the_original(
    site: tuple[httpx.Client, Store, int], settings: Settings
) -> None:
    client, _, article_id = site
    html = client.get(f"/articles/{article_id}").text
    assert 'href="https://gazette.example/a/marche"' in html
    assert "Lire la suite sur La Gazette" in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html
    assert "langue : français" in html
    # An excerpt, not the whole text of someone else's article.
    assert html.count("Le nouveau marché couvert") < 30
    assert '<time datetime="2026-11-24T09:00:00+00:00">' in html


def test_non_http_links_are_never_rendered(site: tuple[httpx.Client, Store, int]) -> None:
    client, store, _ = site
    [trapped] = [a for a in store.articles.latest() if a.title == "Lien piégé"]
    html = client.get(f"/articles/{trapped.id}").text
    assert "javascript:" not in html


def test_unknown_article_is_a_404_page(site: tuple[httpx.Client, Store, int]) -> None:
    client, _, _ = site
    response = client.get("/articles/999999")
    assert response.status_code == 404
    assert "Retour à l'accueil" in response.text


def test_home_pages_through_articles_while_no_story_exists(
    site: tuple[httpx.Client, Store, int], settings: Settings
) -> None:
    _, store, _ = site
    with (
        running(create_app(settings.replace(site_page_size=1), store)) as base,
        httpx.Client(base_url=base) as client,
    ):
        first = client.get("/").text
        assert first.count('<li class="card"') == 1
        older = re.search(r'<a rel="next" href="([^"]+)">Articles plus anciens', first)
        assert older is not None
        second = client.get(older.group(1).replace("&amp;", "&")).text
        assert second.count('<li class="card"') == 1
        assert "Lien piégé" in first + second
        assert "Ouverture du marché" in first + second
