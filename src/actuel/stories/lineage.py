"""Who derives from whom inside a story: each member's source, the direction of a derivation, and
chains mended when a nearer source arrives late (feeds come in any order).

A derivation found by `relate` (copy, excerpt, translation, rewrite) says two texts are linked,
not always which came first: `direction` reads it off credit lines, then trusted times, then the
order of arrival. Each member keeps one source, the closest kind of derivation among those it
matches, moved up the chain while nothing proves the intermediate (`_climb`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from actuel.model import Credit, Relation, RelationKind, StoryDoc
from actuel.stories.thresholds import VerdictLike

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

OutletMatch = Callable[[str, Sequence[str]], str | None]


@dataclass
class Member:
    """A placed article as the clusterer keeps it: when, in which story, what it credits."""

    doc: StoryDoc  # without its text: that stays with the caller
    seq: int  # order of arrival
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


class Lineage:
    """Each derived member's relation to its source, kept right as members arrive."""

    def __init__(self, members: Mapping[str, Member], match_outlet: OutletMatch) -> None:
        self.parents: dict[str, Relation] = {}  # derived id -> its relation to its source
        self._members = members
        self._match = match_outlet

    def restore(self, relations: Sequence[Relation]) -> None:
        """Put back stored derivations between members already placed."""
        for relation in relations:
            if relation.derived_id in self._members and relation.source_id in self._members:
                self.parents[relation.derived_id] = relation

    def link(self, doc_id: str, matches: Sequence[tuple[str, VerdictLike]]) -> None:
        """Record what the new article derives from, and what now derives from it."""
        derivations = [
            (other_id, v, self.direction(doc_id, other_id, v))
            for other_id, v in matches
            if v.relation is not None and v.relation != RelationKind.INDEPENDENT
        ]
        own = [
            (v.confidence + KIND_BONUS.get(v.relation, 0.0), other_id, v)
            for other_id, v, way in derivations
            if way == "a->b" and v.relation is not None
        ]
        if own:
            members = self._members
            own.sort(key=lambda t: (-t[0], members[t[1]].time, members[t[1]].seq))
            _, source_id, v = own[0]
            source_id, v = self._climb(source_id, v, {o: verdict for _, o, verdict in own})
            self.parents[doc_id] = relation_between(doc_id, source_id, v)
        ancestors = self.ancestors(doc_id)
        # the way a pair goes reads the members' credits and times, never `parents`: once each
        below = [
            (other_id, v)
            for other_id, v, way in derivations
            if way == "b->a" and other_id not in ancestors
        ]
        # members that took a farther source for want of this one (it arrived late) move under
        # it; those that took a copy of it move to it, the older text
        for other_id, v in below:
            if other_id not in self.parents:
                self.parents[other_id] = relation_between(other_id, doc_id, v)
        # oldest first, so that a member's source has moved before the member is looked at
        below.sort(key=lambda m: (self._members[m[0]].time, self._members[m[0]].seq))
        for other_id, v in below:
            current = self.parents[other_id]
            if current.source_id != doc_id and self._nearer_source(doc_id, v, current, ancestors):
                self.parents[other_id] = relation_between(other_id, doc_id, v)

    def original_of(self, doc_id: str) -> str:
        """The article at the top of this one's derivation chain (itself when not derived)."""
        seen = {doc_id}
        while doc_id in self.parents and self.parents[doc_id].source_id not in seen:
            doc_id = self.parents[doc_id].source_id
            seen.add(doc_id)
        return doc_id

    def ancestors(self, doc_id: str) -> set[str]:
        """The article and every source up its chain."""
        seen: set[str] = set()
        while doc_id in self.parents and doc_id not in seen:
            seen.add(doc_id)
            doc_id = self.parents[doc_id].source_id
        seen.add(doc_id)
        return seen

    def direction(self, a: str, b: str, verdict: VerdictLike) -> str:
        """Which way the derivation goes: "a->b" when a derives from b.

        An excerpt's direction is read off the texts, so `relate` decides it. Otherwise a credit
        line naming the other's outlet decides ("Source : Le Courrier"), then trusted publication
        times, then the order we first saw them. `relate`'s fallbacks on credit marks and lengths
        are not used: an agency signing its own dispatch "(AHP)" would look derived from copiers.
        """
        if verdict.relation == RelationKind.EXCERPT and verdict.direction:
            return verdict.direction
        ra, rb = self._members[a], self._members[b]
        a_credits_b, b_credits_a = self._credits_outlet_of(ra, rb), self._credits_outlet_of(rb, ra)
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

    def _nearer_source(
        self, doc_id: str, verdict: VerdictLike, current: Relation, ancestors: set[str]
    ) -> bool:
        """True when `doc_id` is a nearer source than `current.source_id` for the member.

        Either the new article sits between the member and its source and is a closer kind (a
        copy of a translation was first taken for a translation of the original), or the current
        source derives from the new article: as a copy (the same text, published later), or in a
        way that proves nothing of the path (a second translation looks like a rewrite of the
        first, as in `_climb`).
        """
        latest = self._members[current.derived_id].latest
        if verdict.relation is None or self._members[doc_id].time > latest + TIME_TOLERANCE_S:
            return False  # an excerpt's direction comes from its text: a later copy is no source
        if current.source_id in ancestors and current.source_id != doc_id:
            return KIND_RANK.get(verdict.relation, 0) > KIND_RANK.get(current.kind, 0)
        above = self.parents.get(current.source_id)
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
            parent = self.parents.get(source_id)
            if parent is None or parent.source_id not in also or parent.source_id in seen:
                break
            source_id = parent.source_id
            verdict = also[source_id]
            seen.add(source_id)
        return source_id, verdict

    def _credits_outlet_of(self, derived: Member, source: Member) -> bool:
        """True when `derived` names `source`'s outlet in a credit line."""
        outlet = source.doc.source
        if not derived.credits or not outlet or outlet == derived.doc.source:
            return False
        return any(self._match(c.outlet, [outlet]) for c in derived.credits)


def relation_between(derived: str, source: str, verdict: VerdictLike) -> Relation:
    """The stored relation of a derived article to its source, from `relate`'s verdict."""
    kind = verdict.relation or RelationKind.REWRITE
    confidence = round(float(verdict.confidence), 4)
    return Relation(derived, source, kind, confidence, dict(verdict.evidence))
