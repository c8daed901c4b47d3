"""The translations rows on both backends: what is still to translate, a failure that never
replaces a translation, the cache by words and pair, the counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from actuel.model import Translation
from actuel.store import Store
from actuel.store.translations import TranslationFailed, text_hash
from tests.store.helpers import add_source, article


def _stored(store: Store, n: int, language: str | None, title: str) -> int:
    source = add_source(store, n)
    article_id, _ = store.articles.upsert(article(source, n, language=language, title=title))
    return article_id


def _done(article_id: int, title: str, when: datetime) -> Translation:
    return Translation(
        article_id, "fr", "en", title, None, backend="libretranslate", model="m", translated_at=when
    )


def test_only_articles_in_another_language_are_wanted_and_the_newest_first(store: Store) -> None:
    english = _stored(store, 1, "en", "Mine collapse")
    newer = _stored(store, 2, "de", "Grubenunglück")
    _stored(store, 3, "fr", "Déjà en français")
    _stored(store, 4, None, "Langue inconnue")
    wanted = store.translations.wanted(["fr"])
    assert [(w.article_id, w.source_lang, w.target) for w in wanted] == [
        (newer, "de", "fr"),
        (english, "en", "fr"),
    ]
    assert wanted[1].title == "Mine collapse"
    both = store.translations.wanted(["fr", "en"])
    assert {(w.article_id, w.target) for w in both} >= {(english, "fr"), (newer, "en")}
    assert (english, "en") not in {(w.article_id, w.target) for w in both}


def test_a_failure_waits_its_turn_and_never_replaces_a_translation(store: Store) -> None:
    now = datetime.now(UTC)
    one = _stored(store, 1, "en", "One")
    two = _stored(store, 2, "en", "Two")
    store.translations.save([_done(one, "fr:ONE", now)])
    later = now + timedelta(hours=1)
    store.translations.save(
        [],
        [
            TranslationFailed(one, "en", "fr", "refused", later),
            TranslationFailed(two, "en", "fr", "refused", later),
        ],
    )
    assert store.translations.get(one, "fr") is not None, "the failed redo kept the translation"
    assert store.translations.get(two, "fr") is None
    assert [w.article_id for w in store.translations.wanted(["fr"], now=now)] == []
    due = store.translations.wanted(["fr"], now=later + timedelta(seconds=1))
    assert [w.article_id for w in due] == [two]
    assert store.translations.counts(["fr"]) == {"translated": 1, "failed": 1, "pending": 0}


def test_the_cache_answers_by_words_and_pair(store: Store) -> None:
    one = _stored(store, 1, "en", "One")
    store.translations.save(
        [_done(one, "fr:ONE", datetime.now(UTC))],
        cache={("en", "fr"): {"Mine  collapse": "Effondrement"}},
        backend="libretranslate",
        models={("en", "fr"): "m"},
    )
    assert store.translations.cached([text_hash("Mine collapse")], "en", "fr") == {
        text_hash("Mine collapse"): "Effondrement"
    }
    assert store.translations.cached([text_hash("Mine collapse")], "en", "de") == {}


def test_removing_a_source_removes_its_translations(store: Store) -> None:
    one = _stored(store, 1, "en", "One")
    store.translations.save([_done(one, "fr:ONE", datetime.now(UTC))])
    store.sources.remove(store.sources.all()[0].url)
    assert store.translations.of_articles([one]) == []


def test_search_finds_an_english_report_by_the_french_words_of_its_translation(
    store: Store,
) -> None:
    english = _stored(store, 1, "en", "Mine collapse kills eleven in the north")
    french = _stored(store, 2, "fr", "Les effondrements se multiplient")
    assert [a.id for a, _ in store.search.hits("effondrement mine")] == []
    done = Translation(
        english,
        "fr",
        "en",
        "L'effondrement d'une mine fait onze morts dans le nord",
        "Les secours cherchent encore des mineurs.",
        backend="libretranslate",
        model="m",
        translated_at=datetime.now(UTC),
    )
    store.translations.save([done])
    assert [a.id for a, _ in store.search.hits("effondrement mine")] == [english]
    assert {a.id for a, _ in store.search.hits("effondrements")} == {english, french}
    assert [a.id for a, _ in store.search.hits("secours mineurs", lang="en")] == [english]
    assert store.search.hits("secours mineurs", lang="fr") == []


def test_a_translation_that_failed_or_went_is_not_searched(store: Store) -> None:
    english = _stored(store, 1, "en", "Bridge reopens")
    store.translations.save(
        [], [TranslationFailed(english, "en", "fr", "refused", datetime.now(UTC))]
    )
    assert store.search.hits("refused") == []
    store.translations.save([_done(english, "Le pont rouvre", datetime.now(UTC))])
    assert [a.id for a, _ in store.search.hits("pont")] == [english]
    store.sources.remove(store.sources.all()[0].url)
    assert store.search.hits("pont") == []
