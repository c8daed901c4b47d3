"""Who reported a story first: the earliest article not derived from another, or a credited outlet.

Publication times are read as `actuel.times` trusts them (a wrong clock ignored, a bare date the
end of its day)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from actuel.model import Credit, Relation, RelationKind, StoryDoc
from actuel.times import latest_time

Matcher = Callable[[str, Sequence[str]], str | None]


def derived_parent(relations: Sequence[Relation]) -> dict[str, str]:
    """Derived article id → the article it derives from (independent relations left out)."""
    return {r.derived_id: r.source_id for r in relations if r.kind != RelationKind.INDEPENDENT}


def root_of(doc_id: str, parent: Mapping[str, str]) -> str:
    """The end of the derivation chain above `doc_id` (cycles stop where they loop)."""
    seen = {doc_id}
    while doc_id in parent and parent[doc_id] not in seen:
        doc_id = parent[doc_id]
        seen.add(doc_id)
    return doc_id


def _default_matcher() -> Matcher:
    try:
        from actuel.stories.credits import match_outlet
    except ImportError:
        return _match_exact
    return match_outlet


def _match_exact(name: str, outlet_names: Sequence[str]) -> str | None:
    folded = name.casefold().strip()
    return next((o for o in outlet_names if o.casefold().strip() == folded), None)


def choose_original(
    story_docs: Sequence[StoryDoc],
    relations: Sequence[Relation],
    credits_by_doc: Mapping[str, Sequence[Credit]],
    *,
    now: datetime | None = None,
    match: Matcher | None = None,
    times: Mapping[str, datetime | None] | None = None,
) -> tuple[str | None, str | None]:
    """The story's original article id and, when credit lines name one, the original outlet.

    The original article is the earliest (by `latest_time`) that derives from no other; articles
    without any time come after dated ones, in the order given. A credit line naming an outlet that
    is not among the story's own outlets gives the credited outlet, the one named by most
    articles; a credit naming one of the story's outlets points at that outlet's earliest article.
    `times`: each article's `latest_time`, when the caller has them already.
    """
    if not story_docs:
        return None, None
    match = match or _default_matcher()
    parent = derived_parent(relations)
    order = {doc.id: n for n, doc in enumerate(story_docs)}
    roots = [doc for doc in story_docs if doc.id not in parent] or list(story_docs)

    def when(doc: StoryDoc) -> tuple[int, datetime, int]:
        if times is not None and doc.id in times:
            moment = times[doc.id]
        else:
            moment = latest_time(doc, now=now)  # a bare date comes after the times of its day
        return (moment is None, moment or datetime.max.replace(tzinfo=UTC), order[doc.id])

    roots.sort(key=when)
    original = roots[0]
    sources = sorted({doc.source for doc in story_docs if doc.source})
    credited: dict[str, int] = {}
    pointed: dict[str, int] = {}
    for doc in story_docs:
        for credit in credits_by_doc.get(doc.id, ()):
            own = doc.source and match(credit.outlet, [doc.source])
            if own:
                continue  # an outlet signing its own dispatch: "(AHP)" on AHP's page
            ingested = match(credit.outlet, sources) if sources else None
            if ingested:
                pointed[ingested] = pointed.get(ingested, 0) + 1
            else:
                credited[credit.outlet] = credited.get(credit.outlet, 0) + 1
    if pointed and not credited:
        # every credit points inside the story: trust it over clocks when that outlet's article
        # derives from nothing here
        outlet = max(sorted(pointed), key=lambda o: pointed[o])
        theirs = [doc for doc in roots if doc.source == outlet]
        if (
            theirs
            and original.source != outlet
            and _credited_by_original(original, outlet, credits_by_doc, match)
        ):
            original = theirs[0]
    credit_outlet = max(sorted(credited), key=lambda o: credited[o]) if credited else None
    return original.id, credit_outlet


def _credited_by_original(
    original: StoryDoc,
    outlet: str,
    credits_by_doc: Mapping[str, Sequence[Credit]],
    match: Matcher,
) -> bool:
    """True when the chosen original itself says it took the report from `outlet`."""
    return any(match(c.outlet, [outlet]) for c in credits_by_doc.get(original.id, ()))
