"""Articles translated after they are stored, through a LibreTranslate server on loopback (a
stand-in speaking its API: tests/support/libretranslate.py), and what the French site then shows.

The demo world is ingested once a session (tests/web/demo_site.py) and copied for each test."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from actuel.cli import main
from actuel.config import Settings
from actuel.model import Translation
from actuel.pipeline.translation import open_translator, translate_pending, translation_loop
from actuel.store import Store
from actuel.translate.backend import Translator
from actuel.web.app import create_app
from tests.support.libretranslate import FakeLibreTranslate, translated
from tests.support.webserver import running
from tests.web.demo_site import DemoSite, cards


@pytest.fixture
def server() -> Iterator[FakeLibreTranslate]:
    with FakeLibreTranslate() as fake:
        yield fake


def _copy(site: DemoSite, tmp_path: Path, server: FakeLibreTranslate) -> Settings:
    target = tmp_path / "copy.db"
    with Store.open(site.settings.db, site.settings, readonly=True) as store:
        store.maintenance.backup(str(target))
    return site.settings.replace(
        db=str(target), translate_backend="libretranslate", translate_url=server.url
    )


def _home_cards(settings: Settings) -> list[str]:
    found: list[str] = []
    with Store.open(settings.db, settings, readonly=True) as store:
        app = create_app(settings.replace(site_page_size=100), store)
        with running(app) as base:
            page = httpx.get(base + "/", timeout=30)
            assert page.status_code == 200
            found = cards(page.text)
    return found


def _english_headlines(found: list[str]) -> list[str]:
    return [c for c in found if re.search(r'<a href="/stories/[^"]+" lang="en"', c)]


def _translator(settings: Settings) -> Translator:
    translator = open_translator(settings)
    assert translator is not None
    return translator


def test_after_actuel_translate_no_english_headline_is_left_on_the_french_home(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    before = _english_headlines(_home_cards(settings))
    assert before, "the demo's French home shows English headlines before any translation"

    env = {
        "ACTUEL_DB": settings.db,
        "ACTUEL_TRANSLATE_BACKEND": "libretranslate",
        "ACTUEL_TRANSLATE_URL": server.url,
    }
    result = CliRunner().invoke(main, ["translate", "-q"], env=env)
    assert result.exit_code == 0, result.output

    after = _home_cards(settings)
    assert not _english_headlines(after)
    labelled = [c for c in after if "Traduction automatique" in c]
    assert len(labelled) >= len(before)
    for card in labelled:
        title = re.search(r'<a href="/stories/[^"]+">([^<]+)</a>', card)
        assert title is not None and title.group(1).startswith("fr:"), card
        assert "original en anglais" in card or "original en" in card
        assert re.search(r'href="/articles/\d+" hreflang="[a-z]+"', card)

    stats = CliRunner().invoke(main, ["stats", "--json"], env=env)
    counts = json.loads(stats.output)["translations"]
    assert counts["translated"] > 0 and counts["pending"] == 0 and counts["into"] == ["fr"]


def test_a_french_member_is_preferred_to_a_machine_translation(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    with Store.open(settings.db, settings) as store:
        translate_pending(store, _translator(settings), ["fr"])
        views = store.stories.latest(limit=500)
    mixed = [v for v in views if v.language == "en" and "fr" in v.languages]
    assert mixed, "the demo has English originals with a French member"
    for view in mixed:
        shown = view.headline("fr")
        assert shown.translated_from is None and shown.language == "fr", view.key
        assert not (shown.title or "").startswith("fr:")


def test_a_backend_that_is_down_leaves_articles_shown_and_they_are_translated_later(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    translator = _translator(settings)
    server.fail_next(500, 4)  # every try of the first request: the client gives up
    with Store.open(settings.db, settings) as store:
        report = translate_pending(store, translator, ["fr"])
        assert report.paused and report.translated == 0
        assert store.translations.counts(["fr"])["translated"] == 0
        pending = store.translations.counts(["fr"])["pending"]
    assert _english_headlines(_home_cards(settings)), "shown in the original meanwhile"

    with Store.open(settings.db, settings) as store:
        report = translate_pending(store, translator, ["fr"])
        assert report.paused is None and report.translated == pending
    assert not _english_headlines(_home_cards(settings))


def test_a_server_that_dies_midway_keeps_the_rounds_already_stored(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server).replace(translate_batch=2)
    server.die_after(3)
    with Store.open(settings.db, settings) as store:
        report = translate_pending(store, _translator(settings), ["fr"], limit=None)
        assert report.paused
        kept = store.translations.counts(["fr"])
    assert kept["pending"] > 0
    for found in _stored(settings):
        assert found.title and found.title.startswith("fr:"), "no half-translated row"


def _stored(settings: Settings) -> list[Translation]:
    with Store.open(settings.db, settings, readonly=True) as store:
        ids = [a.id for a in store.articles.latest(limit=10_000) if a.id is not None]
        return store.translations.of_articles(ids)


def test_the_same_title_is_sent_once_and_redo_sends_nothing_new(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    translator = _translator(settings)
    with Store.open(settings.db, settings) as store:
        first = translate_pending(store, translator, ["fr"])
        sent = [t for r in server.translations for t in r.body["q"]]
        assert len(sent) == len(set(sent)), "each text crosses the wire once"
        assert first.sent == len(sent)
        again = translate_pending(store, translator, ["fr"], redo=True)
        assert again.translated == first.translated
        assert again.sent == 0 and again.from_cache >= first.sent


def test_a_language_the_backend_cannot_translate_is_marked_and_kept_in_its_language(
    demo_site: DemoSite, tmp_path: Path
) -> None:
    only_german = (("de", "German", ("fr",)), ("fr", "French", ("de",)))
    with FakeLibreTranslate(only_german) as server:
        settings = _copy(demo_site, tmp_path, server)
        with Store.open(settings.db, settings) as store:
            report = translate_pending(store, _translator(settings), ["fr"])
            counts = store.translations.counts(["fr"])
        assert report.failed > 0 and counts["failed"] == report.failed
        assert any("neither en→fr nor through en" in e for e in report.errors)
        assert not server.translations, "no request for a pair the server lacks"
        assert _english_headlines(_home_cards(settings))


def test_the_article_page_shows_the_translation_labelled_with_the_original_beside(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    with Store.open(settings.db, settings) as store:
        translate_pending(store, _translator(settings), ["fr"])
        english = next(a for a in store.articles.latest(limit=500) if a.language == "en")
        app = create_app(settings, store)
        with running(app) as base:
            page = httpx.get(f"{base}/articles/{english.id}", timeout=30).text
            english_page = httpx.get(f"{base}/en/articles/{english.id}", timeout=30)
    assert f"<h1>{translated(english.title or '', 'fr')}</h1>" in page.replace("&#39;", "'")
    assert "Traduction automatique" in page and "original en anglais" in page
    assert '<span lang="en">' in page, "the original title stays, with its language"
    if english_page.status_code == 200:
        assert "fr:" not in english_page.text.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_actuel_run_translates_beside_ingest_in_a_thread_that_stops_with_it(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    stop = threading.Event()
    worker = threading.Thread(
        target=translation_loop, args=(settings, stop), kwargs={"idle_s": 0.2}
    )
    worker.start()
    try:
        for _ in range(200):
            with Store.open(settings.db, settings, readonly=True) as store:
                if store.translations.counts(["fr"])["pending"] == 0:
                    break
            stop.wait(0.1)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not worker.is_alive()
    assert not _english_headlines(_home_cards(settings))


def _json_ld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_json_ld_feeds_and_the_api_carry_the_translation_beside_the_original(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    with Store.open(settings.db, settings) as store:
        translate_pending(store, _translator(settings), ["fr"])
        view = next(
            v
            for v in store.stories.latest(limit=500)
            if v.language == "en" and "fr" not in v.languages and v.original_article_id
        )
        original = store.articles.get(view.original_article_id or 0)
        app = create_app(settings, store)
        with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            story = _json_ld(client.get(f"/stories/{view.key}").text)
            article = _json_ld(client.get(f"/articles/{original.id}").text)
            feed = client.get("/feed.xml").text
            api = client.get(f"/api/v1/articles/{original.id}").json()
            story_api = client.get(f"/api/v1/stories/{view.key}").json()
    expected = translated(original.title or "", "fr")
    assert story["headline"] == expected and story["inLanguage"] == "fr"
    assert story["translationOfWork"]["url"] == original.url  # type: ignore[index]
    assert story["translator"]["@type"] == "SoftwareApplication"  # type: ignore[index]
    work = article["workTranslation"]
    assert work["headline"] == expected and work["inLanguage"] == "fr"  # type: ignore[index]
    assert work["translationOfWork"]["url"] == original.url  # type: ignore[index]
    assert "libretranslate" in work["translator"]["name"]  # type: ignore[index]
    assert expected.replace("'", "&#39;") in feed or expected in feed
    assert "Traduction automatique" in feed
    assert api["translations"]["fr"]["title"] == expected
    assert api["translations"]["fr"]["from"] == "en" and api["title"] == original.title
    headline = story_api["headlines"]["fr"]
    assert headline["translated_from"] == "en" and headline["title"] == expected


def test_a_reader_asks_for_the_whole_text_and_it_is_translated_sentence_by_sentence(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server)
    with Store.open(settings.db, settings) as store:
        english = next(a for a in store.articles.latest(limit=500) if a.language == "en")
        french = next(a for a in store.articles.latest(limit=500) if a.language == "fr")
        app = create_app(settings.replace(site_cache_check_s=0.0), store)  # see changes at once
        with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            page = client.get(f"/articles/{english.id}").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert token is not None and "Traduire le texte automatiquement" in page
            asked = client.post(
                f"/articles/{english.id}/translation", data={"csrf_token": token.group(1)}
            )
            assert asked.status_code == 303
            assert "elle paraîtra ici dans un moment" in client.get(f"/articles/{english.id}").text
            refused = client.post(
                f"/articles/{french.id}/translation", data={"csrf_token": token.group(1)}
            )
            assert refused.status_code == 400, "a French article is not translated into French"
            report = translate_pending(store, _translator(settings), ["fr"])
            assert report.texts == 1
            shown = client.get(f"/articles/{english.id}").text
    assert "Le texte en français" in shown and "paraîtra ici" not in shown
    first_sentence = (english.text or "").split(". ")[0]
    assert translated(first_sentence, "fr")[:40] in shown.replace("&#39;", "'")
    sent = [t for r in server.translations for t in r.body["q"]]
    assert all(len(t) <= 600 for t in sent)
    with Store.open(settings.db, settings, readonly=True) as store:
        saved = store.translations.get(english.id or 0, "fr")
        assert saved is not None and saved.text and saved.text.count("\n\n") >= 1
        assert store.translations.text_requested(english.id or 0) == set()


def test_translate_full_text_translates_every_text(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server).replace(translate_full_text=True)
    with Store.open(settings.db, settings) as store:
        report = translate_pending(store, _translator(settings), ["fr"], every_text=True)
        ids = [a.id for a in store.articles.latest(limit=500) if a.language == "en" and a.text]
        texts = store.translations.of_articles([i for i in ids if i is not None], "fr")
    assert report.texts == len(ids) and all(t.text for t in texts)


def test_without_a_backend_no_translation_is_offered(demo_site: DemoSite) -> None:
    settings = demo_site.settings
    with Store.open(settings.db, settings, readonly=True) as store:
        english = next(a for a in store.articles.latest(limit=500) if a.language == "en")
        app = create_app(settings, store)
        with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            page = client.get(f"/articles/{english.id}").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert "Traduire le texte automatiquement" not in page and token is not None
            asked = client.post(
                f"/articles/{english.id}/translation", data={"csrf_token": token.group(1)}
            )
    assert asked.status_code == 400


def test_with_fr_en_the_english_pages_read_french_reports_in_english(
    demo_site: DemoSite, tmp_path: Path, server: FakeLibreTranslate
) -> None:
    settings = _copy(demo_site, tmp_path, server).replace(translate_into="fr,en")
    assert settings.translate_languages == ["fr", "en"]
    with Store.open(settings.db, settings) as store:
        translate_pending(store, _translator(settings), settings.translate_languages)
        french_only = [
            v
            for v in store.stories.latest(limit=500)
            if v.language == "fr" and "en" not in v.languages
        ]
    assert french_only
    for view in french_only:
        shown = view.headline("en")
        assert shown.translated_from == "fr" and (shown.title or "").startswith("en:")
    with Store.open(settings.db, settings, readonly=True) as store:
        app = create_app(settings.replace(site_page_size=100), store)
        with running(app) as base:
            english = httpx.get(base + "/", headers={"Accept-Language": "en"}, timeout=30).text
    assert "Machine translation" in english
    assert not re.search(r'<a href="/stories/[^"]+" lang="fr"', english)


def test_an_untranslated_foreign_headline_says_its_language(demo_site: DemoSite) -> None:
    found = _home_cards(demo_site.settings)
    english = _english_headlines(found)
    assert english and all('<span class="lang-label">en anglais</span>' in c for c in english)
