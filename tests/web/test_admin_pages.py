"""Admin pages as an editor uses them: dashboard chart, sources, moderation queue, settings."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from actuel.config import SETTINGS
from actuel.model import Comment, SourceState
from actuel.web.admin.setting_help import SETTING_HELP
from tests.support.loopback import Loopback, Reply
from tests.web.admin_support import AdminSite, admin_site, admin_token, copy_demo
from tests.web.demo_site import DemoSite

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>La Gazette du Port</title><link>https://gazette.example/</link>
<language>fr</language><item><title>Le ferry repart</title><link>https://gazette.example/ferry</link>
<guid>ferry-1</guid></item></channel></rss>"""


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    folder = tmp_path_factory.mktemp("admin-pages")
    settings = copy_demo(demo_site, folder)
    with admin_site(settings, secret_key="never-shown-0xC0FFEE") as served:
        yield served


@pytest.fixture()
def outlet(loopback: Loopback) -> Loopback:
    """A news site on loopback, for discovery."""
    return loopback


def test_dashboard_charts_articles_per_day_and_outlet_with_escaped_labels(
    site: AdminSite, editor: httpx.Client
) -> None:
    busiest = max(site.store.articles.per_source(14).items(), key=lambda kv: kv[1])[0]
    source = site.store.sources.get(busiest)
    site.store.sources.update(replace(source, name='<script>alert("x")</script>'))
    try:
        html = editor.get("/admin").text
    finally:
        site.store.sources.update(source)
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", html, flags=re.S)
    assert len(charts) == 2
    assert len(re.findall(r"<rect ", charts[0])) == 14  # one bar a day, zero days included
    assert "&lt;script&gt;" in charts[1]
    assert "<script>" not in html
    total = sum(n for _, n in site.store.articles.per_day(14))
    # the figure counts what the charts count: articles collected, by day or by outlet
    assert total == sum(site.store.articles.per_source(14).values()) > 0
    assert f"{total} articles collectés ces 14 derniers jours" in html


def test_the_admin_speaks_the_sites_french_whatever_the_browser_prefers(
    site: AdminSite, editor: httpx.Client
) -> None:
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    source = site.store.sources.all()[0]
    failing = replace(
        source,
        state=SourceState.ERROR,
        error_count=3,
        last_error="connection refused by 127.0.1.9:8090 (check the address)",
        last_error_code="fetch.connect",
    )
    site.store.sources.update(failing)
    try:
        listing = editor.get("/admin/sources", headers=english).text
        board = editor.get("/admin", headers=english).text
    finally:
        site.store.sources.update(source)
    assert '<html lang="fr">' in listing and '<html lang="fr">' in board
    row = re.search(rf'<tr class="source" id="source-{source.id}">.*?</tr>', listing, re.S)
    assert row is not None
    cells = re.sub(r"\s+", " ", row.group(0))
    assert "en erreur" in cells and ">error<" not in cells
    assert "Connexion au site impossible" in cells and "3 fois de suite" in cells
    # the English message stays, beneath, marked as English for screen readers
    assert '<p lang="en">connection refused by 127.0.1.9:8090' in cells
    assert re.search(r"<td>\d+,\d</td>", cells), "a decimal comma, as French writes it"
    month = r"(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)"
    assert re.search(rf'font-size="11" fill="#333">\d{{1,2}} {month}', board)
    assert not re.search(r'fill="#333">\d\d-\d\d<', board)
    # the reader's own choice of language still holds, as on the site
    editor.cookies.set("actuel_lang", "en")
    try:
        assert '<html lang="en">' in editor.get("/admin/sources").text
    finally:
        editor.cookies.delete("actuel_lang")


