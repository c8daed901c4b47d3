"""Fingerprints and text normalisation: what the stories stage keeps of an article."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime

import numpy as np

from actuel.model import StoryDoc
from actuel.stories import text as txt
from actuel.stories.fingerprint import (
    TITLE_CHARS,
    embedding_text,
    fingerprint,
    fingerprint_many,
    title_text,
)
from tests.stories.test_embed_twins import CountingEncoder

ARTICLE = (
    "VELLONE – La préfecture de la Haute-Sarrine a fermé mardi la ligne ferroviaire "
    "Vellone–Sarrac après l'effondrement d'un talus près du viaduc de Mirande. "
    "Quelque 1 400 voyageurs empruntent chaque jour cette ligne, selon la Compagnie régionale "
    "des chemins de fer (CRCF). Les travaux coûteront 3,2 millions d'euros et dureront six "
    "semaines. « Nous ne rouvrirons pas avant d'être certains de la solidité de l'ouvrage », "
    "a déclaré la préfète, Amélie Durandeau. Des cars de substitution circuleront dès "
    "mercredi 18 novembre, avec un billet réduit de 15 %."
)


def test_numbers_are_normalised_across_spellings() -> None:
    assert txt.numbers("1 400 voyageurs") == txt.numbers("1,400 travellers") == ["1400"]
    assert txt.numbers("1\u202f400 voyageurs") == ["1400"]
    assert txt.numbers("un billet réduit de 15 %") == txt.numbers("a 15 percent cut") == ["15%"]
    assert txt.numbers("3,2 millions") == txt.numbers("3.2 million") == ["3.2"]
    assert "d18m11" in txt.numbers("mercredi 18 novembre")
    assert "d18m11" in txt.numbers("on Wednesday, November 18")
    assert txt.numbers("à 6 heures") == []  # lone digits are spelled out as often as not


def test_names_skip_common_words_that_open_a_sentence() -> None:
    found = txt.names(ARTICLE)
    assert "amelie durandeau" in found
    assert "crcf" in found
    assert "haute-sarrine" in found
    assert not {"les", "des", "quelque", "la"} & set(found)
    assert "november" not in txt.names("On Monday, November 16, Amélie Durandeau spoke.")


def test_tokens_fold_case_and_accents_and_split_cjk() -> None:
    assert txt.tokens("Préfète ÉCHO") == ["prefete", "echo"]
    assert txt.tokens("北京时间") == ["北", "京", "时", "间"]


def test_quotes_in_french_and_english_marks() -> None:
    assert txt.quotes(ARTICLE) == [
        "Nous ne rouvrirons pas avant d'être certains de la solidité de l'ouvrage"
    ]
    assert txt.quotes("She said “we will reopen” and “not before May”.") == [
        "we will reopen",
        "not before May",
    ]


def test_fingerprint_keeps_names_numbers_and_no_text() -> None:
    doc = StoryDoc(id="a1", title="La ligne Vellone–Sarrac fermée", text=ARTICLE, lang="fr-FR")
    fp = fingerprint(doc)
    assert fp.doc_id == "a1"
    assert fp.lang == "fr"
    assert {"1400", "3.2", "15%", "d18m11"} <= fp.numbers
    assert {"amelie", "durandeau", "crcf"} <= fp.names
    assert fp.length > 60
    assert fp.quotes
    assert fp.embedding is None
    assert not fp.cut_off


def test_the_encoder_reads_the_headline_apart_from_the_lead() -> None:
    encoder = CountingEncoder()
    titled = StoryDoc(id="t", title="La ligne Vellone–Sarrac fermée", text=ARTICLE, lang="fr")
    untitled = StoryDoc(id="u", title="", text=ARTICLE, lang="fr")
    empty = StoryDoc(id="e", title="", text="")
    a, b, c = fingerprint_many([titled, untitled, empty], encoder=encoder)
    # the lead (title and first sentences) and the headline, each once
    assert encoder.seen == [
        embedding_text(titled),
        embedding_text(untitled),
        *map(title_text, (titled, untitled)),
    ]
    assert title_text(titled) == "La ligne Vellone–Sarrac fermée"
    # without a title, the first sentence stands for it, cut short
    assert title_text(untitled) == ARTICLE[:TITLE_CHARS].strip()
    assert a.title_embedding is not None and b.title_embedding is not None
    assert a.embedding is not None
    assert not np.array_equal(a.title_embedding, a.embedding)
    assert c.embedding is None and c.title_embedding is None
    assert fingerprint(titled).title_embedding is None  # no encoder, no headline embedding


def test_language_is_guessed_when_the_tag_is_missing() -> None:
    assert fingerprint(StoryDoc(id="x", title="", text=ARTICLE)).lang == "fr"
    english = (
        "The prefecture closed the railway line on Tuesday after a landslide near the viaduct."
    )
    assert fingerprint(StoryDoc(id="y", title="", text=english)).lang == "en"


def test_marks_of_derived_articles_are_counted() -> None:
    teaser = StoryDoc(id="t", title="", text=ARTICLE[:200] + "… Lire la suite")
    assert fingerprint(teaser).cut_off
    credited = StoryDoc(id="c", title="", text=ARTICLE + "\nSource : La Gazette de Vellone")
    assert fingerprint(credited).credit_lines >= 1
    edited = StoryDoc(id="e", title="", text=ARTICLE.replace("Les travaux", "[…] Les travaux"))
    assert fingerprint(edited).leftovers == 1


def test_empty_and_one_word_articles_give_empty_fingerprints() -> None:
    empty, word = fingerprint_many(
        [StoryDoc(id="e", title="", text=""), StoryDoc(id="w", title="", text="Bonjour")]
    )
    assert empty.length == 0 and not empty.shingles and not empty.names
    assert word.length == 1 and len(word.shingles) == 1


def test_five_megabyte_article_is_bounded() -> None:
    huge = StoryDoc(id="big", title="Énorme", text=(ARTICLE + "\n") * (5_000_000 // len(ARTICLE)))
    started = time.perf_counter()
    fp = fingerprint(huge)
    assert time.perf_counter() - started < 5.0  # a safety bound: only the first 60,000 chars count
    assert fp.chars <= txt.MAX_CHARS


def test_fingerprints_agree_across_processes() -> None:
    # the index and the store may compare fingerprints made by different workers
    doc = StoryDoc(id="a", title="T", text=ARTICLE, published_at=datetime(2026, 11, 17, tzinfo=UTC))
    here = list(fingerprint(doc).minhash.digest())
    code = (
        "from actuel.model import StoryDoc; from actuel.stories.fingerprint import fingerprint; "
        f"print(list(fingerprint(StoryDoc(id='a', title='T', text={ARTICLE!r})).minhash.digest()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    assert other.stdout.strip() == str(here)
