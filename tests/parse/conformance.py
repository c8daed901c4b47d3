"""Field-by-field comparison of parsed feeds with an anchor; shared by tests and bench/parse.py."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastfeedparser
import feedparser

from actuel.errors import ParseError
from actuel.model import Feed, FeedItem
from actuel.parse import parse_feed
from actuel.parse.feeds import parse_xml_feed, to_feed

FEED_FIELDS = ("title", "link", "language")
ITEM_FIELDS = (
    "title",
    "link",
    "guid",
    "published_at",
    "updated_at",
    "author",
    "content",
    "summary",
    "enclosures",
    "language",
)
_SPACE = re.compile(r"\s+")


@dataclass
class Case:
    """One document to parse, with the HTTP Content-Type it was served with."""

    name: str
    content: bytes
    content_type: str | None = None


@dataclass
class Score:
    """Fields compared and fields equal, over a corpus."""

    compared: int = 0
    equal: int = 0
    documents: int = 0
    documents_equal: int = 0
    errors: int = 0
    misses: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.equal / self.compared if self.compared else 1.0

    @property
    def document_rate(self) -> float:
        return self.documents_equal / self.documents if self.documents else 1.0


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return _SPACE.sub(" ", html.unescape(value)).strip() or None
    if isinstance(value, list):
        return sorted(e.url for e in value) or None
    return value


# The fastfeedparser-integration expectations are fastfeedparser's own output: its made-up
# descriptions and missing languages are not a standard, so only these fields are compared there.
INTEGRATION_FEED_FIELDS = ("title", "link")
INTEGRATION_ITEM_FIELDS = ("title", "link", "published_at", "author", "enclosures")


def compare(
    anchor: Feed,
    candidate: Feed | None,
    score: Score,
    *,
    feed_fields: tuple[str, ...] = FEED_FIELDS,
    item_fields: tuple[str, ...] = ITEM_FIELDS,
) -> None:
    """Add the comparison of one document's kept fields to `score`."""
    score.documents += 1
    pairs: list[tuple[str, Any, Any]] = []
    for name in feed_fields:
        pairs.append(
            (f"feed.{name}", getattr(anchor, name), candidate and getattr(candidate, name))
        )
    pairs.append(("items", len(anchor.items), candidate and len(candidate.items)))
    theirs: list[FeedItem] = candidate.items if candidate else []
    for index, item in enumerate(anchor.items):
        other = theirs[index] if index < len(theirs) else None
        for name in item_fields:
            pairs.append((f"item.{name}", getattr(item, name), other and getattr(other, name)))
    all_equal = candidate is not None
    for name, want, got in pairs:
        want, got = _norm(want), _norm(got)
        if want is None and got is None:
            continue
        score.compared += 1
        if want == got:
            score.equal += 1
        else:
            all_equal = False
            score.misses[name] = score.misses.get(name, 0) + 1
    if all_equal:
        score.documents_equal += 1


def _content_type(headers: list[str]) -> str | None:
    for header in headers:
        name, _, value = header.partition(":")
        if name.strip().lower() == "content-type":
            return value.strip()
    return None


def feedparser_cases(root: Path) -> Iterator[Case]:
    """The feedparser-tests vectors (sanitize/ included: both sides keep HTML as given)."""
    for row in json.loads((root / "index.json").read_text(encoding="utf-8")):
        yield Case(
            row["path"], (root / row["path"]).read_bytes(), _content_type(row["http_headers"])
        )


def anchor_feedparser(case: Case) -> Feed:
    """feedparser's own reading of the raw bytes, mapped onto our fields."""
    headers = {"content-type": case.content_type} if case.content_type else {}
    data = feedparser.parse(
        case.content, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    return to_feed(data, format="rss", parser="feedparser", url=None, max_items=10_000)


def ours(case: Case) -> Feed | None:
    try:
        return parse_feed(case.content, content_type=case.content_type, max_items=10_000)
    except ParseError:
        return None


def ours_fast_only(case: Case) -> Feed | None:
    try:
        return parse_xml_feed(
            case.content,
            format="rss",
            content_type=case.content_type,
            max_items=10_000,
            prefer="fastfeedparser",
        )
    except ParseError:
        return None


def raw_fastfeedparser(case: Case) -> Feed | None:
    try:
        data = fastfeedparser.parse(case.content)
    except Exception:
        return None
    return to_feed(data, format="rss", parser="fastfeedparser", url=None, max_items=10_000)


def raw_feedparser(case: Case) -> Feed | None:
    return anchor_feedparser(case)


CANDIDATES: dict[str, Callable[[Case], Feed | None]] = {
    "actuel.parse_feed": ours,
    "actuel fast path only": ours_fast_only,
    "fastfeedparser (raw bytes)": raw_fastfeedparser,
    "feedparser (raw bytes)": raw_feedparser,
}


def score_corpus(
    cases: list[Case], anchors: list[Feed], candidate: Callable[[Case], Feed | None]
) -> Score:
    """Compare `candidate` with the anchors over the whole corpus."""
    score = Score()
    for case, anchor in zip(cases, anchors, strict=True):
        result = candidate(case)
        if result is None:
            score.errors += 1
        compare(anchor, result, score)
    return score


def score_integration(
    pairs: list[tuple[Case, Feed]], candidate: Callable[[Case], Feed | None]
) -> Score:
    """Compare `candidate` with the fastfeedparser-integration expectations."""
    score = Score()
    for case, anchor in pairs:
        result = candidate(case)
        if result is None:
            score.errors += 1
        compare(
            anchor,
            result,
            score,
            feed_fields=INTEGRATION_FEED_FIELDS,
            item_fields=INTEGRATION_ITEM_FIELDS,
        )
    return score


def integration_pairs(root: Path) -> Iterator[tuple[Case, Feed]]:
    """fastfeedparser-integration feeds with their expected results mapped onto our fields."""
    for expected_path in sorted(root.glob("*.json")):
        name = expected_path.stem
        if name.endswith(".expected"):
            continue
        xml = root / f"{name}.xml"
        if xml.exists():
            content = xml.read_bytes()
        else:
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        anchor = to_feed(expected, format="rss", parser="expected", url=None, max_items=10_000)
        yield Case(name, content), anchor
    json_feed = root / "json_feed_sample.json"
    json_expected = root / "json_feed_sample.expected.json"
    if json_feed.exists() and json_expected.exists():
        expected = json.loads(json_expected.read_text(encoding="utf-8"))
        anchor = to_feed(expected, format="json", parser="expected", url=None, max_items=10_000)
        yield Case("json_feed_sample", json_feed.read_bytes()), anchor
