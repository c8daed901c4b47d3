"""Aligned sentences: the evidence a reader can check, in the stored relation and in the API."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import httpx
import pytest

from actuel.config import load_settings
from actuel.demo.build import load_world
from actuel.model import Article, Source, SourceKind, StoryDoc
from actuel.pipeline.stories_step import StoriesStep
from actuel.store import Store
from actuel.stories.align import aligned_sentences
from actuel.stories.encoder import default_encoder, encoder_available
from actuel.web.app import create_app
from tests.support.webserver import running


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    return {a.id: "\n\n".join(a.paragraphs) for a in load_world().articles}


def test_a_copy_aligns_its_sentences_word_for_word() -> None:
    texts = _texts()
    pairs = aligned_sentences(
        texts["s08-echo-des-collines"], texts["s08-kalaba"], same_language=True
    )
    assert len(pairs) >= 3
    assert all(p["by"] == "words" and p["derived"] == p["source"] for p in pairs)


def test_a_translation_aligns_on_names_and_numbers_without_an_encoder() -> None:
    texts = _texts()
    pairs = aligned_sentences(texts["s08-kalaba"], texts["s08-meridian"], same_language=False)
    assert len(pairs) >= 3
    assert {p["by"] for p in pairs} == {"anchors"}
    by_source = {str(p["source"]): str(p["derived"]) for p in pairs}
    # the French sentence about the judge is paired with the English one about her
    judge = next(s for s in by_source if "Margaret Holm" in s)
    assert "Margaret Holm" in by_source[judge] and "juge" in by_source[judge]
    # pairs come in the derived text's order, each with a score in (0, 1]
    assert all(0 < float(str(p["score"])) <= 1 for p in pairs)


@pytest.mark.skipif(not encoder_available(), reason="the optional sentence encoder is absent")
def test_with_the_encoder_a_translation_aligns_by_meaning() -> None:
    texts = _texts()
    encoder = default_encoder(load_settings(environ={"ACTUEL_STORIES_ENCODER": "use"}))
    pairs = aligned_sentences(
        texts["s08-nouvelles"], texts["s08-meridian"], same_language=False, encoder=encoder
    )
    assert any(p["by"] == "meaning" for p in pairs)
    first = pairs[0]
    assert "Northbridge" in str(first["derived"]) and "Northbridge" in str(first["source"])


def test_unrelated_texts_and_empty_texts_align_nothing() -> None:
    texts = _texts()
    assert aligned_sentences(texts["s08-kalaba"], texts["s07-courrier"], same_language=True) == []
    assert aligned_sentences("", texts["s08-kalaba"], same_language=True) == []
    assert aligned_sentences("Court.", "Court.", same_language=True) == []


def test_the_api_shows_aligned_sentences_of_each_derived_article(tmp_path: Path) -> None:
    settings = load_settings(environ={}, db=str(tmp_path / "s08.db"), stories_encoder="none")
    world = load_world()
    ids: dict[str, int] = {}
    with Store.open(settings.db, settings) as store:
        docs = []
        sources: dict[str, Source] = {}
        for a in sorted(world.articles, key=lambda a: a.published):
            if a.story != "s08":
                continue
            if a.outlet.id not in sources:
                sources[a.outlet.id] = store.sources.add(
                    Source(url=f"https://{a.outlet.id}.example/f", name=a.outlet.name,
                           kind=SourceKind.FEED, lang=a.lang)
                )  # fmt: skip
            source = sources[a.outlet.id]
            assert source.id is not None
            url = f"https://{a.outlet.id}.example{a.path}"
            text = "\n\n".join(a.paragraphs)
            article = Article(source_id=source.id, url=url, canonical_url=url, title=a.title,
                              text=text, published_at=a.published, language=a.lang,
                              first_seen_at=a.published)  # fmt: skip
            ids[a.id] = store.articles.upsert(article)[0]
            docs.append(StoryDoc(str(ids[a.id]), a.title, text, url, a.published, a.lang,
                                 a.outlet.name, a.published))  # fmt: skip
        step = StoriesStep(store, settings)
        with store.batch():
            step.place_many(docs)
        key = store.stories.of_article(ids["s08-meridian"])
        assert key is not None

    with Store.open(settings.db, settings, readonly=True) as store:
        app = create_app(settings, store)
        with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
            body = client.get(f"/api/v1/stories/{key[0].key}").json()
    members = {m["article_id"]: m for m in body["members"]}
    derived = [m for m in members.values() if m["derived_from"] is not None]
    assert len(derived) == len(docs) - 1
    for member in derived:
        pairs = member["evidence"]["aligned_sentences"]
        assert pairs, member
        assert set(pairs[0]) == {"derived", "source", "score", "by"}
    translation = members[ids["s08-kalaba"]]["evidence"]["aligned_sentences"]
    assert {p["by"] for p in translation} == {"anchors"}
    copy = members[ids["s08-echo-des-collines"]]["evidence"]["aligned_sentences"]
    assert copy[0]["derived"] == copy[0]["source"]
