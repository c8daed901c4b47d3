"""Candidate generation for clustering: cost grows with the candidates, not with the articles.

Three ways to find the articles a new one may belong with, all inside a time window:
- MinHash bands (same language, copies and close rewrites). The banding is done here over rensa's
  digests rather than with rensa's RMinHashLSH because we need each bucket's size: a bucket that
  fills up is a site template or boilerplate, and must stop giving candidates (and costing time).
- an inverted index of rare keys (names, numbers, leads and titles), language-independent, with
  capped posting lists so that a word on every page never links 1,000 pages into one story;
- optional nearest neighbours on sentence embeddings (numpy), for translations without shared names;
  `prefetch` scores a whole batch's embeddings in one matrix product (the window's matrix is read
  once per batch instead of once per article, which is most of a query's cost at 7,000 vectors).
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
# bucket or posting name -> its member keys (a dict: removal in constant time)
_Table = dict[Any, dict[int, None]]


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
    time: float | None  # None: undated, compared whatever the time
    lang: str | None
    bands: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    slot: int | None = None  # row of the embedding matrix


@dataclass
class _Prefetched:
    """Similarities of coming queries to the vectors indexed when `prefetch` ran."""

    columns: dict[bytes, int]  # the query vector's bytes -> its row in `sims`
    sims: Vector  # (queries, slots then in use)
    keys: list[int | None]  # the entry key of each slot then
    added: list[int] = field(default_factory=list)  # slots filled since


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
        # band hash -> member keys; a bucket with more than bucket_cap members is a template and
        # gives no candidates while it has them (it serves again once they leave the window)
        self._buckets: _Table = {}
        self._postings: _Table = {}
        self._by_time: list[tuple[float, int]] = []
        self._undated: dict[int, None] = {}  # keys of undated entries, oldest first
        self._vectors: Vector | None = None
        self._vector_keys: list[int | None] = []
        self._free_slots: list[int] = []
        self._prefetched: _Prefetched | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_doc

    # --- adding and removing --------------------------------------------------------------

    def add(
        self,
        doc_id: str,
        *,
        time: float | None,
        lang: str | None = None,
        digest: Sequence[int] | None = None,
        keys: Iterable[str] = (),
        embedding: Vector | None = None,
    ) -> None:
        """Index an article; adding an id again replaces the earlier entry. An undated article
        (`time` None) is a candidate for any time, and leaves by `evict_undated`."""
        if doc_id in self._by_doc:
            self.remove(doc_id)
        entry = _Entry(self._next_key, doc_id, time, lang)
        self._next_key += 1
        if digest is not None:
            entry.bands = self._band_hashes(digest, lang)
            for band in entry.bands:
                self._buckets.setdefault(band, {})[entry.key] = None
        entry.keys = sorted(set(keys))
        for key in entry.keys:
            self._postings.setdefault(key, {})[entry.key] = None
        if embedding is not None:
            entry.slot = self._store_vector(embedding, entry.key)
        self._entries[entry.key] = entry
        self._by_doc[doc_id] = entry.key
        if time is None:
            self._undated[entry.key] = None
        else:
            heapq.heappush(self._by_time, (time, entry.key))

    def remove(self, doc_id: str) -> bool:
        """Forget an article; False when it was not indexed."""
        key = self._by_doc.pop(doc_id, None)
        if key is None:
            return False
        entry = self._entries.pop(key)
        self._undated.pop(key, None)
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

    def evict_undated(self, keep: int) -> list[str]:
        """Forget the oldest undated articles beyond the newest `keep`; returns their ids."""
        gone: list[str] = []
        while len(self._undated) > keep:
            key = next(iter(self._undated))
            entry = self._entries[key]
            self.remove(entry.doc_id)
            gone.append(entry.doc_id)
        return gone

    # --- querying -------------------------------------------------------------------------

    def query(
        self,
        *,
        time: float | None,
        lang: str | None = None,
        digest: Sequence[int] | None = None,
        keys: Iterable[str] = (),
        strong_keys: Iterable[str] = (),
        embedding: Vector | None = None,
    ) -> list[Candidate]:
        """Articles within the window that share bands, rare keys or meaning, best first.

        `keys` need `min_shared_keys` in common (names and numbers); one `strong_keys` match is
        enough (a lead or title); both must also have been given to `add` to be found. An undated
        query (`time` None) or an undated entry is within the window whatever the other's time.
        """
        scores: dict[int, tuple[float, str]] = {}

        def offer(key: int, score: float, via: str) -> None:
            entry = self._entries.get(key)
            if entry is None or not self._within(entry, time):
                return
            if key not in scores or scores[key][0] < score:
                scores[key] = (score, via)

        if digest is not None:
            bands = self._band_hashes(digest, lang)
            shared: dict[int, int] = {}
            for band in bands:
                for key in _usable(self._buckets, band, self.bucket_cap):
                    shared[key] = shared.get(key, 0) + 1
            for key, count in shared.items():
                offer(key, count / max(1, len(bands)), "minhash")
        # shared rare keys, the rarer the better (weight 1/document frequency); only the best few
        # are offered: names alone are weak evidence, and each candidate costs a comparison
        key_hits: dict[int, list[float]] = {}
        for name in set(keys):
            members = _usable(self._postings, name, self.posting_cap)
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
                and self._within(self._entries[key], time)
            ),
            reverse=True,
        )
        for weight, key in ranked_keys[: self.max_key_candidates]:
            offer(key, min(0.8, weight / 4), "keys")
        for name in set(strong_keys):
            for key in _usable(self._postings, name, self.posting_cap):
                offer(key, 0.9, "strong")
        if embedding is not None:
            for key, sim in self._nearest(embedding):
                offer(key, sim, "embedding")
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [
            Candidate(self._entries[key].doc_id, score, via)
            for key, (score, via) in ranked[: self.max_candidates]
        ]

    def prefetch(self, embeddings: Iterable[Vector | None]) -> None:
        """Score the embeddings of the coming queries against the index in one matrix product.

        Later queries with one of these embeddings read their similarities from it, and compare
        only the vectors added since one by one: the answers are those `query` would give alone.
        Ends with the next `prefetch` (an empty one just ends it).
        """
        self._prefetched = None
        if self._vectors is None or not self._vector_keys:
            return
        columns: dict[bytes, int] = {}
        rows: list[Vector] = []
        for vector in embeddings:
            if vector is None:
                continue
            raw = np.asarray(vector, dtype=np.float32).ravel()
            if raw.shape[0] != self._vectors.shape[1] or raw.tobytes() in columns:
                continue
            columns[raw.tobytes()] = len(rows)
            rows.append(raw)
        if not rows:
            return
        matrix = np.stack(rows)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms == 0, 1.0, norms)
        used = len(self._vector_keys)
        sims = matrix @ self._vectors[:used].T
        self._prefetched = _Prefetched(columns, sims, list(self._vector_keys))

    # --- helpers --------------------------------------------------------------------------

    def _within(self, entry: _Entry, time: float | None) -> bool:
        return entry.time is None or time is None or abs(entry.time - time) <= self.window_s

    def _band_hashes(self, digest: Sequence[int], lang: str | None) -> list[int]:
        values = np.asarray(digest, dtype=np.uint64)
        rows = self.band_rows
        usable = len(values) - len(values) % rows
        bands = values[:usable].reshape(-1, rows)
        # the language is part of the band so that two languages never share a bucket
        salt = hash(lang or "")
        return [hash((salt, n, row.tobytes())) for n, row in enumerate(bands)]

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
        if self._prefetched is not None:
            self._prefetched.added.append(slot)
        return slot

    def _nearest(self, vector: Vector, top: int = 10) -> list[tuple[int, float]]:
        if self._vectors is None or not self._vector_keys:
            return []
        raw = np.asarray(vector, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(raw))
        if norm == 0 or raw.shape[0] != self._vectors.shape[1]:
            return []
        row = raw / norm
        ready = self._prefetched
        column = ready.columns.get(raw.tobytes()) if ready is not None else None
        if ready is None or column is None:
            sims = self._vectors[: len(self._vector_keys)] @ row
            slots = np.flatnonzero(sims >= self.embedding_threshold)
            keys = [self._vector_keys[int(s)] for s in slots]
            close = sims[slots]
        else:
            # the slots as they were at the prefetch (an entry removed since is no longer in
            # _entries, below), then those filled since, compared one by one
            sims = ready.sims[column]
            slots = np.flatnonzero(sims >= self.embedding_threshold)
            keys = [ready.keys[int(s)] for s in slots]
            close = sims[slots]
            if ready.added:
                late = np.asarray(ready.added, dtype=np.int64)
                late_sims = self._vectors[late] @ row
                kept = late_sims >= self.embedding_threshold
                keys.extend(self._vector_keys[int(s)] for s in late[kept])
                slots = np.concatenate([slots, late[kept]])
                close = np.concatenate([close, late_sims[kept]])
        # only the few slots over the threshold are sorted, not the whole window; ties by slot
        found: list[tuple[int, float]] = []
        for n in np.lexsort((slots, -close)):
            key = keys[int(n)]
            # a slot freed and filled again during the batch is listed twice in `added`
            if key is not None and key in self._entries and all(k != key for k, _ in found):
                found.append((key, float(close[n])))
                if len(found) >= top:
                    break
        return found


def _usable(table: _Table, name: Any, cap: int) -> dict[int, None]:
    """The members of a bucket or posting, none while it has more than `cap`: a name or a band
    that common in the window is a template's or the week's, useless as evidence."""
    members = table.get(name)
    return members if members is not None and len(members) <= cap else {}


def _unpost(table: _Table, name: Any, key: int) -> None:
    members = table.get(name)
    if members is None:
        return
    members.pop(key, None)
    if not members:
        del table[name]
