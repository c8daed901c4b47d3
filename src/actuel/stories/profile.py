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
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from actuel.stories.fingerprint import Fingerprint

# a story's core: what at least this share of its members (and two of them) mention
CORE_SHARE = 0.5
HEADLINE_TOKENS = 25  # fewer words of text than this: a title and a line, judged by its title
YEARS = range(1950, 2040)
# the idf table is read again once the window has grown or shrunk by this much since a story's
# sums were last weighed
IDF_DRIFT = 0.1
# ...and a story of FRESH_SIZE members or more is weighed again once it has grown by this share
# (its sums are read for every candidate article: weighing a big story at each new member cost as
# much as the rest of the clustering); the counts themselves are always up to date
FRESH_SIZE = 8
STALE_GROWTH = 0.25
# an article missing this share (idf-weighted) of a story's core names, and naming none of them
# twice, tells of other people and places
NAMES_CONFLICT_MISSING = 0.5
# a name in more of the window's articles than this share ("City", "Paul", "Police") says little
# of who a story is about: a story's core names are the others (once the window holds 50
# articles). A name in 10 articles or fewer stays specific: in a small window 3% is one or two
# articles, and every name of a story of three would be common. The story's own members are not
# left out of the count: a template story that gathered most reports naming "Omar" would then find
# "Omar" specific and take every other Omar (tests/stories/test_lookalike.py)
SPECIFIC_SHARE = 0.03
SPECIFIC_ALWAYS = 10
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
    size: int
    norm: dict[str, float]
    core: dict[str, dict[str, float]]  # field -> its core terms and their idf
    core_total: dict[str, float]


_NORMED = ("words", "title", "names")  # the fields compared by cosine
_CORED = ("words", "names", "numbers")  # the fields whose core is read


class StoryProfile:
    """The sums of a story's members, updated as members join (and leave, when merged away)."""

    FIELDS = ("words", "title", "names", "numbers", "years")

    def __init__(self) -> None:
        self.size = 0
        self.counts: dict[str, Counter[str]] = {f: Counter() for f in self.FIELDS}
        self.embedding_sum: np.ndarray | None = None
        self.embedded = 0
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
        self.langs.update(other.langs)

    def centroid(self) -> np.ndarray | None:
        if self.embedding_sum is None:
            return None
        norm = float(np.linalg.norm(self.embedding_sum))
        return self.embedding_sum / norm if norm else None

    def weighed(self, stats: TermStats) -> _Weighed:
        """Norms and cores with the idf of now (or of a moment close enough; see FRESH_SIZE)."""
        cached = self._weighed
        if cached is not None and abs(stats.n - cached.n) <= IDF_DRIFT * max(cached.n, 1):
            if cached.version == self.version:
                return cached
            if cached.size >= FRESH_SIZE and self.size < (1 + STALE_GROWTH) * cached.size:
                return cached
        idf = stats.idf
        floor = max(2.0, CORE_SHARE * self.size) if self.size >= 2 else 1.0
        norm: dict[str, float] = {}
        core: dict[str, dict[str, float]] = {}
        for name in _NORMED:
            counts = self.counts[name]
            norm[name] = math.sqrt(sum((c * idf(t)) ** 2 for t, c in counts.items()))
        for name in _CORED:
            core[name] = {t: idf(t) for t, c in self.counts[name].items() if c >= floor}
        if stats.n >= SPECIFIC_MIN_WINDOW:
            common = max(SPECIFIC_SHARE * stats.n, SPECIFIC_ALWAYS)
            core["names"] = {t: w for t, w in core["names"].items() if stats.df(t) <= common}
        total = {name: sum(found.values()) for name, found in core.items()}
        self._weighed = _Weighed(stats.n, self.version, self.size, norm, core, total)
        return self._weighed


def article_weights(terms: Terms, stats: TermStats) -> dict[str, float]:
    """The idf of each of an article's terms, read once for all the stories it is compared with."""
    return {t: stats.idf(t) for t in terms.words | terms.names | terms.title}


def norm_squared(terms: frozenset[str], weights: Mapping[str, float]) -> float:
    return sum(weights[t] ** 2 for t in terms)


