"""The articles an arriving one is compared with: the recent ones (the time window), and the shelf
of dated articles kept, once they leave the window, for undated articles alone.

Kept with each: its fingerprint, its terms (their document frequencies are the window's), and how
many members each story has in the window and on the shelf, so that a story with none left can
let its profile go. An undated article has no time to be compared within: it looks at the window
and at the shelf, where the newest dated reports of its event may wait long after they left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from actuel.model import StoryDoc
from actuel.stories.fingerprint import Fingerprint
from actuel.stories.index import DAY_S, Candidate, CandidateIndex
from actuel.stories.lineage import Member
from actuel.stories.profile import Terms, TermStats, article_weights, norm_squared
from actuel.stories.text import tokens

EVICT_EVERY = 256  # articles between two sweeps of the time window
# undated articles (a batch without dates) stay candidates whatever the time: the newest this many
UNDATED_KEPT = 20_000
# ...and so do, for them alone, the newest dated articles that left the window. Kept once the
# stream has brought an undated article: a stream of dated ones never pays for them
SHELF_KEPT = 5_000
LEAD_WORDS = 10  # an excerpt repeats the first words of its source

KeptTerms = tuple[Terms, float]  # an article's terms and the squared norm of its words
_NOTHING = np.zeros(0, dtype=np.uint64)


def keys_of(doc: StoryDoc, fp: Fingerprint) -> tuple[list[str], list[str]]:
    """Rare-key postings: names, numbers and headline words (two needed), lead and title
    (one is enough). Headline words find the stories of a title without text."""
    named = fp.names | {w for w in fp.headline_terms if len(w) > 3}
    keys = [f"n:{w}" for w in named if len(w) > 2] + [f"#:{n}" for n in fp.numbers]
    strong: list[str] = []
    words = tokens(doc.text[:400])
    if len(words) >= LEAD_WORDS:
        strong.append("lead:" + " ".join(words[:LEAD_WORDS]))
    title = tokens(doc.title)
    if len(title) >= 4:
        strong.append("title:" + " ".join(title))
    return keys, strong


class CandidateWindow:
    """The window and the shelf: what an article is compared with, and the words they count."""

    def __init__(self, *, window_days: float, max_candidates: int) -> None:
        self.window_s = window_days * DAY_S
        self.index = CandidateIndex(window_days=window_days, max_candidates=max_candidates)
        self.prints: dict[str, Fingerprint] = {}
        self.terms: dict[str, KeptTerms] = {}
        self.term_stats = TermStats()
        self.live: Counter[str] = Counter()  # story id -> its members still in the window
        self.shelf = CandidateIndex(window_days=window_days, max_candidates=max_candidates)
        self.shelved: dict[str, tuple[Fingerprint, KeptTerms]] = {}
        self.on_shelf: Counter[str] = Counter()  # story id -> its members on the shelf
        self.undated_seen = False

    def candidates(
        self,
        fp: Fingerprint,
        *,
        when: float | None,
        digest: Sequence[int] | None,
        keys: list[str],
        strong: list[str],
    ) -> list[Candidate]:
        """The articles worth comparing with one (`when` None: undated, shelf included)."""
        indexes = [self.index]
        if when is None:
            self.undated_seen = True
            indexes += [self.shelf] if self.shelved else []
        return [
            found
            for index in indexes
            for found in index.query(
                time=when,
                lang=fp.lang,
                digest=digest,
                keys=keys,
                strong_keys=strong,
                embedding=fp.embedding,
            )
        ]

    def remember(
        self,
        doc_id: str,
        fp: Fingerprint,
        terms: Terms,
        story_id: str,
        keys: list[str],
        weights: Mapping[str, float] | None = None,
    ) -> None:
        """Keep the article in the window: a candidate for the next ones, its words counted."""
        self.prints[doc_id] = fp
        # its squared norm with the idf of now: the next articles compare with it (term_cosine)
        weights = weights if weights is not None else article_weights(terms, self.term_stats)
        self.terms[doc_id] = (terms, norm_squared(terms.words, weights))
        self.term_stats.add(terms.words)
        self.live[story_id] += 1
        self.index.add(
            doc_id,
            time=terms.time,
            lang=fp.lang,
            digest=fp.minhash.digest() if fp.shingles else None,
            keys=keys,
            embedding=fp.embedding,
        )

    def forget(self, doc_id: str, story_id: str) -> None:
        """Take out an article alone in its story, and the story's counts."""
        self.index.remove(doc_id)
        self.shelf.remove(doc_id)
        self.shelved.pop(doc_id, None)
        self.prints.pop(doc_id, None)
        kept = self.terms.pop(doc_id, None)
        if kept is not None:
            self.term_stats.remove(kept[0].words)
        self.live.pop(story_id, None)
        self.on_shelf.pop(story_id, None)

    def print_and_terms(self, doc_id: str) -> tuple[Fingerprint | None, KeptTerms | None]:
        """A candidate's fingerprint and terms, from the window or the shelf."""
        shelved = self.shelved.get(doc_id)
        if shelved is not None:
            return shelved
        return self.prints.get(doc_id), self.terms.get(doc_id)

    def is_shelved(self, doc_id: str) -> bool:
        return doc_id in self.shelved

    def merge(self, survivor: str, other: str) -> None:
        """Two stories became one: the survivor counts the other's members."""
        self.live[survivor] += self.live.pop(other, 0)
        self.on_shelf[survivor] += self.on_shelf.pop(other, 0)

    def evict(
        self, clock: float | None, members: Mapping[str, Member], resolve: Callable[[str], str]
    ) -> list[str]:
        """Sweep out what is too old (or too many undated); the stories left with no member in
        the window or on the shelf, which can take no new article."""
        emptied: list[str] = []
        undated = self.index.evict_undated(UNDATED_KEPT)
        past = self.index.evict_before(clock - self.window_s) if clock is not None else []
        for doc_id in undated:
            self._out_of_window(doc_id, members[doc_id], resolve, emptied, shelve=False)
        for doc_id in past:
            self._out_of_window(doc_id, members[doc_id], resolve, emptied, shelve=self.undated_seen)
        for doc_id in self.shelf.evict_undated(SHELF_KEPT):
            self.shelved.pop(doc_id, None)
            self._leave(resolve(members[doc_id].story_id), self.on_shelf, emptied)
        return emptied

    def _out_of_window(
        self,
        doc_id: str,
        member: Member,
        resolve: Callable[[str], str],
        emptied: list[str],
        *,
        shelve: bool,
    ) -> None:
        """An article leaves the window: its words leave the counts; shelved, or forgotten."""
        fp = self.prints.pop(doc_id, None)
        kept = self.terms.pop(doc_id, None)
        story_id = resolve(member.story_id)
        if kept is not None:
            self.term_stats.remove(kept[0].words)
            if shelve and fp is not None:
                self._shelve(doc_id, member.doc, fp, kept, story_id)
        self._leave(story_id, self.live, emptied)

    def _shelve(
        self, doc_id: str, doc: StoryDoc, fp: Fingerprint, kept: KeptTerms, story_id: str
    ) -> None:
        """Keep a dated article that left the window as a candidate for undated articles: these
        have no time to be compared within, and their event's dated reports may be long gone."""
        keys, strong = keys_of(doc, fp)
        self.shelf.add(
            doc_id,
            time=None,
            lang=fp.lang,
            digest=fp.minhash.digest() if fp.shingles else None,
            keys=[*keys, *strong],
            embedding=fp.embedding,
        )
        # what the profile comparison reads (meaning, title, MinHash); the passages go
        slim = replace(
            fp,
            shingles=frozenset(),
            shingle_seq=_NOTHING,
            shingle_sorted=_NOTHING,
            char_grams=_NOTHING,
            quotes=frozenset(),
            words=frozenset(),
            first_sentences=(),
            title_embedding=None,
        )
        self.shelved[doc_id] = (slim, kept)
        self.on_shelf[story_id] += 1

    def _leave(self, story_id: str, counts: Counter[str], emptied: list[str]) -> None:
        """One member fewer in the window or on the shelf; a story with none in either is
        `emptied`."""
        counts[story_id] -= 1
        if counts[story_id] <= 0:
            del counts[story_id]
            if not self.live.get(story_id) and not self.on_shelf.get(story_id):
                emptied.append(story_id)
