"""The benchmark metric scores what it should: perfect, partial, empty and padded extractions."""

from __future__ import annotations

import pytest

from actuel.extract.evaluate import score_corpus, score_document

TRUTH = "one two three four five six seven eight nine ten"


def test_identical_text_is_perfect_whatever_the_punctuation() -> None:
    score = score_document(TRUTH, "One, two; three four! five six seven eight nine ten.".lower())
    assert (score.tp, score.fp, score.fn, score.exact) == (1.0, 0.0, 0.0, True)


def test_boilerplate_costs_precision_not_recall() -> None:
    score = score_document(TRUTH, TRUTH + " share on facebook leave a comment")
    result = score_corpus([score], bootstrap=0)
    assert result.recall == 1.0
    assert 0.5 < result.precision < 1.0


def test_missing_half_costs_recall() -> None:
    score = score_document(TRUTH, "one two three four five")
    result = score_corpus([score], bootstrap=0)
    assert result.precision == 1.0
    assert result.recall == pytest.approx(2 / 7)


def test_empty_extraction_scores_zero() -> None:
    result = score_corpus([score_document(TRUTH, "")], bootstrap=0)
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


def test_each_document_weighs_the_same() -> None:
    long_truth = " ".join(f"w{i}" for i in range(1000))
    perfect_long = score_document(long_truth, long_truth)
    missed_short = score_document(TRUTH, "")
    assert score_corpus([perfect_long, missed_short], bootstrap=0).recall == pytest.approx(0.5)