def test_an_editor_renames_refiles_and_relabels_a_source_and_pages_follow(
    site: AdminSite, editor: httpx.Client
) -> None:
    per_source = site.store.articles.per_source(3650)
    source = next(s for s in site.store.sources.all() if per_source.get(s.id or 0))
    form = editor.get(f"/admin/sources/{source.id}")
    assert form.status_code == 200 and f'value="{source.name}"' in html.unescape(form.text)
    token = admin_token(editor, f"/admin/sources/{source.id}")
    action = f"/admin/sources/{source.id}"
    try:
        for fields, message in (
            ({"name": "  ", "category": "", "lang": ""}, "Donnez un nom"),
            ({"name": "Le Phare", "category": "Sport Local", "lang": ""}, "minuscules"),
            ({"name": "Le Phare", "category": "", "lang": "français"}, "deux ou trois lettres"),
        ):
            refused = editor.post(action, data={"csrf_token": token, **fields})
            assert refused.status_code == 422 and message in html.unescape(refused.text)
            assert 'value="Sport Local"' in refused.text or fields["category"] != "Sport Local"
        assert site.store.sources.get(int(source.id or 0)) == source  # nothing half-kept

        fields = {"name": "  Le   Phare du Wouri ", "category": "Sport", "lang": "EN"}
        saved = editor.post(action, data={"csrf_token": token, **fields})
        assert saved.headers["location"] == f"/admin/sources?done=edited#source-{source.id}"
        edited = site.store.sources.get(int(source.id or 0))
        assert (edited.name, edited.category, edited.lang) == ("Le Phare du Wouri", "sport", "en")
        assert "Source modifiée." in editor.get(saved.headers["location"]).text
        # readers see the new name at once, and the outlet under its new category
        with site.client() as reader:
            assert "Le Phare du Wouri" in reader.get(f"/outlets/{source.id}").text
            assert "Le Phare du Wouri" in reader.get("/categories/sport").text
        cleared = {"csrf_token": token, "name": source.name, "category": "", "lang": ""}
        assert editor.post(action, data=cleared).status_code == 303
        emptied = site.store.sources.get(int(source.id or 0))
        assert emptied.category is None and emptied.lang is None
    finally:
        site.store.sources.update(source)
    assert editor.get("/admin/sources/987654").status_code == 404


def test_sources_show_health_and_pause_resume_delete(site: AdminSite, editor: httpx.Client) -> None:
    html = editor.get("/admin/sources").text
    sources = site.store.sources.all()
    for source in sources:
        assert f'id="source-{source.id}"' in html
    per_source = site.store.articles.per_source(3650)
    target = min(
        (s for s in sources if per_source.get(s.id or 0)), key=lambda s: per_source[s.id or 0]
    )
    token = admin_token(editor, "/admin/sources")
    paused = editor.post(f"/admin/sources/{target.id}/pause", data={"csrf_token": token})
    assert paused.status_code == 303
    assert site.store.sources.get(int(target.id or 0)).state == SourceState.PAUSED
    assert "Source mise en pause." in editor.get(paused.headers["location"]).text
    editor.post(f"/admin/sources/{target.id}/resume", data={"csrf_token": token})
    assert site.store.sources.get(int(target.id or 0)).state == SourceState.ACTIVE
    before = site.store.articles.count()
    kept = editor.post(f"/admin/sources/{target.id}/delete", data={"csrf_token": token})
    assert kept.status_code == 303
    assert target.id in {s.id for s in site.store.sources.all()}, "deleted without confirming"
    gone = editor.post(
        f"/admin/sources/{target.id}/delete", data={"csrf_token": token, "confirm": "1"}
    )
    assert gone.status_code == 303
    assert target.id not in {s.id for s in site.store.sources.all()}
    assert site.store.articles.count() < before
    missing = editor.post(f"/admin/sources/{target.id}/pause", data={"csrf_token": token})
    assert missing.status_code == 404


