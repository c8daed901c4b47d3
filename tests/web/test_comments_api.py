"""The comments API: published comments only, oldest first, paged, nothing private."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from actuel.config import Settings
from actuel.model import Comment
from tests.web.test_comments import Site, make_site


@pytest.fixture
def site(settings: Settings) -> Iterator[Site]:
    yield from make_site(settings, comments_min_seconds=0.0)


def test_lists_published_comments_oldest_first_in_pages(site: Site) -> None:
    ids = []
    for n in range(5):
        saved = site.store.comments.add(
            Comment(
                article_id=site.article_id,
                author_name=f"<i>Lecteur {n}</i>",
                text=f"Avis {n} <script>",
                email_hash="h" * 64,
                address_hash="a" * 64,
            )
        )
        assert saved is not None and saved.id is not None
        ids.append(saved.id)
    site.store.comments.approve(ids[:4])
    url = f"/api/v1/articles/{site.article_id}/comments"
    first = site.client.get(url, params={"limit": 3}).json()
    assert [c["id"] for c in first["items"]] == ids[:3]
    assert first["items"][0] == {
        "id": ids[0],
        "article_id": site.article_id,
        "author": "<i>Lecteur 0</i>",
        "text": "Avis 0 <script>",
        "created_at": first["items"][0]["created_at"],
    }
    rest = site.client.get(url, params={"limit": 3, "after": first["next"]}).json()
    assert [c["id"] for c in rest["items"]] == [ids[3]]  # the pending one is not listed
    assert rest["next"] is None


def test_errors_are_json_with_a_code(site: Site) -> None:
    missing = site.client.get("/api/v1/articles/999999/comments")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "article_not_found"
    bad = site.client.get(f"/api/v1/articles/{site.article_id}/comments?limit=0")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_limit"
    cursor = site.client.get(f"/api/v1/articles/{site.article_id}/comments?after=nope")
    assert cursor.status_code == 400 and cursor.json()["error"]["code"] == "bad_cursor"


def test_the_openapi_document_describes_the_comments(site: Site) -> None:
    document = site.client.get("/api/v1/openapi.json").json()
    assert "/articles/{id}/comments" in document["paths"]
    assert "email" not in str(document["components"]["schemas"]["Comment"])
