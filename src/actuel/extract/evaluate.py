"""Extraction quality: the token-shingle precision, recall and F1 of the Zyte extraction benchmark.

Hand-written because the benchmark ships its metric only as a script; this re-implements it as its
README defines it: tokens are `\\w+` runs, 4-token shingles counted with multiplicity, each
document's true positives, false positives and false negatives normalised to sum 1, then precision,
recall and F1 computed from their totals over all documents.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


def tokens(text: str | None) -> list[str]:
    """Word tokens as the benchmark counts them."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[str]:
    """Counts of each run of `size` tokens; a shorter text is one shingle of all its tokens."""
    words = tokens(text)
    found: Counter[str] = Counter()
    for start in range(max(1, len(words) - size + 1)):
        shingle = " ".join(words[start : start + size])
        if shingle:
            found[shingle] += 1
    return found


@dataclass(frozen=True)
class DocumentScore:
    """One document's shares of true positives, false positives and false negatives (sum 1 or 0)."""

    tp: float
    fp: float
    fn: float
    exact: bool


def score_document(expected: str | None, extracted: str | None) -> DocumentScore:
    """Compare one extracted text with its ground truth."""
    truth, found = shingles(expected), shingles(extracted)
    tp = fp = fn = 0
    for key in truth.keys() | found.keys():
        t, f = truth.get(key, 0), found.get(key, 0)
        tp += min(t, f)
        fp += max(0, f - t)
        fn += max(0, t - f)
    total = tp + fp + fn
    exact = tokens(expected) == tokens(extracted)
    if total == 0:
        return DocumentScore(0.0, 0.0, 0.0, exact)
    return DocumentScore(tp / total, fp / total, fn / total, exact)


@dataclass(frozen=True)
class CorpusScore:
    """Precision, recall, F1 and exact-match rate over a corpus, with the F1 bootstrap spread."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    f1_std: float
    documents: int


def _totals(scores: Iterable[DocumentScore]) -> tuple[float, float, float]:
    tp = fp = fn = 0.0
    for s in scores:
        tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_corpus(
    scores: Sequence[DocumentScore], *, bootstrap: int = 200, seed: int = 0
) -> CorpusScore:
    """Aggregate document scores; the F1 spread comes from resampling documents (fixed seed)."""
    precision, recall, f1 = _totals(scores)
    accuracy = sum(s.exact for s in scores) / len(scores) if scores else 0.0
    rng = random.Random(seed)
    samples = (
        [_totals(rng.choices(scores, k=len(scores)))[2] for _ in range(bootstrap)] if scores else []
    )
    mean = sum(samples) / len(samples) if samples else 0.0
    std = (sum((x - mean) ** 2 for x in samples) / len(samples)) ** 0.5 if samples else 0.0
    return CorpusScore(precision, recall, f1, accuracy, std, len(scores))