def _cosine_and_cover(
    terms: frozenset[str], counts: Mapping[str, int], norm: float, weights: Mapping[str, float]
) -> tuple[float, float]:
    """Cosine of the article's idf vector with the story's (counts × idf), and the idf-weighted
    share of the article's terms the story uses."""
    if not terms or not counts or not norm:
        return 0.0, 0.0
    dot = own = total = covered = 0.0
    for term in terms:
        weight = weights[term]
        square = weight * weight
        own += square
        total += weight
        count = counts.get(term, 0)
        if count:
            dot += square * count
            covered += weight
    return dot / (math.sqrt(own) * norm), covered / total


def term_cosine(
    weights: Mapping[str, float], own: float, other: frozenset[str], other_norm: float
) -> float:
    """Cosine of two articles' idf-weighted term sets (the TF-IDF likeness of two articles):
    the article's terms and weights and its squared norm, the other's terms and squared norm."""
    if not own or not other_norm:
        return 0.0
    if len(weights) <= len(other):
        shared = sum(w * w for t, w in weights.items() if t in other)
    else:
        shared = sum(weights[t] ** 2 for t in other if t in weights)
    return shared / math.sqrt(own * other_norm)


def _share_missing(
    wanted: Iterable[str], have: Container[str], weights: Mapping[str, float]
) -> float:
    """The idf-weighted share of the article's `wanted` terms not in `have`."""
    total = missing = 0.0
    for term in wanted:
        weight = weights[term]
        total += weight
        if term not in have:
            missing += weight
    return missing / total if total else 0.0


def _core_missing(core: Mapping[str, float], total: float, have: frozenset[str]) -> float:
    """The idf-weighted share of a story's core terms the article lacks."""
    if not total:
        return 0.0
    if len(core) <= len(have):
        present = sum(w for t, w in core.items() if t in have)
    else:
        present = sum(core[t] for t in have if t in core)
    return 1.0 - present / total


def _names_conflict(
    terms: Terms, weighed: _Weighed, key_names_core: float, key_names_shared: bool
) -> bool:
    """True when the article and the story are about different people or places: it names
    someone, yet none of the names it repeats is one of the story's core names, and it lacks most
    of those. A story whose members share no specific name (a template filled for many events)
    takes only articles that name no one, or that are about its own people:

    `key_names_shared`: every name the article repeats is used by most of the story's members
    (or, when it repeats none, each name it gives is used by two members or more). Such an
    article is about the story's people even when their names are too common in the window to
    be specific: a big story's own members make its subject's name common (on ecbplus-dev,
    reports of one actress's stay in rehab, or of one jeweller's robbery, were kept out of their
    own story). A template's reports each name someone of their own (their town, their mayor),
    whom the story does not name."""
    if not terms.names or key_names_shared:
        return False
    if not weighed.core["names"]:
        return True
    if key_names_core > 0:
        return False
    missing = _core_missing(weighed.core["names"], weighed.core_total["names"], terms.names)
    return missing >= NAMES_CONFLICT_MISSING


def fit_features(
    terms: Terms,
    story: StoryProfile,
    stats: TermStats,
    weights: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """How well an article fits a story, as numbers the join model weighs (see FEATURES);
    `weights`: `article_weights(terms, stats)`, when the caller has them already."""
    weights = weights if weights is not None else article_weights(terms, stats)
    weighed = story.weighed(stats)
    f: dict[str, float] = {}
    for name in ("words", "title", "names"):
        cos, cover = _cosine_and_cover(
            getattr(terms, name), story.counts[name], weighed.norm[name], weights
        )
        f[f"{name}_cos"] = cos
        f[f"{name}_cover"] = cover
    core, total = weighed.core, weighed.core_total
    f["core_words_cover"] = 1.0 - _core_missing(core["words"], total["words"], terms.words)
    f["core_names_missing"] = _core_missing(core["names"], total["names"], terms.names)
    key_names = terms.key_names
    f["key_names_missing"] = _share_missing(key_names, story.counts["names"], weights)
    # who the article is about should be who the story is about, not a name one member dropped
    f["key_names_core"] = (
        1.0 - _share_missing(key_names, core["names"], weights) if key_names else 0.0
    )
    floor = max(2.0, CORE_SHARE * story.size)
    names = story.counts["names"]
    if key_names:
        shared = all(names[n] >= floor for n in key_names)
    else:
        shared = all(names[n] >= 2 for n in terms.names)
    f["names_conflict"] = float(_names_conflict(terms, weighed, f["key_names_core"], shared))
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
    f["size_log"] = math.log1p(story.size)
    f["same_lang"] = story.langs.get(terms.lang, 0) / story.size if story.size else 0.0
    return f
