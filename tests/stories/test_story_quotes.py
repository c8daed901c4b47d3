"""A story's quotes: one quote once with its translations beside it, fragments never alone."""

from __future__ import annotations

from actuel.reading.quotes import CarriedQuote, gather_quotes, is_fragment
from actuel.reading.story import Placed

# An English report (1), its French translation (2) and a copy of that translation (3), a machine
# translation (4), and a French rewrite (5) that quotes the end of a sentence.
MEMBERS = [
    Placed(1, "en", "original"),
    Placed(2, "fr", "translation", 1),
    Placed(3, "fr", "copy", 2),
    Placed(4, "fr", "translation", 1),
    Placed(5, "fr", "rewrite", 2),
]
SAID_EN = "We take these claims very seriously, and there will be consequences."
SAID_FR = "Nous prenons ces accusations très au sérieux, et il y aura des conséquences."
SAID_MT = "Nous prenons ces revendications très sérieusement, et il y aura des conséquences."
SECOND_EN = "Nothing is ruled out, including 12 criminal referrals."
SECOND_FR = "Rien n'est exclu, y compris 12 renvois devant la justice."


def carried() -> list[CarriedQuote]:
    return [
        CarriedQuote(1, SAID_EN, "Ryder", "en", "The Meridian Post"),
        CarriedQuote(1, SECOND_EN, "Ryder", "en", "The Meridian Post"),
        CarriedQuote(1, "in the coming days.", "Ryder", "en", "The Meridian Post"),
        CarriedQuote(2, SAID_FR, "Ellen Ryder", "fr", "Kalaba Matin"),
        CarriedQuote(2, SECOND_FR, "Ellen Ryder", "fr", "Kalaba Matin"),
        CarriedQuote(3, SAID_FR, "Ellen Ryder", "fr", "L'Écho"),
        CarriedQuote(3, SECOND_FR, None, "fr", "L'Écho"),
        CarriedQuote(4, SAID_MT, "Ryder", "fr", "Nouvelles"),
        CarriedQuote(4, "Rien n'est hors de la table, incluant 12 renvois criminels.", None, "fr"),
        CarriedQuote(5, "il y aura des conséquences", None, "fr", "Le Courrier"),
    ]


def test_one_quote_once_with_its_translations_beside_it() -> None:
    quotes = gather_quotes(carried(), MEMBERS)
    assert [q.text for q in quotes] == [SAID_EN, SECOND_EN]
    first, second = quotes
    assert first.lang == "en" and first.article_ids == [1]
    assert first.speaker == "Ellen Ryder"  # the fullest name any article gives
    assert [(t.text, t.lang) for t in first.translations] == [(SAID_FR, "fr"), (SAID_MT, "fr")]
    # the human translation, carried by its copy and by the rewrite quoting its end, first
    assert first.translations[0].article_ids == [2, 3, 5]
    assert first.translations[0].outlets == ["Kalaba Matin", "L'Écho", "Le Courrier"]
    assert [t.article_ids for t in second.translations] == [[2, 3], [4]]
    every_text = [q.text for q in quotes] + [t.text for q in quotes for t in q.translations]
    assert len(every_text) == len(set(every_text)) == 6


def test_a_fragment_is_never_listed_alone() -> None:
    quotes = gather_quotes(carried(), MEMBERS)
    shown = [q.text for q in quotes] + [t.text for q in quotes for t in q.translations]
    assert "in the coming days." not in shown
    assert "il y aura des conséquences" not in shown
    assert is_fragment("in the coming days.") and is_fragment("« …et nous reviendrons »")
    assert not is_fragment("Le port, c'est nous") and not is_fragment("80 % des dockers")


def test_a_quote_inside_a_longer_one_of_the_same_language_joins_it() -> None:
    members = [Placed(1, "fr", "original"), Placed(2, "fr", "rewrite", 1)]
    longer = "L'inflation s'installe. Nous agirons aussi longtemps que nécessaire."
    quotes = gather_quotes(
        [
            CarriedQuote(1, longer, "Mireille Sanou", "fr", "AHP"),
            CarriedQuote(2, "Nous agirons aussi longtemps que nécessaire", None, "fr", "Écho"),
        ],
        members,
    )
    assert [(q.text, q.speaker, q.article_ids, q.outlets) for q in quotes] == [
        (longer, "Mireille Sanou", [1, 2], ["AHP", "Écho"])
    ]


def test_quotes_of_unrelated_articles_stay_apart() -> None:
    """Only a translation's quotes are paired: two reports in two languages quoting two
    people keep two quotes, and a speaker who differs never pairs."""
    members = [Placed(1, "en", "original"), Placed(2, "fr", "independent")]
    quotes = gather_quotes(
        [
            CarriedQuote(1, "The ground started moving like water.", "Innocent Abega", "en"),
            CarriedQuote(2, "Le sol s'est mis à bouger comme de l'eau.", "Innocent Abega", "fr"),
        ],
        members,
    )
    assert len(quotes) == 2 and not any(q.translations for q in quotes)
    translated = [Placed(1, "en", "original"), Placed(2, "fr", "translation", 1)]
    quotes = gather_quotes(
        [
            CarriedQuote(1, "We are digging by hand in places.", "Owen Rees", "en"),
            CarriedQuote(2, "Nous creusons à la main par endroits.", "Rachel Dunmore", "fr"),
        ],
        translated,
    )
    assert len(quotes) == 2