def test_add_a_source_by_url_after_a_discovery_preview(
    site: AdminSite, editor: httpx.Client, outlet: Loopback
) -> None:
    outlet.route("/", Reply(headers={"Content-Type": "text/html"}, body=(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        b"</head><body>Gazette</body></html>"
    )))  # fmt: skip
    outlet.route("/rss.xml", Reply(headers={"Content-Type": "application/rss+xml"}, body=FEED))
    preview = editor.get("/admin/sources/new", params={"url": outlet.url("/")})
    assert preview.status_code == 200
    assert "La Gazette du Port" in preview.text
    assert "flux (RSS, Atom ou JSON Feed)" in preview.text  # the kind, in French
    assert outlet.url("/rss.xml") in preview.text
    assert outlet.url("/rss.xml") not in {s.url for s in site.store.sources.all()}
    token = admin_token(editor, "/admin/sources")
    added = editor.post(
        "/admin/sources",
        data={"csrf_token": token, "url": outlet.url("/rss.xml"), "kind": "feed",
              "name": "La Gazette du Port", "category": "régions", "lang": "fr"},
    )  # fmt: skip
    assert added.status_code == 303
    stored = {s.url: s for s in site.store.sources.all()}[outlet.url("/rss.xml")]
    assert (stored.name, stored.category, stored.lang) == ("La Gazette du Port", "régions", "fr")
    again = editor.post(
        "/admin/sources",
        data={"csrf_token": token, "url": outlet.url("/rss.xml"), "kind": "feed"},
    )
    assert again.status_code == 422
    said = html.unescape(again.text)
    assert "Cette source est déjà enregistrée." in said  # in French, the English detail beneath
    assert '<p lang="en">' in said and "already registered" in said
    broken = editor.get("/admin/sources/new", params={"url": "javascript:alert(1)"})
    assert broken.status_code == 200
    assert 'class="error"' in broken.text
    assert "Adresse ou valeur refusée" in html.unescape(broken.text)
    assert "uses the scheme javascript:" in html.unescape(broken.text)  # the detail beneath


def test_moderation_queue_approves_spams_and_deletes_in_bulk(
    site: AdminSite, editor: httpx.Client
) -> None:
    article = site.store.articles.latest(limit=1)[0]
    made = []
    for n in range(5):
        comment = site.store.comments.add(
            Comment(
                int(article.id or 0), f"Lectrice {n}", f"Avis numéro {n} <b>gras</b>", f"h{n}",
                hold_reason="links" if n == 0 else None,
            )
        )  # fmt: skip
        assert comment is not None and comment.id is not None
        made.append(comment.id)
    queue = editor.get("/admin/comments")
    assert queue.status_code == 200
    for comment_id in made:
        assert f'id="comment-{comment_id}"' in queue.text
    assert "&lt;b&gt;gras&lt;/b&gt;" in queue.text
    assert "contient plusieurs liens" in queue.text  # why it waits, in words
    token = admin_token(editor, "/admin/comments")
    approve = editor.post(
        "/admin/comments",
        data={"csrf_token": token, "action": "approve", "ids": [str(i) for i in made[:2]]},
    )
    assert approve.status_code == 303
    editor.post(
        "/admin/comments", data={"csrf_token": token, "action": "spam", "ids": [str(made[2])]}
    )
    editor.post(
        "/admin/comments",
        data={"csrf_token": token, "action": "delete", "ids": [str(i) for i in made[3:]]},
    )
    statuses = [site.store.comments.get(i).status for i in made]
    assert statuses == ["published", "published", "spam", "deleted", "deleted"]
    assert f'id="comment-{made[0]}"' not in editor.get("/admin/comments").text
    assert f'id="comment-{made[2]}"' in editor.get("/admin/comments?status=spam").text


def test_settings_view_lists_settings_and_masks_secrets(editor: httpx.Client) -> None:
    html = editor.get("/admin/settings").text
    assert "<code>excerpt_chars</code>" in html
    assert "<code>secret_key</code>" in html
    assert "never-shown-0xC0FFEE" not in html
    assert "masqué" in html


def test_admin_in_english(editor: httpx.Client) -> None:
    html = editor.get("/admin", headers={"Accept-Language": "en"}).text
    assert 'lang="en"' in html


def test_the_settings_page_explains_every_setting_in_the_admins_language(
    site: AdminSite, editor: httpx.Client
) -> None:
    assert set(SETTING_HELP) == {s.name for s in SETTINGS}, "a setting has no French description"
    french = html.unescape(editor.get("/admin/settings").text)
    for setting in SETTINGS:
        assert f"<code>{setting.name}</code>" in french
        assert SETTING_HELP[setting.name] in french
    assert "Secondes entre deux requêtes vers un même site." in french
    assert "Seconds between two requests to one host." not in french
    editor.cookies.set("actuel_lang", "en")
    try:
        english = html.unescape(editor.get("/admin/settings").text)
    finally:
        editor.cookies.delete("actuel_lang")
    assert all(setting.help in english for setting in SETTINGS)
