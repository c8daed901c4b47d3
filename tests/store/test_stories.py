"""Stored stories on both backends: migration 0002, listings, redirects, members, quotes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from actuel.config import Settings
from actuel.errors import NotFoundError, StoreError
from actuel.model import Credit, Quote, Source
from actuel.reading.quotes import quote_key
from actuel.store import Store
from actuel.store.db import WRITE, create_engine
from actuel.store.migrate import MIGRATIONS, head_revision
from actuel.store.stories import MemberRow, StoryUpdate
from tests.store.helpers import T0, add_source, article


def _migrate_to(db_url: str, revision: str) -> None:
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
    finally:
        engine.dispose()


def _tables_and_version(db_url: str) -> tuple[set[str], str | None]:
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    return tables, version


def test_migration_0002_upgrades_a_0001_database_keeping_its_articles(
    db_url: str, settings: Settings
) -> None:
    _migrate_to(db_url, "0001")
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO sources (url, name, created_at) "
                    "VALUES ('https://a.example.fr/rss', 'A', '2026-03-01 08:00:00')"
                )
            )
    finally:
        engine.dispose()
    with Store.open(db_url, settings) as store:
        assert [s.name for s in store.sources.all()] == ["A"]
        assert store.stories.latest() == []
    tables, version = _tables_and_version(db_url)
    assert {"stories", "story_articles", "article_credits", "article_quotes"} <= tables
    assert version == head_revision()


def test_migration_0002_that_fails_midway_leaves_the_0001_schema_whole(
    db_url: str, settings: Settings
) -> None:
    _migrate_to(db_url, "0001")
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.begin() as conn:  # a leftover table makes the last step of 0002 fail
            conn.execute(sa.text("CREATE TABLE article_quotes (x INTEGER)"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError) as refused:
        Store.open(db_url, settings)
    assert f"from 0001 to {head_revision()} failed" in str(refused.value)
    tables, version = _tables_and_version(db_url)
    assert version == "0001"
    assert not {"stories", "story_articles", "article_credits"} & tables  # nothing half-made
    engine = create_engine(db_url, busy_timeout_ms=10_000, readonly=False)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE article_quotes"))
    finally:
        engine.dispose()
    with Store.open(db_url, settings) as store:  # the fix applied, it goes through
        assert store.stories.latest() == []


def _stored(store: Store, source: Source, n: int, **fields: object) -> int:
    article_id, _ = store.articles.upsert(article(source, n, **fields))
    return article_id


def _story(store: Store, key: str, members: list[MemberRow], **fields: object) -> int:
    original = next((m.article_id for m in members if m.relation == "original"), None)
    return store.stories.save(
        StoryUpdate(key=key, members=members, original_article_id=original, **fields)  # type: ignore[arg-type]
    )


def test_a_story_lists_with_its_original_outlets_and_languages(store: Store) -> None:
    courrier = add_source(store, 1, category="regional")
    post = add_source(store, 2, category="international")
    first = _stored(store, courrier, 1, title="Grève des dockers", summary="Le port s'arrête.")
    copy = _stored(store, post, 2, title="Dockers strike", language="en")
    story_id = _story(
        store,
        "st-1",
        [
            MemberRow(first, "original", confidence=1.0),
            MemberRow(copy, "translation", first, 0.91, {"aligned": [[0, 0]], "names": 0.8}),
        ],
        original_credit=None,
    )
    view = store.stories.get("st-1")
    assert view.id == story_id
    assert (view.title, view.summary) == ("Grève des dockers", "Le port s'arrête.")
    assert view.original_article_id == first
    assert view.original_source == "Journal 1"
    assert view.category == "regional"  # the original's outlet's
    assert view.article_count == 2
    assert view.languages == ["en", "fr"]
    assert view.outlets == ["Journal 1", "Journal 2"]  # in the order they published
    assert view.updated_at == T0 + timedelta(minutes=2)
    members = store.stories.members(story_id)
    assert [m.article.id for m in members] == [first, copy]
    assert [m.relation for m in members] == ["original", "translation"]
    assert members[1].derived_from == first
    assert members[1].evidence == {"aligned": [[0, 0]], "names": 0.8}
    assert members[1].source_name == "Journal 2"
    found = store.stories.of_article(copy)
    assert found is not None and found[0].key == "st-1" and found[1].relation == "translation"
    assert store.stories.of_article(999_999) is None
    with pytest.raises(NotFoundError):
        store.stories.get("st-nope")


def test_latest_stories_newest_activity_first_with_cursor_and_filters(store: Store) -> None:
    fr = add_source(store, 1, category="regional")
    en = add_source(store, 2, category="international")
    keys = []
    for n in range(7):
        source = en if n % 3 == 0 else fr
        lang = "en" if source is en else "fr"
        article_id = _stored(store, source, n, language=lang)
        _story(store, f"st-{n}", [MemberRow(article_id, "original")])
        keys.append(f"st-{n}")
    seen: list[str] = []
    before = None
    while True:
        page = store.stories.latest(limit=3, before=before)
        if not page:
            break
        seen.extend(s.key for s in page)
        last = page[-1]
        assert last.updated_at is not None
        before = (last.updated_at, last.id)
    assert seen == keys[::-1]
    assert [s.key for s in store.stories.latest(lang="en")] == ["st-6", "st-3", "st-0"]
    regional = store.stories.latest(category="regional")
    assert [s.key for s in regional] == ["st-5", "st-4", "st-2", "st-1"]
    related = store.stories.related(store.stories.get("st-4").id, limit=2)
    assert [s.key for s in related] == ["st-5", "st-2"]  # same category, recent, not itself


def test_merged_story_key_resolves_to_the_survivor_with_all_members(store: Store) -> None:
    source = add_source(store)
    a, b, bridge = (_stored(store, source, n) for n in (1, 2, 3))
    _story(store, "st-a", [MemberRow(a, "original")])
    _story(store, "st-b", [MemberRow(b, "original")])
    survivor = store.stories.save(
        StoryUpdate(
            key="st-a",
            members=[MemberRow(bridge, "independent"), MemberRow(b, "independent")],
            merged_keys=["st-b"],
            original_article_id=a,
        )
    )
    assert store.stories.get("st-b").key == "st-a"
    assert store.stories.get("st-b").id == survivor
    assert [s.key for s in store.stories.latest()] == ["st-a"]
    assert [m.article.id for m in store.stories.members(survivor)] == [a, b, bridge]
    assert store.stories.get("st-a").article_count == 3


def test_a_human_locked_story_keeps_its_original(store: Store) -> None:
    source = add_source(store)
    a, b = _stored(store, source, 1), _stored(store, source, 2, title="Autre titre")
    story_id = _story(store, "st-a", [MemberRow(a, "original")])
    store.stories.set_locked(story_id)
    store.stories.save(
        StoryUpdate(key="st-a", members=[MemberRow(b, "original")], original_article_id=b)
    )
    view = store.stories.get("st-a")
    assert view.original_article_id == a and view.title == "Article numéro 1"
    assert view.article_count == 2


def _quote(text: str, speaker: str | None = None) -> Quote:
    """A French quote as the enrich stage gives it to the store: with its key."""
    return Quote(text, speaker, "fr", key=quote_key(Quote(text)))


def test_story_quotes_are_grouped_across_outlets_cut_ones_included(store: Store) -> None:
    one, two = add_source(store, 1), add_source(store, 2)
    a, b = _stored(store, one, 1), _stored(store, two, 2)
    _story(store, "st-q", [MemberRow(a, "original"), MemberRow(b, "excerpt", a)])
    full = "Nous ne reprendrons pas le travail tant que la direction refuse de négocier"
    store.articles.save_extras(
        a,
        [Credit(outlet="AFP", kind="wire", phrase="(AFP)")],
        [_quote(full, "Marc Diallo"), _quote("Le port, c'est nous !")],
    )
    store.articles.save_extras(
        b, [], [_quote("nous ne reprendrons pas le travail tant que la direction")]
    )
    quotes = store.stories.quotes(store.stories.get("st-q").id)
    assert quotes[0].text == full
    assert quotes[0].speaker == "Marc Diallo"
    assert quotes[0].article_ids == [a, b]
    assert quotes[0].outlets == ["Journal 1", "Journal 2"]
    assert [q.text for q in quotes[1:]] == ["Le port, c'est nous !"]
    assert store.articles.credits(a) == [Credit(outlet="AFP", kind="wire", phrase="(AFP)")]
    assert [q.speaker for q in store.articles.quotes(a)] == ["Marc Diallo", None]
    # extracting again replaces, never duplicates
    store.articles.save_extras(b, [], [])
    assert store.stories.quotes(store.stories.get("st-q").id)[0].article_ids == [a]


def test_removing_a_source_takes_its_members_along(store: Store) -> None:
    keep, gone = add_source(store, 1), add_source(store, 2)
    a, b = _stored(store, keep, 1), _stored(store, gone, 2)
    story_id = _story(store, "st-r", [MemberRow(a, "original"), MemberRow(b, "copy", a)])
    store.articles.save_extras(b, [Credit("AFP", "wire", "(AFP)")], [_quote("Un mot de plus ici")])
    assert gone.id is not None
    store.sources.remove(gone.id)
    assert [m.article.id for m in store.stories.members(story_id)] == [a]
    assert store.stories.get("st-r").article_count == 1
    assert store.stories.quotes(story_id) == []


def _world_story(store: Store) -> dict[str, int]:
    """An English report (09:00), its French translation dated only by its day (stored as
    midnight), a copy of that translation at the same minute as the report, a French report of
    its own, and an English copy of the report bearing the report's very time."""
    meridian, kalaba = add_source(store, 1), add_source(store, 2)
    echo, courrier = add_source(store, 3), add_source(store, 4)
    day = T0.replace(hour=0, minute=0)
    report = T0.replace(hour=9, minute=0)
    ids = {
        "report": _stored(
            store, meridian, 1, title="Dockers strike at Port-Ambre", language="en",
            summary="The port stops.", published_at=report,
        ),
        "translation": _stored(
            store, kalaba, 2, title="Grève des dockers à Port-Ambre", language="fr",
            summary="Le port s'arrête.", published_at=day,
        ),
        "copy": _stored(
            store, echo, 3, title="Grève des dockers à Port-Ambre", language="fr",
            published_at=report,
        ),
        "own": _stored(
            store, courrier, 4, title="Le port à l'arrêt, les dockers tiennent", language="fr",
            published_at=report + timedelta(hours=2),
        ),
        "english_copy": _stored(
            store, echo, 5, title="Dockers strike at Port-Ambre", language="en",
            published_at=report,
        ),
    }  # fmt: skip
    _story(
        store,
        "st-port",
        [
            MemberRow(ids["report"], "original"),
            MemberRow(ids["translation"], "translation", ids["report"], 0.9),
            MemberRow(ids["copy"], "copy", ids["translation"], 0.97),
            MemberRow(ids["own"], "independent", None, 0.7),
            MemberRow(ids["english_copy"], "copy", ids["report"], 0.99),
        ],
        first_published_at=report,
    )
    return ids


