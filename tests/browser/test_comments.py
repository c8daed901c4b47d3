"""A reader comments, an editor logs in and approves it, the reader sees it published."""

from __future__ import annotations

import re
import secrets
import time

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from actuel.cli import main as actuel_cli
from tests.browser.watch import Visitor, Watched
from tests.browser.world import LiveSite

pytestmark = pytest.mark.browser


def create_admin(site: LiveSite, name: str, password: str) -> None:
    """`actuel admin create-user NAME --password-stdin`, as the operator would run it."""
    result = CliRunner().invoke(
        actuel_cli,
        ["admin", "create-user", name, "--password-stdin", "--db", str(site.settings.db)],
        input=password + "\n",
    )
    assert result.exit_code == 0, result.output


def test_comment_held_then_approved_by_the_editor_then_published(
    visit: Watched, visitors: Visitor, site: LiveSite
) -> None:
    reader = visit.page
    with site.store() as store:
        story = store.stories.latest(limit=1)[0]
        article_id = store.stories.members(story.id)[0].article.id
    reader.goto(f"/articles/{article_id}")
    served_at = time.monotonic()
    form = reader.locator("form.comment-form")
    expect(form).to_be_visible()

    # While the reader types, the operator creates the editor's account.
    password = secrets.token_urlsafe(16)
    create_admin(site, "redaction", password)
    email = f"lecteur-{secrets.token_hex(4)}@exemple.test"  # never seen: the comment is held
    text = f"Merci pour ce suivi précis ({secrets.token_hex(3)})."
    form.get_by_label("Nom").fill("Awa Lecteur")
    form.get_by_label("Adresse e-mail").fill(email)
    form.get_by_label("Commentaire").fill(text)
    visit.shot("comment typed")
    # A person takes more than comments_min_seconds to write; the form holds faster posts.
    min_age = float(site.settings.comments_min_seconds) + 0.2
    reader.wait_for_timeout(max(0.0, min_age - (time.monotonic() - served_at)) * 1000)
    form.get_by_role("button", name="Publier le commentaire").click()

    section = reader.locator("#commentaires")
    expect(section.get_by_role("status")).to_be_visible()
    expect(section.locator(".comment", has_text=text)).to_have_count(0)
    visit.shot("comment held")

    # The editor, in another browser profile, logs in and approves it.
    editor = visitors("editor")
    editor.page.goto("/admin/comments")
    expect(editor.page).to_have_url(re.compile(r"/admin/login"))
    editor.page.get_by_label("Nom").fill("redaction")
    editor.page.get_by_label("Mot de passe").fill(password)
    editor.shot("login")
    editor.page.get_by_role("button", name="Se connecter").click()
    held = editor.page.locator("li.comment", has_text=text)
    expect(held).to_have_count(1)
    expect(editor.page.locator("body")).not_to_contain_text(email)
    held.get_by_role("checkbox").check()
    editor.shot("moderation queue")
    editor.page.get_by_role("button", name="Approuver la sélection").click()
    expect(editor.page.locator("li.comment", has_text=text)).to_have_count(0)
    editor.shot("approved")
    # The dashboard's charts are server-drawn SVG: they show under the site's CSP.
    editor.page.get_by_role("link", name="Tableau de bord").click()
    expect(editor.page.locator("svg.chart").first).to_be_visible()
    editor.shot("dashboard")
    assert editor.problems() == []

    reader.goto(f"/articles/{article_id}")
    published = reader.locator("#commentaires .comment", has_text=text)
    expect(published).to_have_count(1)
    expect(published).to_contain_text("Awa Lecteur")
    expect(reader.locator("body")).not_to_contain_text(email)
    published.scroll_into_view_if_needed()
    visit.shot("comment published")
    assert visit.problems() == []
