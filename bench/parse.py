"""Feeds per second and conformance of actuel.parse_feed beside feedparser and fastfeedparser.

Usage: python bench/parse.py [--repeat N]
Corpora: ../shared/corpora/{feedparser-tests, fastfeedparser-integration, miniflux-feed-testdata}.
Conformance: share of kept fields (title, link, dates, content, summary, author, id, enclosures,
language) equal to feedparser's reading of the same bytes (the anchor), and of title, link, date,
author, enclosures equal to the fastfeedparser-integration goldens. Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import SHARED
from tests.parse.conformance import (
    CANDIDATES,
    Case,
    anchor_feedparser,
    feedparser_cases,
    integration_pairs,
    score_corpus,
    score_integration,
)

from actuel.model import Feed

Candidate = Callable[[Case], Feed | None]


def feeds_per_second(cases: list[Case], candidate: Candidate, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for case in cases:
            candidate(case)
        best = min(best, time.perf_counter() - started)
    return len(cases) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is kept")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if SHARED is None:
        sys.exit("../shared/corpora not found (set ACTUEL_SHARED)")
    corpora = SHARED / "corpora"
    vectors = list(feedparser_cases(corpora / "feedparser-tests"))
    real_paths = sorted((corpora / "fastfeedparser-integration").glob("*.xml"))
    real_paths += sorted((corpora / "miniflux-feed-testdata" / "parser" / "testdata").glob("*.xml"))
    real = [Case(p.name, p.read_bytes()) for p in real_paths]
    pairs = list(integration_pairs(corpora / "fastfeedparser-integration"))
    vector_anchors = [anchor_feedparser(c) for c in vectors]
    real_anchors = [anchor_feedparser(c) for c in real]
    real_mb = sum(len(c.content) for c in real) / 1e6
    print(
        f"corpora: {len(vectors)} feedparser-tests vectors, {len(real)} real feeds "
        f"({real_mb:.1f} MB), {len(pairs)} integration goldens; best of {args.repeat} runs\n"
    )
    header = (
        f"{'parser':28} {'real feeds/s':>12} {'x fp':>6} {'vectors/s':>10} {'x fp':>6}"
        f" {'real conf':>9} {'vec conf':>9} {'vec docs':>9} {'golden':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for name, candidate in CANDIDATES.items():
        real_speed = feeds_per_second(real, candidate, args.repeat)
        vector_speed = feeds_per_second(vectors, candidate, args.repeat)
        vec_score = score_corpus(vectors, vector_anchors, candidate)
        real_score = score_corpus(real, real_anchors, candidate)
        golden = score_integration(pairs, candidate)
        rows.append((name, real_speed, vector_speed, real_score, vec_score, golden))
    fp_real = next(r[1] for r in rows if r[0].startswith("feedparser"))
    fp_vec = next(r[2] for r in rows if r[0].startswith("feedparser"))
    for name, real_speed, vector_speed, real_score, vec_score, golden in rows:
        print(
            f"{name:28} {real_speed:12.1f} {real_speed / fp_real:6.1f} {vector_speed:10.0f}"
            f" {vector_speed / fp_vec:6.1f} {real_score.rate:9.3f} {vec_score.rate:9.3f}"
            f" {vec_score.document_rate:9.3f} {golden.rate:7.3f} {vec_score.errors:6d}"
        )
    print(
        "\nconf = share of kept fields equal to feedparser's reading (feedparser is the anchor, "
        "so its own row is 1.000 by construction); golden = fastfeedparser-integration goldens; "
        "errors = vectors the candidate could not read at all."
    )
    ours = next(r for r in rows if r[0] == "actuel.parse_feed")
    print("largest field misses of actuel.parse_feed on the vectors:", end=" ")
    print(sorted(ours[4].misses.items(), key=lambda kv: -kv[1])[:6])


if __name__ == "__main__":
    main()
