"""Credit lines name the agency or outlet a report comes from; people, parties and officials
do not (cases first written for the extract stage's former credit reader, now the stories')."""

from __future__ import annotations

import pytest

from actuel.stories.credits import extract_credits

OUTLETS = [
    "Le Journal de la Côte",
    "The Harbour Gazette",
    "Agence Presse Atlantique",
    "Vallée Matin",
]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("BREST, 3 mars (APA) - Le port a rouvert mardi.", "Agence Presse Atlantique", "wire"),
        ("Le trafic a repris dans la matinée (APA).", "Agence Presse Atlantique", "wire"),
        ("PARIS (AFP) – Le gouvernement a présenté son plan.", "AFP", "wire"),
        ("Le bilan est lourd.\nSource : Le Journal de la Côte", "Le Journal de la Côte", "source"),
        (
            "Les dégâts sont importants, selon l'Agence Presse Atlantique.",
            "Agence Presse Atlantique",
            "according_to",
        ),
        (
            "« C'est inédit », a déclaré au Journal de la Côte le capitaine.",
            "Le Journal de la Côte",
            "told_to",
        ),
        (
            "Traffic resumed, according to The Harbour Gazette.",
            "The Harbour Gazette",
            "according_to",
        ),
        (
            "The port reopened. With reporting by The Harbour Gazette.",
            "The Harbour Gazette",
            "reporting_by",
        ),
        ("Le maire a tranché…\nLire la suite sur Vallée Matin", "Vallée Matin", "read_more"),
        ("Le texte est adopté, selon Le Monde.", "Le Monde", "according_to"),
        ("The deal collapsed, the minister told Reuters.", "Reuters", "told_to"),
        (
            "Le porte-parole a déclaré à HARBOUR DAILY que rien ne change.",
            "HARBOUR DAILY",
            "told_to",
        ),
        (
            "Les contrôles continuent…\nLire la suite de l’article sur infos-du-matin.com",
            "infos-du-matin.com",
            "read_more",
        ),
    ],
)
def test_credit_line_names_its_outlet(text: str, name: str, kind: str) -> None:
    credits = extract_credits(text, known_outlets=OUTLETS)
    assert [(c.outlet, c.kind) for c in credits] == [(name, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "Selon le maire, la piscine fermera en juillet.",
        "Selon Jean Dupont, le projet est trop cher.",
        "Jean Dupont (PS) a voté contre, Marie Durand (LR) aussi.",
        "Le texte a été adopté avec Marie Durand.",
        "According to the regional health ministry, cases are falling.",
        "Avec ses 3 000 habitants, la commune reste petite.",
        "Le chômage a baissé au premier trimestre, selon l'INSEE.",
    ],
)
def test_people_parties_and_officials_are_not_credits(text: str) -> None:
    assert extract_credits(text, known_outlets=OUTLETS) == []


def test_known_outlet_is_returned_under_its_registered_name() -> None:
    [credit] = extract_credits("Les faits, selon la Harbour Gazette.", known_outlets=OUTLETS)
    assert credit.outlet == "The Harbour Gazette"
    assert credit.phrase == "selon la Harbour Gazette"


def test_several_credits_come_in_text_order_once_each() -> None:
    text = "VANNES (AFP) - Le port ferme (AFP).\nSelon The Harbour Gazette, la grève dure."
    assert [(c.outlet, c.kind) for c in extract_credits(text, known_outlets=OUTLETS)] == [
        ("AFP", "wire"),
        ("The Harbour Gazette", "according_to"),
    ]
