"""Story profiles: what a story says as a whole, and how well a new article fits it.

Two newsrooms reporting one event share who, what, where and when, rarely sentences; and the
article nearest to a newcomer may be the one member that strayed. So an article is also compared
with each candidate story as a whole (as in Miranda et al., "Multilingual clustering of streaming
news", EMNLP 2018): the words, names and figures its members use, those most of them share (its
core), the years it mentions, its dates, and the mean of its members' embeddings. Words weigh by
their inverse document frequency over the articles of the window, counted as they arrive.

Hand-written: the clusterer needs these sums kept up to date one article at a time and compared in
microseconds; a vectoriser (scikit-learn) refits its vocabulary on a whole corpus instead.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from actuel.stories.fingerprint import Fingerprint

DAY_S = 86_400.0
# a story's core: what at least this share of its members (and two of them) mention
CORE_SHARE = 0.5
HEADLINE_TOKENS = 25  # fewer words of text than this: a title and a line, judged by its title
YEARS = range(1950, 2040)
# the idf table is read again once the window has grown or shrunk by this much since a story's
# sums were last weighed
IDF_DRIFT = 0.1
# an article missing this share (idf-weighted) of a story's core names, and naming none of them
# twice, tells of other people and places
NAMES_CONFLICT_MISSING = 0.5
# a name in more of the window's articles than this share ("City", "Paul", "Police") says little
# of who a story is about: a story's core names are the others (once the window holds 50 articles)
SPECIFIC_SHARE = 0.03
SPECIFIC_MIN_WINDOW = 50


@dataclass(frozen=True)
class Terms:
    """What an article brings to a story profile (folded words, names, figures, years)."""

    words: frozenset[str]
    title: frozenset[str]
    names: frozenset[str]
    key_names: frozenset[str]  # names it mentions twice or more: who it is about
    numbers: frozenset[str]
    years: frozenset[str]
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)
    time: float | None = None  # seconds since the epoch, when dated
    lang: str | None = None
    headline: bool = False  # a title and a line: too little text for the full-text model


def terms_of(fp: Fingerprint, time: float | None) -> Terms:
    """An article's terms from its fingerprint; `time` is its trusted date (None: undated)."""
    numbers = frozenset(n for n in fp.numbers if len(n) > 2 or not n.isdigit())
    years = frozenset(n for n in numbers if n.isdigit() and len(n) == 4 and int(n) in YEARS)
    return Terms(
        words=fp.terms,
        title=fp.headline_terms,
        names=fp.names,
        key_names=fp.key_names,
        numbers=numbers,
        years=years,
        embedding=fp.embedding,
        time=time,
        lang=fp.lang,
        headline=fp.length < HEADLINE_TOKENS,
    )


class TermStats:
    """Document frequencies of the window's articles: idf(term) = log((n + 1) / (df + 1)) + 1."""

    def __init__(self) -> None:
        self.n = 0
        self._df: Counter[str] = Counter()

    def add(self, terms: Iterable[str]) -> None:
        self.n += 1
        self._df.update(terms)

    def remove(self, terms: Iterable[str]) -> None:
        self.n = max(0, self.n - 1)
        for term in terms:
            left = self._df[term] - 1
            if left > 0:
                self._df[term] = left
            else:
                del self._df[term]

    def df(self, term: str) -> int:
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self._df.get(term, 0) + 1)) + 1.0


@dataclass
class _Weighed:
    """A story's sums weighed with the idf of one moment: norms and cores."""

    n: int
    version: int
    norm: dict[str, float]
    core: dict[str, list[str]]


class StoryProfile:
    """The sums of a story's members, updated as members join (and leave, when merged away)."""

    FIELDS = ("words", "title", "names", "numbers", "years")

    def __init__(self) -> None:
        self.size = 0
        self.counts: dict[str, Counter[str]] = {f: Counter() for f in self.FIELDS}
        self.embedding_sum: np.ndarray | None = None
        self.embedded = 0
        self.times: list[float] = []
        self.langs: Counter[str | None] = Counter()
        self.version = 0
        self._weighed: _Weighed | None = None

    def add(self, terms: Terms) -> None:
        self.size += 1
        self.version += 1
        for name in self.FIELDS:
            self.counts[name].update(getattr(terms, name))
        if terms.embedding is not None:
            row = np.asarray(terms.embedding, dtype=np.float32)
            total = self.embedding_sum
            self.embedding_sum = row.copy() if total is None else total + row
            self.embedded += 1
        if terms.time is not None:
            self.times.append(terms.time)
        self.langs[terms.lang] += 1

    def absorb(self, other: StoryProfile) -> None:
        """Add another story's members (two stories found to be one)."""
        self.size += other.size
        self.version += 1
        for name in self.FIELDS:
            self.counts[name].update(other.counts[name])
        if other.embedding_sum is not None:
            self.embedding_sum = (
                other.embedding_sum.copy()
                if self.embedding_sum is None
                else self.embedding_sum + other.embedding_sum
            )
            self.embedded += other.embedded
        self.times.extend(other.times)
        self.langs.update(other.langs)

    def centroid(self) -> np.ndarray | None:
        if self.embedding_sum is None:
            return None
        norm = float(np.linalg.norm(self.embedding_sum))
        return self.embedding_sum / norm if norm else None

    def weighed(self, stats: TermStats) -> _Weighed:
        cached = self._weighed
        if (
            cached is not None
            and cached.version == self.version
            and abs(stats.n - cached.n) <= IDF_DRIFT * max(cached.n, 1)
        ):
            return cached
        idf = stats.idf
        floor = max(2.0, CORE_SHARE * self.size) if self.size >= 2 else 1.0
        norm: dict[str, float] = {}
        core: dict[str, list[str]] = {}
        for name, counts in self.counts.items():
            norm[name] = math.sqrt(sum((c * idf(t)) ** 2 for t, c in counts.items()))
            core[name] = [t for t, c in counts.items() if c >= floor]
        if stats.n >= SPECIFIC_MIN_WINDOW:
            common = SPECIFIC_SHARE * stats.n
            core["names"] = [t for t in core["names"] if stats.df(t) <= common]
        self._weighed = _Weighed(stats.n, self.version, norm, core)
        return self._weighed


