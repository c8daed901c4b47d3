"""The signs of a machine translation published unedited: on sentences written for these tests,
on the portal page and on WMT21's human and machine translations (../shared, skipped without)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from actuel.enrich.machine_translation import machine_signs
from tests.conftest import SHARED, shared_corpus

ENGLISH = (
    'The mayor said on Tuesday that "the bridge will reopen next month" after the repairs. '
    "Engineers found cracks in two pillars during the inspection this week."
)
MACHINE = (
    'Le maire a déclaré mardi que "le pont rouvrira le mois prochain" après les réparations. '
    "Les ingénieurs ont trouvé des fissures dans deux piliers lors de [the inspection] cette "
    "semaine."
)
HUMAN = (
    "Le pont rouvrira le mois prochain, a assuré mardi le maire, une fois les réparations "
    "terminées. L'inspection de la semaine a révélé des fissures dans deux piliers."
)


def test_a_bracketed_leftover_in_the_sources_language_is_a_sign() -> None:
    signs = machine_signs(MACHINE, "fr", ENGLISH, "en")
    assert signs.likely
    assert signs.leftovers == ("[the inspection]",)
    assert "[the inspection]" in signs.marks


def test_editors_brackets_in_the_texts_own_language_are_not() -> None:
    text = (
        "« Nous [les habitants] attendons des réponses », a-t-il dit [NDLR : le maire] […]. "
        "Le conseil se réunira [sic] jeudi."
    )
    assert machine_signs(text, "fr").leftovers == ()
    assert not machine_signs(text, "fr").likely


def test_a_human_translation_shows_no_sign() -> None:
    assert not machine_signs(HUMAN, "fr", ENGLISH, "en").likely


def test_the_sources_straight_quotes_kept_where_french_writes_guillemets_are_a_sign() -> None:
    kept = MACHINE.replace("[the inspection]", "l'inspection")
    signs = machine_signs(kept, "fr", ENGLISH, "en")
    assert signs.quotes_kept and signs.likely and not signs.leftovers
    converted = kept.replace('"le pont', "« le pont").replace('prochain"', "prochain »")
    assert not machine_signs(converted, "fr", ENGLISH, "en").likely


def test_runs_of_the_sources_words_left_untranslated_are_signs_but_names_are_not() -> None:
    source = (
        "The ministry confirmed that the water supply was restored overnight. "
        "Residents were told to boil their water until further notice."
    )
    text = (
        "Le ministère a confirmé que the water supply a été rétabli pendant la nuit. "
        "Les habitants doivent faire bouillir l'eau until further notice."
    )
    signs = machine_signs(text, "fr", source, "en")
    assert set(signs.untranslated) == {"the water supply", "until further notice"}
    assert signs.likely
    named = "Le directeur de la National Water Supply Company a confirmé le rétablissement."
    assert machine_signs(named, "fr", source, "en").untranslated == ()


def test_nothing_is_flagged_without_a_language_or_in_the_sources_own() -> None:
    assert not machine_signs(MACHINE, None).likely
    assert not machine_signs(ENGLISH, "en", ENGLISH, "en").likely
    assert not machine_signs("", "fr").likely


def test_the_portal_pages_leftovers_are_found() -> None:
    if SHARED is None or not (SHARED / "portal-page" / "page.txt").is_file():
        pytest.skip("../shared/portal-page is absent (it exists only on developer machines)")
    page = (SHARED / "portal-page" / "page.txt").read_text(encoding="utf-8")
    signs = machine_signs(page, "fr")
    assert signs.likely
    assert set(signs.leftovers) == {"[this week]", "[defense department]"}


def test_wmt21_machine_translations_are_flagged_and_human_ones_rarely() -> None:
    path = shared_corpus("wmt21-fr-de") / "newstest2021.fr-de.all.xml"
    flagged = {"human": 0, "machine": 0}
    counts = {"human": 0, "machine": 0}
    for doc in ET.parse(path).getroot().iter("doc"):
        source = doc.find("src")
        assert source is not None
        original = "\n".join(s.text or "" for s in source.iter("seg"))
        for kind, element in [("human", doc.find("ref"))] + [
            ("machine", h) for h in doc.findall("hyp")
        ]:
            assert element is not None
            text = "\n".join(s.text or "" for s in element.iter("seg"))
            counts[kind] += 1
            flagged[kind] += machine_signs(text, "de", original, "fr").likely
    # bench/machine_translation.py: recall 0.58 [0.52-0.63], 2 of 74 human ones flagged
    assert flagged["machine"] / counts["machine"] >= 0.5
    assert flagged["human"] / counts["human"] <= 0.05


def test_a_bracketed_leftover_is_not_counted_again_as_an_untranslated_run() -> None:
    signs = machine_signs(MACHINE, "fr", ENGLISH, "en")
    assert signs.leftovers == ("[the inspection]",) and signs.untranslated == ()
