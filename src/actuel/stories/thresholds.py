"""The bars a pair of articles must clear for one to join the other's story, and what they rest on.

`relate` judges a pair (copy, excerpt, translation, rewrite, or independent reports of one event)
with a same-story score; `pair_bar` says how much of it the pair needs for the article to join
the member's story through that pair alone. `template_pair` tells pages that share a site's
template or a wall (cookie notice, "enable JavaScript") from copies, before `relate` runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from actuel.model import RelationKind, StoryDoc
from actuel.stories.fingerprint import Fingerprint
from actuel.urls import site_host

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
# one site's pages this alike in text, with titles this different, share a template, not a story
TEMPLATE_TEXT_JACCARD = 0.5
TEMPLATE_TITLE_OVERLAP = 1.0  # only the very same title says "the same article again"
# across sites, only short pages with unrelated titles count as one wall or template
WALL_TITLE_OVERLAP = 0.3
WALL_MAX_TOKENS = 200


class VerdictLike(Protocol):
    """What `relate` answers about a pair (a, b)."""

    same_story: float
    relation: RelationKind | None
    direction: str | None  # "a->b": a derives from b; "b->a": b derives from a
    confidence: float
    evidence: dict[str, Any]


Relate = Callable[..., VerdictLike]


def pair_bar(verdict: VerdictLike, a: Fingerprint, b: Fingerprint, *, threshold: float) -> float:
    """The same_story score a pair needs for the article to join the other's story: a
    derivation, or an independent report in another language; in one language, likeness
    without a derivation is the story profile's to judge (infinity: never through the pair)."""
    if verdict.relation is None or verdict.relation == RelationKind.INDEPENDENT:
        encoded = "embedding_cosine" in verdict.evidence
        if (
            a.lang == b.lang
            or min(a.length, b.length) < MIN_INDEPENDENT_TOKENS
            or not (encoded or corroborated(verdict, a, b))
        ):
            return float("inf")
        if encoded:
            return max(threshold, INDEPENDENT_THRESHOLD + INDEPENDENT_ENCODER_EXTRA)
        return max(threshold, INDEPENDENT_THRESHOLD)
    if verdict.relation == RelationKind.REWRITE:
        return max(threshold, REWRITE_THRESHOLD)
    return threshold


def corroborated(verdict: VerdictLike, a: Fingerprint, b: Fingerprint) -> bool:
    """Two separately written reports agree on figures, meaning or (lacking figures) names."""
    evidence = verdict.evidence
    if float(evidence.get("embedding_cosine", 0.0)) >= INDEPENDENT_COSINE:
        return True
    if min(len(a.numbers), len(b.numbers)) < 2:
        return float(evidence.get("names", 0.0)) >= INDEPENDENT_NAMES
    return float(evidence.get("numbers", 0.0)) >= INDEPENDENT_NUMBERS


def template_pair(a: StoryDoc, fa: Fingerprint, b: StoryDoc, fb: Fingerprint) -> bool:
    """Pages sharing their text but not their title: a template or a wall, not a copy.

    On one site, any such pair; across sites (or with no site known), short pages whose titles
    share next to nothing: cookie walls, "enable JavaScript" pages, paywall stubs. Told apart
    before `relate` runs, so that 1,000 pages of one template cost little.
    """
    ta, tb = fa.title_words, fb.title_words
    title_overlap = len(ta & tb) / len(ta | tb) if ta and tb else 0.0
    if title_overlap >= TEMPLATE_TITLE_OVERLAP:
        return False  # the same article again (an update, another URL): not a template
    site = site_of(a)
    same_site = site is not None and site == site_of(b)
    if not same_site and (
        title_overlap >= WALL_TITLE_OVERLAP or min(fa.length, fb.length) >= WALL_MAX_TOKENS
    ):
        return False
    return bool(fa.minhash.jaccard(fb.minhash) >= TEMPLATE_TEXT_JACCARD)


def site_of(doc: StoryDoc) -> str | None:
    """The outlet's name, else the page's host: the site whose template a page may carry."""
    if doc.source:
        return doc.source.casefold().strip()
    if doc.url:
        return site_host(doc.url) or None
    return None
