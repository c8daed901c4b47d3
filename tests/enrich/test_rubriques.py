"""Rubriques: the publisher's sections first, then the words; nothing rather than a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actuel.enrich.rubriques import RUBRIQUES, Rubrique, classify, from_categories, from_text

HEADLINES = Path(__file__).resolve().parents[3] / "shared/corpora/news-headlines-2014/docs.jsonl"
SECTIONS = {"b": "economie", "t": "sciences", "e": "culture", "m": "sante"}


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        (["Actualité > Foot > Ligue 1"], "sport"),
        (["Business"], "economie"),
        (["Économie"], "economie"),
        (["Une", "Politique"], "politique"),
        (["Santé publique"], "sante"),
        (["Arts & Entertainment"], "culture"),
        (["Non classé", "Actualités"], None),
    ],
)
def test_the_publishers_own_sections_are_read_in_both_languages(
    categories: list[str], expected: str | None
) -> None:
    assert from_categories(categories) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Les dockers de Port-Douala en grève illimitée", "economie"),
        ("Festival de jazz : trois jours de concerts sur la plage", "culture"),
        ("Choléra : l'épidémie gagne deux nouveaux districts", "sante"),
        ("Les Lions qualifiés pour la Coupe d'Afrique après leur victoire", "sport"),
        ("Législatives : la commission électorale fixe le premier tour", "politique"),
        ("Apple unveils a new iPhone and an app store for cars", "sciences"),
        ("Ebola outbreak: hospitals in Conakry short of nurses", "sante"),
    ],
)
def test_the_words_of_a_title_point_to_its_rubrique(title: str, expected: str) -> None:
    assert from_text(title, "") == expected


def test_an_article_the_words_cannot_tell_gets_no_rubrique() -> None:
    assert from_text("Ce qu'il faut retenir de la journée", "") is None
    # one vague word is not enough, nor two sections pulling evenly
    assert from_text("", "Le rapport sera publié mardi.") is None
    assert from_text("Le ministre du sport au festival", "") is None
    # "environ" is French for "about", not the environment; "Crimée" is no crime
    assert from_text("Environ 300 personnes attendues", "") is None


def test_the_publishers_section_wins_over_the_words() -> None:
    found = classify("Le ministre inaugure le stade", None, None, ["Sport"])
    assert found == Rubrique("sport", "category")
    assert classify("Grève des dockers", None, "", ["Divers"]) == Rubrique("economie", "text")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.text(max_size=2000), st.lists(st.text(max_size=60), max_size=5))
def test_any_text_gets_a_known_rubrique_or_none(title: str, text: str, cats: list[str]) -> None:
    found = classify(title, None, text, cats)
    assert found is None or (found.slug in RUBRIQUES and found.by in ("category", "text"))


@pytest.mark.skipif(not HEADLINES.exists(), reason=f"{HEADLINES} is absent (../shared/corpora)")
def test_on_real_headlines_a_given_rubrique_is_mostly_right() -> None:
    """6,366 real headlines filed by a news aggregator (bench/rubriques.py: precision 0.790
    [0.706-0.858] at coverage 0.517, intervals from resampling stories)."""
    filed = right = total = 0
    with HEADLINES.open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            got = from_text(doc["title"], "")
            total += 1
            filed += got is not None
            right += got == SECTIONS[doc["category"]]
    assert filed / total >= 0.45
    assert right / filed >= 0.75
