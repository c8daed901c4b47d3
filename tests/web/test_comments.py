"""Posting comments on a real server: held, published, dropped, refused, limited, escaped."""

from __future__ import annotations

import html
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

import httpx
import pytest

from actuel.comments import tokens
from actuel.config import Settings
from actuel.model import Article, Source
from actuel.store import Store
from actuel.web.app import create_app
from actuel.web.security import signing_key
from tests.support.webserver import running
from tests.web.demo_site import DemoSite


class _Redirects(TypedDict):
    follow_redirects: bool


AT_ONCE: _Redirects = {"follow_redirects": False}


@dataclass
class Site:
    client: httpx.Client
    store: Store
    settings: Settings
    article_id: int
    other_id: int

    def form(self, article_id: int | None = None) -> dict[str, str]:
        """The hidden fields of the comment form, read from the article page as a browser would."""
        page = self.client.get(f"/articles/{article_id or self.article_id}")
        assert page.status_code == 200
        return hidden_fields(page.text)

    def post(
        self,
        article_id: int | None = None,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        **values: str,
    ) -> httpx.Response:
        article_id = article_id or self.article_id
        data = fields if fields is not None else self.form(article_id)
        data = {"name": "Anne", "email": "anne@exemple.fr", "text": "Merci.", **data, **values}
        return self.client.post(
            f"/articles/{article_id}/comments", data=data, headers=headers, **AT_ONCE
        )

    def approve_author(self, email: str = "anne@exemple.fr") -> None:
        """Publish a first comment of `email` by hand, as a moderator would."""
        response = self.post(email=email, text=f"Premier commentaire ({len(email)}).")
        assert response.status_code == 303
        pending = self.store.comments.by_status("pending", limit=1)
        assert pending and pending[0].id is not None
        self.store.comments.approve([pending[0].id])


def hidden_fields(page: str) -> dict[str, str]:
    form = re.search(r'<form class="comment-form".*?</form>', page, flags=re.S)
    assert form is not None, "the article page has no comment form"
    return {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(0)
        )
    }


def make_site(settings: Settings, **changes: Any) -> Iterator[Site]:
    # the page cache checks for changes at every request, so a moderator's approval shows at once
    settings = settings.replace(
        secret_key="test-key-for-comment-forms", site_cache_check_s=0.0, **changes
    )
    with Store.open(settings.db, settings) as store:
        source = store.sources.add(
            Source(url="https://gazette.example/feed.xml", name="La Gazette", lang="fr")
        )
        assert source.id is not None
        ids = []
        for n in range(2):
            article_id, _ = store.articles.upsert(
                Article(
                    source_id=source.id,
                    url=f"https://gazette.example/a/{n}",
                    canonical_url=f"https://gazette.example/a/{n}",
                    title=f"Le marché couvert ouvre ses portes ({n})",
                    text="Le nouveau marché couvert a ouvert ses portes mardi. " * 10,
                    language="fr",
                    published_at=datetime(2026, 11, 24, 9, n, tzinfo=UTC),
                )
            )
            ids.append(article_id)
        # uvicorn's own proxy handling off: the peer stands for a reader on another host, and
        # only web_trust_forwarded decides whether X-Forwarded-For is believed
        app = create_app(settings, store)
        with running(app, proxy_headers=False) as base, httpx.Client(base_url=base) as client:
            yield Site(client, store, settings, ids[0], ids[1])


@pytest.fixture
def site(settings: Settings) -> Iterator[Site]:
    """A site where forms may be sent at once (the 3-second rule has its own test)."""
    yield from make_site(settings, comments_min_seconds=0.0)


@pytest.fixture
def strict_site(settings: Settings) -> Iterator[Site]:
    """The default timing rules."""
    yield from make_site(settings)


def shown_comments(site: Site) -> str:
    page = site.client.get(f"/articles/{site.article_id}").text
    found = re.search(r'<ol class="comment-list">(.*?)</ol>', page, flags=re.S)
    return found.group(1) if found else ""


