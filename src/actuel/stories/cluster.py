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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from actuel.model import Credit, Relation, RelationKind, Story, StoryDoc
from actuel.stories.credits import extract_credits, match_outlet
from actuel.stories.encoder import Encoder
from actuel.stories.fingerprint import (
    Fingerprint,
    embed_prints,
    embedding_text,
    fingerprint_many,
    title_text,
    twins,
)
from actuel.stories.join_model import DEFAULT_MODEL, JoinModel, barred, model_name
from actuel.stories.lineage import Lineage, Member
from actuel.stories.profile import (
    StoryProfile,
    Terms,
    article_weights,
    fit_features,
    norm_squared,
    term_cosine,
    terms_of,
)
from actuel.stories.provenance import choose_original
from actuel.stories.thresholds import (
    DEFAULT_THRESHOLD,
    Relate,
    VerdictLike,
    pair_bar,
    template_pair,
)
from actuel.stories.window import EVICT_EVERY, CandidateWindow, keys_of
from actuel.times import latest_time, reliable_time

# a big story's members crowd the candidates: only its closest few (the index ranks them) are
# compared, its representatives for this article; stories of the demo corpus have 7 at most
MAX_PER_STORY = 8
MIN_TOKENS = 3  # fewer words than this cannot be told apart from anything

