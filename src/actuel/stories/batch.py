"""The batch tools behind `actuel cluster` and `actuel relate`: JSON lines in, JSON objects out.

`cluster_jsonl` reads every article before it answers, because a later article may change an earlier
one's story (a bridge) or source (its original arrives late); it keeps no text in memory meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from actuel.errors import StoriesInputError
from actuel.model import StoryDoc
from actuel.stories.cluster import Assignment, StoryClusterer, batched
from actuel.stories.encoder import Encoder
from actuel.stories.fingerprint import fingerprint_many

BATCH = 64  # articles fingerprinted together (the encoder, when present, embeds in batches)
FIX_LINE = 'each line must be a JSON object such as {"id": "a1", "title": "…", "text": "…"}'


def _date(value: object, where: str, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise StoriesInputError(
            f"{name} is {type(value).__name__}, not a string",
            fix="give an ISO 8601 date such as 2026-11-17T07:15:00+01:00, or leave it out",
            source=where,
        )
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None  # an unreadable date is a missing date: first-seen order decides instead


def _text(obj: Mapping[str, Any], name: str, where: str) -> str:
    value = obj.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StoriesInputError(
            f"{name} is {type(value).__name__}, not a string",
            fix=f"give {name} as a JSON string",
            source=where,
        )
    return value


def article_from(obj: object, where: str) -> StoryDoc:
    """One article: `id`, `title`, `text`, optional `url`, `published_at`, `lang`, `source`."""
    if not isinstance(obj, dict):
        raise StoriesInputError("not a JSON object", fix=FIX_LINE, source=where)
    raw_id = obj.get("id")
    if raw_id is None or raw_id == "" or isinstance(raw_id, (dict, list, bool)):
        raise StoriesInputError("no usable id", fix="give every article an id", source=where)
    return StoryDoc(
        id=str(raw_id),
        title=_text(obj, "title", where),
        text=_text(obj, "text", where),
        url=_text(obj, "url", where) or None,
        published_at=_date(obj.get("published_at"), where, "published_at"),
        lang=_text(obj, "lang", where) or None,
        source=_text(obj, "source", where) or None,
        first_seen_at=_date(obj.get("first_seen_at"), where, "first_seen_at"),
    )


def _objects(lines: Iterable[str], label: str) -> Iterator[tuple[str, object]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{label} line {number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise StoriesInputError(f"not JSON ({exc.msg})", fix=FIX_LINE, source=where) from None


def cluster_jsonl(
    lines: Iterable[str],
    *,
    encoder: Encoder | None = None,
    label: str = "input",
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """One answer per article, in input order: story, relation, source, confidence, original.

    `relation` is `original` for the story's original, `independent` for another article that
    derives from none, else the kind of derivation; `original` is the article at the top of the
    article's chain, or the outlet credit lines name when the story's original took it from there.
    A repeated id keeps its first article.
    """
    clusterer = StoryClusterer(encoder=encoder, **options)
    order: list[str] = []

    def docs() -> Iterator[StoryDoc]:
        for where, obj in _objects(lines, label):
            doc = article_from(obj, where)
            order.append(doc.id)
            yield doc

    for _ in clusterer.add_stream(batched(docs(), BATCH)):
        pass
    stories = {s.id: s for s in clusterer.stories()}
    for doc_id in dict.fromkeys(order):
        current = clusterer.assignment(doc_id)
        story = stories[current.story_id]
        yield _cluster_row(current, story.original_id, story.original_credit, clusterer)


def _cluster_row(
    current: Assignment,
    story_original: str | None,
    credit: str | None,
    clusterer: StoryClusterer,
) -> dict[str, Any]:
    root = clusterer.original_of(current.doc_id)
    if current.relation is not None:
        relation = current.relation.value
    else:
        relation = "original" if current.doc_id == story_original else "independent"
    original: str = credit if credit and root == story_original else root
    return {
        "id": current.doc_id,
        "story_id": current.story_id,
        "relation": relation,
        "derived_from": current.derived_from,
        "confidence": current.confidence,
        "original": original,
    }


def relate_jsonl(
    lines: Iterable[str], *, encoder: Encoder | None = None, label: str = "input"
) -> Iterator[dict[str, Any]]:
    """One verdict per pair line `{id, a, b}`: same_story in [0, 1], relation, direction."""
    from actuel.stories.relate import relate

    pending: list[tuple[str, StoryDoc, StoryDoc]] = []

    def flush() -> Iterator[dict[str, Any]]:
        docs = [d for _, a, b in pending for d in (a, b)]
        prints = fingerprint_many(docs, encoder=encoder)
        for n, (pair_id, _, _) in enumerate(pending):
            verdict = relate(prints[2 * n], prints[2 * n + 1], encoder=encoder)
            yield {
                "id": pair_id,
                "same_story": round(float(verdict.same_story), 4),
                "relation": verdict.relation.value if verdict.relation else None,
                "direction": verdict.direction,
                "confidence": round(float(verdict.confidence), 4),
            }
        pending.clear()

    for where, obj in _objects(lines, label):
        if not isinstance(obj, dict) or "a" not in obj or "b" not in obj:
            raise StoriesInputError(
                "not a pair",
                fix='each line must be {"id": …, "a": {article}, "b": {article}}',
                source=where,
            )
        pair_id = str(obj.get("id", where))
        pending.append(
            (
                pair_id,
                article_from(obj["a"], where + " (a)"),
                article_from(obj["b"], where + " (b)"),
            )
        )
        if len(pending) >= BATCH // 2:
            yield from flush()
    if pending:
        yield from flush()