def test_first_comment_of_an_email_is_held_then_published_by_a_moderator(site: Site) -> None:
    response = site.post(name="Anne Martin", text="Enfin un marché couvert !")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/articles/{site.article_id}?commentaire=attente#commentaires"
    )
    page = site.client.get(response.headers["location"]).text
    assert "sera publié après relecture" in page
    assert "Enfin un marché couvert" not in shown_comments(site)
    (held,) = site.store.comments.by_status("pending")
    assert (held.author_name, held.hold_reason) == ("Anne Martin", "new_author")

    assert held.id is not None
    site.store.comments.approve([held.id])
    assert "Enfin un marché couvert" in shown_comments(site)

    again = site.post(name="Anne Martin", text="Et le parking ?")
    assert again.headers["location"].endswith("?commentaire=publie#commentaires")
    assert "Et le parking ?" in shown_comments(site)
    assert "1 commentaire" not in site.client.get(f"/articles/{site.article_id}").text
    assert "2 commentaires" in site.client.get(f"/articles/{site.article_id}").text


def test_the_email_is_never_shown_nor_stored_in_clear(site: Site) -> None:
    site.approve_author("secret.lecteur@exemple.fr")
    assert "secret.lecteur" not in site.client.get(f"/articles/{site.article_id}").text
    api = site.client.get(f"/api/v1/articles/{site.article_id}/comments")
    assert api.status_code == 200 and "secret.lecteur" not in api.text
    (comment,) = site.store.comments.by_status("published")
    assert "secret" not in comment.email_hash and len(comment.email_hash) == 64


def test_filled_honeypot_is_dropped_silently(site: Site) -> None:
    honest = site.post(email="a@exemple.fr", text="Un vrai lecteur.")
    bot = site.post(email="b@exemple.fr", text="Achetez !", website="https://spam.example")
    assert bot.status_code == honest.status_code == 303
    assert bot.headers["location"] == honest.headers["location"]
    assert site.store.comments.count() == {"pending": 1, "published": 0, "spam": 0, "deleted": 0}


def test_a_comment_posted_under_three_seconds_after_load_is_held(strict_site: Site) -> None:
    site = strict_site
    # an author already approved, so only the timing can hold the comment
    fields = site.form()
    fields["form_token"] = tokens.issue(
        signing_key(site.settings), site.article_id, time.time() - 60
    )
    first = site.post(fields=fields, text="Premier, écrit en une minute.")
    assert first.status_code == 303
    (first_comment,) = site.store.comments.by_status("pending")
    assert first_comment.id is not None
    site.store.comments.approve([first_comment.id])

    fast = site.post(text="Envoyé aussitôt la page chargée.")
    assert fast.status_code == 303
    assert fast.headers["location"].endswith("commentaire=attente#commentaires")
    (held,) = site.store.comments.by_status("pending")
    assert held.hold_reason == "too_fast"


def test_a_cached_page_does_not_let_an_instant_post_through(settings: Settings) -> None:
    # issue 11 item 9: the cached page's form token was issued when the page was rendered, so a
    # bot fetching it later and posting at once looked like a reader who had typed for a while
    for site in make_site(settings, comments_min_seconds=1.0):
        site.approve_author()  # only the timing can hold what follows
        time.sleep(1.1)
        assert site.client.get(f"/articles/{site.article_id}").headers["x-cache"] == "MISS"
        time.sleep(1.1)  # the cached copy and its token are now older than the rule
        with httpx.Client(base_url=str(site.client.base_url)) as bot:
            page = bot.get(f"/articles/{site.article_id}")
            assert page.headers["x-cache"] == "HIT"
            fields = {**hidden_fields(page.text), "name": "Bot", "email": "anne@exemple.fr"}
            action = f"/articles/{site.article_id}/comments"
            fast = bot.post(action, data={**fields, "text": "Tout de suite."}, **AT_ONCE)
            assert fast.headers["location"].endswith("commentaire=attente#commentaires")
            (held,) = site.store.comments.by_status("pending")
            assert held.hold_reason == "too_fast"

            time.sleep(1.1)  # a reader who took the time to write is published
            slow = bot.post(action, data={**fields, "text": "Après réflexion."}, **AT_ONCE)
            assert slow.headers["location"].endswith("commentaire=publie#commentaires")

        # without the page's cookie (a client that never opened it, or refuses cookies) the
        # post cannot be timed: held for a moderator, not lost
        with httpx.Client(base_url=str(site.client.base_url)) as blind:
            data = {**fields, "text": "Sans cookie."}
            assert blind.post(action, data=data, **AT_ONCE).status_code == 303
        assert [c.hold_reason for c in site.store.comments.by_status("pending")] == [
            "too_fast",
            "too_fast",
        ]


