"""Direct quotes and their speakers, in French and English news style."""

from __future__ import annotations

import pytest

from actuel.enrich.quotes import find_quotes


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            "« Nous ne céderons pas sur les salaires », a déclaré mardi Jean Dupont.",
            "Nous ne céderons pas sur les salaires",
            "Jean Dupont",
        ),
        (
            "« La digue a tenu trop longtemps sans entretien », a expliqué la maire de Piriac, "
            "Hélène Garnier, lors d'une réunion publique.",
            "La digue a tenu trop longtemps sans entretien",
            "Hélène Garnier",
        ),
        (
            "« Les réservoirs sont presque vides cette année », a confié au Journal de la Côte "
            "le technicien Paul Le Goff.",
            "Les réservoirs sont presque vides cette année",
            "Paul Le Goff",
        ),
        (
            "Marie Durand, adjointe aux sports : « La piscine rouvrira dès le mois de juin. »",
            "La piscine rouvrira dès le mois de juin.",
            "Marie Durand",
        ),
        (
            "“We will not back down on wages,” said union leader Ellen Ward on Tuesday.",
            "We will not back down on wages",
            "Ellen Ward",
        ),
        (
            "“This is a dark day for the harbour,” Dr. Sam Patel told reporters.",
            "This is a dark day for the harbour",
            "Sam Patel",
        ),
    ],
)
def test_quote_and_speaker(text: str, quote: str, speaker: str) -> None:
    [found] = find_quotes(text)
    assert (found.text, found.speaker) == (quote, speaker)


@pytest.mark.parametrize(
    "text",
    [
        "« Nous verrons bien ce qui se passe demain », a-t-il ajouté.",
        "« Ce sera difficile pour tout le monde », prévient-elle.",
        "Le ministre a été clair : « Il n'y aura pas de hausse cette année. »",
        "“We expect the road to reopen next week,” the council said in a statement.",
    ],
)
def test_quote_without_a_named_speaker(text: str) -> None:
    [found] = find_quotes(text)
    assert found.speaker is None


def test_scare_quotes_are_not_statements() -> None:
    assert find_quotes("Le label « bio » et les produits “smart” sont contestés.") == []


def test_quotes_come_in_text_order_with_positions() -> None:
    text = (
        "« Le port, c'est toute notre vie ici », a lancé Yves Morvan.\n\n"
        "Plus tard, « nous reviendrons demain matin avec les autres », a ajouté Anne Caradec."
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Yves Morvan", "Anne Caradec"]
    assert text[quotes[1].start] == "«"
