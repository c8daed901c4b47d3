"""Candidate index: a batch's embeddings scored at once find what one query at a time finds."""

from __future__ import annotations

import numpy as np

from actuel.stories.index import DAY_S, CandidateIndex


def _vectors(rng: np.random.Generator, count: int, centre: np.ndarray) -> list[np.ndarray]:
    # near a shared direction, so that many pairs are over the index's similarity threshold
    return [(centre + 0.6 * rng.standard_normal(64)).astype(np.float32) for _ in range(count)]


def _query(index: CandidateIndex, vector: np.ndarray, time: float) -> list[tuple[str, float]]:
    # one matrix product and many vector products round differently in the last float digits
    return [(c.doc_id, round(c.score, 4)) for c in index.query(time=time, embedding=vector)]


def test_a_prefetched_batch_finds_the_same_neighbours_as_single_queries() -> None:
    rng = np.random.default_rng(3)
    centre = rng.standard_normal(64)
    indexed = _vectors(rng, 300, centre)
    batch = _vectors(rng, 40, centre)
    batch[5] = batch[4]  # a copy takes its twin's embedding: the same vector twice
    single, prefetched = CandidateIndex(window_days=1), CandidateIndex(window_days=1)
    for index in (single, prefetched):
        for n, vector in enumerate(indexed):
            index.add(f"old{n}", time=float(n), embedding=vector)
        index.remove("old7")  # a free slot, taken again by the batch below
    prefetched.prefetch(batch)
    for n, vector in enumerate(batch):
        time = 300.0 + n
        want = _query(single, vector, time)
        assert _query(prefetched, vector, time) == want
        assert want  # the vectors are alike: every query has neighbours
        for index in (single, prefetched):
            index.add(f"new{n}", time=time, embedding=vector)
            if n == 20:  # a sweep of the window in the middle of a batch
                index.evict_before(100.0)
    # the batch's own articles are found too: added after the prefetch, compared one by one
    assert any(doc.startswith("new") for doc, _ in _query(prefetched, batch[30], 340.0))


def test_a_query_outside_the_prefetched_batch_is_answered_alone() -> None:
    rng = np.random.default_rng(5)
    centre = rng.standard_normal(64)
    index = CandidateIndex()
    for n, vector in enumerate(_vectors(rng, 50, centre)):
        index.add(f"d{n}", time=0.0, embedding=vector)
    other = _vectors(rng, 1, centre)[0]
    without = _query(index, other, 0.0)
    index.prefetch(_vectors(rng, 3, centre))
    assert _query(index, other, 0.0) == without
    index.prefetch(())
    assert _query(index, other, 0.0) == without


def test_a_name_common_one_week_is_evidence_again_once_that_week_is_gone() -> None:
    """A posting over its cap gives no candidates, but only while its articles are in the window
    (a long-running ingest must not lose a name for good because it was in the news once)."""
    index = CandidateIndex(window_days=7, posting_cap=3)
    week = 7 * DAY_S
    for n in range(5):  # the week everyone wrote about Vellone
        index.add(f"old{n}", time=float(n), keys=["n:vellone", f"n:other{n}", "#:2026"])
    index.add("recent", time=week + 10, keys=["n:vellone", "n:sarrac"])
    at, keys = week + 20, ["n:vellone", "n:sarrac"]
    # still over the cap: 6 members
    assert [c.doc_id for c in index.query(time=at, keys=keys)] == []
    assert sorted(index.evict_before(week)) == [f"old{n}" for n in range(5)]
    assert [c.doc_id for c in index.query(time=at, keys=keys)] == ["recent"]
