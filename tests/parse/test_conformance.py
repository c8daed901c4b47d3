"""Conformance floors: our feeds must keep agreeing with feedparser and the fastfeedparser goldens.

Floors are the rates measured when the fast path was chosen (bench/parse.py prints them), minus a
small margin; lowering one is a deliberate act, in this file, with the reason in the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_corpus
from tests.parse.conformance import (
    Case,
    anchor_feedparser,
    feedparser_cases,
    integration_pairs,
    ours,
    score_corpus,
    score_integration,
)

pytestmark = pytest.mark.shared

# Measured 2026-11-25: fields 0.950, whole documents 0.916 (2,106 vectors).
FEEDPARSER_TESTS_FIELD_FLOOR = 0.94
FEEDPARSER_TESTS_DOCUMENT_FLOOR = 0.90
# Measured: 1.000 on title, link, date, author, enclosures of 13 real feeds + 1 JSON Feed.
INTEGRATION_FIELD_FLOOR = 0.99
# Measured: 0.979 agreement with feedparser on 21 real feeds (fastfeedparser + miniflux corpora).
REAL_FEEDS_FIELD_FLOOR = 0.96


def test_feedparser_vectors_pass_rate() -> None:
    cases = list(feedparser_cases(shared_corpus("feedparser-tests")))
    score = score_corpus(cases, [anchor_feedparser(c) for c in cases], ours)
    detail = f"{score.rate:.4f} fields, {score.document_rate:.4f} documents, misses {score.misses}"
    assert score.rate >= FEEDPARSER_TESTS_FIELD_FLOOR, detail
    assert score.document_rate >= FEEDPARSER_TESTS_DOCUMENT_FLOOR, detail


def test_fastfeedparser_integration_fields_match_expected_output() -> None:
    pairs = list(integration_pairs(shared_corpus("fastfeedparser-integration")))
    assert len(pairs) >= 14
    score = score_integration(pairs, ours)
    assert score.errors == 0
    assert score.rate >= INTEGRATION_FIELD_FLOOR, f"{score.rate:.4f}, misses {score.misses}"


def _real_feeds() -> list[Case]:
    paths = sorted(shared_corpus("fastfeedparser-integration").glob("*.xml"))
    paths += sorted((shared_corpus("miniflux-feed-testdata") / "parser" / "testdata").glob("*.xml"))
    return [Case(p.name, p.read_bytes()) for p in paths]


def test_real_feeds_agree_with_feedparser() -> None:
    cases = _real_feeds()
    score = score_corpus(cases, [anchor_feedparser(c) for c in cases], ours)
    assert score.errors == 0
    assert score.rate >= REAL_FEEDS_FIELD_FLOOR, f"{score.rate:.4f}, misses {score.misses}"


def test_every_real_feed_has_items_with_absolute_links() -> None:
    for case in _real_feeds():
        feed = ours(case)
        assert feed is not None, case.name
        assert feed.items, case.name
        links = [i.link for i in feed.items if i.link]
        # One item of one feed has an empty <link>; every other item has an absolute address.
        assert len(links) >= len(feed.items) - 1, case.name
        assert all(link.startswith(("http://", "https://")) for link in links), case.name


def test_corpus_paths_exist() -> None:
    assert isinstance(shared_corpus("feedparser-tests"), Path)