BatchT = TypeVar("BatchT", bound=Sequence[StoryDoc])


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
        # dates later than a day past `now` are wrong clocks; by default, the wall clock read
        # at each article (a long-running process must not freeze it at start-up)
        self._fixed_now = now
        self._relate = relate or _default_relate()
        self._window = CandidateWindow(window_days=window_days, max_candidates=max_candidates)
        self._records: dict[str, Member] = {}
        self._lineage = Lineage(self._records, match_outlet)
        self._stories: dict[str, _Story] = {}
        self._redirects: dict[str, str] = {}
        self._outlets: dict[str, None] = {}
        self._clock: float | None = None
        self._seq = 0
        # fingerprints made by `look_ahead` for the batches not placed yet
        self._ahead: dict[str, tuple[StoryDoc, Fingerprint]] = {}
        self._profiles: dict[str, StoryProfile] = {}
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
        self._window.index.prefetch(p.embedding for p in made if p.length >= MIN_TOKENS)
        out: list[Assignment] = []
        try:
            for doc in docs:
                if doc.id in self._records or doc.id not in prints:
                    out.append(self.assignment(doc.id))
                else:
                    given = credits.get(doc.id) if credits is not None else None
                    out.append(self._place(doc, prints.pop(doc.id), given))
        finally:
            self._window.index.prefetch(())
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
        self._window.forget(doc_id, story_id)
        del self._records[doc_id]
        del self._stories[story_id]
        self._profiles.pop(story_id, None)

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
            self._records[doc.id] = Member(
                replace(doc, text=""), self._seq, moment, story.id, 1.0, self._credits(doc, fp),
                *self._bounds(doc, moment),
            )  # fmt: skip
            dated = reliable_time(doc, now=self.now)
            terms = terms_of(fp, dated.timestamp() if dated is not None else None)
            if fp.length >= MIN_TOKENS:
                self._profile(story.id).add(terms)
                keys, strong = keys_of(doc, fp)
                self._window.remember(doc.id, fp, terms, story.id, [*keys, *strong])
        self._lineage.restore(relations)

    def _embedded_twin(self, doc: StoryDoc, fp: Fingerprint) -> Fingerprint | None:
        """A near-copy of the article already placed, embedded and in the window, if any."""
        if fp.length < MIN_TOKENS or not fp.shingles:
            return None
        moment = reliable_time(doc, now=self.now)
        when = moment.timestamp() if moment is not None else self._clock or self.now.timestamp()
        window = self._window
        for cand in window.index.query(time=when, lang=fp.lang, digest=fp.minhash.digest()):
            other = window.prints.get(cand.doc_id)
            if other is not None and other.embedding is not None and twins(fp, other):
                return other
        return None

    def assignment(self, doc_id: str) -> Assignment:
        """The article's current story and derivation (they may change as others arrive)."""
        record = self._records[doc_id]
        parent = self._lineage.parents.get(doc_id)
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
        return self._lineage.original_of(doc_id)

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
        keys, strong = ([], []) if thin else keys_of(doc, fp)
        digest = None if thin or not fp.shingles else fp.minhash.digest()
        window = self._window
        candidates = []
        if not thin:
            candidates = window.candidates(fp, when=when, digest=digest, keys=keys, strong=strong)
        terms = terms_of(fp, when)
        weights = article_weights(terms, window.term_stats)
        own = norm_squared(terms.words, weights)
        matches: list[tuple[str, VerdictLike]] = []
        # candidate story -> its closest member's cosine (meaning, then words)
        nearest: dict[str, tuple[float, float]] = {}
        compared: dict[str, int] = {}
        for cand in candidates:
            other, member = window.print_and_terms(cand.doc_id)
            if other is None:
                continue
            story = self.resolve(self._records[cand.doc_id].story_id)
            if compared.get(story, 0) >= MAX_PER_STORY:
                continue  # its closest members were compared: the rest add cost, not evidence
            compared[story] = compared.get(story, 0) + 1
            if template_pair(doc, fp, self._records[cand.doc_id].doc, other):
                continue  # a site's template or a wall: no evidence for the story either
            cosine = _cosine(fp, other)
            words = (
                term_cosine(weights, own, member[0].words, member[1]) if member is not None else 0.0
            )
            best_so_far = nearest.get(story, (0.0, 0.0))
            nearest[story] = (max(best_so_far[0], cosine), max(best_so_far[1], words))
            if self._teacher is not None or window.is_shelved(cand.doc_id):
                continue  # a shelved article speaks for its story's profile, not as a source
            verdict = self._relate(fp, other, encoder=self.encoder)
            if verdict.same_story >= pair_bar(verdict, fp, other, threshold=self.threshold):
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
        self._records[doc.id] = Member(
            doc=replace(doc, text=""),
            seq=self._seq,
            time=moment,
            story_id=story_id,
            confidence=confidence,
            credits=credits,
        )
        record = self._records[doc.id]
        record.spread, record.trusted, record.latest_at = self._bounds(doc, moment)
        self._lineage.link(doc.id, matches)
        if not thin:
            self._profile(story_id).add(terms)
            window.remember(doc.id, fp, terms, story_id, [*keys, *strong], weights)
            if targets and self._teacher is None:
                merged = [*merged, *self._gather_alone(story_id, nearest)[1]]
        if self._seq % EVICT_EVERY == 0:
            for story_id in window.evict(self._clock, self._records, self.resolve):
                self._profiles.pop(story_id, None)
        return replace(self.assignment(doc.id), merged=merged)

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
        features = fit_features(terms, profile, self._window.term_stats, weights)
        features["embedding_max"] = cosine
        features["words_max"] = words
        return features

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

    def _credits(self, doc: StoryDoc, fp: Fingerprint) -> list[Credit]:
        if not fp.credit_lines:
            return []
        try:
            found = extract_credits(
                doc.text, lang=fp.lang, title=doc.title, known_outlets=list(self._outlets)
            )
        except ValueError:
            return []
        return list(found)

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
            self._window.merge(survivor.id, other.id)
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
            held = self._window.terms.get(story.members[0])
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

    # --- reading stories ------------------------------------------------------------------

    def _story(self, story: _Story) -> Story:
        records = [self._records[m] for m in story.members]
        docs = [r.doc for r in records]
        parents = self._lineage.parents
        relations = [parents[m] for m in story.members if m in parents]
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


def _cosine(a: Fingerprint, b: Fingerprint) -> float:
    if a.embedding is None or b.embedding is None:
        return 0.0
    return float(a.embedding @ b.embedding)


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
