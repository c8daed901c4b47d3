"""Stories as articles are ingested: copies grouped, originals credited, keys kept stable.

One ingest of the demo world per backend carries every check (ingesting costs more than checking):
grouping against the manifest, originals, a second pass, a restart, and an article bridging two
stories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

import pytest

from actuel.cli.demo import demo_settings, register_outlets
from actuel.config import Settings
from actuel.demo.build import load_world
from actuel.demo.server import DemoWorld
from actuel.fetch import Fetcher
from actuel.model import Article, Source
from actuel.pipeline import utcnow
from actuel.pipeline.ingest import Ingestor
from actuel.pipeline.reprocess import reprocess
from actuel.pipeline.stories_step import StoriesStep, story_doc
from actuel.store import Store


@pytest.fixture(scope="module")
def world() -> Iterator[DemoWorld]:
    with DemoWorld(flaky=False) as running:
        yield running


def bcubed_f1(predicted: Mapping[str, str], truth: Mapping[str, str]) -> float:
    """B-cubed F1 of a clustering (item -> cluster) against the true one, on the same items."""
    ours, theirs = defaultdict(set), defaultdict(set)
    for item in predicted:
        ours[predicted[item]].add(item)
        theirs[truth[item]].add(item)
    precision = recall = 0.0
    for item in predicted:
        shared = len(ours[predicted[item]] & theirs[truth[item]])
        precision += shared / len(ours[predicted[item]])
        recall += shared / len(theirs[truth[item]])
    precision, recall = precision / len(predicted), recall / len(predicted)
    return 2 * precision * recall / (precision + recall)


def ingest(store: Store, settings: Settings, world: DemoWorld) -> None:
    with Fetcher(settings) as fetcher:
        sources = register_outlets(store, fetcher, world.outlets)
        with Ingestor(store, fetcher, settings) as ingestor:
            ingestor.run_pass(sources)


def story_keys(store: Store, world: DemoWorld) -> dict[str, str]:
    """Manifest article id -> story key, for every stored article."""
    keys: dict[str, str] = {}
    for story in store.stories.latest(limit=1000):
        for member in store.stories.members(story.id):
            article_id = world.article_for_url(member.article.url)
            assert article_id is not None, member.article.url
            keys[article_id] = story.key
    return keys


def add_article(
    store: Store, source: Source, title: str, text: str, published_at: datetime, slug: str = "b"
) -> Article:
    assert source.id is not None
    now = utcnow()
    article = Article(
        source_id=source.id,
        url=f"http://127.0.0.1:9/{slug}",
        canonical_url=f"http://127.0.0.1:9/{slug}",
        title=title,
        text=text,
        published_at=published_at,
        language="fr",
        first_seen_at=now,
    )
    article.id, _ = store.articles.upsert(article)
    return article


def test_demo_world_stories_match_the_manifest_and_keep_their_keys(
    world: DemoWorld, migrated_db_url: str, settings: Settings
) -> None:
    settings = demo_settings(settings.replace(db=migrated_db_url))
    manifest = {row["id"]: row for row in world.manifest["articles"]}
    with Store.open(migrated_db_url, settings) as store:
        ingest(store, settings, world)
        keys = story_keys(store, world)
        stored = store.articles.count()
        # every stored article is in exactly one story
        assert len(keys) == stored
        assert not any(manifest[a]["outlet"] == "portail-citoyen" for a in keys)  # broken feed
        truth = {a: manifest[a]["story"] for a in keys}
        assert bcubed_f1(keys, truth) >= 0.9
        stories = store.stories.latest(limit=1000)
        assert all(s.original_article_id or s.original_credit for s in stories)
        for listed in stories:  # counts and languages kept up to date article by article
            listed_members = store.stories.members(listed.id)
            assert listed.title and listed.article_count == len(listed_members)
            assert listed.languages == sorted({m.article.language or "" for m in listed_members})
        # s08: The Meridian Post's report, translated and copied by others, is credited to it
        s08 = {keys[a] for a in keys if manifest[a]["story"] == "s08"}
        assert len(s08) == 1
        story = store.stories.get(s08.pop())
        assert story.original_source == "The Meridian Post"
        members = store.stories.members(story.id)
        derived = [m for m in members if m.derived_from is not None]
        ids = {m.article.id for m in members}
        assert derived and all(m.derived_from in ids for m in derived)
        assert all(m.relation in ("copy", "translation", "excerpt", "rewrite") for m in derived)
        assert [m.relation for m in members].count("original") == 1
        assert {"en", "fr"} <= set(story.languages)
        # a copy of the French translation derives from that translation, not the English report
        derived_from = {m.article.id: m.derived_from for m in members}
        echo = _stored_id(store, world, "s08-echo-des-collines")
        assert derived_from[echo] == _stored_id(store, world, "s08-kalaba")

        # a second pass changes no key
        ingest(store, settings, world)
        assert story_keys(store, world) == keys

        # quotes and credit lines are stored per article; reprocess extracts them afresh
        copy = _stored_id(store, world, "s08-echo-des-collines")
        quotes = store.articles.quotes(copy)
        assert any(q.speaker == "Ellen Ryder" for q in quotes)
        credited = [store.articles.credits(m.article.id or 0) for m in members]
        assert any(credits for credits in credited)
        store.articles.save_extras(copy, [], [])
        reprocess(store, settings)
        assert store.articles.quotes(copy) == quotes

    # after a restart: the same keys, and a new article joins a restored story
    with Store.open(migrated_db_url, settings) as store:
        ingest(store, settings, world)
        now = story_keys(store, world)
        assert {a: now[a] for a in keys} == keys
        # the third poll of the outlet whose feed is broken reads its home page instead: its
        # articles come in, each in a story
        new = {a for a in now if a not in keys}
        assert new and all("portail-citoyen" in a for a in new), sorted(new)
        # an article quoting both s06's and s11's originals in full bridges their stories (two
        # stories of the restored window: it ends at the newest article, 7 days long)
        first, second = keys["s06-courrier"], keys["s11-ahp"]
        assert first != second
        a = store.articles.get(_stored_id(store, world, "s06-courrier"))
        b = store.articles.get(_stored_id(store, world, "s11-ahp"))
        source = store.sources.get(a.source_id)
        step = StoriesStep(store, settings)  # a new process's step: restored from the store
        assert a.published_at is not None and b.published_at is not None
        bridge = add_article(
            store,
            source,
            f"{a.title} ; {b.title}",
            f"{a.text}\n\n{b.text}",
            max(a.published_at, b.published_at) + timedelta(hours=1),
        )
        with store.batch():
            step.place(story_doc(bridge, source.name))
        assert bridge.id is not None
        found = store.stories.of_article(bridge.id)
        assert found is not None
        merged_story, member = found
        assert merged_story.key in (first, second)
        gone = second if merged_story.key == first else first
        # the old key still answers, with the survivor (the page redirects there)
        assert store.stories.get(gone).key == merged_story.key
        assert gone not in {s.key for s in store.stories.latest(limit=1000)}
        assigned = list(now.values())  # the home page's articles included
        assert merged_story.article_count == assigned.count(first) + assigned.count(second) + 1
        assert member.relation in ("original", "independent", "copy", "rewrite")


def _stored_id(store: Store, world: DemoWorld, manifest_id: str) -> int:
    for article in store.articles.latest(limit=1000):
        if world.article_for_url(article.url) == manifest_id and article.id is not None:
            return article.id
    raise AssertionError(f"{manifest_id} was not stored")


def test_after_a_restart_an_original_older_than_the_window_stays_the_original(
    store: Store, settings: Settings
) -> None:
    settings = settings.replace(stories_encoder="none")
    report = next(a for a in load_world().articles if a.id == "s01-courrier")
    text = "\n\n".join(report.paragraphs)
    source = store.sources.add(Source(url="https://courrier.example.fr/rss", name="Le Courrier"))
    copier = store.sources.add(Source(url="https://copies.example.fr/rss", name="Copies"))
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    first = StoriesStep(store, settings)
    original = add_article(store, source, report.title, text, start, "original")
    middle = add_article(store, copier, report.title, text, start + timedelta(days=5), "middle")
    recent = add_article(store, copier, report.title, text, start + timedelta(days=9), "recent")
    with store.batch():
        first.place_many([story_doc(a, s.name) for a, s in ((original, source), (middle, copier))])
    with store.batch():
        first.place(story_doc(recent, copier.name))
    key = _key_of(store, original)
    assert _key_of(store, recent) == key
    assert store.stories.get(key).original_article_id == original.id

    # a new process restores the last 7 days only: `original` is out of its sight
    later = StoriesStep(store, settings)
    copy = add_article(store, copier, report.title, text, start + timedelta(days=9, hours=1), "c")
    with store.batch():
        later.place(story_doc(copy, copier.name))
    story = store.stories.get(key)
    assert story.original_article_id == original.id
    assert story.article_count == 4
    relations = [m.relation for m in store.stories.members(story.id)]
    assert relations.count("original") == 1 and relations[0] == "original"


def _key_of(store: Store, article: Article) -> str:
    assert article.id is not None
    found = store.stories.of_article(article.id)
    assert found is not None
    return found[0].key
