"""Credit lines name the agency or outlet a report comes from; teasers are told from full texts."""

from __future__ import annotations

import pytest

from actuel.extract.credits import find_credits
from actuel.extract.teaser import looks_like_teaser

OUTLETS = [
    "Le Journal de la Côte",
    "The Harbour Gazette",
    "Agence Presse Atlantique",
    "Vallée Matin",
]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("BREST, 3 mars (APA) - Le port a rouvert mardi.", "Agence Presse Atlantique", "agency"),
        ("Le trafic a repris dans la matinée (APA).", "Agence Presse Atlantique", "agency"),
        ("PARIS (AFP) – Le gouvernement a présenté son plan.", "AFP", "agency"),
        ("Le bilan est lourd.\nSource : Le Journal de la Côte", "Le Journal de la Côte", "source"),
        (
            "Les dégâts sont importants, selon l'Agence Presse Atlantique.",
            "Agence Presse Atlantique",
            "according_to",
        ),
        (
            "« C'est inédit », a déclaré au Journal de la Côte le capitaine.",
            "Le Journal de la Côte",
            "according_to",
        ),
        (
            "Traffic resumed, according to The Harbour Gazette.",
            "The Harbour Gazette",
            "according_to",
        ),
        (
            "The port reopened. With reporting by The Harbour Gazette.",
            "The Harbour Gazette",
            "reporting",
        ),
        ("Le maire a tranché…\nLire la suite sur Vallée Matin", "Vallée Matin", "read_more"),
        ("Le texte est adopté, selon Le Monde.", "Le Monde", "according_to"),
        ("The deal collapsed, the minister told Reuters.", "Reuters", "according_to"),
        (
            "Le porte-parole a déclaré à HARBOUR DAILY que rien ne change.",
            "HARBOUR DAILY",
            "according_to",
        ),
        (
            "Les contrôles continuent…\nLire la suite de l’article sur infos-du-matin.com",
            "infos-du-matin.com",
            "read_more",
        ),
    ],
)
def test_credit_line_names_its_outlet(text: str, name: str, kind: str) -> None:
    credits = find_credits(text, outlets=OUTLETS)
    assert [(c.name, c.kind) for c in credits] == [(name, kind)]


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
    assert find_credits(text, outlets=OUTLETS) == []


def test_known_outlet_is_returned_under_its_registered_name() -> None:
    [credit] = find_credits("Les faits, selon la Harbour Gazette.", outlets=OUTLETS)
    assert credit.outlet == "The Harbour Gazette"
    assert credit.phrase == "selon la Harbour Gazette"


def test_several_credits_come_in_text_order_once_each() -> None:
    text = "VANNES (AFP) - Le port ferme (AFP).\nSelon The Harbour Gazette, la grève dure."
    assert [(c.name, c.kind) for c in find_credits(text, outlets=OUTLETS)] == [
        ("AFP", "agency"),
        ("The Harbour Gazette", "according_to"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil a voté le budget. Les travaux commenceront en…",
        "Premier paragraphe.\nLe deuxième est coupé au milieu...",
        "Le début de l'article.\nLire la suite sur Vallée Matin",
        "Le début.\nIl vous reste 80 % de cet article à lire.",
        "The council met on Monday.\nContinue reading on The Harbour Gazette",
        "The council met.\nSubscribe to read the full story.",
    ],
)
def test_teaser_is_recognised(text: str) -> None:
    assert looks_like_teaser(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil a voté le budget. Les travaux commenceront en juin.",
        "« Nous verrons… », a-t-il conclu.",
        "",
        "He said he would read more books this year.",
    ],
)
def test_full_text_is_not_a_teaser(text: str) -> None:
    assert not looks_like_teaser(text)
