"""An editor hides an article (everywhere, for good) or corrects its title: as readers see it."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from actuel.store.stories import MemberRow, StoryUpdate
from tests.web.admin_support import AdminSite, admin_site, admin_token, copy_demo
from tests.web.demo_site import DemoSite


@pytest.fixture()
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    with admin_site(copy_demo(demo_site, tmp_path_factory.mktemp("admin-articles"))) as served:
        yield served


def an_original_with_company(site: AdminSite) -> tuple[str, int, list[int]]:
    """(story key, its original article, the other members) of a story of several articles."""
    for view in site.store.stories.latest(limit=200):
        members = [int(m.article.id or 0) for m in site.store.stories.members(view.id)]
        if len(members) >= 3 and view.original_article_id in members:
            original = int(view.original_article_id or 0)
            return view.key, original, [a for a in members if a != original]
    pytest.skip("no demo story has three articles")


def test_a_hidden_article_is_gone_for_readers_everywhere_and_stays_gone(
    site: AdminSite, editor: httpx.Client
) -> None:
    store = site.store
    key, hidden, others = an_original_with_company(site)
    article = store.articles.get(hidden)
    token = admin_token(editor, f"/admin/articles/{hidden}")
    answer = editor.post(f"/admin/articles/{hidden}/hide", data={"csrf_token": token})
    assert answer.headers["location"] == f"/admin/articles/{hidden}?done=hidden"
    assert "les lecteurs ne le voient plus" in html.unescape(
        editor.get(answer.headers["location"]).text
    )

    title = html.escape(article.title, quote=False)
    with site.client() as reader:
        page = reader.get(f"/articles/{hidden}")
        assert page.status_code == 410
        assert "retiré par la rédaction" in html.unescape(page.text)
        for path in (
            "/",
            f"/stories/{key}",
            f"/outlets/{article.source_id}",
            f"/outlets/{article.source_id}/feed.xml",
            "/sitemaps/articles-1.xml",
            "/search?q=" + " ".join(article.title.split()[:4]),
        ):
            shown = reader.get(path)
            assert shown.status_code == 200, path
            assert f'/articles/{hidden}"' not in shown.text, path
            assert f"/articles/{hidden}<" not in shown.text, path
        assert title not in reader.get(f"/stories/{key}").text
        assert reader.get(f"/api/v1/articles/{hidden}").status_code == 404
        form = reader.post(f"/articles/{hidden}/comments", data={"text": "x"})
        assert form.status_code in (403, 404)  # no form token, and no article to comment on

    # the story goes on without it, under another original
    view = store.stories.get(key)
    assert view.original_article_id in others
    assert sorted(int(m.article.id or 0) for m in store.stories.members(view.id)) == sorted(others)
    # a clustering process that still holds it, and the feed listing it again, change nothing
    store.stories.save(
        StoryUpdate(key=key, members=[MemberRow(hidden, "original")], original_article_id=hidden)
    )
    assert store.stories.of_article(hidden) is None
    assert store.stories.get(key).original_article_id in others
    store.articles.upsert(replace(article, id=None, title=article.title + " (mis à jour)"))
    assert store.articles.get(hidden, hidden=True).hidden_at is not None

    listing = editor.get("/admin/articles").text
    hidden_part = listing.split("Derniers articles")[0]
    assert f'id="article-{hidden}"' in hidden_part
    shown = editor.post(f"/admin/articles/{hidden}/show", data={"csrf_token": token})
    assert shown.headers["location"].endswith("?done=shown")
    with site.client() as reader:
        assert reader.get(f"/articles/{hidden}").status_code == 200


def test_a_corrected_title_shows_everywhere_and_outlives_re_extraction(
    site: AdminSite, editor: httpx.Client
) -> None:
    store = site.store
    key, original, _ = an_original_with_company(site)
    article = store.articles.get(original)
    token = admin_token(editor, f"/admin/articles/{original}")
    action = f"/admin/articles/{original}/correct"
    empty = editor.post(action, data={"csrf_token": token, "title": "   ", "summary": ""})
    assert empty.status_code == 422 and "ne peut pas être vide" in html.unescape(empty.text)

    fixed = {"title": "Le port rouvre après la grève", "summary": "Les dockers ont repris."}
    done = editor.post(action, data={"csrf_token": token, **fixed})
    assert done.headers["location"] == f"/admin/articles/{original}?done=corrected"
    with site.client() as reader:
        assert fixed["title"] in reader.get(f"/articles/{original}").text
        assert fixed["title"] in reader.get(f"/stories/{key}").text  # it is the original
        assert fixed["title"] in reader.get("/search", params={"q": "dockers repris"}).text
    admin_page = html.unescape(editor.get(f"/admin/articles/{original}").text)
    assert "Tel qu'extrait du média" in admin_page and article.title in admin_page

    # the outlet's page read again (a re-fetch, a reprocess) keeps the editor's words
    store.articles.upsert(replace(article, id=None, title="Titre extrait de nouveau"))
    store.articles.update_extraction(replace(store.articles.get(original), title="Encore un autre"))
    again = store.articles.get(original)
    assert (again.title, again.summary) == (fixed["title"], fixed["summary"])
    assert again.original_title == article.title


def test_an_editor_files_an_article_under_a_rubrique_and_it_stays_there(
    site: AdminSite, editor: httpx.Client
) -> None:
    store = site.store
    key, original, _ = an_original_with_company(site)
    token = admin_token(editor, f"/admin/articles/{original}")
    action = f"/admin/articles/{original}/rubrique"
    assert (
        editor.post(action, data={"csrf_token": token, "rubrique": "astrologie"}).status_code == 422
    )
    done = editor.post(action, data={"csrf_token": token, "rubrique": "culture"})
    assert done.headers["location"] == f"/admin/articles/{original}?done=rubrique"
    assert "choisie par la rédaction" in html.unescape(editor.get(done.headers["location"]).text)
    assert store.stories.get(key).category == "culture"
    with site.client() as reader:
        assert f"/stories/{key}" in reader.get("/categories/culture").text
    # the page read again, its words pointing elsewhere, keeps the editor's choice
    article = store.articles.get(original)
    store.articles.update_extraction(replace(article, rubrique="sport", rubrique_by="text"))
    assert (store.articles.get(original).rubrique, store.articles.get(original).rubrique_by) == (
        "culture",
        "editor",
    )
