"""How a story reads: its headline in each language, and a timeline that never puts a copy or a
translation above what it derives from.

Plain data in (each member's language, derivation and dates), article ids out; the store applies
them to what it reads. Hand-written: it follows our own derivation records.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from actuel.model import StoryDoc
from actuel.times import latest_time

_LAST = datetime.max.replace(tzinfo=UTC)
# within one instant: the original, then independent reports, then what derives from them
_RELATION_RANK = {"original": 0, "independent": 1}


@dataclass(frozen=True)
class Placed:
    """What ordering and headlines need of one member of a story."""

    article_id: int
    language: str | None = None
    relation: str = "independent"  # original, independent, copy, excerpt, rewrite, translation
    derived_from: int | None = None
    published_at: datetime | None = None
    first_seen_at: datetime | None = None


def _when(member: Placed) -> datetime | None:
    """The latest moment the member can have come out: a bare date counts as the end of its day,
    as provenance counts it when it picks the original."""
    doc = StoryDoc(
        id="",
        title="",
        text="",
        published_at=member.published_at,
        first_seen_at=member.first_seen_at,
    )
    return latest_time(doc)


def _key(member: Placed) -> tuple[bool, datetime, int, int]:
    moment = _when(member)
    rank = _RELATION_RANK.get(member.relation, 2)
    return moment is None, moment or _LAST, rank, member.article_id


def timeline_order(members: Sequence[Placed]) -> list[int]:
    """The members' article ids as the timeline lists them: by date (a bare date after the
    times of its day), and a member always after the one it derives from, whatever the dates
    say. A derivation cycle, which provenance never makes, is broken at its earliest member."""
    ids = {m.article_id for m in members}
    keys = {m.article_id: _key(m) for m in members}
    waiting: dict[int, list[int]] = {}
    ready: list[tuple[tuple[bool, datetime, int, int], int]] = []
    for m in members:
        parent = m.derived_from
        if parent is not None and parent in ids and parent != m.article_id:
            waiting.setdefault(parent, []).append(m.article_id)
        else:
            ready.append((keys[m.article_id], m.article_id))
    heapq.heapify(ready)
    order: list[int] = []
    done: set[int] = set()
    while len(order) < len(ids):
        if not ready:  # a cycle: its earliest member goes first
            stuck = min((keys[i], i) for i in ids if i not in done)
            heapq.heappush(ready, stuck)
        _, article_id = heapq.heappop(ready)
        if article_id in done:
            continue
        done.add(article_id)
        order.append(article_id)
        for child in waiting.pop(article_id, ()):
            if child not in done:
                heapq.heappush(ready, (keys[child], child))
    return order


def _chain(article_id: int, parent: Mapping[int, int]) -> list[int]:
    """The articles above `article_id`, nearest first (a cycle stops where it loops)."""
    above: list[int] = []
    seen = {article_id}
    while article_id in parent and parent[article_id] not in seen:
        article_id = parent[article_id]
        seen.add(article_id)
        above.append(article_id)
    return above


def headline_choices(members: Sequence[Placed], original_id: int | None) -> dict[str, int]:
    """Language -> the member whose title and lead readers of that language see, for each
    language the story has a member in.

    The original, in its own language. In another language: a member that is not a copy of
    another member of that language (a translation or a report of its own), the translation of
    the original rather than an independent report, the one most others derive from, then the
    earliest (a bare date after the times of its day)."""
    by_id = {m.article_id: m for m in members}
    parent = {
        m.article_id: m.derived_from
        for m in members
        if m.derived_from is not None and m.derived_from in by_id
    }
    below: dict[int, int] = {}  # article -> how many members derive from it, directly or not
    for m in members:
        for above in _chain(m.article_id, parent):
            below[above] = below.get(above, 0) + 1
    original = by_id.get(original_id) if original_id is not None else None
    choices: dict[str, int] = {}
    if original is not None and original.language:
        choices[original.language] = original.article_id
    languages = sorted({m.language for m in members if m.language} - set(choices))
    for lang in languages:

        def rank(m: Placed, lang: str = lang) -> tuple[bool, bool, int, tuple[object, ...]]:
            source = by_id.get(parent[m.article_id]) if m.article_id in parent else None
            copied_here = source is not None and source.language == lang
            from_original = original is not None and original.article_id in _chain(
                m.article_id, parent
            )
            return copied_here, not from_original, -below.get(m.article_id, 0), _key(m)

        choices[lang] = min((m for m in members if m.language == lang), key=rank).article_id
    return choices
