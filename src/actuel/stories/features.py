"""Pair features of two fingerprints: shared passages, names, numbers, quotes, embeddings, time."""

from __future__ import annotations

import math

import numpy as np

from actuel.stories.fingerprint import SHINGLE, Fingerprint
from actuel.stories.text import tokens

# a set of fewer items than this cannot prove much: overlap is divided by at least this many
_MIN_SUPPORT = 4
# a teaser of 30 words shares its few words and names with any article of the same country:
# below these sizes, overlap with the smaller set says little
_MIN_WORDS = 60
_MIN_NAMES = 6
_MIN_CHAR_GRAMS = 50
# languages written without spaces between words: their "words" are single characters (or whole
# clauses), so word and shingle overlaps run on another scale than in the languages the weights
# were fitted on (Chinese pairs on different stories share 0.29 of their "words", English 0.10)
UNSPACED_LANGS = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})


def _overlap(
    a: frozenset[str] | frozenset[int],
    b: frozenset[str] | frozenset[int],
    support: int = _MIN_SUPPORT,
) -> float:
    """Shared items over the smaller set (at least `support`), 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / max(min(len(a), len(b)), support)


def in_sorted(values: np.ndarray, sorted_unique: np.ndarray) -> np.ndarray:
    """Which of `values` occur in `sorted_unique` (binary search: no sort of either array,
    several times faster than np.isin on arrays that are sorted once per article)."""
    if not len(sorted_unique):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_unique, values)
    at[at == len(sorted_unique)] = 0
    return np.asarray(sorted_unique[at] == values)


def _sorted_overlap(a: np.ndarray, b: np.ndarray, support: int) -> float:
    if not len(a) or not len(b):
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = int(np.count_nonzero(in_sorted(small, large)))
    return shared / max(min(len(a), len(b)), support)


def _jaccard(a: frozenset[str] | frozenset[int], b: frozenset[str] | frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def longest_run(seq: np.ndarray, other: np.ndarray, *, other_sorted: bool = False) -> int:
    """Longest stretch of consecutive shingles of `seq` that all occur in `other`
    (`other_sorted`: it is sorted and distinct already)."""
    if not len(seq) or not len(other):
        return 0
    present = in_sorted(seq, other if other_sorted else np.unique(other))
    if not present.any():
        return 0
    padded = np.concatenate(([0], present.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max())


def order_agreement(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How far shared items appear in the same order (1: same order, 0.5: unrelated order).

    Kendall-style: the share of pairs of shared items in the same relative order. A translation
    keeps names and numbers in the order of its original; an independent report rarely does.
    """
    shared = set(a) & set(b)
    if len(shared) < 3:
        return 0.5
    pos_b = {item: i for i, item in enumerate(b)}
    ranks = [pos_b[item] for item in a if item in shared]
    n = len(ranks)
    if n > 60:  # enough to tell; keeps the quadratic loop small
        ranks, n = ranks[:60], 60
    concordant = sum(1 for i in range(n) for j in range(i + 1, n) if ranks[i] < ranks[j])
    return concordant / (n * (n - 1) / 2)


def cosine(a: Fingerprint, b: Fingerprint) -> float | None:
    """Cosine of the two embeddings, or None unless both have one."""
    if a.embedding is None or b.embedding is None:
        return None
    return float(np.dot(a.embedding, b.embedding))


def _embedding_features(
    a: Fingerprint, b: Fingerprint, lead_a: np.ndarray, lead_b: np.ndarray
) -> dict[str, float]:
    """The leads' cosine and what the headlines add: their own cosine, and how much closer one
    article's headline comes to the other's lead than the two leads to each other (a lead spoiled
    by a cookie wall, a menu or a subscription notice; a headline that says it all). A fingerprint
    without a headline embedding stands for its headline with its lead."""
    cos = float(np.dot(lead_a, lead_b))
    head_a = a.title_embedding if a.title_embedding is not None else lead_a
    head_b = b.title_embedding if b.title_embedding is not None else lead_b
    cross = max(float(np.dot(head_a, lead_b)), float(np.dot(lead_a, head_b)))
    return {
        "embedding_cosine": cos,
        "embedding_cosine_sq": cos * cos,
        "title_cosine": float(np.dot(head_a, head_b)),
        "title_lead_gap": max(0.0, cross - cos),
    }


