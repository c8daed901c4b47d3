"""Rubriques from the words alone, on real headlines the data set files by section.

    python bench/rubriques.py [--folds 5] [--resamples 1000]

Data: ../shared/corpora/news-headlines-2014 (6,366 English headlines, each filed by the
aggregator under business, science/tech, entertainment or health: our economie, sciences,
culture and sante). Headlines only, the hardest case: a feed item without its page.

Printed: how many headlines get a rubrique (coverage), how many of those are right
(precision), per section, with 95% intervals from resampling whole stories (headlines of one
story share their words: resampling headlines would flatter); then the thresholds chosen on
story folds (k-fold by story: chosen on k-1, scored on the one left) against the shipped
ones. Anchor in the same run: filing every headline under the most common section.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from actuel.enrich.rubriques import MIN_LEAD, MIN_SCORE, from_text

DATA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpora"
    / "news-headlines-2014"
    / "docs.jsonl"
)
SECTIONS = {"b": "economie", "t": "sciences", "e": "culture", "m": "sante"}
GRID = [(score, lead) for score in (1.0, 2.0, 3.0) for lead in (0.0, 1.0, 2.0)]


def load() -> list[tuple[str, str, str]]:
    """(story, title, expected rubrique) of every headline."""
    rows = []
    with DATA.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            rows.append((str(doc["gold_cluster"]), doc["title"], SECTIONS[doc["category"]]))
    return rows


def tally(
    rows: list[tuple[str, str, str]], min_score: float, min_lead: float
) -> dict[str, tuple[int, int, int]]:
    """Per story: (headlines, filed, filed right)."""
    per_story: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for story, title, expected in rows:
        got = from_text(title, "", min_score=min_score, min_lead=min_lead)
        counts = per_story[story]
        counts[0] += 1
        counts[1] += got is not None
        counts[2] += got == expected
    return {story: (n, f, r) for story, (n, f, r) in per_story.items()}


def rates(stories: list[tuple[int, int, int]]) -> tuple[float, float]:
    total, filed, right = (sum(column) for column in zip(*stories, strict=True))
    return filed / max(1, total), right / max(1, filed)


def interval(per_story: dict[str, tuple[int, int, int]], resamples: int) -> str:
    rng = random.Random(7)
    values = list(per_story.values())
    coverage, precision = [], []
    for _ in range(resamples):
        drawn = [rng.choice(values) for _ in values]
        c, p = rates(drawn)
        coverage.append(c)
        precision.append(p)
    coverage.sort()
    precision.sort()
    lo, hi = int(0.025 * resamples), int(0.975 * resamples) - 1
    return (
        f"coverage [{coverage[lo]:.3f}–{coverage[hi]:.3f}], "
        f"precision [{precision[lo]:.3f}–{precision[hi]:.3f}]"
    )


def objective(per_story: dict[str, tuple[int, int, int]]) -> float:
    """Right rubriques per headline, a wrong one costing twice a missing one."""
    total, filed, right = (sum(c) for c in zip(*per_story.values(), strict=True))
    return (right - 2 * (filed - right)) / max(1, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: this bench needs ../shared/corpora beside the repository")
    rows = load()
    stories = sorted({story for story, _, _ in rows})
    expected = Counter(rubrique for _, _, rubrique in rows)
    common, share = expected.most_common(1)[0][0], expected.most_common(1)[0][1] / len(rows)
    print(f"{len(rows)} headlines, {len(stories)} stories; sections {dict(expected)}")
    print(f"anchor: every headline under '{common}': coverage 1.000, precision {share:.3f}")

    shipped = tally(rows, MIN_SCORE, MIN_LEAD)
    coverage, precision = rates(list(shipped.values()))
    print(
        f"actuel (min_score {MIN_SCORE}, min_lead {MIN_LEAD}): coverage {coverage:.3f}, "
        f"precision {precision:.3f}; {interval(shipped, args.resamples)}"
    )
    by_section: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    confusion: Counter[tuple[str, str]] = Counter()
    for _, title, want in rows:
        got = from_text(title, "")
        counts = by_section[want]
        counts[0] += 1
        counts[1] += got is not None
        counts[2] += got == want
        if got is not None and got != want:
            confusion[(want, got)] += 1
    for section, (n, filed, right) in sorted(by_section.items()):
        print(
            f"  {section:<9} {n:>5} headlines: coverage {filed / n:.3f}, "
            f"precision {right / max(1, filed):.3f}"
        )
    print("  most common mistakes (expected → given):", confusion.most_common(5))

    rng = random.Random(11)
    shuffled = stories[:]
    rng.shuffle(shuffled)
    folds = [set(shuffled[i :: args.folds]) for i in range(args.folds)]
    held_out: dict[str, tuple[int, int, int]] = {}
    chosen = []
    for fold in folds:
        train = [r for r in rows if r[0] not in fold]
        best = max(GRID, key=lambda g: objective(tally(train, *g)))
        chosen.append(best)
        held_out |= tally([r for r in rows if r[0] in fold], *best)
    coverage, precision = rates(list(held_out.values()))
    print(
        f"thresholds chosen on {args.folds} story folds {chosen}: held-out coverage "
        f"{coverage:.3f}, precision {precision:.3f}"
    )


if __name__ == "__main__":
    main()
