"""An editor's corrections (a merge, a split, an original chosen) hold through everything that
places articles again: the running ingest's clusterer, which never saw them, a new process restored
from the store, outlets removed with the articles the corrections were made on, and
`actuel stories rebuild`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner

from actuel.cli import main
from actuel.config import Settings
from actuel.demo.build import load_world
from actuel.demo.site import DemoArticle
from actuel.model import Article, Source, SourceKind, StoryDoc
from actuel.pipeline.stories_step import StoriesStep, story_doc
from actuel.store import Store


class World:
    """The demo world stored and placed by one ingest process, `self.step`."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        demo = load_world()
        self.demo = {a.id: a for a in demo.articles}
        self.sources: dict[str, Source] = {}
        for outlet in demo.outlets:
            self.sources[outlet.id] = store.sources.add(
                Source(
                    url=f"https://{outlet.id}.example/feed",
                    name=outlet.name,
                    kind=SourceKind.FEED,
                    lang=outlet.lang,
                )
            )
        self.ids: dict[str, int] = {}
        self.merged_names: set[str] = set()  # the articles of the two stories merged by hand
        for a in demo.articles:
            self.ids[a.id] = self._store(a.id, a.outlet.id, a.title, self.text(a), a, a.lang)
        self.step = StoriesStep(store, settings)
        with store.batch():
            self.step.place_many([self.doc(i) for i in self.ids.values()])

    @staticmethod
    def text(a: DemoArticle) -> str:
        return "\n\n".join(a.paragraphs)

    def _store(
        self, name: str, outlet: str, title: str, text: str, like: DemoArticle, lang: str,
        later: timedelta = timedelta(0),
    ) -> int:  # fmt: skip
        source_id = self.sources[outlet].id
        assert source_id is not None
        url = f"https://{outlet}.example/{name}"
        when = like.published + later
        article = Article(
            source_id=source_id,
            url=url,
            canonical_url=url,
            title=title,
            text=text,
            published_at=when,
            language=lang,
            first_seen_at=when + timedelta(minutes=5),
        )
        return self.store.articles.upsert(article)[0]

    def add(self, name: str, like: str, text: str, later: timedelta, title: str = "") -> StoryDoc:
        """A new article of Le Portail Citoyen, written like `like`, stored (not placed)."""
        source = self.demo[like]
        self.ids[name] = self._store(
            name, "portail-citoyen", title or source.title, text, source, source.lang, later
        )
        return self.doc(self.ids[name])

    def doc(self, article_id: int) -> StoryDoc:
        article = self.store.articles.get(article_id)
        return story_doc(article, self.store.sources.get(article.source_id).name)

    def key(self, name: str) -> str:
        found = self.store.stories.of_article(self.ids[name])
        assert found is not None, f"{name} is in no story"
        return found[0].key

    def anchor(self, name: str) -> int:
        """The article the admin acts on for a story: its original (see web/admin/stories.py)."""
        original = self.store.stories.get(self.key(name)).original_article_id
        assert original is not None
        return original

    def remove_outlet(self, outlet: str) -> None:
        source_id = self.sources.pop(outlet).id
        assert source_id is not None
        self.store.sources.remove(source_id)
        for name in [n for n, a in self.demo.items() if a.outlet.id == outlet]:
            self.ids.pop(name, None)

    def check(self, when: str) -> None:
        """The three corrections hold, whatever was placed since."""
        together = self.merged_names | {n for n in self.ids if n.startswith("merged-")}
        merged = {self.key(n) for n in together if n in self.ids}
        assert len(merged) == 1, f"{when}: the stories merged by hand came apart: {merged}"
        echo = self.key("s08-echo-des-collines")
        s08 = {self.key(n) for n in self.ids if n.startswith("s08-") and "echo" not in n}
        assert echo not in s08, f"{when}: the article split out is back in its old story"
        s03 = self.store.stories.get(self.key("s03-kalaba"))
        assert s03.original_article_id == self.ids["s03-kalaba"], f"{when}: original lost"
        relations = [m.relation for m in self.store.stories.members(s03.id)]
        assert relations.count("original") == 1, f"{when}: {relations}"


@pytest.fixture
def world(migrated_db_url: str, settings: Settings) -> Iterator[World]:
    settings = settings.replace(db=migrated_db_url, stories_encoder="none")
    with Store.open(migrated_db_url, settings) as store:
        yield World(store, settings)


def test_corrections_hold_through_new_articles_restarts_removals_and_rebuild(
    world: World,
) -> None:
    store, text, demo = world.store, World.text, world.demo
    assert world.key("s01-courrier") != world.key("s02-ahp")
    assert world.key("s08-echo-des-collines") == world.key("s08-meridian")
    # the editor's three corrections, made as the admin makes them
    sides = {world.key("s01-courrier"), world.key("s02-ahp")}
    world.merged_names = {n for n in world.ids if world.key(n) in sides}
    store.stories.correct_merge(world.anchor("s01-courrier"), world.anchor("s02-ahp"), "editor")
    store.stories.correct_split(world.ids["s08-echo-des-collines"], "editor")
    store.stories.correct_original(world.ids["s03-kalaba"], "editor")
    world.check("corrected")

    # the running ingest (its clusterer never saw the corrections) places new copies: of the
    # second merged story, of the article split out, and an earlier-dated copy of s03's report
    echo = demo["s08-echo-des-collines"]
    new = [
        world.add("merged-copy", "s02-ahp", text(demo["s02-ahp"]), timedelta(hours=3)),
        world.add("echo-copy", "s08-echo-des-collines", text(echo), timedelta(hours=1)),
        world.add("s03-early", "s03-herald", text(demo["s03-herald"]), -timedelta(hours=1)),
    ]
    with store.batch():
        world.step.place_many(new)
    world.check("placed by the running ingest")

    # a new process, restored from the store, places an article carrying both sides of the split
    bridge = text(echo) + "\n\n" + text(demo["s08-kalaba"])
    restarted = StoriesStep(store, world.settings)
    with store.batch():
        restarted.place(world.add("s08-bridge", "s08-kalaba", bridge, timedelta(hours=6)))
    world.check("placed after a restart")

    # the outlets of the articles the merge and the split were made on are removed
    world.remove_outlet("meridian-post")
    world.remove_outlet("courrier-littoral")
    world.check("outlets removed")
    again = StoriesStep(store, world.settings)
    with store.batch():
        again.place(world.add("s08-bridge-2", "s08-kalaba", bridge, timedelta(hours=7), "Reprise"))
        again.place(world.add("merged-2", "s01-ahp", text(demo["s01-ahp"]), timedelta(hours=8)))
    world.check("placed after the removals")

    # articles stored while stories were off, then `actuel stories rebuild`
    world.add("s08-bridge-3", "s08-kalaba", bridge, timedelta(hours=8), "Encore")
    world.add("merged-3", "s02-ahp", text(demo["s02-ahp"]), timedelta(hours=9), "Encore")
    env = {"ACTUEL_STORIES_ENCODER": "none", "ACTUEL_DB": world.settings.db}
    result = CliRunner().invoke(main, ["stories", "rebuild"], env=env)
    assert result.exit_code == 0, result.output
    assert "placed 2 articles" in result.output
    world.check("rebuilt")