def pair_features(a: Fingerprint, b: Fingerprint) -> dict[str, float]:
    """Numbers in [0, 1] describing how much two articles share (time_gap_h in hours, anchors
    the count of shared name words and numbers, anchors_log its log(1 + count)).

    `spaced_scripts` is 1 when both languages write spaces between words (names, character
    n-grams and lengths in tokens compare), `comparable_words` when it is moreover one language
    (word and shingle overlaps mean there what they meant in the pairs the weights were fitted
    on). `embedding_cosine` (with `embedding_cosine_sq`, `title_cosine`, `title_lead_gap`) and
    `time_gap_h` are there only when both sides have an embedding or a date.
    """
    inter = len(a.shingles & b.shingles) if a.shingles and b.shingles else 0
    shortest = max(min(a.length, b.length), 1)
    run = longest_run(a.shingle_seq, _sorted_shingles(b), other_sorted=True) if inter else 0
    same_lang = 1.0 if a.lang and a.lang == b.lang else 0.0
    spaced = 0.0 if a.lang in UNSPACED_LANGS or b.lang in UNSPACED_LANGS else 1.0
    lengths = sorted((max(a.length, 1), max(b.length, 1)))
    features: dict[str, float] = {
        "jaccard": inter / max(len(a.shingles) + len(b.shingles) - inter, 1),
        "contain_a_in_b": inter / max(len(a.shingles), 1),
        "contain_b_in_a": inter / max(len(b.shingles), 1),
        "contain_max": inter / max(min(len(a.shingles), len(b.shingles)), 1),
        "passage": min(run / shortest, 1.0),
        "passage_words": float(run + SHINGLE - 1 if run else 0),
        "word_jaccard": _jaccard(a.words, b.words),
        "word_overlap": _overlap(a.words, b.words, _MIN_WORDS),
        "char_overlap": _sorted_overlap(a.char_grams, b.char_grams, _MIN_CHAR_GRAMS),
        "names": _overlap(a.names, b.names, _MIN_NAMES),
        "names_jaccard": _jaccard(a.names, b.names),
        "numbers": _overlap(a.numbers, b.numbers),
        "numbers_jaccard": _jaccard(a.numbers, b.numbers),
        "quotes": _overlap(a.quotes, b.quotes),
        "order": order_agreement(a.name_order + a.number_order, b.name_order + b.number_order),
        "same_lang": same_lang,
        "spaced_scripts": spaced,
        "comparable_words": same_lang * spaced,
        "length_ratio": lengths[0] / lengths[1],
        "char_ratio": min(a.chars, b.chars) / max(a.chars, b.chars, 1),
        "sentence_ratio": min(a.sentence_count, b.sentence_count)
        / max(a.sentence_count, b.sentence_count, 1),
        "anchors": float(len(a.names & b.names) + len(a.numbers & b.numbers)),
        "title_words": _jaccard(_title_words(a), _title_words(b)),
    }
    # the tenth shared name or figure proves less than the second
    features["anchors_log"] = math.log1p(features["anchors"])
    if a.embedding is not None and b.embedding is not None:
        features.update(_embedding_features(a, b, a.embedding, b.embedding))
    if a.published_at is not None and b.published_at is not None:
        try:
            gap = abs((a.published_at - b.published_at).total_seconds()) / 3600
        except TypeError:  # one naive, one aware: no reliable gap
            gap = math.nan
        if not math.isnan(gap):
            features["time_gap_h"] = gap
    return features


def _sorted_shingles(fp: Fingerprint) -> np.ndarray:
    if len(fp.shingle_sorted) or not len(fp.shingle_seq):
        return fp.shingle_sorted
    return np.unique(fp.shingle_seq)  # a fingerprint made by hand, without the sorted copy


def _title_words(fp: Fingerprint) -> frozenset[str]:
    return fp.title_words if fp.title_words or not fp.title else frozenset(tokens(fp.title))
