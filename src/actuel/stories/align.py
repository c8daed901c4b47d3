"""Aligned sentences: which sentences of a derived article say what sentences of its source say.

Evidence a reader can check beside the scores: across languages by meaning when an encoder is
there, else by the names and numbers two sentences share (they survive translation); within one
language by shared words. Written by hand: no library aligns sentences of news texts without a
model, and the rules below are a few lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from actuel.stories import text
from actuel.stories.encoder import Encoder

MAX_SENTENCES = 24  # read from the opening of each text: evidence, not a full alignment
ENCODED_SENTENCES = 8  # encoding costs: only the opening sentences are embedded
MAX_PAIRS = 5  # pairs kept per relation
MAX_CHARS = 300  # characters shown of each sentence
MIN_COSINE = 0.7  # same meaning in two languages
MIN_ANCHORS = 2  # names or numbers two sentences must share...
MIN_ANCHOR_SHARE = 0.5  # ...and the share of the fewer they must be
MIN_WORD_SHARE = 0.5  # same language: half the words of the shorter sentence
MIN_WORDS = 4  # shorter sentences ("Photo AFP.") prove nothing


@dataclass(frozen=True)
class _Sentence:
    text: str
    anchors: frozenset[str]
    words: frozenset[str]


@lru_cache(maxsize=256)  # a story's source is aligned with each of its copies in turn
def _split(body: str) -> tuple[_Sentence, ...]:
    out: list[_Sentence] = []
    for sentence in text.sentences(body[:20_000])[:MAX_SENTENCES]:
        words = text.tokens(sentence)
        if len(words) < MIN_WORDS:
            continue
        anchors = frozenset(text.name_words(text.names(sentence))) | frozenset(
            "#" + n for n in text.numbers(sentence)
        )
        out.append(_Sentence(sentence, anchors, frozenset(words)))
    return tuple(out)


def _shown(sentence: str) -> str:
    if len(sentence) <= MAX_CHARS:
        return sentence
    return sentence[:MAX_CHARS].rsplit(" ", 1)[0] + "…"


def _share(a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    shared = len(a & b)
    return shared, shared / max(min(len(a), len(b)), 1)


def aligned_sentences(
    derived: str,
    source: str,
    *,
    same_language: bool,
    encoder: Encoder | None = None,
    limit: int = MAX_PAIRS,
) -> list[dict[str, object]]:
    """Pairs of matching sentences (derived text first), in the derived text's order.

    Each pair: `derived`, `source` (the two sentences), `score` in [0, 1] and `by`: "words" (one
    language), "meaning" (the encoder's cosine) or "anchors" (shared names and numbers).
    """
    ours, theirs = _split(derived), _split(source)
    if not ours or not theirs:
        return []
    scores = np.zeros((len(ours), len(theirs)), dtype=np.float32)  # shown
    rank = np.zeros_like(scores)  # chosen by: meaning first, then words or anchors, then place
    how = np.full((len(ours), len(theirs)), "", dtype=object)
    for i, a in enumerate(ours):
        for j, b in enumerate(theirs):
            # a translation or a copy keeps the order of its source: nearby places break ties
            place = 1.0 - abs(i / len(ours) - j / len(theirs))
            if same_language:
                _, words = _share(a.words, b.words)
                if words >= MIN_WORD_SHARE:
                    scores[i, j], how[i, j] = words, "words"
                    rank[i, j] = words + 0.1 * place
                    continue
            count, anchors = _share(a.anchors, b.anchors)
            if count >= MIN_ANCHORS and anchors >= MIN_ANCHOR_SHARE:
                jaccard = count / len(a.anchors | b.anchors)
                scores[i, j], how[i, j] = jaccard, "anchors"
                rank[i, j] = jaccard + 0.05 * count + 0.3 * place
    if encoder is not None and not same_language:
        n, m = min(len(ours), ENCODED_SENTENCES), min(len(theirs), ENCODED_SENTENCES)
        rows = encoder.encode([s.text for s in ours[:n]] + [s.text for s in theirs[:m]])
        cosines = (rows[:n] @ rows[n:].T).astype(np.float32)
        meant = cosines >= MIN_COSINE
        scores[:n, :m] = np.where(meant, cosines, scores[:n, :m])
        rank[:n, :m] = np.where(meant, 2.0 + cosines, rank[:n, :m])
        how[:n, :m] = np.where(meant, "meaning", how[:n, :m])
    pairs: list[tuple[int, int, float]] = []
    taken: set[int] = set()
    # each derived sentence to its best source sentence, when that is its best match too
    for i in range(len(ours)):
        j = int(np.argmax(rank[i]))
        score = float(scores[i, j])
        if rank[i, j] <= 0 or j in taken or int(np.argmax(rank[:, j])) != i:
            continue
        taken.add(j)
        pairs.append((i, j, score))
    best = sorted(pairs, key=lambda p: -rank[p[0], p[1]])[:limit]
    return [
        {
            "derived": _shown(ours[i].text),
            "source": _shown(theirs[j].text),
            "score": round(min(score, 1.0), 3),
            "by": str(how[i, j]),
        }
        for i, j, score in sorted(best)
    ]
