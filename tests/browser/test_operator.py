"""A portal's operator in the browser: first login on a one-time password, then editing a
source, hiding an article, pinning a story and filing it under a rubrique, each seen by a
reader at once."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from actuel.accounts.passwords import hash_password
from actuel.store import Store
from actuel.store.stories import MemberRow, StoryUpdate
from tests.browser.watch import Visitor, Watched
from tests.browser.world import LiveSite

pytestmark = pytest.mark.browser


def test_an_operator_takes_over_the_admin_and_edits_what_readers_see(
    visit: Watched, visitors: Visitor, site: LiveSite
) -> None:
    given = secrets.token_urlsafe(12)  # what `actuel demo` prints for its first admin
    with Store.open(site.settings.db, site.settings) as store:
        store.users.create_admin("exploitant", hash_password(given), one_time=True)
        stories = store.stories.latest(limit=200)
        story = stories[-1]  # the oldest: far down the home page until pinned
        # a copy, not an original: put back in its story afterwards, it leaves the site as it was
        host, member = next(
            (view, m)
            for view in stories
            for m in store.stories.members(view.id)
            if m.article.id != view.original_article_id
        )
        article = member.article
        source = store.sources.get(article.source_id)
        lead = store.articles.get(int(story.original_article_id or 0))
    operator = visitors("operator", locale="en-GB")  # the admin stays French all the same
    page = operator.page
    try:
        page.goto("/admin")
        page.get_by_label("Nom").fill("exploitant")
        page.get_by_label("Mot de passe").fill(given)
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(re.compile(r"/admin/mot-de-passe$"))
        expect(page.get_by_role("status")).to_contain_text("mot de passe à usage unique")
        operator.shot("one-time password")
        mine = "phrase-de-passe-" + secrets.token_hex(4)
        page.get_by_label("Mot de passe actuel").fill(given)
        page.get_by_label("Nouveau mot de passe", exact=False).first.fill(mine)
        page.get_by_label("Nouveau mot de passe, une seconde fois").fill(mine)
        page.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(page.get_by_role("status")).to_contain_text("nouveau mot de passe est enregistré")

        # a source renamed
        page.get_by_role("link", name="Sources", exact=True).click()
        page.locator(f"#source-{source.id}").get_by_role("link", name=source.name).click()
        page.get_by_label("Nom affiché").fill("La Voix du Littoral")
        operator.shot("edit source")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status")).to_have_text("Source modifiée.")
        visit.page.goto(f"/outlets/{source.id}")
        expect(visit.page.get_by_role("heading", level=1)).to_contain_text("La Voix du Littoral")

        # an article hidden
        page.goto(f"/admin/articles/{article.id}")
        page.get_by_role("button", name="Masquer aux lecteurs").click()
        expect(page.get_by_role("status")).to_contain_text("les lecteurs ne le voient plus")
        operator.shot("article hidden")
        answer = visit.page.goto(f"/articles/{article.id}")
        assert answer is not None and answer.status == 410
        expect(visit.page.locator("main")).to_contain_text("retiré par la rédaction")

        # a story pinned
        page.goto(f"/admin/stories/{story.key}")
        page.get_by_role("button", name="Épingler à la une").click()
        expect(page.get_by_role("status")).to_contain_text("épinglée")
        visit.page.goto("/")
        pinned = visit.page.get_by_role("region", name="À la une")
        expect(pinned.locator(f'a[href="/stories/{story.key}"]').first).to_be_visible()
        visit.shot("pinned story")

        # the pinned story's original filed under a rubrique: its story is listed there
        page.goto(f"/admin/articles/{lead.id}")
        page.get_by_label("Rubrique").select_option("culture")
        page.get_by_role("button", name="Classer").click()
        expect(page.get_by_role("status")).to_contain_text("rubrique de l'article est enregistrée")
        operator.shot("rubrique")
        visit.page.goto("/categories/culture")
        expect(visit.page.locator(f'a[href="/stories/{story.key}"]').first).to_be_visible()
        expected = f"status of 410 (Gone) ({site.base_url}/articles/{article.id})"
        assert operator.problems() == []
        assert [p for p in visit.problems() if not p.endswith(expected)] == []
    finally:  # the other browser tests share this site
        with Store.open(site.settings.db, site.settings) as store:
            store.sources.update(source)
            store.articles.show(int(article.id or 0))
            if store.stories.of_article(int(article.id or 0)) is None:
                row = MemberRow(int(article.id or 0), member.relation, member.derived_from)
                store.stories.save(StoryUpdate(key=host.key, members=[row], added=[row.article_id]))
            store.stories.unpin(story.id)
            store.articles.set_rubrique(int(lead.id or 0), lead.rubrique)
