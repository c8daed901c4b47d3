"""Incremental clustering: each new article joins a story, opens one, or bridges two into one.

Joining takes strong pairwise evidence against one member (single link on `relate` verdicts, never
on a story centroid), so a story cannot drift from weak link to weak link; candidates come from
`CandidateIndex` inside a time window, so the cost of an article does not grow with the archive.
Story ids are stable: the id of a story's first article, hashed; when an article bridges two
stories the older id survives and the other redirects to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from actuel.model import Credit, Relation, RelationKind, Story, StoryDoc
from actuel.stories.encoder import Encoder
from actuel.stories.fingerprint import Fingerprint, fingerprint_many
from actuel.stories.index import DAY_S, CandidateIndex
from actuel.stories.provenance import choose_original, reliable_time, root_of
from actuel.stories.text import tokens

DEFAULT_THRESHOLD = 0.5
EVICT_EVERY = 256  # articles between two sweeps of the time window
LEAD_WORDS = 10  # an excerpt repeats the first words of its source
MIN_TOKENS = 3  # fewer words than this cannot be told apart from anything
# one site's pages this alike in text, with titles this different, share a template, not a story
TEMPLATE_TEXT_JACCARD = 0.5
TEMPLATE_TITLE_OVERLAP = 0.5
# when several members could be the source, prefer the closest kind of derivation
KIND_BONUS = {
    RelationKind.COPY: 0.2,
    RelationKind.EXCERPT: 0.15,
    RelationKind.TRANSLATION: 0.05,
    RelationKind.REWRITE: 0.0,
}


class VerdictLike(Protocol):
    """What `relate` answers about a pair (a, b)."""

    same_story: float
    relation: RelationKind | None
    direction: str | None  # "a->b": a derives from b; "b->a": b derives from a
    confidence: float
    evidence: dict[str, Any]


Relate = Callable[..., VerdictLike]


@dataclass(frozen=True)
class Assignment:
    """Where one article went: its story, what it derives from, and stories it merged."""

    doc_id: str
    story_id: str
    relation: RelationKind | None
    derived_from: str | None
    confidence: float
    merged: list[str] = field(default_factory=list)


@dataclass
class _Record:
    doc: StoryDoc  # without its text: that stays with the caller
    seq: int
    time: float
    story_id: str
    confidence: float
    credits: list[Credit] = field(default_factory=list)


@dataclass
class _Story:
    id: str
    seq: int
    members: list[str]


def story_id_for(doc_id: str) -> str:
    """A story's id from its first article's id: the same input gives the same ids."""
    return "st-" + hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).hexdigest()


def _default_relate() -> Relate:
    from actuel.stories.relate import relate

    return relate


def _credit_extractor() -> Callable[..., list[Credit]] | None:
    try:
        from actuel.stories.credits import extract_credits
    except ImportError:
        return None
    return extract_credits


def _site(doc: StoryDoc) -> str | None:
    if doc.source:
        return doc.source.casefold().strip()
    if doc.url:
        host = urlsplit(doc.url).hostname
        return host.removeprefix("www.") if host else None
    return None


def _title_words(title: str) -> frozenset[str]:
    return frozenset(tokens(title))


class StoryClusterer:
    """Groups articles into stories as they arrive; `stories()` gives them with provenance."""

    def __init__(
        self,
        *,
        encoder: Encoder | None = None,
        window_days: float = 7.0,
        threshold: float = DEFAULT_THRESHOLD,
        max_candidates: int = 40,
        relate: Relate | None = None,
        now: datetime | None = None,
    ) -> None:
        self.encoder = encoder
        self.threshold = threshold
        self.window_s = window_days * DAY_S
        # dates later than a day past `now` are wrong clocks; by default, the wall clock
        self.now = now or datetime.now(UTC)
        self._relate = relate or _default_relate()
        self._extract_credits = _credit_extractor()
        self._index = CandidateIndex(window_days=window_days, max_candidates=max_candidates)
        self._prints: dict[str, Fingerprint] = {}
        self._records: dict[str, _Record] = {}
        self._stories: dict[str, _Story] = {}
        self._redirects: dict[str, str] = {}
        self._parents: dict[str, Relation] = {}  # derived id -> its relation to its source
        self._outlets: dict[str, None] = {}
        self._clock: float | None = None
        self._seq = 0

    # --- public ---------------------------------------------------------------------------

    def add(self, doc: StoryDoc) -> Assignment:
        """Place one article; adding an id already placed returns its current assignment."""
        return self.add_many([doc])[0]

    def add_many(self, docs: Sequence[StoryDoc]) -> list[Assignment]:
        """Place articles in the order given (embeddings, when an encoder is set, in batches)."""
        fresh = [
            doc for doc in dict((d.id, d) for d in docs).values() if doc.id not in self._records
        ]
        prints = {p.doc_id: p for p in fingerprint_many(fresh, encoder=self.encoder)}
        out: list[Assignment] = []
        for doc in docs:
            if doc.id in self._records or doc.id not in prints:
                out.append(self.assignment(doc.id))
            else:
                out.append(self._place(doc, prints.pop(doc.id)))
        return out

    def assignment(self, doc_id: str) -> Assignment:
        """The article's current story and derivation (they may change as others arrive)."""
        record = self._records[doc_id]
        parent = self._parents.get(doc_id)
        return Assignment(
            doc_id=doc_id,
            story_id=self.resolve(record.story_id),
            relation=parent.kind if parent else None,
            derived_from=parent.source_id if parent else None,
            confidence=round(parent.confidence if parent else record.confidence, 4),
        )

    def resolve(self, story_id: str) -> str:
        """The id a story is known by now (a merged story's id redirects to the survivor)."""
        seen = []
        while story_id in self._redirects:
            seen.append(story_id)
            story_id = self._redirects[story_id]
        for old in seen[:-1]:
            self._redirects[old] = story_id
        return story_id

    def story_of(self, doc_id: str) -> str:
        return self.resolve(self._records[doc_id].story_id)

    def original_of(self, doc_id: str) -> str:
        """The article at the top of this one's derivation chain (itself when not derived)."""
        return root_of(doc_id, {k: r.source_id for k, r in self._parents.items()})

    def __len__(self) -> int:
        return len(self._records)

    def stories(self) -> list[Story]:
        """Every story, oldest first, with its relations and its original."""
        return [self._story(s) for s in sorted(self._stories.values(), key=lambda s: s.seq)]

    def story(self, story_id: str) -> Story:
        return self._story(self._stories[self.resolve(story_id)])

    # --- placing one article --------------------------------------------------------------

    def _place(self, doc: StoryDoc, fp: Fingerprint) -> Assignment:
        moment = self._time_of(doc)
        self._seq += 1
        if doc.source:
            self._outlets[doc.source] = None
        credits = self._credits(doc, fp)
        thin = fp.length < MIN_TOKENS
        keys, strong = ([], []) if thin else self._keys(doc, fp)
        digest = None if thin or not fp.shingles else fp.minhash.digest()
        candidates = []
        if not thin:
            candidates = self._index.query(
                time=moment,
                lang=fp.lang,
                digest=digest,
                keys=keys,
                strong_keys=strong,
                embedding=fp.embedding,
            )
        matches: list[tuple[str, VerdictLike]] = []
        best_other = 0.0
        for cand in candidates:
            other = self._prints.get(cand.doc_id)
            if other is None or self._template_pair(doc, fp, self._records[cand.doc_id].doc, other):
                continue
            verdict = self._relate(fp, other, encoder=self.encoder)
            if verdict.same_story >= self.threshold:
                matches.append((cand.doc_id, verdict))
            else:
                best_other = max(best_other, verdict.same_story)
        story_id, merged = self._join(doc.id, [m for m, _ in matches])
        confidence = max((v.same_story for _, v in matches), default=1.0 - best_other)
        self._records[doc.id] = _Record(
            doc=replace(doc, text=""),
            seq=self._seq,
            time=moment,
            story_id=story_id,
            confidence=confidence,
            credits=credits,
        )
        self._link(doc.id, matches)
        if not thin:
            self._prints[doc.id] = fp
            self._index.add(
                doc.id,
                time=moment,
                lang=fp.lang,
                digest=digest,
                keys=[*keys, *strong],
                embedding=fp.embedding,
            )
        if self._seq % EVICT_EVERY == 0:
            self._evict()
        return replace(self.assignment(doc.id), merged=merged)

    def _time_of(self, doc: StoryDoc) -> float:
        """Seconds since the epoch: a trusted date, else first-seen, else the stream's clock."""
        moment = reliable_time(doc, now=self.now)
        clock = self._clock
        if moment is None:
            value = clock if clock is not None else self.now.timestamp()
        else:
            value = moment.timestamp()
        self._clock = value if clock is None else max(clock, value)
        return value

    def _keys(self, doc: StoryDoc, fp: Fingerprint) -> tuple[list[str], list[str]]:
        """Rare-key postings: names and numbers (two needed), lead and title (one is enough)."""
        keys = [f"n:{w}" for w in fp.names if len(w) > 2] + [f"#:{n}" for n in fp.numbers]
        strong: list[str] = []
        words = tokens(doc.text[:400])
        if len(words) >= LEAD_WORDS:
            strong.append("lead:" + " ".join(words[:LEAD_WORDS]))
        title = tokens(doc.title)
        if len(title) >= 4:
            strong.append("title:" + " ".join(title))
        return keys, strong

    def _credits(self, doc: StoryDoc, fp: Fingerprint) -> list[Credit]:
        if self._extract_credits is None or not fp.credit_lines:
            return []
        try:
            found = self._extract_credits(
                doc.text, lang=fp.lang, title=doc.title, known_outlets=list(self._outlets)
            )
        except ValueError:
            return []
        return list(found)

    def _template_pair(self, a: StoryDoc, fa: Fingerprint, b: StoryDoc, fb: Fingerprint) -> bool:
        """Two pages of one site sharing their text but not their title: a template, not a copy.

        Told apart before `relate` runs, so that 1,000 pages of one template cost little.
        """
        site = _site(a)
        if site is None or site != _site(b):
            return False
        ta, tb = _title_words(a.title), _title_words(b.title)
        if ta and tb and len(ta & tb) / len(ta | tb) >= TEMPLATE_TITLE_OVERLAP:
            return False  # the same article again (an update, another URL): not a template
        return bool(fa.minhash.jaccard(fb.minhash) >= TEMPLATE_TEXT_JACCARD)

    def _join(self, doc_id: str, matched: list[str]) -> tuple[str, list[str]]:
        ids = {self.resolve(self._records[m].story_id) for m in matched}
        if not ids:
            story = _Story(story_id_for(doc_id), self._seq, [doc_id])
            n = 2
            while story.id in self._stories or story.id in self._redirects:
                story.id = story_id_for(f"{doc_id}#{n}")
                n += 1
            self._stories[story.id] = story
            return story.id, []
        ordered = sorted((self._stories[i] for i in ids), key=lambda s: s.seq)
        survivor, others = ordered[0], ordered[1:]
        for other in others:
            survivor.members.extend(other.members)
            for member in other.members:
                self._records[member].story_id = survivor.id
            self._redirects[other.id] = survivor.id
            del self._stories[other.id]
        survivor.members.append(doc_id)
        return survivor.id, [o.id for o in others]

    def _link(self, doc_id: str, matches: list[tuple[str, VerdictLike]]) -> None:
        """Record what the new article derives from, and what now derives from it."""
        own: list[tuple[float, str, VerdictLike]] = []
        for other_id, v in matches:
            if v.relation is None or v.relation == RelationKind.INDEPENDENT:
                continue
            direction = v.direction or self._direction_by_time(doc_id, other_id)
            if direction == "a->b":
                own.append((v.confidence + KIND_BONUS.get(v.relation, 0.0), other_id, v))
        if own:
            own.sort(key=lambda t: (-t[0], self._records[t[1]].seq))
            _, source_id, v = own[0]
            self._parents[doc_id] = _relation(doc_id, source_id, v)
        ancestors = self._ancestors(doc_id)
        for other_id, v in matches:
            if v.relation is None or v.relation == RelationKind.INDEPENDENT:
                continue
            direction = v.direction or self._direction_by_time(doc_id, other_id)
            if direction == "b->a" and other_id not in self._parents and other_id not in ancestors:
                self._parents[other_id] = _relation(other_id, doc_id, v)

    def _direction_by_time(self, a: str, b: str) -> str:
        """Derived → source for a pair `relate` left undirected: the later one derives."""
        ra, rb = self._records.get(a), self._records.get(b)
        if ra is None or rb is None:
            return "a->b"
        return "a->b" if (ra.time, ra.seq) >= (rb.time, rb.seq) else "b->a"

    def _ancestors(self, doc_id: str) -> set[str]:
        seen: set[str] = set()
        while doc_id in self._parents and doc_id not in seen:
            seen.add(doc_id)
            doc_id = self._parents[doc_id].source_id
        seen.add(doc_id)
        return seen

    def _evict(self) -> None:
        if self._clock is None:
            return
        for doc_id in self._index.evict_before(self._clock - self.window_s):
            self._prints.pop(doc_id, None)

    # --- reading stories ------------------------------------------------------------------

    def _story(self, story: _Story) -> Story:
        records = [self._records[m] for m in story.members]
        docs = [r.doc for r in records]
        relations = [self._parents[m] for m in story.members if m in self._parents]
        credits = {r.doc.id: r.credits for r in records if r.credits}
        original_id, credit = choose_original(docs, relations, credits, now=self.now)
        first = [t for t in (reliable_time(d, now=self.now) for d in docs) if t is not None]
        title = self._records[original_id].doc.title if original_id else None
        return Story(
            id=story.id,
            article_ids=list(story.members),
            original_id=original_id,
            original_credit=credit,
            title=title,
            first_published_at=min(first) if first else None,
            relations=relations,
        )


def _relation(derived: str, source: str, v: VerdictLike) -> Relation:
    kind = v.relation or RelationKind.REWRITE
    return Relation(derived, source, kind, round(float(v.confidence), 4), dict(v.evidence))


def cluster(docs: Iterable[StoryDoc], **options: Any) -> tuple[list[Assignment], list[Story]]:
    """Cluster a whole batch: every article's final assignment, and the stories."""
    clusterer = StoryClusterer(**options)
    ids: list[str] = []
    batch: list[StoryDoc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= 64:
            clusterer.add_many(batch)
            ids.extend(d.id for d in batch)
            batch = []
    if batch:
        clusterer.add_many(batch)
        ids.extend(d.id for d in batch)
    return [clusterer.assignment(i) for i in dict.fromkeys(ids)], clusterer.stories()
