"""Search finds other forms of a word (French and English stemming), filters, groups by story, and
the migration re-indexes what was stored before it; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from actuel.config import Settings
from actuel.store import MARK_END, MARK_START, SearchFilters, Store, search, snippet_parts
from actuel.store.db import WRITE, create_engine
from actuel.store.migrate import MIGRATIONS
from actuel.store.stories import MemberRow, StoryUpdate
from tests.store.helpers import T0, add_source, article


def titles(store: Store, query: str, **filters: object) -> set[str]:
    page = store.search.page(query, SearchFilters(**filters), group_stories=False)  # type: ignore[arg-type]
    return {hit.article.title for hit in page.hits}


@pytest.fixture
def archive(store: Store) -> Store:
    kalaba = add_source(store, 1)
    meridian = add_source(store, 2)
    rows = [
        (kalaba, "Élection à Besançon", "Le maire a gagné l'élection dimanche.", "fr", 0),
        (kalaba, "Les élections régionales", "Les électeurs votent en mars.", "fr", 1),
        (kalaba, "ELECTIONS anticipées", "Le scrutin aura lieu cet été.", "fr", 2),
        (meridian, "Marathon day", "She runs every morning along the river.", "en", 3),
        (meridian, "Runners' club", "The club is running a race for charity.", "en", 4),
        (meridian, "Council election", "Voters chose their mayor on Sunday.", "en", 40),
    ]
    for n, (source, title, text, lang, days) in enumerate(rows):
        store.articles.upsert(
            article(
                source, n, title=title, text=text, language=lang, published_at=T0 + timedelta(days)
            )
        )
    return store


def test_french_forms_of_a_word_find_each_other(archive: Store) -> None:
    french = {"Élection à Besançon", "Les élections régionales", "ELECTIONS anticipées"}
    assert titles(archive, "élections", lang="fr") == french
    assert titles(archive, "election", lang="fr") == french
    assert titles(archive, "ÉLECTION", lang="fr") == french


def test_english_forms_of_a_word_find_each_other(archive: Store) -> None:
    assert titles(archive, "running") == {"Marathon day", "Runners' club"}
    assert titles(archive, "run", lang="en") == {"Marathon day", "Runners' club"}


def test_without_a_language_filter_a_word_is_read_in_both_languages(archive: Store) -> None:
    assert titles(archive, "elections") == {
        "Élection à Besançon",
        "Les élections régionales",
        "ELECTIONS anticipées",
        "Council election",
    }


def test_filters_by_language_outlet_and_dates(archive: Store) -> None:
    assert titles(archive, "election", lang="en") == {"Council election"}
    meridian = next(s for s in archive.sources.all() if s.name == "Journal 2")
    assert titles(archive, "election", source_id=meridian.id) == {"Council election"}
    assert titles(archive, "election", since=T0 + timedelta(days=10)) == {"Council election"}
    assert titles(archive, "election", until=T0 + timedelta(days=1)) == {"Élection à Besançon"}
    assert titles(archive, "election", source_id=999) == set()


def test_snippet_marks_the_other_form_in_the_original_text(archive: Store) -> None:
    [hit] = archive.search.page("electeur").hits
    assert f"Les {MARK_START}électeurs{MARK_END} votent en mars." == hit.snippet
    assert ("électeurs", True) in snippet_parts(hit.snippet)


def test_snippet_of_a_long_text_shows_the_passage_that_matches(store: Store) -> None:
    source = add_source(store)
    text = "Rien à signaler ce jour. " * 600 + "Les pompiers sont intervenus. " + "Fin. " * 100
    store.articles.upsert(article(source, 1, title="Journée calme", text=text))
    [hit] = store.search.page("pompier").hits
    assert hit.snippet.startswith("… ")
    assert f"{MARK_START}pompiers{MARK_END} sont intervenus." in hit.snippet
    assert hit.snippet.endswith(" …")
    assert len(hit.snippet) < 300


def test_a_story_shows_once_with_its_best_article(store: Store) -> None:
    source = add_source(store)
    ids = []
    for n in range(4):
        title = "Inondation à Dole" if n == 2 else f"Dépêche {n}"
        text = "La crue a inondé les caves." if n < 3 else "Une autre inondation, ailleurs."
        article_id, _ = store.articles.upsert(article(source, n, title=title, text=text))
        ids.append(article_id)
    store.stories.save(
        StoryUpdate(
            key="crue-dole",
            members=[MemberRow(i, "original" if i == ids[0] else "copy", ids[0]) for i in ids[:3]],
            original_article_id=ids[0],
        )
    )
    page = store.search.page("inondation")
    assert [hit.article.id for hit in page.hits] == [ids[2], ids[3]]  # the title match ranks first
    assert page.hits[0].story_key == "crue-dole" and page.hits[0].story_articles == 3
    assert page.hits[1].story_key is None
    assert len(store.search.page("crue").hits) == 1
    assert len(store.search.page("crue", group_stories=False).hits) == 3


def test_pages_follow_each_other(store: Store) -> None:
    source = add_source(store)
    for n in range(7):
        store.articles.upsert(article(source, n, title=f"Marché {n}", text="Le marché de Noël."))
    first = store.search.page("marchés", limit=3)
    second = store.search.page("marchés", limit=3, offset=3)
    last = store.search.page("marchés", limit=3, offset=6)
    assert first.has_more and second.has_more and not last.has_more
    seen = [h.article.id for h in first.hits + second.hits + last.hits]
    assert len(set(seen)) == 7


def test_matches_older_than_the_newest_articles_are_found_and_ranked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL reads the newest RECENT_ROWS articles one by one, then asks the index for older
    # matches: a small window puts matches on both sides of it
    monkeypatch.setattr(search, "RECENT_ROWS", 3)
    source = add_source(store)
    ids = []
    for n in range(9):
        title = "Vendanges précoces" if n == 1 else f"Dépêche {n}"
        text = "Les vendanges commencent." if n in (1, 2, 8) else "Rien à signaler."
        article_id, _ = store.articles.upsert(
            article(source, n, title=title, text=text, published_at=T0 + timedelta(hours=n))
        )
        ids.append(article_id)
    page = store.search.page("vendange")
    assert [hit.article.id for hit in page.hits] == [ids[1], ids[8], ids[2]]  # title first
    assert titles(store, "vendanges", lang="fr", until=T0 + timedelta(hours=2)) == {
        "Vendanges précoces"
    }
    assert titles(store, "signaler") == {f"Dépêche {n}" for n in range(9) if n not in (1, 2, 8)}


def test_relevance_orders_the_newest_matches(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 4)  # a word found in more articles than that
    monkeypatch.setattr(search, "RECENT_ROWS", 3)
    source = add_source(store)
    ids = []
    for n in range(9):
        title = "Marché de Noël" if n in (0, 6) else f"Dépêche {n}"
        article_id, _ = store.articles.upsert(
            article(source, n, title=title, text="Le marché ouvre.", published_at=T0)
        )
        ids.append(article_id)
    page = store.search.page("marché", group_stories=False)
    assert [hit.article.id for hit in page.hits] == [ids[6], ids[8], ids[7], ids[5]]


def test_a_changed_text_or_language_is_indexed_again(store: Store) -> None:
    source = add_source(store)
    article_id, _ = store.articles.upsert(article(source, 1, title="Brève", text="Orage sur Metz."))
    found = store.articles.get(article_id)
    found.text = "Grêle sur Nancy."
    store.articles.update_extraction(found)
    assert titles(store, "orage") == set()
    assert titles(store, "grêle nancy") == {"Brève"}


def test_the_migration_indexes_articles_stored_before_it(db_url: str, settings: Settings) -> None:
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = conn
                command.upgrade(config, "0002")
                conn.execute(
                    sa.text(
                        "INSERT INTO sources (id, url, name, kind, state, error_count, created_at) "
                        "VALUES (1, 'https://a.example/rss', 'A', 'feed', 'active', 0, :now)"
                    ),
                    {"now": T0},
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO articles (source_id, url, canonical_url, title, text, "
                        "language, from_feed_only, page_attempts, first_seen_at) VALUES (1, "
                        "'https://a.example/1', 'https://a.example/1', 'Les élections', "
                        "'Les électrices ont voté.', 'fr', false, 0, :now)"
                    ),
                    {"now": T0},
                )
    finally:
        engine.dispose()
    with Store.open(db_url, settings) as store:
        assert titles(store, "election") == {"Les élections"}
        assert store.maintenance.integrity_check() == []
