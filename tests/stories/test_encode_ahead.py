"""Embedding the next batch while one is placed: same answers, no text embedded twice."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from actuel.demo.build import load_world
from actuel.model import StoryDoc
from actuel.stories.cluster import StoryClusterer, batched
from actuel.stories.encoder import CachedEncoder, Encoder, default_encoder
from tests.stories.test_embed_twins import CountingEncoder
from tests.stories.test_encoder import EN, FR, SPORT, WordCountEncoder, needs_use


class GatedEncoder(WordCountEncoder):
    """Encodes only once the gate opens: a background job is still running when asked again."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.threads: set[str] = set()

    def encode(self, texts: list[str]) -> np.ndarray:
        self.gate.wait(10)
        self.threads.add(threading.current_thread().name)
        return super().encode(texts)


class FailingEncoder(WordCountEncoder):
    """Fails in the background threads only, as a broken worker would."""

    def encode(self, texts: list[str]) -> np.ndarray:
        if threading.current_thread().name.startswith("actuel-encoder"):
            raise RuntimeError("worker lost")
        return super().encode(texts)


def open_later(gate: threading.Event, seconds: float) -> None:
    threading.Timer(seconds, gate.set).start()


def test_a_text_in_flight_is_waited_for_not_embedded_again() -> None:
    inner = GatedEncoder()
    encoder = CachedEncoder(inner, workers=2)
    encoder.prefetch([FR, EN])
    open_later(inner.gate, 0.2)
    rows = encoder.encode([FR, EN, SPORT])
    assert sorted(inner.seen) == sorted([FR, EN, SPORT])  # each text once
    assert any(name.startswith("actuel-encoder") for name in inner.threads)
    alone = CachedEncoder(WordCountEncoder()).encode([FR, EN, SPORT])
    np.testing.assert_array_equal(rows, alone)


def test_prefetch_returns_at_once() -> None:
    inner = GatedEncoder()
    encoder = CachedEncoder(inner, workers=1)
    started = time.perf_counter()
    encoder.prefetch([FR, EN, SPORT])
    assert time.perf_counter() - started < 1.0  # the gate stays shut for 10 s
    inner.gate.set()


def test_a_failed_background_job_costs_time_not_answers() -> None:
    encoder = CachedEncoder(FailingEncoder(), workers=2)
    encoder.prefetch([FR, EN])
    rows = encoder.encode([FR, EN])
    np.testing.assert_array_equal(rows, CachedEncoder(WordCountEncoder()).encode([FR, EN]))


def test_without_workers_prefetch_does_nothing() -> None:
    inner = WordCountEncoder()
    encoder = CachedEncoder(inner)
    encoder.prefetch([FR, EN])
    assert inner.seen == []


def demo_docs() -> list[StoryDoc]:
    world = load_world()
    return [a.story_doc() for a in sorted(world.articles, key=lambda a: (a.published, a.id))]


def placed(encoder: Encoder, docs: list[StoryDoc], *, stream: bool) -> list[tuple[object, ...]]:
    clusterer = StoryClusterer(encoder=encoder)
    if stream:
        for _ in clusterer.add_stream(batched(docs, 8)):
            pass
    else:
        for batch in batched(docs, 8):
            clusterer.add_many(batch)
    rows = [clusterer.assignment(d.id) for d in docs]
    originals = sorted((s.id, s.original_id, s.original_credit) for s in clusterer.stories())
    placements: list[tuple[object, ...]] = [
        (a.story_id, a.relation, a.derived_from, a.confidence) for a in rows
    ]
    return placements + originals


def test_streaming_the_demo_world_gives_the_same_stories_and_embeds_the_same_texts() -> None:
    docs = demo_docs()
    plain, ahead = CountingEncoder(), CountingEncoder()
    expected = placed(CachedEncoder(plain), docs, stream=False)
    assert placed(CachedEncoder(ahead, workers=2), docs, stream=True) == expected
    assert len(ahead.seen) == len(set(ahead.seen))
    assert sorted(ahead.seen) == sorted(plain.seen)  # copies still take their twin's embedding


def test_streaming_with_the_real_encoder_gives_the_same_stories() -> None:
    needs_use()
    encoder = default_encoder()
    assert encoder is not None
    if not getattr(encoder, "workers", 0):
        pytest.skip("threadpoolctl (in the encoder extra) is not installed: no background threads")
    docs = demo_docs()
    assert placed(encoder, docs, stream=True) == placed(encoder, docs, stream=False)