def test_a_story_is_headlined_in_each_language_by_a_member_in_it(store: Store) -> None:
    ids = _world_story(store)
    view = store.stories.get("st-port")
    assert view.title == "Dockers strike at Port-Ambre"  # the original's, as stored
    french = view.headline("fr")
    assert (french.title, french.summary, french.language, french.article_id) == (
        "Grève des dockers à Port-Ambre",
        "Le port s'arrête.",
        "fr",
        ids["translation"],
    )
    assert view.headline("en").title == "Dockers strike at Port-Ambre"
    assert view.headline("en").article_id == ids["report"]
    assert view.headline("de") == view.headline("en")  # no German member: the original's
    # listings carry the same headlines
    [listed] = store.stories.latest(lang="fr")
    assert listed.headline("fr") == french
    news = store.listings.news_stories(since=T0 - timedelta(days=1), limit=10, lang="fr")
    assert [(n.title, n.language) for n in news] == [("Grève des dockers à Port-Ambre", "fr")]
    news = store.listings.news_stories(since=T0 - timedelta(days=1), limit=10, lang="en")
    assert [(n.title, n.language) for n in news] == [("Dockers strike at Port-Ambre", "en")]


def test_the_timeline_lists_a_copy_or_translation_after_its_source(store: Store) -> None:
    ids = _world_story(store)
    members = store.stories.members(store.stories.get("st-port").id)
    order = [m.article.id for m in members]
    assert order[0] == ids["report"]  # before its bare-dated translation and its same-minute copy
    position = {article_id: n for n, article_id in enumerate(order)}
    for member in members:
        if member.derived_from is not None:
            assert position[member.derived_from] < position[member.article.id], order
    assert order.index(ids["translation"]) < order.index(ids["copy"])