def test_the_page_clock_is_a_cookie_only_the_comment_address_receives(site: Site) -> None:
    page = site.client.get(f"/articles/{site.article_id}")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("actuel_vu=")
    assert f"Path=/articles/{site.article_id}/comments" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    # article pages are still cached for everyone: their requests never carry the cookie
    again = site.client.get(f"/articles/{site.article_id}")
    assert again.headers["x-cache"] == "HIT" and "set-cookie" in again.headers
    revalidated = site.client.get(
        f"/articles/{site.article_id}", headers={"If-None-Match": again.headers["etag"]}
    )
    assert revalidated.status_code == 304 and "actuel_vu=" in revalidated.headers["set-cookie"]


def test_twenty_posts_in_ten_seconds_from_one_address_get_429(site: Site) -> None:
    fields = site.form()
    statuses = [
        site.post(fields=fields, email=f"l{n}@exemple.fr", text=f"Message {n}").status_code
        for n in range(20)
    ]
    limit = int(site.settings.comments_address_limit)
    assert statuses[:limit] == [303] * limit
    assert set(statuses[limit:]) == {429}
    refused = site.post(fields=fields, text="Encore un.")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(site.settings.comments_address_window)
    assert "attendez une minute" in refused.text
    # the forwarded header is not believed when no trusted proxy is configured
    spoofed = site.post(fields=fields, text="Encore.", headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429


def test_behind_a_trusted_proxy_each_reader_has_its_own_limit(settings: Settings) -> None:
    for site in make_site(settings, comments_min_seconds=0.0, web_trust_forwarded=True):
        fields = site.form()
        for n in range(int(site.settings.comments_address_limit)):
            site.post(fields=fields, text=f"M{n}", headers={"X-Forwarded-For": "203.0.113.1"})
        blocked = site.post(fields=fields, text="M", headers={"X-Forwarded-For": "203.0.113.1"})
        other = site.post(fields=fields, text="M", headers={"X-Forwarded-For": "203.0.113.2"})
        assert (blocked.status_code, other.status_code) == (429, 303)


def test_a_story_takes_a_limited_number_of_comments_per_window(settings: Settings) -> None:
    for site in make_site(
        settings, comments_min_seconds=0.0, web_trust_forwarded=True, comments_story_limit=2
    ):
        fields = site.form()
        statuses = [
            site.post(
                fields=fields, text=f"Avis {n}", headers={"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(3)
        ]
        assert statuses == [303, 303, 429]
        assert site.store.comments.count()["pending"] == 2
        other_article = site.post(site.other_id, headers={"X-Forwarded-For": "203.0.113.50"})
        assert other_article.status_code == 303


def test_two_links_are_held_and_one_is_linked_safely(site: Site) -> None:
    site.approve_author()
    two = site.post(text="Voir https://a.example/x et https://b.example/y")
    assert two.headers["location"].endswith("commentaire=attente#commentaires")
    assert site.store.comments.by_status("pending")[0].hold_reason == "links"

    one = site.post(text="Le plan : https://mairie.example/plan?v=1&z=2. Et javascript:alert(1)")
    assert one.headers["location"].endswith("commentaire=publie#commentaires")
    shown = shown_comments(site)
    assert (
        '<a href="https://mairie.example/plan?v=1&amp;z=2" rel="nofollow ugc noopener">'
        "https://mairie.example/plan?v=1&amp;z=2</a>. Et javascript:alert(1)"
    ) in shown
    assert 'href="javascript' not in shown


def test_markup_in_name_and_text_is_shown_escaped(site: Site) -> None:
    site.approve_author()
    site.post(name="<b>Anne</b>", text='<script>alert("x")</script> <img src=x onerror=alert(1)>')
    shown = shown_comments(site)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "&lt;b&gt;Anne&lt;/b&gt;" in shown
    assert "<script" not in shown and "<img" not in shown and "<b>" not in shown


def test_exact_duplicates_are_refused_with_the_form_again(site: Site) -> None:
    assert site.post(text="Bravo pour ce marché.").status_code == 303
    again = site.post(email="autre@exemple.fr", text="Bravo pour ce marché.")
    assert again.status_code == 422
    assert "a déjà été envoyé" in again.text
    assert site.store.comments.count()["pending"] == 1
    # the same words under another article are a different comment
    assert site.post(site.other_id, text="Bravo pour ce marché.").status_code == 303


def test_an_expired_form_is_refused_asking_to_reload_and_keeps_the_text(site: Site) -> None:
    fields = site.form()
    fields["form_token"] = tokens.issue(
        signing_key(site.settings), site.article_id, time.time() - 3 * 3600
    )
    response = site.post(fields=fields, text="Écrit il y a longtemps.")
    assert response.status_code == 422
    assert "Ce formulaire a expiré" in response.text and "rechargez la page" in response.text
    assert "Écrit il y a longtemps." in response.text
    fresh = hidden_fields(response.text)
    assert fresh["form_token"] != fields["form_token"]
    assert site.post(fields=fresh, text="Écrit il y a longtemps.").status_code == 303


def test_a_form_of_another_article_or_a_forged_token_is_refused(site: Site) -> None:
    other = site.form(site.other_id)
    assert site.post(fields=other).status_code == 422
    forged = {**site.form(), "form_token": "c1.1.0.AAAA"}
    refused = site.post(fields=forged)
    assert refused.status_code == 422 and "Rechargez la page" in refused.text
    assert site.store.comments.count()["pending"] == 0


def test_missing_or_overlong_fields_come_back_with_their_messages(site: Site) -> None:
    response = site.post(name="", email="pas-une-adresse", text="x" * 5000)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Indiquez votre nom." in page
    assert "Cette adresse e-mail n'est pas valide." in page
    assert "Ce commentaire est trop long." in page
    assert 'aria-invalid="true"' in page
    assert site.store.comments.count()["pending"] == 0


def test_a_cross_site_post_is_refused(site: Site) -> None:
    response = site.post(headers={"Origin": "https://ailleurs.example"})
    assert response.status_code == 403
    fields = site.form()
    del fields["csrf_token"]
    assert site.post(fields=fields).status_code == 403
    assert site.store.comments.count()["pending"] == 0


def test_unknown_article_is_404(site: Site) -> None:
    assert site.post(site.article_id, fields=site.form()).status_code == 303
    response = site.client.post("/articles/999999/comments", data=site.form(), **AT_ONCE)
    assert response.status_code == 404


def test_the_form_is_in_english_for_english_readers(site: Site) -> None:
    site.client.cookies.set("actuel_lang", "en")
    try:
        page = site.client.get(f"/articles/{site.article_id}").text
        response = site.post(name="", text="")
    finally:
        site.client.cookies.delete("actuel_lang")
    assert "Leave a comment" in page
    assert "Enter your name." in response.text


def test_opening_the_form_address_leads_back_to_the_article(site: Site) -> None:
    response = site.client.get(f"/articles/{site.article_id}/comments", **AT_ONCE)
    assert response.status_code == 303
    assert response.headers["location"] == f"/articles/{site.article_id}#commentaires"


def test_a_site_serving_a_read_only_store_writes_comments_beside_it(
    demo_site: DemoSite, tmp_path: Path
) -> None:
    path = tmp_path / "demo-copy.db"
    with (
        closing(sqlite3.connect(demo_site.settings.db)) as original,
        closing(sqlite3.connect(path)) as copy,
    ):
        original.backup(copy)
    settings = demo_site.settings.replace(
        db=str(path), secret_key="k", comments_min_seconds=0.0, site_cache_check_s=0.0
    )
    article_id = next(iter(demo_site.ids.values()))
    with (
        Store.open(str(path), settings, readonly=True) as reader,
        running(create_app(settings, reader)) as base,
        httpx.Client(base_url=base) as client,
    ):
        fields = hidden_fields(client.get(f"/articles/{article_id}").text)
        data = {**fields, "name": "Zoé", "email": "zoe@exemple.fr", "text": "Belle enquête."}
        posted = client.post(f"/articles/{article_id}/comments", data=data, **AT_ONCE)
        assert posted.status_code == 303
        with Store.open(str(path), settings) as writer:
            (held,) = writer.comments.by_status("pending")
            assert held.id is not None
            writer.comments.approve([held.id])
        assert "Belle enquête." in client.get(f"/articles/{article_id}").text
