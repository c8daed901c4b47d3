"""Incremental clustering: each new article joins a story, opens one, or bridges two into one.

Two kinds of evidence place an article. A derivation (a copy, an excerpt, a translation, a rewrite
sharing passages) found by `relate` against one member joins that member's story, and bridges two
stories into one. Otherwise the article is compared with each candidate story as a whole (its
profile: the words, names and figures its members share, their dates and mean embedding; see
`profile` and `join_model`) and joins the one it fits best, when it fits well enough; two stories
it fits equally well are found to be one. Candidates come from `CandidateIndex` inside a time
window, so the cost of an article does not grow with the archive; an undated article is compared
whatever the time, with the window and with the newest dated articles that left it (the shelf).
Story ids are stable: the id of a story's first article, hashed; when stories merge the older id
survives and the other redirects to it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import numpy as np

from actuel.model import Credit, Relation, RelationKind, Story, StoryDoc
from actuel.stories.encoder import Encoder
from actuel.stories.fingerprint import (
    Fingerprint,
    embed_prints,
    embedding_text,
    fingerprint_many,
    title_text,
    twins,
)
from actuel.stories.index import DAY_S, CandidateIndex
from actuel.stories.join_model import DEFAULT_MODEL, JoinModel, barred, model_name
from actuel.stories.profile import (
    StoryProfile,
    Terms,
    TermStats,
    article_weights,
    fit_features,
    norm_squared,
    term_cosine,
    terms_of,
)
from actuel.stories.provenance import choose_original, latest_time, reliable_time
from actuel.stories.text import tokens

DEFAULT_THRESHOLD = 0.5
# Across languages a story profile has few words to compare (names are spelled differently, the
# vocabularies differ): there an independent report may also join on its likeness to one member.
# It takes more than a derivation and both texts must be more than a title and a line (a teaser
# shares a region's names with every story of the week). Without the encoder the likeness must be
# corroborated by what reports of one event share whoever writes them: the figures (and dates),
# names, or meaning. With it, relate's score alone decides at 0.75: on the SemEval-2022 train pairs
# annotators rated across two languages, 45 of 81 same-story pairs score that much and none of 172
# unrelated ones, while corroboration let only 14 through (bench/stories_real.py, rated pairs).
INDEPENDENT_THRESHOLD = 0.7
INDEPENDENT_ENCODER_EXTRA = 0.05  # with the encoder's cosine in the score: 0.75
MIN_INDEPENDENT_TOKENS = 25  # a title and a line or more (profile.HEADLINE_TOKENS)
INDEPENDENT_NUMBERS = 0.5
INDEPENDENT_COSINE = 0.8
INDEPENDENT_NAMES = 0.6  # when one side gives fewer than two figures to compare
# a rewrite shares passages yet may share only a stock sentence or two: it joins on a clear score
# (same-story rewrites score 0.98+ on the demo corpus; articles sharing a stock phrase, 0.5-0.9)
REWRITE_THRESHOLD = 0.75
# a big story's members crowd the candidates: only its closest few (the index ranks them) are
# compared, its representatives for this article; stories of the demo corpus have 7 at most
MAX_PER_STORY = 8
EVICT_EVERY = 256  # articles between two sweeps of the time window
# undated articles (a batch without dates) stay candidates whatever the time: the newest this many
UNDATED_KEPT = 20_000
# ...and so do, for them alone, the newest dated articles that left the window: an undated report
# has no time to be compared within (see `_shelve`). Kept once the stream has brought an undated
# article: a stream of dated ones never pays for them
SHELF_KEPT = 5_000
LEAD_WORDS = 10  # an excerpt repeats the first words of its source
MIN_TOKENS = 3  # fewer words than this cannot be told apart from anything
# one site's pages this alike in text, with titles this different, share a template, not a story
TEMPLATE_TEXT_JACCARD = 0.5
TEMPLATE_TITLE_OVERLAP = 1.0  # only the very same title says "the same article again"
# across sites, only short pages with unrelated titles count as one wall or template
WALL_TITLE_OVERLAP = 0.3
WALL_MAX_TOKENS = 200
TIME_TOLERANCE_S = 180.0  # closer than three minutes, clocks cannot order two articles
# when several members could be the source, prefer the closest kind of derivation
KIND_BONUS = {
    RelationKind.COPY: 0.2,
    RelationKind.EXCERPT: 0.15,
    RelationKind.TRANSLATION: 0.05,
    RelationKind.REWRITE: 0.0,
}
# how closely a derived text follows its source: a member moves to a nearer source only when the
# new link is at least as close a kind
KIND_RANK = {
    RelationKind.COPY: 3,
    RelationKind.EXCERPT: 3,
    RelationKind.TRANSLATION: 1,
    RelationKind.REWRITE: 1,
}


BatchT = TypeVar("BatchT", bound=Sequence[StoryDoc])
_NOTHING = np.zeros(0, dtype=np.uint64)


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
    spread: float = 0.0  # seconds it may have come out after `time` (a bare date: the day)
    trusted: datetime | None = None  # `reliable_time` when placed
    latest_at: datetime | None = None  # `latest_time` when placed

    @property
    def latest(self) -> float:
        return self.time + self.spread


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


def _outlet_matcher() -> Callable[[str, Sequence[str]], str | None]:
    try:
        from actuel.stories.credits import match_outlet
    except ImportError:
        return lambda name, outlets: next(
            (o for o in outlets if o.casefold() == name.casefold()), None
        )
    return match_outlet


def _site(doc: StoryDoc) -> str | None:
    if doc.source:
        return doc.source.casefold().strip()
    if doc.url:
        host = urlsplit(doc.url).hostname
        return host.removeprefix("www.") if host else None
    return None


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
        join_model: JoinModel = DEFAULT_MODEL,
        teacher: Mapping[str, str] | None = None,
    ) -> None:
        self.encoder = encoder
        self.join_model = join_model
        self.threshold = threshold
        self.window_s = window_days * DAY_S
        # dates later than a day past `now` are wrong clocks; by default, the wall clock read
        # at each article (a long-running process must not freeze it at start-up)
        self._fixed_now = now
        self._relate = relate or _default_relate()
        self._extract_credits = _credit_extractor()
        self._match = _outlet_matcher()
        self._index = CandidateIndex(window_days=window_days, max_candidates=max_candidates)
        self._prints: dict[str, Fingerprint] = {}
        self._records: dict[str, _Record] = {}
        self._stories: dict[str, _Story] = {}
        self._redirects: dict[str, str] = {}
        self._parents: dict[str, Relation] = {}  # derived id -> its relation to its source
        self._outlets: dict[str, None] = {}
        self._clock: float | None = None
        self._seq = 0
        # fingerprints made by `look_ahead` for the batches not placed yet
        self._ahead: dict[str, tuple[StoryDoc, Fingerprint]] = {}
        # story profiles, and the terms of the window's articles (their document frequencies)
        self._profiles: dict[str, StoryProfile] = {}
        self._terms: dict[str, tuple[Terms, float]] = {}  # and the squared norm of its words
        self._term_stats = TermStats()
        self._live: Counter[str] = Counter()  # story id -> its members still in the window
        # dated articles gone from the window, kept as candidates for undated ones
        self._shelf = CandidateIndex(window_days=window_days, max_candidates=max_candidates)
        self._shelved: dict[str, tuple[Fingerprint, tuple[Terms, float]]] = {}
        self._on_shelf: Counter[str] = Counter()  # story id -> its members on the shelf
        self._undated_seen = False
        # fitting the join model (bench/stories_real.py --fit): doc id -> true story label; each
        # article then goes where the truth says, and what it was compared with is recorded
        self._teacher = teacher
        self._teacher_story: dict[str, str] = {}
        self.fit_examples: list[tuple[str, str, dict[str, float], bool]] = []

    # --- public ---------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The clock dates are checked against: the one given, else the wall clock."""
        return self._fixed_now or datetime.now(UTC)

    def add(self, doc: StoryDoc) -> Assignment:
        """Place one article; adding an id already placed returns its current assignment."""
        return self.add_many([doc])[0]

    def add_many(
        self, docs: Sequence[StoryDoc], *, credits: Mapping[str, Sequence[Credit]] | None = None
    ) -> list[Assignment]:
        """Place articles in the order given (embeddings, when an encoder is set, in batches).

        `credits`: the credit lines of some articles, already extracted by the caller (then not
        looked for again)."""
        fresh = self._fresh(docs)
        made = self._fingerprints(fresh)
        if self.encoder is not None:
            made = embed_prints(fresh, made, self.encoder, twin_of=self._embedded_twin)
        prints = {p.doc_id: p for p in made}
        # the batch's embeddings against the window in one matrix product, not one per article
        self._index.prefetch(p.embedding for p in made if p.length >= MIN_TOKENS)
        out: list[Assignment] = []
        try:
            for doc in docs:
                if doc.id in self._records or doc.id not in prints:
                    out.append(self.assignment(doc.id))
                else:
                    given = credits.get(doc.id) if credits is not None else None
                    out.append(self._place(doc, prints.pop(doc.id), given))
        finally:
            self._index.prefetch(())
        return out

    def refill(
        self, docs: Sequence[StoryDoc], *, credits: Mapping[str, Sequence[Credit]] | None = None
    ) -> list[Assignment]:
        """Articles placed from their feed item alone, now with their page's text, weighed again.

        One alone in its story is placed anew: a story it now fits takes it, and its old story is
        reported merged into that one. One in a story with others stays there (what placed it
        there still holds). Articles never placed are placed."""
        alone: dict[str, str] = {}
        for doc in docs:
            record = self._records.get(doc.id)
            if record is None:
                continue
            story_id = self.resolve(record.story_id)
            story = self._stories.get(story_id)
            if story is not None and story.members == [doc.id]:
                self._forget(doc.id, story_id)
                alone[doc.id] = story_id
        out = []
        for assignment in self.add_many(docs, credits=credits):
            old = alone.get(assignment.doc_id)
            if old is not None and old != assignment.story_id:
                self._redirects[old] = assignment.story_id
                assignment = replace(assignment, merged=[*assignment.merged, old])
            out.append(assignment)
        return out

    def _forget(self, doc_id: str, story_id: str) -> None:
        """Take an article alone in its story out of the clusterer, story and all."""
        self._index.remove(doc_id)
        self._shelf.remove(doc_id)
        self._shelved.pop(doc_id, None)
        self._prints.pop(doc_id, None)
        kept = self._terms.pop(doc_id, None)
        if kept is not None:
            self._term_stats.remove(kept[0].words)
        del self._records[doc_id]
        del self._stories[story_id]
        self._profiles.pop(story_id, None)
        self._live.pop(story_id, None)
        self._on_shelf.pop(story_id, None)

    def look_ahead(self, docs: Sequence[StoryDoc]) -> None:
        """Get the next batch ready while the current one is placed: fingerprint it now, and start
        embedding the leads it will need in the encoder's background threads.

        Near-copies of articles placed or looked at before are left out, as `add_many` leaves
        them out (they take their twin's embedding). The answers of `add_many` are the same with
        or without it; only the time differs.
        """
        prefetch = getattr(self.encoder, "prefetch", None)
        fresh = self._fresh(docs)
        pending = [fp for _, fp in self._ahead.values()]
        made = fingerprint_many(fresh)
        leads: list[str] = []
        for doc, fp in zip(fresh, made, strict=True):
            self._ahead[doc.id] = (doc, fp)
            if prefetch is None or fp.length < MIN_TOKENS or not fp.shingles:
                continue
            if self._embedded_twin(doc, fp) is None and not any(twins(fp, p) for p in pending):
                lead = embedding_text(doc)
                if lead.strip():
                    leads.append(lead)
            head = title_text(doc)  # embedded with the leads, not behind the next batch's
            if head:
                leads.append(head)
            pending.append(fp)
        if prefetch is not None and leads:
            prefetch(leads)

    def add_stream(
        self, batches: Iterable[Sequence[StoryDoc]]
    ) -> Iterator[tuple[Sequence[StoryDoc], list[Assignment]]]:
        """Place batch after batch, the next one embedded in the background meanwhile; yields
        each batch with its assignments as it is placed."""
        for batch in self.looking_ahead(batches):
            yield batch, self.add_many(batch)

    def looking_ahead(self, batches: Iterable[BatchT]) -> Iterator[BatchT]:
        """The batches, each given once the next one was handed to `look_ahead`: for callers
        that place them their own way (the ingest's stories step writes each to the store)."""
        current: BatchT | None = None
        for batch in batches:
            self.look_ahead(batch)
            if current is not None:
                yield current
            current = batch
        if current is not None:
            yield current

    def _fresh(self, docs: Sequence[StoryDoc]) -> list[StoryDoc]:
        """The articles not placed yet, a repeated id keeping its first article."""
        first = {d.id: d for d in reversed(docs)}
        return [doc for doc in first.values() if doc.id not in self._records]

    def _fingerprints(self, docs: Sequence[StoryDoc]) -> list[Fingerprint]:
        """The articles' fingerprints: those `look_ahead` made, the others made now."""
        ready = {}
        for doc in docs:
            found = self._ahead.pop(doc.id, None)
            if found is not None and found[0] == doc:
                ready[doc.id] = found[1]
        made = iter(fingerprint_many([d for d in docs if d.id not in ready]))
        return [ready[d.id] if d.id in ready else next(made) for d in docs]

    def restore(
        self, docs: Sequence[StoryDoc], story_ids: Sequence[str], relations: Sequence[Relation] = ()
    ) -> None:
        """Put back articles already placed (after a restart: the store's last window of them).

        Each article goes into the story id given, without comparisons; `relations` are their
        stored derivations. Articles then added join these stories as if never interrupted.
        """
        if len(docs) != len(story_ids):
            raise ValueError("restore needs one story id per article")
        fresh = [(d, s) for d, s in zip(docs, story_ids, strict=True) if d.id not in self._records]
        prints = fingerprint_many([d for d, _ in fresh], encoder=self.encoder)
        for (doc, story_id), fp in zip(fresh, prints, strict=True):
            moment = self._time_of(doc)
            self._seq += 1
            if doc.source:
                self._outlets[doc.source] = None
            story = self._stories.get(self.resolve(story_id))
            if story is None:
                story = self._stories[story_id] = _Story(story_id, self._seq, [])
            story.members.append(doc.id)
            self._records[doc.id] = _Record(
                replace(doc, text=""), self._seq, moment, story.id, 1.0, self._credits(doc, fp),
                *self._bounds(doc, moment),
            )  # fmt: skip
            dated = reliable_time(doc, now=self.now)
            terms = terms_of(fp, dated.timestamp() if dated is not None else None)
            if fp.length >= MIN_TOKENS:
                self._profile(story.id).add(terms)
                keys, strong = self._keys(doc, fp)
                self._remember(doc, fp, terms, story.id, [*keys, *strong])
        for relation in relations:
            if relation.derived_id in self._records and relation.source_id in self._records:
                self._parents[relation.derived_id] = relation

    def _embedded_twin(self, doc: StoryDoc, fp: Fingerprint) -> Fingerprint | None:
        """A near-copy of the article already placed, embedded and in the window, if any."""
        if fp.length < MIN_TOKENS or not fp.shingles:
            return None
        moment = reliable_time(doc, now=self.now)
        when = moment.timestamp() if moment is not None else self._clock or self.now.timestamp()
        for cand in self._index.query(time=when, lang=fp.lang, digest=fp.minhash.digest()):
            other = self._prints.get(cand.doc_id)
            if other is not None and other.embedding is not None and twins(fp, other):
                return other
        return None

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
        seen = {doc_id}
        while doc_id in self._parents and self._parents[doc_id].source_id not in seen:
            doc_id = self._parents[doc_id].source_id
            seen.add(doc_id)
        return doc_id

    def __len__(self) -> int:
        return len(self._records)

    def stories(self) -> list[Story]:
        """Every story, oldest first, with its relations and its original."""
        return [self._story(s) for s in sorted(self._stories.values(), key=lambda s: s.seq)]

    def story(self, story_id: str) -> Story:
        return self._story(self._stories[self.resolve(story_id)])

    # --- placing one article --------------------------------------------------------------

    def _place(
        self, doc: StoryDoc, fp: Fingerprint, given: Sequence[Credit] | None = None
    ) -> Assignment:
        moment = self._time_of(doc)
        dated = reliable_time(doc, now=self.now)
        when = dated.timestamp() if dated is not None else None  # None: compared at any time
        self._seq += 1
        if doc.source:
            self._outlets[doc.source] = None
        credits = list(given) if given is not None else self._credits(doc, fp)
        thin = fp.length < MIN_TOKENS
        keys, strong = ([], []) if thin else self._keys(doc, fp)
        digest = None if thin or not fp.shingles else fp.minhash.digest()
        candidates = []
        if not thin:
            indexes = [self._index]
            if when is None:
                self._undated_seen = True
                indexes += [self._shelf] if self._shelved else []
            candidates = [
                found
                for index in indexes
                for found in index.query(
                    time=when,
                    lang=fp.lang,
                    digest=digest,
                    keys=keys,
                    strong_keys=strong,
                    embedding=fp.embedding,
                )
            ]
        terms = terms_of(fp, when)
        weights = article_weights(terms, self._term_stats)
        own = norm_squared(terms.words, weights)
        matches: list[tuple[str, VerdictLike]] = []
        # candidate story -> its closest member's cosine (meaning, then words)
        nearest: dict[str, tuple[float, float]] = {}
        compared: dict[str, int] = {}
        for cand in candidates:
            other, member = self._print_and_terms(cand.doc_id)
            if other is None:
                continue
            story = self.resolve(self._records[cand.doc_id].story_id)
            if compared.get(story, 0) >= MAX_PER_STORY:
                continue  # its closest members were compared: the rest add cost, not evidence
            compared[story] = compared.get(story, 0) + 1
            if self._template_pair(doc, fp, self._records[cand.doc_id].doc, other):
                continue  # a site's template or a wall: no evidence for the story either
            cosine = _cosine(fp, other)
            words = (
                term_cosine(weights, own, member[0].words, member[1]) if member is not None else 0.0
            )
            best_so_far = nearest.get(story, (0.0, 0.0))
            nearest[story] = (max(best_so_far[0], cosine), max(best_so_far[1], words))
            if self._teacher is not None or cand.doc_id in self._shelved:
                continue  # a shelved article speaks for its story's profile, not as a source
            verdict = self._relate(fp, other, encoder=self.encoder)
            if verdict.same_story >= self._bar(verdict, fp, other):
                matches.append((cand.doc_id, verdict))
        targets = {self.resolve(self._records[m].story_id) for m, _ in matches}
        # a derivation places the article: its likeness to other stories is not weighed (a teaser
        # of one strike fits the story of another strike that names the first)
        fits = self._fits(doc.id, terms, weights, nearest) if not targets or self._teacher else {}
        best = max(fits.items(), key=lambda kv: (kv[1], kv[0]), default=None)
        if self._teacher is not None:
            truth = self._teacher_story.get(self._teacher.get(doc.id, doc.id))
            targets = {truth} if truth is not None and truth in self._stories else set()
        elif best is not None and best[1] >= self.join_model.join[self._model(terms)]:
            # the stories a full text fits at the merge bar or more are one with the story it
            # joins (a title and a line is too little to say two stories are one)
            merge = self.join_model.merge if not terms.headline else float("inf")
            targets = {s for s, p in fits.items() if p >= merge} | {best[0]}
        story_id, merged = self._join(doc.id, targets)
        if self._teacher is not None:
            self._teacher_story.setdefault(self._teacher.get(doc.id, doc.id), story_id)
        joined = [v.same_story for _, v in matches] + [fits.get(story_id, 0.0)]
        confidence = max(joined) if targets else 1.0 - max(fits.values(), default=0.0)
        self._records[doc.id] = _Record(
            doc=replace(doc, text=""),
            seq=self._seq,
            time=moment,
            story_id=story_id,
            confidence=confidence,
            credits=credits,
        )
        record = self._records[doc.id]
        record.spread, record.trusted, record.latest_at = self._bounds(doc, moment)
        self._link(doc.id, matches)
        if not thin:
            self._profile(story_id).add(terms)
            self._remember(doc, fp, terms, story_id, [*keys, *strong], weights)
            if targets and self._teacher is None:
                merged = [*merged, *self._gather_alone(story_id, nearest)[1]]
        if self._seq % EVICT_EVERY == 0:
            self._evict()
        return replace(self.assignment(doc.id), merged=merged)

    def _remember(
        self,
        doc: StoryDoc,
        fp: Fingerprint,
        terms: Terms,
        story_id: str,
        keys: list[str],
        weights: Mapping[str, float] | None = None,
    ) -> None:
        """Keep the article in the window: a candidate for the next ones, its words counted."""
        self._prints[doc.id] = fp
        # its squared norm with the idf of now: the next articles compare with it (term_cosine)
        weights = weights if weights is not None else article_weights(terms, self._term_stats)
        self._terms[doc.id] = (terms, norm_squared(terms.words, weights))
        self._term_stats.add(terms.words)
        self._live[story_id] += 1
        self._index.add(
            doc.id,
            time=terms.time,
            lang=fp.lang,
            digest=fp.minhash.digest() if fp.shingles else None,
            keys=keys,
            embedding=fp.embedding,
        )

    def _model(self, terms: Terms) -> str:
        return model_name(headline=terms.headline, encoder=terms.embedding is not None)

    def _fits(
        self,
        doc_id: str,
        terms: Terms,
        weights: Mapping[str, float],
        nearest: Mapping[str, tuple[float, float]],
    ) -> dict[str, float]:
        """Each candidate story's join probability for the article (see `join_model`)."""
        model = self._model(terms)
        truth = None
        if self._teacher is not None:
            truth = self._teacher_story.get(self._teacher.get(doc_id, doc_id))
        fits: dict[str, float] = {}
        for story_id, (cosine, words) in nearest.items():
            profile = self._profiles.get(story_id)
            if profile is None:
                continue
            features = self._fit_features(terms, profile, weights, cosine, words)
            if self._teacher is not None and not barred(features, model):
                self.fit_examples.append((doc_id, model, features, story_id == truth))
            fits[story_id] = self.join_model.probability(features, model)
        return fits

    def _fit_features(
        self,
        terms: Terms,
        profile: StoryProfile,
        weights: Mapping[str, float] | None,
        cosine: float,
        words: float,
    ) -> dict[str, float]:
        """`profile.fit_features`, with the closest member's likeness by meaning and by words."""
        features = fit_features(terms, profile, self._term_stats, weights)
        features["embedding_max"] = cosine
        features["words_max"] = words
        return features

    def _bar(self, verdict: VerdictLike, a: Fingerprint, b: Fingerprint) -> float:
        """The same_story score a pair needs for the article to join the other's story: a
        derivation, or an independent report in another language; in one language, likeness
        without a derivation is the story profile's to judge."""
        if verdict.relation is None or verdict.relation == RelationKind.INDEPENDENT:
            encoded = "embedding_cosine" in verdict.evidence
            if (
                a.lang == b.lang
                or min(a.length, b.length) < MIN_INDEPENDENT_TOKENS
                or not (encoded or _corroborated(verdict, a, b))
            ):
                return float("inf")
            if encoded:
                return max(self.threshold, INDEPENDENT_THRESHOLD + INDEPENDENT_ENCODER_EXTRA)
            return max(self.threshold, INDEPENDENT_THRESHOLD)
        if verdict.relation == RelationKind.REWRITE:
            return max(self.threshold, REWRITE_THRESHOLD)
        return self.threshold

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

    def _bounds(
        self, doc: StoryDoc, moment: float
    ) -> tuple[float, datetime | None, datetime | None]:
        """How late after `moment` it may have come out; its trusted and its latest time."""
        now = self.now
        latest = latest_time(doc, now=now)
        spread = max(0.0, latest.timestamp() - moment) if latest is not None else 0.0
        return spread, reliable_time(doc, now=now), latest

    def _keys(self, doc: StoryDoc, fp: Fingerprint) -> tuple[list[str], list[str]]:
        """Rare-key postings: names, numbers and headline words (two needed), lead and title
        (one is enough). Headline words find the stories of a title without text."""
        named = fp.names | {w for w in fp.headline_terms if len(w) > 3}
        keys = [f"n:{w}" for w in named if len(w) > 2] + [f"#:{n}" for n in fp.numbers]
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
        """Pages sharing their text but not their title: a template or a wall, not a copy.

        On one site, any such pair; across sites (or with no site known), short pages whose titles
        share next to nothing: cookie walls, "enable JavaScript" pages, paywall stubs. Told apart
        before `relate` runs, so that 1,000 pages of one template cost little.
        """
        ta, tb = fa.title_words, fb.title_words
        title_overlap = len(ta & tb) / len(ta | tb) if ta and tb else 0.0
        if title_overlap >= TEMPLATE_TITLE_OVERLAP:
            return False  # the same article again (an update, another URL): not a template
        site = _site(a)
        same_site = site is not None and site == _site(b)
        if not same_site and (
            title_overlap >= WALL_TITLE_OVERLAP or min(fa.length, fb.length) >= WALL_MAX_TOKENS
        ):
            return False
        return bool(fa.minhash.jaccard(fb.minhash) >= TEMPLATE_TEXT_JACCARD)

    def _join(self, doc_id: str, story_ids: set[str]) -> tuple[str, list[str]]:
        """Put the article in these stories, merged into the oldest; a new story when none."""
        if not story_ids:
            story = _Story(story_id_for(doc_id), self._seq, [doc_id])
            n = 2
            while story.id in self._stories or story.id in self._redirects:
                story.id = story_id_for(f"{doc_id}#{n}")
                n += 1
            self._stories[story.id] = story
            return story.id, []
        survivor_id, others = self._merge(story_ids)
        self._stories[survivor_id].members.append(doc_id)
        return survivor_id, others

    def _merge(self, story_ids: set[str]) -> tuple[str, list[str]]:
        """Stories found to be one become the oldest of them: its id, and the others' ids."""
        ordered = sorted(
            {self.resolve(i): self._stories[self.resolve(i)] for i in story_ids}.values(),
            key=lambda s: s.seq,
        )
        survivor, others = ordered[0], ordered[1:]
        for other in others:
            survivor.members.extend(other.members)
            for member in other.members:
                self._records[member].story_id = survivor.id
            self._redirects[other.id] = survivor.id
            del self._stories[other.id]
            absorbed = self._profiles.pop(other.id, None)
            if absorbed is not None:
                self._profile(survivor.id).absorb(absorbed)
            self._live[survivor.id] += self._live.pop(other.id, 0)
            self._on_shelf[survivor.id] += self._on_shelf.pop(other.id, 0)
        return survivor.id, [o.id for o in others]

    def _gather_alone(
        self, story_id: str, nearest: Mapping[str, tuple[float, float]]
    ) -> tuple[str, list[str]]:
        """Titles and lines alone in a story of their own that fit this story now that a fuller
        report has joined it join it too (a feed item that came before the reports it announced).
        Each is weighed as if it arrived now, with the headline bar; the new member's likeness
        stands for the story's closest member. Full texts left alone are not gathered: on
        ecbplus-dev that cost 3 points of precision for 1 of F1."""
        profile = self._profiles.get(story_id)
        if profile is None or profile.size < 2:
            return story_id, []
        alone: set[str] = set()
        for candidate, (cosine, words) in nearest.items():
            other = self.resolve(candidate)
            story = self._stories.get(other)
            if other == story_id or story is None or len(story.members) != 1:
                continue
            held = self._terms.get(story.members[0])
            if held is None:
                continue
            terms = held[0]
            if not terms.headline:
                continue
            features = self._fit_features(terms, profile, None, cosine, words)
            model = self._model(terms)
            if self.join_model.probability(features, model) >= self.join_model.join[model]:
                alone.add(other)
        if not alone:
            return story_id, []
        return self._merge({story_id, *alone})

    def _profile(self, story_id: str) -> StoryProfile:
        profile = self._profiles.get(story_id)
        if profile is None:
            profile = self._profiles[story_id] = StoryProfile()
        return profile

    def _link(self, doc_id: str, matches: list[tuple[str, VerdictLike]]) -> None:
        """Record what the new article derives from, and what now derives from it."""
        own: list[tuple[float, str, VerdictLike]] = []
        for other_id, v in matches:
            if v.relation is None or v.relation == RelationKind.INDEPENDENT:
                continue
            direction = self._direction(doc_id, other_id, v)
            if direction == "a->b":
                own.append((v.confidence + KIND_BONUS.get(v.relation, 0.0), other_id, v))
        if own:
            own.sort(key=lambda t: (-t[0], self._records[t[1]].time, self._records[t[1]].seq))
            _, source_id, v = own[0]
            source_id, v = self._climb(source_id, v, {o: verdict for _, o, verdict in own})
            self._parents[doc_id] = _relation(doc_id, source_id, v)
        ancestors = self._ancestors(doc_id)
        below = [
            (other_id, v)
            for other_id, v in matches
            if v.relation is not None
            and v.relation != RelationKind.INDEPENDENT
            and other_id not in ancestors
            and self._direction(doc_id, other_id, v) == "b->a"
        ]
        # members that took a farther source for want of this one (it arrived late: feeds come
        # in any order) move under it; those that took a copy of it move to it, the older text
        for other_id, v in below:
            if other_id not in self._parents:
                self._parents[other_id] = _relation(other_id, doc_id, v)
        # oldest first, so that a member's source has moved before the member is looked at
        below.sort(key=lambda m: (self._records[m[0]].time, self._records[m[0]].seq))
        for other_id, v in below:
            current = self._parents[other_id]
            if current.source_id != doc_id and self._closer(doc_id, v, current, ancestors):
                self._parents[other_id] = _relation(other_id, doc_id, v)

    def _closer(
        self, doc_id: str, verdict: VerdictLike, current: Relation, ancestors: set[str]
    ) -> bool:
        """True when `doc_id` is a nearer source than `current.source_id` for the member.

        Either the new article sits between the member and its source and is a closer kind (a
        copy of a translation was first taken for a translation of the original), or the current
        source derives from the new article: as a copy (the same text, published later), or in a
        way that proves nothing of the path (a second translation looks like a rewrite of the
        first, as in `_climb`).
        """
        latest = self._records[current.derived_id].latest
        if verdict.relation is None or self._records[doc_id].time > latest + TIME_TOLERANCE_S:
            return False  # an excerpt's direction comes from its text: a later copy is no source
        if current.source_id in ancestors and current.source_id != doc_id:
            return KIND_RANK.get(verdict.relation, 0) > KIND_RANK.get(current.kind, 0)
        above = self._parents.get(current.source_id)
        if above is None or above.source_id != doc_id:
            return False
        if above.kind == RelationKind.COPY and verdict.relation == current.kind:
            return True
        # as in `_climb`: only a copy or an excerpt proves the text came through the intermediate
        return current.kind not in (RelationKind.COPY, RelationKind.EXCERPT)

    def _climb(
        self, source_id: str, verdict: VerdictLike, also: dict[str, VerdictLike]
    ) -> tuple[str, VerdictLike]:
        """Move a derivation up the chain while the article matches the source's own source too.

        A rewrite of an agency dispatch looks as much like the dispatch's copies as like the
        dispatch; a second translation looks like a rewrite of the first. Only a copy or an
        excerpt proves which intermediate the text came through.
        """
        seen = {source_id}
        while verdict.relation not in (RelationKind.COPY, RelationKind.EXCERPT):
            parent = self._parents.get(source_id)
            if parent is None or parent.source_id not in also or parent.source_id in seen:
                break
            source_id = parent.source_id
            verdict = also[source_id]
            seen.add(source_id)
        return source_id, verdict

    def _direction(self, a: str, b: str, verdict: VerdictLike) -> str:
        """Which way the derivation goes: "a->b" when a derives from b.

        An excerpt's direction is read off the texts, so `relate` decides it. Otherwise a credit
        line naming the other's outlet decides ("Source : Le Courrier"), then trusted publication
        times, then the order we first saw them. `relate`'s fallbacks on credit marks and lengths
        are not used: an agency signing its own dispatch "(AHP)" would look derived from copiers.
        """
        if verdict.relation == RelationKind.EXCERPT and verdict.direction:
            return verdict.direction
        ra, rb = self._records[a], self._records[b]
        a_credits_b, b_credits_a = self._credits_point(ra, rb), self._credits_point(rb, ra)
        if a_credits_b != b_credits_a:
            return "a->b" if a_credits_b else "b->a"
        if ra.latest + TIME_TOLERANCE_S < rb.time:
            return "b->a"
        if rb.latest + TIME_TOLERANCE_S < ra.time:
            return "a->b"
        if bool(ra.spread) != bool(rb.spread):
            # a bare date and a time within that day: the report with a time is taken as the
            # source (sites stamping only the day are mostly the ones that republish)
            return "a->b" if ra.spread else "b->a"
        return "a->b" if ra.seq > rb.seq else "b->a"

    def _credits_point(self, derived: _Record, source: _Record) -> bool:
        """True when `derived` names `source`'s outlet in a credit line."""
        outlet = source.doc.source
        if not derived.credits or not outlet or outlet == derived.doc.source:
            return False
        return any(self._match(c.outlet, [outlet]) for c in derived.credits)

    def _ancestors(self, doc_id: str) -> set[str]:
        seen: set[str] = set()
        while doc_id in self._parents and doc_id not in seen:
            seen.add(doc_id)
            doc_id = self._parents[doc_id].source_id
        seen.add(doc_id)
        return seen

    def _evict(self) -> None:
        undated = self._index.evict_undated(UNDATED_KEPT)
        past = []
        if self._clock is not None:
            past = self._index.evict_before(self._clock - self.window_s)
        for doc_id in undated:
            self._out_of_window(doc_id, shelve=False)
        for doc_id in past:
            self._out_of_window(doc_id, shelve=self._undated_seen)
        for doc_id in self._shelf.evict_undated(SHELF_KEPT):
            self._shelved.pop(doc_id, None)
            self._leave(doc_id, self._on_shelf)

    def _out_of_window(self, doc_id: str, *, shelve: bool) -> None:
        """An article leaves the window: its words leave the counts; shelved, or forgotten."""
        fp = self._prints.pop(doc_id, None)
        kept = self._terms.pop(doc_id, None)
        if kept is not None:
            self._term_stats.remove(kept[0].words)
            if shelve and fp is not None:
                self._shelve(doc_id, fp, kept)
        self._leave(doc_id, self._live)

    def _shelve(self, doc_id: str, fp: Fingerprint, kept: tuple[Terms, float]) -> None:
        """Keep a dated article that left the window as a candidate for undated articles: these
        have no time to be compared within, and their event's dated reports may be long gone."""
        record = self._records[doc_id]
        keys, strong = self._keys(record.doc, fp)
        self._shelf.add(
            doc_id,
            time=None,
            lang=fp.lang,
            digest=fp.minhash.digest() if fp.shingles else None,
            keys=[*keys, *strong],
            embedding=fp.embedding,
        )
        # what the profile comparison reads (meaning, title, MinHash); the passages go
        slim = replace(
            fp,
            shingles=frozenset(),
            shingle_seq=_NOTHING,
            shingle_sorted=_NOTHING,
            char_grams=_NOTHING,
            quotes=frozenset(),
            words=frozenset(),
            first_sentences=(),
            title_embedding=None,
        )
        self._shelved[doc_id] = (slim, kept)
        self._on_shelf[self.resolve(record.story_id)] += 1

    def _leave(self, doc_id: str, counts: Counter[str]) -> None:
        """One member fewer in the window or on the shelf; a story with none in either can take
        no new article: its profile goes."""
        story = self.resolve(self._records[doc_id].story_id)
        counts[story] -= 1
        if counts[story] <= 0:
            del counts[story]
            if not self._live.get(story) and not self._on_shelf.get(story):
                self._profiles.pop(story, None)

    def _print_and_terms(
        self, doc_id: str
    ) -> tuple[Fingerprint | None, tuple[Terms, float] | None]:
        """A candidate's fingerprint and terms, from the window or the shelf."""
        shelved = self._shelved.get(doc_id)
        if shelved is not None:
            return shelved
        return self._prints.get(doc_id), self._terms.get(doc_id)

    # --- reading stories ------------------------------------------------------------------

    def _story(self, story: _Story) -> Story:
        records = [self._records[m] for m in story.members]
        docs = [r.doc for r in records]
        relations = [self._parents[m] for m in story.members if m in self._parents]
        credits = {r.doc.id: r.credits for r in records if r.credits}
        # times as read when each article was placed: a big story is not dated afresh each time
        times = {r.doc.id: r.latest_at for r in records}
        original_id, credit = choose_original(docs, relations, credits, now=self.now, times=times)
        first = [r.trusted for r in records if r.trusted is not None]
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


