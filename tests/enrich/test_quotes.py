"""Direct quotes and their speakers, in French and English news style."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actuel.demo.build import load_world
from actuel.enrich.quotes import extract_quotes
from actuel.model import Quote
from actuel.reading.quotes import MIN_QUOTE_WORDS, quote_key, same_quote


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
            "« Aucun licenciement n'est prévu à ce stade », a affirmé la ministre Awa Nfor.",
            "Aucun licenciement n'est prévu à ce stade",
            "Awa Nfor",
        ),
        (
            "« Le port restera fermé jusqu'à nouvel ordre », a déclaré au Meridian Post Ellen "
            "Ryder du [defence ministry].",
            "Le port restera fermé jusqu'à nouvel ordre",
            "Ellen Ryder",
        ),
        (
            "Awa Nfor a déclaré : « Le budget de la santé augmentera de 8 % l'an prochain. »",
            "Le budget de la santé augmentera de 8 % l'an prochain.",
            "Awa Nfor",
        ),
        (
            "Marie Durand, adjointe aux sports : « La piscine rouvrira dès le mois de juin. »",
            "La piscine rouvrira dès le mois de juin.",
            "Marie Durand",
        ),
        (
            "Le porte-parole du Conseil national de sécurité, John Kirby, a déclaré mercredi que "
            "la présidence « examinait toutes les informations disponibles ».",
            "examinait toutes les informations disponibles",
            "John Kirby",
        ),
        (
            "« Les chiffres seront publiés vendredi », selon Lucie Mbarga, directrice du bureau.",
            "Les chiffres seront publiés vendredi",
            "Lucie Mbarga",
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
        (
            "“Nothing is off the table,” said deputy minister Ellen Ryder.",
            "Nothing is off the table",
            "Ellen Ryder",
        ),
        (
            "“The slope is still unstable in places,” Kirby said.",
            "The slope is still unstable in places",
            "Kirby",
        ),
        (
            "“We sold the vehicles legally and in good faith,” said Ryder.",
            "We sold the vehicles legally and in good faith",
            "Ryder",
        ),
        (
            "“Our first priority is the families,” Eastmere Minerals spokesman Graham Tolliver "
            "said in a statement.",
            "Our first priority is the families",
            "Graham Tolliver",
        ),
        (
            'Harbour master Tom Ellis told reporters: "The channel will be dredged in spring."',
            "The channel will be dredged in spring.",
            "Tom Ellis",
        ),
        (
            '"The graffiti may be months old," Cpl. Jesse Morrow told Channel Six News.',
            "The graffiti may be months old",
            "Jesse Morrow",
        ),
        (
            "« Je ne sais pas si ces images sont vraies », a déclaré mardi le porte-parole, "
            "Brig. Gen. Patrick Ryder.",
            "Je ne sais pas si ces images sont vraies",
            "Patrick Ryder",
        ),
        (
            '"The lake has never been this low," Rey, an Australian who lives in Wellington, '
            "told the Harbour Gazette.",
            "The lake has never been this low",
            "Rey",
        ),
        (
            "Sarah Perera, a student who came with her twin Farheen, told Reuters: "
            '"It was the best night of our lives."',
            "It was the best night of our lives.",
            "Sarah Perera",
        ),
        (
            "‘We will not give up the fight for our jobs,’ said union leader Ellen Ward.",
            "We will not give up the fight for our jobs",
            "Ellen Ward",
        ),
        (
            "“It is far too early to say what caused the collapse,” it said in a statement.",
            "It is far too early to say what caused the collapse",
            None,
        ),
        (
            "Le directeur &laquo;&nbsp;Nous ouvrirons en mars prochain&nbsp;&raquo;, a "
            "déclaré <b>Paul Mba</b>.</p>",
            "Nous ouvrirons en mars prochain",
            "Paul Mba",
        ),
    ],
)
def test_quote_and_speaker(text: str, quote: str, speaker: str | None) -> None:
    [found] = extract_quotes(text)
    assert (found.text, found.speaker) == (quote, speaker)


@pytest.mark.parametrize(
    "text",
    [
        "« Nous verrons bien ce qui se passe demain », a-t-il ajouté.",
        "« Ce sera difficile pour tout le monde », prévient-elle.",
        "Le ministre a été clair : « Il n'y aura pas de hausse cette année. »",
        "“We expect the road to reopen next week,” the council said in a statement.",
        "Une banderole proclamait « Le port, c'est nous » devant les grilles.",
        "Jean Dupont est arrivé. « Nous ne savons rien de plus », indique-t-on au ministère.",
        "Ellen Ward spoke first. “We will keep the port open all winter,” they said.",
    ],
)
def test_quote_without_a_named_speaker(text: str) -> None:
    [found] = extract_quotes(text)
    assert found.speaker is None


def test_pronouns_take_the_last_named_speaker_of_the_paragraph() -> None:
    text = (
        "« Nous ne reprendrons pas le travail », a déclaré Joseph Mbarga. « Les salaires "
        "n'ont pas bougé depuis 2021 », a-t-il ajouté.\n\n"
        "Opposition lawmaker Rachel Dunmore called for an inquiry. “A firm that profits from "
        "cobalt must answer to our law,” she said.\n\n"
        "« Personne ne quittera le site », a-t-elle assuré. « Les familles seront "
        "relogées dès lundi », selon elle.\n\n"
        "Le port restera fermé jusqu'à lundi.\n\n"
        "« Les navires attendront au large », a-t-il précisé."
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == [
        "Joseph Mbarga",
        "Joseph Mbarga",
        "Rachel Dunmore",
        "Rachel Dunmore",  # a paragraph that opens with the quote: the one who spoke just before
        "Rachel Dunmore",  # "selon elle"
        None,  # nobody speaks in the paragraph before
    ]


def test_a_pronoun_reaches_back_to_who_spoke_in_the_paragraph_before() -> None:
    text = (
        "But Helm said the oven started smoking as they waited for their pizza.\n\n"
        "“We left everything on the table and walked out,” she said."
    )
    [quote] = extract_quotes(text)
    assert quote.speaker == "Helm"


def test_a_quote_running_over_paragraphs_is_one_quote() -> None:
    text = (
        "« Je ne sais pas si ces images sont vraies, a déclaré Ryder.\n\n"
        "« Nous devons vérifier les faits avant de conclure quoi que ce soit. »\n\n"
        "Le ministère n'a pas commenté."
    )
    [quote] = extract_quotes(text)
    assert quote.text.startswith("Je ne sais pas si ces images sont vraies")
    assert quote.text.endswith("avant de conclure quoi que ce soit.")


def test_a_second_quote_in_the_paragraph_keeps_its_speaker() -> None:
    text = (
        "« Nous avons été très clairs avec nos partenaires », a déclaré Kirby. « Je "
        "n'entrerai pas dans le détail de nos discussions privées. »"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Kirby", "Kirby"]


def test_scare_quotes_are_not_statements() -> None:
    assert extract_quotes("Le label « bio » et les produits “smart” sont contestés.") == []
    assert (
        extract_quotes("Le syndicat juge l'offre « insultante » et appelle « au dialogue ».") == []
    )
    [short] = extract_quotes("« C'est inacceptable », a déclaré Awa Nfor.")
    assert (short.text, short.speaker) == ("C'est inacceptable", "Awa Nfor")


def test_quotes_come_in_text_order_with_the_language_given() -> None:
    text = (
        "« Le port, c'est toute notre vie ici », a lancé Yves Morvan.\n\n"
        "Plus tard, « nous reviendrons demain matin avec les autres », a ajouté Anne Caradec."
    )
    quotes = extract_quotes(text, lang="fr")
    assert [q.speaker for q in quotes] == ["Yves Morvan", "Anne Caradec"]
    assert {q.lang for q in quotes} == {"fr"}


def test_quote_key_groups_copies_of_a_quote() -> None:
    a = Quote("Le port, c'est nous !", "Joseph Mbarga")
    b = Quote("le port  c’est nous", None)
    c = Quote("LE PORT, C'EST NOUS.", None)
    assert quote_key(a) == quote_key(b) == quote_key(c) == "le port c est nous"
    assert quote_key(Quote("Le port, c'est eux !")) != quote_key(a)


def test_a_quote_cut_short_by_an_excerpt_is_the_same_quote() -> None:
    full = Quote("Nous ne reprendrons pas le travail tant que la direction n'aura pas cédé.")
    cut = Quote("Nous ne reprendrons pas le travail tant…")
    assert same_quote(full, cut) and same_quote(cut, full)
    assert not same_quote(full, Quote("Nous ne…"))  # too short to tell
    assert not same_quote(full, Quote("Nous ne reprendrons jamais le travail ici."))
    assert not same_quote(Quote("« »"), Quote("…"))


def test_demo_excerpts_carry_the_start_of_their_sources_quotes() -> None:
    world = load_world()
    by_id = {a.id: a for a in world.articles}
    found = 0
    for article in world.articles:
        if article.relation != "excerpt":
            continue
        source = by_id[article.derived_from or ""]
        theirs = extract_quotes("\n\n".join(source.paragraphs))
        for quote in extract_quotes("\n\n".join(article.paragraphs)):
            if len(quote.text.split()) > MIN_QUOTE_WORDS:
                assert any(same_quote(quote, q) for q in theirs), (article.id, quote.text)
                found += 1
    assert found >= 1


def test_demo_copies_carry_the_quotes_of_their_source() -> None:
    world = load_world()
    by_id = {a.id: a for a in world.articles}
    compared = 0
    for article in world.articles:
        if article.relation != "copy":
            continue
        source = by_id[article.derived_from or ""]
        mine = {quote_key(q) for q in extract_quotes("\n\n".join(article.paragraphs))}
        theirs = {quote_key(q) for q in extract_quotes("\n\n".join(source.paragraphs))}
        assert mine == theirs, article.id
        compared += bool(mine)
    assert compared >= 10


def test_demo_reports_name_their_speakers() -> None:
    world = load_world()
    quotes = [
        q
        for a in world.articles
        if a.relation in ("original", "independent", "rewrite", "translation")
        for q in extract_quotes("\n\n".join(a.paragraphs), lang=a.lang)
    ]
    named = [q for q in quotes if q.speaker]
    assert len(quotes) >= 100
    assert len(named) / len(quotes) >= 0.8  # measured 85 of 100
    speakers = {q.speaker for q in named}
    for expected in ("Joseph Mbarga", "Bernadette Koulibaly", "Laura Pennington", "Ellen Ryder"):
        assert expected in speakers


# --- bad input ---------------------------------------------------------------------------------


def test_empty_text() -> None:
    assert extract_quotes("") == []
    assert extract_quotes("\n\n  \n") == []


def test_unclosed_and_stray_marks() -> None:
    quotes = extract_quotes('« Ceci ne se ferme jamais, a dit Paul Mba\n\nFin. » Puis “ et "')
    assert [q.text for q in quotes] == ["Ceci ne se ferme jamais, a dit Paul Mba"]


@pytest.mark.parametrize(
    "unit",
    [
        "« Nous avons obtenu 8 % de hausse », a déclaré à l'AHP le syndicaliste Joseph Mbarga. "
        "Il a ajouté que « la grève continue ».\n\n",
        "« ",
        '"a" ',
        "“ ” « » ",
    ],
    ids=["realistic", "guillemets", "straight", "pairs"],
)
def test_five_megabytes_take_bounded_time(unit: str) -> None:
    text = unit * (5_000_000 // len(unit))
    started = time.perf_counter()
    quotes = extract_quotes(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 10.0  # a safety bound, not a benchmark: one pass, bounded windows
    assert len(quotes) <= 2_000


_PIECES = st.sampled_from(
    [
        "« ",
        " »",
        "“",
        "”",
        '"',
        "‘",
        "’",
        "a déclaré ",
        "said ",
        "Jean Dupont",
        " il ",
        "\n\n",
        ", ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=30))
def test_any_text_gives_well_formed_quotes(pieces: list[str]) -> None:
    text = "".join(pieces)
    for quote in extract_quotes(text):
        assert quote.text.strip()
        assert quote.speaker is None or quote.speaker.strip()
        assert isinstance(quote_key(quote), str)
