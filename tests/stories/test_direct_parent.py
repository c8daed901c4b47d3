"""Each derived article points at its direct source, whatever order the feeds deliver articles in.

Checked against the demo corpus truth (src/actuel/demo/manifest.json): a copy of a translation
derives from the translation, not from the original the translation came from (story s08, the
copy by "Écho des Collines"), while the story's original stays the first report.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache

import pytest

from actuel.demo.build import load_world
from actuel.model import RelationKind, StoryDoc
from actuel.stories.cluster import StoryClusterer
from actuel.times import day_only, latest_time

Truth = dict[str, dict[str, str | None]]
T_MIN = datetime(2000, 1, 1, tzinfo=UTC)
DAY_ONLY_OUTLET = "Nouvelles Express 24"  # the demo outlet whose dates we cut to the day


@lru_cache(maxsize=1)
def _world() -> tuple[tuple[StoryDoc, ...], Truth]:
    world = load_world()
    rows = sorted(world.articles, key=lambda a: (a.published, a.id))
    docs = tuple(a.story_doc() for a in rows)
    truth: Truth = {
        a.id: {
            "story": a.story,
            "relation": a.relation,
            "derived_from": a.derived_from,
            "story_original": world.story_original[a.story],
        }
        for a in rows
    }
    return docs, truth


def _by_outlet_newest_first(docs: list[StoryDoc]) -> list[StoryDoc]:
    """What one pass over the feeds delivers: outlet after outlet, each feed newest first."""
    return sorted(docs, key=lambda d: (d.source or "", -(d.published_at or T_MIN).timestamp()))


def _shuffled(seed: int) -> Callable[[list[StoryDoc]], list[StoryDoc]]:
    return lambda docs: random.Random(seed).sample(docs, len(docs))


ORDERS: dict[str, Callable[[list[StoryDoc]], list[StoryDoc]]] = {
    "publication": lambda docs: docs,
    "outlet-by-outlet": _by_outlet_newest_first,
    "outlet-reversed": lambda docs: _by_outlet_newest_first(docs)[::-1],
    "shuffled-0": _shuffled(0),
    "shuffled-1": _shuffled(1),
}


def _cluster(docs: list[StoryDoc]) -> StoryClusterer:
    clusterer = StoryClusterer()
    for start in range(0, len(docs), 16):  # small batches: later articles find earlier ones
        clusterer.add_many(docs[start : start + 16])
    return clusterer


@pytest.mark.parametrize("order", list(ORDERS))
def test_a_copy_of_a_translation_derives_from_the_translation(order: str) -> None:
    docs, truth = _world()
    clusterer = _cluster(ORDERS[order](list(docs)))

    copy = clusterer.assignment("s08-echo-des-collines")
    assert truth["s08-echo-des-collines"]["derived_from"] == "s08-kalaba"
    assert (copy.relation, copy.derived_from) == (RelationKind.COPY, "s08-kalaba")
    translation = clusterer.assignment("s08-kalaba")
    assert (translation.relation, translation.derived_from) == (
        RelationKind.TRANSLATION,
        "s08-meridian",
    )
    # the chain still ends at the first report, and the story credits it
    assert clusterer.original_of("s08-echo-des-collines") == "s08-meridian"
    assert clusterer.story(copy.story_id).original_id == "s08-meridian"


@pytest.mark.parametrize("order", list(ORDERS))
def test_derivations_match_the_manifest_in_any_feed_order(order: str) -> None:
    docs, truth = _world()
    clusterer = _cluster(ORDERS[order](list(docs)))

    right = [clusterer.assignment(d.id).derived_from == truth[d.id]["derived_from"] for d in docs]
    assert sum(right) / len(right) >= 0.95
    # the story holding each true original names it as its original
    for want in {str(t["story_original"]) for t in truth.values()}:
        assert clusterer.story(clusterer.story_of(want)).original_id == want


def _midnight(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(hour=0, minute=0) if moment else None


def test_a_bare_date_does_not_make_a_translation_the_original() -> None:
    """Nouvelles Express stamps only the day: its machine translation, dated midnight, must
    not pass for the source of the English report it translates that evening."""
    docs, truth = _world()
    dated = [
        replace(d, published_at=_midnight(d.published_at)) if d.source == DAY_ONLY_OUTLET else d
        for d in docs
    ]
    nouvelles = next(d for d in dated if d.id == "s04-nouvelles")
    assert day_only(nouvelles)
    assert latest_time(nouvelles) == datetime(2026, 11, 20, 23, 59, 59, 999999, tzinfo=UTC)

    for order in ("publication", "outlet-by-outlet"):
        clusterer = _cluster(ORDERS[order](dated))
        for translation in ("s03-nouvelles", "s04-nouvelles"):
            got = clusterer.assignment(translation)
            assert got.derived_from == truth[translation]["derived_from"], order
            story = clusterer.story(got.story_id)
            assert story.original_id == truth[translation]["story_original"], order