def _cosine_and_cover(
    terms: frozenset[str], counts: Mapping[str, int], norm: float, stats: TermStats
) -> tuple[float, float]:
    """Cosine of the article's idf vector with the story's (counts × idf), and the idf-weighted
    share of the article's terms the story uses."""
    if not terms or not counts or not norm:
        return 0.0, 0.0
    dot = own = total = covered = 0.0
    for term in terms:
        weight = stats.idf(term)
        square = weight * weight
        own += square
        total += weight
        count = counts.get(term, 0)
        if count:
            dot += square * count
            covered += weight
    return dot / (math.sqrt(own) * norm), covered / total


def term_cosine(a: frozenset[str], b: frozenset[str], stats: TermStats) -> float:
    """Cosine of two articles' idf-weighted term sets (the TF-IDF likeness of two articles)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(stats.idf(t) ** 2 for t in small if t in large)
    if not shared:
        return 0.0
    norm_a = sum(stats.idf(t) ** 2 for t in a)
    norm_b = sum(stats.idf(t) ** 2 for t in b)
    return shared / math.sqrt(norm_a * norm_b)


def _share_missing(
    wanted: Iterable[str], have: frozenset[str] | Mapping[str, int], stats: TermStats
) -> float:
    total = missing = 0.0
    for term in wanted:
        weight = stats.idf(term)
        total += weight
        if term not in have:
            missing += weight
    return missing / total if total else 0.0


def _names_conflict(
    terms: Terms, core: list[str], f: Mapping[str, float], stats: TermStats
) -> bool:
    """True when the article and the story are about different people or places: it names
    someone, yet none of the names it repeats is one of the story's core names, and it lacks most
    of those. A story whose members share no specific name (a template filled for many events)
    takes only articles that name no one."""
    if not terms.names:
        return False
    if not core:
        return True
    if f["key_names_core"] > 0:
        return False
    return _share_missing(core, terms.names, stats) >= NAMES_CONFLICT_MISSING


def fit_features(terms: Terms, story: StoryProfile, stats: TermStats) -> dict[str, float]:
    """How well an article fits a story, as numbers the join model weighs (see FEATURES)."""
    weighed = story.weighed(stats)
    f: dict[str, float] = {}
    for name, key in (("words", "words"), ("title", "title"), ("names", "names")):
        cos, cover = _cosine_and_cover(
            getattr(terms, name), story.counts[key], weighed.norm[key], stats
        )
        f[f"{name}_cos"] = cos
        f[f"{name}_cover"] = cover
    core_words = weighed.core["words"]
    f["core_words_cover"] = 1.0 - _share_missing(core_words, terms.words, stats)
    f["core_names_missing"] = _share_missing(weighed.core["names"], terms.names, stats)
    f["key_names_missing"] = _share_missing(terms.key_names, story.counts["names"], stats)
    # who the article is about should be who the story is about, not a name one member dropped
    core_names = frozenset(weighed.core["names"])
    f["key_names_core"] = (
        1.0 - _share_missing(terms.key_names, core_names, stats) if terms.key_names else 0.0
    )
    f["names_conflict"] = float(_names_conflict(terms, weighed.core["names"], f, stats))
    numbers = story.counts["numbers"]
    f["numbers_cover"] = (
        sum(1 for n in terms.numbers if n in numbers) / len(terms.numbers) if terms.numbers else 0.0
    )
    core_numbers = weighed.core["numbers"]
    f["core_numbers_missing"] = (
        sum(1 for n in core_numbers if n not in terms.numbers) / len(core_numbers)
        if core_numbers
        else 0.0
    )
    years = story.counts["years"]
    conflict = terms.years and years and not any(y in years for y in terms.years)
    f["year_conflict"] = float(bool(conflict))
    centroid = story.centroid()
    f["embedding_centroid"] = (
        float(np.dot(terms.embedding, centroid))
        if terms.embedding is not None and centroid is not None
        else 0.0
    )
    if terms.time is not None and story.times:
        gap = min(abs(terms.time - t) for t in story.times) / DAY_S
        f["gap_days_log"] = math.log1p(gap)
    else:
        # unknown: taken as the same day, so that an undated article is judged on what it says
        # (a "dated" flag would learn the training data's mix of dated and undated articles)
        f["gap_days_log"] = 0.0
    f["size_log"] = math.log1p(story.size)
    f["same_lang"] = story.langs.get(terms.lang, 0) / story.size if story.size else 0.0
    return f