def _corroborated(verdict: VerdictLike, a: Fingerprint, b: Fingerprint) -> bool:
    """Two separately written reports agree on figures, meaning or (lacking figures) names."""
    evidence = verdict.evidence
    if float(evidence.get("embedding_cosine", 0.0)) >= INDEPENDENT_COSINE:
        return True
    if min(len(a.numbers), len(b.numbers)) < 2:
        return float(evidence.get("names", 0.0)) >= INDEPENDENT_NAMES
    return float(evidence.get("numbers", 0.0)) >= INDEPENDENT_NUMBERS


def _cosine(a: Fingerprint, b: Fingerprint) -> float:
    if a.embedding is None or b.embedding is None:
        return 0.0
    return float(a.embedding @ b.embedding)


def _relation(derived: str, source: str, v: VerdictLike) -> Relation:
    kind = v.relation or RelationKind.REWRITE
    return Relation(derived, source, kind, round(float(v.confidence), 4), dict(v.evidence))


def cluster(docs: Iterable[StoryDoc], **options: Any) -> tuple[list[Assignment], list[Story]]:
    """Cluster a whole batch: every article's final assignment, and the stories."""
    clusterer = StoryClusterer(**options)
    ids: list[str] = []
    for batch, _ in clusterer.add_stream(batched(docs, 64)):
        ids.extend(d.id for d in batch)
    return [clusterer.assignment(i) for i in dict.fromkeys(ids)], clusterer.stories()


def batched(items: Iterable[StoryDoc], size: int) -> Iterator[list[StoryDoc]]:
    """The items in lists of `size` (the last one shorter)."""
    batch: list[StoryDoc] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
