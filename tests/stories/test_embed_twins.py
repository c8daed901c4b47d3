"""Embedding wisely: near-copies take their source's embedding, other articles are encoded;
each distinct headline is encoded once."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from actuel.model import RelationKind, StoryDoc
from actuel.stories.cluster import StoryClusterer
from actuel.stories.encoder import normalise_rows
from actuel.stories.fingerprint import embedding_text, fingerprint_many, title_text, twins

T0 = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)
TITLE = "Landslide closes the Vellone–Sarrac railway line"
BODY = (
    "The prefecture of Vellone closed the railway line to Sarrac on Tuesday morning after a "
    "landslide buried two hundred metres of track near the village of Orbaye. No train was "
    "passing at the time and nobody was hurt, the regional rail operator said. Engineers from "
    "the operator expect the clearing work to take at least nine days, because the slope above "
    "the track is still moving after a week of heavy rain. Replacement coaches will run every "
    "hour between Vellone and Sarrac, with a stop at Orbaye, from Wednesday. The mayor of Orbaye, "
    "Claire Dumesnil, asked the prefecture to study a permanent wall along the cutting, which has "
    "slipped three times in twelve years. Freight trains to the quarry at Sarrac are suspended."
)
OTHER = (
    "The Luzac sports union beat Port-Aurel three goals to one on Saturday evening and reached "
    "the quarter-finals of the regional cup for the first time since the club was founded. Its "
    "young striker scored twice in the second half in front of four thousand supporters, and the "
    "coach said the squad would rest before the league match against Tessane next weekend. The "
    "draw for the quarter-finals takes place on Monday at the federation's offices in Port-Aurel."
)


class CountingEncoder:
    """A plug-in of our own that records every text it is asked to encode."""

    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = np.zeros((len(texts), 4096), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                rows[i, zlib.crc32(word.encode()) % 4096] += 1.0
        return normalise_rows(rows)


def doc(doc_id: str, text: str, minutes: int, title: str = TITLE) -> StoryDoc:
    return StoryDoc(
        id=doc_id,
        title=title,
        text=text,
        published_at=T0 + timedelta(minutes=minutes),
        lang="en",
        source=f"Outlet {doc_id}",
    )


SOURCE = doc("src", BODY, 0)
COPY = doc("copy", "Advertisement\n" + BODY + "\nShare this article", 20)
REWRITE = doc(
    "rewrite",
    " ".join(w for n, w in enumerate(BODY.split()) if n % 6 != 3),
    30,
    title="Vellone–Sarrac line closed by a landslide",
)
TITLE_UNRELATED = "Luzac reach the cup quarter-finals"
UNRELATED = doc("sport", OTHER, 40, title=TITLE_UNRELATED)


def test_a_copy_in_another_template_is_not_encoded_again() -> None:
    encoder = CountingEncoder()
    clusterer = StoryClusterer(encoder=encoder)
    clusterer.add_many([SOURCE])
    clusterer.add_many([COPY, UNRELATED])
    # the copy's lead is not encoded, nor its headline: the same as its source's
    expected = [embedding_text(SOURCE), title_text(SOURCE)]
    assert sorted(encoder.seen) == sorted([*expected, embedding_text(UNRELATED), TITLE_UNRELATED])
    placed = clusterer.assignment("copy")
    assert placed.story_id == clusterer.story_of("src")
    assert placed.relation == RelationKind.COPY and placed.derived_from == "src"
    assert clusterer.story_of("sport") != clusterer.story_of("src")


def test_twins_in_one_batch_are_encoded_once() -> None:
    encoder = CountingEncoder()
    clusterer = StoryClusterer(encoder=encoder)
    clusterer.add_many([SOURCE, COPY, REWRITE, UNRELATED])
    pair = {embedding_text(SOURCE), embedding_text(COPY)}
    assert sum(text in pair for text in encoder.seen) == 1  # one of the twins, for both
    headlines = [TITLE, REWRITE.title, TITLE_UNRELATED]  # the twins' once
    assert sorted(t for t in encoder.seen if t in headlines) == sorted(headlines)
    assert len(encoder.seen) == 6  # and the leads of the rewrite and of the unrelated report
    assert clusterer.assignment("copy").derived_from == "src"
    assert clusterer.story_of("rewrite") == clusterer.story_of("src")


def test_only_near_copies_count_as_twins() -> None:
    source, copy, rewrite, unrelated = fingerprint_many([SOURCE, COPY, REWRITE, UNRELATED])
    assert twins(source, copy)
    assert not twins(source, rewrite)  # one word in six dropped: its own embedding
    assert not twins(source, unrelated)
    assert not twins(source, replace(copy, lang="de"))  # another language never is
