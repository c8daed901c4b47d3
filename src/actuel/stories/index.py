"""Candidate generation for clustering: cost grows with the candidates, not with the articles.

Three ways to find the articles a new one may belong with, all inside a time window:
- MinHash bands (same language, copies and close rewrites). The banding is done here over rensa's
  digests rather than with rensa's RMinHashLSH because we need each bucket's size: a bucket that
  fills up is a site template or boilerplate, and must stop giving candidates (and costing time).
- an inverted index of rare keys (names, numbers, leads and titles), language-independent, with
  capped posting lists so that a word on every page never links 1,000 pages into one story;
- optional nearest neighbours on sentence embeddings (numpy), for translations without shared names.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

DAY_S = 86_400.0
Vector = npt.NDArray[np.float32]
# bucket or posting name -> member keys; None once over its cap
_Table = dict[Any, list[int] | None]


@dataclass(frozen=True)
class Candidate:
    """An indexed article worth comparing with the query, and why."""

    doc_id: str
    score: float  # rough similarity in [0, 1], for ranking only
    via: str  # minhash | keys | strong | embedding


@dataclass
class _Entry:
    key: int
    doc_id: str
    time: float
    lang: str | None
    bands: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    slot: int | None = None  # row of the embedding matrix


class CandidateIndex:
    """Indexed articles of a sliding time window; `query` then `add` for each new article."""

    def __init__(
        self,
        *,
        window_days: float = 7.0,
        band_rows: int = 2,
        bucket_cap: int = 400,
        posting_cap: int = 60,
        min_shared_keys: int = 2,
        max_candidates: int = 40,
        max_key_candidates: int = 12,
        embedding_threshold: float = 0.55,
    ) -> None:
        self.window_s = window_days * DAY_S
        self.band_rows = band_rows
        self.bucket_cap = bucket_cap
        self.posting_cap = posting_cap
        self.min_shared_keys = min_shared_keys
        self.max_candidates = max_candidates
        self.max_key_candidates = max_key_candidates
        self.embedding_threshold = embedding_threshold
        self._next_key = 0
        self._entries: dict[int, _Entry] = {}
        self._by_doc: dict[str, int] = {}
        # band hash -> member keys; None once the bucket went over bucket_cap (a template)
        self._buckets: _Table = {}
        self._postings: _Table = {}
        self._by_time: list[tuple[float, int]] = []
        self._vectors: Vector | None = None
        self._vector_keys: list[int | None] = []
        self._free_slots: list[int] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_doc

    # --- adding and removing --------------------------------------------------------------

    def add(
        self,
        doc_id: str,
        *,
        time: float,
        lang: str | None = None,
        digest: Sequence[int] | None = None,
        keys: Iterable[str] = (),
        embedding: Vector | None = None,
    ) -> None:
        """Index an article; adding an id again replaces the earlier entry."""
        if doc_id in self._by_doc:
            self.remove(doc_id)
        entry = _Entry(self._next_key, doc_id, time, lang)
        self._next_key += 1
        if digest is not None:
            entry.bands = self._band_hashes(digest, lang)
            for band in entry.bands:
                self._post(self._buckets, band, entry.key, self.bucket_cap)
        entry.keys = sorted(set(keys))
        for key in entry.keys:
            self._post(self._postings, key, entry.key, self.posting_cap)
        if embedding is not None:
            entry.slot = self._store_vector(embedding, entry.key)
        self._entries[entry.key] = entry
        self._by_doc[doc_id] = entry.key
        heapq.heappush(self._by_time, (time, entry.key))

    def remove(self, doc_id: str) -> bool:
        """Forget an article; False when it was not indexed."""
        key = self._by_doc.pop(doc_id, None)
        if key is None:
            return False
        entry = self._entries.pop(key)
        for band in entry.bands:
            _unpost(self._buckets, band, key)
        for name in entry.keys:
            _unpost(self._postings, name, key)
        if entry.slot is not None:
            self._vector_keys[entry.slot] = None
            self._free_slots.append(entry.slot)
        return True

    def evict_before(self, time: float) -> list[str]:
        """Forget every article older than `time`; returns their ids."""
        gone: list[str] = []
        while self._by_time and self._by_time[0][0] < time:
            _, key = heapq.heappop(self._by_time)
            entry = self._entries.get(key)
            if entry is not None and self.remove(entry.doc_id):
                gone.append(entry.doc_id)
        return gone

    # --- querying -------------------------------------------------------------------------

    def query(
        self,
        *,
        time: float,
        lang: str | None = None,
        digest: Sequence[int] | None = None,
        keys: Iterable[str] = (),
        strong_keys: Iterable[str] = (),
        embedding: Vector | None = None,
    ) -> list[Candidate]:
        """Articles within the window that share bands, rare keys or meaning, best first.

        `keys` need `min_shared_keys` in common (names and numbers); one `strong_keys` match is
        enough (a lead or title); both must also have been given to `add` to be found.
        """
        scores: dict[int, tuple[float, str]] = {}

        def offer(key: int, score: float, via: str) -> None:
            entry = self._entries.get(key)
            if entry is None or abs(entry.time - time) > self.window_s:
                return
            if key not in scores or scores[key][0] < score:
                scores[key] = (score, via)

        if digest is not None:
            bands = self._band_hashes(digest, lang)
            shared: dict[int, int] = {}
            for band in bands:
                for key in self._buckets.get(band) or ():
                    shared[key] = shared.get(key, 0) + 1
            for key, count in shared.items():
                offer(key, count / max(1, len(bands)), "minhash")
        # shared rare keys, the rarer the better (weight 1/document frequency); only the best few
        # are offered: names alone are weak evidence, and each candidate costs a comparison
        key_hits: dict[int, list[float]] = {}
        for name in set(keys):
            members = self._postings.get(name) or ()
            for key in members:
                hit = key_hits.setdefault(key, [0.0, 0.0])
                hit[0] += 1
                hit[1] += 1 / len(members)
        ranked_keys = sorted(
            (
                (weight, key)
                for key, (count, weight) in key_hits.items()
                if count >= self.min_shared_keys
                and key in self._entries
                and abs(self._entries[key].time - time) <= self.window_s
            ),
            reverse=True,
        )
        for weight, key in ranked_keys[: self.max_key_candidates]:
            offer(key, min(0.8, weight / 4), "keys")
        for name in set(strong_keys):
            for key in self._postings.get(name) or ():
                offer(key, 0.9, "strong")
        if embedding is not None:
            for key, sim in self._nearest(embedding):
                offer(key, sim, "embedding")
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [
            Candidate(self._entries[key].doc_id, score, via)
            for key, (score, via) in ranked[: self.max_candidates]
        ]

    # --- helpers --------------------------------------------------------------------------

    def _band_hashes(self, digest: Sequence[int], lang: str | None) -> list[int]:
        values = np.asarray(digest, dtype=np.uint64)
        rows = self.band_rows
        usable = len(values) - len(values) % rows
        bands = values[:usable].reshape(-1, rows)
        # the language is part of the band so that two languages never share a bucket
        salt = hash(lang or "")
        return [hash((salt, n, row.tobytes())) for n, row in enumerate(bands)]

    @staticmethod
    def _post(table: _Table, name: Any, key: int, cap: int) -> None:
        members = table.get(name, [])
        if members is None:
            return  # went over the cap: common to many pages, useless as evidence
        if len(members) >= cap:
            table[name] = None
            return
        members.append(key)
        table[name] = members

    def _store_vector(self, vector: Vector, key: int) -> int:
        row = np.asarray(vector, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(row))
        row = row / norm if norm > 0 else row
        if self._vectors is None:
            self._vectors = np.zeros((64, row.shape[0]), dtype=np.float32)
        if self._free_slots:
            slot = self._free_slots.pop()
        else:
            slot = len(self._vector_keys)
            self._vector_keys.append(None)
            if slot >= self._vectors.shape[0]:
                grown = np.zeros((self._vectors.shape[0] * 2, row.shape[0]), dtype=np.float32)
                grown[: self._vectors.shape[0]] = self._vectors
                self._vectors = grown
        self._vectors[slot] = row
        self._vector_keys[slot] = key
        return slot

    def _nearest(self, vector: Vector, top: int = 10) -> list[tuple[int, float]]:
        if self._vectors is None or not self._vector_keys:
            return []
        row = np.asarray(vector, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(row))
        if norm == 0 or row.shape[0] != self._vectors.shape[1]:
            return []
        sims = self._vectors[: len(self._vector_keys)] @ (row / norm)
        # only the few slots over the threshold are sorted, not the whole window
        close = np.flatnonzero(sims >= self.embedding_threshold)
        order = close[np.argsort(-sims[close], kind="stable")][: top * 2]
        found: list[tuple[int, float]] = []
        for slot in order:
            key = self._vector_keys[int(slot)]
            sim = float(sims[int(slot)])
            if key is not None and sim >= self.embedding_threshold:
                found.append((key, sim))
        return found[:top]


def _unpost(table: _Table, name: Any, key: int) -> None:
    members = table.get(name)
    if members is None:
        return
    try:
        members.remove(key)
    except ValueError:
        return
    if not members:
        del table[name]
